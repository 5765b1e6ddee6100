/**
 * Fuzzing the data of fit, evaluate, predict and predictLayers: ragged rows, wrong shapes,
 * typed arrays of every kind, values that are NaN, ±Infinity, beyond float32, strings, BigInts
 * or null, `{ data, shape }` with bad shapes, Datasets whose fields disagree, and the data-valued
 * options (validationData, sampleWeight, classWeight). Every call returns or throws a
 * ShadernetError, on models of each loss; afterwards those models and a fresh one still learn.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { Dense, Sequential, type GpuContext } from '../../src/index.js';
import { assertTrains, fuzz, outcome, runs, SEPARABLE, shortly, smallClassifier } from '../helpers/fuzz.js';
import { edgeNumber, hostileValue, objectFrom, typedArray } from '../helpers/fuzz-values.js';
import { useGpu } from '../helpers/gpu.js';

// ---------------------------------------------------------------------------------------------
// Models of each loss, and data each learns from

type Engine = { readonly gpu: GpuContext } | { readonly backend: 'cpu' };
type Task = 'binary' | 'categorical' | 'sparse' | 'regression';

function modelFor(task: Task, engine: Engine): Sequential {
  if (task === 'binary') return smallClassifier(engine);
  const model = new Sequential({ ...engine, seed: 3 });
  model.add(new Dense({ units: 4, activation: 'tanh', inputDim: 2 }));
  model.add(new Dense({ units: task === 'regression' ? 2 : 3, activation: task === 'regression' ? 'linear' : 'softmax' }));
  const loss = { categorical: 'categorical_crossentropy', sparse: 'sparse_categorical_crossentropy', regression: 'mse' } as const;
  model.compile({ optimizer: 'adam', loss: loss[task], metrics: [task === 'regression' ? 'mae' : 'accuracy'] });
  return model;
}

/** SEPARABLE's labels as each task's targets. */
const TARGETS: Readonly<Record<Task, readonly (number | readonly number[])[]>> = {
  binary: SEPARABLE.y,
  categorical: SEPARABLE.y.map((label) => [1 - label, label, 0]),
  sparse: SEPARABLE.y,
  regression: SEPARABLE.y.map((label) => [label, -label]),
};

/** The model still trains: its loss on its task's data falls (the binary classifier: assertTrains). */
async function assertLearns(task: Task, model: Sequential): Promise<void> {
  if (task === 'binary') return assertTrains(model);
  const y = TARGETS[task] as never;
  model.compile({ optimizer: 'adam', loss: model.compileConfig!.loss, metrics: model.compileConfig!.metrics });
  model.optimizer!.learningRate = 0.05;
  const before = await model.evaluate(SEPARABLE.x, y);
  await model.fit(SEPARABLE.x, y, { epochs: 30, batchSize: 8, verbose: 0, seed: 1 });
  const after = await model.evaluate(SEPARABLE.x, y);
  assert.ok(after.loss < before.loss * 0.7, `${task}: loss fell from ${before.loss} to ${after.loss}`);
}

// ---------------------------------------------------------------------------------------------
// Data generators

/** One value of data: mostly plain numbers, sometimes anything a caller might leave in an array. */
const cellValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 8, arbitrary: fc.constantFrom(0, 1, 2) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e39, -1e39, 3.4028234663852886e38, 3.5e38, -0, 5e-324) },
  { weight: 1, arbitrary: fc.constantFrom('1', '', 1n, null, undefined, true, false, [], {}, [1]) },
);

const rowCount = fc.integer({ min: 0, max: 6 });
/** A width: mostly the models' 2 inputs, sometimes another. */
const width = fc.oneof({ weight: 4, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) });

/** Rows of numbers: rectangular, or ragged (each row's length drawn apart). */
const rows: fc.Arbitrary<unknown[][]> = fc.oneof(
  fc
    .tuple(rowCount, width)
    .chain(([n, w]) => fc.array(fc.array(cellValue, { minLength: w, maxLength: w }), { minLength: n, maxLength: n })),
  fc.array(fc.array(cellValue, { maxLength: 4 }), { maxLength: 6 }),
);

