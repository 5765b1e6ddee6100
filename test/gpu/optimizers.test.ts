import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ADAGRAD_DEFAULTS,
  ADAM_DEFAULTS,
  ADAMW_DEFAULTS,
  RMSPROP_DEFAULTS,
  SGD_DEFAULTS,
  type OptimizerConfig,
} from '../../src/spec/optimizer.js';
import { runKernels } from '../../src/gpu/dispatch.js';
import { OptimizerDispatch } from '../../src/kernels/optimizers.js';
import { optimizerStep, createOptimizerState } from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { expectClose, f32, randomArray } from '../helpers/numeric.js';

const gpu = useGpu();

/** Every optimizer and option combination, with schedules on some (evaluated per step). */
const CASES: readonly [string, OptimizerConfig][] = [
  ['SGD', SGD_DEFAULTS],
  ['SGD momentum 0.9', { ...SGD_DEFAULTS, momentum: 0.9 }],
  ['SGD Nesterov 0.9', { ...SGD_DEFAULTS, momentum: 0.9, nesterov: true }],
  ['RMSprop', { ...RMSPROP_DEFAULTS, learningRate: 0.003 }],
  ['RMSprop momentum 0.5', { ...RMSPROP_DEFAULTS, learningRate: 0.003, momentum: 0.5 }],
  ['RMSprop centered', { ...RMSPROP_DEFAULTS, learningRate: 0.003, centered: true }],
  ['Adagrad', { ...ADAGRAD_DEFAULTS, learningRate: 0.01 }],
  ['Adagrad initial accumulator 0', { ...ADAGRAD_DEFAULTS, learningRate: 0.01, initialAccumulatorValue: 0 }],
  ['Adam', { ...ADAM_DEFAULTS, learningRate: 0.01 }],
  ['AdamW', { ...ADAMW_DEFAULTS, learningRate: 0.01, weightDecay: 0.1 }],
  [
    'SGD momentum, ExponentialDecay staircase',
    {
      ...SGD_DEFAULTS,
      momentum: 0.5,
      learningRate: { kind: 'ExponentialDecay', initialLearningRate: 0.02, decaySteps: 10, decayRate: 0.5, staircase: true },
    },
  ],
  [
    'AdamW, CosineDecay with warmup',
    {
      ...ADAMW_DEFAULTS,
      learningRate: { kind: 'CosineDecay', initialLearningRate: 0, decaySteps: 80, alpha: 0.1, warmupTarget: 0.01, warmupSteps: 20 },
    },
  ],
  [
    'RMSprop, PiecewiseConstantDecay',
    { ...RMSPROP_DEFAULTS, learningRate: { kind: 'PiecewiseConstantDecay', boundaries: [10, 50], values: [0.003, 0.001, 0.0003] } },
  ],
];

const STEPS = 100;

