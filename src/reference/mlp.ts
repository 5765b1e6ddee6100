import type { AdamConfig } from '../kernels/adam.js';
import type { Activation } from '../kernels/activations.js';
import { adamStep, type AdamState } from './adam.js';
import { bceFromLogits } from './binary-crossentropy.js';
import { denseBackwardData, denseBackwardWeights, denseForward, type DenseDims } from './dense.js';

/**
 * A multilayer perceptron for binary classification, the float64 oracle of a whole training
 * step. The output layer has one unit with a sigmoid, trained through the fused logits form
 * of binary cross-entropy (as Keras's TensorFlow backend does).
 */
export interface MlpSpec {
  readonly inputs: number;
  /** Hidden layers; the output layer (1 unit, sigmoid) is implied. */
  readonly hidden: readonly { readonly units: number; readonly activation: Activation }[];
}

export interface LayerSlices {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
  /** Offset of W [inputs, units] in the flat parameter vector; b [units] follows it. */
  readonly weightsOffset: number;
  readonly biasOffset: number;
}

/** Parameter layout in Keras's get_weights order: W0, b0, W1, b1, ... */
export function mlpLayout(spec: MlpSpec): { readonly layers: readonly LayerSlices[]; readonly count: number } {
  const layers: LayerSlices[] = [];
  let inputs = spec.inputs;
  let offset = 0;
  const all = [...spec.hidden, { units: 1, activation: 'sigmoid' as const }];
  for (const layer of all) {
    layers.push({ inputs, units: layer.units, activation: layer.activation, weightsOffset: offset, biasOffset: offset + inputs * layer.units });
    offset += inputs * layer.units + layer.units;
    inputs = layer.units;
  }
  return { layers, count: offset };
}

function slices(params: Float64Array, layer: LayerSlices) {
  return {
    w: params.subarray(layer.weightsOffset, layer.biasOffset),
    b: params.subarray(layer.biasOffset, layer.biasOffset + layer.units),
  };
}

/** Per-layer outputs; the last is the logits (the output sigmoid is left to the loss). */
export function mlpForward(spec: MlpSpec, params: Float64Array, x: ArrayLike<number>, rows: number): Float64Array[] {
  const { layers } = mlpLayout(spec);
  const outputs: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  layers.forEach((layer, index) => {
    const { w, b } = slices(params, layer);
    const isOutput = index === layers.length - 1;
    const dims: DenseDims = { rows, inputs: layer.inputs, units: layer.units };
    const y = denseForward(dims, input, w, b, isOutput ? 'linear' : layer.activation);
    outputs.push(y);
    input = y;
  });
  return outputs;
}

export interface LossAndGradient {
  readonly loss: number;
  readonly correct: number;
  /** d(mean batch loss)/d(params), same layout as the parameters. */
  readonly gradient: Float64Array;
}

/** Mean binary cross-entropy of a batch and its gradient by backpropagation. */
export function mlpLossAndGradient(
  spec: MlpSpec,
  params: Float64Array,
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
): LossAndGradient {
  const rows = labels.length;
  const { layers, count } = mlpLayout(spec);
  const outputs = mlpForward(spec, params, x, rows);
  const bce = bceFromLogits(outputs[outputs.length - 1]!, labels);
  const gradient = new Float64Array(count);
  let dz: Float64Array = bce.gradient;
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const dims: DenseDims = { rows, inputs: layer.inputs, units: layer.units };
    const input = l === 0 ? x : outputs[l - 1]!;
    const { dWeights, dBias } = denseBackwardWeights(dims, input, dz);
    gradient.set(dWeights, layer.weightsOffset);
    gradient.set(dBias, layer.biasOffset);
    if (l > 0) {
      const { w } = slices(params, layer);
      dz = denseBackwardData(dims, dz, w, outputs[l - 1], layers[l - 1]!.activation);
    }
  }
  return { loss: bce.loss, correct: bce.correct, gradient };
}

/** One training step on a batch: forward, BCE, backward, Adam step t (1-based), in place. */
export function mlpTrainStep(
  spec: MlpSpec,
  params: Float64Array,
  state: AdamState,
  config: AdamConfig,
  t: number,
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
): LossAndGradient {
  const result = mlpLossAndGradient(spec, params, x, labels);
  adamStep(params, result.gradient, state, config, t);
  return result;
}
