/** Hostile model.json contents give typed errors (CPU backend): names looked up as own keys, hostile values anywhere, bounded recursion and sizes. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ShadernetError, ShapeError, UnsupportedError, ValueError } from '../../src/errors.js';
import { Dense } from '../../src/model/layers.js';
import { Sequential } from '../../src/model/sequential.js';
import { deserializeModel, loadModel, MODEL_LIMITS, serializeModel } from '../../src/model/serialization.js';
import {
  clone,
  configOf,
  expectError,
  expectRejection,
  fixture,
  FIXTURE_BYTES,
  layersOf,
  manifestWeights,
  everyPartModel,
  randomSource,
  scheduleSamples,
  withGlobal,
  type Json,
} from '../helpers/model-files.js';
import { assertFixtureWeights } from '../helpers/model-files.js';

const TRAINING_CONFIG = {
  loss: 'binary_crossentropy',
  metrics: ['accuracy'],
  optimizer_config: { class_name: 'Adam', config: { learningRate: 0.01 } },
};

/** Names every plain object inherits: a lookup table that is not own-key-checked finds them. */
const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'];

let json: Json;
let trained: Json;
before(async () => {
  json = await fixture('tfjs-4.22-dense.json');
  trained = { ...clone(json), trainingConfig: TRAINING_CONFIG };
});

const load = (modelJson: unknown, bytes: ArrayBuffer | ArrayBufferView = FIXTURE_BYTES): Sequential =>
  deserializeModel(modelJson, bytes, { backend: 'cpu' });

/** Loads and disposes: the load must succeed. */
function loads(modelJson: unknown, bytes?: ArrayBuffer | ArrayBufferView): void {
  load(modelJson, bytes).dispose();
}

const withTraining = (patch: Json): Json => ({ ...clone(trained), trainingConfig: { ...TRAINING_CONFIG, ...patch } });
const withLayer = (index: number, patch: Json): Json => {
  const j = clone(json);
  Object.assign(configOf(j, index), patch);
  return j;
};

