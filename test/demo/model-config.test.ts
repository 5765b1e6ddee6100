import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropoutSeed, modelConfig, type ModelSettings } from '../../src/components/lib/model-config.js';
import { DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE } from '../../src/components/lib/state.js';

const base: ModelSettings = {
  task: 'binary',
  classes: 2,
  layers: [{ units: 8, activation: 'relu' }],
  learningRate: 0.001,
  optimizer: DEFAULT_OPTIMIZER,
  schedule: DEFAULT_SCHEDULE,
  seed: 7,
};

test('the task decides the output layer, loss and metrics', () => {
  const binary = modelConfig(base);
  assert.deepEqual(binary.layers, [
    { type: 'Dense', units: 8, activation: 'relu', inputDim: 2 },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ]);
  assert.deepEqual(binary.compile, {
    optimizer: { type: 'Adam', learningRate: 0.001 },
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });

  const multi = modelConfig({ ...base, task: 'multiclass', classes: 4 });
  assert.deepEqual(multi.layers[1], { type: 'Dense', units: 4, activation: 'softmax' });
  assert.equal(multi.outputUnits, 4);
  assert.equal(multi.compile.loss, 'sparse_categorical_crossentropy');
  assert.deepEqual(multi.compile.metrics, ['accuracy']);

  const regression = modelConfig({ ...base, task: 'regression', classes: 1 });
  assert.deepEqual(regression.layers[1], { type: 'Dense', units: 1, activation: 'linear' });
  assert.equal(regression.compile.loss, 'mean_squared_error');
  assert.deepEqual(regression.compile.metrics, ['mae']);

  // Logistic regression: the output layer takes the inputs.
  assert.deepEqual(modelConfig({ ...base, layers: [], task: 'multiclass', classes: 3 }).layers, [
    { type: 'Dense', units: 3, activation: 'softmax', inputDim: 2 },
  ]);
});

test('dropout follows its layer, regularizers become L1L2 options', () => {
  const config = modelConfig({
    ...base,
    layers: [
      { units: 16, activation: 'elu', dropout: 0.3, regularizer: { kind: 'l2', factor: 0.01 } },
      { units: 4, activation: 'tanh', regularizer: { kind: 'l1', factor: 0.001 } },
    ],
  });
  assert.deepEqual(config.layers, [
    { type: 'Dense', units: 16, activation: 'elu', inputDim: 2, kernelRegularizer: { l1: 0, l2: 0.01 } },
    { type: 'Dropout', rate: 0.3, seed: dropoutSeed(7, 0) },
    { type: 'Dense', units: 4, activation: 'tanh', kernelRegularizer: { l1: 0.001, l2: 0 } },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ]);
  assert.notEqual(dropoutSeed(7, 0), dropoutSeed(7, 1));
  assert.notEqual(dropoutSeed(7, 0), dropoutSeed(8, 0));
});

test('optimizers and schedules in Keras names', () => {
  const opt = (o: Partial<ModelSettings['optimizer']>, s: Partial<ModelSettings['schedule']> = {}) =>
    modelConfig({ ...base, learningRate: 0.01, optimizer: { ...DEFAULT_OPTIMIZER, ...o }, schedule: { ...DEFAULT_SCHEDULE, ...s } }).compile
      .optimizer;
  assert.deepEqual(opt({ name: 'sgd' }), { type: 'SGD', learningRate: 0.01 });
  assert.deepEqual(opt({ name: 'momentum', momentum: 0.95 }), { type: 'SGD', learningRate: 0.01, momentum: 0.95 });
  assert.deepEqual(opt({ name: 'rmsprop' }), { type: 'RMSprop', learningRate: 0.01 });
  assert.deepEqual(opt({ name: 'adagrad' }), { type: 'Adagrad', learningRate: 0.01 });
  assert.deepEqual(opt({ name: 'adamw', weightDecay: 0.004 }), { type: 'AdamW', learningRate: 0.01, weightDecay: 0.004 });
  assert.deepEqual(opt({ name: 'adam' }, { kind: 'exponential', decaySteps: 100, decayRate: 0.5 }).learningRate, {
    type: 'ExponentialDecay',
    initialLearningRate: 0.01,
    decaySteps: 100,
    decayRate: 0.5,
    staircase: false,
  });
  assert.deepEqual(opt({ name: 'adam' }, { kind: 'step', decaySteps: 100, decayRate: 0.5 }).learningRate, {
    type: 'ExponentialDecay',
    initialLearningRate: 0.01,
    decaySteps: 100,
    decayRate: 0.5,
    staircase: true,
  });
  assert.deepEqual(opt({ name: 'adam' }, { kind: 'cosine', decaySteps: 1000, alpha: 0.1 }).learningRate, {
    type: 'CosineDecay',
    initialLearningRate: 0.01,
    decaySteps: 1000,
    alpha: 0.1,
  });
});
