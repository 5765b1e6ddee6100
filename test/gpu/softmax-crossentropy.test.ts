import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runKernels } from '../../src/gpu/dispatch.js';
import { decodeMetrics, METRICS_BYTES } from '../../src/kernels/metrics.js';
import { meanSquaredError } from '../../src/kernels/mean-squared-error.js';
import { softmaxCrossentropy, softmaxRows } from '../../src/kernels/softmax-crossentropy.js';
import * as ref from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { expectClose, f32, numericGradient, randomArray, seededUniform } from '../helpers/numeric.js';

const gpu = useGpu();

// Gradients are a few f32 operations per element (exp, divide): ~1e-6 relative, plus an
// absolute floor for near-cancelling p − t. Sums over n rows of k terms grow with n·k·ε.
const GRADIENT_TOLERANCE = { rtol: 2e-5, atol: 1e-7 };
const sumTolerance = (terms: number) => ({ rtol: 2e-6 * terms + 1e-5, atol: 1e-5 });

function sparseLabels(rows: number, classes: number, seed: number): Float64Array {
  const next = seededUniform(seed);
  return Float64Array.from({ length: rows }, () => Math.min(classes - 1, Math.floor(next(0, classes))));
}

/** Soft labels: random non-negative rows that sum to 1 (one-hot when `hard`). */
function categoricalTargets(rows: number, classes: number, seed: number, hard: boolean): Float64Array {
  const targets = new Float64Array(rows * classes);
  if (hard) {
    sparseLabels(rows, classes, seed).forEach((label, r) => (targets[r * classes + label] = 1));
    return targets;
  }
  const next = seededUniform(seed);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += targets[r * classes + j] = next(0, 1);
    for (let j = 0; j < classes; j++) targets[r * classes + j]! /= sum;
  }
  return f32(targets);
}

const weightsFor = (rows: number, seed: number): Float64Array => f32(randomArray(rows, seed, 0, 3));

describe('softmax cross-entropy vs float64 reference', () => {
  for (const classes of [2, 3, 17, 129]) {
    for (const rows of [1, 3, 17, 129]) {
      for (const mode of ['categorical', 'soft', 'sparse', 'weighted sparse'] as const) {
        test(`${mode}, ${rows} rows × ${classes} classes: gradient, loss, accuracy, error sums`, async () => {
          const ctx = gpu();
          const sparse = mode.includes('sparse');
          const seed = rows * 1000 + classes;
          const logits = f32(randomArray(rows * classes, seed, -8, 8));
          const targets = sparse
            ? sparseLabels(rows, classes, seed + 1)
            : categoricalTargets(rows, classes, seed + 1, mode === 'categorical');
          const weights = mode === 'weighted sparse' ? weightsFor(rows, seed + 2) : undefined;
          const gradient = zeros(ctx, 'gradient', rows * classes);
          const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
          const kernel = softmaxCrossentropy(
            ctx,
            rows,
            {
              prediction: upload(ctx, 'logits', logits),
              labels: upload(ctx, 'labels', targets),
              gradient,
              metrics,
              ...(weights ? { sampleWeight: upload(ctx, 'w', weights) } : {}),
            },
            { classes, sparse, train: true },
          );
          await runKernels(ctx, 'softmax ce', [kernel]);
          const expected = ref.softmaxCrossentropy(logits, targets, rows, classes, sparse, weights);
          expectClose(await ctx.readFloats(gradient), expected.gradient, GRADIENT_TOLERANCE, 'dL/dlogits');
          const sums = decodeMetrics(await ctx.read(metrics));
          expectClose([sums.lossSum], [expected.lossSum], sumTolerance(rows * classes), 'loss sum');
          expectClose(
            [sums.squaredError, sums.absoluteError],
            [expected.squaredError, expected.absoluteError],
            sumTolerance(rows * classes),
            'error sums',
          );
          assert.equal(sums.correct, expected.correct, 'correct count');
          assert.equal(sums.seen, rows, 'rows seen');
        });
      }
    }
  }

  test('eval entry points accumulate the same sums over a window of labels, and write no gradient', async () => {
    const ctx = gpu();
    const [rows, classes] = [17, 5];
    const all = sparseLabels(40, classes, 3);
    const logits = f32(randomArray(rows * classes, 4, -3, 3));
    const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
    const kernel = softmaxCrossentropy(
      ctx,
      rows,
      { prediction: upload(ctx, 'z', logits), labels: upload(ctx, 't', all), metrics },
      { classes, sparse: true, train: false },
    );
    kernel.setWindow(rows, 20);
    await runKernels(ctx, 'eval x2', [kernel, kernel]);
    const expected = ref.softmaxCrossentropy(logits, all.subarray(20, 20 + rows), rows, classes, true);
    const sums = decodeMetrics(await ctx.read(metrics));
    expectClose([sums.lossSum], [2 * expected.lossSum], sumTolerance(2 * rows * classes), 'two accumulated loss sums');
    assert.equal(sums.correct, 2 * expected.correct);
    assert.equal(sums.seen, 2 * rows);
  });

  test('ties and extreme logits: first maximum wins, loss stays finite (|z| = 1e4)', async () => {
    const ctx = gpu();
    const classes = 3;
    // Row 0: tie between classes 0 and 2 → argmax 0 (label 0: right). Row 1: same tie, label 2: wrong.
    // Rows 2, 3: huge logits, right and wrong labels.
    const logits = [1, 0, 1, 1, 0, 1, 1e4, -1e4, 0, -1e4, 1e4, 0];
    const labels = [0, 2, 0, 0];
    const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
    const gradient = zeros(ctx, 'g', 12);
    const kernel = softmaxCrossentropy(
      ctx,
      4,
      { prediction: upload(ctx, 'z', logits), labels: upload(ctx, 't', labels), metrics, gradient },
      { classes, sparse: true, train: true },
    );
    await runKernels(ctx, 'ties', [kernel]);
    const sums = decodeMetrics(await ctx.read(metrics));
    const expected = ref.softmaxCrossentropy(logits, labels, 4, classes, true);
    assert.equal(sums.correct, 2);
    assert.equal(expected.correct, 2);
    expectClose([sums.lossSum], [expected.lossSum], { rtol: 1e-6, atol: 1e-5 }, 'loss with a 2e4 logit gap');
    expectClose(await ctx.readFloats(gradient), expected.gradient, GRADIENT_TOLERANCE, 'gradient');
  });
});

