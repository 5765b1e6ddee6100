import type { LossKind } from '../spec/loss.js';
import { ShapeError, ValueError } from '../errors.js';
import { checkData } from './limits.js';
import { integer, kindOf } from './validate.js';
import { show } from '../show.js';

/** A 2-D array with an explicit shape, e.g. `{ data: Float32Array, shape: [rows, features] }`. */
export interface MatrixLike {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number];
}

/**
 * Feature input: rows of numbers, a matrix with its shape, or a flat typed array (row-major,
 * split into rows by the model's input width).
 */
export type FeatureInput = readonly (readonly number[])[] | MatrixLike | Float32Array | Float64Array;

/** Targets: one number per sample (a plain or typed array), or rows / a matrix of them. */
export type TargetInput = readonly number[] | Float32Array | Float64Array | readonly (readonly number[])[] | MatrixLike;

/**
 * A labelled dataset: the library's `Dataset` (makeCircles, trainValidationSplit, …) or any
 * object of its form. fit, evaluate and predict take one in place of x and y, as Keras takes a
 * dataset: x is `nSamples × nFeatures` row-major, y one target per sample.
 */
export interface DatasetLike {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly nSamples: number;
  readonly nFeatures: number;
}

/** A validated, float32 row-major matrix. */
export interface Matrix {
  readonly data: Float32Array<ArrayBuffer>;
  readonly rows: number;
  readonly cols: number;
}

/** The largest finite float32: larger finite inputs would become Infinity on the way to the engine. */
const FLOAT32_MAX = 3.4028234663852886e38;

function isMatrixLike(value: unknown): value is MatrixLike {
  return typeof value === 'object' && value !== null && 'data' in value && 'shape' in value;
}

/** True for the library's Dataset and objects of its form (told apart from matrices by nSamples / nFeatures). */
export function isDatasetLike(value: unknown): value is DatasetLike {
  return (
    typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && 'x' in value && 'nSamples' in value && 'nFeatures' in value
  );
}

/** What predict and fit take as x from a Dataset: its features with their shape. */
function datasetFeatures(dataset: DatasetLike): MatrixLike {
  return { data: dataset.x, shape: [dataset.nSamples, dataset.nFeatures] };
}

/** Features as x: a Dataset's x with its shape, anything else as it is (checked later by toMatrix). */
export function featuresOf(input: FeatureInput | DatasetLike): FeatureInput {
  return isDatasetLike(input) ? datasetFeatures(input) : input;
}

/** The targets of a Dataset, refused when it has none. */
export function datasetTargets(dataset: DatasetLike, what: string): ArrayLike<number> {
  if (dataset.y === undefined) throw new ValueError(`${what} Dataset has no y; a Dataset with targets is needed here.`);
  return dataset.y;
}

/** A value's kind and, for primitives, the value: `a string ("abc")`, `an object with keys …`. */
const described = (value: unknown): string =>
  typeof value === 'object' && value !== null ? show(value) : `${kindOf(value)} (${show(value)})`;

const isRow = (value: unknown): boolean => Array.isArray(value) || ArrayBuffer.isView(value);

/** True for one number per entry: a typed array, or a plain array holding no rows. */
function isFlatList(input: unknown): boolean {
  return input instanceof Float32Array || input instanceof Float64Array || (Array.isArray(input) && !input.some(isRow));
}

/** A typed array of numbers (BigInt arrays and DataViews are not). */
function isNumericTypedArray(value: unknown): value is ArrayLike<number> {
  return (
    ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array)
  );
}

/**
 * Copies `source` into `target` at `offset`, checking every value: a number (no strings,
 * booleans or BigInts, which JavaScript would coerce), finite, and within float32's range.
 * `at(i)` says where value i is, for the error.
 */
function copyNumbers(source: ArrayLike<unknown>, target: Float32Array, offset: number, what: string, at: (i: number) => string): void {
  const typed = isNumericTypedArray(source);
  for (let i = 0; i < source.length; i++) {
    const value = source[i];
    if (!typed && typeof value !== 'number') throw new ValueError(`${what} contains ${described(value)} at ${at(i)}; expected a number.`);
    const number = value as number;
    if (!Number.isFinite(number)) throw new ValueError(`${what} contains ${number} at ${at(i)}; all values must be finite.`);
    if (Math.abs(number) > FLOAT32_MAX) {
      throw new ValueError(
        `${what} contains ${number} at ${at(i)}, beyond float32's largest finite value (${FLOAT32_MAX}); scale the data.`,
      );
    }
    target[offset + i] = number;
  }
}

