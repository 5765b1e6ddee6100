/**
 * A model's life cycle against its GPU work: errors of every submit path are reported, a layer
 * added after compile() invalidates the compilation, and dispose() during a call stops it
 * cleanly (StateError, nothing submitted to freed buffers, every buffer freed).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Dense, GpuError, makeCircles, Sequential, StateError, type Callback, type MatrixLike } from '../../src/index.js';
import { useGpu } from '../helpers/gpu.js';

const gpu = useGpu();
const circles = makeCircles({ nSamples: 64, factor: 0.3, noise: 0.05, randomState: 1 });
const x: MatrixLike = { data: circles.x, shape: [64, 2] };
const y = circles.y;

function classifier(backend: 'webgpu' | 'cpu' = 'webgpu'): Sequential {
  const model = new Sequential({ seed: 1, backend, ...(backend === 'webgpu' ? { gpu: gpu() } : {}) });
  model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Counts queue submits from the moment `arm()` is called (e.g. by dispose). */
function watchSubmits(): { arm: () => void; readonly afterArm: number; restore: () => void } {
  const queue = gpu().device.queue;
  const submit = queue.submit.bind(queue);
  let armed = false;
  let afterArm = 0;
  queue.submit = (buffers) => {
    if (armed) afterArm++;
    submit(buffers);
  };
  return {
    arm: () => void (armed = true),
    get afterArm() {
      return afterArm;
    },
    restore: () => void (queue.submit = submit),
  };
}

describe('GPU errors on every submit path', () => {
  test('after a parameter buffer is destroyed, predict, predictLayers, evaluate, getWeights and fit throw GpuError', async () => {
    const ctx = gpu();
    const device = ctx.device;
    const createBuffer = device.createBuffer.bind(device);
    const created: GPUBuffer[] = [];
    device.createBuffer = (descriptor) => {
      const buffer = createBuffer(descriptor);
      created.push(buffer);
      return buffer;
    };
    let model: Sequential;
    try {
      model = classifier();
      await model.predict(x);
    } finally {
      device.createBuffer = createBuffer;
    }
    const parameters = created.find((b) => b.label === 'parameters');
    assert.ok(parameters, 'the parameter buffer was created');
    parameters.destroy();
    const gpuError = (call: string) => (error: Error) =>
      error instanceof GpuError && new RegExp(`WebGPU error in ${call}`).test(error.message) && /parameters/.test(error.message);
    await assert.rejects(model.predict(x), gpuError('predict'), 'predict used to return zeros');
    await assert.rejects(model.predictLayers(x), gpuError('predict'));
    await assert.rejects(model.evaluate(x, y), gpuError('evaluate'), 'evaluate used to return { loss: NaN }');
    await assert.rejects(model.getWeights(), gpuError('read'));
    await assert.rejects(model.fit(x, y, { verbose: 0 }), (error: Error) => error instanceof GpuError && /parameters/.test(error.message));
    model.dispose();
  });
});

describe('add() after compile()', () => {
  test('adding a layer invalidates the compilation: fit and evaluate throw StateError until compile() runs again', async () => {
    const model = new Sequential({ seed: 2, gpu: gpu() });
    model.add(new Dense({ units: 1, activation: 'sigmoid', inputDim: 2 }));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    model.add(new Dense({ units: 3, activation: 'softmax' }));
    assert.equal(model.compileConfig, undefined);
    assert.equal(model.optimizer, undefined);
    const stale = { name: 'StateError', message: /layer 'dense_1' was added after compile\(\); call compile\(\) again before fit\(\)/ };
    await assert.rejects(model.fit(x, y, { verbose: 0 }), stale, 'fit used to train BCE on row 0 of three outputs');
    await assert.rejects(model.evaluate(x, y), { name: 'StateError', message: /call compile\(\) again before evaluate\(\)/ });
    // Predictions need no compilation (as in Keras): three probabilities per row.
    assert.equal((await model.predict(x)).length, 64 * 3);
    // compile checks the new output layer: binary cross-entropy over 3 units is refused...
    assert.throws(() => model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' }), {
      name: 'ShapeError',
      message: /needs an output layer of 1 unit; the last layer has 3/,
    });
    // ...and the right loss trains.
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 1, verbose: 0 });
    assert.ok(Number.isFinite(history.history['loss']![0]));
    model.dispose();
  });
});

