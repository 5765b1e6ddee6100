/**
 * Fuzzing the options of every public entry point: constructors (Sequential, Dense, Dropout,
 * optimizers, schedules, regularizers, losses, callbacks, ProgressLogger) and the methods of a
 * model (compile, fit, evaluate, predict, save, setWeights, summary, restore), with random
 * objects of random values. Each call returns or throws a ShadernetError (harness: outcome());
 * a value of the wrong type for a known option is refused, never silently defaulted; afterwards
 * the model the calls ran against and a fresh one still learn. CPU engine, plus a GPU sample.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import {
  Adagrad,
  Adam,
  AdamW,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CosineDecay,
  deserializeModel,
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
  loadModel,
  MeanSquaredError,
  PiecewiseConstantDecay,
  ReduceLROnPlateau,
  RMSprop,
  Sequential,
  serializeModel,
  setDefaultGpu,
  SGD,
  ShadernetError,
  SparseCategoricalCrossentropy,
  ValueError,
  type Callback,
  LearningRateSchedule,
} from '../../src/index.js';
import { ProgressLogger } from '../../src/model/progress.js';
import { assertTrains, CallerError, fuzz, outcome, runs, SEPARABLE, shortly, smallClassifier } from '../helpers/fuzz.js';
import {
  edgeNumber,
  edgeString,
  hostileValue,
  labelled,
  optionsObject,
  PROTOTYPE_NAMES,
  SMALL,
  typedArray,
} from '../helpers/fuzz-values.js';
import { useGpu } from '../helpers/gpu.js';

// ---------------------------------------------------------------------------------------------
// Valid values per option, so that generated objects also reach the checks behind the first one

const fraction = fc.double({ min: 0, max: 0.99, noNaN: true });
const rate = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0.01));
const smallCount = fc.integer({ min: 0, max: SMALL });
const positive = fc.integer({ min: 1, max: SMALL });
const seedValue = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1));
const name = fc.oneof(edgeString, fc.constantFrom('dense_in', 'out', 'model'));
const nameFrom = (...names: string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
    { weight: 1, arbitrary: edgeString },
  );

const schedule = fc
  .constantFrom(
    () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }),
    () => new PiecewiseConstantDecay({ boundaries: [5], values: [0.1, 0.01] }),
    () => new CosineDecay({ initialLearningRate: 0.05, decaySteps: 20 }),
  )
  .map((make) => make());
const learningRate = fc.oneof(rate, schedule);
const activation = nameFrom('linear', 'relu', 'sigmoid', 'tanh', 'leaky_relu', 'elu', 'gelu', 'softplus', 'swish', 'softmax');
const initializer = nameFrom('glorotUniform', 'glorot_normal', 'heNormal', 'zeros', 'ones', 'random_uniform');
const regularizer = fc.oneof(
  fc.constantFrom('l1', 'l2', 'l1_l2', null),
  fc.constant(null).map(() => new L1L2({ l1: 0.01, l2: 0.01 })),
);

/** What a generated callback hook does with the model it was handed (setModel): re-entrant calls included. */
const HOOK_ACTIONS: Readonly<Record<string, (model: Sequential) => unknown>> = {
  nothing: () => undefined,
  throws: () => {
    throw new CallerError('thrown by a callback');
  },
  rejects: async () => {
    throw new CallerError('rejected by a callback');
  },
  stops: (model) => {
    model.stopTraining = true;
  },
  fitsAgain: (model) => model.fit(SEPARABLE.x, SEPARABLE.y, { verbose: 0 }),
  compiles: (model) => model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' }),
  predicts: (model) => model.predict(SEPARABLE.x),
  evaluates: (model) => model.evaluate(SEPARABLE.x, SEPARABLE.y),
  setsBadWeights: (model) => model.setWeights([new Float32Array(1)]),
  setsSameWeights: async (model) => model.setWeights(await model.getWeights()),
  setsLearningRate: (model) => {
    if (model.optimizer) model.optimizer.learningRate = -1;
  },
  addsLayer: (model) => model.add(new Dense({ units: 1 })),
  saves: (model) =>
    model.save({ save: async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) as never }),
};

