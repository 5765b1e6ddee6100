/** Turns a playground state into train and validation sets (generator or CSV, then the click edits). */
import {
  RandomState,
  gaussian,
  makeBlobs,
  makeCircles,
  makeMoons,
  makeRegressionSurface,
  makeSpirals,
  spiral,
  xor,
  type Dataset,
} from '../../index.js';
import { domainOf, type Domain } from './geometry.js';
import { classCount, taskOf, type DatasetSpec, type Point, type PlaygroundState, type Task } from './state.js';

/** The colour range of regression values: the base targets' [min, max] (symmetric data keeps 0 in the middle). */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

export interface BuiltData {
  /** Every generated (or CSV) point, in the order the split uses. */
  readonly base: Dataset;
  readonly splitAt: number;
  readonly train: Dataset;
  readonly validation: Dataset;
  /** For each training row: its index in `base`, or −(k + 1) for `added[k]`. */
  readonly trainOrigin: Int32Array;
  /** For each validation row: its index in `base`. */
  readonly validationOrigin: Int32Array;
  /** The plot region: fitted to the base points, so it does not move while points are edited. */
  readonly domain: Domain;
  readonly task: Task;
  /** Classes (2 for binary), or 1 for regression. */
  readonly classes: number;
  /** Regression: the colour range of values, from the base targets (fixed while points are edited). */
  readonly valueRange: ValueRange;
}

let cache: { key: string; base: Dataset; domain: Domain; valueRange: ValueRange } | undefined;

/** A value range of targets with round-ish ends; [−1, 1] when there are none. */
export function valueRangeOf(values: ArrayLike<number>): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: -1, max: 1 };
  if (min === max) return { min: min - 1, max: max + 1 };
  // Targets on both sides of 0: symmetric, so 0 sits in the middle of the colour bar.
  if (min < 0 && max > 0) {
    const m = Math.max(-min, max);
    return { min: -m, max: m };
  }
  return { min, max };
}

/** The base points of a dataset spec (CSV points shuffled with the spec's seed). */
export function generateBase(spec: DatasetSpec, custom: readonly Point[] | undefined): Dataset {
  const { nSamples, noise, seed } = spec;
  switch (spec.kind) {
    case 'circles':
      return makeCircles({ nSamples, factor: spec.factor, noise, randomState: seed });
    case 'moons':
      return makeMoons({ nSamples, noise, randomState: seed });
    case 'xor':
      return xor({ nSamples, noise, randomState: seed });
    case 'spiral':
      return spiral({ nSamples, noise, randomState: seed });
    case 'gaussian':
      return gaussian({ nSamples, noise, randomState: seed });
    case 'spirals':
      return makeSpirals({ nSamples, classes: spec.classes, noise, randomState: seed });
    case 'blobs':
      return makeBlobs({ nSamples, centers: spec.classes, clusterStd: spec.clusterStd, randomState: seed });
    case 'surface':
      return makeRegressionSurface({ nSamples, noise, randomState: seed });
    case 'csv': {
      const points = custom ?? [];
      // CSV files are often sorted by class: shuffle (seeded) so the validation tail has both.
      const order = new RandomState(seed).permutation(points.length);
      const x = new Float64Array(points.length * 2);
      const y = new Float64Array(points.length);
      order.forEach((from, row) => {
        const p = points[from]!;
        x[2 * row] = p.x;
        x[2 * row + 1] = p.y;
        y[row] = p.label;
      });
      return { x, y, nSamples: points.length, nFeatures: 2 };
    }
  }
}

export function buildData(state: PlaygroundState): BuiltData {
  const { validationRatio: _ratio, ...baseSpec } = state.dataset;
  const key = JSON.stringify([baseSpec, state.custom]);
  if (cache?.key !== key) {
    const base = generateBase(state.dataset, state.custom);
    cache = { key, base, domain: domainOf([base]), valueRange: valueRangeOf(base.y) };
  }
  const { base, domain, valueRange } = cache;
  const n = base.nSamples;
  const splitAt = Math.min(n - 1, Math.max(1, Math.floor(n * (1 - state.dataset.validationRatio))));
  const removed = new Set(state.removed);
  const trainRows: number[] = [];
  const validationRows: number[] = [];
  for (let i = 0; i < n; i++) if (!removed.has(i)) (i < splitAt ? trainRows : validationRows).push(i);
  const trainOrigin = Int32Array.from([...trainRows, ...state.added.map((_, k) => -(k + 1))]);
  const take = (origins: Int32Array): Dataset => {
    const x = new Float64Array(origins.length * 2);
    const y = new Float64Array(origins.length);
    origins.forEach((o, row) => {
      if (o >= 0) {
        x[2 * row] = base.x[2 * o]!;
        x[2 * row + 1] = base.x[2 * o + 1]!;
        y[row] = base.y[o]!;
      } else {
        const p = state.added[-o - 1]!;
        x[2 * row] = p.x;
        x[2 * row + 1] = p.y;
        y[row] = p.label;
      }
    });
    return { x, y, nSamples: origins.length, nFeatures: 2 };
  };
  const validationOrigin = Int32Array.from(validationRows);
  const task = taskOf(state.dataset);
  return {
    base,
    splitAt,
    train: take(trainOrigin),
    validation: take(validationOrigin),
    trainOrigin,
    validationOrigin,
    domain,
    task,
    classes: classCount(state.dataset),
    valueRange,
  };
}
