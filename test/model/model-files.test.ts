/**
 * Model files are untrusted input: hostile files fail with the library's typed errors, weights
 * never come from outside the given bytes or the model's folder, and save() never writes what
 * loadModel() refuses. Every model here runs on the CPU backend (no GPU needed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ShadernetError, ShapeError, UnsupportedError, ValueError } from '../../src/errors.js';
import { Dense, Dropout } from '../../src/model/layers.js';
import { SGD } from '../../src/model/optimizers.js';
import { L1L2 } from '../../src/model/regularizers.js';
import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay } from '../../src/model/schedules.js';
import { Sequential } from '../../src/model/sequential.js';
import { deserializeModel, loadModel, MODEL_LIMITS, serializeModel } from '../../src/model/serialization.js';
import {
  B0,
  B1,
  clone,
  configOf,
  expectError,
  expectRejection,
  fixture,
  FIXTURE_BYTES,
  layersOf,
  LONGEST_LAYER_NAME,
  manifestWeights,
  randomModel,
  randomSource,
  saveToMemory,
  W0,
  W1,
  withGlobal,
  type ErrorClass,
  type Json,
} from '../helpers/model-files.js';

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

async function assertFixtureWeights(model: Sequential): Promise<void> {
  const weights = await model.getWeights();
  assert.deepEqual(
    weights.map((w) => Array.from(w)),
    [W0, B0, W1, B1].map((w) => Array.from(Float32Array.from(w))),
  );
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
  const schedules = [
    new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }),
    new PiecewiseConstantDecay({ boundaries: [10, 20], values: [0.1, 0.01, 0.001] }),
    new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }),
  ];
  const random = randomSource(12345);
  for (const schedule of schedules) {
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

/** Paths that leave model.json's folder, or could mean different files to different resolvers. */
const ESCAPING_PATHS = [
  '../../secret.bin',
  '../secret.bin',
  '%2e%2e/%2e%2e/secret.bin',
  '.%2E/secret.bin',
  '%2E./secret.bin',
  'shards/../../secret.bin',
  'shards/%2e%2e/%2e%2e/secret.bin',
  'shards%2F..%2F..%2Fsecret.bin',
  '..\\secret.bin',
  'shards\\w.bin',
  '%5C..%5Csecret.bin',
  '/secret.bin',
  '//evil.example/secret.bin',
  'https://models.example/secret.bin',
  'C:/secret.bin',
  'file:///etc/passwd',
  'shards//w.bin',
  'shards/./w.bin',
  'shards/',
  '.',
  'w.bin?x=1',
  'w.bin#x',
  'w.bin\u0000.txt',
  'w.bin%00',
  'w%zz.bin',
];

