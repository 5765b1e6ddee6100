import { ValueError } from '../errors.js';
import { RandomState, assertSeed } from './random.js';
import { show } from '../show.js';

/**
 * A dataset in float64: `x` holds the features row-major (`nSamples × nFeatures`), `y` one
 * target per row: a class index (0 or 1 for the two-class sets, 0 … k − 1 for multi-class ones)
 * or a real value (regression).
 */
export interface Dataset {
  /** Features, row-major: sample `i`, feature `j` is `x[i * nFeatures + j]`. */
  readonly x: Float64Array;
  /** One target per sample: a class index, or a real value for regression. */
  readonly y: Float64Array;
  readonly nSamples: number;
  readonly nFeatures: number;
}

/** A {@link Dataset} converted to float32, ready to upload to the GPU. */
export interface Float32Dataset {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly nSamples: number;
  readonly nFeatures: number;
}

/**
 * Sizes of generated datasets, checked before anything is allocated: x holds at most 2^28
 * values, what fit and predict take in one array (SIZE_LIMITS.dataValues), and a dataset has at
 * most 65,536 classes or centres, the units of an output layer (MODEL_LIMITS.units).
 * @internal
 */
export const GENERATOR_LIMITS = Object.freeze({ values: 2 ** 28, classes: 65_536 });