/** A callback whose hooks run generated actions on the model setModel hands it. */
const callback: fc.Arbitrary<Callback> = fc
  .record(
    {
      onTrainBegin: fc.constantFrom(...Object.keys(HOOK_ACTIONS)),
      onEpochBegin: fc.constantFrom(...Object.keys(HOOK_ACTIONS)),
      onEpochEnd: fc.constantFrom(...Object.keys(HOOK_ACTIONS)),
      onBatchEnd: fc.constantFrom(...Object.keys(HOOK_ACTIONS)),
      onTrainEnd: fc.constantFrom(...Object.keys(HOOK_ACTIONS)),
    },
    { requiredKeys: [] },
  )
  .map((hooks) => {
    let model: Sequential | undefined;
    const result: Record<string, unknown> = {
      setModel: (m: Sequential) => {
        model = m;
      },
    };
    for (const [hook, action] of Object.entries(hooks)) result[hook] = () => (model ? HOOK_ACTIONS[action]!(model) : undefined);
    return result as Callback;
  });

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

// ---------------------------------------------------------------------------------------------
// A value of the wrong type for a known option is refused, not replaced by the default

/** What an option must be; anything else (but undefined and null, which mean "not given") is refused. */
type Kind = 'boolean' | 'number' | 'string' | 'function';

/** Hostile values that are not of `kind`. */
const notOf = (kind: Kind): fc.Arbitrary<unknown> =>
  hostileValue.filter((value) => value !== undefined && value !== null && typeof value !== kind);

interface TypedOption {
  readonly entry: string;
  readonly kind: Kind;
  readonly keys: readonly string[];
  /** Calls the entry point with `{ [key]: value }` (plus what it needs besides). */
  readonly call: (options: Record<string, unknown>) => unknown;
}

let typedModel: Sequential | undefined;
const model = (): Sequential => (typedModel ??= smallClassifier({ backend: 'cpu' }));

