import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runKernels } from '../../src/gpu/dispatch.js';
import { binaryCrossentropy, decodeMetrics, METRICS_BYTES } from '../../src/kernels/binary-crossentropy.js';
import * as ref from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { expectClose, f32, numericGradient, randomArray, seededUniform } from '../helpers/numeric.js';

const gpu = useGpu();

function labels(count: number, seed: number): Float64Array {
  const next = seededUniform(seed);
  return Float64Array.from({ length: count }, () => (next(0, 1) < 0.5 ? 0 : 1));
}

// Loss sums over n samples in f32: n·ε relative; gradients are single operations: ~1e-6.
const GRADIENT_TOLERANCE = { rtol: 1e-5, atol: 1e-8 };
const sumTolerance = (n: number) => ({ rtol: 1e-6 * n + 1e-5, atol: 1e-6 });

describe('binary cross-entropy vs float64 reference', () => {
  for (const rows of [1, 3, 17, 129, 1000]) {
    for (const fromLogits of [true, false]) {
      test(`${fromLogits ? 'from logits' : 'from probabilities'}, ${rows} rows: gradient, loss sum, accuracy`, async () => {
        const ctx = gpu();
        const t = labels(rows, rows);
        const raw = randomArray(rows, rows + 1, -6, 6);
        const prediction = f32(fromLogits ? raw : ref.activateAll('sigmoid', raw));
        const gradient = zeros(ctx, 'gradient', rows);
        const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
        const kernel = binaryCrossentropy(
          ctx,
          rows,
          { prediction: upload(ctx, 'prediction', prediction), labels: upload(ctx, 'labels', t), gradient, metrics },
          { fromLogits, train: true },
        );
        await runKernels(ctx, 'bce', [kernel]);
        const expected = fromLogits ? ref.bceFromLogits(prediction, t) : ref.bceFromProbabilities(prediction, t);
        expectClose(await ctx.readFloats(gradient), expected.gradient, GRADIENT_TOLERANCE, 'dL/dprediction');
        const sums = decodeMetrics(await ctx.read(metrics));
        expectClose([sums.lossSum], [expected.lossSum], sumTolerance(rows), 'loss sum');
        assert.equal(sums.correct, expected.correct, 'correct count');
        assert.equal(sums.seen, rows, 'rows seen');
        expectClose(
          [sums.squaredError, sums.absoluteError],
          [expected.squaredError, expected.absoluteError],
          sumTolerance(rows),
          'mse/mae sums',
        );
      });
    }
  }

  for (const fromLogits of [true, false]) {
    test(`sample weights (${fromLogits ? 'logits' : 'probabilities'}): weighted loss and gradient, unweighted metrics, 129 rows`, async () => {
      const ctx = gpu();
      const rows = 129;
      const t = labels(rows, 21);
      const raw = randomArray(rows, 22, -4, 4);
      const prediction = f32(fromLogits ? raw : ref.activateAll('sigmoid', raw));
      const weights = f32(randomArray(rows, 23, 0, 3));
      const gradient = zeros(ctx, 'gradient', rows);
      const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
      const buffers = {
        prediction: upload(ctx, 'p', prediction),
        labels: upload(ctx, 't', t),
        gradient,
        metrics,
        sampleWeight: upload(ctx, 'w', weights),
      };
      await runKernels(ctx, 'weighted bce', [binaryCrossentropy(ctx, rows, buffers, { fromLogits, train: true })]);
      const expected = fromLogits ? ref.bceFromLogits(prediction, t, weights) : ref.bceFromProbabilities(prediction, t, weights);
      expectClose(await ctx.readFloats(gradient), expected.gradient, GRADIENT_TOLERANCE, 'weighted gradient');
      const sums = decodeMetrics(await ctx.read(metrics));
      expectClose(
        [sums.lossSum, sums.squaredError],
        [expected.lossSum, expected.squaredError],
        sumTolerance(rows),
        'weighted loss, unweighted squared error',
      );
      assert.equal(sums.correct, expected.correct);
    });
  }

  test('sums accumulate across dispatches until cleared; eval entry points write no gradient', async () => {
    const ctx = gpu();
    const rows = 50;
    const t = labels(rows, 5);
    const z = f32(randomArray(rows, 6, -3, 3));
    const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
    const predictionBuffer = upload(ctx, 'z', z);
    const labelBuffer = upload(ctx, 't', t);
    const evaluate = binaryCrossentropy(
      ctx,
      rows,
      { prediction: predictionBuffer, labels: labelBuffer, metrics },
      { fromLogits: true, train: false },
    );
    await runKernels(ctx, 'eval x3', [evaluate, evaluate, evaluate]);
    const expected = ref.bceFromLogits(z, t);
    const sums = decodeMetrics(await ctx.read(metrics));
    expectClose([sums.lossSum], [3 * expected.lossSum], sumTolerance(150), 'three accumulated loss sums');
    assert.equal(sums.correct, 3 * expected.correct);
    assert.equal(sums.seen, 150);
  });

  test('a window of labels at an offset (batches of a resident dataset)', async () => {
    const ctx = gpu();
    const all = labels(40, 7);
    const z = f32(randomArray(9, 8, -3, 3));
    const gradient = zeros(ctx, 'g', 9);
    const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
    const kernel = binaryCrossentropy(
      ctx,
      9,
      { prediction: upload(ctx, 'z', z), labels: upload(ctx, 't', all), gradient, metrics },
      { fromLogits: true, train: true },
    );
    kernel.setWindow(9, 30);
    await runKernels(ctx, 'bce window', [kernel]);
    expectClose(
      await ctx.readFloats(gradient),
      ref.bceFromLogits(z, all.subarray(30, 39)).gradient,
      GRADIENT_TOLERANCE,
      'windowed gradient',
    );
  });

  test('extreme logits stay finite and exact: |z| = 1e4, 100, 20 with both labels', async () => {
    const ctx = gpu();
    const z = [1e4, -1e4, 100, -100, 20, -20, 1e4, -1e4];
    const t = [1, 0, 1, 0, 0, 1, 0, 1];
    const gradient = zeros(ctx, 'g', 8);
    const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
    await runKernels(ctx, 'bce extreme', [
      binaryCrossentropy(
        ctx,
        8,
        { prediction: upload(ctx, 'z', z), labels: upload(ctx, 't', t), gradient, metrics },
        { fromLogits: true, train: true },
      ),
    ]);
    const expected = ref.bceFromLogits(z, t);
    expectClose(await ctx.readFloats(gradient), expected.gradient, GRADIENT_TOLERANCE, 'gradient');
    const sums = decodeMetrics(await ctx.read(metrics));
    assert.ok(Number.isFinite(sums.lossSum));
    expectClose([sums.lossSum], [expected.lossSum], { rtol: 1e-6, atol: 1e-6 }, 'loss sum with saturated logits');
  });

  test('probabilities outside the clip range give the capped loss (−log of the f32 clip bounds) and zero gradient', async () => {
    const ctx = gpu();
    const p = [0, 1, 1e-9, 1 - 1e-9];
    const t = [1, 0, 1, 0];
    const gradient = zeros(ctx, 'g', 4);
    const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
    await runKernels(ctx, 'bce clip', [
      binaryCrossentropy(
        ctx,
        4,
        { prediction: upload(ctx, 'p', p), labels: upload(ctx, 't', t), gradient, metrics },
        { fromLogits: false, train: true },
      ),
    ]);
    assert.deepEqual([...(await ctx.readFloats(gradient))], [0, 0, 0, 0]);
    const sums = decodeMetrics(await ctx.read(metrics));
    const capLow = -Math.log(Math.fround(1e-7)); // p clipped up to 1e-7 with label 1
    const capHigh = -Math.log(1 - Math.fround(1 - 1e-7)); // p clipped down to 1 − 1.19e-7 with label 0
    expectClose([sums.lossSum], [2 * capLow + 2 * capHigh], { rtol: 1e-5, atol: 0 }, 'capped loss');
    expectClose([sums.lossSum], [ref.bceFromProbabilities(p, t).lossSum], { rtol: 1e-5, atol: 0 }, 'reference capped loss');
  });
});

describe('binary cross-entropy gradient vs finite differences of the mean loss', () => {
  for (const fromLogits of [true, false]) {
    test(fromLogits ? 'from logits' : 'from probabilities', async () => {
      const ctx = gpu();
      const rows = 23;
      const t = labels(rows, 9);
      const raw = randomArray(rows, 10, -4, 4);
      const prediction = f32(fromLogits ? raw : ref.activateAll('sigmoid', raw));
      const gradient = zeros(ctx, 'g', rows);
      const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
      await runKernels(ctx, 'bce', [
        binaryCrossentropy(
          ctx,
          rows,
          { prediction: upload(ctx, 'p', prediction), labels: upload(ctx, 't', t), gradient, metrics },
          { fromLogits, train: true },
        ),
      ]);
      const loss = (p: Float64Array) => (fromLogits ? ref.bceFromLogits(p, t) : ref.bceFromProbabilities(p, t)).loss;
      expectClose(
        await ctx.readFloats(gradient),
        numericGradient(loss, prediction, 1e-7),
        { rtol: 1e-4, atol: 1e-6 },
        'gradient vs finite differences',
      );
    });
  }
});
