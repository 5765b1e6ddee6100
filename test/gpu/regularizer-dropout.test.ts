import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NetworkShape } from '../../src/spec/network.js';
import { runKernels } from '../../src/gpu/dispatch.js';
import { dropoutBackward, dropoutForward } from '../../src/kernels/dropout.js';
import { RegularizerDispatch, type RegularizedTensor } from '../../src/kernels/regularizer.js';
import * as ref from '../../src/reference/index.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose, f32, numericGradient, randomArray } from '../helpers/numeric.js';

const gpu = useGpu();

/** Awkward kernel shapes: 1, 3, 17, 129 (none a multiple of 4 but the 1×1 padding). */
const SHAPES: readonly (readonly [number, number])[] = [
  [1, 1],
  [3, 17],
  [17, 129],
  [129, 3],
];

describe('regularizer kernel (one dispatch for every regularized tensor)', () => {
  // Tensors packed as ParameterBuffers does: each at a multiple of 64 floats, zero padding.
  const coefficients = [
    { l1: 0.01, l2: 0 },
    { l1: 0, l2: 0.02 },
    { l1: 0.003, l2: 0.005 },
    { l1: 0.5, l2: 1.5 },
  ];
  function layout(): { tensors: RegularizedTensor[]; length: number; values: Float64Array } {
    const tensors: RegularizedTensor[] = [];
    let offset = 0;
    SHAPES.forEach(([inputs, units], i) => {
      tensors.push({ offset, length: inputs * units, ...coefficients[i]! });
      offset += Math.ceil((inputs * units) / 64) * 64;
    });
    const values = new Float64Array(offset);
    tensors.forEach((t, i) => values.set(f32(randomArray(t.length, 10 + i)), t.offset));
    // A few exact zeros: sign(0) = 0, so they get only the L2 term (which is 0 too).
    values[tensors[2]!.offset + 5] = 0;
    values[tensors[3]!.offset] = 0;
    return { tensors, length: offset, values };
  }

  /** The float64 answer: gradients + penalty gradient, and penalty. */
  function expected(
    tensors: readonly RegularizedTensor[],
    values: Float64Array,
    gradients: Float64Array,
  ): { gradients: Float64Array; penalty: number } {
    const out = Float64Array.from(gradients);
    let penalty = 0;
    for (const t of tensors) {
      for (let k = t.offset; k < t.offset + t.length; k++) {
        const w = values[k]!;
        out[k] = out[k]! + f32([t.l1])[0]! * Math.sign(w) + 2 * f32([t.l2])[0]! * w;
        penalty += f32([t.l1])[0]! * Math.abs(w) + f32([t.l2])[0]! * w * w;
      }
    }
    return { gradients: out, penalty };
  }

  for (const train of [true, false]) {
    test(`${train ? 'train' : 'penalty'} entry: shapes 1×1, 3×17, 17×129, 129×3 vs float64 (grad rtol 1e-6, loss rtol 1e-5)`, async () => {
      const ctx = gpu();
      const { tensors, length, values } = layout();
      const gradients0 = f32(randomArray(length, 99));
      // Padding gradients start at 0 (as after backward): they must stay 0.
      const inTensor = new Uint8Array(length);
      for (const t of tensors) inTensor.fill(1, t.offset, t.offset + t.length);
      gradients0.forEach((_, k) => {
        if (!inTensor[k]) gradients0[k] = 0;
      });
      const valuesBuffer = ctx.createStorage('values', Float32Array.from(values));
      const gradientsBuffer = ctx.createStorage('gradients', Float32Array.from(gradients0));
      // A metrics record with a loss sum already accumulated, and two other fields to leave alone.
      const record = new Float32Array([0.75, 123, 456, 789]);
      const metrics = ctx.createStorage('metrics', record);
      const rows = 7;
      const kernel = new RegularizerDispatch(ctx, tensors, { values: valuesBuffer, gradients: gradientsBuffer, metrics }, { train });
      kernel.setParams({ tensors: tensors.length, rows });
      try {
        await runKernels(ctx, 'regularizer test', [kernel]);
        const want = expected(tensors, values, gradients0);
        const gotGradients = await ctx.readFloats(gradientsBuffer, 0, length);
        if (train) expectClose(gotGradients, want.gradients, { rtol: 1e-6, atol: 1e-7 }, 'gradients + penalty gradient');
        else assert.deepEqual(gotGradients, Float32Array.from(gradients0), 'evaluation leaves gradients alone');
        const gotRecord = await ctx.readFloats(metrics, 0, 4);
        expectClose([gotRecord[0]!], [0.75 + rows * want.penalty], { rtol: 1e-5, atol: 0 }, 'loss sum + rows × penalty');
        assert.deepEqual(Array.from(gotRecord.subarray(1)), [123, 456, 789], 'only loss_sum is written');
        assert.equal(gotGradients[tensors[3]!.offset], gradients0[tensors[3]!.offset], 'sign(0) = 0: a zero weight gets no L1 gradient');
      } finally {
        kernel.dispose();
        for (const b of [valuesBuffer, gradientsBuffer, metrics]) ctx.destroyBuffer(b);
      }
    });
  }

  test('reference penalty gradient matches finite differences of the penalty (away from W = 0)', () => {
    const network: NetworkShape = {
      layers: [
        { inputs: 3, units: 17, activation: 'relu', useBias: true, kernelRegularizer: { l1: 0.01, l2: 0.02 } },
        { inputs: 17, units: 1, activation: 'sigmoid', useBias: false, kernelRegularizer: { l1: 0.3, l2: 0 } },
      ],
    };
    // |W| ≥ 0.1 so ±1e-6 probes never cross the kink of |W| at 0.
    const kernel0 = randomArray(51, 3).map((v) => (v < 0 ? v - 0.1 : v + 0.1));
    const bias0 = randomArray(17, 4);
    const kernel1 = randomArray(17, 5).map((v) => (v < 0 ? v - 0.1 : v + 0.1));
    const flat = Float64Array.from([...kernel0, ...bias0, ...kernel1]);
    const split = (p: Float64Array) => [p.subarray(0, 51), p.subarray(51, 68), p.subarray(68)];
    const analytic = split(flat).map((t) => new Float64Array(t.length));
    ref.addRegularizationGradients(network, split(flat), analytic);
    const numeric = numericGradient((p) => ref.regularizationPenalty(network, split(p)), flat);
    expectClose(Float64Array.from(analytic.flatMap((t) => Array.from(t))), numeric, { rtol: 1e-6, atol: 1e-9 }, 'penalty gradient');
    assert.ok(
      analytic[1]!.every((g) => g === 0),
      'biases are not regularized',
    );
  });
});