const TYPED_OPTIONS: readonly TypedOption[] = [
  { entry: 'Sequential', kind: 'string', keys: ['name', 'backend'], call: (o) => new Sequential(o) },
  { entry: 'Sequential', kind: 'number', keys: ['seed'], call: (o) => new Sequential(o) },
  {
    entry: 'Dense',
    kind: 'number',
    keys: ['units', 'alpha', 'inputDim', 'outputDim'],
    call: (o) => new Dense({ units: 1, activation: 'elu', ...o }),
  },
  {
    entry: 'Dense',
    kind: 'string',
    keys: ['activation', 'kernelInitializer', 'biasInitializer', 'name'],
    call: (o) => new Dense({ units: 1, ...o }),
  },
  { entry: 'Dense', kind: 'boolean', keys: ['useBias'], call: (o) => new Dense({ units: 1, ...o }) },
  { entry: 'Dropout', kind: 'number', keys: ['rate', 'seed'], call: (o) => new Dropout({ rate: 0.1, ...o }) },
  { entry: 'Dropout', kind: 'string', keys: ['name'], call: (o) => new Dropout({ rate: 0.1, ...o }) },
  { entry: 'SGD', kind: 'number', keys: ['learningRate', 'momentum'], call: (o) => new SGD(o) },
  { entry: 'SGD', kind: 'boolean', keys: ['nesterov'], call: (o) => new SGD(o) },
  { entry: 'Adam', kind: 'number', keys: ['beta1', 'beta2', 'epsilon'], call: (o) => new Adam(o) },
  { entry: 'AdamW', kind: 'number', keys: ['weightDecay'], call: (o) => new AdamW(o) },
  { entry: 'RMSprop', kind: 'number', keys: ['rho', 'momentum', 'epsilon'], call: (o) => new RMSprop(o) },
  { entry: 'RMSprop', kind: 'boolean', keys: ['centered'], call: (o) => new RMSprop(o) },
  { entry: 'Adagrad', kind: 'number', keys: ['initialAccumulatorValue', 'epsilon'], call: (o) => new Adagrad(o) },
  {
    entry: 'ExponentialDecay',
    kind: 'number',
    keys: ['initialLearningRate', 'decaySteps', 'decayRate'],
    call: (o) => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5, ...o }),
  },
  {
    entry: 'ExponentialDecay',
    kind: 'boolean',
    keys: ['staircase'],
    call: (o) => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5, ...o }),
  },
  {
    entry: 'CosineDecay',
    kind: 'number',
    keys: ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps'],
    call: (o) => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1, ...o }),
  },
  { entry: 'L1L2', kind: 'number', keys: ['l1', 'l2'], call: (o) => new L1L2(o) },
  { entry: 'EarlyStopping', kind: 'string', keys: ['monitor', 'mode'], call: (o) => new EarlyStopping(o) },
  {
    entry: 'EarlyStopping',
    kind: 'number',
    keys: ['minDelta', 'patience', 'baseline', 'startFromEpoch', 'verbose'],
    call: (o) => new EarlyStopping(o),
  },
  { entry: 'EarlyStopping', kind: 'boolean', keys: ['restoreBestWeights'], call: (o) => new EarlyStopping(o) },
  { entry: 'ReduceLROnPlateau', kind: 'string', keys: ['monitor', 'mode'], call: (o) => new ReduceLROnPlateau(o) },
  {
    entry: 'ReduceLROnPlateau',
    kind: 'number',
    keys: ['factor', 'patience', 'minDelta', 'cooldown', 'minLr', 'verbose'],
    call: (o) => new ReduceLROnPlateau(o),
  },
  { entry: 'BinaryCrossentropy', kind: 'boolean', keys: ['fromLogits'], call: (o) => new BinaryCrossentropy(o) },
  { entry: 'compile', kind: 'string', keys: ['optimizer', 'loss'], call: (o) => model().compile({ optimizer: 'adam', loss: 'mse', ...o }) },
  {
    entry: 'fit',
    kind: 'number',
    keys: ['epochs', 'batchSize', 'validationSplit', 'verbose', 'seed', 'initialEpoch'],
    call: (o) => model().fit(SEPARABLE.x, SEPARABLE.y, { verbose: 0, ...o }),
  },
  { entry: 'fit', kind: 'boolean', keys: ['shuffle'], call: (o) => model().fit(SEPARABLE.x, SEPARABLE.y, { verbose: 0, ...o }) },
  { entry: 'fit', kind: 'string', keys: ['logStyle'], call: (o) => model().fit(SEPARABLE.x, SEPARABLE.y, { verbose: 0, ...o }) },
  { entry: 'evaluate', kind: 'number', keys: ['batchSize'], call: (o) => model().evaluate(SEPARABLE.x, SEPARABLE.y, o) },
  { entry: 'evaluate', kind: 'boolean', keys: ['returnDict'], call: (o) => model().evaluate(SEPARABLE.x, SEPARABLE.y, o) },
  { entry: 'predict', kind: 'number', keys: ['batchSize'], call: (o) => model().predict(SEPARABLE.x, o) },
  { entry: 'summary', kind: 'string', keys: ['style'], call: (o) => model().summary({ print: () => undefined, ...o }) },
  { entry: 'summary', kind: 'function', keys: ['print'], call: (o) => model().summary(o) },
  { entry: 'serializeModel', kind: 'boolean', keys: ['includeTrainingConfig'], call: (o) => serializeModel(model(), o) },
  {
    entry: 'deserializeModel',
    kind: 'boolean',
    keys: ['compile'],
    call: async (o) => {
      const { modelJson, weightData } = await serializeModel(model());
      deserializeModel(modelJson, weightData, { backend: 'cpu', ...o }).dispose();
    },
  },
  {
    entry: 'loadModel',
    kind: 'boolean',
    keys: ['compile'],
    call: async (o) => {
      const { modelJson, weightData } = await serializeModel(model());
      (await loadModel({ modelJson, weightData }, { backend: 'cpu', ...o })).dispose();
    },
  },
  {
    entry: 'loadModel',
    kind: 'number',
    keys: ['seed'],
    call: async (o) => {
      const { modelJson, weightData } = await serializeModel(model());
      (await loadModel({ modelJson, weightData }, { backend: 'cpu', ...o })).dispose();
    },
  },
  {
    entry: 'loadModel',
    kind: 'function',
    keys: ['fetch'],
    call: (o) => loadModel('https://models.example/model.json', { backend: 'cpu', ...o }),
  },
];

