/** Keras's epsilon for the probability-space cross-entropy. */
const BCE_EPSILON = 1e-7;

// The clip bounds as float32 values, as Keras (and the GPU) apply them in float32: 1 − 1e-7
// rounds to 1 − 1.19e-7, so the loss is capped at 15.94 on that side and 16.12 on the other.
const CLIP_LOW = Math.fround(BCE_EPSILON);
const CLIP_HIGH = Math.fround(1 - BCE_EPSILON);

/** Result of binary cross-entropy over one batch, as the GPU kernel produces it. */
export interface BceResult {
  /** Mean loss over the batch. */
  readonly loss: number;
  /** Sum of per-sample losses, each times its sample weight (what the GPU accumulates). */
  readonly lossSum: number;
  /** Count of samples with (p > 0.5) == label. */
  readonly correct: number;
  /** Σ (p − t)² and Σ |p − t| over the samples (unweighted; the mse/mae metrics). */
  readonly squaredError: number;
  readonly absoluteError: number;
  /** d(Σ w·loss / n)/d(prediction), per sample (Keras's sum_over_batch_size). */
  readonly gradient: Float64Array;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function isCorrect(p: number, label: number): number {
  return (p > 0.5 ? 1 : 0) === label ? 1 : 0;
}

/**
 * Stable form from logits: max(z,0) − z·t + log1p(exp(−|z|)); gradient w(σ(z) − t)/n with
 * per-sample weights w (1 when omitted).
 */
export function bceFromLogits(logits: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): BceResult {
  const n = logits.length;
  const gradient = new Float64Array(n);
  let lossSum = 0;
  let correct = 0;
  let squaredError = 0;
  let absoluteError = 0;
  for (let i = 0; i < n; i++) {
    const z = logits[i]!;
    const t = labels[i]!;
    const w = weights ? weights[i]! : 1;
    lossSum += w * (Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))));
    const p = sigmoid(z);
    gradient[i] = (w * (p - t)) / n;
    correct += isCorrect(p, t);
    squaredError += (p - t) ** 2;
    absoluteError += Math.abs(p - t);
  }
  return { loss: lossSum / n, lossSum, correct, squaredError, absoluteError, gradient };
}

/** Keras's clipped form from probabilities; zero gradient where the clip is active. */
export function bceFromProbabilities(probabilities: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): BceResult {
  const n = probabilities.length;
  const gradient = new Float64Array(n);
  let lossSum = 0;
  let correct = 0;
  let squaredError = 0;
  let absoluteError = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!;
    const t = labels[i]!;
    const w = weights ? weights[i]! : 1;
    const pc = Math.min(Math.max(p, CLIP_LOW), CLIP_HIGH);
    lossSum += -w * (t * Math.log(pc) + (1 - t) * Math.log(1 - pc));
    gradient[i] = p > CLIP_LOW && p < CLIP_HIGH ? (w * (p - t)) / (p * (1 - p)) / n : 0;
    correct += isCorrect(p, t);
    squaredError += (p - t) ** 2;
    absoluteError += Math.abs(p - t);
  }
  return { loss: lossSum / n, lossSum, correct, squaredError, absoluteError, gradient };
}
