import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOptimizer, buildSequential, compileOptions } from '../../src/components/lib/build-model.js';
import { modelConfig, type ModelSettings } from '../../src/components/lib/model-config.js';
import { DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE } from '../../src/components/lib/state.js';
import {
  AdamW,
  CosineDecay,
  Dense,
  Dropout,
  ExponentialDecay,
  L1L2,
  RMSprop,
  SGD,
  makeBlobs,
  makeRegressionSurface,
} from '../../src/index.js';

const base: ModelSettings = {
  task: 'binary',
  classes: 2,
  layers: [{ units: 8, activation: 'relu' }],
  learningRate: 0.01,
  optimizer: DEFAULT_OPTIMIZER,
  schedule: DEFAULT_SCHEDULE,
  seed: 3,
};

const matrix = (x: Float64Array) => ({ data: Float32Array.from(x), shape: [x.length / 2, 2] as [number, number] });

test('every builder option becomes the library object of the same name', () => {
  const config = modelConfig({
    ...base,
    task: 'multiclass',
    classes: 3,
    layers: [
      { units: 6, activation: 'gelu', dropout: 0.25, regularizer: { kind: 'l2', factor: 0.001 } },
      { units: 4, activation: 'swish', regularizer: { kind: 'l1', factor: 0.01 } },
    ],
  });
  const model = buildSequential(config, { seed: 1, backend: 'cpu' });
  try {
    const kinds = model.layers.map((l) =>
      l instanceof Dense ? `Dense(${l.units}, ${l.activation})` : l instanceof Dropout ? `Dropout(${l.rate})` : 'other',
    );
    assert.deepEqual(kinds, ['Dense(6, gelu)', 'Dropout(0.25)', 'Dense(4, swish)', 'Dense(3, softmax)']);
    const first = model.layers[0] as Dense;
    assert.ok(first.kernelRegularizer instanceof L1L2);
    assert.deepEqual([first.kernelRegularizer.l1, first.kernelRegularizer.l2], [0, 0.001]);
    assert.equal(model.countParams(), 2 * 6 + 6 + 6 * 4 + 4 + 4 * 3 + 3);
  } finally {
    model.dispose();
  }

  const opt = (o: Partial<ModelSettings['optimizer']>, s: Partial<ModelSettings['schedule']> = {}) =>
    buildOptimizer(
      modelConfig({ ...base, optimizer: { ...DEFAULT_OPTIMIZER, ...o }, schedule: { ...DEFAULT_SCHEDULE, ...s } }).compile.optimizer,
    );
  const momentum = opt({ name: 'momentum', momentum: 0.9 });
  assert.ok(momentum instanceof SGD);
  assert.equal(momentum.hyperparameters.momentum, 0.9);
  assert.equal((opt({ name: 'sgd' }) as SGD).hyperparameters.momentum, 0);
  assert.ok(opt({ name: 'rmsprop' }) instanceof RMSprop);
  const adamw = opt({ name: 'adamw', weightDecay: 0.004 });
  assert.ok(adamw instanceof AdamW);
  assert.equal(adamw.hyperparameters.weightDecay, 0.004);
  const cosine = opt({ name: 'adam' }, { kind: 'cosine', decaySteps: 100, alpha: 0.1 });
  assert.ok(cosine.learningRateSchedule instanceof CosineDecay);
  cosine.iterations = 100;
  assert.ok(Math.abs(cosine.learningRate - 0.001) < 1e-12, 'cosine decay ends at alpha × the initial rate');
  const step = opt({ name: 'adagrad' }, { kind: 'step', decaySteps: 10, decayRate: 0.5 });
  assert.ok(step.learningRateSchedule instanceof ExponentialDecay);
  step.iterations = 25;
  assert.ok(Math.abs(step.learningRate - 0.0025) < 1e-12, 'staircase: two whole halvings after 25 steps');
});

test('a 3-class model with gelu, dropout, L2, SGD momentum and a cosine schedule trains on the CPU engine', async () => {
  const data = makeBlobs({ nSamples: 150, centers: 3, clusterStd: 0.6, randomState: 4 });
  const config = modelConfig({
    ...base,
    task: 'multiclass',
    classes: 3,
    layers: [{ units: 12, activation: 'gelu', dropout: 0.1, regularizer: { kind: 'l2', factor: 0.001 } }],
    learningRate: 0.1,
    optimizer: { ...DEFAULT_OPTIMIZER, name: 'momentum', momentum: 0.9 },
    schedule: { ...DEFAULT_SCHEDULE, kind: 'cosine', decaySteps: 200, alpha: 0.1 },
  });
  const model = buildSequential(config, { seed: 2, backend: 'cpu' });
  try {
    model.compile(compileOptions(config, buildOptimizer(config.compile.optimizer)));
    const history = await model.fit(matrix(data.x), data.y, { epochs: 20, batchSize: 16, seed: 1, verbose: 0 });
    assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss']);
    const acc = history.history.accuracy!;
    assert.ok(acc[acc.length - 1]! >= 0.9, `accuracy after 20 epochs: ${acc[acc.length - 1]}`);
    const probabilities = await model.predict(matrix(data.x.subarray(0, 10)));
    assert.equal(probabilities.length, 5 * 3, 'k probabilities per row');
    for (let r = 0; r < 5; r++)
      assert.ok(Math.abs(probabilities[3 * r]! + probabilities[3 * r + 1]! + probabilities[3 * r + 2]! - 1) < 1e-5);
    const layers = await model.predictLayers(matrix(data.x.subarray(0, 10)));
    assert.deepEqual(
      layers.map((l) => l.length / 5),
      [12, 3],
      'one output per Dense layer, none for Dropout',
    );
  } finally {
    model.dispose();
  }
});

test('a regression model logs loss and mae, and its MSE falls', async () => {
  const data = makeRegressionSurface({ nSamples: 200, noise: 0.05, randomState: 1 });
  const config = modelConfig({
    ...base,
    task: 'regression',
    classes: 1,
    layers: [{ units: 16, activation: 'tanh' }],
    learningRate: 0.01,
    optimizer: { ...DEFAULT_OPTIMIZER, name: 'rmsprop' },
  });
  const model = buildSequential(config, { seed: 5, backend: 'cpu' });
  try {
    model.compile(compileOptions(config, buildOptimizer(config.compile.optimizer)));
    const history = await model.fit(matrix(data.x), data.y, { epochs: 15, batchSize: 32, seed: 1, verbose: 0, validationSplit: 0.2 });
    assert.deepEqual(Object.keys(history.history).sort(), ['loss', 'mae', 'val_loss', 'val_mae']);
    const loss = history.history.loss!;
    assert.ok(loss[loss.length - 1]! < 0.7 * loss[0]!, `MSE ${loss[0]} → ${loss[loss.length - 1]}`);
  } finally {
    model.dispose();
  }
});