describe('row-wise softmax (predict)', () => {
  for (const [rows, classes] of [
    [1, 2],
    [3, 17],
    [129, 3],
    [17, 129],
  ] as const) {
    test(`${rows} rows × ${classes} classes, in place from a row offset`, async () => {
      const ctx = gpu();
      const offset = 2;
      const logits = f32(randomArray((rows + offset) * classes, rows + classes, -20, 20));
      const buffer = upload(ctx, 'values', logits);
      await runKernels(ctx, 'softmax', [softmaxRows(ctx, buffer, rows, classes, offset)]);
      const result = await ctx.readFloats(buffer);
      expectClose(
        result.subarray(0, offset * classes),
        logits.subarray(0, offset * classes),
        { rtol: 0, atol: 0 },
        'rows before the offset untouched',
      );
      expectClose(
        result.subarray(offset * classes),
        ref.softmaxRows(logits.subarray(offset * classes), rows, classes),
        { rtol: 1e-5, atol: 1e-7 },
        'softmax',
      );
    });
  }
});

describe('mean squared error vs float64 reference', () => {
  for (const units of [1, 3, 17]) {
    for (const rows of [1, 3, 17, 129]) {
      for (const weighted of [false, true]) {
        test(`${rows} rows × ${units} units${weighted ? ', sample weights' : ''}`, async () => {
          const ctx = gpu();
          const seed = rows * 31 + units;
          const prediction = f32(randomArray(rows * units, seed, -3, 3));
          const targets = f32(randomArray(rows * units, seed + 1, -3, 3));
          const weights = weighted ? weightsFor(rows, seed + 2) : undefined;
          const gradient = zeros(ctx, 'gradient', rows * units);
          const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
          const kernel = meanSquaredError(
            ctx,
            rows,
            {
              prediction: upload(ctx, 'p', prediction),
              labels: upload(ctx, 't', targets),
              gradient,
              metrics,
              ...(weights ? { sampleWeight: upload(ctx, 'w', weights) } : {}),
            },
            { units, train: true },
          );
          await runKernels(ctx, 'mse', [kernel]);
          const expected = ref.meanSquaredError(prediction, targets, rows, units, weights);
          expectClose(await ctx.readFloats(gradient), expected.gradient, GRADIENT_TOLERANCE, 'dL/dprediction');
          const sums = decodeMetrics(await ctx.read(metrics));
          expectClose(
            [sums.lossSum, sums.squaredError, sums.absoluteError],
            [expected.lossSum, expected.squaredError, expected.absoluteError],
            sumTolerance(rows * units),
            'sums',
          );
          assert.equal(sums.correct, 0);
          assert.equal(sums.seen, rows);
        });
      }
    }
  }
});

describe('loss gradients by finite differences (float64 reference)', () => {
  // Central differences with h = 1e-6 in float64: truncation O(h²) and rounding O(ε/h) ≈ 1e-10.
  const FD_TOLERANCE = { rtol: 1e-6, atol: 1e-9 };
  const [rows, classes] = [5, 4];
  const weights = randomArray(rows, 9, 0.2, 2);
  for (const sparse of [false, true]) {
    for (const weighted of [false, true]) {
      test(`${sparse ? 'sparse ' : ''}categorical cross-entropy${weighted ? ' with sample weights' : ''}`, () => {
        const logits = randomArray(rows * classes, 10, -3, 3);
        const targets = sparse ? sparseLabels(rows, classes, 11) : categoricalTargets(rows, classes, 11, false);
        const w = weighted ? weights : undefined;
        const loss = (z: Float64Array): number => ref.softmaxCrossentropy(z, targets, rows, classes, sparse, w).lossSum / rows;
        expectClose(
          ref.softmaxCrossentropy(logits, targets, rows, classes, sparse, w).gradient,
          numericGradient(loss, logits),
          FD_TOLERANCE,
          'analytic vs numeric',
        );
      });
    }
  }
  for (const weighted of [false, true]) {
    test(`mean squared error${weighted ? ' with sample weights' : ''}`, () => {
      const prediction = randomArray(rows * 3, 12, -2, 2);
      const targets = randomArray(rows * 3, 13, -2, 2);
      const w = weighted ? weights : undefined;
      const loss = (p: Float64Array): number => ref.meanSquaredError(p, targets, rows, 3, w).lossSum / rows;
      expectClose(
        ref.meanSquaredError(prediction, targets, rows, 3, w).gradient,
        numericGradient(loss, prediction),
        FD_TOLERANCE,
        'analytic vs numeric',
      );
    });
    test(`binary cross-entropy from logits${weighted ? ' with sample weights' : ''}`, () => {
      const z = randomArray(rows, 14, -3, 3);
      const t = Float64Array.from([0, 1, 1, 0, 1]);
      const w = weighted ? weights : undefined;
      const loss = (logits: Float64Array): number => ref.bceFromLogits(logits, t, w).lossSum / rows;
      expectClose(ref.bceFromLogits(z, t, w).gradient, numericGradient(loss, z), FD_TOLERANCE, 'analytic vs numeric');
    });
  }
});
