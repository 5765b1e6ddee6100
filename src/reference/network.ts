import type { NetworkShape } from '../engine/network.js';
import type { LossForm } from '../engine/loss.js';
import type { Activation } from '../kernels/activations.js';
import { activationGradient } from './activations.js';
import { bceFromLogits, bceFromProbabilities } from './binary-crossentropy.js';
import { denseBackwardData, denseBackwardWeights, denseForward, type DenseDims } from './dense.js';

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
  const params = layerTensors(network, tensors);
  const outputs: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  network.layers.forEach((layer, i) => {
    const isLast = i === network.layers.length - 1;
    const y = denseForward({ rows, inputs: layer.inputs, units: layer.units }, input, params[i]!.kernel, params[i]!.bias, isLast ? finalActivation : layer.activation);
    outputs.push(y);
    input = y;
  });
  return outputs;
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
  const outputs = networkForward(network, tensors, x, rows, lossForm === 'logits' ? 'linear' : last.activation);
  const prediction = outputs[outputs.length - 1]!;
  const loss = lossForm === 'logits' ? bceFromLogits(prediction, labels) : bceFromProbabilities(prediction, labels);
  let dz: Float64Array = lossForm === 'logits' ? loss.gradient : activationGradient(last.activation, prediction, loss.gradient);
  const params = layerTensors(network, tensors);
  const perLayer: { dWeights: Float64Array; dBias: Float64Array }[] = [];
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const dims: DenseDims = { rows, inputs: layer.inputs, units: layer.units };
    perLayer[l] = denseBackwardWeights(dims, l === 0 ? x : outputs[l - 1]!, dz);
    if (l > 0) dz = denseBackwardData(dims, dz, params[l]!.kernel, outputs[l - 1], layers[l - 1]!.activation);
  }
  const gradients = layers.flatMap((layer, l) => (layer.useBias ? [perLayer[l]!.dWeights, perLayer[l]!.dBias] : [perLayer[l]!.dWeights]));
  return { lossSum: loss.lossSum, correct: loss.correct, gradients };
}