test('a value of the wrong type for a known option is refused with a ShadernetError', async (t) => {
  const cases = fc.tuple(fc.constantFrom(...TYPED_OPTIONS), fc.nat()).chain(([option, keyIndex]) =>
    notOf(option.kind)
      .map((value) => ({ option, key: option.keys[keyIndex % option.keys.length]!, value }))
      // A learning rate is a number or a LearningRateSchedule: a schedule is of the right type.
      .filter(({ key, value }) => !(key === 'learningRate' && value instanceof LearningRateSchedule)),
  );
  await fuzz(
    t,
    'wrong-typed options',
    cases,
    async ({ option, key, value }) => {
      const what = `${option.entry}({ ${key}: ${shortly(value)} })`;
      const result = await outcome(what, () => option.call({ [key]: value }));
      assert.ok(!result.ok, `${what} was accepted: a ${option.kind} option took ${typeof value}`);
    },
    runs(400),
  );
  // setDefaultGpu is the one entry point whose argument is not an options object.
  for (const value of [undefined, null, {}, 'gpu', 1])
    assert.throws(() => setDefaultGpu(value as never), ValueError, `setDefaultGpu(${shortly(value)})`);
  typedModel?.dispose();
});

// ---------------------------------------------------------------------------------------------
// The methods of a compiled model, with random arguments, on one shared model

let saveDir: string;
before(async () => {
  saveDir = await mkdtemp(join(tmpdir(), 'shadernet-fuzz-'));
});
after(async () => {
  await rm(saveDir, { recursive: true, force: true });
});

let saveCount = 0;
/** Where save() is sent: never a generated file:// path (it would write anywhere), only fresh folders under saveDir. */
const destination: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('downloads://m', 'localstorage://m', 'indexeddb://m', 'https://example.com/m', '', 'file:', 'memory://m'),
  edgeString.filter((s) => !s.startsWith('file://')),
  fc.constant(null).map(() => `file://${join(saveDir, `m${saveCount++}`)}`),
  fc
    .constantFrom<() => unknown>(
      () => async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
      () => async () => undefined,
      () => () => 42,
      () => async () => {
        throw new CallerError('save handler failed');
      },
    )
    .map((make) => ({ save: make() })),
  hostileValue,
);

/** Weights lists: hostile ones, and ones of the model's shapes (8, 4, 4, 1) with edge values. */
const weightsList: fc.Arbitrary<unknown> = fc.oneof(
  hostileValue,
  fc.array(fc.oneof(typedArray, fc.array(edgeNumber, { maxLength: 9 }), hostileValue), { maxLength: 5 }),
  fc.tuple(
    ...[8, 4, 4, 1].map((n) =>
      fc.oneof(
        fc.array(fc.oneof({ weight: 8, arbitrary: fc.double({ min: -2, max: 2, noNaN: true }) }, { weight: 1, arbitrary: edgeNumber }), {
          minLength: n,
          maxLength: n,
        }),
        fc.float32Array({ minLength: n, maxLength: n }),
      ),
    ),
  ),
);

const FIT_OPTIONS = {
  epochs: positive,
  batchSize: positive,
  validationData: fc.constant([SEPARABLE.x.slice(0, 4), SEPARABLE.y.slice(0, 4)]),
  validationSplit: fraction,
  shuffle: fc.boolean(),
  verbose: fc.constantFrom(0, 1, 2),
  callbacks: fc.oneof(
    callback,
    fc.array(callback, { maxLength: 2 }),
    fc.constant(null).map(() => [new EarlyStopping({ monitor: 'loss' }), new ReduceLROnPlateau({ monitor: 'loss', patience: 0 })]),
  ),
  seed: seedValue,
  initialEpoch: smallCount,
  logStyle: nameFrom('keras3', 'keras2'),
  classWeight: fc.oneof(
    fc.constant({ 0: 1, 1: 2 }),
    fc.dictionary(fc.constantFrom('0', '1', '2', '-1', '1.5', ...PROTOTYPE_NAMES), edgeNumber),
  ),
  sampleWeight: fc.oneof(
    fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 32, maxLength: 32 }),
    fc.array(edgeNumber, { maxLength: 33 }),
  ),
};

