/** Deterministic test data: mulberry32, so every run sees the same numbers. */
export function seededUniform(seed: number): (low?: number, high?: number) => number {
  let state = seed >>> 0;
  return (low = -1, high = 1) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return low + (high - low) * unit;
  };
}

export function randomArray(count: number, seed: number, low = -1, high = 1): Float64Array {
  const next = seededUniform(seed);
  return Float64Array.from({ length: count }, () => next(low, high));
}

/** Rounds to float32, as uploading to the GPU does; references then see the GPU's exact inputs. */
export function f32(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(Float32Array.from(values));
}

export interface Tolerance {
  /** Relative part: allowed error grows with |expected|. */
  readonly rtol: number;
  /** Absolute floor, for expected values near zero. */
  readonly atol: number;
}

/**
 * Throws unless |actual[i] − expected[i]| ≤ atol + rtol·|expected[i]| for every i, naming the
 * worst index with both values. Non-finite values always fail.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, what: string): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const excess = Math.abs(a - e) - (tolerance.atol + tolerance.rtol * Math.abs(e));
    if (!Number.isFinite(a) || !Number.isFinite(excess) || excess > worstExcess) {
      worst = i;
      worstExcess = Number.isFinite(excess) ? excess : Infinity;
      if (!Number.isFinite(excess) || !Number.isFinite(a)) break;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} ` +
        `(|diff| ${Math.abs(actual[worst]! - expected[worst]!).toExponential(3)} > atol ${tolerance.atol} + rtol ${tolerance.rtol}·|expected|)`,
    );
  }
}

/** Central finite differences of a scalar function with respect to every entry of `at`. */
export function numericGradient(f: (x: Float64Array) => number, at: Float64Array, step = 1e-6): Float64Array {
  const grad = new Float64Array(at.length);
  const probe = Float64Array.from(at);
  for (let i = 0; i < at.length; i++) {
    const original = probe[i]!;
    probe[i] = original + step;
    const up = f(probe);
    probe[i] = original - step;
    const down = f(probe);
    probe[i] = original;
    grad[i] = (up - down) / (2 * step);
  }
  return grad;
}

/** Σ g ⊙ y: a scalar whose gradient w.r.t. y is g, to turn any op into a gradient check. */
export function dot(g: ArrayLike<number>, y: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += g[i]! * y[i]!;
  return sum;
}
