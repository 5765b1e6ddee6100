import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OptimizerConfig } from '../../src/spec/optimizer.js';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineDecay,
  Dense,
  deserializeModel,
  ExponentialDecay,
  makeCircles,
  PiecewiseConstantDecay,
  RMSprop,
  Sequential,
  serializeModel,
  SGD,
  type Callback,
  type Optimizer,
} from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { type MlpSpec, mlpLayout, mlpTrainStep } from '../helpers/mlp.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose, randomArray } from '../helpers/numeric.js';

const gpu = useGpu();

const SPEC: MlpSpec = { inputs: 2, hidden: [{ units: 4, activation: 'tanh' }] };
const LAYOUT = mlpLayout(SPEC);
const ROWS = 40;
const BATCH = 8; // 5 steps per epoch
const circles = makeCircles({ nSamples: ROWS, factor: 0.4, noise: 0.1, randomState: 11 });
const X = Float64Array.from(Float32Array.from(circles.x));
const Y = circles.y;
const THETA0 = Float64Array.from(Float32Array.from(randomArray(LAYOUT.count, 21)));

type Backend = 'webgpu' | 'cpu';

function model(backend: Backend, optimizer: Optimizer): Sequential {
  const m = new Sequential(backend === 'cpu' ? { backend: 'cpu' } : { gpu: gpu(), backend: 'webgpu' });
  m.add(new Dense({ units: 4, activation: 'tanh', inputDim: 2 }));
  m.add(new Dense({ units: 1, activation: 'sigmoid' }));
  m.compile({ optimizer, loss: 'binary_crossentropy' });
  m.setWeights(
    LAYOUT.layers.flatMap((l) => [THETA0.subarray(l.weightsOffset, l.biasOffset), THETA0.subarray(l.biasOffset, l.biasOffset + l.units)]),
  );
  return m;
}

/** Training without shuffling in float64, step t (1-based) with configAt(t). */
function referenceFit(epochs: number, configAt: (t: number) => OptimizerConfig): Float64Array {
  const theta = Float64Array.from(THETA0);
  const state = ref.createOptimizerState(theta.length);
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let start = 0; start < ROWS; start += BATCH) {
      const end = Math.min(ROWS, start + BATCH);
      t++;
      mlpTrainStep(SPEC, theta, state, configAt(t), t, X.subarray(start * 2, end * 2), Y.subarray(start, end));
    }
  }
  return theta;
}

async function flatWeights(m: Sequential): Promise<Float64Array> {
  return Float64Array.from((await m.getWeights()).flatMap((w) => Array.from(w)));
}

/** GPU float32 after up to 15 steps vs float64: the same tolerance as sequential.test.ts's Adam check. */
const GPU_TOLERANCE = { rtol: 1e-3, atol: 1e-5 };
/** The CPU engine is the float64 reference itself; getWeights rounds to float32. */
const CPU_TOLERANCE = { rtol: 1e-6, atol: 1e-7 };
const tolerance = (backend: Backend) => (backend === 'cpu' ? CPU_TOLERANCE : GPU_TOLERANCE);

async function fit(m: Sequential, epochs: number, callbacks: Callback[] = []): Promise<Float64Array> {
  await m.fit({ data: X, shape: [ROWS, 2] }, Y, { epochs, batchSize: BATCH, shuffle: false, verbose: 0, callbacks });
  return flatWeights(m);
}

