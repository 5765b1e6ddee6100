import type { BceResult } from './binary-crossentropy.js';

/** Sums and gradient of a loss over one batch, as the GPU loss kernels produce them. */
export type LossResult = BceResult;

/** Row-wise softmax of a rows × classes matrix (stable: the row maximum is subtracted first). */
export function softmaxRows(logits: ArrayLike<number>, rows: number, classes: number): Float64Array {
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logits[r * classes + j]!);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(logits[r * classes + j]! - max);
    for (let j = 0; j < classes; j++) out[r * classes + j] = Math.exp(logits[r * classes + j]! - max) / sum;
  }
  return out;
}

/** Index of the first maximum of `values[start, start + count)` (argmax's tie rule). */
export function argmax(values: ArrayLike<number>, start: number, count: number): number {
  let best = 0;
  for (let j = 1; j < count; j++) if (values[start + j]! > values[start + best]!) best = j;
  return best;
}

/**
 * Softmax cross-entropy from logits (rows × classes), in the stable log-softmax form:
 * loss_r = Σ_j t_j (logsumexp(z_r) − z_rj), gradient w_r (softmax(z_r) − t_r) / rows.
 * `targets` is rows × classes (one-hot or soft labels), or with `sparse` one integer label per
 * row. Accuracy: argmax(t) (or the label) == argmax(z). The error sums compare softmax(z) with
 * the targets as Keras's mse/mae metrics do (a sparse label broadcast against every output).
 */
export function softmaxCrossentropy(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  rows: number,
  classes: number,
  sparse: boolean,
  weights?: ArrayLike<number>,
): LossResult {
  const p = softmaxRows(logits, rows, classes);
  const gradient = new Float64Array(rows * classes);
  let lossSum = 0;
  let correct = 0;
  let squaredError = 0;
  let absoluteError = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logits[base + j]!);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(logits[base + j]! - max);
    const logSumExp = max + Math.log(sum);
    const w = weights ? weights[r]! : 1;
    const target = (j: number): number => (sparse ? (targets[r] === j ? 1 : 0) : targets[base + j]!);
    let loss = 0;
    let squared = 0;
    let absolute = 0;
    for (let j = 0; j < classes; j++) {
      const t = target(j);
      loss += t * (logSumExp - logits[base + j]!);
      gradient[base + j] = (w * (p[base + j]! - t)) / rows;
      const e = p[base + j]! - (sparse ? targets[r]! : t);
      squared += e * e;
      absolute += Math.abs(e);
    }
    lossSum += w * loss;
    squaredError += squared / classes;
    absoluteError += absolute / classes;
    const trueClass = sparse ? targets[r]! : argmax(targets, base, classes);
    if (trueClass === argmax(logits, base, classes)) correct++;
  }
  return { loss: lossSum / rows, lossSum, correct, squaredError, absoluteError, gradient };
}
