import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runKernels } from '../../src/gpu/dispatch.js';
import { ACTIVATIONS, type Activation } from '../../src/spec/activations.js';
import { decodeMetrics, METRICS_BYTES } from '../../src/kernels/binary-crossentropy.js';
import { preActivationOffset } from '../../src/kernels/dense.js';
import { OutputHeadDispatch } from '../../src/kernels/output-head.js';
import * as ref from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { expectClose, f32, numericGradient, randomArray, seededUniform, type Tolerance } from '../helpers/numeric.js';

const gpu = useGpu();

const labels = (count: number, seed: number): Float64Array => {
  const next = seededUniform(seed);
  return Float64Array.from({ length: count }, () => (next(0, 1) < 0.5 ? 0 : 1));
};

/** Same bound as the dense kernels: an f32 sum of n terms bounded by ~1. */
const sumTolerance = (n: number): Tolerance => ({ rtol: 1e-4, atol: 1.2e-7 * n + 1e-6 });

interface HeadCase {
  readonly rows: number;
  readonly inputs: number;
  readonly previous: Activation | undefined;
  readonly useBias: boolean;
}

/** The head's float64 oracle: dense forward (linear) → BCE from logits → both backward passes. */
function reference(
  c: HeadCase,
  x: Float64Array,
  w: Float64Array,
  b: Float64Array,
  t: Float64Array,
  zPrev?: Float64Array,
  sampleWeight?: Float64Array,
) {
  const dims = { rows: c.rows, inputs: c.inputs, units: 1 };
  const z = ref.denseForward(dims, x, w, c.useBias ? b : undefined, 'linear');
  const loss = ref.bceFromLogits(z, t, sampleWeight);
  const { dWeights, dBias } = ref.denseBackwardWeights(dims, x, loss.gradient);
  const dzPrev = c.previous === undefined ? undefined : ref.denseBackwardData(dims, loss.gradient, w, x, c.previous, undefined, zPrev);
  return { loss, dWeights, dBias, dzPrev };
}

/**
 * Runs the head once. With `zPrev`, x's buffer also holds the previous layer's pre-activations
 * at preActivationOffset, as ForwardChain lays out a gelu or swish layer's output.
 */
async function runHead(
  c: HeadCase,
  x: Float64Array,
  w: Float64Array,
  b: Float64Array,
  t: Float64Array,
  offsets = { x: 0, labels: 0 },
  zPrev?: Float64Array,
  sampleWeight?: Float64Array,
) {
  const ctx = gpu();
  const preOffset = zPrev ? preActivationOffset(c.rows, c.inputs) : undefined;
  const xs = preOffset === undefined ? x : new Float64Array(preOffset + zPrev!.length);
  if (preOffset !== undefined) {
    xs.set(x);
    xs.set(zPrev!, preOffset);
  }
  // Kernel and bias inside one flat buffer, at aligned offsets, as ParameterBuffers lays them out.
  const biasOffset = Math.ceil(c.inputs / 64) * 64;
  const flat = new Float64Array(biasOffset + 64);
  flat.set(w);
  flat[biasOffset] = b[0]!;
  const buffers = {
    metrics: zeros(ctx, 'metrics', METRICS_BYTES / 4),
    dz: zeros(ctx, 'dz', c.rows),
    gradients: zeros(ctx, 'gradients', flat.length),
    dzPrev: zeros(ctx, 'dzPrev', c.rows * c.inputs),
  };
  const head = new OutputHeadDispatch(
    ctx,
    {
      ...buffers,
      x: upload(ctx, 'x', xs),
      parameters: upload(ctx, 'parameters', flat),
      labels: upload(ctx, 't', t),
      ...(sampleWeight ? { sampleWeight: upload(ctx, 'sample weights', sampleWeight) } : {}),
    },
    {
      inputs: c.inputs,
      weightsOffset: 0,
      biasOffset,
      useBias: c.useBias,
      previousActivation: c.previous,
      ...(preOffset === undefined ? {} : { previousPreOffset: preOffset }),
    },
  );
  head.stageWindow(c.rows, offsets.x, offsets.labels).upload();
  await runKernels(ctx, 'output head', [head]);
  const gradients = await ctx.readFloats(buffers.gradients);
  return {
    sums: decodeMetrics(await ctx.read(buffers.metrics)),
    dz: await ctx.readFloats(buffers.dz),
    dWeights: gradients.slice(0, c.inputs),
    dBias: gradients[biasOffset]!,
    dzPrev: await ctx.readFloats(buffers.dzPrev),
  };
}

