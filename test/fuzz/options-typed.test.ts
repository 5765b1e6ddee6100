/** Fuzzing option types: a value of the wrong type for a known option is refused with a ShadernetError, never silently defaulted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  Adagrad,
  Adam,
  AdamW,
  BinaryCrossentropy,
  CosineDecay,
  deserializeModel,
  Dense,
  Dropout,
  EarlyStopping,
  ExponentialDecay,
  L1L2,
  loadModel,
  ReduceLROnPlateau,
  RMSprop,
  Sequential,
  serializeModel,
  setDefaultGpu,
  SGD,
  ValueError,
  LearningRateSchedule,
} from '../../src/index.js';
import { fuzz, outcome, runs, SEPARABLE, shortly, smallClassifier } from '../helpers/fuzz.js';
import { hostileValue } from '../helpers/fuzz-values.js';

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
