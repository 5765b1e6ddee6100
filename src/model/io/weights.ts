/**
 * The weights manifest ↔ weight buffers: little-endian float32, row-major, in manifest order.
 * Reading checks every entry (names, shapes, dtypes, sizes within the limits), pairs them with
 * the weights the topology needs, and decodes only finite values.
 */
import { ShapeError, UnsupportedError, ValueError } from '../../errors.js';
import { MODEL_LIMITS } from './limits.js';
import { checkName } from './names.js';
import { describe, dict, get, isDict } from './untrusted-json.js';

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The weights as model.json's weight data: little-endian float32, in order. */
export function float32Bytes(arrays: readonly Float32Array[]): ArrayBuffer {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const out = new ArrayBuffer(total * 4);
  let offset = 0;
  for (const values of arrays) {
    if (littleEndianHost) new Float32Array(out, offset, values.length).set(values);
    else {
      const view = new DataView(out, offset, values.length * 4);
      values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    }
    offset += values.length * 4;
  }
  return out;
}

/** A weight's manifest name. String(): a layer name that is not a string must reach the name check, not a template's TypeError. */
export const weightName = (layerName: string, kind: 'kernel' | 'bias'): string => `${String(layerName)}/${kind}`;

/** A weight a model has: its manifest entry (always float32). */
export interface ExpectedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
}

/** The weights of Dense layers (`name`, `units`, `useBias`) after an input of `inputs` features, in Keras order. */
export function expectedWeights(
  layers: readonly { readonly name: string; readonly units: number; readonly useBias: boolean }[],
  inputs: number,
): ExpectedWeight[] {
  return layers.flatMap((layer, i) => {
    const layerInputs = i === 0 ? inputs : layers[i - 1]!.units;
    const kernel: ExpectedWeight = { name: weightName(layer.name, 'kernel'), shape: [layerInputs, layer.units], dtype: 'float32' };
    return layer.useBias ? [kernel, { name: weightName(layer.name, 'bias'), shape: [layer.units], dtype: 'float32' }] : [kernel];
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A manifest entry, checked, with where its bytes lie in the weight data. */
export interface ParsedSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantized: boolean;
  readonly optimizer: boolean;
  readonly byteOffset: number;
  readonly byteLength: number;
}

const DTYPE_BYTES: ReadonlyMap<string, number> = new Map([
  ['float32', 4],
  ['int32', 4],
  ['bool', 1],
  ['complex64', 8],
]);
const QUANTIZED_BYTES: ReadonlyMap<string, number> = new Map([
  ['uint8', 1],
  ['uint16', 2],
  ['float16', 2],
]);

/** The manifest's entries, checked, each with its byte range in the concatenated weight data. */
export function parseSpecs(raw: unknown, what: string): ParsedSpec[] {
  if (!Array.isArray(raw)) throw new ValueError(`${what} must be an array of { name, shape, dtype }, got ${describe(raw)}.`);
  if (raw.length > MODEL_LIMITS.weightSpecs) {
    throw new ValueError(`${what} lists ${raw.length} weights, over the limit of ${MODEL_LIMITS.weightSpecs}.`);
  }
  let offset = 0;
  return raw.map((entry: unknown, index) => {
    const spec = dict(entry, `${what}[${index}]`);
    const specName = checkName(get(spec, 'name'), `${what}[${index}].name`);
    const label = `Weight '${specName}'`;
    const shape = get(spec, 'shape');
    if (!Array.isArray(shape) || shape.length > MODEL_LIMITS.weightRank) {
      throw new ValueError(`${label}: shape must be an array of at most ${MODEL_LIMITS.weightRank} sizes, got ${describe(shape)}.`);
    }
    let elements = 1;
    for (const dim of shape) {
      if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0)
        throw new ValueError(`${label}: shape ${describe(shape)} must hold non-negative integers.`);
      // Each dimension within the byte limit keeps the product finite: never Infinity × 0 = NaN.
      if (dim > MODEL_LIMITS.weightBytes) {
        throw new ValueError(
          `${label}: shape ${describe(shape)} has a dimension of ${dim}, beyond the ${MODEL_LIMITS.weightBytes / 2 ** 20} MiB weight data limit.`,
        );
      }
      elements *= dim;
    }
    const dtype = get(spec, 'dtype') ?? 'float32';
    if (typeof dtype !== 'string') throw new ValueError(`${label}: dtype must be a string, got ${describe(dtype)}.`);
    let bytesPerElement = DTYPE_BYTES.get(dtype);
    const quantization = get(spec, 'quantization');
    const quantized = quantization !== undefined && quantization !== null;
    if (quantized) {
      const quantizedDtype = isDict(quantization) ? get(quantization, 'dtype') : undefined;
      bytesPerElement = typeof quantizedDtype === 'string' ? QUANTIZED_BYTES.get(quantizedDtype) : undefined;
      if (bytesPerElement === undefined) throw new ValueError(`${label}: quantization ${describe(quantization)} has no known dtype.`);
    }
    if (bytesPerElement === undefined) throw new UnsupportedError(`${label}: dtype '${dtype}' is not supported.`);
    const byteLength = elements * bytesPerElement;
    if (offset + byteLength > MODEL_LIMITS.weightBytes) {
      throw new ValueError(
        `${what} declares more than ${MODEL_LIMITS.weightBytes / 2 ** 20} MiB of weight data (weight '${specName}' of shape ${describe(shape)} ends at byte ${offset + byteLength}), over the limit.`,
      );
    }
    const group = get(spec, 'group');
    const parsed: ParsedSpec = {
      name: specName,
      shape: shape as number[],
      dtype,
      quantized,
      optimizer: group === 'optimizer',
      byteOffset: offset,
      byteLength,
    };
    offset += byteLength;
    return parsed;
  });
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const listText = (names: readonly string[]): string =>
  names.length > 6 ? `${names.slice(0, 6).join(', ')}, ... (${names.length} in all)` : names.join(', ');

/** Names a manifest may use for `layer/kernel`: itself, `layer/kernel:0` (Keras 2 variables), `layer/cell/kernel` (TF ≥ 2.2). */
function nameMatches(specName: string, expected: string): boolean {
  if (specName === expected || specName === `${expected}:0`) return true;
  const tokens = specName.replace(/:0$/, '').split('/');
  return tokens.length > 2 && [...tokens.slice(0, -2), tokens[tokens.length - 1]].join('/') === expected;
}

/**
 * Pairs the model's weights with manifest entries: by name when every name matches exactly one
 * entry (as TF.js does), else by position (Keras 3 converted files name weights by h5 path,
 * `layers/dense/vars/0`). Shapes must then match exactly.
 */
export function matchWeights(expected: readonly ExpectedWeight[], specs: readonly ParsedSpec[]): ParsedSpec[] {
  const model = specs.filter((s) => !s.optimizer);
  if (model.length !== expected.length) {
    throw new ShapeError(
      `Wrong weight count: the model needs ${expected.length} weight arrays (${listText(expected.map((e) => e.name))}), the weights manifest lists ${model.length}` +
        (model.length ? ` (${listText(model.map((s) => s.name))}).` : '.'),
    );
  }
  const byName = expected.map((e) => model.filter((s) => nameMatches(s.name, e.name)));
  const named = byName.every((c) => c.length === 1) && new Set(byName.map((c) => c[0])).size === expected.length;
  const pairs = named ? byName.map((c) => c[0]!) : model;
  pairs.forEach((spec, i) => {
    const want = expected[i]!;
    const how = named ? '' : ` (matched by position to ${want.name})`;
    if (!sameShape(spec.shape, want.shape)) {
      throw new ShapeError(
        `Weight '${spec.name}'${how} has shape ${shapeText(spec.shape)}, but the model needs ${shapeText(want.shape)} for ${want.name}.`,
      );
    }
    if (spec.quantized) throw new UnsupportedError(`Weight '${spec.name}' is quantized; shadernet loads float32 weights only.`);
    if (spec.dtype !== 'float32')
      throw new UnsupportedError(`Weight '${spec.name}' has dtype '${spec.dtype}'; shadernet loads float32 weights only.`);
  });
  return pairs;
}

/** A weight's values from the weight data; throws on bytes outside it and on any non-finite value. */
export function decodeFloat32(bytes: Uint8Array, spec: ParsedSpec): Float32Array {
  // Only the spec's slice of the given view is read, never the rest of its buffer (a Node
  // Buffer may be a slice of a shared pool holding other data).
  const slice = bytes.subarray(spec.byteOffset, spec.byteOffset + spec.byteLength);
  if (slice.byteLength !== spec.byteLength) {
    throw new ShapeError(
      `Weight '${spec.name}' lies outside the weight data: bytes ${spec.byteOffset} to ${spec.byteOffset + spec.byteLength} of ${bytes.byteLength}.`,
    );
  }
  const count = spec.byteLength / 4;
  let values: Float32Array;
  if (littleEndianHost && slice.byteOffset % 4 === 0) values = new Float32Array(slice.buffer, slice.byteOffset, count).slice();
  else {
    const view = new DataView(slice.buffer, slice.byteOffset, slice.byteLength);
    values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  }
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new ValueError(
        `Weight '${spec.name}' holds a non-finite value (${values[i]}) at index ${i}; a saved model's weights must be finite.`,
      );
    }
  }
  return values;
}

