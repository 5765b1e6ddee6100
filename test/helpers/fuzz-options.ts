/** Shared by the option fuzz tests (test/fuzz/options-*.test.ts): valid values per option, and generated callbacks. */
import fc from 'fast-check';
import { CosineDecay, Dense, ExponentialDecay, L1L2, PiecewiseConstantDecay, Sequential, type Callback } from '../../src/index.js';
import { CallerError, SEPARABLE } from './fuzz.js';
import { edgeString, PROTOTYPE_NAMES, SMALL } from './fuzz-values.js';

// ---------------------------------------------------------------------------------------------
// Valid values per option, so that generated objects also reach the checks behind the first one

export const fraction = fc.double({ min: 0, max: 0.99, noNaN: true });
export const rate = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0.01));
export const smallCount = fc.integer({ min: 0, max: SMALL });
export const positive = fc.integer({ min: 1, max: SMALL });
export const seedValue = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1));
export const name = fc.oneof(edgeString, fc.constantFrom('dense_in', 'out', 'model'));
export const nameFrom = (...names: string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
    { weight: 1, arbitrary: edgeString },
  );

export const schedule = fc
  .constantFrom(
    () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }),
    () => new PiecewiseConstantDecay({ boundaries: [5], values: [0.1, 0.01] }),
    () => new CosineDecay({ initialLearningRate: 0.05, decaySteps: 20 }),
  )
  .map((make) => make());
export const learningRate = fc.oneof(rate, schedule);
export const activation = nameFrom('linear', 'relu', 'sigmoid', 'tanh', 'leaky_relu', 'elu', 'gelu', 'softplus', 'swish', 'softmax');
export const initializer = nameFrom('glorotUniform', 'glorot_normal', 'heNormal', 'zeros', 'ones', 'random_uniform');
export const regularizer = fc.oneof(
  fc.constantFrom('l1', 'l2', 'l1_l2', null),
  fc.constant(null).map(() => new L1L2({ l1: 0.01, l2: 0.01 })),
);

/** What a generated callback hook does with the model it was handed (setModel): re-entrant calls included. */
export const HOOK_ACTIONS: Readonly<Record<string, (model: Sequential) => unknown>> = {
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
export const callback: fc.Arbitrary<Callback> = fc
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