/** `bytes` placed at `offset` of a larger buffer whose other bytes are all `fill`. */
function embedded(bytes: ArrayBuffer, offset: number, fill: number, after = 64): Uint8Array {
  const backing = new Uint8Array(offset + bytes.byteLength + after).fill(fill);
  backing.set(new Uint8Array(bytes), offset);
  return backing.subarray(offset, offset + bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------

describe('names looked up in tables are own keys', () => {
  for (const name of PROTOTYPE_NAMES) {
    test(`'${name}' is not a dtype, loss, metric, optimizer, schedule, activation, regularizer or layer`, () => {
      // A weight of unknown size would shift every later weight: it must fail, not read the sentinel bytes.
      const dtype = clone(json);
      manifestWeights(dtype).unshift({ name: 'optimizer/iterations', shape: [1], dtype: name, group: 'optimizer' });
      const data = embedded(new Uint8Array([...new Uint8Array(4).fill(0x41), ...new Uint8Array(FIXTURE_BYTES)]).buffer, 8, 0x41);
      expectError(() => load(dtype, data), UnsupportedError, new RegExp(`dtype '${name}' is not supported`));
      const quantized = clone(json);
      manifestWeights(quantized)[0]!['quantization'] = { dtype: name, scale: 1, min: 0 };
      expectError(() => load(quantized), ValueError, /quantization .* has no known dtype/);

      expectError(() => load(withTraining({ loss: name })), UnsupportedError, /trainingConfig.loss .* is not supported/);
      expectError(
        () => load(withTraining({ loss: { class_name: name, config: {} } })),
        UnsupportedError,
        /trainingConfig.loss .* is not supported/,
      );
      expectError(() => load(withTraining({ metrics: [name] })), UnsupportedError, /metric .* is not supported/);
      expectError(
        () => load(withTraining({ metrics: [{ class_name: name, config: { name } }] })),
        UnsupportedError,
        /metric .* is not supported/,
      );
      expectError(() => load(withTraining({ optimizer_config: name })), UnsupportedError, /optimizer .* is not supported/);
      expectError(
        () => load(withTraining({ optimizer_config: { class_name: name, config: {} } })),
        UnsupportedError,
        /optimizer .* is not supported/,
      );
      const schedule = {
        class_name: 'Adam',
        config: { learning_rate: { class_name: name, config: { initial_learning_rate: 0.1, decay_steps: 10 } } },
      };
      expectError(() => load(withTraining({ optimizer_config: schedule })), UnsupportedError, /learning-rate schedule .* is not supported/);
      expectError(() => load(withLayer(0, { activation: name })), UnsupportedError, new RegExp(`activation '${name}' is not supported`));
      expectError(
        () => load(withLayer(0, { kernel_regularizer: { class_name: name, config: { l2: 0.1 } } })),
        UnsupportedError,
        /regularizer .* is not supported/,
      );
      const layer = clone(json);
      layersOf(layer)[1]!['class_name'] = name;
      expectError(() => load(layer), UnsupportedError, new RegExp(`layer type '${name}' is not supported`));
    });
  }

  test("an initializer named after a prototype key loads as the layer's default (initializers only seed weights)", () => {
    for (const name of PROTOTYPE_NAMES) {
      for (const value of [name, { class_name: name, config: {} }]) {
        const model = load(withLayer(0, { kernel_initializer: value, bias_initializer: value }));
        const first = model.layers[0] as Dense;
        assert.equal(first.kernelInitializer, 'glorotUniform');
        assert.equal(first.biasInitializer, 'zeros');
        model.dispose();
      }
    }
  });

  test('weight bytes are read from the given view only, never from the rest of its buffer', async () => {
    // Offsets 1 and 3 are unaligned for float32; 0x41 bytes would read as 12.078 if ever used.
    for (const offset of [0, 1, 3, 8, 1000]) {
      const model = load(json, embedded(FIXTURE_BYTES, offset, 0x41));
      await assertFixtureWeights(model);
      model.dispose();
    }
    const dataView = embedded(FIXTURE_BYTES, 12, 0x41);
    const model = load(json, new DataView(dataView.buffer, dataView.byteOffset, dataView.byteLength));
    await assertFixtureWeights(model);
    model.dispose();
    // Node's small Buffers are slices of a shared 8 KB pool.
    const pooled = Buffer.from(new Uint8Array(FIXTURE_BYTES));
    const fromPool = load(json, pooled);
    await assertFixtureWeights(fromPool);
    fromPool.dispose();
    // Too short a view is refused even though its buffer holds enough bytes.
    expectError(() => load(json, embedded(FIXTURE_BYTES, 4, 0x41).subarray(0, 64)), ShapeError, /truncated: it has 64 bytes/);
  });
});

// ---------------------------------------------------------------------------------------------

/** Values a hostile file may put anywhere: prototype names, extreme numbers, wrong types, nesting. */
const HOSTILE_VALUES: readonly unknown[] = [
  ...PROTOTYPE_NAMES,
  -1,
  0,
  1.5,
  2 ** 53,
  1e308,
  -1e308,
  5e-324,
  '',
  'x'.repeat(2000),
  null,
  true,
  [],
  {},
  [[[[1]]]],
  ['constructor'],
  [null, -2],
  [null, 1e9],
  { class_name: 'constructor', config: {} },
  { class_name: 'Adam', config: 'constructor' },
  JSON.parse('{"__proto__": {"polluted": 1}}'),
];

/** Every key path of a JSON value ([] is the root). */
function keyPaths(
  value: unknown,
  prefix: readonly (string | number)[] = [],
  out: (readonly (string | number)[])[] = [],
): (readonly (string | number)[])[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item: unknown, i) => keyPaths(item, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) keyPaths(item, [...prefix, key], out);
  return out;
}

test('hostile values anywhere in a model.json give typed errors, never another exception', async () => {
  const random = randomSource(12345);
  for (const schedule of scheduleSamples()) {
    const model = everyPartModel(schedule);
    const artifact = await serializeModel(model);
    model.dispose();
    const text = JSON.stringify(artifact.modelJson);
    const paths = keyPaths(JSON.parse(text)).filter((path) => path.length > 0);
    for (let n = 0; n < 1000; n++) {
      const mutated = JSON.parse(text) as Json;
      const path = random.pick(paths);
      const value = random.pick(HOSTILE_VALUES);
      let parent = mutated as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const key = path[path.length - 1]!;
      const current = parent[key];
      if (random.next() < 0.2 && typeof current === 'object' && current !== null && !Array.isArray(current)) {
        // An own `__proto__` or `constructor` key, as JSON.parse makes them.
        Object.defineProperty(current, random.pick(['__proto__', 'constructor']), {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      } else parent[key] = value;
      try {
        load(JSON.stringify(mutated), artifact.weightData).dispose();
      } catch (error) {
        assert.ok(error instanceof ShadernetError, `${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}: ${String(error)}`);
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------

/** `depth` arrays nested around `inner`, as an object (built without recursion). */
function nestedArrays(depth: number, inner: unknown): unknown {
  let value: unknown = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('bounded recursion and sizes checked before allocation', () => {
  test('a loss nested 100,000 arrays deep is a ValueError (object and text), not a stack overflow', () => {
    const deep = withTraining({ loss: nestedArrays(100_000, 'binary_crossentropy') });
    const depthError = new RegExp(`nested more than ${MODEL_LIMITS.jsonDepth} levels deep`);
    expectError(() => load(deep), ValueError, depthError);
    const text = JSON.stringify(trained).replace(
      '"loss":"binary_crossentropy"',
      `"loss":${'['.repeat(100_000)}"binary_crossentropy"${']'.repeat(100_000)}`,
    );
    expectError(() => load(text), ValueError, depthError);
    // A few levels are fine: Keras nests losses per output.
    loads(withTraining({ loss: nestedArrays(3, 'binary_crossentropy') }));
  });

  test('10 MB of nesting in model.json text is refused before JSON.parse', () => {
    const depth = 4_999_000;
    const text = JSON.stringify(trained).replace('"metrics":["accuracy"]', `"metrics":${'['.repeat(depth)}${']'.repeat(depth)}`);
    assert.ok(text.length <= MODEL_LIMITS.modelJsonBytes);
    expectError(() => load(text), ValueError, /model.json is nested more than \d+ levels deep/);
    // Brackets inside strings are text, not nesting.
    const inString = withLayer(0, {});
    configOf(inString, 0)['name'] = '['.repeat(1000);
    manifestWeights(inString)[0]!['name'] = `${'['.repeat(1000)}/kernel`;
    manifestWeights(inString)[1]!['name'] = `${'['.repeat(1000)}/bias`;
    loads(JSON.stringify(inString));
  });

  test('localstorage://: stored JSON text is depth-checked like model.json', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const items = new Map([
      ['tensorflowjs_models/deep/info', '{}'],
      ['tensorflowjs_models/deep/model_topology', deep],
      ['tensorflowjs_models/deep/weight_specs', '[]'],
      ['tensorflowjs_models/deep/weight_data', ''],
    ]);
    await withGlobal('localStorage', { getItem: (key: string) => items.get(key) ?? null }, async () => {
      await expectRejection(
        () => loadModel('localstorage://deep', { backend: 'cpu' }),
        ValueError,
        /localstorage:\/\/deep model_topology is nested more than \d+ levels deep/,
      );
    });
  });

  test('in-memory artifacts: deep nesting and cycles anywhere are refused', () => {
    const cyclic: Json = { note: 'loop' };
    cyclic['self'] = cyclic;
    for (const [key, value] of [
      ['userDefinedMetadata', cyclic],
      ['userDefinedMetadata', { deep: nestedArrays(10_000, 1) }],
      ['trainingConfig', { ...TRAINING_CONFIG, extra: nestedArrays(10_000, null) }],
    ] as const) {
      expectError(() => load({ ...clone(json), [key]: value }), ValueError, /nested more than \d+ levels deep/);
    }
    const deepLayer = withLayer(0, {});
    configOf(deepLayer, 0)['extra'] = nestedArrays(MODEL_LIMITS.jsonDepth + 1, 0);
    expectError(() => load(deepLayer), ValueError, /modelTopology is nested more than/);
  });

  test('weight shapes: NaN, negative, fractional, 2^53, overflowing products and non-numbers are refused', () => {
    for (const shape of [
      [Number.NaN],
      [-1],
      [1.5],
      [2 ** 53],
      [2 ** 53 + 2],
      [1e300, 1e300, 0],
      [0, 1e300, 1e300],
      [2 ** 40, 2 ** 40],
      ['4'],
      [Number.POSITIVE_INFINITY],
      [null],
    ]) {
      const j = clone(json);
      // An optimizer weight: never matched to the model, so only the manifest's own checks see it.
      manifestWeights(j).unshift({ name: 'optimizer/m', shape, dtype: 'float32', group: 'optimizer' });
      expectError(() => load(j), ValueError, /optimizer\/m/);
    }
  });

  test('too many weight buffers in memory are refused before they are concatenated', async () => {
    const buffers = Array.from({ length: MODEL_LIMITS.weightFiles + 1 }, () => new ArrayBuffer(0));
    const handler = {
      load: async () => ({ modelTopology: json['modelTopology'], weightSpecs: manifestWeights(json), weightData: buffers }),
    };
    await expectRejection(() => loadModel(handler, { backend: 'cpu' }), ValueError, /over the limit of 1000/);
  });
});
