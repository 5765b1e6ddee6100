import type { LossKind } from '../spec/loss.js';
import { ShapeError, ValueError } from '../errors.js';
import { show } from '../show.js';

/** Keras's class_weight: class index → loss weight. */
export type ClassWeight = Readonly<Record<number, number>>;

function checkWeight(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${what} is ${show(value)}; it must be a finite number ≥ 0 (a loss weight).`);
  }
  return value;
}

/** The class of each row, as Keras 3 derives it for class_weight: the (rounded) label, or argmax of one-hot rows. */
function classesOf(targets: Float32Array, rows: number): Int32Array {
  const cols = targets.length / rows;
  return Int32Array.from({ length: rows }, (_, r) => {
    if (cols === 1) return Math.round(targets[r]!);
    let best = 0;
    for (let j = 1; j < cols; j++) if (targets[r * cols + j]! > targets[r * cols + best]!) best = j;
    return best;
  });
}

/**
 * One loss weight per row from Keras's `sampleWeight` and `classWeight` (undefined when neither
 * is given: unweighted training costs nothing). Both given: their product, row by row (Keras 3
 * refuses the combination; multiplying is the natural meaning and what tf.keras 2 did). A class
 * missing from classWeight weighs 1, as in Keras 3's class_weight_to_sample_weights.
 */
export function sampleWeights(
  targets: Float32Array,
  rows: number,
  loss: LossKind,
  sampleWeight: ArrayLike<number> | undefined,
  classWeight: ClassWeight | undefined,
  what = 'sampleWeight',
): Float32Array<ArrayBuffer> | undefined {
  if (sampleWeight === undefined && classWeight === undefined) return undefined;
  const weights = new Float32Array(rows).fill(1);
  if (sampleWeight !== undefined) {
    if (typeof sampleWeight !== 'object' || sampleWeight === null || typeof sampleWeight.length !== 'number') {
      throw new ValueError(`${what} must be an array of numbers, one per sample.`);
    }
    if (sampleWeight.length !== rows)
      throw new ShapeError(`${what} has ${sampleWeight.length} values for ${rows} samples; give one per sample.`);
    for (let r = 0; r < rows; r++) weights[r] = checkWeight(sampleWeight[r], `${what}[${r}]`);
  }
  if (classWeight !== undefined) {
    if (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight)) {
      throw new ValueError('classWeight must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }.');
    }
    if (loss === 'mean_squared_error')
      throw new ValueError('classWeight needs class labels, but mean_squared_error is a regression loss; use sampleWeight.');
    // Own keys only, in a Map: an inherited property is never a class weight.
    const byClass = new Map<number, number>();
    for (const [key, w] of Object.entries(classWeight)) {
      if (!/^\d+$/.test(key)) throw new ValueError(`classWeight key '${key}' is not a class index (a non-negative integer).`);
      byClass.set(Number(key), checkWeight(w, `classWeight[${key}]`));
    }
    const classes = classesOf(targets, rows);
    for (let r = 0; r < rows; r++) weights[r]! *= byClass.get(classes[r]!) ?? 1;
  }
  return weights;
}
