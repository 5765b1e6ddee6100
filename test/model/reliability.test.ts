import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BoundKernel, runKernels } from '../../src/gpu/dispatch.js';
import type { KernelSpec } from '../../src/gpu/kernel-spec.js';
import { GATHER_KERNEL } from '../../src/kernels/gather.js';
import { acquireAdapter } from '../../src/gpu/adapter.js';
import { GpuContext } from '../../src/gpu/context.js';
import { activationApply } from '../../src/kernels/elementwise.js';
import { denseForward } from '../../src/kernels/dense.js';
import {
  Adam,
  Dense,
  DeviceLostError,
  GpuError,
  makeCircles,
  NonFiniteError,
  Sequential,
  UnsupportedError,
  type MatrixLike,
} from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { type MlpSpec, mlpForward } from '../helpers/mlp.js';
import { allowUncapturedErrors, upload, useGpu, zeros } from '../helpers/gpu.js';
import { expectClose, f32, randomArray } from '../helpers/numeric.js';

const gpu = useGpu();
/** GPU instances of devices created here, held for the whole file. */
const keepAlive: unknown[] = [];

const circles = makeCircles({ nSamples: 400, factor: 0.3, noise: 0.05, randomState: 3 });
const x: MatrixLike = { data: circles.x, shape: [400, 2] };
const y = circles.y;

