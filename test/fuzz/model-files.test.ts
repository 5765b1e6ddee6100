/**
 * Fuzzing model files, which are untrusted input: random JSON, model.json files built from a
 * grammar with hostile values in every name and size position, and mutations of real saved
 * models (values anywhere, own `__proto__` keys, deep nesting, weight bytes of the wrong length
 * or value, weights paths that climb out of the model's folder). They go through
 * deserializeModel, loadModel with an in-memory LoadHandler, and loadModel over http(s) with
 * options.fetch. Each load gives a model or a ShadernetError, and fetches nothing outside
 * model.json's folder; a loaded model predicts. test/model/model-files.test.ts holds the fixed
 * cases (and the seeded mutation test this generalises).
 */
import assert from 'node:assert/strict';
import { before, describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { GpuContext } from '../../src/gpu/context.js';
import { Dense, Dropout } from '../../src/model/layers.js';
import { SGD } from '../../src/model/optimizers.js';
import { L1L2 } from '../../src/model/regularizers.js';
import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay } from '../../src/model/schedules.js';
import { Sequential } from '../../src/model/sequential.js';
import { deserializeModel, loadModel, MODEL_LIMITS, serializeModel } from '../../src/model/serialization.js';
import { assertTrains, fuzz, outcome, runs, shortly, smallClassifier } from '../helpers/fuzz.js';
import { EDGE_NUMBERS, objectFrom, PROTOTYPE_NAMES } from '../helpers/fuzz-values.js';
import { useGpu } from '../helpers/gpu.js';
import { fixture, FIXTURE_BYTES, randomModel, randomSource, type Json } from '../helpers/model-files.js';

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
  for (const schedule of [
    new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }),
    new PiecewiseConstantDecay({ boundaries: [10, 20], values: [0.1, 0.01, 0.001] }),
    new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }),
  ]) {
    const model = new Sequential({ backend: 'cpu', seed: 1 });
    model.add(new Dropout({ rate: 0.1, seed: 3 }));
    model.add(
      new Dense({ units: 3, activation: 'leaky_relu', alpha: 0.3, inputDim: 2, kernelRegularizer: new L1L2({ l1: 0.1, l2: 0.2 }) }),
    );
    model.add(new Dense({ units: 2, activation: 'softmax' }));
    model.compile({
      optimizer: new SGD({ learningRate: schedule, momentum: 0.5 }),
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
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
// Values a file may hold anywhere

/** Names for every name position: the valid ones of each kind, prototype names, anything. */
const VALID_NAMES = [
  'Sequential',
  'Dense',
  'Dropout',
  'InputLayer',
  'float32',
  'int32',
  'relu',
  'sigmoid',
  'softmax',
  'linear',
  'leaky_relu',
  'GlorotUniform',
  'Zeros',
  'VarianceScaling',
  'L1L2',
  'Adam',
  'SGD',
  'RMSprop',
  'ExponentialDecay',
  'CosineDecay',
  'binary_crossentropy',
  'categorical_crossentropy',
  'mse',
  'accuracy',
  'dense',
  'dense_1',
  'layers-model',
  'graph-model',
];
const fileName: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VALID_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom<string>(...PROTOTYPE_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'n'.repeat(MODEL_LIMITS.nameLength + 1), 'dense/kernel', '__proto__/kernel') },
);

/** Sizes and shapes: valid small ones, and every kind of wrong one (JSON numbers only: no NaN in a file). */
const fileNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...EDGE_NUMBERS.filter(Number.isFinite), MODEL_LIMITS.units, MODEL_LIMITS.units + 1, 2 ** 53 - 1),
  },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Any JSON, with prototype names among the keys and strings. */
const json: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fileName },
  { weight: 1, arbitrary: fileNumber },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom<string>(...PROTOTYPE_NAMES), fc.jsonValue({ maxDepth: 1 })), { maxLength: 2 })
      .map((entries) => objectFrom(entries)),
  },
);