/** Refuses a generator's options unless an object (destructuring null would throw a TypeError). @internal */
export function checkGeneratorOptions(options: unknown, fn: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${fn}: options must be an object, got ${show(options)}.`);
  }
}

/** Refuses a dataset of `nSamples` × `nFeatures` values or `classes` classes beyond GENERATOR_LIMITS. @internal */
export function checkGeneratedSize(fn: string, nSamples: number, nFeatures: number, classes = 1): void {
  if (nSamples * nFeatures > GENERATOR_LIMITS.values) {
    throw new ValueError(
      `${fn}: ${nSamples} samples × ${nFeatures} features is over the limit of ${GENERATOR_LIMITS.values} values (2^28, what fit takes).`,
    );
  }
  if (classes > GENERATOR_LIMITS.classes) {
    throw new ValueError(
      `${fn}: ${classes} classes (or centres) is over the limit of ${GENERATOR_LIMITS.classes} (the units of an output layer).`,
    );
  }
}

/** The seed used when a generator is given neither `randomState` nor `seed`. */
export const DEFAULT_SEED = 0;

/**
 * Where a generator's random numbers come from. `randomState` and `seed` are two names for the
 * same thing (the first is scikit-learn's, the second the usual JavaScript one); give at most
 * one. An integer seeds a fresh {@link RandomState}, exactly like `np.random.RandomState(seed)`,
 * so `randomState: 0` reproduces scikit-learn's `random_state=0`. A `RandomState` instance is
 * drawn from (and advanced), which lets several calls share one stream. With neither, the
 * generator uses `new RandomState(DEFAULT_SEED)`: unlike scikit-learn's `random_state=None`,
 * shadernet's datasets are always deterministic.
 */
export interface RandomOptions {
  /** An integer seed in [0, 2**32 - 1], or a generator to draw from. Same as `seed`. */
  readonly randomState?: number | RandomState;
  /** Alias of `randomState`. */
  readonly seed?: number | RandomState;
}

/**
 * The {@link RandomState} a generator draws from, given its options. `fn` names the generator
 * in error messages.
 * @internal
 */
export function resolveRandomState(options: RandomOptions, fn: string): RandomState {
  const { randomState, seed } = options;
  if (randomState !== undefined && seed !== undefined && randomState !== seed) {
    throw new ValueError(
      `${fn}: randomState and seed are aliases; give one of them, got randomState=${show(randomState)} and seed=${show(seed)}.`,
    );
  }
  const given = randomState ?? seed;
  if (given === undefined) return new RandomState(DEFAULT_SEED);
  if (given instanceof RandomState) return given;
  assertSeed(given, `${fn}: ${randomState !== undefined ? 'randomState' : 'seed'}`);
  return new RandomState(given);
}

/**
 * Reorders the rows of `x` and `y` in place by a permutation drawn as scikit-learn's
 * `utils.shuffle` draws it: `indices = arange(n); rng.shuffle(indices); X = X[indices]`.
 * @internal
 */
export function shuffleRows(x: Float64Array, y: Float64Array, nFeatures: number, rng: RandomState): void {
  const order = rng.permutation(y.length);
  const xs = x.slice();
  const ys = y.slice();
  for (let row = 0; row < order.length; row++) {
    const from = order[row]!;
    y[row] = ys[from]!;
    x.set(xs.subarray(from * nFeatures, (from + 1) * nFeatures), row * nFeatures);
  }
}

const isRows = (value: unknown, length: number): boolean =>
  (value instanceof Float64Array || value instanceof Float32Array || Array.isArray(value)) && value.length === length;

/** Refuses anything but a Dataset (x of nSamples × nFeatures values, y of nSamples), before any field is used. */
function checkDataset(dataset: unknown, fn: string): asserts dataset is Dataset {
  const d = typeof dataset === 'object' && dataset !== null ? (dataset as Partial<Record<keyof Dataset, unknown>>) : undefined;
  const n = d?.nSamples;
  const f = d?.nFeatures;
  if (
    !d ||
    typeof n !== 'number' ||
    typeof f !== 'number' ||
    !Number.isSafeInteger(n) ||
    !Number.isSafeInteger(f) ||
    n < 0 ||
    f < 0 ||
    !isRows(d.x, n * f) ||
    !isRows(d.y, n)
  ) {
    throw new ValueError(
      `${fn}: expected a Dataset ({ x, y, nSamples, nFeatures }, x of nSamples × nFeatures values, y of nSamples), got ${show(dataset)}.`,
    );
  }
}

/**
 * Rows `start` (inclusive) to `end` (exclusive) of `dataset`, copied.
 * @throws ValueError unless `0 <= start <= end <= dataset.nSamples` are integers.
 */
export function takeRows(dataset: Dataset, start: number, end?: number): Dataset {
  checkDataset(dataset, 'takeRows');
  const n = dataset.nSamples;
  end ??= n;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > n) {
    throw new ValueError(
      `takeRows: expected integers with 0 <= start <= end <= ${n} (nSamples), got start=${show(start)}, end=${show(end)}.`,
    );
  }
  const f = dataset.nFeatures;
  return {
    x: dataset.x.slice(start * f, end * f),
    y: dataset.y.slice(start, end),
    nSamples: end - start,
    nFeatures: f,
  };
}

/**
 * Splits off a validation set the way Keras' `fit(..., validation_split)` does: the first
 * `floor(n * (1 - validationSplit))` samples train, the rest validate, with no shuffling (the
 * generators already shuffled). Both parts are copies.
 *
 * @example
 * ```ts
 * const data = makeCircles({ nSamples: 5000, factor: 0.3, noise: 0.05 });
 * const { train, validation } = trainValidationSplit(data, 0.2);
 * // train.nSamples === 4000, validation.nSamples === 1000 (the last 1000 rows)
 * ```
 * @throws ValueError unless `validationSplit` is in (0, 1) and leaves both parts non-empty.
 */
export function trainValidationSplit(dataset: Dataset, validationSplit: number): { readonly train: Dataset; readonly validation: Dataset } {
  checkDataset(dataset, 'trainValidationSplit');
  if (typeof validationSplit !== 'number' || !(validationSplit > 0 && validationSplit < 1)) {
    throw new ValueError(`trainValidationSplit: validationSplit must be in (0, 1), got ${show(validationSplit)}.`);
  }
  const n = dataset.nSamples;
  const splitAt = Math.floor(n * (1 - validationSplit));
  if (splitAt === 0 || splitAt === n) {
    throw new ValueError(
      `trainValidationSplit: ${n} samples cannot be split with validationSplit=${validationSplit}; ` +
        `the ${splitAt === 0 ? 'training' : 'validation'} part would be empty. Give more data or another split.`,
    );
  }
  return { train: takeRows(dataset, 0, splitAt), validation: takeRows(dataset, splitAt, n) };
}

/** `dataset` with `x` and `y` converted to float32 (new arrays), for upload to the GPU. */
export function toFloat32(dataset: Dataset): Float32Dataset {
  checkDataset(dataset, 'toFloat32');
  return {
    x: Float32Array.from(dataset.x),
    y: Float32Array.from(dataset.y),
    nSamples: dataset.nSamples,
    nFeatures: dataset.nFeatures,
  };
}