/** The position of flat value i of a matrix of `cols` columns. */
const cell = (cols: number) => (i: number) => `row ${Math.floor(i / cols)}, column ${i % cols}`;

function fromMatrixLike(input: MatrixLike, what: string): Matrix {
  const { shape, data } = input;
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw new ShapeError(
      `${what} shape must be [rows, features] (2 dimensions), got ${Array.isArray(shape) ? `[${shape.map((item) => show(item)).join(', ')}]` : show(shape)}.`,
    );
  }
  const rows = integer(shape[0], `${what} shape[0] (rows)`, 0);
  const cols = integer(shape[1], `${what} shape[1] (features)`, 0);
  if (!Array.isArray(data) && !isNumericTypedArray(data)) {
    throw new ValueError(`${what} data must hold numbers, got ${show(data)}; give an array or a typed array of numbers.`);
  }
  if (data.length !== rows * cols)
    throw new ShapeError(`${what} has ${data.length} values, but shape [${rows}, ${cols}] needs ${rows * cols}.`);
  checkData(rows, cols, what);
  const values = new Float32Array(rows * cols);
  copyNumbers(data, values, 0, what, cell(cols));
  return { data: values, rows, cols };
}

function fromRows(rows: readonly unknown[], what: string): Matrix {
  rows.forEach((row, r) => {
    if (isRow(row)) return;
    if (typeof row === 'number') {
      const other = rows.findIndex(isRow);
      throw new ValueError(`${what} mixes numbers and rows: ${what}[${r}] is a number, ${what}[${other}] ${kindOf(rows[other])}.`);
    }
    throw new ValueError(`${what} row ${r} is ${row === null ? 'null' : described(row)}; expected an array of numbers.`);
  });
  const list = rows as readonly ArrayLike<unknown>[];
  const cols = list[0]!.length;
  list.forEach((row, r) => {
    if (row.length !== cols)
      throw new ShapeError(`${what} rows must all have the same length: row 0 has ${cols}, row ${r} has ${row.length}.`);
  });
  checkData(list.length, cols, what);
  const data = new Float32Array(list.length * cols);
  list.forEach((row, r) => copyNumbers(row, data, r * cols, what, (c) => `row ${r}, column ${c}`));
  return { data, rows: list.length, cols };
}

/** A flat list of numbers: rows of `width` values. */
function fromFlat(input: ArrayLike<unknown>, what: string, width: number): Matrix {
  if (input.length % width !== 0)
    throw new ShapeError(`${what} has ${input.length} values, not a multiple of the ${width} values per row.`);
  return fromMatrixLike({ data: input as ArrayLike<number>, shape: [input.length / width, width] }, what);
}

/**
 * Validates and converts `input` to a float32 matrix. `width`, when known, is the expected
 * number of columns (and splits flat lists into rows). A Dataset gives its x.
 */
export function toMatrix(input: unknown, what: string, width?: number): Matrix {
  let matrix: Matrix;
  if (isDatasetLike(input)) matrix = fromMatrixLike(datasetFeatures(input), what);
  else if (isMatrixLike(input)) matrix = fromMatrixLike(input, what);
  else if (input instanceof Float32Array || input instanceof Float64Array) {
    if (width === undefined) {
      throw new ShapeError(
        `${what} is a flat typed array, but its row width is unknown: pass the Dataset itself (model.fit(dataset)), ` +
          '{ data, shape: [rows, cols] }, or give the first layer inputDim.',
      );
    }
    matrix = fromFlat(input, what, width);
  } else if (Array.isArray(input)) {
    if (input.length === 0) throw new ValueError(`${what} is empty; at least one sample is needed.`);
    // A plain list of numbers: one column (targets), or rows of `width` values.
    matrix = isFlatList(input) ? fromFlat(input, what, width ?? 1) : fromRows(input, what);
  } else {
    throw new ValueError(
      `${what} must be an array of rows, a Float32Array/Float64Array, { data, shape } or a Dataset ({ x, y, nSamples, nFeatures }); got ${described(input)}.`,
    );
  }
  if (matrix.rows === 0) throw new ValueError(`${what} is empty; at least one sample is needed.`);
  if (matrix.cols === 0) throw new ShapeError(`${what} has 0 features per sample; at least one is needed.`);
  if (width !== undefined && matrix.cols !== width) {
    throw new ShapeError(`${what} has ${matrix.cols} features per sample, but the model expects ${width}.`);
  }
  return matrix;
}

