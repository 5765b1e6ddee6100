/** Fuzzing mutations of real saved models (values, own __proto__ keys, nesting, bytes, weights paths) through each entry point, CPU and GPU: a model or a ShadernetError, nothing fetched outside the folder. */
import assert from 'node:assert/strict';
import { before, describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { GpuContext } from '../../src/gpu/context.js';
import { serializeModel } from '../../src/model/serialization.js';
import { assertTrains, fuzz, runs, shortly, smallClassifier } from '../helpers/fuzz.js';
import { objectFrom, PROTOTYPE_NAMES } from '../helpers/fuzz-values.js';
import { useGpu } from '../helpers/gpu.js';
import { everyPartModel, fixture, FIXTURE_BYTES, randomModel, randomSource, scheduleSamples, type Json } from '../helpers/model-files.js';
import { anyValue, weightsPath, TRANSPORTS, loadCase } from '../helpers/model-file-fuzz.js';

// ---------------------------------------------------------------------------------------------
// Real models to start from: saved by shadernet (random architectures, every optimizer and
// schedule, Dropout, regularizers), TF.js 4.22 and the Keras 3 converter

interface Original {
  readonly what: string;
  readonly json: string;
  readonly bytes: Uint8Array;
}

const originals: Original[] = [];

before(async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const model = randomModel(randomSource(seed));
    const { modelJson, weightData } = await serializeModel(model);
    originals.push({ what: `randomModel(${seed})`, json: JSON.stringify(modelJson), bytes: new Uint8Array(weightData) });
    model.dispose();
  }
  for (const schedule of scheduleSamples()) {
    const model = everyPartModel(schedule);
    const { modelJson, weightData } = await serializeModel(model);
    originals.push({ what: `SGD + ${schedule.className}`, json: JSON.stringify(modelJson), bytes: new Uint8Array(weightData) });
    model.dispose();
  }
  originals.push({
    what: 'tfjs-4.22-dense.json',
    json: JSON.stringify(await fixture('tfjs-4.22-dense.json')),
    bytes: new Uint8Array(FIXTURE_BYTES),
  });
  originals.push({
    what: 'keras3-converted.json',
    json: JSON.stringify(await fixture('keras3-converted.json')),
    bytes: new Uint8Array(FIXTURE_BYTES),
  });
});

// ---------------------------------------------------------------------------------------------
// Mutations of real saved models

type Path = readonly (string | number)[];

/** Every key path of a JSON value ([] is the root). */
function keyPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item: unknown, i) => keyPaths(item, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value))
    for (const [key, item] of Object.entries(value)) keyPaths(item, [...prefix, key], out);
  return out;
}

/** An edit of a file, its path chosen by index among the file's paths (so it shrinks). */
type Mutation =
  | { readonly kind: 'set'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'own-key'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'wrap'; readonly at: number; readonly depth: number }
  | { readonly kind: 'duplicate'; readonly at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: anyValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('own-key' as const),
      at: fc.nat(),
      key: fc.constantFrom<string>(...PROTOTYPE_NAMES),
      value: anyValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 70 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }) },
);

function mutate(root: Json, edit: Mutation): void {
  const paths = keyPaths(root).filter((p) => p.length > 0);
  const path = paths[edit.at % paths.length]!;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const current = parent[key];
  switch (edit.kind) {
    case 'set':
      parent[key] = edit.value;
      return;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return;
    case 'own-key':
      if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
        // As JSON.parse makes them: an own `__proto__` is data, never the prototype.
        Object.defineProperty(current, edit.key, { value: edit.value, enumerable: true, configurable: true, writable: true });
      } else parent[key] = objectFrom([[edit.key, edit.value]]);
      return;
    case 'wrap': {
      let value: unknown = current;
      for (let i = 0; i < edit.depth; i++) value = [value];
      parent[key] = value;
      return;
    }
    case 'duplicate':
      if (Array.isArray(current) && current.length > 0) current.push(structuredClone(current[0]));
      else parent[key] = [current, current];
  }
}

/** Byte edits: truncate, extend, or overwrite a float32 with NaN, ±Infinity or 1e38. */
type ByteEdit =
  | { readonly kind: 'keep' }
  | { readonly kind: 'resize'; readonly delta: number }
  | { readonly kind: 'poke'; readonly at: number; readonly value: number };
const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'keep' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resize' as const), delta: fc.integer({ min: -9, max: 9 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('poke' as const),
      at: fc.nat(),
      value: fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e38, 0),
    }),
  },
);

function editBytes(bytes: Uint8Array, edit: ByteEdit): Uint8Array {
  if (edit.kind === 'keep') return bytes.slice();
  if (edit.kind === 'resize') {
    const out = new Uint8Array(Math.max(0, bytes.length + edit.delta));
    out.set(bytes.subarray(0, out.length));
    return out;
  }
  const out = bytes.slice();
  if (out.length >= 4) new DataView(out.buffer).setFloat32(4 * (edit.at % Math.floor(out.length / 4)), edit.value, true);
  return out;
}

const mutatedCase = fc.record({
  original: fc.nat(),
  edits: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  bytes: byteEdit,
  transport: fc.constantFrom(...TRANSPORTS),
  paths: fc.option(fc.array(weightsPath, { minLength: 1, maxLength: 2 }), { freq: 3 }),
  status: fc.constantFrom(200, 200, 200, 404, 500),
});

type MutatedCase = typeof mutatedCase extends fc.Arbitrary<infer T> ? T : never;

/** The file of a mutated case: an original, edited; its weights paths replaced when the case says so. */
function mutatedFile(c: MutatedCase): { what: string; modelJson: unknown; bytes: Uint8Array } {
  const original = originals[c.original % originals.length]!;
  const root = JSON.parse(original.json) as Json;
  if (c.paths) (root['weightsManifest'] as Json[])[0]!['paths'] = c.paths;
  for (const edit of c.edits) mutate(root, edit);
  return {
    what: `${original.what} with ${shortly(c.edits, 400)}${c.paths ? `, paths ${shortly(c.paths)}` : ''}, bytes ${shortly(c.bytes)}`,
    modelJson: root,
    bytes: editBytes(original.bytes, c.bytes),
  };
}

function loadMutated(c: MutatedCase, engine: { gpu?: GpuContext }): Promise<void> {
  const file = mutatedFile(c);
  return loadCase(file.what, { ...file, transport: c.transport, status: c.status }, engine);
}

test('mutated real models (values, own __proto__ keys, nesting, bytes, weights paths): a model or a ShadernetError, nothing fetched outside the folder', async (t) => {
  await fuzz(t, 'mutated models', mutatedCase, (c) => loadMutated(c, {}), runs(1000));
  // Loading refused files leaves the library able to train.
  const model = smallClassifier({ backend: 'cpu' });
  await assertTrains(model);
  model.dispose();
});

describe('GPU engine', () => {
  const gpu = useGpu();
  test('mutated real models loaded onto the GPU (a smaller sample): no GPU memory left behind', async (t: TestContext) => {
    const ctx = gpu();
    const baseline = ctx.memory();
    await fuzz(t, 'mutated models (gpu)', mutatedCase, (c) => loadMutated(c, { gpu: ctx }), runs(30, 'gpu'));
    assert.deepEqual(ctx.memory(), baseline);
    const model = smallClassifier({ gpu: ctx });
    await assertTrains(model);
    model.dispose();
  });
});
