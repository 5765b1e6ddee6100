/** Turns a playground state into train and validation sets (generator or CSV, then the click edits). */
import { RandomState, gaussian, makeCircles, makeMoons, spiral, xor, type Dataset } from '../../src/index.js';
import { domainOf, type Domain } from './geometry.js';
import type { DatasetSpec, Point, PlaygroundState } from './state.js';

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
}

let cache: { key: string; base: Dataset; domain: Domain } | undefined;

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
  const key = JSON.stringify([state.dataset.kind, state.dataset.nSamples, state.dataset.noise, state.dataset.factor, state.dataset.seed, state.custom]);
  if (cache?.key !== key) {
    const base = generateBase(state.dataset, state.custom);
    cache = { key, base, domain: domainOf([base]) };
  }
  const { base, domain } = cache;
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
  return { base, splitAt, train: take(trainOrigin), validation: take(validationOrigin), trainOrigin, validationOrigin, domain };
}