describe('weights paths stay beside model.json', () => {
  const MODEL_URL = 'https://models.example/a/b/model.json';

  /** A fetch that serves the model and, for any other URL, the fixture's bytes (so an escape would load). */
  function fakeServer(modelJson: Json): { fetch: (input: string) => Promise<Response>; requested: string[] } {
    const requested: string[] = [];
    return {
      requested,
      fetch: async (input: string) => {
        requested.push(input);
        return new Response(input === MODEL_URL ? JSON.stringify(modelJson) : new Uint8Array(FIXTURE_BYTES));
      },
    };
  }
  const withPaths = (paths: readonly string[]): Json => {
    const j = clone(json);
    (j['weightsManifest'] as Json[])[0]!['paths'] = [...paths];
    return j;
  };

  test('http(s): escaping paths are refused before anything is fetched', async () => {
    for (const path of ESCAPING_PATHS) {
      const server = fakeServer(withPaths([path]));
      await expectRejection(() => loadModel(MODEL_URL, { fetch: server.fetch, backend: 'cpu' }), ValueError, /weights path/);
      assert.deepEqual(server.requested, [MODEL_URL], `only model.json was fetched for '${path}'`);
    }
  });

  test("http(s): plain names and subfolders load from model.json's folder", async () => {
    const cases: readonly [string, string][] = [
      ['model.weights.bin', 'https://models.example/a/b/model.weights.bin'],
      ['./model.weights.bin', 'https://models.example/a/b/model.weights.bin'],
      ['shards/group1-shard1of1.bin', 'https://models.example/a/b/shards/group1-shard1of1.bin'],
      ['my%20weights.bin', 'https://models.example/a/b/my%20weights.bin'],
      ['my weights.bin', 'https://models.example/a/b/my%20weights.bin'],
      ['gewichte-ü.bin', 'https://models.example/a/b/gewichte-%C3%BC.bin'],
    ];
    for (const [path, url] of cases) {
      const server = fakeServer(withPaths([path]));
      const model = await loadModel(MODEL_URL, { fetch: server.fetch, backend: 'cpu' });
      await assertFixtureWeights(model);
      model.dispose();
      assert.deepEqual(server.requested, [MODEL_URL, url]);
    }
  });

  test('http(s): a weights response redirected to another origin is refused; a same-origin redirect loads', async () => {
    /** A fetch whose weights response reports `finalUrl` as where it came from (fetch follows redirects). */
    const redirectingFetch =
      (finalUrl: string) =>
      async (input: string): Promise<Response> => {
        if (input === MODEL_URL) return new Response(JSON.stringify(json));
        const response = new Response(new Uint8Array(FIXTURE_BYTES));
        Object.defineProperty(response, 'url', { value: finalUrl });
        return response;
      };
    await expectRejection(
      () => loadModel(MODEL_URL, { fetch: redirectingFetch('https://elsewhere.example/a/b/model.weights.bin'), backend: 'cpu' }),
      ValueError,
      /was redirected to https:\/\/elsewhere\.example\/a\/b\/model\.weights\.bin, on another origin than model\.json \(https:\/\/models\.example\)/,
    );
    await expectRejection(
      () => loadModel(MODEL_URL, { fetch: redirectingFetch('http://models.example/a/b/model.weights.bin'), backend: 'cpu' }),
      ValueError,
      /another origin/,
    );
    const model = await loadModel(MODEL_URL, {
      fetch: redirectingFetch('https://models.example/cdn/v2/model.weights.bin'),
      backend: 'cpu',
    });
    await assertFixtureWeights(model);
    model.dispose();
  });

  describe('file://', () => {
    let root: string;
    let modelDir: string;
    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'shadernet-paths-'));
      modelDir = join(root, 'model');
      await mkdir(join(root, 'outside'), { recursive: true });
      await mkdir(join(modelDir, 'shards'), { recursive: true });
      // Outside files hold valid weights, so following a link out would load without error.
      await writeFile(join(root, 'secret.bin'), new Uint8Array(FIXTURE_BYTES));
      await writeFile(join(root, 'outside', 'w.bin'), new Uint8Array(FIXTURE_BYTES));
      await writeFile(join(modelDir, 'model.weights.bin'), new Uint8Array(FIXTURE_BYTES));
      await writeFile(join(modelDir, 'shards', 'w.bin'), new Uint8Array(FIXTURE_BYTES));
      await symlink(join(root, 'secret.bin'), join(modelDir, 'link.bin'));
      await symlink('../secret.bin', join(modelDir, 'relative-link.bin'));
      await symlink(join(root, 'outside'), join(modelDir, 'linked-dir'));
      await symlink('model.weights.bin', join(modelDir, 'alias.bin'));
      await symlink(modelDir, join(root, 'model-link'));
    });
    after(async () => {
      await rm(root, { recursive: true, force: true });
    });
    const writeModel = (paths: readonly string[]): Promise<void> =>
      writeFile(join(modelDir, 'model.json'), JSON.stringify(withPaths(paths)));

    test("symlinks to a file or a folder outside the model's folder are refused", async () => {
      for (const path of ['link.bin', 'relative-link.bin', 'linked-dir/w.bin']) {
        await writeModel([path]);
        await expectRejection(
          () => loadModel(`file://${modelDir}`, { backend: 'cpu' }),
          ValueError,
          new RegExp(`weights path '${path}'.*outside`),
        );
      }
    });

    test('escaping paths are refused by the same rule as for http(s)', async () => {
      for (const path of ESCAPING_PATHS) {
        await writeModel([path]);
        await expectRejection(() => loadModel(`file://${modelDir}`, { backend: 'cpu' }), ValueError, /weights path/);
      }
    });

    test('plain names, subfolders, links inside the folder and a linked model folder load', async () => {
      for (const path of ['model.weights.bin', './model.weights.bin', 'shards/w.bin', 'alias.bin']) {
        await writeModel([path]);
        for (const location of [modelDir, join(root, 'model-link'), join(root, 'model-link', 'model.json')]) {
          const model = await loadModel(`file://${location}`, { backend: 'cpu' });
          await assertFixtureWeights(model);
          model.dispose();
        }
      }
    });
  });

  test('picked files: the same rule (a path naming another folder is refused even if its base name was picked)', async () => {
    const picked = (name: string, bytes: Uint8Array | string) => ({
      name,
      size: typeof bytes === 'string' ? bytes.length : bytes.byteLength,
      text: async () => (typeof bytes === 'string' ? bytes : ''),
      arrayBuffer: async () => (typeof bytes === 'string' ? new ArrayBuffer(0) : bytes.slice().buffer),
    });
    for (const path of ['../secret.bin', 'C:/secret.bin', '%2e%2e/secret.bin']) {
      const files = [picked('model.json', JSON.stringify(withPaths([path]))), picked('secret.bin', new Uint8Array(FIXTURE_BYTES))];
      await expectRejection(() => loadModel(files, { backend: 'cpu' }), ValueError, /weights path/);
    }
    const files = [
      picked('model.json', JSON.stringify(withPaths(['./model.weights.bin']))),
      picked('model.weights.bin', new Uint8Array(FIXTURE_BYTES)),
    ];
    const model = await loadModel(files, { backend: 'cpu' });
    await assertFixtureWeights(model);
    model.dispose();
  });
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

