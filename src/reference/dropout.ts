/** Dropout's forward and backward in float64, with the masks of spec/dropout.ts (the CPU backend's engine). */
import { dropoutHash, dropoutScale, dropoutThreshold, type DropoutSpec } from '../spec/dropout.js';

/** The mask of a [rows × width] batch at optimizer step `step`: 0 (dropped) or 1/(1 − rate). */
export function dropoutMask(rows: number, width: number, spec: DropoutSpec, step: number): Float64Array {
  const threshold = dropoutThreshold(spec.rate);
  const scale = dropoutScale(spec.rate);
  const mask = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < width; u++) mask[r * width + u] = dropoutHash(spec.seed, step, r, u) >= threshold ? scale : 0;
  }
  return mask;
}

/** values ⊙ mask, element by element (the forward of dropout, and its backward). */
export function applyMask(values: ArrayLike<number>, mask: ArrayLike<number>): Float64Array {
  return Float64Array.from(mask, (m, i) => (m === 0 ? 0 : values[i]! * m));
}