describe('compile accepts optimizer names (any case, as Keras) and instances', () => {
  test('names give Keras 3 defaults; instances are kept; unknown names are a ValueError', () => {
    const m = new Sequential({ backend: 'cpu' });
    m.add(new Dense({ units: 1, activation: 'sigmoid', inputDim: 2 }));
    const expected: Record<string, OptimizerConfig> = {
      sgd: { name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false },
      rmsprop: { name: 'rmsprop', learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
      adagrad: { name: 'adagrad', learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
      adam: { name: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      adamw: { name: 'adamw', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 },
    };
    for (const name of ['sgd', 'SGD', 'rmsprop', 'RMSprop', 'adagrad', 'Adagrad', 'adam', 'Adam', 'adamw', 'AdamW'] as const) {
      m.compile({ optimizer: name, loss: 'binary_crossentropy' });
      assert.deepEqual(m.optimizer?.hyperparameters, expected[name.toLowerCase()], name);
    }
    const instance = new RMSprop({ momentum: 0.3 });
    m.compile({ optimizer: instance, loss: 'binary_crossentropy' });
    assert.equal(m.optimizer, instance);
    assert.equal(m.optimizer?.className, 'RMSprop');
    assert.throws(() => m.compile({ optimizer: 'adadelta' as 'adam', loss: 'binary_crossentropy' }), {
      name: 'ValueError',
      message: /Unknown optimizer "adadelta"/,
    });
    m.dispose();
  });
});

describe('hyperparameter validation: a ValueError naming the bad value, nothing changed', () => {
  test('constructors, the learning-rate setter and schedules', async () => {
    const bad: [() => unknown, RegExp][] = [
      [() => new SGD({ learningRate: -0.1 }), /SGD learningRate must be a finite number ≥ 0/],
      [() => new SGD({ learningRate: Number.NaN }), /SGD learningRate/],
      [() => new SGD({ momentum: 1.5 }), /SGD momentum must be in \[0, 1\]/],
      [() => new SGD({ momentum: -0.1 }), /SGD momentum/],
      [() => new SGD({ nesterov: 'yes' as unknown as boolean }), /SGD nesterov must be true or false/],
      [() => new RMSprop({ rho: 1 }), /RMSprop rho must be in \[0, 1\)/],
      [() => new RMSprop({ momentum: 2 }), /RMSprop momentum/],
      [() => new RMSprop({ epsilon: 0 }), /RMSprop epsilon must be a finite number > 0/],
      [() => new RMSprop({ centered: true, momentum: 0.5 }), /centered: true with momentum > 0 is not supported/],
      [() => new Adagrad({ initialAccumulatorValue: -1 }), /Adagrad initialAccumulatorValue/],
      [() => new Adagrad({ epsilon: -1e-7 }), /Adagrad epsilon/],
      [() => new Adam({ beta1: 1 }), /Adam beta1 must be in \[0, 1\)/],
      [() => new Adam({ beta2: -0.5 }), /Adam beta2/],
      [() => new AdamW({ weightDecay: -0.1 }), /AdamW weightDecay/],
      [() => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }), /ExponentialDecay decaySteps must be > 0/],
      [() => new ExponentialDecay({ initialLearningRate: -1, decaySteps: 10, decayRate: 0.5 }), /ExponentialDecay initialLearningRate/],
      [
        () => new PiecewiseConstantDecay({ boundaries: [10, 20], values: [0.1, 0.01] }),
        /one more value than boundaries; got 2 boundaries and 2 values/,
      ],
      [() => new PiecewiseConstantDecay({ boundaries: [20, 10], values: [0.1, 0.01, 0.001] }), /boundaries must increase/],
      [() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: -5 }), /CosineDecay decaySteps must be > 0/],
      [() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5, alpha: 2 }), /CosineDecay alpha must be in \[0, 1\]/],
    ];
    for (const [make, message] of bad) assert.throws(make, { name: 'ValueError', message });
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.5 });
    assert.throws(() => (sgd.learningRate = -1), { name: 'ValueError', message: /SGD learningRate/ });
    assert.equal(sgd.learningRate, 0.1, 'the old rate is kept');
    // The model stays usable after a refused optimizer.
    const m = model('cpu', new SGD({ learningRate: 0.1 }));
    assert.throws(() => m.compile({ optimizer: new Adam({ epsilon: -1 }), loss: 'binary_crossentropy' }), { name: 'ValueError' });
    const weights = await fit(m, 1);
    expectClose(
      weights,
      referenceFit(1, () => ({ name: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false })),
      CPU_TOLERANCE,
      'trained after the error',
    );
    m.dispose();
  });
});