/** One method call on the shared model: which method, with generated arguments. */
const methodCall = fc.oneof(
  fc.record({
    method: fc.constant('compile'),
    options: optionsObject({
      optimizer: fc.oneof(
        nameFrom('sgd', 'SGD', 'adam', 'rmsprop', 'adagrad', 'adamw'),
        fc.constant(null).map(() => new SGD({ learningRate: 0.1 })),
      ),
      loss: nameFrom('binary_crossentropy', 'binaryCrossentropy', 'mse', 'categorical_crossentropy'),
      metrics: fc.array(nameFrom('accuracy', 'acc', 'mse', 'mae', 'binary_accuracy', 'categorical_accuracy'), { maxLength: 3 }),
    }),
  }),
  fc.record({ method: fc.constant('fit'), options: optionsObject(FIT_OPTIONS) }),
  fc.record({ method: fc.constant('fit(dataset)'), options: optionsObject(FIT_OPTIONS) }),
  fc.record({
    method: fc.constant('evaluate'),
    options: optionsObject({ batchSize: positive, sampleWeight: FIT_OPTIONS.sampleWeight, returnDict: fc.boolean() }),
  }),
  fc.record({ method: fc.constant('predict'), options: optionsObject({ batchSize: positive }) }),
  fc.record({ method: fc.constant('save'), options: fc.tuple(destination, optionsObject({ includeTrainingConfig: fc.boolean() })) }),
  fc.record({ method: fc.constant('setWeights'), options: weightsList }),
  fc.record({
    method: fc.constant('summary'),
    options: optionsObject({ style: nameFrom('keras3', 'keras2'), print: fc.constant(() => undefined) }),
  }),
  fc.record({ method: fc.constant('restore'), options: hostileValue }),
);

type MethodCall = { readonly method: string; readonly options: unknown };

const DATASET = { x: Float32Array.from(SEPARABLE.x.flat()), y: Float32Array.from(SEPARABLE.y), nSamples: 32, nFeatures: 2 };

/** Calls `call.method` on the model; fit is stopped (model.stopTraining, the public way) after a second of work. */
async function callMethod(model: Sequential, call: MethodCall): Promise<unknown> {
  const o = call.options as never;
  switch (call.method) {
    case 'compile':
      return model.compile(o);
    case 'fit':
    case 'fit(dataset)': {
      // Valid large epoch counts are long work, not hangs: stop them as a caller would.
      const stop = setTimeout(() => (model.stopTraining = true), 1000);
      try {
        return await (call.method === 'fit' ? model.fit(SEPARABLE.x, SEPARABLE.y, o) : model.fit(DATASET, o));
      } finally {
        clearTimeout(stop);
      }
    }
    case 'evaluate':
      return model.evaluate(SEPARABLE.x, SEPARABLE.y, o);
    case 'predict':
      return model.predict(SEPARABLE.x, o);
    case 'save': {
      const [target, options] = call.options as [unknown, unknown];
      return model.save(target as never, options as never);
    }
    case 'setWeights':
      return model.setWeights(o);
    case 'summary':
      return model.summary(o);
    case 'restore':
      return model.restore(o);
  }
  throw new Error(`no method ${call.method}`);
}

/** Runs the generated calls on `model`, then checks it and a fresh model still learn. */
async function fuzzMethods(
  t: TestContext,
  label: string,
  model: Sequential,
  fresh: () => Sequential,
  numRuns: number,
  gpu?: ReturnType<typeof useGpu>,
): Promise<void> {
  const initial = await model.getWeights();
  await fuzz(
    t,
    label,
    fc.array(methodCall, { minLength: 1, maxLength: 3 }),
    async (calls) => {
      for (const call of calls) {
        const result = await outcome(`${call.method}(${shortly(call.options)})`, () => callMethod(model, call), {
          timeoutMs: 10_000,
          ...(gpu ? { gpu: gpu() } : {}),
        });
        if (!result.ok) assert.ok(result.error instanceof ShadernetError || result.error instanceof CallerError);
      }
    },
    numRuns,
  );
  await assertTrains(model, initial);
  const other = fresh();
  await assertTrains(other);
  other.dispose();
}

test('methods of a compiled model with random arguments (CPU engine); the model still learns afterwards', async (t) => {
  const model = smallClassifier({ backend: 'cpu' });
  await fuzzMethods(t, 'model methods (cpu)', model, () => smallClassifier({ backend: 'cpu' }, 2), runs(300));
  model.dispose();
});

// ---------------------------------------------------------------------------------------------
// Random architectures: layers from generated options, compiled with generated options, trained

/** Hostile values, less the valid large widths (limits.test.ts covers those; here they are only slow). */
const hostileSmall = hostileValue.filter((v) => !(typeof v === 'number' && Number.isInteger(v) && v > SMALL && v <= 65_536));

