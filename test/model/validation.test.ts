/**
 * Every public option and name is checked by type and range, with a typed error naming it, and
 * the model stays usable after a refused call. CPU engine: these are API checks, not GPU ones.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineDecay,
  Dense,
  Dropout,
  EarlyStopping,
  ExponentialDecay,
  L1L2,
  l1,
  l1l2,
  PiecewiseConstantDecay,
  ReduceLROnPlateau,
  RMSprop,
  Sequential,
  SGD,
  ShapeError,
  ValueError,
  type Callback,
  type FeatureInput,
} from '../../src/index.js';
import { ProgressLogger } from '../../src/model/progress.js';

const x = [
  [0.1, 0.2],
  [0.3, -0.4],
  [-0.5, 0.6],
];
const y = [0, 1, 0];

function classifier(seed = 1): Sequential {
  const model = new Sequential({ backend: 'cpu', seed });
  model.add(new Dense({ units: 4, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Asserts that the model still trains, evaluates and predicts after a refused call. */
async function assertUsable(model: Sequential): Promise<void> {
  const history = await model.fit(x, y, { epochs: 1, verbose: 0 });
  assert.ok(Number.isFinite(history.history['loss']![0]));
  assert.ok(Number.isFinite((await model.evaluate(x, y)).loss));
  assert.equal((await model.predict(x)).length, 3);
}

const inheritedNames = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('names from outside are looked up as own keys only', () => {
  for (const name of inheritedNames) {
    test(`'${name}' is refused as every kind of name, with a ValueError listing the valid ones`, async () => {
      assert.throws(() => new Dense({ units: 1, kernelInitializer: name }), {
        name: 'ValueError',
        message: /Unknown kernelInitializer .*expected one of: glorotUniform/,
      });
      assert.throws(() => new Dense({ units: 1, biasInitializer: name }), {
        name: 'ValueError',
        message: /Unknown biasInitializer .*expected one of: glorotUniform/,
      });
      assert.throws(() => new Dense({ units: 1, activation: name as 'relu' }), {
        name: 'ValueError',
        message: /Unknown activation .*expected one of: linear, relu/,
      });
      assert.throws(() => new Dense({ units: 1, kernelRegularizer: name as 'l1' }), {
        name: 'ValueError',
        message: /kernelRegularizer must be 'l1', 'l2', 'l1_l2'/,
      });
      assert.throws(() => new Sequential({ backend: name as 'cpu' }), {
        name: 'ValueError',
        message: /backend .*expected one of: auto, webgpu, cpu/i,
      });
      const model = classifier();
      assert.throws(() => model.compile({ optimizer: 'adam', loss: name as 'mse' }), {
        name: 'ValueError',
        message: /Unknown loss .*expected one of: binary_crossentropy/,
      });
      assert.throws(() => model.compile({ optimizer: name as 'adam', loss: 'mse' }), {
        name: 'ValueError',
        message: /Unknown optimizer .*expected one of: sgd, rmsprop/,
      });
      assert.throws(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: [name as 'mae'] }), {
        name: 'ValueError',
        message: /Unknown metric .*expected one of: accuracy/,
      });
      await assert.rejects(model.fit(x, y, { verbose: 0, logStyle: name as 'keras3' }), {
        name: 'ValueError',
        message: /logStyle .*keras3, keras2/,
      });
      assert.throws(
        () => new ProgressLogger({ verbose: 1, epochs: 1, steps: 1, style: name as 'keras3', write: () => {}, interactive: false }),
        {
          name: 'ValueError',
          message: /ProgressLogger style must be one of keras3, keras2/,
        },
      );
      await assertUsable(model);
    });
  }

  test('a kernelInitializer of "constructor" used to be accepted and made the model unusable', async () => {
    assert.throws(() => new Dense({ units: 2, inputDim: 2, kernelInitializer: 'constructor' }), ValueError);
    // Keras's snake_case names still resolve.
    const dense = new Dense({ units: 2, inputDim: 2, kernelInitializer: 'he_normal', biasInitializer: 'ones' });
    assert.equal(dense.kernelInitializer, 'heNormal');
  });

  test('classWeight counts own keys only: an inherited class weight is not applied', async () => {
    const inherited = Object.create({ 0: 1000 }) as Record<number, number>;
    inherited[1] = 1;
    const trained = async (classWeight: Record<number, number>): Promise<Float32Array[]> => {
      const model = classifier();
      await model.fit(x, y, { epochs: 1, verbose: 0, shuffle: false, classWeight });
      return model.getWeights();
    };
    const withInherited = await trained(inherited);
    assert.deepEqual(withInherited, await trained({ 1: 1 }));
    assert.notDeepEqual(withInherited, await trained({ 0: 1000, 1: 1 }), 'an own weight of 1000 does change training');
    const model = classifier();
    await assert.rejects(model.fit(x, y, { verbose: 0, classWeight: { 0: '2' as unknown as number } }), {
      name: 'ValueError',
      message: /classWeight\[0\] is "2"; it must be a finite number ≥ 0/,
    });
    await assertUsable(model);
  });

  test('a callback monitor of "constructor" is a missing key, not Object', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (text: string) => void warnings.push(text);
    try {
      const stopper = new EarlyStopping({ monitor: 'constructor', mode: 'min', patience: 0 });
      const model = classifier();
      const history = await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [stopper] });
      assert.equal(history.epoch.length, 3, 'nothing to monitor: training runs every epoch');
      assert.equal(stopper.best, undefined);
      assert.match(warnings.join('\n'), /conditioned on 'constructor', which is not in the logs/);
    } finally {
      console.warn = warn;
    }
  });
});

