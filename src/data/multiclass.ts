// Datasets with more than two classes, and a 2-D regression surface: what multi-class
// (softmax) and regression models are shown on. `makeBlobs` ports scikit-learn's `make_blobs`
// (1.2.1) draw for draw; `makeSpirals` is the k-arm spiral of Stanford's CS231n notes, on the
// same numpy-compatible RandomState.
import { ValueError } from '../errors.js';
import type { Dataset, RandomOptions } from './dataset.js';
import { checkGeneratedSize, checkGeneratorOptions, resolveRandomState, shuffleRows } from './dataset.js';
import { show } from '../show.js';

/** Options of {@link makeBlobs}; names and defaults are scikit-learn's. */
export interface MakeBlobsOptions extends RandomOptions {
  /** Total number of points, split evenly between the centres (the first `n % k` get one more). Default 100. */
  readonly nSamples?: number;
  /** Features per point. Default 2 (ignored when `centers` gives coordinates). */
  readonly nFeatures?: number;
  /**
   * The number of centres, drawn uniformly in `centerBox` (default 3), or their coordinates,
   * one array of `nFeatures` numbers per centre.
   */
  readonly centers?: number | readonly (readonly number[])[];
  /** Standard deviation of every cluster, or one per centre. Default 1. */
  readonly clusterStd?: number | readonly number[];
  /** Bounds `[low, high)` of randomly drawn centres. Default [-10, 10]. */
  readonly centerBox?: readonly [number, number];
  /** Shuffle the rows (after the points are drawn, as scikit-learn does). Default true. */
  readonly shuffle?: boolean;
}

/** A {@link Dataset} of class indices `0 … nClasses − 1`. */
export interface ClassDataset extends Dataset {
  readonly nClasses: number;
}

/** {@link makeBlobs}'s result: the points and the centres they were drawn around (row-major). */
export interface BlobsDataset extends ClassDataset {
  readonly centers: Float64Array;
}

function positiveCount(value: unknown, what: string, fn: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValueError(`${fn}: ${what} must be an integer >= 1, got ${show(value)}.`);
  }
  return value;
}

