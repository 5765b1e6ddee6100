/**
 * Dropout masks as a pure function of (seed, optimizer step, batch row, unit): a counter-based
 * hash, so shaders/dropout.wgsl and this float64 reference (the CPU backend's engine) draw the
 * identical mask without sharing any random state. The same arithmetic (32-bit wrapping
 * multiplies, shifts, xors) runs in WGSL; keep the two in step.
 */

/** lowbias32 (Chris Wellons): a bijective 32-bit mixer with low bias. */
function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** A uniform 32-bit draw for one element; see dropout_hash in shaders/dropout.wgsl. */
export function dropoutHash(seed: number, step: number, row: number, unit: number): number {
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ step) >>> 0);
  h = mix32((h ^ row) >>> 0);
  return mix32((h ^ unit) >>> 0);
}

/** Elements whose hash is below this are dropped: P(drop) = threshold / 2³² ≈ rate. */
export function dropoutThreshold(rate: number): number {
  return Math.min(0xffffffff, Math.floor(rate * 2 ** 32));
}

/** Keras's inverted dropout: kept values are scaled by 1 / (1 − rate). */
export function dropoutScale(rate: number): number {
  return 1 / (1 - rate);
}

export interface DropoutSpec {
  readonly rate: number;
  readonly seed: number;
}