/** Weights given to setWeights: any array of numbers, checked as data is (`what` names it). */
export function toFloat32(values: unknown, what: string): Float32Array<ArrayBuffer> {
  if (!Array.isArray(values) && !isNumericTypedArray(values))
    throw new ValueError(`${what} must be an array of numbers, got ${show(values)}.`);
  const result = new Float32Array(values.length);
  copyNumbers(values, result, 0, what, (i) => `index ${i}`);
  return result;
}

/** Validates binary cross-entropy targets: one per sample, each in [0, 1] (soft labels allowed). */
export function toBinaryTargets(input: unknown, rows: number, what: string): Float32Array<ArrayBuffer> {
  const targets = toMatrix(input, what, isFlatList(input) ? 1 : undefined);
  if (targets.cols !== 1) throw new ShapeError(`${what} must have one value per sample, got ${targets.cols} per row.`);
  if (targets.rows !== rows) throw new ShapeError(`${what} has ${targets.rows} samples but x has ${rows}; they must match.`);
  for (let i = 0; i < targets.data.length; i++) {
    const value = targets.data[i]!;
    if (value < 0 || value > 1) {
      throw new ValueError(`${what}[${i}] is ${value}; binary cross-entropy needs labels in [0, 1].`);
    }
  }
  return targets.data;
}

/** Keras's validation_split: the last ⌈n·f⌉-ish rows (n − floor(n·(1 − f))), before shuffling. */
export function splitForValidation(rows: number, fraction: number): number {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new ValueError(`validationSplit must be in (0, 1), got ${show(fraction)}.`);
  }
  const trainRows = Math.floor(rows * (1 - fraction));
  if (trainRows < 1 || trainRows >= rows) {
    throw new ValueError(
      `validationSplit ${fraction} of ${rows} samples leaves ${trainRows} for training and ${rows - trainRows} for validation; both need at least one.`,
    );
  }
  return trainRows;
}

/** Validates the targets of `loss` for an output layer of `units` units: rows × targetColumns floats. */
export function toTargets(input: unknown, rows: number, what: string, loss: LossKind, units: number): Float32Array<ArrayBuffer> {
  if (loss === 'binary_crossentropy') return toBinaryTargets(input, rows, what);
  const sparse = loss === 'sparse_categorical_crossentropy';
  const cols = sparse ? 1 : units;
  const isFlat = isFlatList(input);
  if (isFlat && cols > 1 && (input as ArrayLike<number>).length === rows) {
    throw new ShapeError(
      `${what} has one value per sample, but ${loss} needs ${cols} values per sample (the output layer's units)` +
        (loss === 'categorical_crossentropy' ? '; for integer class labels use sparse_categorical_crossentropy.' : '.'),
    );
  }
  const targets = toMatrix(input, what, isFlat ? cols : undefined);
  if (targets.rows !== rows) throw new ShapeError(`${what} has ${targets.rows} samples but x has ${rows}; they must match.`);
  if (targets.cols !== cols) {
    const expected = sparse ? 'one integer class label per sample' : `${cols} values per sample (the output layer's units)`;
    throw new ShapeError(`${what} must have ${expected} for ${loss}, got ${targets.cols} per row.`);
  }
  if (sparse) {
    for (let r = 0; r < rows; r++) {
      const label = targets.data[r]!;
      if (!Number.isInteger(label) || label < 0 || label >= units) {
        throw new ValueError(`${what} row ${r} is ${label}; sparse_categorical_crossentropy needs integer class labels in [0, ${units}).`);
      }
    }
  }
  return targets.data;
}