/** `inner` inside `depth` arrays or objects, around the nesting limit (64). */
const deeplyNested = fc.tuple(fc.integer({ min: 55, max: 70 }), fc.boolean(), json).map(([depth, objects, inner]) => {
  let value: unknown = inner;
  for (let i = 0; i < depth; i++) value = objects ? { class_name: value } : [value];
  return value;
});

/** A value that may stand in for anything in a file: mostly JSON, sometimes deep, sometimes not JSON at all (in-memory artifacts). */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: json },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, undefined, 1n, new Float32Array(2)) },
);

// ---------------------------------------------------------------------------------------------
// Model files from a grammar: every name and size position drawn from the pools above

/** A field of a generated file: usually of its kind, sometimes any value. */
const field = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 24, arbitrary }, { weight: 1, arbitrary: anyValue });

/** A name for one position: mostly one of the names valid there, else any name of the pool. */
const nameAt = (...valid: string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fileName });

const shapeOf = fc.array(field(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fileNumber })), {
  maxLength: 3,
});

const initializer = field(
  fc.record({
    class_name: field(nameAt('GlorotUniform', 'Zeros', 'VarianceScaling', 'RandomNormal')),
    config: field(fc.record({ seed: field(fc.constant(null)) })),
  }),
);

const layer = fc.record(
  {
    class_name: field(nameAt('Dense', 'Dense', 'Dropout', 'InputLayer')),
    config: field(
      fc.record(
        {
          name: field(nameAt('dense', 'dense_1', 'dropout', 'input')),
          units: field(fileNumber),
          activation: field(nameAt('relu', 'sigmoid', 'softmax', 'linear', 'leaky_relu', 'elu', 'tanh')),
          alpha: field(fileNumber),
          use_bias: field(fc.boolean()),
          kernel_initializer: initializer,
          bias_initializer: initializer,
          kernel_regularizer: field(
            fc.record({
              class_name: field(nameAt('L1L2', 'L1', 'L2')),
              config: field(fc.record({ l1: field(fileNumber), l2: field(fileNumber) })),
            }),
          ),
          rate: field(fc.double({ min: 0, max: 1, noNaN: true })),
          seed: field(fileNumber),
          batch_input_shape: field(fc.tuple(fc.constant(null), field(fileNumber))),
          batch_shape: field(fc.tuple(fc.constant(null), field(fileNumber))),
          dtype: field(nameAt('float32')),
        },
        { requiredKeys: ['name', 'units'] },
      ),
    ),
  },
  { requiredKeys: ['class_name', 'config'] },
);

const weightSpec = fc.record(
  {
    name: field(nameAt('dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias', 'optimizer/iter')),
    shape: field(shapeOf),
    dtype: field(nameAt('float32', 'int32')),
    group: field(nameAt('model', 'optimizer')),
    quantization: field(
      fc.record({ dtype: field(nameAt('uint8', 'uint16', 'float16')), scale: field(fileNumber), min: field(fileNumber) }),
    ),
  },
  { requiredKeys: ['name', 'shape', 'dtype'] },
);

const trainingConfig = fc.record(
  {
    loss: field(
      fc.oneof(
        nameAt('binary_crossentropy', 'categorical_crossentropy', 'mse'),
        fc.record({
          class_name: field(nameAt('BinaryCrossentropy', 'MeanSquaredError')),
          config: field(fc.record({ from_logits: field(fc.boolean()) })),
        }),
      ),
    ),
    metrics: field(fc.array(field(nameAt('accuracy', 'acc', 'mae')), { maxLength: 3 })),
    optimizer_config: field(
      fc.record({
        class_name: field(nameAt('Adam', 'SGD', 'RMSprop', 'Adagrad', 'AdamW')),
        config: field(
          fc.record(
            {
              learning_rate: field(
                fc.oneof(
                  fileNumber,
                  fc.record({
                    class_name: field(nameAt('ExponentialDecay', 'CosineDecay', 'PiecewiseConstantDecay')),
                    config: field(fc.dictionary(fileName, fileNumber, { maxKeys: 4 })),
                  }),
                ),
              ),
              beta_1: field(fileNumber),
              momentum: field(fileNumber),
              epsilon: field(fileNumber),
            },
            { requiredKeys: [] },
          ),
        ),
      }),
    ),
  },
  { requiredKeys: ['loss'] },
);