function nonNegative(value: unknown, what: string, fn: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${fn}: ${what} must be a finite number >= 0, got ${show(value)}.`);
  }
  return value;
}

/** scikit-learn's split of `n` samples over `k` groups: `n // k` each, the first `n % k` one more. */
function perClassCounts(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/**
 * Isotropic Gaussian blobs: scikit-learn's `make_blobs`, with the same draws in the same order
 * for the same integer `randomState` (centres from `uniform(box, size=(k, nFeatures))`, then each
 * centre's points from `normal(loc=centre, scale=std, size=(n_i, nFeatures))`, then the shuffle).
 * Labels are the centre indices.
 *
 * @example
 * ```ts
 * // sklearn.datasets.make_blobs(n_samples=300, centers=4, cluster_std=1.5, random_state=0)
 * const blobs = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 1.5, randomState: 0 });
 * blobs.nClasses; // 4
 * ```
 * @throws ValueError for bad counts, centres, standard deviations or box.
 */
export function makeBlobs(options: MakeBlobsOptions = {}): BlobsDataset {
  const fn = 'makeBlobs';
  checkGeneratorOptions(options, fn);
  const { centers = 3, clusterStd = 1, centerBox = [-10, 10], shuffle = true } = options;
  const n = positiveCount(options.nSamples ?? 100, 'nSamples', fn);
  if (!Array.isArray(centerBox) || centerBox.length !== 2 || !centerBox.every(Number.isFinite) || !(centerBox[0] <= centerBox[1])) {
    throw new ValueError(`${fn}: centerBox must be [low, high] with finite low <= high, got ${show(centerBox)}.`);
  }
  if (typeof shuffle !== 'boolean') throw new ValueError(`${fn}: shuffle must be a boolean, got ${show(shuffle)}.`);
  const rng = resolveRandomState(options, fn);

  let k: number;
  let nFeatures: number;
  let centreCoords: Float64Array;
  if (typeof centers === 'number') {
    k = positiveCount(centers, 'centers', fn);
    nFeatures = positiveCount(options.nFeatures ?? 2, 'nFeatures', fn);
    checkGeneratedSize(fn, Math.max(n, k), nFeatures, k);
    centreCoords = new Float64Array(k * nFeatures);
    for (let i = 0; i < centreCoords.length; i++) centreCoords[i] = rng.uniform(centerBox[0], centerBox[1]);
  } else {
    if (!Array.isArray(centers) || centers.length === 0) {
      throw new ValueError(`${fn}: centers must be a count or a non-empty array of coordinates, got ${show(centers)}.`);
    }
    k = centers.length;
    const first: unknown = centers[0];
    nFeatures = Array.isArray(first) ? first.length : 0;
    if (nFeatures < 1 || !centers.every((c) => Array.isArray(c) && c.length === nFeatures && c.every(Number.isFinite))) {
      throw new ValueError(`${fn}: every centre needs the same number (>= 1) of finite coordinates, got ${show(centers)}.`);
    }
    checkGeneratedSize(fn, n, nFeatures, k);
    centreCoords = Float64Array.from(centers.flat());
  }
  if (typeof clusterStd !== 'number' && !Array.isArray(clusterStd)) {
    throw new ValueError(`${fn}: clusterStd must be a number or one number per centre, got ${show(clusterStd)}.`);
  }
  const stds = typeof clusterStd === 'number' ? new Array<number>(k).fill(clusterStd) : [...clusterStd];
  if (stds.length !== k) throw new ValueError(`${fn}: clusterStd has ${stds.length} values for ${k} centres.`);
  stds.forEach((s) => nonNegative(s, 'clusterStd', fn));

  const x = new Float64Array(n * nFeatures);
  const y = new Float64Array(n);
  let row = 0;
  perClassCounts(n, k).forEach((count, centre) => {
    for (let i = 0; i < count; i++, row++) {
      for (let j = 0; j < nFeatures; j++) x[row * nFeatures + j] = rng.normal(centreCoords[centre * nFeatures + j], stds[centre]);
      y[row] = centre;
    }
  });
  if (shuffle) shuffleRows(x, y, nFeatures, rng);
  return { x, y, nSamples: n, nFeatures, nClasses: k, centers: centreCoords };
}

/** Options of {@link makeSpirals}. */
export interface MakeSpiralsOptions extends RandomOptions {
  /** Total number of points, split evenly between the arms (the first `n % k` get one more). Default 300. */
  readonly nSamples?: number;
  /** Number of arms, one class each. Default 3. */
  readonly classes?: number;
  /** Standard deviation of the Gaussian noise on each point's angle (radians). Default 0.2. */
  readonly noise?: number;
  /** Shuffle the rows, so a Keras-style split takes every class. Default true. */
  readonly shuffle?: boolean;
}

/**
 * Interleaved spiral arms, one class per arm: the dataset of CS231n's "neural network case
 * study". Arm j's i-th point has radius `i / (n_j − 1)` (0 to 1) and angle
 * `linspace(4j, 4(j+1))[i] + noise·N(0, 1)`, at `(r·sin t, r·cos t)`. Not linearly separable
 * for any k ≥ 2: a softmax regression stays far from a small MLP here.
 *
 * @example
 * ```ts
 * const spirals = makeSpirals({ nSamples: 600, classes: 3, noise: 0.2, randomState: 0 });
 * ```
 * @throws ValueError for bad counts or noise.
 */
export function makeSpirals(options: MakeSpiralsOptions = {}): ClassDataset {
  const fn = 'makeSpirals';
  checkGeneratorOptions(options, fn);
  const n = positiveCount(options.nSamples ?? 300, 'nSamples', fn);
  const k = positiveCount(options.classes ?? 3, 'classes', fn);
  checkGeneratedSize(fn, n, 2, k);
  const noise = nonNegative(options.noise ?? 0.2, 'noise', fn);
  const { shuffle = true } = options;
  if (typeof shuffle !== 'boolean') throw new ValueError(`${fn}: shuffle must be a boolean, got ${show(shuffle)}.`);
  const rng = resolveRandomState(options, fn);

  const x = new Float64Array(n * 2);
  const y = new Float64Array(n);
  let row = 0;
  perClassCounts(n, k).forEach((count, arm) => {
    const last = Math.max(1, count - 1);
    for (let i = 0; i < count; i++, row++) {
      const r = i / last;
      const t = 4 * arm + (4 * i) / last + noise * rng.normal(0, 1);
      x[2 * row] = r * Math.sin(t);
      x[2 * row + 1] = r * Math.cos(t);
      y[row] = arm;
    }
  });
  if (shuffle) shuffleRows(x, y, 2, rng);
  return { x, y, nSamples: n, nFeatures: 2, nClasses: k };
}

/** Options of {@link makeRegressionSurface}. */
export interface MakeRegressionSurfaceOptions extends RandomOptions {
  /** Number of points. Default 500. */
  readonly nSamples?: number;
  /** Standard deviation of the Gaussian noise added to every target. Default 0.1. */
  readonly noise?: number;
}

/** The noiseless surface {@link makeRegressionSurface} samples: sin(π·x1)·cos(π·x2). */
export function regressionSurface(x1: number, x2: number): number {
  return Math.sin(Math.PI * x1) * Math.cos(Math.PI * x2);
}

/**
 * A smooth 2-D regression problem: points uniform in [−1, 1]², target
 * `sin(π·x1)·cos(π·x2) + noise·N(0, 1)` — four lobes, two up and two down, which a linear model
 * cannot fit (its best MSE is the target's variance, ≈ 0.25) and a small MLP fits down to about
 * the noise variance.
 *
 * @example
 * ```ts
 * const data = makeRegressionSurface({ nSamples: 1000, noise: 0.05, randomState: 1 });
 * ```
 * @throws ValueError for a bad count or noise.
 */
export function makeRegressionSurface(options: MakeRegressionSurfaceOptions = {}): Dataset {
  const fn = 'makeRegressionSurface';
  checkGeneratorOptions(options, fn);
  const n = positiveCount(options.nSamples ?? 500, 'nSamples', fn);
  checkGeneratedSize(fn, n, 2);
  const noise = nonNegative(options.noise ?? 0.1, 'noise', fn);
  const rng = resolveRandomState(options, fn);
  const x = new Float64Array(n * 2);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const y = new Float64Array(n);
  for (let row = 0; row < n; row++) y[row] = regressionSurface(x[2 * row]!, x[2 * row + 1]!) + noise * rng.normal(0, 1);
  return { x, y, nSamples: n, nFeatures: 2 };
}