function mlp(hidden: readonly number[], options: { seed?: number; gpu?: GpuContext; learningRate?: number } = {}): Sequential {
  const model = new Sequential({ gpu: options.gpu ?? gpu(), seed: options.seed ?? 1 });
  hidden.forEach((units, i) => model.add(new Dense({ units, activation: i % 2 ? 'tanh' : 'relu', ...(i === 0 ? { inputDim: 2 } : {}) })));
  model.add(new Dense({ units: 1, activation: 'sigmoid', ...(hidden.length === 0 ? { inputDim: 2 } : {}) }));
  model.compile({
    optimizer: new Adam({ learningRate: options.learningRate ?? 0.01 }),
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

describe('GPU memory', () => {
  test('50 models of varied sizes: create, train, predict, dispose — live buffers and bytes return to the baseline exactly', async () => {
    const ctx = gpu();
    const baseline = ctx.memory();
    for (let i = 0; i < 50; i++) {
      const hidden = [[], [1], [7, 3], [33], [64, 17, 5]][i % 5]!;
      const model = mlp(hidden, { seed: i });
      const rows = 40 + i;
      const part: MatrixLike = { data: circles.x.subarray(0, rows * 2), shape: [rows, 2] };
      await model.fit(part, y.subarray(0, rows), {
        epochs: 1,
        batchSize: 1 + (i % 9) * 4,
        verbose: 0,
        ...(i % 2 ? { validationSplit: 0.25 } : {}),
      });
      await model.predict(part);
      if (i % 3 === 0) await model.predictLayers(part);
      await model.evaluate(part, y.subarray(0, rows));
      assert.ok(ctx.memory().buffers > baseline.buffers);
      model.dispose();
    }
    assert.deepEqual(ctx.memory(), baseline);
  });

  test('200 epochs allocate nothing after the first: no buffer or bind group is created per epoch', async () => {
    const ctx = gpu();
    const model = mlp([16], { seed: 4 });
    const small: MatrixLike = { data: circles.x.subarray(0, 128), shape: [64, 2] };
    const counts = { buffers: 0, bindGroups: 0 };
    const device = ctx.device;
    const createBuffer = device.createBuffer.bind(device);
    const createBindGroup = device.createBindGroup.bind(device);
    device.createBuffer = (descriptor) => {
      counts.buffers++;
      return createBuffer(descriptor);
    };
    device.createBindGroup = (descriptor) => {
      counts.bindGroups++;
      return createBindGroup(descriptor);
    };
    let afterFirst: { buffers: number; bindGroups: number; memory: ReturnType<GpuContext['memory']> } | undefined;
    try {
      await model.fit(small, y.subarray(0, 64), {
        epochs: 200,
        verbose: 0,
        validationSplit: 0.25,
        callbacks: { onEpochEnd: (epoch) => void (epoch === 0 && (afterFirst = { ...counts, memory: ctx.memory() })) },
      });
    } finally {
      device.createBuffer = createBuffer;
      device.createBindGroup = createBindGroup;
    }
    assert.ok(afterFirst && afterFirst.buffers > 0, 'the first epoch did allocate');
    assert.deepEqual({ ...counts, memory: ctx.memory() }, afterFirst);
    model.dispose();
  });

  test('two models training concurrently on one device give the same results as trained alone', async () => {
    const alone = [mlp([12], { seed: 5 }), mlp([6, 4], { seed: 6 })];
    for (const model of alone) await model.fit(x, y, { epochs: 3, verbose: 0, seed: 9 });
    const together = [mlp([12], { seed: 5 }), mlp([6, 4], { seed: 6 })];
    await Promise.all(together.map((model) => model.fit(x, y, { epochs: 3, verbose: 0, seed: 9 })));
    for (let i = 0; i < 2; i++) assert.deepEqual(await together[i]!.getWeights(), await alone[i]!.getWeights());
    for (const model of [...alone, ...together]) model.dispose();
  });
});

describe('device loss', () => {
  test('destroying the device mid-training rejects fit with DeviceLostError within a second; restore() continues from the last epoch', async () => {
    const doomed = await GpuContext.create();
    const model = mlp([64, 64], { gpu: doomed, seed: 7 });
    let lastEpochWeights: Float32Array[] | undefined;
    let destroyedAt = 0;
    const fit = model.fit(x, y, {
      epochs: 50,
      batchSize: 8,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch) => {
          if (epoch !== 1) return;
          lastEpochWeights = await model.getWeights();
          // Destroy while epoch 2 is on the GPU.
          setTimeout(() => {
            destroyedAt = performance.now();
            doomed.device.destroy();
          }, 5);
        },
      },
    });
    await assert.rejects(fit, (error: Error) => error instanceof DeviceLostError && /lost/.test(error.message));
    assert.ok(destroyedAt > 0 && performance.now() - destroyedAt < 1000, `rejected ${performance.now() - destroyedAt} ms after the loss`);
    await assert.rejects(model.predict(x), DeviceLostError, 'later calls say the device is gone');

    const fresh = await GpuContext.create();
    await model.restore(fresh);
    assert.deepEqual(await model.getWeights(), lastEpochWeights, 'restored from the last epoch end');
    const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
    assert.ok(history.history['loss']!.every(Number.isFinite));
    assert.equal((await model.predict(x)).length, 400);
    model.dispose();
    fresh.dispose();
    doomed.dispose();
  });

  test('a lost device during predict rejects with DeviceLostError, no hang', async () => {
    const doomed = await GpuContext.create();
    const model = mlp([8], { gpu: doomed });
    await model.predict(x);
    const pending = model.predict(x);
    doomed.device.destroy();
    await assert.rejects(pending, DeviceLostError);
    model.dispose();
    doomed.dispose();
  });
});

describe('numerical guard', () => {
  test('a blow-up stops fit with NonFiniteError naming the epoch and layer; the last good weights are kept', async () => {
    const model = mlp([16, 8], { seed: 8 });
    await model.fit(x, y, { epochs: 2, verbose: 0, seed: 1 });
    const good = await model.getWeights();
    model.optimizer!.learningRate = 3e38; // each step moves every weight by ~3e38: the second overflows f32
    await assert.rejects(
      model.fit(x, y, { epochs: 3, verbose: 0, seed: 2 }),
      (error: Error) =>
        error instanceof NonFiniteError &&
        error.epoch === 0 &&
        /epoch 1/.test(error.message) &&
        /layer 'dense(_\d)?'/.test(error.message) &&
        error.layer !== undefined,
    );
    assert.deepEqual(await model.getWeights(), good, 'weights of the last good epoch');
    model.optimizer!.learningRate = 0.01;
    const history = await model.fit(x, y, { epochs: 1, verbose: 0 });
    assert.ok(Number.isFinite(history.history['loss']![0]), 'the model trains again');
    model.dispose();
  });

  test('extreme but valid inputs stay finite: coordinates of 1e6 and a learning rate of 10', async () => {
    const model = mlp([32, 16], { seed: 9, learningRate: 10 });
    const huge: MatrixLike = { data: circles.x.map((v) => v * 1e6), shape: [400, 2] };
    const history = await model.fit(huge, y, { epochs: 3, verbose: 0, validationSplit: 0.25 });
    for (const values of Object.values(history.history)) assert.ok(values.every(Number.isFinite), JSON.stringify(history.history));
    assert.ok((await model.predict(huge)).every((p) => p >= 0 && p <= 1));
    model.dispose();
  });
});

describe('device limits and errors', () => {
  test('a model too big for one storage binding fails with UnsupportedError before any GPU allocation', async () => {
    // A device with WebGPU's default limits (128 MiB per storage binding): a model beyond them
    // is still within the model size limits (SIZE_LIMITS), so the device's own check refuses it.
    const { adapter, owner } = await acquireAdapter();
    keepAlive.push(owner); // Dawn's GPU instance must outlive its device (collected, it aborts the process)
    const ctx = await GpuContext.create({ device: await adapter.requestDevice() });
    const before = ctx.memory();
    const model = new Sequential({ gpu: ctx, seed: 1 });
    const units = Math.ceil(ctx.limits.maxStorageBufferBindingSize / 4 / 1000) + 10;
    model.add(new Dense({ units, activation: 'relu', inputDim: 1000 }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    await assert.rejects(
      model.predict([new Array(1000).fill(0)]),
      (error: Error) =>
        error instanceof UnsupportedError &&
        /maxStorageBufferBindingSize/.test(error.message) &&
        new RegExp(`1000×${units}`).test(error.message),
    );
    assert.deepEqual(ctx.memory(), before);
    model.dispose();
    ctx.dispose();
    ctx.device.destroy();
  });

  test('predict over 5 million points is chunked and matches the reference', async () => {
    const model = mlp([8], { seed: 10 });
    const rows = 5_000_000;
    const data = new Float32Array(rows * 2);
    for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 2001) / 1000 - 1;
    const predictions = await model.predict({ data, shape: [rows, 2] });
    assert.equal(predictions.length, rows);
    const weights = await model.getWeights();
    const theta = Float64Array.from(weights.flatMap((w) => Array.from(w)));
    const spec: MlpSpec = { inputs: 2, hidden: [{ units: 8, activation: 'relu' }] };
    for (const row of [0, 1, 4095, 4096, 2_500_001, rows - 1]) {
      const logits = mlpForward(spec, theta, data.subarray(row * 2, row * 2 + 2), 1).at(-1)!;
      expectClose([predictions[row]!], ref.activateAll('sigmoid', logits), { rtol: 1e-5, atol: 1e-6 }, `row ${row}`);
    }
    model.dispose();
  });

  test('a 1×65,536-wide layer and a 1-D kernel of more than 65,535 workgroups (folded into 2-D)', async () => {
    const ctx = gpu();
    const units = 65_536;
    const xs = f32([0.5, -0.25]);
    const w = f32(randomArray(2 * units, 11));
    const b = f32(randomArray(units, 12));
    const out = zeros(ctx, 'wide y', units);
    await runKernels(ctx, 'wide', [
      denseForward(
        ctx,
        { rows: 1, inputs: 2, units },
        { x: upload(ctx, 'x', xs), weights: upload(ctx, 'w', w), bias: upload(ctx, 'b', b), y: out },
        { activation: 'tanh' },
      ),
    ]);
    expectClose(
      await ctx.readFloats(out),
      ref.denseForward({ rows: 1, inputs: 2, units }, xs, w, b, 'tanh'),
      { rtol: 1e-5, atol: 1e-6 },
      'wide layer',
    );

    const count = 65_536 * 256 + 7; // 65,537 workgroups of 256: beyond one dimension
    const z = new Float32Array(count);
    for (let i = 0; i < count; i++) z[i] = (i % 1000) - 500;
    const relu = zeros(ctx, 'relu', count);
    const kernel = activationApply(ctx, 'relu', count, { z: ctx.createStorage('z', z), y: relu });
    assert.deepEqual(kernel.workgroups, [65_535, 2, 1]);
    await runKernels(ctx, 'folded', [kernel]);
    const tail = await ctx.readFloats(relu, count - 1000, 1000);
    assert.deepEqual(
      [...tail],
      Array.from({ length: 1000 }, (_, k) => Math.max(0, ((count - 1000 + k) % 1000) - 500)),
    );
  });

  test('a shader that fails to compile: the GpuError quotes the compiler error, not only "invalid pipeline"', async () => {
    const ctx = gpu();
    allowUncapturedErrors(/gather_broken/); // the compile error is reported uncaptured, then quoted by the GpuError
    const broken: KernelSpec = {
      ...GATHER_KERNEL,
      name: 'gather_broken',
      source: `${GATHER_KERNEL.source}\nfn broken() -> f32 { return 1u; }`,
    };
    const kernel = new BoundKernel(
      ctx,
      ctx.kernels.pipeline(broken, 'gather_rows'),
      {
        indices: ctx.createStorage('i', new Uint32Array([0])),
        source: upload(ctx, 's', [1]),
        destination: zeros(ctx, 'd', 1),
      },
      [1, 1, 1],
    );
    kernel.setParams({ rows: 1, width: 1 });
    await assert.rejects(
      runKernels(ctx, 'broken shader', [kernel]),
      (error: Error) =>
        error instanceof GpuError &&
        /gather_broken/.test(error.message) &&
        /Earlier WebGPU errors/.test(error.message) &&
        /return/.test(error.message),
    );
  });

  test('WebGPU validation errors become GpuError exceptions naming the kernel', async () => {
    const ctx = gpu();
    const weights = upload(ctx, 'doomed weights', [1, 2]);
    const kernel = denseForward(
      ctx,
      { rows: 1, inputs: 1, units: 2 },
      { x: upload(ctx, 'x', [1]), weights, bias: upload(ctx, 'b', [0, 0]), y: zeros(ctx, 'y', 2) },
      { activation: 'linear' },
    );
    ctx.destroyBuffer(weights);
    await assert.rejects(
      runKernels(ctx, 'dense with a destroyed buffer', [kernel]),
      (error: Error) =>
        error instanceof GpuError && /dense with a destroyed buffer/.test(error.message) && /doomed weights/.test(error.message),
    );
  });
});