describe('learning-rate schedules (Keras 3 formulas)', () => {
  test('ExponentialDecay, smooth and staircase, vs closed forms', () => {
    const smooth = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const stairs = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    for (const step of [0, 1, 9, 10, 15, 25, 100]) {
      expectClose([smooth.valueAt(step)], [0.1 * 0.5 ** (step / 10)], { rtol: 1e-15, atol: 0 }, `smooth at ${step}`);
      expectClose([stairs.valueAt(step)], [0.1 * 0.5 ** Math.floor(step / 10)], { rtol: 1e-15, atol: 0 }, `staircase at ${step}`);
    }
    assert.equal(stairs.valueAt(9), 0.1);
    assert.equal(stairs.valueAt(10), 0.05);
  });

  test('PiecewiseConstantDecay: values[i] while boundaries[i−1] < step ≤ boundaries[i]', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [3, 7], values: [1, 0.5, 0.1] });
    assert.deepEqual(
      [0, 3, 4, 7, 8, 1000].map((step) => s.valueAt(step)),
      [1, 1, 0.5, 0.5, 0.1, 0.1],
    );
  });

  test('CosineDecay with and without warmup', () => {
    const plain = new CosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 });
    for (const step of [0, 25, 50, 100, 150]) {
      const fraction = Math.min(step, 100) / 100;
      expectClose(
        [plain.valueAt(step)],
        [0.2 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * fraction)) + 0.1)],
        { rtol: 1e-15, atol: 1e-17 },
        `cosine at ${step}`,
      );
    }
    assert.equal(plain.valueAt(100), 0.2 * 0.1);
    const warm = new CosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.4, warmupSteps: 20 });
    expectClose(
      [warm.valueAt(0), warm.valueAt(5), warm.valueAt(20), warm.valueAt(70), warm.valueAt(120), warm.valueAt(500)],
      [0, 0.1, 0.4, 0.2, 0, 0],
      { rtol: 1e-12, atol: 1e-16 },
      'warmup then decay',
    );
  });

  for (const backend of ['webgpu', 'cpu'] as const) {
    test(`${backend}: a schedule is evaluated per step (iterations before the step) inside one submit, as the reference`, async () => {
      const schedule = new PiecewiseConstantDecay({ boundaries: [1, 3, 7], values: [0.4, 0.2, 0.1, 0.05] });
      const m = model(backend, new SGD({ learningRate: schedule, momentum: 0.5 }));
      const weights = await fit(m, 3);
      const expected = referenceFit(3, (t) => ({ name: 'sgd', learningRate: schedule.valueAt(t - 1), momentum: 0.5, nesterov: false }));
      expectClose(weights, expected, tolerance(backend), 'weights after 15 scheduled steps');
      // A constant rate from step 0 differs: the test can tell per-step from per-epoch rates.
      const constant = referenceFit(3, () => ({ name: 'sgd', learningRate: 0.4, momentum: 0.5, nesterov: false }));
      assert.ok(Math.max(...weights.map((w, i) => Math.abs(w - constant[i]!))) > 1e-3);
      if (backend === 'webgpu') assert.equal(m.stats().submitsPerEpoch, 1, 'an epoch with a schedule is still one submit');
      assert.equal(m.optimizer?.iterations, 15);
      assert.equal(m.optimizer?.learningRate, 0.05, 'learningRate reads the schedule at iterations');
      m.dispose();
    });
  }
});

describe('live learning rate: optimizer.learningRate = x during fit', () => {
  const sgd = (lr: number): OptimizerConfig => ({ name: 'sgd', learningRate: lr, momentum: 0.9, nesterov: false });

  for (const backend of ['webgpu', 'cpu'] as const) {
    test(`${backend}: from onBatchEnd it applies to the next batch`, async () => {
      const optimizer = new SGD({ learningRate: 0.1, momentum: 0.9 });
      const m = model(backend, optimizer);
      const seen: number[] = [];
      const weights = await fit(m, 2, [
        {
          onBatchEnd: (batch) => {
            seen.push(optimizer.learningRate);
            if (seen.length === 2) optimizer.learningRate = 0.02; // after step 2 of epoch 0
            if (seen.length === 7) optimizer.learningRate = 0.3; // after step 2 of epoch 1
            void batch;
          },
        },
      ]);
      const expected = referenceFit(2, (t) => sgd(t <= 2 ? 0.1 : t <= 7 ? 0.02 : 0.3));
      expectClose(weights, expected, tolerance(backend), 'weights');
      const late = referenceFit(2, (t) => sgd(t <= 3 ? 0.1 : t <= 8 ? 0.02 : 0.3));
      assert.ok(Math.max(...weights.map((w, i) => Math.abs(w - late[i]!))) > 1e-4, 'distinguishable from a change one step late');
      m.dispose();
    });

    test(`${backend}: from onEpochEnd it applies to the next epoch, from onEpochBegin to the epoch beginning; a number replaces a schedule`, async () => {
      const schedule = new ExponentialDecay({ initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5 });
      const optimizer = new SGD({ learningRate: schedule, momentum: 0.9 });
      const m = model(backend, optimizer);
      const weights = await fit(m, 3, [
        {
          onEpochEnd: (epoch) => {
            if (epoch === 0) optimizer.learningRate = 0.05;
          },
          onEpochBegin: (epoch) => {
            if (epoch === 2) optimizer.learningRate = 0.01;
          },
        },
      ]);
      assert.equal(optimizer.learningRateSchedule, undefined);
      const expected = referenceFit(3, (t) => sgd(t <= 5 ? schedule.valueAt(t - 1) : t <= 10 ? 0.05 : 0.01));
      expectClose(weights, expected, tolerance(backend), 'weights');
      if (backend === 'webgpu') assert.equal(m.stats().submitsPerEpoch, 1);
      m.dispose();
    });
  }
});