/** A model.json from the grammar, with weight bytes: exactly as many as its manifest declares, or any number. */
const grammarFile = fc
  .record(
    {
      format: field(nameAt('layers-model')),
      modelTopology: field(
        fc.record({
          class_name: field(nameAt('Sequential')),
          config: field(fc.record({ name: field(nameAt('sequential')), layers: field(fc.array(layer, { maxLength: 4 })) })),
        }),
      ),
      weightsManifest: field(
        fc.array(
          fc.record({
            paths: field(fc.array(field(nameAt('model.weights.bin')), { maxLength: 2 })),
            weights: field(fc.array(weightSpec, { maxLength: 6 })),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      trainingConfig: field(trainingConfig),
      userDefinedMetadata: field(fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: ['modelTopology', 'weightsManifest'] },
  )
  .chain((modelJson) =>
    fc.tuple(
      fc.constant(modelJson),
      fc.oneof(fc.constant(declaredBytes(modelJson)), fc.integer({ min: 0, max: 200 })),
      fc.float32Array({ maxLength: 1 }),
    ),
  )
  .map(([modelJson, byteCount, [fill]]) => ({
    modelJson: modelJson as unknown,
    bytes: new Uint8Array(new Float32Array(Math.ceil(byteCount / 4)).fill(fill ?? 0.5).buffer, 0, byteCount),
  }));

/** Bytes the manifest of `modelJson` declares (float32 elements of every shape that is a list of small integers). */
function declaredBytes(modelJson: unknown): number {
  let total = 0;
  const manifest = (modelJson as { weightsManifest?: unknown }).weightsManifest;
  for (const group of Array.isArray(manifest) ? manifest : []) {
    const weights = (group as { weights?: unknown } | null)?.weights;
    for (const spec of Array.isArray(weights) ? weights : []) {
      const shape = (spec as { shape?: unknown } | null)?.shape;
      if (Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 16))
        total += 4 * shape.reduce((a: number, b: number) => a * b, 1);
    }
  }
  return Math.min(total, 4096);
}

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

// ---------------------------------------------------------------------------------------------
// Weights paths for the http(s) transport

const MODEL_URL = 'https://models.example/a/b/model.json';
const FOLDER = 'https://models.example/a/b/';

/** Paths built from segments that climb, encode separators, or name other places. */
const weightsPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('model.weights.bin', './model.weights.bin', 'shards/w.bin', 'w%20x.bin', 'ü.bin') },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '/', '//', './', 'https://evil.example/', 'file:///', 'C:/', '\\\\', 'data:,'),
        fc.array(
          fc.constantFrom(
            '..',
            '.',
            '%2e%2e',
            '%2E.',
            '.%2e',
            '%2e',
            'a',
            'model.weights.bin',
            '',
            '%2f',
            '%2F..%2F',
            '%5c..',
            '\\..',
            '%00',
            '\u0000',
            '%zz',
            '?x=1',
            '#y',
            'é',
            '%20',
            '..;',
          ),
          { minLength: 1, maxLength: 5 },
        ),
        fc.constantFrom('/', '\\'),
      )
      .map(([prefix, segments, separator]) => prefix + segments.join(separator)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A fetch that serves model.json and, for any other URL, the bytes (so an escaping path would load); it records what it was asked. */
function fakeServer(
  modelJson: string,
  bytes: Uint8Array,
  status: number,
): { fetch: (url: string) => Promise<Response>; requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    fetch: async (url: string) => {
      requested.push(url);
      if (url === MODEL_URL) return new Response(modelJson);
      return new Response(bytes.slice(), { status });
    },
  };
}

/** Every weights URL fetched is inside model.json's folder on its origin. */
function assertStayedInFolder(requested: readonly string[], what: string): void {
  for (const url of requested.slice(1)) {
    const parsed = new URL(url);
    assert.ok(
      parsed.origin === 'https://models.example' && url.startsWith(FOLDER) && !parsed.pathname.includes('/../'),
      `${what} fetched ${url}, outside ${FOLDER}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Loading, through each entry point

type Transport = 'deserialize text' | 'deserialize object' | 'LoadHandler' | 'http';
const TRANSPORTS: readonly Transport[] = ['deserialize text', 'deserialize object', 'LoadHandler', 'http'];

/** The parts of a TF.js artifact, as an IOHandler's load() returns them. */
function artifactOf(modelJson: unknown, bytes: Uint8Array): unknown {
  const parts = typeof modelJson === 'object' && modelJson !== null ? (modelJson as Record<string, unknown>) : {};
  const manifest = parts['weightsManifest'];
  const weightSpecs = Array.isArray(manifest)
    ? manifest.flatMap((group: unknown) => (group as { weights?: unknown } | null)?.weights ?? [])
    : manifest;
  return {
    modelTopology: parts['modelTopology'],
    weightSpecs,
    weightData: bytes.buffer,
    format: parts['format'],
    trainingConfig: parts['trainingConfig'],
  };
}

interface LoadCase {
  readonly modelJson: unknown;
  readonly bytes: Uint8Array;
  readonly transport: Transport;
  readonly status?: number;
}

/**
 * Loads one generated file through its transport: a model or a ShadernetError, nothing fetched
 * outside the folder; a loaded model predicts (finite outputs or a typed error) and is disposed.
 */
async function loadCase(
  what: string,
  { modelJson, bytes, transport, status = 200 }: LoadCase,
  engine: { gpu?: GpuContext },
): Promise<void> {
  const options = engine.gpu ? { gpu: engine.gpu } : { backend: 'cpu' as const };
  let server: ReturnType<typeof fakeServer> | undefined;
  // As text where the value has a JSON text (no BigInts; NaN becomes null, as in a real file).
  let text: string | undefined;
  try {
    text = JSON.stringify(modelJson);
  } catch {
    text = undefined;
  }
  const loaded = await outcome(
    `${transport}: ${what}`,
    async () => {
      switch (transport) {
        case 'deserialize text':
          return deserializeModel(text ?? modelJson, bytes, options);
        case 'deserialize object':
          return deserializeModel(modelJson, bytes, options);
        case 'LoadHandler':
          return loadModel({ load: async () => artifactOf(modelJson, bytes) }, options);
        case 'http': {
          server = fakeServer(text ?? '', bytes, status);
          return loadModel(MODEL_URL, { ...options, fetch: server.fetch });
        }
      }
    },
    engine.gpu ? { gpu: engine.gpu, timeoutMs: 10_000 } : {},
  );
  if (server) assertStayedInFolder(server.requested, what);
  if (!loaded.ok) return;
  const model = loaded.value;
  const inputs = (model.layers[0] as Dense | undefined)?.inputDim ?? (model.layers[1] as Dense | undefined)?.inputDim ?? 1;
  await outcome(
    `predict with the model of ${what}`,
    () => model.predict([new Array<number>(inputs).fill(0.5)]),
    engine.gpu ? { gpu: engine.gpu } : {},
  );
  model.dispose();
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

test('random JSON as model.json and as artifacts: a model or a ShadernetError', async (t) => {
  const cases = fc.record({
    modelJson: fc.oneof(fc.jsonValue(), json, deeplyNested),
    bytes: fc.uint8Array({ maxLength: 64 }),
    transport: fc.constantFrom(...TRANSPORTS),
  });
  await fuzz(t, 'random JSON', cases, (c) => loadCase(shortly(c.modelJson), c, {}), runs(500));
});

test('model.json from a grammar, hostile values in every name and size position: a model or a ShadernetError', async (t) => {
  const cases = fc.tuple(grammarFile, fc.constantFrom(...TRANSPORTS));
  await fuzz(
    t,
    'grammar files',
    cases,
    ([file, transport]) => loadCase(shortly(file.modelJson, 600), { ...file, transport }, {}),
    runs(1000),
  );
});

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
