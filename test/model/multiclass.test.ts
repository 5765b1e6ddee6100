import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CategoricalCrossentropy,
  deserializeModel,
  serializeModel,
  Dense,
  makeRegressionSurface,
  makeSpirals,
  Sequential,
  SGD,
  ShapeError,
  SparseCategoricalCrossentropy,
  trainValidationSplit,
  ValueError,
  type MatrixLike,
} from '../../src/index.js';
import { expectSameLossCurves } from '../helpers/convergence.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose } from '../helpers/numeric.js';

const gpu = useGpu();

const matrix = (x: Float64Array, rows: number, cols = 2): MatrixLike => ({ data: x, shape: [rows, cols] });

function oneHot(labels: ArrayLike<number>, classes: number): MatrixLike {
  const data = new Float64Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) data[r * classes + labels[r]!] = 1;
  return { data, shape: [labels.length, classes] };
}

function mlp(
  options: ConstructorParameters<typeof Sequential>[0],
  hidden: number,
  outputs: number,
  output: 'softmax' | 'linear',
): Sequential {
  const model = new Sequential(options);
  model.add(new Dense({ units: hidden, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: hidden, activation: 'relu' }));
  model.add(new Dense({ units: outputs, activation: output }));
  return model;
}

const spirals = makeSpirals({ nSamples: 600, classes: 3, noise: 0.2, randomState: 0 });
const spiralSplit = trainValidationSplit(spirals, 0.2);

/**
 * Convergence as loss curves against the float64 CPU engine (test/helpers/convergence.ts): same
 * seed, so the same initial weights and shuffles. SGD with momentum, whose step scales with the
 * gradient, so a wrong factor in the softmax or MSE gradient (its 1/rows, say) shows at once:
 * scaled by 2 (tried), the curves part by 1e-2 at epoch 1, while the thresholds these tests
 * replace (val accuracy ≥ 0.95, val MSE < 0.02) passed for MSE. 8 epochs of f32 against float64
 * measured ≤ 1e-6 apart (relative); the tolerance is 100× that.
 */
const CURVE_TOLERANCE = { rtol: 1e-4, atol: 1e-6 };

async function curvesOnBothEngines(
  make: (options: ConstructorParameters<typeof Sequential>[0]) => Sequential,
  x: MatrixLike,
  y: Float64Array | MatrixLike,
  validationData: readonly [MatrixLike, Float64Array | MatrixLike],
  keys: readonly string[],
): Promise<void> {
  const models = [make({ gpu: gpu(), seed: 1 }), make({ backend: 'cpu', seed: 1 })];
  try {
    const histories = [];
    for (const model of models)
      histories.push(await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0, seed: 2, validationData: [...validationData] }));
    expectSameLossCurves(histories[0]!, histories[1]!, keys, CURVE_TOLERANCE);
  } finally {
    for (const model of models) model.dispose();
  }
}

describe('multi-class classification (softmax + categorical cross-entropy)', () => {
  test('a 3-class spiral, 2×64 ReLU MLP, SGD + momentum, 8 epochs: loss curves equal those of the float64 engine', async () => {
    const { train, validation } = spiralSplit;
    await curvesOnBothEngines(
      (options) => {
        const model = mlp(options, 64, 3, 'softmax');
        model.compile({
          optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }),
          loss: 'sparse_categorical_crossentropy',
          metrics: ['accuracy'],
        });
        return model;
      },
      matrix(train.x, train.nSamples),
      train.y,
      [matrix(validation.x, validation.nSamples), validation.y],
      ['loss', 'val_loss', 'val_accuracy'],
    );
  });
});

describe('regression (mean squared error)', () => {
  test('sin(πx1)·cos(πx2) + noise 0.05, 2×64 ReLU MLP, SGD + momentum, 8 epochs: loss curves equal those of the float64 engine', async () => {
    const surface = makeRegressionSurface({ nSamples: 1000, noise: 0.05, randomState: 3 });
    const { train, validation } = trainValidationSplit(surface, 0.2);
    await curvesOnBothEngines(
      (options) => {
        const model = mlp(options, 64, 1, 'linear');
        model.compile({ optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'mse', metrics: ['mae'] });
        return model;
      },
      matrix(train.x, train.nSamples),
      train.y,
      [matrix(validation.x, validation.nSamples), validation.y],
      ['loss', 'val_loss', 'val_mae'],
    );
  });
});

