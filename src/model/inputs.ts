import type { LossKind } from '../engine/loss.js';
import { ShapeError, ValueError } from '../errors.js';

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

/** A validated, float32 row-major matrix. */
export interface Matrix {
  readonly data: Float32Array<ArrayBuffer>;
  readonly rows: number;
  readonly cols: number;
}

function isMatrixLike(value: unknown): value is MatrixLike {
  return typeof value === 'object' && value !== null && 'data' in value && 'shape' in value;
}

function checkFinite(data: Float32Array, cols: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ValueError(`${what} contains ${data[i]} at row ${Math.floor(i / cols)}, column ${i % cols}; all values must be finite.`);
    }
  }
}

function fromRows(rows: readonly (readonly number[])[], what: string): Matrix {
  const cols = rows[0]!.length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
      throw new ShapeError(`${what} row ${r} is not an array (got ${typeof row}).`);
    }
    if (row.length !== cols) {
      throw new ShapeError(`${what} rows must all have the same length: row 0 has ${cols}, row ${r} has ${row.length}.`);
    }
    for (let c = 0; c < cols; c++) data[r * cols + c] = row[c]!;
  });
  return { data, rows: rows.length, cols };
}

/**
 * Validates and converts `input` to a float32 matrix. `width`, when known, is the expected
 * number of columns (and splits flat typed arrays into rows).
 */
export function toMatrix(input: unknown, what: string, width?: number): Matrix {
  let matrix: Matrix;
  if (isMatrixLike(input)) {
    const [rows, cols] = input.shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`${what} shape must be two non-negative integers, got [${input.shape.join(', ')}].`);
    }
    if (input.data.length !== rows * cols) {
      throw new ShapeError(`${what} has ${input.data.length} values, but shape [${rows}, ${cols}] needs ${rows * cols}.`);
    }
    matrix = { data: Float32Array.from(input.data), rows, cols };
  } else if (input instanceof Float32Array || input instanceof Float64Array) {
    if (width === undefined) {
      throw new ShapeError(`${what} is a flat typed array, but its row width is unknown: pass { data, shape: [rows, cols] }.`);
    }
    if (input.length % width !== 0) {
      throw new ShapeError(`${what} has ${input.length} values, not a multiple of the ${width} values per row.`);
    }
    matrix = { data: Float32Array.from(input), rows: input.length / width, cols: width };
  } else if (Array.isArray(input)) {
    if (input.length === 0) throw new ValueError(`${what} is empty; at least one sample is needed.`);
    if (typeof input[0] === 'number') {
      // A plain list of numbers: one column (targets), or rows of `width` values.
      const cols = width ?? 1;
      matrix = toMatrix({ data: input as number[], shape: [input.length / cols, cols] }, what);
    } else matrix = fromRows(input as readonly (readonly number[])[], what);
  } else {
    throw new ValueError(`${what} must be an array of rows, a Float32Array/Float64Array, or { data, shape }; got ${typeof input}.`);
  }
  if (matrix.rows === 0) throw new ValueError(`${what} is empty; at least one sample is needed.`);
  if (matrix.cols === 0) throw new ShapeError(`${what} has 0 features per sample; at least one is needed.`);
  if (width !== undefined && matrix.cols !== width) {
    throw new ShapeError(`${what} has ${matrix.cols} features per sample, but the model expects ${width}.`);
  }
  checkFinite(matrix.data, matrix.cols, what);
  return matrix;
}

/** Validates binary cross-entropy targets: one per sample, each in [0, 1] (soft labels allowed). */
export function toBinaryTargets(input: unknown, rows: number, what: string): Float32Array<ArrayBuffer> {
  const isFlat = input instanceof Float32Array || input instanceof Float64Array || (Array.isArray(input) && typeof input[0] === 'number');
  const targets = toMatrix(input, what, isFlat ? 1 : undefined);
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
    throw new ValueError(`validationSplit must be in (0, 1), got ${fraction}.`);
  }
  const trainRows = Math.floor(rows * (1 - fraction));
  if (trainRows < 1 || trainRows >= rows) {
    throw new ValueError(`validationSplit ${fraction} of ${rows} samples leaves ${trainRows} for training and ${rows - trainRows} for validation; both need at least one.`);
  }
  return trainRows;
}

/** Validates the targets of `loss` for an output layer of `units` units: rows × targetColumns floats. */
export function toTargets(input: unknown, rows: number, what: string, loss: LossKind, units: number): Float32Array<ArrayBuffer> {
  if (loss === 'binary_crossentropy') return toBinaryTargets(input, rows, what);
  const sparse = loss === 'sparse_categorical_crossentropy';
  const cols = sparse ? 1 : units;
  const isFlat = input instanceof Float32Array || input instanceof Float64Array || (Array.isArray(input) && typeof input[0] === 'number');
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
