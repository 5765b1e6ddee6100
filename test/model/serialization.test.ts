import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ShapeError, StateError, UnsupportedError, ValueError } from '../../src/errors.js';
import { INITIALIZERS } from '../../src/model/initializers.js';
import { Dense } from '../../src/model/layers.js';
import { BinaryCrossentropy } from '../../src/model/losses.js';
import { Adam } from '../../src/model/optimizers.js';
import { Sequential } from '../../src/model/sequential.js';
import {
  deserializeModel,
  loadModel,
  MODEL_LIMITS,
  saveModel,
  serializeModel,
  SHADERNET_VERSION,
  type ModelArtifact,
  type SaveResult,
} from '../../src/model/serialization.js';
import { makeCircles } from '../../src/data/index.js';
import { useGpu } from '../helpers/gpu.js';
import {
  B0,
  B1,
  clone,
  configOf,
  expectError,
  expectRejection,
  f32Bytes,
  fixture,
  FIXTURE_BYTES,
  layersOf,
  manifestWeights,
  W0,
  W1,
  withGlobal,
  type Json,
} from '../helpers/model-files.js';

/** The Dense layers of a model (its layers list also holds Dropouts). */
const denseLayers = (model: Sequential): Dense[] => model.layers.filter((l): l is Dense => l instanceof Dense);

const gpu = useGpu();

// ---------------------------------------------------------------------------------------------
// Helpers

const bits = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);

