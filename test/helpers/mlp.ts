import type { NetworkShape } from '../../src/spec/network.js';
import type { OptimizerConfig } from '../../src/spec/optimizer.js';
import type { Activation } from '../../src/spec/activations.js';
import { optimizerStep, type OptimizerState } from '../../src/reference/optimizers.js';
import { networkForward, networkLossAndGradient } from '../../src/reference/network.js';

/**
 * Test helper over the float64 reference: a multilayer perceptron for binary classification
 * over one flat parameter vector, the shape most tests use. The output layer has one unit with a sigmoid, trained through the
 * fused logits form of binary cross-entropy (as Keras's TensorFlow backend does).
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
  for (const layer of [...spec.hidden, { units: 1, activation: 'sigmoid' as const }]) {
    layers.push({
      inputs,
      units: layer.units,
      activation: layer.activation,
      weightsOffset: offset,
      biasOffset: offset + inputs * layer.units,
    });
    offset += inputs * layer.units + layer.units;
    inputs = layer.units;
  }
  return { layers, count: offset };
}

function networkOf(spec: MlpSpec): NetworkShape {
  return { layers: mlpLayout(spec).layers.map(({ inputs, units, activation }) => ({ inputs, units, activation, useBias: true })) };
}

function tensorsOf(spec: MlpSpec, params: Float64Array): Float64Array[] {
  return mlpLayout(spec).layers.flatMap((l) => [
    params.subarray(l.weightsOffset, l.biasOffset),
    params.subarray(l.biasOffset, l.biasOffset + l.units),
  ]);
}

/** Per-layer outputs; the last is the logits (the output sigmoid is left to the loss). */
export function mlpForward(spec: MlpSpec, params: Float64Array, x: ArrayLike<number>, rows: number): Float64Array[] {
  return networkForward(networkOf(spec), tensorsOf(spec, params), x, rows, 'linear');
}

export interface LossAndGradient {
  readonly loss: number;
  readonly correct: number;
  /** d(mean batch loss)/d(params), same layout as the parameters. */
  readonly gradient: Float64Array;
}

/** Mean binary cross-entropy of a batch and its gradient by backpropagation. */
export function mlpLossAndGradient(spec: MlpSpec, params: Float64Array, x: ArrayLike<number>, labels: ArrayLike<number>): LossAndGradient {
  const result = networkLossAndGradient(networkOf(spec), tensorsOf(spec, params), x, labels, {
    kind: 'binary_crossentropy',
    form: 'logits',
  });
  const gradient = new Float64Array(params.length);
  let offset = 0;
  for (const g of result.gradients) {
    gradient.set(g, offset);
    offset += g.length;
  }
  return { loss: result.lossSum / labels.length, correct: result.correct, gradient };
}

/** One training step on a batch: forward, BCE, backward, optimizer step t (1-based), in place. */
export function mlpTrainStep(
  spec: MlpSpec,
  params: Float64Array,
  state: OptimizerState,
  config: OptimizerConfig,
  t: number,
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
): LossAndGradient {
  const result = mlpLossAndGradient(spec, params, x, labels);
  optimizerStep(params, result.gradient, state, config, t);
  return result;
}