/** Weight bytes as a Uint8Array view, with the size limit checked. */
export function weightBytes(data: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (Array.isArray(data) && data.length > MODEL_LIMITS.weightFiles) {
    throw new ValueError(`The weight data is a list of ${data.length} buffers, over the limit of ${MODEL_LIMITS.weightFiles}.`);
  } else if (Array.isArray(data) && data.every((d) => d instanceof ArrayBuffer)) {
    // TF.js 4.x WeightData may be a list of buffers.
    const total = data.reduce((n: number, d: ArrayBuffer) => n + d.byteLength, 0);
    if (total > MODEL_LIMITS.weightBytes)
      throw new ValueError(`The weight data has ${total} bytes, over the limit of ${MODEL_LIMITS.weightBytes} bytes.`);
    bytes = new Uint8Array(total);
    let offset = 0;
    for (const d of data as ArrayBuffer[]) {
      bytes.set(new Uint8Array(d), offset);
      offset += d.byteLength;
    }
  } else throw new ValueError(`The weight data must be an ArrayBuffer (or a typed array), got ${describe(data)}.`);
  if (bytes.byteLength > MODEL_LIMITS.weightBytes) {
    throw new ValueError(`The weight data has ${bytes.byteLength} bytes, over the limit of ${MODEL_LIMITS.weightBytes} bytes.`);
  }
  return bytes;
}
