/**
 * Colours of the network view, in the project's coolwarm (colors.ts): blue for negative, red for
 * positive, white/grey at zero. Weights: the colour of their sign, deeper and wider and more
 * opaque as |w| nears the layer's largest. Unit maps: as <sn-unit-maps> draws them, white at the
 * activation's centre (0; 0.5 for sigmoid and softmax), scaled per unit to its largest
 * |value − centre| unless the activation is bounded.
 */
import { COOLWARM, coolwarmCss } from './colors.js';

/** The largest |w| of a layer's weights (1 when all are 0 or not finite): what maps to full strength. */
export function weightScale(weights: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < weights.length; i++) {
    const a = Math.abs(weights[i]!);
    if (a > max && a < Infinity) max = a;
  }
  return max > 0 ? max : 1;
}

export interface EdgeStyle {
  readonly color: string;
  /** Stroke width, px: 0.6 … 4.6, linear in |w| / scale (less when crowded). */
  readonly width: number;
  readonly opacity: number;
}

/**
 * How an edge of weight `weight` is drawn, `scale` being its layer's weightScale and `crowd` the
 * edges drawn between its two columns: past 40, widths shrink (to 0.3× at most) so that an
 * expanded wide layer stays a readable fan rather than a solid band.
 */
export function edgeStyle(weight: number, scale: number, crowd = 1): EdgeStyle {
  const m = Math.min(1, Math.abs(weight) / scale) || 0;
  const thin = Math.min(1, Math.max(0.3, Math.sqrt(40 / crowd)));
  // Weak weights keep a clearly signed colour (coolwarm 0.22 / 0.78), strong ones its ends.
  const t = weight > 0 ? 1 - 0.22 * (1 - m) : weight < 0 ? 0.22 * (1 - m) : 0.5;
  return { color: coolwarmCss(t), width: Math.round((0.6 + 4 * m) * thin * 100) / 100, opacity: Math.round((0.3 + 0.7 * m) * 100) / 100 };
}

/** Where white is, and what |value − centre| is full colour, for a unit of this activation. */
export function activationCentre(activation: string): { centre: number; bound: number | undefined } {
  if (activation === 'sigmoid' || activation === 'softmax') return { centre: 0.5, bound: 0.5 };
  if (activation === 'tanh') return { centre: 0, bound: 1 };
  return { centre: 0, bound: undefined };
}

/** One unit's map in a rows × stride matrix of a resolution² grid (row-major from the top-left). */
export interface UnitMapSource {
  readonly values: ArrayLike<number>;
  readonly stride: number;
  readonly unit: number;
  readonly resolution: number;
}

let nearest: { readonly key: string; readonly cells: Int32Array } | undefined;

/** For each of `size` pixels along an axis, the nearest of `res` grid cells (one table for every unit of a redraw). */
function nearestCells(res: number, size: number): Int32Array {
  const key = `${res}:${size}`;
  if (nearest?.key !== key) nearest = { key, cells: Int32Array.from({ length: size }, (_, i) => Math.floor(((i + 0.5) * res) / size)) };
  return nearest.cells;
}

/** The unit's values sampled (nearest cell) to size × size, row-major. */
export function sampleUnit(source: UnitMapSource, size: number): Float32Array {
  const { values, stride, unit, resolution: res } = source;
  const cells = nearestCells(res, size);
  const out = new Float32Array(size * size);
  for (let row = 0, k = 0; row < size; row++) {
    const rowStart = cells[row]! * res;
    for (let col = 0; col < size; col++, k++) out[k] = values[(rowStart + cells[col]!) * stride + unit]!;
  }
  return out;
}

/** Paints `samples` (size² values of a unit of `activation`) as RGBA into `out`; returns `out`. */
export function paintUnit(samples: ArrayLike<number>, activation: string, out: Uint8ClampedArray): Uint8ClampedArray {
  const { centre, bound } = activationCentre(activation);
  let scale = bound ?? 0;
  if (bound === undefined) for (let i = 0; i < samples.length; i++) scale = Math.max(scale, Math.abs(samples[i]! - centre) || 0);
  if (!(scale > 0)) scale = 1;
  for (let i = 0; i < samples.length; i++) {
    const t = ((samples[i]! - centre) / scale + 1) / 2;
    const c = 3 * (Number.isNaN(t) ? 128 : Math.round(Math.min(1, Math.max(0, t)) * 255));
    out[4 * i] = COOLWARM[c]!;
    out[4 * i + 1] = COOLWARM[c + 1]!;
    out[4 * i + 2] = COOLWARM[c + 2]!;
    out[4 * i + 3] = 255;
  }
  return out;
}
