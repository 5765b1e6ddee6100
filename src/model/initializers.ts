import { RandomState } from '../data/random.js';
import { lookup, quoted } from './validate.js';

/**
 * Weight initializers, Keras names and formulas. Variance-scaling ones draw from
 * U(−limit, limit) with limit = √(3·scale/fan) or from a normal truncated at 2σ whose σ is
 * divided by 0.87962566 (Keras's correction for the truncation) — with fan = fan_in for
 * he/lecun and (fan_in + fan_out)/2 for glorot. Random values come from a seeded RandomState,
 * so a model seed gives the same weights in browser and Node (Keras's own values come from
 * TensorFlow's Philox generator and cannot be reproduced; use setWeights for exact parity).
 */
export const INITIALIZERS = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunUniform',
  'lecunNormal',
  'randomUniform',
  'randomNormal',
  'zeros',
  'ones',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

/** Every accepted spelling: the camelCase names and Keras's snake_case ones. */
const INITIALIZER_BY_NAME: ReadonlyMap<string, InitializerName> = new Map<string, InitializerName>([
  ...INITIALIZERS.map((name): [string, InitializerName] => [name, name]),
  ['glorot_uniform', 'glorotUniform'],
  ['glorot_normal', 'glorotNormal'],
  ['he_uniform', 'heUniform'],
  ['he_normal', 'heNormal'],
  ['lecun_uniform', 'lecunUniform'],
  ['lecun_normal', 'lecunNormal'],
  ['random_uniform', 'randomUniform'],
  ['random_normal', 'randomNormal'],
]);

export function resolveInitializer(name: unknown, what: string): InitializerName {
  return lookup(
    INITIALIZER_BY_NAME,
    name,
    (given) => `Unknown ${what} ${quoted(given)}; expected one of: ${INITIALIZERS.join(', ')} (or their snake_case names).`,
  );
}

const TRUNCATED_NORMAL_STDDEV_CORRECTION = 0.87962566103423978;

function truncatedNormal(rng: RandomState, stddev: number): number {
  for (;;) {
    const value = rng.standardNormal();
    if (Math.abs(value) <= 2) return value * stddev;
  }
}

/** Values for a tensor of `shape` ([fanIn, fanOut] for a kernel, [units] for a bias). */
export function initialize(name: InitializerName, shape: readonly number[], rng: RandomState): Float32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const fanIn = shape.length === 2 ? shape[0]! : count;
  const fanOut = shape.length === 2 ? shape[1]! : count;
  const draw = (sample: () => number): Float32Array => Float32Array.from({ length: count }, sample);
  const varianceScaling = (fan: number, normal: boolean, scale: number): Float32Array => {
    const variance = scale / Math.max(1, fan);
    if (normal) return draw(() => truncatedNormal(rng, Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV_CORRECTION));
    const limit = Math.sqrt(3 * variance);
    return draw(() => rng.uniform(-limit, limit));
  };
  switch (name) {
    case 'zeros':
      return new Float32Array(count);
    case 'ones':
      return new Float32Array(count).fill(1);
    case 'randomUniform':
      return draw(() => rng.uniform(-0.05, 0.05));
    case 'randomNormal':
      return draw(() => rng.normal(0, 0.05));
    case 'glorotUniform':
      return varianceScaling((fanIn + fanOut) / 2, false, 1);
    case 'glorotNormal':
      return varianceScaling((fanIn + fanOut) / 2, true, 1);
    case 'heUniform':
      return varianceScaling(fanIn, false, 2);
    case 'heNormal':
      return varianceScaling(fanIn, true, 2);
    case 'lecunUniform':
      return varianceScaling(fanIn, false, 1);
    case 'lecunNormal':
      return varianceScaling(fanIn, true, 1);
  }
}
