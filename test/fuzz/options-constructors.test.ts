/** Fuzzing the options of every constructor and factory (Sequential, layers, optimizers, schedules, regularizers, losses, callbacks, datasets): a result or a ShadernetError. */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  Adagrad,
  Adam,
  AdamW,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CosineDecay,
  Dense,
  Dropout,
  EarlyStopping,
  ExponentialDecay,
  gaussian,
  makeBlobs,
  makeCircles,
  makeMoons,
  makeRegressionSurface,
  makeSpirals,
  playgroundCircle,
  RandomState,
  spiral,
  takeRows,
  toFloat32,
  trainValidationSplit,
  xor,
  L1,
  L1L2,
  L2,
  l1,
  l1l2,
  l2,
  MeanSquaredError,
  PiecewiseConstantDecay,
  ReduceLROnPlateau,
  RMSprop,
  Sequential,
  SGD,
  SparseCategoricalCrossentropy,
} from '../../src/index.js';
import { ProgressLogger } from '../../src/model/progress.js';
import { fuzz, outcome, runs, shortly } from '../helpers/fuzz.js';
import { edgeNumber, hostileValue, labelled, optionsObject } from '../helpers/fuzz-values.js';
import {
  fraction,
  rate,
  smallCount,
  positive,
  seedValue,
  name,
  nameFrom,
  learningRate,
  activation,
  initializer,
  regularizer,
} from '../helpers/fuzz-options.js';

// ---------------------------------------------------------------------------------------------
// Constructors and factories: each takes generated options; a result is used a little

interface EntryPoint {
  readonly name: string;
  readonly options: fc.Arbitrary<unknown>;
  readonly call: (options: unknown) => unknown;
}

