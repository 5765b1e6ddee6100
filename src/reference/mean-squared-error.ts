import type { LossResult } from './softmax-crossentropy.js';

/**
 * Keras's mean squared error over `rows` rows of `units` outputs: loss_r = mean_j (p − t)²,
 * gradient 2 w_r (p − t) / (units · rows). No accuracy (correct stays 0).
 */
export function meanSquaredError(
  prediction: ArrayLike<number>,
  targets: ArrayLike<number>,
  rows: number,
  units: number,
  weights?: ArrayLike<number>,
): LossResult {
  const gradient = new Float64Array(rows * units);
  let lossSum = 0;
  let squaredError = 0;
  let absoluteError = 0;
  for (let r = 0; r < rows; r++) {
    const w = weights ? weights[r]! : 1;
    let squared = 0;
    let absolute = 0;
    for (let j = 0; j < units; j++) {
      const e = prediction[r * units + j]! - targets[r * units + j]!;
      squared += e * e;
      absolute += Math.abs(e);
      gradient[r * units + j] = (2 * w * e) / (units * rows);
    }
    lossSum += (w * squared) / units;
    squaredError += squared / units;
    absoluteError += absolute / units;
  }
  return { loss: lossSum / rows, lossSum, correct: 0, squaredError, absoluteError, gradient };
}