/** A flat list of values, as a plain array or a typed array of any kind. */
const flat: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(cellValue, { maxLength: 14 }),
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { maxLength: 14 }).map((values) => Float32Array.from(values)),
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { maxLength: 14 }).map((values) => Float64Array.from(values)),
  fc.float32Array({ maxLength: 14 }),
  fc.float64Array({ maxLength: 14 }),
  typedArray,
);

/** A shape: valid for the data, or any pair, length or value. */
const shape: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 3 })),
  fc.tuple(edgeNumber, edgeNumber),
  fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 3 }),
  fc.constantFrom([2 ** 28, 2], [2 ** 53, 0], [0, 2 ** 53], [2 ** 31, 2 ** 31], [-1, -2], [1.5, 2]),
  hostileValue,
);

/** `{ data, shape }`: sometimes the shape of the data, sometimes not. */
const matrix: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(rowCount, width)
    .chain(([n, w]) => fc.array(cellValue, { minLength: n * w, maxLength: n * w }).map((data) => ({ data, shape: [n, w] }))),
  fc.record({ data: fc.oneof(flat, hostileValue), shape }),
);

/** A Dataset-like object whose fields may disagree with each other. */
const dataset: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.record({
      x: fc.float64Array({ minLength: 2 * n, maxLength: 2 * n, noNaN: true, min: -3, max: 3 }),
      y: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }).map((labels) => Float64Array.from(labels)),
      nSamples: fc.constant(n),
      nFeatures: fc.constant(2),
    }),
  ),
  fc.record(
    {
      x: fc.oneof(flat, hostileValue),
      y: fc.oneof(flat, hostileValue),
      nSamples: fc.oneof(rowCount, edgeNumber, hostileValue),
      nFeatures: fc.oneof(width, edgeNumber, hostileValue),
    },
    { requiredKeys: ['x', 'nSamples', 'nFeatures'] },
  ),
);

/** Feature input: any of the forms above, or any value at all. */
const features: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: rows },
  { weight: 2, arbitrary: matrix },
  { weight: 2, arbitrary: flat },
  { weight: 2, arbitrary: dataset },
  { weight: 1, arbitrary: hostileValue },
);

/** Targets: labels in a flat list, rows, a matrix, or anything. */
const targets: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 1, 2) }, { weight: 1, arbitrary: cellValue }), {
      maxLength: 7,
    }),
  },
  { weight: 2, arbitrary: rows },
  { weight: 1, arbitrary: matrix },
  { weight: 1, arbitrary: flat },
  { weight: 1, arbitrary: hostileValue },
);

/** Options holding data: validationData, sampleWeight, classWeight (and validationSplit, which cuts the data). */
const someDataOptions = fc.record(
  {
    validationData: fc.oneof(fc.tuple(features, targets), fc.tuple(features, targets, flat), dataset, hostileValue),
    validationSplit: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), edgeNumber),
    sampleWeight: fc.oneof(flat, fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { maxLength: 7 }), hostileValue),
    classWeight: fc.oneof(
      fc.dictionary(
        fc.constantFrom('0', '1', '2', '3', '-1', '01', '1e0', 'constructor', '__proto__'),
        fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), edgeNumber),
      ),
      hostileValue,
    ),
    batchSize: fc.integer({ min: 1, max: 4 }),
  },
  { requiredKeys: [] },
);
const dataOptions: fc.Arbitrary<unknown> = fc
  .oneof(fc.constant({}), fc.record({ batchSize: fc.integer({ min: 1, max: 4 }) }), someDataOptions, someDataOptions)
  .map((options) => objectFrom([...Object.entries(options), ['verbose', 0], ['epochs', 2]]));

const TASKS: readonly Task[] = ['binary', 'categorical', 'sparse', 'regression'];

