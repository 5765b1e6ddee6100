import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Dense,
  deserializeModel,
  Dropout,
  L1,
  L1L2,
  l1,
  l1l2,
  L2,
  l2,
  makeCircles,
  Sequential,
  serializeModel,
  ShapeError,
  ValueError,
  type MatrixLike,
  type SequentialOptions,
} from '../../src/index.js';
import { UnsupportedError } from '../../src/errors.js';
import { dropoutThreshold } from '../../src/spec/dropout.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose } from '../helpers/numeric.js';

const gpu = useGpu();
const circles = makeCircles({ nSamples: 200, factor: 0.4, noise: 0.1, randomState: 3 });
const x: MatrixLike = { data: circles.x, shape: [circles.nSamples, 2] };

/** 2 → Dropout → 16 relu (L2) → Dropout → Dropout → 8 tanh → Dropout → 1 sigmoid (L1L2). */
function build(options: SequentialOptions, withDropout = true, withRegularizers = true): Sequential {
  const model = new Sequential(options);
  if (withDropout) model.add(new Dropout({ rate: 0.1, seed: 5 }));
  model.add(new Dense({ units: 16, activation: 'relu', inputDim: 2, ...(withRegularizers ? { kernelRegularizer: 'l2' as const } : {}) }));
  if (withDropout) {
    model.add(new Dropout({ rate: 0.2 }));
    model.add(new Dropout({ rate: 0.25 }));
  }
  model.add(new Dense({ units: 8, activation: 'tanh' }));
  if (withDropout) model.add(new Dropout({ rate: 0.3 }));
  model.add(
    new Dense({ units: 1, activation: 'sigmoid', ...(withRegularizers ? { kernelRegularizer: l1l2({ l1: 0.001, l2: 0.01 }) } : {}) }),
  );
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** The network's penalty for the model's current weights (float64). */
async function penaltyOf(model: Sequential): Promise<number> {
  const weights = await model.getWeights();
  const dense = model.layers.filter((l): l is Dense => l instanceof Dense);
  let penalty = 0;
  let next = 0;
  for (const layer of dense) {
    const w = weights[next]!;
    next += layer.useBias ? 2 : 1;
    const r = layer.kernelRegularizer;
    if (r) penalty += w.reduce((s, v) => s + r.l1 * Math.abs(v) + r.l2 * v * v, 0);
  }
  return penalty;
}

describe('regularizer API', () => {
  test('Keras names and defaults; invalid coefficients are ValueErrors', () => {
    assert.deepEqual([new L1L2().l1, new L1L2().l2], [0, 0]);
    assert.deepEqual([l1().className, l1().l1, l1().l2], ['L1', 0.01, 0]);
    assert.deepEqual([l2(0.5).className, l2(0.5).l1, l2(0.5).l2], ['L2', 0, 0.5]);
    assert.deepEqual([l1l2().l1, l1l2().l2], [0.01, 0.01]);
    assert.ok(new L1() instanceof L1L2 && new L2() instanceof L1L2);
    for (const [name, l1v, l2v] of [
      ['l1', 0.01, 0],
      ['l2', 0, 0.01],
      ['l1_l2', 0.01, 0.01],
    ] as const) {
      const dense = new Dense({ units: 2, kernelRegularizer: name });
      assert.deepEqual([dense.kernelRegularizer!.l1, dense.kernelRegularizer!.l2], [l1v, l2v], name);
    }
    assert.throws(() => new L1L2({ l1: -1 }), ValueError);
    assert.throws(() => l2(Number.NaN), ValueError);
    assert.throws(() => new Dense({ units: 2, kernelRegularizer: 'l3' as 'l1' }), /kernelRegularizer must be 'l1', 'l2', 'l1_l2'/);
  });
});

describe('Dropout layer API', () => {
  test('rate in [0, 1), names dropout, dropout_1, …, summary rows with 0 params, weights unaffected', () => {
    assert.throws(() => new Dropout({ rate: 1 }), ValueError);
    assert.throws(() => new Dropout({ rate: -0.1 }), ValueError);
    assert.throws(() => new Dropout({ rate: 0.5, seed: 1.5 }), ValueError);
    const model = build({ seed: 1, gpu: gpu() });
    assert.deepEqual(
      model.layers.map((l) => `${l.name}:${l.className}`),
      ['dropout:Dropout', 'dense:Dense', 'dropout_1:Dropout', 'dropout_2:Dropout', 'dense_1:Dense', 'dropout_3:Dropout', 'dense_2:Dense'],
    );
    const text = model.summary({ print: () => {} });
    assert.match(text, /dropout \(Dropout\)\s+│ \(None, 2\)\s+│\s+0 │/);
    assert.match(text, /dropout_3 \(Dropout\)\s+│ \(None, 8\)\s+│\s+0 │/);
    assert.match(text, /dense_1 \(Dense\)\s+│ \(None, 8\)\s+│\s+136 │/);
    assert.equal(model.countParams(), build({ seed: 1 }, false).countParams());
    model.dispose();
  });

  test('Dropout as the last layer is refused at compile; Dense inputDim after a leading Dropout is fine, after a Dense is not', () => {
    const model = new Sequential();
    model.add(new Dense({ units: 4, inputDim: 2 }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    model.add(new Dropout({ rate: 0.5 }));
    assert.throws(
      () => model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' }),
      /is the last layer.*must be followed by a Dense layer/,
    );
    const leading = new Sequential();
    leading.add(new Dropout({ rate: 0.5 }));
    leading.add(new Dense({ units: 1, inputDim: 3 }));
    assert.throws(() => leading.add(new Dense({ units: 1, inputDim: 3 })), ShapeError);
  });
});

describe('training and inference with Dropout and regularizers', () => {
  test('predict and evaluate ignore dropout; evaluate adds the penalty to the loss (rtol 1e-5)', async () => {
    const withBoth = build({ seed: 2, gpu: gpu() });
    const plain = build({ seed: 2, gpu: gpu() }, false, false);
    try {
      const weights = await withBoth.getWeights();
      plain.setWeights(weights);
      assert.deepEqual(await withBoth.predict(x), await plain.predict(x), 'predict: dropout is the identity');
      const a = await withBoth.evaluate(x, circles.y);
      const b = await plain.evaluate(x, circles.y);
      expectClose([a.loss], [b.loss + (await penaltyOf(withBoth))], { rtol: 1e-5, atol: 0 }, 'evaluate loss = data loss + penalty');
      assert.equal(a['accuracy'], b['accuracy']);
    } finally {
      withBoth.dispose();
      plain.dispose();
    }
  });

  test('GPU vs CPU training parity with dropout + L1/L2: same masks, losses atol 2e-4, weights rtol 1e-3 atol 1e-4', async () => {
    const onGpu = build({ seed: 4, gpu: gpu() });
    const onCpu = build({ seed: 4, backend: 'cpu' });
    try {
      const options = { epochs: 3, batchSize: 32, verbose: 0 as const, seed: 9, validationSplit: 0.2 };
      const [h1, h2] = [await onGpu.fit(x, circles.y, options), await onCpu.fit(x, circles.y, options)];
      for (const key of ['loss', 'val_loss']) expectClose(h1.history[key]!, h2.history[key]!, { rtol: 0, atol: 2e-4 }, key);
      const [w1, w2] = [await onGpu.getWeights(), await onCpu.getWeights()];
      w1.forEach((w, i) => expectClose(w, w2[i]!, { rtol: 1e-3, atol: 1e-4 }, `weight ${i}`));
      // Dropout changes training: the same model without it ends elsewhere.
      const noDropout = build({ seed: 4, backend: 'cpu' }, false);
      await noDropout.fit(x, circles.y, options);
      assert.notDeepEqual(await noDropout.getWeights(), w2);
      noDropout.dispose();
    } finally {
      onGpu.dispose();
      onCpu.dispose();
    }
  });

  test('GPU vs CPU parity when the dropped layers use derivatives of z (gelu, swish), before a hidden layer and before the fused head', async () => {
    const make = (options: SequentialOptions): Sequential => {
      const model = new Sequential(options);
      model.add(new Dense({ units: 12, activation: 'gelu', inputDim: 2 }));
      model.add(new Dropout({ rate: 0.25, seed: 1 }));
      model.add(new Dense({ units: 8, activation: 'swish', kernelRegularizer: 'l2' }));
      model.add(new Dropout({ rate: 0.2, seed: 2 }));
      model.add(new Dense({ units: 1, activation: 'sigmoid' }));
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
      return model;
    };
    const onGpu = make({ seed: 6, gpu: gpu() });
    const onCpu = make({ seed: 6, backend: 'cpu' });
    try {
      const options = { epochs: 3, batchSize: 32, verbose: 0 as const, seed: 2 };
      const [h1, h2] = [await onGpu.fit(x, circles.y, options), await onCpu.fit(x, circles.y, options)];
      expectClose(h1.history['loss']!, h2.history['loss']!, { rtol: 0, atol: 2e-4 }, 'loss');
      const [w1, w2] = [await onGpu.getWeights(), await onCpu.getWeights()];
      w1.forEach((w, i) => expectClose(w, w2[i]!, { rtol: 1e-3, atol: 1e-4 }, `weight ${i}`));
    } finally {
      onGpu.dispose();
      onCpu.dispose();
    }
  });

  test('fit loss includes the penalty: one epoch at learning rate ~0 reports data loss + penalty', async () => {
    const model = build({ seed: 6, backend: 'cpu' }, false);
    const plain = build({ seed: 6, backend: 'cpu' }, false, false);
    model.optimizer!.learningRate = 1e-12;
    plain.optimizer!.learningRate = 1e-12;
    try {
      const options = { epochs: 1, batchSize: 50, verbose: 0 as const, seed: 1 };
      const a = (await model.fit(x, circles.y, options)).history['loss']![0]!;
      const b = (await plain.fit(x, circles.y, options)).history['loss']![0]!;
      expectClose([a], [b + (await penaltyOf(model))], { rtol: 1e-6, atol: 0 }, 'fit loss');
    } finally {
      model.dispose();
      plain.dispose();
    }
  });

  test('a Dropout without seed takes one derived from the model seed (deterministic)', async () => {
    const losses: number[] = [];
    for (let run = 0; run < 2; run++) {
      const model = build({ seed: 8, backend: 'cpu' }, true, false);
      losses.push((await model.fit(x, circles.y, { epochs: 1, verbose: 0, seed: 2 })).history['loss']![0]!);
      model.dispose();
    }
    assert.equal(losses[0], losses[1]);
  });

  test('reference: consecutive dropouts become one of rate 1 − (1 − a)(1 − b)', () => {
    const model = build({ seed: 1 });
    // dropout_1 (0.2) and dropout_2 (0.25) → 1 − 0.8·0.75 = 0.4 on dense_1's input.
    const network = (model as unknown as { network(): { layers: { inputDropout?: { rate: number } }[] } }).network();
    assert.deepEqual(
      network.layers.map((l) => l.inputDropout?.rate),
      [0.1, 1 - 0.8 * 0.75, 0.3],
    );
    assert.ok(dropoutThreshold(0.4) > 0);
  });
});

describe('serialization of Dropout and kernel_regularizer', () => {
  test('round trip: Dropout (rate, seed) and L1L2 coefficients come back; weights and predictions bitwise', async () => {
    const model = build({ seed: 3, gpu: gpu() });
    const artifact = await serializeModel(model);
    const json = artifact.modelJson as unknown as {
      modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    };
    const layers = json.modelTopology.config.layers;
    assert.deepEqual(
      layers.map((l) => l.class_name),
      ['Dropout', 'Dense', 'Dropout', 'Dropout', 'Dense', 'Dropout', 'Dense'],
    );
    assert.deepEqual(layers[0]!.config['batch_input_shape'], [null, 2]);
    assert.deepEqual([layers[0]!.config['rate'], layers[0]!.config['seed'], layers[2]!.config['seed']], [0.1, 5, null]);
    assert.deepEqual(layers[6]!.config['kernel_regularizer'], { class_name: 'L1L2', config: { l1: 0.001, l2: 0.01 } });
    const loaded = deserializeModel(artifact.modelJson, artifact.weightData, { gpu: gpu(), seed: 3 });
    try {
      assert.deepEqual(
        loaded.layers.map((l) =>
          l instanceof Dropout ? [l.name, l.rate, l.seed] : [l.name, l.kernelRegularizer?.l1, l.kernelRegularizer?.l2],
        ),
        model.layers.map((l) =>
          l instanceof Dropout ? [l.name, l.rate, l.seed] : [l.name, l.kernelRegularizer?.l1, l.kernelRegularizer?.l2],
        ),
      );
      assert.deepEqual(await loaded.getWeights(), await model.getWeights());
      assert.deepEqual(await loaded.predict(x), await model.predict(x));
    } finally {
      loaded.dispose();
      model.dispose();
    }
  });

  test('Keras 3 regularizer dicts (L1, L2 with module) load; bad ones and trailing Dropouts are refused', async () => {
    const model = build({ seed: 3 }, false);
    const artifact = await serializeModel(model);
    const edit = (mutate: (layers: Record<string, unknown>[]) => void) => {
      const json = JSON.parse(JSON.stringify(artifact.modelJson)) as { modelTopology: { config: { layers: Record<string, unknown>[] } } };
      mutate(json.modelTopology.config.layers);
      return json;
    };
    const keras3 = edit((layers) => {
      (layers[0]!['config'] as Record<string, unknown>)['kernel_regularizer'] = {
        module: 'keras.regularizers',
        class_name: 'L1',
        config: { l1: 0.02 },
      };
      (layers[1]!['config'] as Record<string, unknown>)['kernel_regularizer'] = {
        module: 'keras.regularizers',
        class_name: 'L2',
        config: { l2: 0.03 },
      };
    });
    const loaded = deserializeModel(keras3, artifact.weightData, { backend: 'cpu' });
    const dense = loaded.layers.filter((l): l is Dense => l instanceof Dense);
    assert.deepEqual(
      dense.map((l) => [l.kernelRegularizer?.l1, l.kernelRegularizer?.l2]),
      [
        [0.02, 0],
        [0, 0.03],
        [0.001, 0.01],
      ],
    );
    loaded.dispose();
    const negative = edit((layers) => {
      (layers[0]!['config'] as Record<string, unknown>)['kernel_regularizer'] = { class_name: 'L1L2', config: { l1: -1, l2: 0 } };
    });
    assert.throws(() => deserializeModel(negative, artifact.weightData), /kernel_regularizer.config.l1 must be non-negative/);
    const orthogonal = edit((layers) => {
      (layers[0]!['config'] as Record<string, unknown>)['kernel_regularizer'] = { class_name: 'OrthogonalRegularizer', config: {} };
    });
    assert.throws(() => deserializeModel(orthogonal, artifact.weightData), UnsupportedError);
    const trailing = edit((layers) => layers.push({ class_name: 'Dropout', config: { name: 'dropout', rate: 0.5, seed: null } }));
    assert.throws(() => deserializeModel(trailing, artifact.weightData), /comes after the last Dense layer/);
    const badRate = edit((layers) => layers.splice(1, 0, { class_name: 'Dropout', config: { name: 'dropout', rate: 1, seed: null } }));
    assert.throws(() => deserializeModel(badRate, artifact.weightData), /rate must be in \[0, 1\)/);
  });
});