describe('optimizer kernels vs the float64 reference (100 steps in one submit)', () => {
  for (const [label, config] of CASES) {
    for (const count of [1, 3, 17, 129, 1000]) {
      test(`${label}: ${count} parameters`, async () => {
        const ctx = gpu();
        const theta0 = f32(randomArray(count, count));
        const padded = Math.ceil(count / 4) * 4; // whole vec4 groups
        const thetaBuffer = upload(ctx, 'theta', [...theta0, ...new Array(padded - count).fill(0)]);
        const gradBuffer = zeros(ctx, 'grad', padded);
        const m = zeros(ctx, 'm', padded);
        const v = zeros(ctx, 'v', padded);
        const dispatch = new OptimizerDispatch(ctx, count, { theta: thetaBuffer, grad: gradBuffer, m, v }, config, STEPS);
        const reference = Float64Array.from(theta0);
        const state = createOptimizerState(count);
        // One uniform slot per step; gradients change per step through a copy from a table,
        // the way the training plan feeds fresh gradients.
        const grads = f32(randomArray(count * STEPS, count + 1));
        const table = upload(ctx, 'gradient table', grads);
        for (let t = 1; t <= STEPS; t++) {
          dispatch.stageStep(t, t - 1);
          optimizerStep(reference, grads.subarray((t - 1) * count, t * count), state, config, t);
        }
        dispatch.upload();
        const encoder = ctx.device.createCommandEncoder();
        for (let t = 1; t <= STEPS; t++) {
          encoder.copyBufferToBuffer(table, (t - 1) * count * 4, gradBuffer, 0, count * 4);
          const pass = encoder.beginComputePass();
          dispatch.encode(pass, t - 1);
          pass.end();
        }
        ctx.device.queue.submit([encoder.finish()]);
        // Steps of size ≤ ~0.01 over 100 steps move θ by up to ~1; float32 rounding of the
        // slots and of each update (a few ULP each, amplified by the 1/√v of the adaptive
        // methods) stays well under 2e-5 of that.
        expectClose(await ctx.readFloats(thetaBuffer, 0, count), reference, { rtol: 2e-5, atol: 2e-5 }, 'θ after 100 steps');
        const slots = [...(await ctx.readFloats(m, 0, count)), ...(await ctx.readFloats(v, 0, count))];
        expectClose(slots, [...state.m, ...state.v], { rtol: 1e-4, atol: 1e-5 }, 'state slots after 100 steps');
        assert.deepEqual(
          [...(await ctx.readFloats(thetaBuffer, count, padded - count))],
          new Array(padded - count).fill(0),
          'padding stays zero',
        );
        dispatch.dispose();
        for (const buffer of [thetaBuffer, gradBuffer, m, v, table]) ctx.destroyBuffer(buffer);
      });
    }
  }

  test('hand-derived steps: SGD momentum, Nesterov, Adagrad, AdamW (θ₀ = 1, g = 0.5 then −0.25)', async () => {
    const ctx = gpu();
    const run = async (config: OptimizerConfig): Promise<number[]> => {
      const theta = upload(ctx, 'theta', [1, 0, 0, 0]);
      const grad = upload(ctx, 'grad', [0.5, 0, 0, 0]);
      const dispatch = new OptimizerDispatch(ctx, 1, { theta, grad, m: zeros(ctx, 'm', 4), v: zeros(ctx, 'v', 4) }, config);
      await runKernels(ctx, 'step 1', [dispatch.setStep(1)]);
      const after1 = (await ctx.readFloats(theta))[0]!;
      ctx.device.queue.writeBuffer(grad, 0, new Float32Array([-0.25]));
      await runKernels(ctx, 'step 2', [dispatch.setStep(2)]);
      return [after1, (await ctx.readFloats(theta))[0]!];
    };
    const close = (actual: number[], expected: number[], what: string): void =>
      expectClose(actual, expected, { rtol: 1e-6, atol: 1e-7 }, what);
    // SGD lr 0.1, momentum 0.9: m = −0.05, θ = 0.95; m = −0.045 + 0.025 = −0.02, θ = 0.93.
    close(await run({ ...SGD_DEFAULTS, learningRate: 0.1, momentum: 0.9 }), [0.95, 0.93], 'SGD momentum');
    // Nesterov: θ += 0.9·m − lr·g: 1 − 0.045 − 0.05 = 0.905; 0.905 − 0.018 + 0.025 = 0.912.
    close(await run({ ...SGD_DEFAULTS, learningRate: 0.1, momentum: 0.9, nesterov: true }), [0.905, 0.912], 'SGD Nesterov');
    // Adagrad lr 0.1, acc₀ 0.1: acc = 0.35, θ = 1 − 0.05/√(0.35 + 1e-7); acc = 0.4125, θ += 0.025/√0.4125.
    const a1 = 1 - 0.05 / Math.sqrt(0.35 + 1e-7);
    close(await run({ ...ADAGRAD_DEFAULTS, learningRate: 0.1 }), [a1, a1 + 0.025 / Math.sqrt(0.4125 + 1e-7)], 'Adagrad');
    // AdamW lr 0.001, wd 0.004: decay θ·4e-6 first, then the Adam step of adam-gather.test.ts.
    const theta1 = 1 - 4e-6 - (0.05 * 3.16228e-4) / (Math.sqrt(0.00025) + 1e-7);
    const actual = await run(ADAMW_DEFAULTS);
    expectClose([actual[0]!], [theta1], { rtol: 1e-6, atol: 0 }, 'AdamW step 1');
  });

  test('RMSprop centered with momentum is refused (it would need a third slot)', () => {
    const ctx = gpu();
    const buffer = zeros(ctx, 'b', 4);
    assert.throws(
      () =>
        new OptimizerDispatch(
          ctx,
          4,
          { theta: buffer, grad: buffer, m: buffer, v: buffer },
          { ...RMSPROP_DEFAULTS, centered: true, momentum: 0.5 },
        ),
      { name: 'UnsupportedError', message: /centered: true and momentum > 0/ },
    );
  });
});
