import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runKernels } from '../../src/gpu/dispatch.js';
import { ADAM_DEFAULTS } from '../../src/spec/optimizer.js';
import { OptimizerDispatch } from '../../src/kernels/optimizers.js';
import { gatherRows } from '../../src/kernels/gather.js';
import * as ref from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { expectClose, f32, randomArray, seededUniform } from '../helpers/numeric.js';

const gpu = useGpu();

describe('Adam (Keras formula and defaults)', () => {
  test('two steps derived by hand: g = 0.5 then −0.25, θ₀ = 1', async () => {
    // t=1: m = 0.05, v = 0.00025, α = 0.001·√0.001/0.1 = 3.16228e-4,
    //      θ = 1 − 0.05·α/(√0.00025 + 1e-7) = 1 − 0.05·3.16228e-4/0.0158115 = 0.99900000632...
    // t=2: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
    //      α = 0.001·√(1−0.999²)/(1−0.9²) = 0.001·0.0447102/0.19 = 2.35317e-4,
    //      θ = θ₁ − 0.02·α/(√0.00031225 + 1e-7) = θ₁ − 2.66313e-4
    const ctx = gpu();
    // The kernel works in vec4 groups: buffers hold whole groups (padding: zero gradient).
    const theta = upload(ctx, 'theta', [1, 0, 0, 0]);
    const grad = upload(ctx, 'grad', [0.5, 0, 0, 0]);
    const adam = new OptimizerDispatch(ctx, 1, { theta, grad, m: zeros(ctx, 'm', 4), v: zeros(ctx, 'v', 4) }, ADAM_DEFAULTS);
    await runKernels(ctx, 'adam 1', [adam.setStep(1)]);
    const theta1 = (await ctx.readFloats(theta))[0]!;
    assert.deepEqual([...(await ctx.readFloats(theta, 1, 3))], [0, 0, 0], 'padding is left alone');
    expectClose([theta1], [1 - (0.05 * 3.16228e-4) / (Math.sqrt(0.00025) + 1e-7)], { rtol: 1e-6, atol: 0 }, 'θ after step 1');
    ctx.device.queue.writeBuffer(grad, 0, new Float32Array([-0.25]));
    await runKernels(ctx, 'adam 2', [adam.setStep(2)]);
    const alpha2 = (0.001 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
    const expected2 = theta1 - (0.02 * alpha2) / (Math.sqrt(0.00031225) + 1e-7);
    expectClose(await ctx.readFloats(theta, 0, 1), [expected2], { rtol: 1e-6, atol: 0 }, 'θ after step 2');
  });

  for (const count of [1, 3, 17, 129, 70_000]) {
    test(`100 steps on ${count} parameters vs float64 reference`, async () => {
      const ctx = gpu();
      const config = { ...ADAM_DEFAULTS, learningRate: 0.01 };
      const theta0 = f32(randomArray(count, count));
      const padded = Math.ceil(count / 4) * 4; // whole vec4 groups
      const thetaBuffer = upload(ctx, 'theta', [...theta0, ...new Array(padded - count).fill(0)]);
      const gradBuffer = zeros(ctx, 'grad', padded);
      const adam = new OptimizerDispatch(
        ctx,
        count,
        { theta: thetaBuffer, grad: gradBuffer, m: zeros(ctx, 'm', padded), v: zeros(ctx, 'v', padded) },
        config,
        100,
      );
      const reference = Float64Array.from(theta0);
      const state = ref.createOptimizerState(count);
      // All 100 steps in one submit, one uniform slot each: gradients change per step through a
      // per-step copy from a table, the way the training plan feeds fresh gradients.
      const grads = f32(randomArray(count * 100, count + 1));
      const table = upload(ctx, 'gradient table', grads);
      const encoder = ctx.device.createCommandEncoder();
      for (let t = 1; t <= 100; t++) {
        adam.stageStep(t, t - 1);
        ref.adamStep(reference, grads.subarray((t - 1) * count, t * count), state, config, t);
      }
      adam.uniforms.upload();
      for (let t = 1; t <= 100; t++) {
        encoder.copyBufferToBuffer(table, (t - 1) * count * 4, gradBuffer, 0, count * 4);
        const pass = encoder.beginComputePass();
        adam.encode(pass, t - 1);
        pass.end();
      }
      ctx.device.queue.submit([encoder.finish()]);
      // 100 steps of size ≤ lr = 0.01 move θ along a path of length up to 1; f32 rounding of m,
      // v and each update (a few ULP each, amplified where √v is small) stays under 1e-5 of it.
      expectClose(await ctx.readFloats(thetaBuffer, 0, count), reference, { rtol: 1e-5, atol: 1e-5 }, 'θ after 100 steps');
    });
  }
});

describe('gather rows by index', () => {
  for (const [rows, width] of [
    [1, 1],
    [3, 2],
    [17, 3],
    [129, 1],
    [1000, 33],
  ] as const) {
    test(`${rows} rows × ${width}: a permutation, exact`, async () => {
      const ctx = gpu();
      const next = seededUniform(rows * 7 + width);
      const indices = Array.from({ length: rows }, (_, i) => i);
      for (let i = rows - 1; i > 0; i--) {
        const j = Math.floor(next(0, 1) * (i + 1));
        [indices[i], indices[j]] = [indices[j]!, indices[i]!];
      }
      const source = f32(randomArray(rows * width, rows));
      const destination = zeros(ctx, 'destination', rows * width);
      await runKernels(ctx, 'gather', [
        gatherRows(ctx, rows, width, {
          indices: ctx.createStorage('indices', Uint32Array.from(indices)),
          source: upload(ctx, 'source', source),
          destination,
        }),
      ]);
      assert.deepEqual([...(await ctx.readFloats(destination))], [...ref.gatherRows(source, indices, width)]);
    });
  }
});