/** Targets of `n` samples for `task`, each value valid or (rarely) not. */
function taskTargets(task: Task, n: number): fc.Arbitrary<unknown> {
  const label = (valid: fc.Arbitrary<number>): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: 20, arbitrary: valid }, { weight: 1, arbitrary: cellValue });
  const column = (valid: fc.Arbitrary<number>): fc.Arbitrary<unknown> => fc.array(label(valid), { minLength: n, maxLength: n });
  const table = (cols: number, valid: fc.Arbitrary<number>): fc.Arbitrary<unknown> =>
    fc.array(fc.array(label(valid), { minLength: cols, maxLength: cols }), { minLength: n, maxLength: n });
  switch (task) {
    case 'binary':
      return fc.oneof(
        column(fc.double({ min: 0, max: 1, noNaN: true })),
        column(fc.constantFrom(0, 1)).map((y) => Float32Array.from(y as number[])),
      );
    case 'sparse':
      return column(fc.constantFrom(0, 1, 2));
    case 'categorical':
      return table(3, fc.double({ min: 0, max: 1, noNaN: true }));
    case 'regression':
      return fc.oneof(
        table(2, fc.double({ min: -3, max: 3, noNaN: true })),
        fc
          .array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2 * n, maxLength: 2 * n })
          .map((v) => ({ data: v, shape: [n, 2] })),
      );
  }
}

/** x and y that agree in length, for `task`: these reach the checks past the shapes. */
const coherent = (task: Task): fc.Arbitrary<{ x: unknown; y: unknown }> =>
  fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.record({
      x: fc.array(fc.array(cellValue, { minLength: 2, maxLength: 2 }), { minLength: n, maxLength: n }),
      y: taskTargets(task, n),
    }),
  );

const dataCall = (task: Task): fc.Arbitrary<DataCall> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(coherent(task), fc.constantFrom('fit', 'evaluate'), dataOptions)
        .map(([{ x, y }, call, options]) => ({ call, x, y, options })),
    },
    { weight: 2, arbitrary: fc.record({ call: fc.constantFrom('fit', 'evaluate'), x: features, y: targets, options: dataOptions }) },
    {
      weight: 1,
      arbitrary: fc.record({
        call: fc.constantFrom('fit(dataset)', 'evaluate(dataset)'),
        x: dataset,
        y: fc.constant(undefined),
        options: dataOptions,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        call: fc.constantFrom('predict', 'predictLayers'),
        x: features,
        y: fc.constant(undefined),
        options: fc.constant(undefined),
      }),
    },
  );

type DataCall = { readonly call: string; readonly x: unknown; readonly y: unknown; readonly options: unknown };

function run(model: Sequential, { call, x, y, options }: DataCall): Promise<unknown> {
  const [data, target, o] = [x as never, y as never, options as never];
  switch (call) {
    case 'fit':
      return model.fit(data, target, o);
    case 'fit(dataset)':
      return model.fit(data, o);
    case 'evaluate':
      return model.evaluate(data, target, o);
    case 'evaluate(dataset)':
      return model.evaluate(data, o);
    case 'predict':
      return model.predict(data);
    default:
      return model.predictLayers(data);
  }
}

/** Generated calls on a model of each task; then every model, and a fresh one, still learns. */
async function fuzzData(t: TestContext, label: string, engine: Engine, numRuns: number, gpu?: GpuContext): Promise<void> {
  const models = new Map(TASKS.map((task) => [task, modelFor(task, engine)]));
  const cases = fc.constantFrom(...TASKS).chain((task) => dataCall(task).map((call) => [task, call] as const));
  await fuzz(
    t,
    label,
    cases,
    async ([task, call]) => {
      const what = `${task} model: ${call.call}(${shortly(call.x, 150)}, ${shortly(call.y, 100)}, ${shortly(call.options, 200)})`;
      await outcome(what, () => run(models.get(task)!, call), gpu ? { gpu, timeoutMs: 10_000 } : {});
    },
    numRuns,
  );
  for (const [task, model] of models) {
    await assertLearns(task, model);
    model.dispose();
  }
  const fresh = smallClassifier(engine, 5);
  await assertTrains(fresh);
  fresh.dispose();
}

test('data of fit, evaluate and predict: random shapes, kinds and values (CPU engine); the models still learn', async (t) => {
  await fuzzData(t, 'data (cpu)', { backend: 'cpu' }, runs(1000));
});

describe('GPU engine', () => {
  const gpu = useGpu();
  test('data of fit, evaluate and predict (GPU engine, a smaller sample); no GPU memory left behind', async (t) => {
    const ctx = gpu();
    const baseline = ctx.memory();
    await fuzzData(t, 'data (gpu)', { gpu: ctx }, runs(30, 'gpu'), ctx);
    assert.deepEqual(ctx.memory(), baseline);
  });
});
