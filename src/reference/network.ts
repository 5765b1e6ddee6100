import type { NetworkShape } from '../engine/network.js';
import type { LossForm } from '../engine/loss.js';
import type { Activation } from '../kernels/activations.js';
import { activationGradient } from './activations.js';
import { bceFromLogits, bceFromProbabilities } from './binary-crossentropy.js';
import { denseBackwardData, denseBackwardWeights, denseForward, type DenseDims } from './dense.js';
import { applyMask, dropoutMask } from './dropout.js';
import { addRegularizationGradients, regularizationPenalty } from './regularizer.js';

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

/**
 * Every layer's output for `rows` rows of x; the last layer uses `finalActivation`. With
 * `dropoutStep` (training), each layer's inputDropout masks its input with the mask of that
 * optimizer step; without it (inference) dropout is the identity.
 */
export function networkForward(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  rows: number,
  finalActivation: Activation,
  dropoutStep?: number,
): Float64Array[] {
  return forwardPass(network, tensors, x, rows, finalActivation, dropoutStep).outputs;
}

/** Outputs, plus what each layer actually consumed (its input after dropout) and its dropout mask. */
function forwardPass(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  rows: number,
  finalActivation: Activation,
  dropoutStep: number | undefined,
): { outputs: Float64Array[]; inputs: ArrayLike<number>[]; masks: (Float64Array | undefined)[] } {
  const params = layerTensors(network, tensors);
  const outputs: Float64Array[] = [];
  const inputs: ArrayLike<number>[] = [];
  const masks: (Float64Array | undefined)[] = [];
  let input: ArrayLike<number> = x;
  network.layers.forEach((layer, i) => {
    const isLast = i === network.layers.length - 1;
    const dropout = dropoutStep === undefined ? undefined : layer.inputDropout;
    const mask = dropout && dropout.rate > 0 ? dropoutMask(rows, layer.inputs, dropout, dropoutStep!) : undefined;
    if (mask) input = applyMask(input, mask);
    inputs.push(input);
    masks.push(mask);
    const y = denseForward({ rows, inputs: layer.inputs, units: layer.units }, input, params[i]!.kernel, params[i]!.bias, isLast ? finalActivation : layer.activation);
    outputs.push(y);
    input = y;
  });
  return { outputs, inputs, masks };
}

export interface NetworkLossAndGradient {
  /**
   * Sum of per-sample losses over the batch, plus the regularization penalty × rows (Keras
   * adds the penalty to every batch's loss, and its loss tracker weights batches by size).
   */
  readonly lossSum: number;
  /** The regularization penalty alone (0 without regularizers). */
  readonly penalty: number;
  readonly correct: number;
  /** d(mean batch loss)/d(tensor), Keras order. */
  readonly gradients: Float64Array[];
}

/**
 * Binary cross-entropy of one batch (+ the kernel regularizers' penalty) and its gradient by
 * backpropagation. `dropoutStep`: the optimizer step whose dropout masks apply (training);
 * omitted, dropout is off.
 */
export function networkLossAndGradient(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
  lossForm: LossForm,
  dropoutStep?: number,
): NetworkLossAndGradient {
  const rows = labels.length;
  const layers = network.layers;
  const last = layers[layers.length - 1]!;
  const { outputs, inputs, masks } = forwardPass(network, tensors, x, rows, lossForm === 'logits' ? 'linear' : last.activation, dropoutStep);
  const prediction = outputs[outputs.length - 1]!;
  const loss = lossForm === 'logits' ? bceFromLogits(prediction, labels) : bceFromProbabilities(prediction, labels);
  let dz: Float64Array = lossForm === 'logits' ? loss.gradient : activationGradient(last.activation, prediction, loss.gradient);
  const params = layerTensors(network, tensors);
  const perLayer: { dWeights: Float64Array; dBias: Float64Array }[] = [];
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const dims: DenseDims = { rows, inputs: layer.inputs, units: layer.units };
    perLayer[l] = denseBackwardWeights(dims, inputs[l]!, dz);
    if (l === 0) continue;
    // The activation derivative uses the undropped output; the mask scales the same elements.
    dz = denseBackwardData(dims, dz, params[l]!.kernel, outputs[l - 1], layers[l - 1]!.activation);
    if (masks[l]) dz = applyMask(dz, masks[l]!);
  }
  const gradients = layers.flatMap((layer, l) => (layer.useBias ? [perLayer[l]!.dWeights, perLayer[l]!.dBias] : [perLayer[l]!.dWeights]));
  addRegularizationGradients(network, tensors, gradients);
  const penalty = regularizationPenalty(network, tensors);
  return { lossSum: loss.lossSum + penalty * rows, penalty, correct: loss.correct, gradients };
}