// ---------------------------------------------------------------------------------------------

async function caught(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected an error');
}

describe('save() never writes what loadModel() refuses', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shadernet-names-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('random valid models: save → load gives the same model (and the same file again)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const model = randomModel(randomSource(seed));
      const artifact = await saveToMemory(model);
      const loaded = await loadModel(
        { modelJson: JSON.stringify(artifact.modelJson), weightData: artifact.weightData },
        { backend: 'cpu' },
      );
      const again = await serializeModel(loaded);
      assert.deepEqual(again.modelJson, artifact.modelJson, `seed ${seed}: the reloaded model saves the same model.json`);
      assert.deepEqual(new Uint8Array(again.weightData), new Uint8Array(artifact.weightData), `seed ${seed}: same weight bytes`);
      if (seed % 10 === 0) {
        const target = join(dir, `random-${seed}`);
        await model.save(`file://${target}`);
        const fromFile = await loadModel(`file://${target}`, { backend: 'cpu' });
        assert.deepEqual((await serializeModel(fromFile)).modelJson, artifact.modelJson, `seed ${seed}: file:// round trip`);
        fromFile.dispose();
      }
      model.dispose();
      loaded.dispose();
    }
  });

  const modelNamed = (modelName: unknown, layerName: unknown): Sequential => {
    const model = new Sequential({ backend: 'cpu', seed: 1, name: modelName as string });
    model.add(new Dense({ units: 3, activation: 'relu', inputDim: 2, name: layerName as string }));
    model.add(new Dense({ units: 1, activation: 'sigmoid', name: 'out' }));
    return model;
  };

  test('downloads://: a file name the loader could not read back is refused before anything downloads', async () => {
    const downloads: string[] = [];
    const page = {
      createElement: () => {
        const anchor = { download: '', href: '', click: () => downloads.push(anchor.download), remove: () => undefined };
        return anchor;
      },
      body: { appendChild: () => undefined },
    };
    const model = modelNamed('net', 'hidden');
    try {
      await withGlobal('document', page, async () => {
        for (const prefix of ['50%', 'model#2', 'what?', 'tab\there']) {
          await expectRejection(() => model.save(`downloads://${prefix}`), ValueError, /weights path/);
        }
        assert.deepEqual(downloads, []);
        await model.save('downloads://C:');
        assert.deepEqual(downloads, ['C:.json', 'C:.weights.bin']);
      });
    } finally {
      model.dispose();
    }
  });

  const REFUSED: readonly { readonly what: string; readonly modelName?: unknown; readonly layerName?: unknown }[] = [
    { what: 'a model name over the limit', modelName: 'm'.repeat(MODEL_LIMITS.nameLength + 1) },
    { what: 'a numeric model name', modelName: 42 },
    { what: 'an empty model name', modelName: '' },
    { what: 'a layer name over the limit', layerName: 'd'.repeat(MODEL_LIMITS.nameLength + 1) },
    { what: 'a layer name whose weight names pass the limit', layerName: 'd'.repeat(LONGEST_LAYER_NAME + 1) },
    { what: 'a numeric layer name', layerName: 7 },
    { what: 'an empty layer name', layerName: '' },
  ];

  for (const { what, modelName, layerName } of REFUSED) {
    test(`${what}: refused when the model is made, and by save before any I/O with the error loading such a file gives`, async () => {
      // The constructors check names with the loader's rule: such a model cannot be made.
      assert.throws(() => modelNamed(modelName ?? 'net', layerName ?? 'hidden'), ValueError);
      // A name changed after construction (bypassing that check) is refused by save.
      const target = join(dir, `refused-${what.replace(/\W+/g, '-')}`);
      const model = modelNamed('net', 'hidden');
      if (modelName !== undefined) Object.defineProperty(model, 'name', { value: modelName });
      const first = model.layers[0];
      if (layerName !== undefined && first) Object.defineProperty(first, 'name', { value: layerName });
      const saveError = await caught(() => model.save(`file://${target}`));
      await assert.rejects(access(target), 'nothing was written');
      model.dispose();

      // The same model with valid names, its file edited to hold the refused name.
      const template = modelNamed('net', 'hidden');
      const artifact = await serializeModel(template);
      template.dispose();
      const edited = clone(artifact.modelJson) as unknown as Json;
      if (modelName !== undefined) ((edited['modelTopology'] as Json)['config'] as Json)['name'] = modelName;
      if (layerName !== undefined) {
        configOf(edited, 0)['name'] = layerName;
        for (const weight of manifestWeights(edited)) weight['name'] = String(weight['name']).replace(/^hidden\//, `${String(layerName)}/`);
      }
      const loadError = await caught(() =>
        loadModel({ modelJson: JSON.stringify(edited), weightData: artifact.weightData }, { backend: 'cpu' }),
      );
      assert.ok(loadError instanceof ShadernetError, `load: ${String(loadError)}`);
      assert.equal(saveError.constructor as ErrorClass, loadError.constructor as ErrorClass, `save: ${String(saveError)}`);
      assert.equal(saveError.message, loadError.message);
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('file:// errors are typed and name the path', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shadernet-fs-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const smallModel = (): Sequential => {
    const model = new Sequential({ backend: 'cpu', seed: 1 });
    model.add(new Dense({ units: 1, inputDim: 2 }));
    return model;
  };

  test('saving onto an existing file, or below one', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const model = smallModel();
    try {
      await expectRejection(() => model.save(`file://${file}`), ValueError, new RegExp(`Cannot save to file://${file}: .*not a directory`));
      await expectRejection(() => model.save(`file://${join(file, 'sub')}`), ValueError, new RegExp(`file://${file}.*not a directory`));
    } finally {
      model.dispose();
    }
  });

  test('loading a weights path that is a folder or a FIFO (refused at once, not waited on)', async () => {
    const modelDir = join(dir, 'folder-weights');
    await mkdir(join(modelDir, 'model.weights.bin'), { recursive: true });
    await writeFile(join(modelDir, 'model.json'), JSON.stringify(json));
    await expectRejection(() => loadModel(`file://${modelDir}`, { backend: 'cpu' }), ValueError, /model.weights.bin.*not a regular file/);
    if (process.platform === 'win32') return;
    await rm(join(modelDir, 'model.weights.bin'), { recursive: true });
    execFileSync('mkfifo', [join(modelDir, 'model.weights.bin')]);
    await expectRejection(() => loadModel(`file://${modelDir}`, { backend: 'cpu' }), ValueError, /model.weights.bin.*not a regular file/);
  });
});
