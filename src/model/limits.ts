/**
 * Size limits of models and data, the same on both engines and checked before anything is
 * allocated: a model is at most what a model file may hold (the loader's MODEL_LIMITS), and one
 * call's data and activations stay within fixed counts of values. The GPU engine checks its
 * device's own limits on top of these (see ParameterBuffers and GpuBackend).
 */
import { ValueError } from '../errors.js';
import type { DenseLayerShape, NetworkShape } from '../spec/network.js';
import { MODEL_LIMITS } from './io/limits.js';

export const SIZE_LIMITS = Object.freeze({
  /** Units of a Dense layer, and input features. */
  units: MODEL_LIMITS.units,
  /** Layers of a model, Dropouts included. */
  layers: MODEL_LIMITS.layers,
  /** Bytes of the float32 parameters: what a model file may hold. */
  parameterBytes: MODEL_LIMITS.weightBytes,
  /**
   * Values of one training batch's activations, every layer together (2^26: 256 MiB in
   * float32; the CPU engine keeps a few float64 copies of them, ~2 GiB at the limit).
   */
  batchActivations: 2 ** 26,
  /** Values of one array of data a call takes or returns (2^28: 1 GiB in float32). */
  dataValues: 2 ** 28,
});

const count = (n: number): string => n.toLocaleString('en-US');

/** Units or input features: a positive integer within SIZE_LIMITS.units. */
export function checkWidth(value: number, what: string): number {
  if (value > SIZE_LIMITS.units) throw new ValueError(`${what} is ${value}, over the limit of ${count(SIZE_LIMITS.units)}.`);
  return value;
}

export function checkLayerCount(layers: number): void {
  if (layers >= SIZE_LIMITS.layers) {
    throw new ValueError(`The model already has ${layers} layers, the limit (${count(SIZE_LIMITS.layers)}); it takes no more.`);
  }
}

/** What the parameter count depends on, per dense layer. */
type LayerSize = Pick<DenseLayerShape, 'inputs' | 'units' | 'useBias'>;

/** Trainable parameters of dense layers of these shapes. */
/** Trainable parameters of Dense layers of these sizes. */
export function parameterCount(layers: readonly LayerSize[]): number {
  return layers.reduce((n, l) => n + l.inputs * l.units + (l.useBias ? l.units : 0), 0);
}

/** Refuses a network whose float32 parameters would not fit a model file. */
export function checkParameters(layers: readonly LayerSize[]): void {
  const parameters = parameterCount(layers);
  if (parameters * 4 > SIZE_LIMITS.parameterBytes) {
    throw new ValueError(
      `The model would have ${count(parameters)} parameters (${parameters * 4} bytes), over the limit of ${SIZE_LIMITS.parameterBytes} bytes ` +
        '(MODEL_LIMITS.weightBytes, what a model file may hold).',
    );
  }
}

/** Refuses a training batch whose activations (inputs and every layer's outputs) exceed the limit. */
export function checkBatch(network: NetworkShape, batchRows: number, batchSize: number): void {
  const width = network.layers.reduce((n, l) => n + l.units, network.layers[0]?.inputs ?? 0);
  if (batchRows * width > SIZE_LIMITS.batchActivations) {
    throw new ValueError(
      `batchSize ${batchSize}: one batch's activations (${count(batchRows)} rows × ${count(width)} values) exceed the limit of ` +
        `${count(SIZE_LIMITS.batchActivations)} values; use a smaller batchSize.`,
    );
  }
}

/** Refuses an array of `rows` × `cols` values beyond SIZE_LIMITS.dataValues; `what` names it. */
export function checkData(rows: number, cols: number, what: string, unit = 'values per row'): void {
  if (rows * cols > SIZE_LIMITS.dataValues) {
    throw new ValueError(
      `${what} of ${count(rows)} rows × ${count(cols)} ${unit} (${count(rows * cols)} values) is over the limit of ${count(SIZE_LIMITS.dataValues)} values; split it.`,
    );
  }
}
