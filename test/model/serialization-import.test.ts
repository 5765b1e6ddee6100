/** Loading TF.js and Keras model files, and the typed errors of invalid and hostile ones. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ShapeError, UnsupportedError, ValueError } from '../../src/errors.js';
import { Sequential } from '../../src/model/sequential.js';
import { deserializeModel, MODEL_LIMITS, serializeModel } from '../../src/model/serialization.js';
import { useGpu } from '../helpers/gpu.js';
import {
  B0,
  B1,
  clone,
  configOf,
  expectError,
  f32Bytes,
  fixture,
  FIXTURE_BYTES,
  layersOf,
  manifestWeights,
  W0,
  W1,
  type Json,
} from '../helpers/model-files.js';
import { denseLayers, expectFixturePredictions, INPUTS, relu } from '../helpers/serialization.js';

const gpu = useGpu();

// ---------------------------------------------------------------------------------------------

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