/** Tiny 3-class data for the API tests. */
const few = makeSpirals({ nSamples: 60, classes: 3, noise: 0.1, randomState: 7 });
const fewX = matrix(few.x, few.nSamples);

describe('engines agree: GPU vs the float64 CPU engine', () => {
  test('3 classes, one-hot targets with class weights: losses, weights and probabilities', async () => {
    const options = {
      epochs: 2,
      batchSize: 16,
      verbose: 0,
      seed: 8,
      classWeight: { 0: 1, 1: 3, 2: 0.5 },
      validationData: [fewX, oneHot(few.y, 3)],
    } as const;
    const models = [mlp({ gpu: gpu(), seed: 9 }, 8, 3, 'softmax'), mlp({ backend: 'cpu', seed: 9 }, 8, 3, 'softmax')];
    const histories = [];
    for (const model of models) {
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy', 'mse'] });
      histories.push((await model.fit(fewX, oneHot(few.y, 3), options)).history);
    }
    for (const key of ['loss', 'accuracy', 'mse', 'val_loss', 'val_accuracy', 'val_mse']) {
      expectClose(histories[0]![key]!, histories[1]![key]!, { rtol: 0, atol: 1e-4 }, key);
    }
    const weights = await Promise.all(models.map((m) => m.getWeights()));
    expectClose(
      weights[0]!.flatMap((w) => [...w]),
      weights[1]!.flatMap((w) => [...w]),
      { rtol: 1e-3, atol: 1e-4 },
      'weights after 2 epochs',
    );
    const predictions = await Promise.all(models.map((m) => m.predict(fewX)));
    expectClose(predictions[0]!, predictions[1]!, { rtol: 1e-3, atol: 1e-5 }, 'probabilities');
    for (const model of models) model.dispose();
  });

  test('regression with 2 outputs and sample weights: losses, weights, predictions', async () => {
    const targets = {
      data: Float64Array.from({ length: few.nSamples * 2 }, (_, i) => Math.sin(few.x[i]! * 2)),
      shape: [few.nSamples, 2] as [number, number],
    };
    const sampleWeight = Float64Array.from({ length: few.nSamples }, (_, i) => (i % 3) * 0.75);
    const options = {
      epochs: 2,
      batchSize: 16,
      verbose: 0,
      seed: 10,
      sampleWeight,
      validationData: [fewX, targets, sampleWeight],
    } as const;
    const models = [mlp({ gpu: gpu(), seed: 11 }, 8, 2, 'linear'), mlp({ backend: 'cpu', seed: 11 }, 8, 2, 'linear')];
    const histories = [];
    for (const model of models) {
      model.compile({ optimizer: 'adam', loss: 'mean_squared_error', metrics: ['mae', 'mean_squared_error'] });
      histories.push((await model.fit(fewX, targets, options)).history);
    }
    for (const key of ['loss', 'mae', 'mean_squared_error', 'val_loss', 'val_mae']) {
      expectClose(histories[0]![key]!, histories[1]![key]!, { rtol: 0, atol: 1e-4 }, key);
    }
    // The loss is weighted, the mse metric is not: they differ.
    assert.notEqual(histories[0]!['loss']![0], histories[0]!['mean_squared_error']![0]);
    const weights = await Promise.all(models.map((m) => m.getWeights()));
    expectClose(
      weights[0]!.flatMap((w) => [...w]),
      weights[1]!.flatMap((w) => [...w]),
      { rtol: 1e-3, atol: 1e-4 },
      'weights after 2 epochs',
    );
    for (const model of models) model.dispose();
  });
});