// `options as never`: the point is to pass what the types forbid.
const CONSTRUCTORS: readonly EntryPoint[] = [
  {
    name: 'new Sequential',
    options: optionsObject({
      layers: fc.array(
        fc
          .constantFrom(
            () => new Dense({ units: 2, inputDim: 2 }),
            () => new Dropout({ rate: 0.5 }),
            () => new Dense({ units: 1 }),
          )
          .map((make) => make()),
        { maxLength: 3 },
      ),
      name,
      seed: seedValue,
      gpu: fc.constant(undefined),
      backend: nameFrom('cpu', 'auto', 'webgpu'),
    }),
    call: (options) => {
      const model = new Sequential(options as never);
      model.summary({ print: () => undefined });
      return model.countParams();
    },
  },
  {
    name: 'new Dense',
    options: optionsObject({
      units: positive,
      outputDim: positive,
      activation,
      alpha: fraction,
      inputDim: positive,
      inputShape: fc.oneof(fc.tuple(positive), fc.array(edgeNumber, { maxLength: 3 })),
      useBias: fc.boolean(),
      kernelInitializer: initializer,
      biasInitializer: initializer,
      kernelRegularizer: regularizer,
      name,
    }),
    call: (options) => new Dense(options as never),
  },
  {
    name: 'new Dropout',
    options: optionsObject({ rate: fraction, seed: seedValue, name }),
    call: (options) => new Dropout(options as never),
  },
  {
    name: 'new SGD',
    options: optionsObject({ learningRate, momentum: fraction, nesterov: fc.boolean() }),
    call: (options) => new SGD(options as never).hyperparameters,
  },
  {
    name: 'new Adam',
    options: optionsObject({ learningRate, beta1: fraction, beta2: fraction, epsilon: fc.constantFrom(1e-7, 1e-3) }),
    call: (options) => new Adam(options as never).learningRate,
  },
  {
    name: 'new AdamW',
    options: optionsObject({ learningRate, beta1: fraction, beta2: fraction, epsilon: fc.constantFrom(1e-7), weightDecay: fraction }),
    call: (options) => new AdamW(options as never).hyperparameters,
  },
  {
    name: 'new RMSprop',
    options: optionsObject({ learningRate, rho: fraction, momentum: fraction, epsilon: fc.constantFrom(1e-7), centered: fc.boolean() }),
    call: (options) => new RMSprop(options as never).hyperparameters,
  },
  {
    name: 'new Adagrad',
    options: optionsObject({ learningRate, initialAccumulatorValue: fraction, epsilon: fc.constantFrom(1e-7) }),
    call: (options) => new Adagrad(options as never).hyperparameters,
  },
  {
    name: 'new ExponentialDecay',
    options: optionsObject({ initialLearningRate: rate, decaySteps: positive, decayRate: fraction, staircase: fc.boolean() }),
    call: (options) => new ExponentialDecay(options as never).valueAt(3),
  },
  {
    name: 'new PiecewiseConstantDecay',
    options: optionsObject({
      boundaries: fc.array(edgeNumber, { maxLength: 3 }),
      values: fc.array(fc.oneof(rate, edgeNumber), { maxLength: 4 }),
    }),
    call: (options) => new PiecewiseConstantDecay(options as never).valueAt(3),
  },
  {
    name: 'new CosineDecay',
    options: optionsObject({
      initialLearningRate: rate,
      decaySteps: positive,
      alpha: fraction,
      warmupTarget: rate,
      warmupSteps: smallCount,
    }),
    call: (options) => new CosineDecay(options as never).valueAt(3),
  },
  { name: 'new L1L2', options: optionsObject({ l1: fraction, l2: fraction }), call: (options) => new L1L2(options as never) },
  { name: 'l1l2', options: optionsObject({ l1: fraction, l2: fraction }), call: (options) => l1l2(options as never) },
  {
    name: 'L1, L2, l1, l2',
    options: fc.oneof(fraction, hostileValue),
    call: (value) => [new L1(value as never), new L2(value as never), l1(value as never), l2(value as never)],
  },
  {
    name: 'new EarlyStopping',
    options: optionsObject({
      monitor: nameFrom('val_loss', 'loss', 'accuracy', 'val_accuracy'),
      minDelta: fraction,
      patience: smallCount,
      mode: nameFrom('auto', 'min', 'max'),
      baseline: fraction,
      restoreBestWeights: fc.boolean(),
      startFromEpoch: smallCount,
      verbose: fc.constantFrom(0, 1),
    }),
    call: (options) => new EarlyStopping(options as never),
  },
  {
    name: 'new ReduceLROnPlateau',
    options: optionsObject({
      monitor: nameFrom('val_loss', 'loss', 'accuracy'),
      factor: fraction,
      patience: smallCount,
      mode: nameFrom('auto', 'min', 'max'),
      minDelta: fraction,
      cooldown: smallCount,
      minLr: fraction,
      verbose: fc.constantFrom(0, 1),
    }),
    call: (options) => new ReduceLROnPlateau(options as never),
  },
  {
    name: 'loss classes',
    options: optionsObject({ fromLogits: fc.boolean() }),
    call: (options) => [
      new BinaryCrossentropy(options as never),
      new CategoricalCrossentropy(options as never),
      new SparseCategoricalCrossentropy(options as never),
      new MeanSquaredError(),
    ],
  },
  {
    name: 'new ProgressLogger',
    options: optionsObject({
      verbose: fc.constantFrom(0, 1, 2),
      epochs: positive,
      steps: positive,
      style: nameFrom('keras3', 'keras2'),
      write: fc.constant(() => undefined),
      interactive: fc.boolean(),
      now: fc.constant(() => 0),
    }),
    call: (options) => {
      const logger = new ProgressLogger(options as never);
      logger.onTrainBegin();
      logger.onEpochBegin(0);
      logger.onBatchEnd(0, { loss: 0.5 });
      logger.onEpochEnd(0, { loss: 0.5 });
      return logger;
    },
  },
  // Dataset generators and helpers (src/data).
  ...(
    [
      ['makeCircles', makeCircles, { factor: fraction }],
      ['makeMoons', makeMoons, {}],
      [
        'makeBlobs',
        makeBlobs,
        {
          nFeatures: positive,
          centers: fc.oneof(
            positive,
            fc.constant([
              [0, 0],
              [1, 1],
            ]),
          ),
          clusterStd: fraction,
          centerBox: fc.constant([-1, 1]),
        },
      ],
      ['makeSpirals', makeSpirals, { classes: positive }],
      ['makeRegressionSurface', makeRegressionSurface, {}],
      ['xor', xor, {}],
      ['spiral', spiral, {}],
      ['gaussian', gaussian, {}],
      ['playgroundCircle', playgroundCircle, {}],
    ] as const
  ).map(([fn, generate, more]): EntryPoint => ({
    name: fn,
    options: optionsObject({
      nSamples: fn === 'makeCircles' || fn === 'makeMoons' ? fc.oneof(positive, fc.tuple(positive, positive)) : positive,
      noise: fraction,
      shuffle: fc.boolean(),
      randomState: fc.oneof(
        seedValue,
        fc.constant(null).map(() => labelled(new RandomState(1), 'new RandomState(1)')),
      ),
      seed: seedValue,
      ...more,
    }),
    call: (options) => (generate as (options: never) => unknown)(options as never),
  })),
  {
    name: 'trainValidationSplit, takeRows, toFloat32',
    options: fc.tuple(
      fc.oneof(
        fc.constant(null).map(() => makeMoons({ nSamples: 8 })),
        hostileValue,
      ),
      fc.oneof(fraction, edgeNumber, hostileValue),
      fc.oneof(smallCount, edgeNumber, hostileValue),
    ),
    call: (args) => {
      const [dataset, split, end] = args as [never, never, never];
      return [trainValidationSplit(dataset, split), takeRows(dataset, 0, end), toFloat32(dataset)];
    },
  },
  { name: 'new RandomState', options: fc.oneof(seedValue, hostileValue), call: (seed) => new RandomState(seed as never).randomSample() },
];

describe('constructors and factories', () => {
  for (const entry of CONSTRUCTORS) {
    test(`${entry.name}(random options): a result or a ShadernetError`, async (t) => {
      await fuzz(
        t,
        entry.name,
        entry.options,
        async (options) => {
          await outcome(`${entry.name}(${shortly(options)})`, () => entry.call(options));
        },
        runs(300),
      );
    });
  }
});
