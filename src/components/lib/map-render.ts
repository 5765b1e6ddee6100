/**
 * The pixels of a decision map, from a model's outputs over a grid (row-major from the top-left
 * corner, one row per pixel), blended over white at MAP_ALPHA as the tutorial's contourf does:
 * - binary: P(class 1) in coolwarm, or two colours split at a threshold;
 * - k classes: rows × k probabilities; the argmax's colour, paler the less sure the model is
 *   (the max probability rescaled from 1/k…1 to 0…1), or the argmax's full colour when discretized;
 * - regression: rows × 1 values in viridis over a value range.
 * Pure functions on typed arrays: the component does one putImageData of the result.
 */
import { COOLWARM, MAP_ALPHA, VIRIDIS, classRgb, coolwarmIndex, valueIndex } from './colors.js';

/** Everything that decides the colours of a map. */
export type MapMode =
  | { readonly task: 'binary'; readonly discretize: boolean; readonly threshold: number }
  | { readonly task: 'multiclass'; readonly classes: number; readonly discretize: boolean }
  | { readonly task: 'regression'; readonly min: number; readonly max: number };

/** The model's outputs per grid cell under a mode: 1 (binary, regression) or k. */
export function outputsPerCell(mode: MapMode): number {
  return mode.task === 'multiclass' ? mode.classes : 1;
}

/** How sure a k-class prediction is: its max probability rescaled from 1/k (a guess) … 1 (certain) to 0 … 1. */
export function confidence(maxProbability: number, classes: number): number {
  const floor = 1 / classes;
  const c = (maxProbability - floor) / (1 - floor);
  return c <= 0 || Number.isNaN(c) ? 0 : c >= 1 ? 1 : c;
}

/** The argmax of row `row` of a rows × k matrix, and its probability. */
export function argmaxRow(values: ArrayLike<number>, row: number, classes: number): { index: number; value: number } {
  let index = 0;
  let value = values[row * classes]!;
  for (let c = 1; c < classes; c++) {
    const v = values[row * classes + c]!;
    if (v > value) {
      value = v;
      index = c;
    }
  }
  return { index, value };
}

/** Paints RGBA pixels (4 per cell) of `values` under `mode`; returns `out`. */
export function paintMap(values: ArrayLike<number>, mode: MapMode, out: Uint8ClampedArray): Uint8ClampedArray {
  const cells = out.length / 4;
  const per = outputsPerCell(mode);
  if (values.length !== cells * per)
    throw new RangeError(`Expected ${cells * per} values (${cells} cells × ${per}), got ${values.length}.`);
  const white = 255 * (1 - MAP_ALPHA);
  const put = (i: number, r: number, g: number, b: number, alpha: number): void => {
    const w = 255 * (1 - alpha);
    out[4 * i] = w + alpha * r;
    out[4 * i + 1] = w + alpha * g;
    out[4 * i + 2] = w + alpha * b;
    out[4 * i + 3] = 255;
  };
  for (let i = 0; i < cells; i++) {
    if (mode.task === 'binary') {
      const v = values[i]!;
      const c = 3 * (mode.discretize ? (v >= mode.threshold ? 255 : 0) : coolwarmIndex(v));
      out[4 * i] = white + MAP_ALPHA * COOLWARM[c]!;
      out[4 * i + 1] = white + MAP_ALPHA * COOLWARM[c + 1]!;
      out[4 * i + 2] = white + MAP_ALPHA * COOLWARM[c + 2]!;
      out[4 * i + 3] = 255;
    } else if (mode.task === 'multiclass') {
      const { index, value } = argmaxRow(values, i, mode.classes);
      const [r, g, b] = classRgb(index, mode.classes);
      // A floor of 0.12 keeps the argmax's hue visible where the model is unsure.
      const alpha = mode.discretize ? MAP_ALPHA : MAP_ALPHA * (0.12 + 0.88 * confidence(value, mode.classes));
      put(i, r, g, b, alpha);
    } else {
      const c = 3 * valueIndex(values[i]!, mode.min, mode.max);
      put(i, VIRIDIS[c]!, VIRIDIS[c + 1]!, VIRIDIS[c + 2]!, MAP_ALPHA);
    }
  }
  return out;
}