describe('fused output head vs float64 reference (dense 1 unit → BCE from logits → backward)', () => {
  const cases: HeadCase[] = [
    { rows: 1, inputs: 1, previous: 'relu', useBias: true },
    { rows: 3, inputs: 17, previous: 'tanh', useBias: true },
    { rows: 17, inputs: 3, previous: 'sigmoid', useBias: false },
    { rows: 32, inputs: 128, previous: 'relu', useBias: true },
    { rows: 33, inputs: 129, previous: 'linear', useBias: true },
    { rows: 1000, inputs: 64, previous: 'tanh', useBias: true },
    { rows: 300, inputs: 2, previous: undefined, useBias: true },
  ];
  for (const c of cases) {
    test(`${c.rows}×${c.inputs}, previous ${c.previous ?? 'none (dataset input)'}${c.useBias ? '' : ', no bias'}`, async () => {
      const previous = c.previous ?? 'linear';
      const x = f32(ref.activateAll(previous, randomArray(c.rows * c.inputs, c.rows, -2, 2)));
      const w = f32(randomArray(c.inputs, c.inputs + 1));
      const b = f32([0.3]);
      const t = labels(c.rows, c.rows + 2);
      const gpuResult = await runHead(c, x, w, b, t);
      const expected = reference(c, x, w, b, t);
      expectClose([gpuResult.sums.lossSum], [expected.loss.lossSum], { rtol: 1e-6 * c.rows + 1e-5, atol: 1e-5 }, 'loss sum');
      assert.ok(Math.abs(gpuResult.sums.correct - expected.loss.correct) <= 0, 'correct count');
      assert.equal(gpuResult.sums.seen, c.rows);
      const errors = [expected.loss.squaredError, expected.loss.absoluteError];
      expectClose(
        [gpuResult.sums.squaredError, gpuResult.sums.absoluteError],
        errors,
        { rtol: 1e-6 * c.rows + 1e-5, atol: 1e-5 },
        'mse/mae sums',
      );
      expectClose(gpuResult.dz, expected.loss.gradient, { rtol: 1e-4, atol: 1e-7 }, 'dz');
      expectClose(gpuResult.dWeights, expected.dWeights, sumTolerance(c.rows), 'dW');
      if (c.useBias) expectClose([gpuResult.dBias], expected.dBias, sumTolerance(c.rows), 'db');
      else assert.equal(gpuResult.dBias, 0, 'no bias gradient without a bias');
      if (expected.dzPrev) expectClose(gpuResult.dzPrev, expected.dzPrev, { rtol: 1e-4, atol: 1e-7 }, 'dZprev');
      else
        assert.ok(
          gpuResult.dzPrev.every((v) => v === 0),
          'no previous layer: dZprev untouched',
        );
    });
  }

  for (const c of [cases[1]!, cases[4]!, cases[6]!]) {
    test(`sample weights (windowed like the labels), ${c.rows}×${c.inputs}: weighted loss and gradients, unweighted metrics`, async () => {
      const previous = c.previous ?? 'linear';
      const x = f32(ref.activateAll(previous, randomArray(c.rows * c.inputs, c.rows + 5, -2, 2)));
      const w = f32(randomArray(c.inputs, c.inputs + 6));
      const b = f32([-0.2]);
      const t = labels(c.rows + 4, c.rows + 7);
      const weights = f32(randomArray(c.rows + 4, c.rows + 8, 0, 2));
      const gpuResult = await runHead(c, x, w, b, t, { x: 0, labels: 4 }, undefined, weights);
      const expected = reference(c, x, w, b, t.subarray(4), undefined, weights.subarray(4));
      const unweighted = reference(c, x, w, b, t.subarray(4));
      expectClose([gpuResult.sums.lossSum], [expected.loss.lossSum], { rtol: 1e-6 * c.rows + 1e-5, atol: 1e-5 }, 'weighted loss sum');
      assert.notEqual(expected.loss.lossSum, unweighted.loss.lossSum);
      assert.equal(gpuResult.sums.correct, unweighted.loss.correct, 'accuracy is not weighted');
      expectClose(gpuResult.dz, expected.loss.gradient, { rtol: 1e-4, atol: 1e-7 }, 'dz');
      expectClose(gpuResult.dWeights, expected.dWeights, sumTolerance(c.rows), 'dW');
      expectClose([gpuResult.dBias], expected.dBias, sumTolerance(c.rows), 'db');
      if (expected.dzPrev) expectClose(gpuResult.dzPrev, expected.dzPrev, { rtol: 1e-4, atol: 1e-7 }, 'dZprev');
    });
  }

  test('reads a window of the dataset (x and label row offsets) when it is the only layer', async () => {
    const c: HeadCase = { rows: 7, inputs: 2, previous: undefined, useBias: true };
    const all = f32(randomArray(50 * 2, 40));
    const allLabels = labels(50, 41);
    const w = f32([0.7, -1.2]);
    const b = f32([0.1]);
    const gpuResult = await runHead(c, all, w, b, allLabels, { x: 20, labels: 20 });
    const expected = reference(c, all.subarray(40, 54), w, b, allLabels.subarray(20, 27));
    expectClose(gpuResult.dWeights, expected.dWeights, sumTolerance(7), 'windowed dW');
  });

  for (const previous of ACTIVATIONS) {
    test(`gradients vs finite differences of the mean loss, previous ${previous}`, async () => {
      const c: HeadCase = { rows: 9, inputs: 5, previous, useBias: true };
      const zPrev = f32(randomArray(45, 50, -2, 2).map((v) => (v >= 0 ? v + 0.1 : v - 0.1)));
      const x = ref.activateAll(previous, zPrev);
      const w = f32(randomArray(5, 51));
      const b = f32([-0.2]);
      const t = labels(9, 52);
      const gpuResult = await runHead(c, x, w, b, t, undefined, zPrev);
      const meanLoss = (xs: ArrayLike<number>, ws: ArrayLike<number>, bs: ArrayLike<number>) =>
        ref.bceFromLogits(ref.denseForward({ rows: 9, inputs: 5, units: 1 }, xs, ws, bs, 'linear'), t).loss;
      const tolerance = { rtol: 1e-3, atol: 1e-5 };
      expectClose(
        gpuResult.dWeights,
        numericGradient((ws) => meanLoss(x, ws, b), w),
        tolerance,
        'dW',
      );
      expectClose(
        [gpuResult.dBias],
        numericGradient((bs) => meanLoss(x, w, bs), b),
        tolerance,
        'db',
      );
      expectClose(
        gpuResult.dzPrev,
        numericGradient((zs) => meanLoss(ref.activateAll(previous, zs), w, b), zPrev),
        tolerance,
        'dZprev',
      );
    });
  }
});
