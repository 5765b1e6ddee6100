/** serializeModel / deserializeModel: round trips, the exported model.json's format, the training config, the CPU backend. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { StateError, ValueError } from '../../src/errors.js';
import { INITIALIZERS } from '../../src/model/initializers.js';
import { Dense } from '../../src/model/layers.js';
import { BinaryCrossentropy } from '../../src/model/losses.js';
import { Adam } from '../../src/model/optimizers.js';
import { Sequential } from '../../src/model/sequential.js';
import { deserializeModel, serializeModel, SHADERNET_VERSION } from '../../src/model/serialization.js';
import { useGpu } from '../helpers/gpu.js';
import { configOf, expectRejection, layersOf, type Json } from '../helpers/model-files.js';
import { assertBitwiseEqual, circles, circlesModels, circlesX, denseLayers } from '../helpers/serialization.js';

const gpu = useGpu();
const { circlesModel, trainedModel } = circlesModels(gpu);

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