function assertBitwiseEqual(actual: readonly Float32Array[], expected: readonly Float32Array[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: array count`);
  actual.forEach((a, i) => assert.deepEqual(bits(a), bits(expected[i]!), `${what} ${i} differs bitwise`));
}

// The float64 forward pass of the hand-written fixtures (2 → 4 → 1).
const INPUTS = [
  [0, 0],
  [1, 2],
  [-1.5, 0.5],
  [0.3, -0.7],
  [2, -2],
];

function reference(hidden: (z: number) => number, x: readonly number[]): number {
  let out = B1[0]!;
  for (let j = 0; j < 4; j++) {
    const z = x[0]! * W0[j]! + x[1]! * W0[4 + j]! + B0[j]!;
    out += hidden(z) * W1[j]!;
  }
  return 1 / (1 + Math.exp(-out));
}

async function expectFixturePredictions(model: Sequential, hidden: (z: number) => number): Promise<void> {
  const predictions = await model.predict(INPUTS);
  INPUTS.forEach((x, i) => {
    const expected = reference(hidden, x);
    assert.ok(Math.abs(predictions[i]! - expected) <= 1e-5, `prediction ${i}: ${predictions[i]} vs ${expected}`);
  });
}

const relu = (z: number): number => Math.max(0, z);

function circlesModel(seed: number): Sequential {
  const model = new Sequential({ gpu: gpu(), seed, name: 'circles_net' });
  model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 8, activation: 'tanh', kernelInitializer: 'heNormal', biasInitializer: 'ones' }));
  model.add(new Dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'lecunUniform' }));
  return model;
}

const circles = makeCircles({ nSamples: 300, factor: 0.3, noise: 0.05, randomState: 3 });
const circlesX = { data: circles.x, shape: [300, 2] as [number, number] };

async function trainedModel(): Promise<Sequential> {
  const model = circlesModel(7);
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  await model.fit(circlesX, circles.y, { epochs: 3, batchSize: 32, verbose: 0, seed: 1 });
  return model;
}

// ---------------------------------------------------------------------------------------------

describe('serializeModel / deserializeModel', () => {
  test('a trained model round-trips with bitwise-identical weights and predictions', async () => {
    const model = await trainedModel();
    const artifact = await serializeModel(model);
    const loaded = deserializeModel(artifact.modelJson, artifact.weightData, { gpu: gpu() });
    try {
      assert.equal(loaded.name, 'circles_net');
      assert.deepEqual(
        denseLayers(loaded).map((l) => [l.name, l.units, l.activation, l.useBias, l.kernelInitializer, l.biasInitializer]),
        denseLayers(model).map((l) => [l.name, l.units, l.activation, l.useBias, l.kernelInitializer, l.biasInitializer]),
      );
      assertBitwiseEqual(await loaded.getWeights(), await model.getWeights(), 'weight');
      assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions');
      // The JSON text form (what a file holds) gives the same model.
      const fromText = deserializeModel(JSON.stringify(artifact.modelJson), new Uint8Array(artifact.weightData), { gpu: gpu() });
      assertBitwiseEqual([await fromText.predict(circlesX)], [await model.predict(circlesX)], 'predictions from JSON text');
      fromText.dispose();
    } finally {
      model.dispose();
      loaded.dispose();
    }
  });

  test('weights are little-endian float32, row-major, in manifest order', async () => {
    const model = circlesModel(3);
    try {
      const artifact = await serializeModel(model);
      const weights = await model.getWeights();
      assert.equal(artifact.weightData.byteLength, 4 * model.countParams());
      const view = new DataView(artifact.weightData);
      let offset = 0;
      for (const w of weights) {
        for (let i = 0; i < w.length; i++, offset += 4) assert.equal(view.getFloat32(offset, true), w[i]);
      }
      assert.deepEqual(
        artifact.modelJson.weightsManifest[0]!.weights.map((w) => `${w.name} ${w.shape.join('x')}`),
        ['dense/kernel 2x8', 'dense/bias 8', 'dense_1/kernel 8x8', 'dense_1/bias 8', 'dense_2/kernel 8x1', 'dense_2/bias 1'],
      );
    } finally {
      model.dispose();
    }
  });

  test('every initializer and use_bias: false survive the round trip', async () => {
    const model = new Sequential({ gpu: gpu(), seed: 5 });
    INITIALIZERS.forEach((init, i) =>
      model.add(
        new Dense({
          units: 3,
          kernelInitializer: init,
          biasInitializer: INITIALIZERS[(i + 3) % INITIALIZERS.length]!,
          useBias: i % 3 !== 1,
          ...(i === 0 ? { inputDim: 4 } : {}),
        }),
      ),
    );
    const artifact = await serializeModel(model);
    const loaded = deserializeModel(artifact.modelJson, artifact.weightData, { gpu: gpu() });
    try {
      assert.deepEqual(
        denseLayers(loaded).map((l) => [l.kernelInitializer, l.biasInitializer, l.useBias]),
        denseLayers(model).map((l) => [l.kernelInitializer, l.biasInitializer, l.useBias]),
      );
      assertBitwiseEqual(await loaded.getWeights(), await model.getWeights(), 'weight');
    } finally {
      model.dispose();
      loaded.dispose();
    }
  });

  test('unsaveable models: input size unknown (StateError: model not built), no layers, duplicate names', async () => {
    const model = new Sequential({ gpu: gpu() });
    model.add(new Dense({ units: 2 }));
    try {
      await expectRejection(() => serializeModel(model), StateError, /model not built/);
      await expectRejection(() => serializeModel(new Sequential({ gpu: gpu() })), StateError, /no layers/);
      const twins = new Sequential({ gpu: gpu() });
      twins.add(new Dense({ units: 2, inputDim: 2, name: 'same' }));
      twins.add(new Dense({ units: 1, name: 'same' }));
      await expectRejection(() => serializeModel(twins), ValueError, /two layers are named 'same'/);
    } finally {
      model.dispose();
    }
  });

  test('a model built by fit (no inputDim on its first layer) saves its inferred input size', async () => {
    const model = new Sequential({ gpu: gpu(), seed: 2 });
    model.add(new Dense({ units: 3, activation: 'relu' }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    await model.fit(circlesX, circles.y, { epochs: 1, verbose: 0, seed: 1 });
    try {
      const artifact = await serializeModel(model);
      assert.deepEqual(artifact.modelJson.modelTopology.config.layers[0]!.config.batch_input_shape, [null, 2]);
    } finally {
      model.dispose();
    }
  });
});

describe('the exported model.json (Keras-2 flavour, as tfjs-layers 4.22 loads it)', () => {
  // The model.json keras-semantics.md §7 verified to load in tfjs 4.22.0.
  const VERIFIED_MINIMAL: Json = {
    format: 'layers-model',
    generatedBy: 'my-engine',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          {
            class_name: 'Dense',
            config: {
              name: 'dense',
              units: 4,
              activation: 'relu',
              use_bias: true,
              batch_input_shape: [null, 2],
              dtype: 'float32',
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
              bias_initializer: { class_name: 'Zeros', config: {} },
            },
          },
          { class_name: 'Dense', config: { name: 'dense_1', units: 1, activation: 'sigmoid' } },
        ],
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: ['model.weights.bin'],
        weights: [
          { name: 'dense/kernel', shape: [2, 4], dtype: 'float32' },
          { name: 'dense/bias', shape: [4], dtype: 'float32' },
          { name: 'dense_1/kernel', shape: [4, 1], dtype: 'float32' },
          { name: 'dense_1/bias', shape: [1], dtype: 'float32' },
        ],
      },
    ],
  };

  /** Every key of `reference` exists in `actual` with a value of the same JSON type (arrays: element-wise). */
  function assertSuperset(actual: unknown, reference: unknown, path: string): void {
    const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
    assert.equal(kind(actual), kind(reference), `${path}: type`);
    if (Array.isArray(reference)) {
      assert.equal((actual as unknown[]).length, reference.length, `${path}: length`);
      reference.forEach((r, i) => assertSuperset((actual as unknown[])[i], r, `${path}[${i}]`));
    } else if (kind(reference) === 'object') {
      for (const [key, value] of Object.entries(reference as Json)) assertSuperset((actual as Json)[key], value, `${path}.${key}`);
    }
  }

  // Initializer classes tfjs-layers 4.22 registers (LeCunUniform's class registers as 'LeCunNormal').
  const TFJS_INITIALIZERS = new Set([
    'Zeros',
    'Ones',
    'Constant',
    'RandomUniform',
    'RandomNormal',
    'TruncatedNormal',
    'VarianceScaling',
    'GlorotUniform',
    'GlorotNormal',
    'HeNormal',
    'HeUniform',
    'LeCunNormal',
    'Orthogonal',
    'Identity',
  ]);

  function keysDeep(value: unknown, out: Set<string> = new Set()): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => keysDeep(v, out));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        out.add(k);
        keysDeep(v, out);
      }
    }
    return out;
  }

  test('fields, and the structure of the verified TF.js model.json', async () => {
    const model = new Sequential({ gpu: gpu(), seed: 1 });
    model.add(new Dense({ units: 4, activation: 'relu', inputDim: 2 }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    try {
      const { modelJson, weightData } = await serializeModel(model);
      const json = JSON.parse(JSON.stringify(modelJson)) as Json;
      assertSuperset(json, VERIFIED_MINIMAL, 'model.json');
      assert.equal(json['format'], 'layers-model');
      assert.equal(json['generatedBy'], `shadernet ${SHADERNET_VERSION}`);
      assert.equal(json['convertedBy'], null);
      assert.equal('trainingConfig' in json, false, 'an uncompiled model has no trainingConfig');
      const topology = json['modelTopology'] as Json;
      assert.equal(topology['class_name'], 'Sequential');
      assert.equal(typeof topology['keras_version'], 'string');
      assert.equal(typeof topology['backend'], 'string');
      const [first, second] = [configOf(json, 0), configOf(json, 1)];
      assert.deepEqual(first['batch_input_shape'], [null, 2]);
      assert.equal(first['dtype'], 'float32');
      assert.deepEqual(first['kernel_initializer'], { class_name: 'GlorotUniform', config: { seed: null } });
      assert.deepEqual(first['bias_initializer'], { class_name: 'Zeros', config: {} });
      assert.equal(first['trainable'], true);
      for (const key of ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'])
        assert.equal(first[key], null, key);
      assert.equal('batch_input_shape' in second, false, 'only the first layer declares the input');
      assert.deepEqual((json['weightsManifest'] as Json[])[0]!['paths'], ['model.weights.bin']);
      assert.equal(weightData.byteLength, 17 * 4);
      // What tfjs-layers 4.22 rejects or cannot parse is absent everywhere.
      const keys = keysDeep(json);
      for (const key of ['batch_shape', 'model_config', 'module', 'registered_name', 'build_config'])
        assert.equal(keys.has(key), false, key);
    } finally {
      model.dispose();
    }
  });

  test('initializers are classes TF.js registers; dtypes are strings; training config is TF.js schema', async () => {
    const model = new Sequential({ gpu: gpu(), seed: 1 });
    INITIALIZERS.forEach((init, i) =>
      model.add(
        new Dense({
          units: i === INITIALIZERS.length - 1 ? 1 : 2,
          kernelInitializer: init,
          biasInitializer: init,
          ...(i === 0 ? { inputDim: 3 } : {}),
        }),
      ),
    );
    model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    try {
      const { modelJson } = await serializeModel(model);
      const json = JSON.parse(JSON.stringify(modelJson)) as Json;
      for (const layer of layersOf(json)) {
        const config = layer['config'] as Json;
        assert.equal(config['dtype'], 'float32');
        for (const key of ['kernel_initializer', 'bias_initializer']) {
          const init = config[key] as Json;
          assert.ok(TFJS_INITIALIZERS.has(init['class_name'] as string), `${String(init['class_name'])} is not a TF.js initializer class`);
          if (init['class_name'] === 'VarianceScaling') {
            const c = init['config'] as Json;
            assert.ok(['fan_in', 'fan_out', 'fan_avg'].includes(c['mode'] as string));
            assert.ok(['normal', 'uniform'].includes(c['distribution'] as string));
          }
        }
      }
      assert.deepEqual(json['trainingConfig'], {
        loss: 'binary_crossentropy',
        metrics: ['accuracy'],
        optimizer_config: { class_name: 'Adam', config: { learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
      });
    } finally {
      model.dispose();
    }
  });
});

describe('importing TF.js and Keras files', () => {
  test('a TF.js 4.22 model.json (VarianceScaling, dense_Dense1 names, ./model.weights.bin)', async () => {
    const json = await fixture('tfjs-4.22-dense.json');
    const model = deserializeModel(json, FIXTURE_BYTES, { gpu: gpu() });
    try {
      assert.equal(model.name, 'sequential_1');
      assert.deepEqual(
        denseLayers(model).map((l) => [l.name, l.units, l.activation, l.kernelInitializer]),
        [
          ['dense_Dense1', 4, 'relu', 'glorotNormal'],
          ['dense_Dense2', 1, 'sigmoid', 'glorotNormal'],
        ],
      );
      assert.equal(model.optimizer, undefined, 'no training config, not compiled');
      await expectFixturePredictions(model, relu);
      // Re-export keeps TF.js's names.
      const again = await serializeModel(model);
      assert.deepEqual(
        again.weightSpecs.map((w) => w.name),
        ['dense_Dense1/kernel', 'dense_Dense1/bias', 'dense_Dense2/kernel', 'dense_Dense2/bias'],
      );
    } finally {
      model.dispose();
    }
  });

  test('TF.js: an explicit InputLayer, weights matched by name in any order, optimizer weights skipped, trainingConfig compiled', async () => {
    const json = await fixture('tfjs-4.22-dense.json');
    const layers = layersOf(json);
    delete (layers[0]!['config'] as Json)['batch_input_shape'];
    layers.unshift({ class_name: 'InputLayer', config: { batch_input_shape: [null, 2], dtype: 'float32', sparse: false, name: 'input1' } });
    // Manifest order: biases first; TF.js's includeOptimizer appends Adam's weights (group: optimizer).
    const group = (json['weightsManifest'] as Json[])[0]!;
    const [k0, b0, k1, b1] = group['weights'] as Json[];
    group['weights'] = [
      b0,
      b1,
      k0,
      k1,
      { name: 'iter', shape: [], dtype: 'float32', group: 'optimizer' },
      { name: 'dense_Dense1/kernel/m', shape: [2, 4], dtype: 'float32', group: 'optimizer' },
    ];
    json['trainingConfig'] = {
      loss: 'binary_crossentropy',
      metrics: ['acc'],
      optimizer_config: { class_name: 'Adam', config: { learningRate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: null } },
    };
    const bytes = f32Bytes(B0, B1, W0, W1, [12], [9, 9, 9, 9, 9, 9, 9, Number.NaN]);
    const model = deserializeModel(json, bytes, { gpu: gpu() });
    try {
      await expectFixturePredictions(model, relu);
      assert.deepEqual(model.optimizer?.hyperparameters, { name: 'adam', learningRate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 });
      const history = await model.fit(INPUTS, [0, 1, 1, 0, 1], { epochs: 1, verbose: 0 });
      assert.ok(Number.isFinite(history.history['acc']![0]!), "compiled with the file's metric name");
    } finally {
      model.dispose();
    }
  });

  test('a Keras 3 model converted to TF.js (model_config wrapper, batch_shape, DTypePolicy, h5-path weight names)', async () => {
    const json = await fixture('keras3-converted.json');
    const model = deserializeModel(json, FIXTURE_BYTES, { gpu: gpu() });
    try {
      assert.deepEqual(
        denseLayers(model).map((l) => [l.name, l.units, l.activation, l.kernelInitializer]),
        [
          ['dense', 4, 'tanh', 'heNormal'],
          ['dense_1', 1, 'sigmoid', 'glorotUniform'],
        ],
      );
      await expectFixturePredictions(model, Math.tanh);
      assert.equal(model.optimizer?.learningRate, 0.004999999888241291);
      assert.ok('accuracy' in (await model.evaluate(INPUTS, [0, 1, 1, 0, 1])), 'compiled with metrics [["accuracy"]]');
    } finally {
      model.dispose();
    }
  });

  test('an unsupported training config fails clearly; { compile: false } loads the model anyway', async () => {
    const json = await fixture('tfjs-4.22-dense.json');
    json['trainingConfig'] = { loss: 'hinge', metrics: [], optimizer_config: { class_name: 'SGD', config: { learningRate: 0.1 } } };
    expectError(() => deserializeModel(json, FIXTURE_BYTES, { gpu: gpu() }), UnsupportedError, /hinge.*compile: false/);
    // A supported loss that does not suit the output layer (1 unit) is refused before building.
    json['trainingConfig'] = { loss: 'categorical_crossentropy', metrics: [], optimizer_config: { class_name: 'Adam', config: {} } };
    expectError(() => deserializeModel(json, FIXTURE_BYTES, { gpu: gpu() }), UnsupportedError, /at least 2 units.*compile: false/);
    json['trainingConfig'] = { loss: 'binary_crossentropy', optimizer_config: { class_name: 'Adadelta', config: { learningRate: 0.1 } } };
    expectError(
      () => deserializeModel(json, FIXTURE_BYTES, { gpu: gpu() }),
      UnsupportedError,
      /Adadelta.*SGD, RMSprop, Adagrad, Adam or AdamW/,
    );
    const model = deserializeModel(json, FIXTURE_BYTES, { gpu: gpu(), compile: false });
    try {
      assert.equal(model.optimizer, undefined);
      await expectFixturePredictions(model, relu);
    } finally {
      model.dispose();
    }
  });
});

describe('training config round trip', () => {
  test('optimizer hyperparameters, loss (fromLogits) and metrics are restored', async () => {
    const model = new Sequential({ gpu: gpu(), seed: 9 });
    model.add(new Dense({ units: 6, activation: 'tanh', inputDim: 2 }));
    model.add(new Dense({ units: 1 }));
    model.compile({
      optimizer: new Adam({ learningRate: 0.0123, beta1: 0.85, beta2: 0.995, epsilon: 1e-6 }),
      loss: new BinaryCrossentropy({ fromLogits: true }),
      metrics: ['acc'],
    });
    await model.fit(circlesX, circles.y, { epochs: 1, verbose: 0, seed: 3 });
    const artifact = await serializeModel(model);
    assert.deepEqual(artifact.userDefinedMetadata, { shadernet: { fromLogits: true } });
    const loaded = deserializeModel(JSON.parse(JSON.stringify(artifact.modelJson)), artifact.weightData, { gpu: gpu() });
    try {
      assert.deepEqual(loaded.optimizer?.hyperparameters, { name: 'adam', learningRate: 0.0123, beta1: 0.85, beta2: 0.995, epsilon: 1e-6 });
      // Same weights and the same (logits) loss form: the same evaluation, to the bit.
      const [before, after] = [await model.evaluate(circlesX, circles.y), await loaded.evaluate(circlesX, circles.y)];
      assert.deepEqual(after, before);
      assert.deepEqual(Object.keys(after).sort(), ['acc', 'loss']);
      const history = await loaded.fit(circlesX, circles.y, { epochs: 1, verbose: 0, seed: 3 });
      assert.ok(Number.isFinite(history.history['loss']![0]!));
      const uncompiled = await serializeModel(model, { includeTrainingConfig: false });
      assert.equal(uncompiled.modelJson.trainingConfig, undefined);
    } finally {
      model.dispose();
      loaded.dispose();
    }
  });
});

describe('invalid and hostile files give typed errors naming the problem', () => {
  let json: Json;
  before(async () => {
    json = await fixture('tfjs-4.22-dense.json');
  });
  const load = (j: unknown, bytes: ArrayBuffer = FIXTURE_BYTES): Sequential => deserializeModel(j, bytes, { gpu: gpu() });
  const withLayer = (index: number, patch: Json): Json => {
    const j = clone(json);
    Object.assign(configOf(j, index), patch);
    return j;
  };

  test('weight data: truncated, extra bytes', () => {
    expectError(() => load(json, FIXTURE_BYTES.slice(0, 60)), ShapeError, /truncated: it has 60 bytes, the weights manifest declares 68/);
    expectError(() => load(json, f32Bytes(W0, B0, W1, B1, [0])), ShapeError, /4 extra bytes/);
    expectError(() => load(json, new ArrayBuffer(0)), ShapeError, /truncated/);
  });

  test('weights: wrong count, wrong shape, NaN and infinite values', () => {
    const fewer = clone(json);
    manifestWeights(fewer).pop();
    expectError(() => load(fewer, f32Bytes(W0, B0, W1)), ShapeError, /Wrong weight count: the model needs 4 weight arrays .* lists 3/);
    const more = clone(json);
    manifestWeights(more).push({ name: 'extra/kernel', shape: [1], dtype: 'float32' });
    expectError(() => load(more, f32Bytes(W0, B0, W1, B1, [1])), ShapeError, /needs 4 weight arrays .* lists 5/);
    const shape = clone(json);
    manifestWeights(shape)[0]!['shape'] = [4, 2];
    expectError(() => load(shape), ShapeError, /Weight 'dense_Dense1\/kernel' has shape \[4, 2\], but the model needs \[2, 4\]/);
    const layerShape = withLayer(0, { units: 5 });
    expectError(() => load(layerShape), ShapeError, /needs \[2, 5\]/);
    expectError(
      () => load(json, f32Bytes(W0, [0.1, Number.NaN, 0, 0.2], W1, B1)),
      ValueError,
      /Weight 'dense_Dense1\/bias' holds a non-finite value \(NaN\) at index 1/,
    );
    expectError(() => load(json, f32Bytes(W0, B0, W1, [Number.POSITIVE_INFINITY])), ValueError, /dense_Dense2\/bias.*Infinity/);
    const int = clone(json);
    manifestWeights(int)[1]!['dtype'] = 'int32';
    expectError(() => load(int), UnsupportedError, /dtype 'int32'/);
  });

  test('unknown layers, activations and options', () => {
    const conv = clone(json);
    layersOf(conv).splice(1, 0, { class_name: 'Conv2D', config: { name: 'conv2d', filters: 8, kernel_size: [3, 3] } });
    expectError(() => load(conv), UnsupportedError, /Layer 1 'conv2d' \(Conv2D\): layer type 'Conv2D' is not supported/);
    // Dropout loads now (test/model/dropout-regularizer.test.ts); a noise_shape still does not.
    const dropout = clone(json);
    layersOf(dropout).splice(1, 0, { class_name: 'Dropout', config: { name: 'dropout_1', rate: 0.5, noise_shape: [1, 4] } });
    expectError(() => load(dropout), UnsupportedError, /'dropout_1' \(Dropout\): noise_shape/);
    expectError(
      () => load(withLayer(1, { activation: 'hard_sigmoid' })),
      UnsupportedError,
      /'dense_Dense2' \(Dense\): activation 'hard_sigmoid' is not supported/,
    );
    expectError(() => load(withLayer(0, { activation: 'softmax' })), ValueError, /softmax is only supported on the output layer/);
    expectError(
      () => load(withLayer(0, { bias_regularizer: { class_name: 'L2', config: { l2: 0.01 } } })),
      UnsupportedError,
      /dense_Dense1.*bias_regularizer/,
    );
    expectError(() => load(withLayer(0, { dtype: 'float16' })), UnsupportedError, /dtype "float16"/);
    expectError(() => load(withLayer(0, { batch_input_shape: [null, 28, 28] })), UnsupportedError, /3 dimensions/);
    expectError(() => load(withLayer(1, { name: 'dense_Dense1' })), ValueError, /'dense_Dense1' is used by two layers/);
    const functional = clone(json);
    (functional['modelTopology'] as Json)['class_name'] = 'Functional';
    expectError(() => load(functional), UnsupportedError, /'Functional'; shadernet loads Sequential models only/);
    const noInput = withLayer(0, {});
    delete configOf(noInput, 0)['batch_input_shape'];
    expectError(() => load(noInput), ShapeError, /input size is unknown/);
  });

  test('not JSON, wrong format, missing parts', () => {
    expectError(() => load('{"format": "layers-model", '), ValueError, /model.json is not valid JSON/);
    expectError(() => load('[1, 2]'), ValueError, /model.json must be an object/);
    expectError(
      () => load({ ...json, format: 'graph-model' }),
      ValueError,
      /Wrong format: expected 'layers-model', got "graph-model" \(a TF.js graph model/,
    );
    expectError(() => load({ ...json, format: 42 }), ValueError, /Wrong format/);
    expectError(() => load({ ...json, modelTopology: undefined }), ValueError, /no modelTopology/);
    expectError(() => load({ ...json, weightsManifest: {} }), ValueError, /weightsManifest must be an array/);
    expectError(() => deserializeModel(json, 'bytes' as unknown as ArrayBuffer), ValueError, /weight data must be an ArrayBuffer/);
  });

  test('oversized declarations are refused before anything is allocated', () => {
    expectError(() => load(withLayer(0, { units: 100_000 })), ValueError, /units is 100000, over the limit of 65,536/);
    expectError(() => load(withLayer(0, { batch_input_shape: [null, 70_000] })), ValueError, /input features\) is 70000, over the limit/);
    const many = clone(json);
    const layers = layersOf(many);
    for (let i = 0; i < MODEL_LIMITS.layers; i++) layers.push({ class_name: 'Dense', config: { name: `d${i}`, units: 1 } });
    expectError(() => load(many), ValueError, /declares 1002 layers, over the limit of 1000/);
    // 40,000 × 40,000 float32 = 6.4 GB of parameters, declared in a few bytes of JSON.
    const huge = withLayer(0, { units: 40_000, batch_input_shape: [null, 40_000] });
    expectError(() => load(huge), ValueError, /parameters .* over the limit of 536870912 bytes/);
    const bigSpec = clone(json);
    manifestWeights(bigSpec).push({ name: 'huge', shape: [100_000, 100_000], dtype: 'float32', group: 'optimizer' });
    expectError(() => load(bigSpec), ValueError, /more than 512 MiB of weight data/);
    expectError(() => load(' '.repeat(MODEL_LIMITS.modelJsonBytes + 1)), ValueError, /over the limit of 10485760/);
  });

  test('a failed load leaves no model behind (no GPU buffer created)', () => {
    const ctx = gpu();
    const before = ctx.memory();
    for (let i = 0; i < 5; i++) expectError(() => load(json, FIXTURE_BYTES.slice(4)), ShapeError, /truncated/);
    assert.deepEqual(ctx.memory(), before);
  });
});

test('a model saved from the GPU loads onto the CPU backend (backend option) with the same predictions', async () => {
  const model = await trainedModel();
  try {
    const artifact = await serializeModel(model);
    const onCpu = deserializeModel(artifact.modelJson, artifact.weightData, { backend: 'cpu' });
    const predictions = await onCpu.predict(circlesX);
    assert.equal(onCpu.backend, 'cpu');
    const expected = await model.predict(circlesX);
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(predictions[i]! - expected[i]!) < 1e-5, `row ${i}`);
    onCpu.dispose();
  } finally {
    model.dispose();
  }
});

test('SHADERNET_VERSION (written into artifacts) equals package.json version', async () => {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  assert.equal(SHADERNET_VERSION, pkg.version);
});

describe('file:// (Node)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shadernet-save-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('saves model.json + model.weights.bin and loads them back (file or directory path)', async () => {
    const model = await trainedModel();
    try {
      const target = join(dir, 'nested', 'circles');
      const result = await saveModel(model, `file://${target}`);
      assert.deepEqual((await readdir(target)).sort(), ['model.json', 'model.weights.bin']);
      assert.deepEqual(result.files, [join(target, 'model.json'), join(target, 'model.weights.bin')]);
      assert.equal(result.modelArtifactsInfo.weightDataBytes, 4 * model.countParams());
      const onDisk = JSON.parse(await readFile(join(target, 'model.json'), 'utf8')) as Json;
      assert.deepEqual((onDisk['weightsManifest'] as Json[])[0]!['paths'], ['model.weights.bin']);
      const expected = await model.predict(circlesX);
      for (const source of [`file://${join(target, 'model.json')}`, `file://${target}`]) {
        const loaded = await loadModel(source, { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [expected], `predictions from ${source}`);
        assert.equal(loaded.optimizer?.learningRate, 0.01);
        loaded.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  test('model.save() is saveModel(): the public method writes the same artifact', async () => {
    const model = await trainedModel();
    try {
      const target = join(dir, 'via-method');
      await model.save(`file://${target}`);
      const loaded = await loadModel(`file://${target}`, { gpu: gpu() });
      assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions after model.save');
      loaded.dispose();
    } finally {
      model.dispose();
    }
  });

  test('TF.js-converter shards are concatenated; missing files and escaping paths are refused', async () => {
    const json = await fixture('tfjs-4.22-dense.json');
    const sharded = clone(json);
    (sharded['weightsManifest'] as Json[])[0]!['paths'] = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    const shardDir = join(dir, 'sharded');
    await rm(shardDir, { recursive: true, force: true });
    await mkdir(shardDir);
    await writeFile(join(shardDir, 'model.json'), JSON.stringify(sharded));
    await writeFile(join(shardDir, 'group1-shard1of2.bin'), new Uint8Array(FIXTURE_BYTES.slice(0, 40)));
    await writeFile(join(shardDir, 'group1-shard2of2.bin'), new Uint8Array(FIXTURE_BYTES.slice(40)));
    const model = await loadModel(`file://${shardDir}/model.json`, { gpu: gpu() });
    await expectFixturePredictions(model, relu);
    model.dispose();

    await rm(join(shardDir, 'group1-shard2of2.bin'));
    await expectRejection(() => loadModel(`file://${shardDir}`, { gpu: gpu() }), ValueError, /group1-shard2of2.bin.*not found/);
    const escaping = clone(json);
    (escaping['weightsManifest'] as Json[])[0]!['paths'] = ['../secret.bin'];
    await writeFile(join(shardDir, 'model.json'), JSON.stringify(escaping));
    await expectRejection(() => loadModel(`file://${shardDir}`, { gpu: gpu() }), ValueError, /'..\/secret.bin'.*without '..'/);
    await expectRejection(() => loadModel(`file://${join(dir, 'absent')}`, { gpu: gpu() }), ValueError, /absent: not found/);
    await writeFile(join(shardDir, 'model.json'), 'not json');
    await expectRejection(() => loadModel(`file://${shardDir}`, { gpu: gpu() }), ValueError, /not valid JSON/);
  });
});

describe('http(s) URLs', () => {
  let server: Server;
  let origin: string;
  const files = new Map<string, Uint8Array | string>();
  before(async () => {
    server = createServer((request, response) => {
      const body = files.get(request.url ?? '');
      if (body === undefined) {
        response.writeHead(404, 'Not Found').end();
        return;
      }
      response.writeHead(200, { 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('model.json by URL, weights fetched relative to it', async () => {
    const json = await fixture('tfjs-4.22-dense.json');
    files.set('/models/net/model.json', JSON.stringify(json));
    files.set('/models/net/model.weights.bin', new Uint8Array(FIXTURE_BYTES));
    const model = await loadModel(`${origin}/models/net/model.json`, { gpu: gpu() });
    await expectFixturePredictions(model, relu);
    model.dispose();
    await expectRejection(() => loadModel(`${origin}/models/none/model.json`, { gpu: gpu() }), ValueError, /HTTP 404/);
    const foreign = clone(json);
    (foreign['weightsManifest'] as Json[])[0]!['paths'] = ['https://elsewhere.example/w.bin'];
    files.set('/models/foreign/model.json', JSON.stringify(foreign));
    await expectRejection(() => loadModel(`${origin}/models/foreign/model.json`, { gpu: gpu() }), ValueError, /another origin/);
    files.set('/models/big/model.json', ' '.repeat(MODEL_LIMITS.modelJsonBytes + 10));
    await expectRejection(
      () => loadModel(`${origin}/models/big/model.json`, { gpu: gpu() }),
      ValueError,
      /over the limit of 10485760 bytes/,
    );
  });
});

describe('browser handlers', () => {
  test('in Node they refuse with an UnsupportedError', async () => {
    const model = new Sequential({ gpu: gpu(), seed: 1 });
    model.add(new Dense({ units: 1, inputDim: 2 }));
    try {
      await expectRejection(() => saveModel(model, 'localstorage://m'), UnsupportedError, /localStorage/);
      await expectRejection(() => saveModel(model, 'indexeddb://m'), UnsupportedError, /IndexedDB/);
      await expectRejection(() => saveModel(model, 'downloads://m'), UnsupportedError, /browser page/);
      await expectRejection(() => loadModel('localstorage://m'), UnsupportedError, /localStorage/);
      await expectRejection(() => loadModel('indexeddb://m'), UnsupportedError, /IndexedDB/);
      await expectRejection(() => saveModel(model, 'https://example.com/upload'), UnsupportedError, /SaveHandler/);
      await expectRejection(() => saveModel(model, 'ftp://x'), ValueError, /Unknown save destination/);
      await expectRejection(() => loadModel('model.json'), ValueError, /Unknown model source/);
    } finally {
      model.dispose();
    }
  });

  class MemoryStorage {
    readonly items = new Map<string, string>();
    quota = Number.POSITIVE_INFINITY;
    get length(): number {
      return this.items.size;
    }
    key(i: number): string | null {
      return [...this.items.keys()][i] ?? null;
    }
    getItem(k: string): string | null {
      return this.items.get(k) ?? null;
    }
    setItem(k: string, v: string): void {
      if (v.length > this.quota) throw new Error('QuotaExceededError');
      this.items.set(k, String(v));
    }
    removeItem(k: string): void {
      this.items.delete(k);
    }
    clear(): void {
      this.items.clear();
    }
  }

  test("localstorage:// round trip in TF.js's key layout; quota errors clean up", async () => {
    const storage = new MemoryStorage();
    const model = await trainedModel();
    try {
      await withGlobal('localStorage', storage, async () => {
        await saveModel(model, 'localstorage://demo/circles');
        assert.deepEqual([...storage.items.keys()].sort(), [
          'tensorflowjs_models/demo/circles/info',
          'tensorflowjs_models/demo/circles/model_metadata',
          'tensorflowjs_models/demo/circles/model_topology',
          'tensorflowjs_models/demo/circles/weight_data',
          'tensorflowjs_models/demo/circles/weight_specs',
        ]);
        const loaded = await loadModel('localstorage://demo/circles', { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions');
        assert.equal(loaded.optimizer?.learningRate, 0.01);
        loaded.dispose();
        await expectRejection(
          () => loadModel('localstorage://nothing', { gpu: gpu() }),
          ValueError,
          /no model at localstorage:\/\/nothing/,
        );
        storage.setItem('tensorflowjs_models/demo/circles/weight_data', '!!!');
        await expectRejection(() => loadModel('localstorage://demo/circles', { gpu: gpu() }), ValueError, /not valid base64/);
        storage.clear();
        storage.quota = 100;
        await expectRejection(() => saveModel(model, 'localstorage://big'), UnsupportedError, /use indexeddb:\/\/big/);
        assert.equal(storage.length, 0, 'a failed save leaves nothing behind');
      });
    } finally {
      model.dispose();
    }
  });

  test('indexeddb:// round trip (a minimal in-memory IndexedDB)', async () => {
    const model = await trainedModel();
    const databases = new Map<string, Map<string, Map<unknown, unknown>>>();
    const later = (f: () => void): void => void setTimeout(f, 0);
    const factory = {
      open(name: string) {
        const request: Record<string, unknown> = { result: undefined, error: null };
        later(() => {
          const fresh = !databases.has(name);
          const stores = databases.get(name) ?? new Map<string, Map<unknown, unknown>>();
          databases.set(name, stores);
          const keyPaths = new Map<string, string>();
          const db = {
            objectStoreNames: { contains: (s: string) => stores.has(s) },
            createObjectStore: (s: string, options: { keyPath: string }) => {
              stores.set(s, new Map());
              keyPaths.set(s, options.keyPath);
            },
            transaction: () => {
              const tx: Record<string, unknown> = { error: null };
              later(() => (tx['oncomplete'] as () => void)());
              tx['objectStore'] = (s: string) => ({
                put: (value: Record<string, unknown>) => stores.get(s)!.set(value[keyPaths.get(s) ?? 'modelPath'], structuredClone(value)),
                get: (key: unknown) => ({ result: structuredClone(stores.get(s)!.get(key)) }),
              });
              return tx;
            },
            close: () => undefined,
          };
          for (const s of stores.keys()) keyPaths.set(s, 'modelPath');
          request['result'] = db;
          if (fresh) (request['onupgradeneeded'] as () => void)();
          (request['onsuccess'] as () => void)();
        });
        return request;
      },
    };
    try {
      await withGlobal('indexedDB', factory, async () => {
        const saved: SaveResult = await saveModel(model, 'indexeddb://circles');
        assert.equal(saved.modelArtifactsInfo.modelTopologyType, 'JSON');
        assert.deepEqual([...databases.get('tensorflowjs')!.keys()].sort(), ['model_info_store', 'models_store']);
        const loaded = await loadModel('indexeddb://circles', { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions');
        loaded.dispose();
        await expectRejection(() => loadModel('indexeddb://other', { gpu: gpu() }), ValueError, /no model at indexeddb:\/\/other/);
      });
    } finally {
      model.dispose();
    }
  });

  test('downloads:// makes two downloads that load back as user-picked files', async () => {
    const model = await trainedModel();
    const clicks: { download: string; href: string }[] = [];
    const document = {
      createElement: () => {
        const anchor = {
          download: '',
          href: '',
          click: () => clicks.push({ download: anchor.download, href: anchor.href }),
          remove: () => undefined,
        };
        return anchor;
      },
      body: { appendChild: () => undefined },
    };
    try {
      await withGlobal('document', document, async () => {
        await saveModel(model, 'downloads://circles-net');
      });
      assert.deepEqual(
        clicks.map((c) => c.download),
        ['circles-net.json', 'circles-net.weights.bin'],
      );
      const blobs = clicks.map((c) => resolveObjectURL(c.href));
      assert.ok(blobs[0] && blobs[1], 'the Blob URLs are alive');
      const jsonText = await blobs[0].text();
      assert.deepEqual(((JSON.parse(jsonText) as Json)['weightsManifest'] as Json[])[0]!['paths'], ['./circles-net.weights.bin']);
      const picked = [new File([await blobs[1].arrayBuffer()], 'circles-net.weights.bin'), new File([jsonText], 'circles-net.json')];
      const loaded = await loadModel(picked, { gpu: gpu() });
      assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions');
      loaded.dispose();
      await expectRejection(
        () => loadModel([picked[1]!], { gpu: gpu() }),
        ValueError,
        /'circles-net.weights.bin' named in circles-net.json is not among the chosen files/,
      );
      await expectRejection(() => loadModel([picked[0]!], { gpu: gpu() }), ValueError, /is a model.json/);
    } finally {
      model.dispose();
    }
  });
});

describe('custom handlers and in-memory sources', () => {
  test('a SaveHandler receives TF.js-shaped artifacts; a LoadHandler may return TF.js ModelArtifacts', async () => {
    const model = await trainedModel();
    let captured: ModelArtifact | undefined;
    try {
      const result = await saveModel(model, {
        save: async (artifact) => {
          captured = artifact;
          return {
            modelArtifactsInfo: {
              dateSaved: new Date(),
              modelTopologyType: 'JSON',
              modelTopologyBytes: 0,
              weightSpecsBytes: 0,
              weightDataBytes: artifact.weightData.byteLength,
            },
          };
        },
      });
      assert.equal(result.modelArtifactsInfo.weightDataBytes, 4 * model.countParams());
      const artifact = captured!;
      assert.equal(artifact.format, 'layers-model');
      assert.equal(artifact.modelTopology, artifact.modelJson.modelTopology);
      assert.deepEqual(artifact.weightSpecs, artifact.modelJson.weightsManifest[0]!.weights);
      // TF.js ModelArtifacts, weightData split in two buffers as TF.js 4.x may hand it.
      const tfjsArtifacts = {
        modelTopology: JSON.parse(JSON.stringify(artifact.modelTopology)) as unknown,
        weightSpecs: artifact.weightSpecs,
        weightData: [artifact.weightData.slice(0, 20), artifact.weightData.slice(20)],
        format: 'layers-model',
        trainingConfig: artifact.trainingConfig,
      };
      const expected = await model.predict(circlesX);
      for (const source of [
        { load: async () => tfjsArtifacts },
        { load: async () => artifact },
        { modelJson: artifact.modelJson, weightData: artifact.weightData },
      ]) {
        const loaded = await loadModel(source, { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [expected], 'predictions');
        loaded.dispose();
      }
      await expectRejection(
        () => loadModel({ load: async () => ({ modelTopology: artifact.modelTopology }) }, { gpu: gpu() }),
        ValueError,
        /no weights/,
      );
      await expectRejection(() => loadModel(42 as unknown as string), ValueError, /loadModel source must be/);
    } finally {
      model.dispose();
    }
  });
});