describe('dropout kernels (counter-hash masks shared with the reference)', () => {
  const spec = { rate: 0.3, seed: 1234 };

  for (const [rows, width] of SHAPES) {
    test(`${rows}×${width}: GPU mask == reference mask exactly, kept values × 1/(1 − rate), forward and backward`, async () => {
      const ctx = gpu();
      const offsetRows = 2;
      // Nonzero values so that a zero output means "dropped" and nothing else.
      const source = f32(randomArray((rows + offsetRows) * width, rows + width, 0.5, 1.5));
      const sourceBuffer = ctx.createStorage('source', Float32Array.from(source));
      const dropped = ctx.createStorage('dropped', rows * width);
      const gradient0 = f32(randomArray(rows * width, 7, 0.5, 1.5));
      const gradient = ctx.createStorage('gradient', Float32Array.from(gradient0));
      const step = 5;
      const forward = dropoutForward(ctx, rows, width, spec, { source: sourceBuffer, dropped });
      forward.stageWindow({ rows, step, sourceRowOffset: offsetRows }).upload();
      const backward = dropoutBackward(ctx, rows, width, spec, { gradient, yPrev: sourceBuffer });
      backward.stageWindow({ rows, step }).upload();
      try {
        await runKernels(ctx, 'dropout test', [forward, backward]);
        const mask = ref.dropoutMask(rows, width, spec, step);
        const window = source.subarray(offsetRows * width);
        const got = await ctx.readFloats(dropped, 0, rows * width);
        const gotGradient = await ctx.readFloats(gradient, 0, rows * width);
        for (let i = 0; i < rows * width; i++) {
          assert.equal(got[i] === 0, mask[i] === 0, `forward element ${i}: GPU ${got[i]}, mask ${mask[i]}`);
          assert.equal(gotGradient[i] === 0, mask[i] === 0, `backward element ${i}: GPU ${gotGradient[i]}, mask ${mask[i]}`);
        }
        expectClose(got, ref.applyMask(window, mask), { rtol: 2e-7, atol: 0 }, 'dropped values');
        expectClose(gotGradient, ref.applyMask(gradient0, mask), { rtol: 2e-7, atol: 0 }, 'masked gradient');
      } finally {
        forward.dispose();
        backward.dispose();
        for (const b of [sourceBuffer, dropped, gradient]) ctx.destroyBuffer(b);
      }
    });
  }

  test('kept fraction within 5σ of 1 − rate (binomial), a new mask every step, rate 0 = identity', async () => {
    const ctx = gpu();
    const rows = 129;
    const width = 129;
    const n = rows * width;
    const ones = ctx.createStorage('ones', new Float32Array(n).fill(1));
    const dropped = ctx.createStorage('dropped', n);
    try {
      for (const rate of [0.1, 0.5, 0.9]) {
        const kernel = dropoutForward(ctx, rows, width, { rate, seed: 77 }, { source: ones, dropped });
        const kept: Float32Array[] = [];
        for (const step of [1, 2]) {
          kernel.stageWindow({ rows, step }).upload();
          await runKernels(ctx, 'dropout fraction', [kernel]);
          kept.push(await ctx.readFloats(dropped, 0, n));
        }
        kernel.dispose();
        const count = kept[0]!.filter((v) => v !== 0).length;
        const p = 1 - rate;
        const sigma = Math.sqrt(n * p * (1 - p));
        assert.ok(Math.abs(count - n * p) <= 5 * sigma, `rate ${rate}: kept ${count} of ${n}, expected ${n * p} ± ${5 * sigma}`);
        assert.ok(
          kept[0]!.every((v) => v === 0 || v === Math.fround(1 / (1 - rate))),
          `rate ${rate}: kept values are 1/(1 − rate)`,
        );
        const differing = kept[0]!.filter((v, i) => (v === 0) !== (kept[1]![i] === 0)).length;
        assert.ok(differing > n * 2 * p * (1 - p) * 0.8, `rate ${rate}: steps 1 and 2 draw different masks (${differing} differ)`);
      }
      const values = f32(randomArray(n, 8));
      const source = ctx.createStorage('values', Float32Array.from(values));
      const identity = dropoutForward(ctx, rows, width, { rate: 0, seed: 77 }, { source, dropped });
      identity.stageWindow({ rows, step: 3 }).upload();
      await runKernels(ctx, 'dropout rate 0', [identity]);
      assert.deepEqual(await ctx.readFloats(dropped, 0, n), Float32Array.from(values), 'rate 0 copies its input bitwise');
      identity.dispose();
      ctx.destroyBuffer(source);
    } finally {
      ctx.destroyBuffer(ones);
      ctx.destroyBuffer(dropped);
    }
  });
});