describe('typed errors for data', () => {
  const cases: readonly [string, FeatureInput | unknown, unknown, new (...a: never[]) => Error, RegExp][] = [
    ['a null row', [null, [1, 2]], [0, 1], ValueError, /x row 0 is null; expected an array of numbers/],
    [
      'a BigInt value',
      [
        [1n, 2],
        [3, 4],
      ],
      [0, 1],
      ValueError,
      /x contains a bigint \(1n\) at row 0, column 0; expected a number/,
    ],
    [
      'a numeric string',
      [
        ['1', 2],
        [3, 4],
      ],
      [0, 1],
      ValueError,
      /x contains a string \("1"\) at row 0, column 0; expected a number/,
    ],
    [
      'a boolean',
      [
        [true, 2],
        [3, 4],
      ],
      [0, 1],
      ValueError,
      /x contains a boolean \(true\) at row 0, column 0; expected a number/,
    ],
    ['a string label', x, ['1', 0, 1], ValueError, /y contains a string \("1"\) at row 0, column 0; expected a number/],
    ['a boolean label', x, [true, false, true], ValueError, /y contains a boolean \(true\) at row 0, column 0; expected a number/],
    ['a string in { data, shape }', { data: ['1', 2], shape: [1, 2] }, [0], ValueError, /x contains a string \("1"\) at row 0, column 0/],
    [
      'a 3-D shape',
      { data: [1, 2, 3, 4], shape: [1, 2, 2] },
      [0],
      ShapeError,
      /x shape must be \[rows, features\] \(2 dimensions\), got \[1, 2, 2\]/,
    ],
    [
      'a value that overflows float32',
      [[1e39, 2]],
      [0],
      ValueError,
      /x contains 1e\+39 at row 0, column 0, beyond float32's largest finite value \(3\.4028234663852886e\+38\)/,
    ],
    ['a BigInt64Array', { data: new BigInt64Array(2), shape: [1, 2] }, [0], ValueError, /x data must hold numbers, got a BigInt64Array/],
    ['a mix of numbers and rows', [1, [2, 3]], [0], ValueError, /x mixes numbers and rows: x\[0\] is a number, x\[1\] an array/],
    [
      'not data at all',
      'abc',
      [0],
      ValueError,
      /x must be an array of rows, a Float32Array\/Float64Array, \{ data, shape \} or a Dataset .*; got a string \("abc"\)/,
    ],
  ];
  for (const [name, xs, ys, type, message] of cases) {
    test(name, async () => {
      const model = classifier();
      await assert.rejects(
        model.fit(xs as FeatureInput, ys as number[], { verbose: 0 }),
        (error: Error) => error instanceof type && message.test(error.message),
        name,
      );
      await assertUsable(model);
    });
  }

  test('predict and evaluate refuse the same values (predict of numeric strings used to compute on them)', async () => {
    const model = classifier();
    await assert.rejects(model.predict([['1', '2']] as unknown as number[][]), {
      name: 'ValueError',
      message: /x contains a string \("1"\) at row 0, column 0/,
    });
    await assert.rejects(model.evaluate(x, [0, 1, 2n] as unknown as number[]), {
      name: 'ValueError',
      message: /y contains a bigint \(2n\) at row 2, column 0/,
    });
    await assert.rejects(model.evaluate(x, y, { sampleWeight: ['1', 1, 1] as unknown as number[] }), {
      name: 'ValueError',
      message: /sampleWeight\[0\] is "1"; it must be a finite number ≥ 0/,
    });
    const weights = await model.getWeights();
    assert.throws(() => model.setWeights(weights.map((w, i) => (i === 0 ? Array.from(w, String) : w)) as unknown as Float32Array[]), {
      name: 'ValueError',
      message: /Weight 0 contains a string \("[-0-9.e]+"\) at index 0; expected a number/,
    });
    await assertUsable(model);
  });

  test('validationData must be [x, y], [x, y, sampleWeight] or a Dataset', async () => {
    const model = classifier();
    await assert.rejects(model.fit(x, y, { verbose: 0, validationData: 'abc' as unknown as [number[][], number[]] }), {
      name: 'ValueError',
      message: /validationData must be \[x, y\], \[x, y, sampleWeight\] or a Dataset/,
    });
    await assertUsable(model);
  });
});