describe('dispose() while a call runs', () => {
  const disposedDuring = (call: string) => (error: Error) =>
    error instanceof StateError && new RegExp(`was disposed during ${call}\\(\\)`).test(error.message);

  const hooks: readonly [string, (model: Sequential) => Callback][] = [
    ['onEpochEnd', (model) => ({ onEpochEnd: (epoch) => void (epoch === 1 && model.dispose()) })],
    ['onBatchEnd', (model) => ({ onBatchEnd: (batch) => void (batch === 0 && model.dispose()) })],
    ['onEpochBegin', (model) => ({ onEpochBegin: (epoch) => void (epoch === 1 && model.dispose()) })],
  ];
  for (const [hook, callback] of hooks) {
    test(`dispose() from ${hook}: fit rejects with StateError, submits nothing more, frees every buffer`, async () => {
      const ctx = gpu();
      const baseline = ctx.memory();
      const errorsBefore = ctx.uncapturedErrors.join('\n');
      const model = classifier();
      const submits = watchSubmits();
      const dispose = model.dispose.bind(model);
      model.dispose = () => {
        submits.arm();
        dispose();
      };
      const epochs: number[] = [];
      try {
        await assert.rejects(
          model.fit(x, y, {
            epochs: 5,
            batchSize: 16,
            verbose: 0,
            callbacks: [callback(model), { onEpochEnd: (epoch) => void epochs.push(epoch) }],
          }),
          disposedDuring('fit'),
        );
      } finally {
        submits.restore();
      }
      assert.equal(submits.afterArm, 0, 'no submit after dispose()');
      assert.ok(epochs.length <= 2, `stopped at once (epochs ${epochs})`);
      assert.deepEqual(ctx.memory(), baseline, 'every buffer freed once fit settled');
      assert.equal(ctx.uncapturedErrors.join('\n'), errorsBefore, 'no WebGPU validation error');
      await assert.rejects(model.predict(x), { name: 'StateError', message: /was disposed; create a new one/ });
    });
  }

  test('dispose() while fit awaits the GPU: fit rejects with StateError at the epoch end', async () => {
    const ctx = gpu();
    const baseline = ctx.memory();
    const model = classifier();
    const fit = model.fit(x, y, { epochs: 20, verbose: 0 });
    const submits = watchSubmits();
    try {
      // Let fit reach its first GPU wait, then dispose.
      await new Promise((resolve) => setTimeout(resolve, 0));
      submits.arm();
      model.dispose();
      await assert.rejects(fit, disposedDuring('fit'));
    } finally {
      submits.restore();
    }
    assert.equal(submits.afterArm, 0);
    assert.deepEqual(ctx.memory(), baseline);
  });

  test('dispose() while predict, predictLayers and evaluate are in flight: each rejects with StateError; buffers freed after', async () => {
    const ctx = gpu();
    const baseline = ctx.memory();
    const model = classifier();
    await model.predict(x); // the engine exists: the calls below go straight to the GPU
    const calls = [model.predict(x), model.predictLayers(x), model.evaluate(x, y)];
    model.dispose();
    const results = await Promise.allSettled(calls);
    assert.ok(disposedDuring('predict')((results[0] as PromiseRejectedResult).reason as Error));
    assert.ok(disposedDuring('predictLayers')((results[1] as PromiseRejectedResult).reason as Error));
    assert.ok(disposedDuring('evaluate')((results[2] as PromiseRejectedResult).reason as Error));
    assert.deepEqual(ctx.memory(), baseline);
  });

  test('the CPU engine stops too: dispose() from onBatchEnd rejects fit with StateError', async () => {
    const model = classifier('cpu');
    let batches = 0;
    await assert.rejects(
      model.fit(x, y, {
        epochs: 3,
        batchSize: 8,
        verbose: 0,
        callbacks: {
          onBatchEnd: (batch) => {
            batches++;
            if (batch === 2) model.dispose();
          },
        },
      }),
      disposedDuring('fit'),
    );
    assert.equal(batches, 3, 'no batch after the one that disposed');
  });
});