const layerSpec = fc.oneof(
  {
    weight: 3,
    arbitrary: optionsObject(
      {
        units: positive,
        activation: fc.constantFrom('linear', 'relu', 'sigmoid', 'tanh', 'leaky_relu', 'elu', 'gelu', 'softplus', 'swish', 'softmax'),
        useBias: fc.boolean(),
        kernelInitializer: fc.constantFrom('glorotUniform', 'heNormal', 'zeros', 'ones'),
        biasInitializer: fc.constantFrom('zeros', 'ones', 'randomUniform'),
        kernelRegularizer: regularizer,
      },
      hostileSmall,
      { required: ['units'], alwaysObject: true, rarelySpoiled: true },
    ).map((options) => ({ kind: 'Dense' as const, options })),
  },
  {
    weight: 1,
    arbitrary: optionsObject({ rate: fraction, seed: seedValue }, hostileSmall, {
      required: ['rate'],
      alwaysObject: true,
      rarelySpoiled: true,
    }).map((options) => ({ kind: 'Dropout' as const, options })),
  },
);

const architecture = fc.record({
  layers: fc.array(layerSpec, { minLength: 1, maxLength: 4 }),
  inputDim: fc.oneof(fc.constant(2), fc.constant(undefined), hostileSmall),
  compile: optionsObject(
    {
      optimizer: fc.oneof(
        nameFrom('sgd', 'adam', 'rmsprop', 'adagrad', 'adamw'),
        fc.constant(null).map(() => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })),
      ),
      loss: nameFrom('binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'mse'),
      metrics: fc.array(nameFrom('accuracy', 'mse', 'mae'), { maxLength: 2 }),
    },
    hostileSmall,
    { required: ['optimizer', 'loss'], alwaysObject: true, rarelySpoiled: true },
  ),
  epochs: fc.integer({ min: 1, max: 3 }),
});

/** Targets for the compiled loss and output width: SEPARABLE's labels in the form the loss takes. */
function targetsFor(model: Sequential): unknown {
  const dense = model.layers.filter((layer): layer is Dense => layer instanceof Dense);
  const units = dense[dense.length - 1]?.units ?? 1;
  const loss = model.compileConfig?.loss.name;
  if (loss === 'binary_crossentropy' || loss === 'sparse_categorical_crossentropy') return SEPARABLE.y;
  return SEPARABLE.y.map((label) => Array.from({ length: units }, (_, j) => (j === label ? 1 : 0)));
}

test('random architectures: layers and compile options generated, then fit, evaluate, predict (CPU engine)', async (t) => {
  await fuzz(
    t,
    'architectures',
    architecture,
    async (spec) => {
      const what = `model ${shortly(spec, 600)}`;
      const built = await outcome(`${what}: build and compile`, () => {
        const model = new Sequential({ backend: 'cpu', seed: 1 });
        try {
          spec.layers.forEach((layer, i) => {
            const options =
              i === 0 && spec.inputDim !== undefined && typeof layer.options === 'object' && layer.options !== null
                ? { ...layer.options, inputDim: spec.inputDim }
                : layer.options;
            model.add(layer.kind === 'Dense' ? new Dense(options as never) : new Dropout(options as never));
          });
          model.compile(spec.compile as never);
        } catch (error) {
          model.dispose();
          throw error;
        }
        return model;
      });
      if (!built.ok) return;
      const model = built.value;
      const y = targetsFor(model) as never;
      await outcome(`${what}: fit`, () => model.fit(SEPARABLE.x, y, { epochs: spec.epochs, batchSize: 8, verbose: 0 }));
      await outcome(`${what}: evaluate`, () => model.evaluate(SEPARABLE.x, y));
      await outcome(`${what}: predict`, () => model.predict(SEPARABLE.x));
      await outcome(`${what}: save`, () => serializeModel(model));
      model.dispose();
    },
    runs(300),
  );
});

describe('GPU engine', () => {
  const gpu = useGpu();
  test('methods of a compiled model with random arguments (GPU engine, a smaller sample); no GPU memory left behind', async (t) => {
    const ctx = gpu();
    const baseline = ctx.memory();
    const model = smallClassifier({ gpu: ctx });
    await fuzzMethods(t, 'model methods (gpu)', model, () => smallClassifier({ gpu: ctx }, 2), runs(15, 'gpu'), gpu);
    model.dispose();
    assert.deepEqual(ctx.memory(), baseline);
  });
});