describe('typed errors for options', () => {
  const fitCases: readonly [string, Record<string, unknown>, RegExp][] = [
    ['shuffle: "no"', { shuffle: 'no' }, /shuffle must be true or false, got "no"/],
    ['seed: "abc"', { seed: 'abc' }, /fit seed must be an integer in \[0, 2\*\*32 - 1\], got "abc"/],
    ['seed: -1', { seed: -1 }, /fit seed must be an integer in \[0, 2\*\*32 - 1\], got -1/],
    ['epochs: "10"', { epochs: '10' }, /epochs must be a positive integer, got "10"/],
    ['epochs: 2**60', { epochs: 2 ** 60 }, /epochs must be a positive integer/],
    ['batchSize: true', { batchSize: true }, /batchSize must be a positive integer, got true/],
    ['verbose: "1"', { verbose: '1' }, /verbose must be one of 0, 1, 2, got "1"/],
    ['initialEpoch: "0"', { initialEpoch: '0' }, /initialEpoch must be an integer in \[0, epochs\)/],
    ['validationSplit: "0.2"', { validationSplit: '0.2' }, /validationSplit must be in \(0, 1\), got "0.2"/],
    [
      'validationSplit: NaN next to validationData',
      { validationSplit: NaN, validationData: [x, y] },
      /validationSplit must be in \(0, 1\), got NaN/,
    ],
    ['callbacks: "early"', { callbacks: 'early' }, /callbacks must be a callback object or an array of them, got a string/],
    ['a callback hook that is not a function', { callbacks: [{ onEpochEnd: 3 }] }, /callbacks\[0\]\.onEpochEnd must be a function, got 3/],
    ['classWeight: [1, 2]', { classWeight: [1, 2] }, /classWeight must be an object mapping class indices to weights/],
  ];
  for (const [name, options, message] of fitCases) {
    test(`fit ${name}`, async () => {
      const model = classifier();
      await assert.rejects(
        model.fit(x, y, { verbose: 0, ...options }),
        (error: Error) => error instanceof ValueError && message.test(error.message),
        name,
      );
      await assertUsable(model);
    });
  }

  test('evaluate and predict options', async () => {
    const model = classifier();
    await assert.rejects(model.fit(x, y, 'fast' as never), { name: 'ValueError', message: /fit options must be an object, got a string/ });
    await assert.rejects(model.evaluate(x, y, { returnDict: 'no' as unknown as false }), {
      name: 'ValueError',
      message: /returnDict must be true or false, got "no"/,
    });
    await assert.rejects(model.evaluate(x, y, { batchSize: 0 }), {
      name: 'ValueError',
      message: /batchSize must be a positive integer, got 0/,
    });
    await assert.rejects(model.predict(x, { batchSize: 1.5 }), {
      name: 'ValueError',
      message: /batchSize must be a positive integer, got 1.5/,
    });
    await assert.rejects(model.predict(x, 'fast' as never), { name: 'ValueError', message: /predict options must be an object/ });
    assert.throws(() => model.summary({ style: 'keras4' as 'keras3' }), {
      name: 'ValueError',
      message: /summary style must be one of keras3, keras2/,
    });
    await assertUsable(model);
  });

  test('Sequential and compile options', () => {
    assert.throws(() => new Sequential({ seed: 'abc' as unknown as number }), {
      name: 'ValueError',
      message: /Sequential seed must be an integer in \[0, 2\*\*32 - 1\], got "abc"/,
    });
    assert.throws(() => new Sequential({ seed: 1.5 }), { name: 'ValueError', message: /Sequential seed/ });
    assert.throws(() => new Sequential({ name: 42 as unknown as string }), {
      name: 'ValueError',
      message: /Sequential name must be a non-empty string, got 42/,
    });
    assert.throws(() => new Sequential({ layers: 'dense' as never }), {
      name: 'ValueError',
      message: /Sequential layers must be an array of layers/,
    });
    assert.throws(() => new Sequential({ gpu: {} as never }), { name: 'ValueError', message: /Sequential gpu must be a GpuContext/ });
    assert.throws(() => new Sequential('cpu' as never), { name: 'ValueError', message: /Sequential options must be an object/ });
    const model = classifier();
    assert.throws(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: 'mae' as never }), {
      name: 'ValueError',
      message: /metrics must be an array of names/,
    });
  });

  test('Dense and Dropout options', () => {
    const dense = (options: Record<string, unknown>) => () => new Dense({ units: 2, ...options } as never);
    assert.throws(dense({ useBias: 'no' }), { name: 'ValueError', message: /Dense useBias must be true or false, got "no"/ });
    assert.throws(dense({ units: '8' }), { name: 'ValueError', message: /Dense units must be a positive integer, got "8"/ });
    assert.throws(dense({ units: 2 ** 53 }), { name: 'ValueError', message: /Dense units must be a positive integer/ });
    assert.throws(dense({ inputDim: '2' }), { name: 'ValueError', message: /Dense inputDim must be a positive integer, got "2"/ });
    assert.throws(dense({ name: 3 }), { name: 'ValueError', message: /Dense name must be a non-empty string, got 3/ });
    assert.throws(dense({ activation: 3 }), { name: 'ValueError', message: /Unknown activation 3; expected one of/ });
    assert.throws(dense({ kernelInitializer: 3 }), { name: 'ValueError', message: /Unknown kernelInitializer 3/ });
    assert.throws(dense({ alpha: '0.1', activation: 'elu' }), { name: 'ValueError', message: /alpha/ });
    assert.throws(() => new Dropout({ rate: '0.5' as unknown as number }), {
      name: 'ValueError',
      message: /Dropout rate must be in \[0, 1\), got "0.5"/,
    });
    assert.throws(() => new Dropout({ rate: 0.5, name: 1 as unknown as string }), {
      name: 'ValueError',
      message: /Dropout name must be a non-empty string, got 1/,
    });
  });

  test('optimizers, schedules and regularizers', () => {
    assert.throws(() => new SGD({ momentum: '0.9' as unknown as number }), {
      name: 'ValueError',
      message: /SGD momentum must be in \[0, 1\], got "0.9"/,
    });
    assert.throws(() => new SGD({ nesterov: 'yes' as unknown as boolean }), {
      name: 'ValueError',
      message: /SGD nesterov must be true or false, got "yes"/,
    });
    assert.throws(() => new RMSprop({ rho: 1 }), { name: 'ValueError', message: /RMSprop rho must be in \[0, 1\), got 1/ });
    assert.throws(() => new Adagrad({ epsilon: 0 }), { name: 'ValueError', message: /Adagrad epsilon must be a finite number > 0, got 0/ });
    assert.throws(() => new Adam({ beta1: null as unknown as number }), {
      name: 'ValueError',
      message: /Adam beta1 must be in \[0, 1\), got null/,
    });
    assert.throws(() => new AdamW({ weightDecay: '0.1' as unknown as number }), {
      name: 'ValueError',
      message: /AdamW weightDecay must be a finite number ≥ 0, got "0.1"/,
    });
    assert.throws(() => new Adam({ learningRate: '0.1' as unknown as number }), {
      name: 'ValueError',
      message: /Adam learningRate must be a finite number ≥ 0 or a LearningRateSchedule, got "0.1"/,
    });
    assert.throws(() => new Adam('fast' as never), { name: 'ValueError', message: /Adam options must be an object/ });
    assert.throws(() => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: '10' as unknown as number, decayRate: 0.5 }), {
      name: 'ValueError',
      message: /ExponentialDecay decaySteps must be a finite number, got "10"/,
    });
    assert.throws(
      () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: 1 as unknown as boolean }),
      { name: 'ValueError', message: /staircase must be true or false, got 1/ },
    );
    assert.throws(() => new PiecewiseConstantDecay({ boundaries: ['10'] as unknown as number[], values: [1, 0.5] }), {
      name: 'ValueError',
      message: /boundaries\[0\] must be a finite number, got "10"/,
    });
    assert.throws(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: true as unknown as number }), {
      name: 'ValueError',
      message: /CosineDecay warmupSteps must be a finite number, got true/,
    });
    assert.throws(() => new L1L2({ l1: '0.1' as unknown as number }), {
      name: 'ValueError',
      message: /L1L2 l1 must be a finite number ≥ 0, got "0.1"/,
    });
    assert.throws(() => l1(-1), { name: 'ValueError', message: /L1 l1 must be a finite number ≥ 0, got -1/ });
    assert.throws(() => l1l2('big' as never), { name: 'ValueError', message: /l1l2 options must be an object/ });
  });

  test('callbacks: EarlyStopping and ReduceLROnPlateau options', () => {
    assert.throws(() => new EarlyStopping({ restoreBestWeights: 'yes' as unknown as boolean }), {
      name: 'ValueError',
      message: /EarlyStopping restoreBestWeights must be true or false, got "yes"/,
    });
    assert.throws(() => new EarlyStopping({ verbose: 2 as 1 }), {
      name: 'ValueError',
      message: /EarlyStopping verbose must be one of 0, 1, got 2/,
    });
    assert.throws(() => new EarlyStopping({ patience: '3' as unknown as number }), {
      name: 'ValueError',
      message: /EarlyStopping patience must be an integer ≥ 0, got "3"/,
    });
    assert.throws(() => new EarlyStopping({ monitor: 3 as unknown as string }), {
      name: 'ValueError',
      message: /EarlyStopping monitor must be a log key such as 'val_loss', got 3/,
    });
    assert.throws(() => new EarlyStopping({ mode: 'up' as 'min' }), {
      name: 'ValueError',
      message: /EarlyStopping mode must be one of auto, min, max, got "up"/,
    });
    assert.throws(() => new ReduceLROnPlateau({ factor: '0.5' as unknown as number }), {
      name: 'ValueError',
      message: /ReduceLROnPlateau factor must be in \[0, 1\), got "0.5"/,
    });
    assert.throws(() => new ReduceLROnPlateau({ verbose: true as unknown as 1 }), {
      name: 'ValueError',
      message: /ReduceLROnPlateau verbose must be one of 0, 1, got true/,
    });
    assert.throws(() => new ReduceLROnPlateau({ cooldown: 1.5 }), {
      name: 'ValueError',
      message: /ReduceLROnPlateau cooldown must be an integer ≥ 0, got 1.5/,
    });
  });

  test('a refused callback list leaves the model usable and calls no callback', async () => {
    const calls: string[] = [];
    const good: Callback = { onTrainBegin: () => void calls.push('begin') };
    const model = classifier();
    await assert.rejects(model.fit(x, y, { verbose: 0, callbacks: [good, 'bad' as never] }), ValueError);
    assert.deepEqual(calls, []);
    await assertUsable(model);
  });
});