describe('multi-class API', () => {
  test('predict returns rows × k probabilities; evaluate gives loss and the resolved accuracy', async () => {
    const model = mlp({ gpu: gpu(), seed: 12 }, 8, 3, 'softmax');
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['acc', 'sparse_categorical_accuracy', 'mae'] });
    const probabilities = await model.predict(fewX, { batchSize: 7 });
    assert.equal(probabilities.length, few.nSamples * 3);
    for (let r = 0; r < few.nSamples; r++) {
      const row = probabilities.subarray(r * 3, r * 3 + 3);
      assert.ok(row.every((p) => p > 0 && p < 1));
      expectClose([row[0]! + row[1]! + row[2]!], [1], { rtol: 0, atol: 1e-6 }, `row ${r} sums to 1`);
    }
    const result = await model.evaluate(fewX, few.y, { batchSize: 16 });
    assert.deepEqual(Object.keys(result).sort(), ['acc', 'loss', 'mae', 'sparse_categorical_accuracy']);
    let correct = 0;
    for (let r = 0; r < few.nSamples; r++) {
      const row = [...probabilities.subarray(r * 3, r * 3 + 3)];
      if (row.indexOf(Math.max(...row)) === few.y[r]) correct++;
    }
    assert.equal(result['acc'], correct / few.nSamples);
    assert.equal(result['sparse_categorical_accuracy'], result['acc']);
    const list = await model.evaluate(fewX, few.y, { returnDict: false });
    assert.equal(list.length, 4);
    const layers = await model.predictLayers(fewX);
    expectClose(layers[2]!, probabilities, { rtol: 1e-6, atol: 1e-7 }, 'predictLayers ends with the probabilities');
    model.dispose();
  });

  test('fromLogits with a linear output: trains, and predict returns the logits', async () => {
    const model = mlp({ gpu: gpu(), seed: 13 }, 8, 4, 'linear');
    model.compile({ optimizer: 'adam', loss: new SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy'] });
    const history = await model.fit(fewX, few.y, { epochs: 3, verbose: 0, seed: 1 });
    assert.ok(history.history['loss']![2]! < history.history['loss']![0]!);
    const logits = await model.predict(fewX);
    assert.ok(
      logits.some((z) => z < 0),
      'logits, not probabilities',
    );
    model.dispose();
  });

  test('all-zero sample weights: zero loss, unchanged weights, unweighted metrics', async () => {
    const model = mlp({ gpu: gpu(), seed: 14 }, 8, 3, 'softmax');
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const before = await model.getWeights();
    const history = await model.fit(fewX, few.y, { epochs: 1, verbose: 0, sampleWeight: new Float64Array(few.nSamples) });
    assert.equal(history.history['loss']![0], 0);
    assert.ok(history.history['accuracy']![0]! > 0, 'accuracy is counted without weights');
    const after = await model.getWeights();
    expectClose(
      after.flatMap((w) => [...w]),
      before.flatMap((w) => [...w]),
      { rtol: 0, atol: 0 },
      'weights',
    );
    model.dispose();
  });

  test('a weighted sigmoid classifier (sample weights in the fused output head) matches the CPU engine', async () => {
    const x = matrix(few.x, few.nSamples);
    const y = Float64Array.from(few.y, (c) => (c === 0 ? 1 : 0));
    const models = [new Sequential({ gpu: gpu(), seed: 15 }), new Sequential({ backend: 'cpu', seed: 15 })];
    const losses = [];
    for (const model of models) {
      model.add(new Dense({ units: 6, activation: 'tanh', inputDim: 2 }));
      model.add(new Dense({ units: 1, activation: 'sigmoid' }));
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'mse'] });
      losses.push((await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, seed: 2, classWeight: { 1: 2 } })).history);
    }
    for (const key of ['loss', 'accuracy', 'mse']) expectClose(losses[0]![key]!, losses[1]![key]!, { rtol: 0, atol: 1e-4 }, key);
    for (const model of models) model.dispose();
  });

  test('compile and fit refuse mismatched losses, outputs, metrics and targets', async () => {
    const model = mlp({ gpu: gpu(), seed: 16 }, 4, 3, 'softmax');
    assert.throws(() => model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' }), ShapeError);
    assert.throws(() => model.compile({ optimizer: 'adam', loss: 'mse' }), /softmax/);
    assert.throws(
      () => model.compile({ optimizer: 'adam', loss: new CategoricalCrossentropy({ fromLogits: true }) }),
      /fromLogits: true expects raw logits/,
    );
    assert.throws(
      () => model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['sparse_categorical_accuracy'] }),
      /does not match/,
    );
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await assert.rejects(
      model.fit(
        fewX,
        Float64Array.from(few.y, (c, i) => (i === 5 ? 3 : c)),
        { verbose: 0 },
      ),
      (e: Error) => e instanceof ValueError && /row 5 is 3.*\[0, 3\)/.test(e.message),
    );
    await assert.rejects(
      model.fit(
        fewX,
        Float64Array.from(few.y, (c, i) => (i === 2 ? 0.5 : c)),
        { verbose: 0 },
      ),
      /row 2 is 0.5/,
    );
    await assert.rejects(model.fit(fewX, few.y, { verbose: 0, sampleWeight: [1, 2] }), /2 values for 60 samples/);
    await assert.rejects(
      model.fit(fewX, few.y, { verbose: 0, sampleWeight: Float64Array.from({ length: 60 }, (_, i) => (i === 4 ? -1 : 1)) }),
      /sampleWeight\[4\] is -1/,
    );
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await assert.rejects(
      model.fit(fewX, few.y, { verbose: 0 }),
      (e: Error) => e instanceof ShapeError && /3 values per sample/.test(e.message),
    );
    const bad = oneHot(few.y, 3);
    (bad.data as Float64Array)[7] = Number.NaN;
    await assert.rejects(model.fit(fewX, bad, { verbose: 0 }), /NaN at row 2, column 1/);
    model.dispose();

    const oneUnit = mlp({ gpu: gpu() }, 4, 1, 'softmax');
    assert.throws(() => oneUnit.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' }), /at least 2 units/);
    oneUnit.dispose();
    const regression = mlp({ gpu: gpu() }, 4, 1, 'linear');
    assert.throws(() => regression.compile({ optimizer: 'adam', loss: 'mse', metrics: ['accuracy'] }), /needs class labels.*regression/);
    regression.compile({ optimizer: 'adam', loss: 'mse' });
    await assert.rejects(regression.fit(fewX, few.y, { verbose: 0, classWeight: { 0: 2 } }), /classWeight needs class labels/);
    regression.dispose();
    const hidden = new Sequential();
    hidden.add(new Dense({ units: 3, activation: 'softmax', inputDim: 2 }));
    assert.throws(
      () => hidden.add(new Dense({ units: 2 })),
      (e: Error) => e instanceof ValueError && /only supported on the output layer/.test(e.message),
    );
  });

  test('the training config (loss, metrics, fromLogits) round-trips through the TF.js format', async () => {
    const model = mlp({ gpu: gpu(), seed: 17 }, 4, 3, 'linear');
    model.compile({ optimizer: 'adam', loss: new CategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy', 'mae'] });
    const artifact = await serializeModel(model);
    assert.equal(artifact.modelJson.trainingConfig?.loss, 'categorical_crossentropy');
    const loaded = deserializeModel(artifact.modelJson, artifact.weightData, { gpu: gpu() });
    const config = loaded.compileConfig!;
    assert.equal(config.loss.name, 'categorical_crossentropy');
    assert.equal(config.loss.fromLogits, true);
    assert.deepEqual(config.metrics, ['accuracy', 'mae']);
    const softmax = mlp({ gpu: gpu(), seed: 18 }, 4, 3, 'softmax');
    softmax.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['sparse_categorical_accuracy'] });
    const again = await serializeModel(softmax);
    const reloaded = deserializeModel(again.modelJson, again.weightData, { gpu: gpu() });
    assert.equal((reloaded.layers[2] as Dense).activation, 'softmax');
    assert.equal(reloaded.compileConfig!.loss.name, 'sparse_categorical_crossentropy');
    expectClose(await reloaded.predict(fewX), await softmax.predict(fewX), { rtol: 0, atol: 0 }, 'same probabilities');
    for (const m of [model, loaded, softmax, reloaded]) m.dispose();
  });
});
