// Ports of scikit-learn's `make_circles` and `make_moons` (sklearn/datasets/_samples_generator.py,
// 1.2.1). They reproduce scikit-learn's output for the same integer `random_state`: labels and
// row order exactly, coordinates to ~1e-15 (cos/sin/log may differ by an ulp between numpy and
// the JavaScript engine). That holds only if every random draw happens in scikit-learn's order,
// so the code below keeps its structure: build both curves, shuffle, THEN add noise.
import { ValueError } from '../errors.js';
import type { Dataset, RandomOptions } from './dataset.js';
import { checkGeneratedSize, checkGeneratorOptions, resolveRandomState, shuffleRows } from './dataset.js';
import { show } from '../show.js';

/** Options shared by {@link makeCircles} and {@link makeMoons}; defaults are scikit-learn's. */
export interface TwoCurveOptions extends RandomOptions {
  /**
   * The total number of points (the outer curve gets `floor(n / 2)`, the inner one the rest),
   * or a pair `[nOuter, nInner]`. Default 100.
   */
  readonly nSamples?: number | readonly [number, number];
  /** Shuffle the rows (before the noise is added, as scikit-learn does). Default true. */
  readonly shuffle?: boolean;
  /**
   * Standard deviation of the Gaussian noise added to every coordinate, ≥ 0. Omitted: no noise,
   * and no random numbers are drawn for it.
   */
  readonly noise?: number;
}

/** Options of {@link makeCircles}. */
export interface MakeCirclesOptions extends TwoCurveOptions {
  /** Radius of the inner circle relative to the outer one (radius 1), in [0, 1). Default 0.8. */
  readonly factor?: number;
}

/** Options of {@link makeMoons}. */
export type MakeMoonsOptions = TwoCurveOptions;

/** A point of a curve at parameter `t`. */
type Curve = (t: number) => readonly [number, number];

/**
 * A large circle containing a smaller one: scikit-learn's `make_circles`. The outer circle
 * (radius 1) has label 0, the inner one (radius `factor`) label 1; for an odd count the inner
 * circle gets the extra point. Points are evenly spaced in angle, then shuffled, then noised.
 *
 * @example
 * ```ts
 * // The tutorial's data: sklearn.datasets.make_circles(5000, factor=0.3, noise=0.05, random_state=0)
 * const data = makeCircles({ nSamples: 5000, factor: 0.3, noise: 0.05, randomState: 0 });
 * data.x; // Float64Array of 10000 coordinates, row-major
 * data.y; // Float64Array of 5000 labels, 0 (outer) or 1 (inner)
 * ```
 * @throws ValueError for a `factor` outside [0, 1), a bad `nSamples`, a negative or non-finite
 *   `noise`, or a bad `randomState`/`seed`.
 */
export function makeCircles(options: MakeCirclesOptions = {}): Dataset {
  checkGeneratorOptions(options, 'makeCircles');
  const { factor = 0.8 } = options;
  if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) {
    throw new ValueError(`makeCircles: factor must be a number in [0, 1), got ${show(factor)}.`);
  }
  // numpy's linspace(0, 2π, n, endpoint=False): the last point would repeat the first.
  return twoCurves(
    'makeCircles',
    options,
    2 * Math.PI,
    false,
    (t) => [Math.cos(t), Math.sin(t)],
    (t) => [Math.cos(t) * factor, Math.sin(t) * factor],
  );
}

/**
 * Two interleaving half circles: scikit-learn's `make_moons`. The upper moon has label 0, the
 * lower one, shifted to (1, 0.5), label 1; for an odd count the lower moon gets the extra
 * point. Points are evenly spaced in angle (both ends included), then shuffled, then noised.
 *
 * @example
 * ```ts
 * // sklearn.datasets.make_moons(200, noise=0.1, random_state=42)
 * const data = makeMoons({ nSamples: 200, noise: 0.1, randomState: 42 });
 * ```
 * @throws ValueError for a bad `nSamples`, a negative or non-finite `noise`, or a bad
 *   `randomState`/`seed`.
 */
export function makeMoons(options: MakeMoonsOptions = {}): Dataset {
  return twoCurves(
    'makeMoons',
    options,
    Math.PI,
    true,
    (t) => [Math.cos(t), Math.sin(t)],
    (t) => [1 - Math.cos(t), 1 - Math.sin(t) - 0.5],
  );
}

/**
 * The body both generators share: `outer` sampled at `linspace(0, span, nOuter, endpoint)` with
 * label 0, then `inner` likewise with label 1; then scikit-learn's shuffle and noise.
 */
function twoCurves(fn: string, options: TwoCurveOptions, span: number, endpoint: boolean, outer: Curve, inner: Curve): Dataset {
  checkGeneratorOptions(options, fn);
  const { shuffle = true, noise } = options;
  const [nOuter, nInner] = splitCounts(options.nSamples ?? 100, fn);
  checkGeneratedSize(fn, nOuter + nInner, 2);
  if (noise != null && (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0)) {
    throw new ValueError(`${fn}: noise must be a finite number >= 0 (or omitted for none), got ${show(noise)}.`);
  }
  if (typeof shuffle !== 'boolean') {
    throw new ValueError(`${fn}: shuffle must be a boolean, got ${show(shuffle)}.`);
  }
  const rng = resolveRandomState(options, fn);

  const n = nOuter + nInner;
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n);
  let row = 0;
  for (const [count, curve, label] of [
    [nOuter, outer, 0],
    [nInner, inner, 1],
  ] as const) {
    for (const t of linspace(0, span, count, endpoint)) {
      const [px, py] = curve(t);
      x[2 * row] = px;
      x[2 * row + 1] = py;
      y[row++] = label;
    }
  }

  if (shuffle) shuffleRows(x, y, 2, rng);
  // `X += rng.normal(scale=noise, size=X.shape)`: one draw per coordinate in C order
  // (x0, y0, x1, y1, ...), on the already shuffled rows.
  if (noise != null) {
    for (let i = 0; i < x.length; i++) x[i]! += rng.normal(0, noise);
  }
  return { x, y, nSamples: n, nFeatures: 2 };
}

/** `[nOuter, nInner]` from `nSamples`: an integer n gives `[floor(n/2), n - floor(n/2)]`. */
function splitCounts(nSamples: number | readonly [number, number], fn: string): readonly [number, number] {
  if (typeof nSamples === 'number') {
    if (!Number.isSafeInteger(nSamples) || nSamples < 1) {
      throw new ValueError(`${fn}: nSamples must be an integer >= 1 or a pair [nOuter, nInner], got ${show(nSamples)}.`);
    }
    const nOuter = Math.floor(nSamples / 2);
    return [nOuter, nSamples - nOuter];
  }
  if (
    !Array.isArray(nSamples) ||
    nSamples.length !== 2 ||
    !nSamples.every((k) => Number.isSafeInteger(k) && k >= 0) ||
    nSamples[0] + nSamples[1] < 1
  ) {
    throw new ValueError(
      `${fn}: nSamples as a pair must be [nOuter, nInner], two integers >= 0 with a positive sum, got ${show(nSamples)}.`,
    );
  }
  return [nSamples[0], nSamples[1]];
}

/**
 * numpy's `linspace(start, stop, num, endpoint)`: `start + i * step`, with
 * `step = (stop - start) / (endpoint ? num - 1 : num)`, and the last point set to exactly `stop`
 * when the endpoint is included. Same formula, same rounding, so the same angles as numpy.
 */
function linspace(start: number, stop: number, num: number, endpoint: boolean): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  // numpy leaves the step undefined when div is 0 (num = 1 with the endpoint) and returns [start].
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}
