import type { NetworkShape } from '../engine/network.js';
import type { LossForm } from '../engine/loss.js';
import type { Activation } from '../kernels/activations.js';
import { activateAll, activationGradient } from './activations.js';
import { bceFromLogits, bceFromProbabilities } from './binary-crossentropy.js';
import { denseBackwardData, denseBackwardWeights, densePreActivation, type DenseDims } from './dense.js';

/**
 * A chain of dense layers in float64, parameters as tensors in Keras order
 * ([W0, b0, W1, b1, ...], no bias tensor for layers without bias). The oracle of whole
 * training steps, and the CPU backend's engine.
 */
export interface LayerTensors {
  readonly kernel: ArrayLike<number>;
  readonly bias: ArrayLike<number> | undefined;
}

/** Pairs up Keras-order tensors with the layers they belong to. */
export function layerTensors(network: NetworkShape, tensors: readonly ArrayLike<number>[]): LayerTensors[] {
  let next = 0;
  return network.layers.map((layer) => ({ kernel: tensors[next++]!, bias: layer.useBias ? tensors[next++]! : undefined }));
}

/** Every layer's output for `rows` rows of x; the last layer uses `finalActivation`. */
export function networkForward(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  rows: number,
  finalActivation: Activation,
): Float64Array[] {
  return networkForwardWithPre(network, tensors, x, rows, finalActivation).outputs;
}

/** networkForward, plus every layer's pre-activations (what gelu's and swish's derivatives need). */
export function networkForwardWithPre(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  rows: number,
  finalActivation: Activation,
): { outputs: Float64Array[]; preActivations: Float64Array[] } {
  const params = layerTensors(network, tensors);
  const outputs: Float64Array[] = [];
  const preActivations: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  network.layers.forEach((layer, i) => {
    const isLast = i === network.layers.length - 1;
    const z = densePreActivation({ rows, inputs: layer.inputs, units: layer.units }, input, params[i]!.kernel, params[i]!.bias);
    // A final activation other than the layer's own (linear logits) has no parameter.
    const activation = isLast ? finalActivation : layer.activation;
    const y = activateAll(activation, z, activation === layer.activation ? layer.alpha : undefined);
    preActivations.push(z);
    outputs.push(y);
    input = y;
  });
  return { outputs, preActivations };
}

export interface NetworkLossAndGradient {
  /** Sum of per-sample losses over the batch. */
  readonly lossSum: number;
  readonly correct: number;
  /** d(mean batch loss)/d(tensor), Keras order. */
  readonly gradients: Float64Array[];
}

/** Binary cross-entropy of one batch and its gradient by backpropagation. */
export function networkLossAndGradient(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
  lossForm: LossForm,
): NetworkLossAndGradient {
  const rows = labels.length;
  const layers = network.layers;
  const last = layers[layers.length - 1]!;
  const { outputs, preActivations } = networkForwardWithPre(network, tensors, x, rows, lossForm === 'logits' ? 'linear' : last.activation);
  const prediction = outputs[outputs.length - 1]!;
  const loss = lossForm === 'logits' ? bceFromLogits(prediction, labels) : bceFromProbabilities(prediction, labels);
  let dz: Float64Array =
    lossForm === 'logits' ? loss.gradient : activationGradient(last.activation, prediction, loss.gradient, last.alpha, preActivations[layers.length - 1]);
  const params = layerTensors(network, tensors);
  const perLayer: { dWeights: Float64Array; dBias: Float64Array }[] = [];
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const dims: DenseDims = { rows, inputs: layer.inputs, units: layer.units };
    perLayer[l] = denseBackwardWeights(dims, l === 0 ? x : outputs[l - 1]!, dz);
    if (l > 0) dz = denseBackwardData(dims, dz, params[l]!.kernel, outputs[l - 1], layers[l - 1]!.activation, layers[l - 1]!.alpha, preActivations[l - 1]);
  }
  const gradients = layers.flatMap((layer, l) => (layer.useBias ? [perLayer[l]!.dWeights, perLayer[l]!.dBias] : [perLayer[l]!.dWeights]));
  return { lossSum: loss.lossSum, correct: loss.correct, gradients };
}