describe('GPU and CPU engines train alike with every optimizer', () => {
  const optimizers: [string, () => Optimizer][] = [
    ['SGD', () => new SGD({ learningRate: 0.1 })],
    ['SGD Nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['RMSprop momentum', () => new RMSprop({ learningRate: 0.01, momentum: 0.5 })],
    ['RMSprop centered', () => new RMSprop({ learningRate: 0.01, centered: true })],
    ['Adagrad', () => new Adagrad({ learningRate: 0.05 })],
    ['Adam', () => new Adam({ learningRate: 0.01 })],
    [
      'AdamW + CosineDecay',
      () => new AdamW({ learningRate: new CosineDecay({ initialLearningRate: 0.02, decaySteps: 15 }), weightDecay: 0.05 }),
    ],
  ];
  for (const [label, make] of optimizers) {
    test(`${label}: 3 epochs, GPU vs CPU vs the reference`, async () => {
      const onGpu = model('webgpu', make());
      const onCpu = model('cpu', make());
      const config = onGpu.optimizer!.hyperparameters;
      const [gpuWeights, cpuWeights] = [await fit(onGpu, 3), await fit(onCpu, 3)];
      const expected = referenceFit(3, () => config);
      expectClose(cpuWeights, expected, CPU_TOLERANCE, 'CPU engine vs reference');
      expectClose(gpuWeights, cpuWeights, GPU_TOLERANCE, 'GPU vs CPU');
      assert.ok(Math.max(...cpuWeights.map((w, i) => Math.abs(w - THETA0[i]!))) > 1e-3, 'the weights moved');
      onGpu.dispose();
      onCpu.dispose();
    });
  }
});

describe('optimizers and schedules in a model file', () => {
  test('every optimizer and schedule round-trips (Keras class names and config keys)', async () => {
    const optimizers: Optimizer[] = [
      new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
      new RMSprop({ learningRate: 0.002, rho: 0.8, momentum: 0.1, epsilon: 1e-6 }),
      new RMSprop({ centered: true }),
      new Adagrad({ learningRate: 0.02, initialAccumulatorValue: 0.5, epsilon: 1e-5 }),
      new Adam({ learningRate: 0.003, beta1: 0.8 }),
      new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.9, staircase: true }) }),
      new AdamW({ learningRate: 0.002, weightDecay: 0.01, beta2: 0.99 }),
      new SGD({ learningRate: new PiecewiseConstantDecay({ boundaries: [100, 200], values: [0.1, 0.01, 0.001] }) }),
      new AdamW({
        learningRate: new CosineDecay({ initialLearningRate: 0, decaySteps: 500, alpha: 0.05, warmupTarget: 0.01, warmupSteps: 50 }),
      }),
      new RMSprop({ learningRate: new CosineDecay({ initialLearningRate: 0.01, decaySteps: 500 }) }),
    ];
    for (const optimizer of optimizers) {
      const m = model('cpu', optimizer);
      const artifact = await serializeModel(m);
      const json = JSON.parse(JSON.stringify(artifact.modelJson));
      const loaded = deserializeModel(json, artifact.weightData, { backend: 'cpu' });
      assert.equal(loaded.optimizer?.className, optimizer.className);
      assert.deepEqual(loaded.optimizer?.hyperparameters, optimizer.hyperparameters, optimizer.className);
      m.dispose();
      loaded.dispose();
    }
  });

  test('the written configs: Keras 3 form (TF.js form for Adam with a constant rate)', async () => {
    const written = async (optimizer: Optimizer): Promise<unknown> => {
      const m = model('cpu', optimizer);
      const artifact = await serializeModel(m);
      m.dispose();
      return artifact.modelJson.trainingConfig?.optimizer_config;
    };
    assert.deepEqual(await written(new Adam()), {
      class_name: 'Adam',
      config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    });
    const sgd = (await written(
      new SGD({ momentum: 0.9, learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) }),
    )) as {
      class_name: string;
      config: Record<string, unknown>;
    };
    assert.equal(sgd.class_name, 'SGD');
    assert.deepEqual(sgd.config['learning_rate'], {
      module: 'keras.optimizers.schedules',
      class_name: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' },
      registered_name: null,
    });
    assert.equal(sgd.config['momentum'], 0.9);
    assert.equal(sgd.config['nesterov'], false);
    const adamw = (await written(new AdamW())) as { class_name: string; config: Record<string, unknown> };
    assert.equal(adamw.class_name, 'AdamW');
    assert.equal(adamw.config['weight_decay'], 0.004);
    assert.equal(adamw.config['beta_1'], 0.9);
  });
});
