// The classification datasets of the TensorFlow Playground (tensorflow/playground src/dataset.ts),
// with the Playground's geometry, draw order and noise semantics, but drawing from shadernet's
// RandomState instead of seedrandom's Math.random. Labels are mapped from the Playground's ±1 to
// 1 (positive) and 0 (negative). The Playground generates the positive class first, then the
// negative one, then shuffles; so do these generators (with RandomState.shuffle).
import { ValueError } from '../errors.js';
import type { Dataset, RandomOptions } from './dataset.js';
import { checkGeneratedSize, checkGeneratorOptions, resolveRandomState, shuffleRows } from './dataset.js';
import { show } from '../show.js';
import type { RandomState } from './random.js';

/** Options of the Playground generators; defaults are the Playground's. */
export interface PlaygroundOptions extends RandomOptions {
  /**
   * The number of points, an integer ≥ 1. Default 500. Where the Playground draws half per
   * class, an odd count gives the positive class (label 1) the extra point.
   */
  readonly nSamples?: number;
  /**
   * The Playground's noise slider divided by 100, in [0, 0.5]. Default 0. What it does depends
   * on the dataset (see each generator).
   */
  readonly noise?: number;
  /** Shuffle the rows after generating them, as the Playground does. Default true. */
  readonly shuffle?: boolean;
}

/** Accumulates points and ±1 labels, then turns them into a {@link Dataset}. */
class PointList {
  readonly x: Float64Array;
  readonly y: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.x = new Float64Array(capacity * 2);
    this.y = new Float64Array(capacity);
  }

  /** Adds a point with the Playground's label: +1 → 1, −1 → 0. */
  push(px: number, py: number, label: 1 | -1): void {
    this.x[2 * this.count] = px;
    this.x[2 * this.count + 1] = py;
    this.y[this.count++] = label === 1 ? 1 : 0;
  }
}

/**
 * Validates the options, generates the points with `fill`, shuffles unless told not to.
 * `fill` receives the number of positive and negative points (positive first, as the Playground).
 */
function generate(
  fn: string,
  options: PlaygroundOptions,
  fill: (points: PointList, rng: RandomState, noise: number, nPositive: number, nNegative: number) => void,
): Dataset {
  checkGeneratorOptions(options, fn);
  const { nSamples = 500, noise = 0, shuffle = true } = options;
  if (!Number.isSafeInteger(nSamples) || nSamples < 1) {
    throw new ValueError(`${fn}: nSamples must be an integer >= 1, got ${show(nSamples)}.`);
  }
  checkGeneratedSize(fn, nSamples, 2);
  if (typeof noise !== 'number' || !(noise >= 0 && noise <= 0.5)) {
    throw new ValueError(`${fn}: noise must be a number in [0, 0.5] (the Playground's slider / 100), got ${show(noise)}.`);
  }
  if (typeof shuffle !== 'boolean') {
    throw new ValueError(`${fn}: shuffle must be a boolean, got ${show(shuffle)}.`);
  }
  const rng = resolveRandomState(options, fn);
  const nNegative = Math.floor(nSamples / 2);
  const points = new PointList(nSamples);
  fill(points, rng, noise, nSamples - nNegative, nNegative);
  if (shuffle) shuffleRows(points.x, points.y, 2, rng);
  return { x: points.x, y: points.y, nSamples, nFeatures: 2 };
}

/**
 * The Playground's "Exclusive or": points uniform in [-5, 5]², pushed 0.3 away from the axes;
 * label 1 where x·y ≥ 0 (first and third quadrants), else 0. Noise does not move the points:
 * each draws an offset `U(-5, 5)·noise` per coordinate and is labelled by where the offset point
 * falls, so noise flips labels near the axes. Draws per point: x, y, offset x, offset y.
 *
 * @example
 * ```ts
 * const data = xor({ nSamples: 500, noise: 0.1, seed: 7 });
 * ```
 */
export function xor(options: PlaygroundOptions = {}): Dataset {
  return generate('xor', options, (points, rng, noise) => {
    const padding = 0.3;
    for (let i = 0; i < points.capacity; i++) {
      let px = rng.uniform(-5, 5);
      px += px > 0 ? padding : -padding;
      let py = rng.uniform(-5, 5);
      py += py > 0 ? padding : -padding;
      const noiseX = rng.uniform(-5, 5) * noise;
      const noiseY = rng.uniform(-5, 5) * noise;
      points.push(px, py, (px + noiseX) * (py + noiseY) >= 0 ? 1 : -1);
    }
  });
}

