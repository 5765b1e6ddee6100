/** Fuzzing the methods of a compiled model (compile, fit, evaluate, predict, save, setWeights, summary, restore) with random arguments, CPU and GPU engines; the model still learns afterwards. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { EarlyStopping, ReduceLROnPlateau, Sequential, SGD, ShadernetError } from '../../src/index.js';
import { assertTrains, CallerError, fuzz, outcome, runs, SEPARABLE, shortly, smallClassifier } from '../helpers/fuzz.js';
import { edgeNumber, edgeString, hostileValue, optionsObject, PROTOTYPE_NAMES, typedArray } from '../helpers/fuzz-values.js';
import { useGpu } from '../helpers/gpu.js';
import { fraction, smallCount, positive, seedValue, nameFrom, callback } from '../helpers/fuzz-options.js';

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