/**
 * The Playground's "Spiral": two interleaved arms of 1.75 turns out to radius 5, the second
 * rotated by π. Arm 1 (angle offset 0) has label 1, arm 2 label 0. Point i of an arm of n points
 * has radius `5i/n` and angle `1.75·i/n·2π + offset`; noise moves it by `U(-1, 1)·noise` per
 * coordinate.
 *
 * @example
 * ```ts
 * const data = spiral({ nSamples: 500, noise: 0.25, seed: 1 });
 * ```
 */
export function spiral(options: PlaygroundOptions = {}): Dataset {
  return generate('spiral', options, (points, rng, noise, nPositive, nNegative) => {
    const arm = (n: number, deltaT: number, label: 1 | -1): void => {
      for (let i = 0; i < n; i++) {
        const r = (i / n) * 5;
        const t = ((1.75 * i) / n) * 2 * Math.PI + deltaT;
        const px = r * Math.sin(t) + rng.uniform(-1, 1) * noise;
        const py = r * Math.cos(t) + rng.uniform(-1, 1) * noise;
        points.push(px, py, label);
      }
    };
    arm(nPositive, 0, 1);
    arm(nNegative, Math.PI, -1);
  });
}

/**
 * The Playground's "Gaussian": two Gaussian clouds, label 1 around (2, 2) and label 0 around
 * (−2, −2). Noise widens them: each coordinate's variance is `0.5 + 7·noise` (0.5 to 4, the
 * Playground's linear scale). Each coordinate is drawn with the Playground's `normalRandom`
 * (polar method, one value per accepted pair, no cache).
 *
 * @example
 * ```ts
 * const data = gaussian({ nSamples: 500, noise: 0.2, seed: 3 });
 * ```
 */
export function gaussian(options: PlaygroundOptions = {}): Dataset {
  return generate('gaussian', options, (points, rng, noise, nPositive, nNegative) => {
    const std = Math.sqrt(0.5 + 7 * noise);
    const cloud = (n: number, center: number, label: 1 | -1): void => {
      for (let i = 0; i < n; i++) {
        const px = center + std * polarNormal(rng);
        const py = center + std * polarNormal(rng);
        points.push(px, py, label);
      }
    };
    cloud(nPositive, 2, 1);
    cloud(nNegative, -2, -1);
  });
}

/**
 * The Playground's "Circle": label 1 for points uniform in radius within 2.5 of the origin,
 * label 0 for points with radius uniform in [3.5, 5] (the Playground's radius 5 × 0.7). Noise does
 * not move the points: each draws an offset `U(-5, 5)·noise` per coordinate and is labelled 1
 * if the offset point is within 2.5 of the origin, else 0. Draws per point: radius, angle,
 * offset x, offset y. (Named to tell it from scikit-learn's {@link makeCircles}.)
 *
 * @example
 * ```ts
 * const data = playgroundCircle({ nSamples: 500, noise: 0.1, seed: 5 });
 * ```
 */
export function playgroundCircle(options: PlaygroundOptions = {}): Dataset {
  return generate('playgroundCircle', options, (points, rng, noise, nPositive, nNegative) => {
    const radius = 5;
    const ring = (n: number, rMin: number, rMax: number): void => {
      for (let i = 0; i < n; i++) {
        const r = rng.uniform(rMin, rMax);
        const angle = rng.uniform(0, 2 * Math.PI);
        const px = r * Math.sin(angle);
        const py = r * Math.cos(angle);
        const noiseX = rng.uniform(-radius, radius) * noise;
        const noiseY = rng.uniform(-radius, radius) * noise;
        // The Playground's dist(): sqrt(dx² + dy²), not Math.hypot, which may round differently.
        const dx = px + noiseX;
        const dy = py + noiseY;
        points.push(px, py, Math.sqrt(dx * dx + dy * dy) < radius * 0.5 ? 1 : -1);
      }
    };
    ring(nPositive, 0, radius * 0.5);
    ring(nNegative, radius * 0.7, radius);
  });
}

/**
 * The Playground's `normalRandom` with mean 0 and variance 1: Marsaglia's polar method keeping
 * only the first value of each pair. It also rejects s = 0, which the Playground does not; that
 * pair would give NaN (log 0 / 0) and has probability ~2⁻¹⁰⁶, so no stream differs in practice.
 */
function polarNormal(rng: RandomState): number {
  let v1: number;
  let v2: number;
  let s: number;
  do {
    v1 = 2 * rng.randomSample() - 1;
    v2 = 2 * rng.randomSample() - 1;
    s = v1 * v1 + v2 * v2;
  } while (s > 1 || s === 0);
  return Math.sqrt((-2 * Math.log(s)) / s) * v1;
}
