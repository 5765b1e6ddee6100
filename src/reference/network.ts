import { hiddenActivation, type LayerActivation, type NetworkShape } from '../spec/network.js';
import { trainingOutputActivation, type LossSpec } from '../spec/loss.js';
import { activateAll, activationGradient } from './activations.js';
import { bceFromLogits, bceFromProbabilities } from './binary-crossentropy.js';
import { meanSquaredError } from './mean-squared-error.js';
import { softmaxCrossentropy, softmaxRows, type LossResult } from './softmax-crossentropy.js';
import { denseBackwardData, denseBackwardWeights, densePreActivation, type DenseDims } from './dense.js';
import { applyMask, dropoutMask } from './dropout.js';
import { addRegularizationGradients, regularizationPenalty } from './regularizer.js';

/**
 * A chain of dense layers in float64, parameters as tensors in Keras order
 * ([W0, b0, W1, b1, ...], no bias tensor for layers without bias). The oracle of whole
 * training steps, and the CPU backend's engine.
 */
interface LayerTensors {
  readonly kernel: ArrayLike<number>;
  readonly bias: ArrayLike<number> | undefined;
}

/** Pairs up Keras-order tensors with the layers they belong to. */
function layerTensors(network: NetworkShape, tensors: readonly ArrayLike<number>[]): LayerTensors[] {
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
  finalActivation: LayerActivation,
  dropoutStep?: number,
): Float64Array[] {
  return networkForwardWithPre(network, tensors, x, rows, finalActivation, dropoutStep).outputs;
}

/**
 * networkForward, plus every layer's pre-activations (what gelu's and swish's derivatives
 * need), what each layer actually consumed (its input after dropout) and its dropout mask.
 */
function networkForwardWithPre(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  rows: number,
  finalActivation: LayerActivation,
  dropoutStep?: number,
): { outputs: Float64Array[]; preActivations: Float64Array[]; inputs: ArrayLike<number>[]; masks: (Float64Array | undefined)[] } {
  const params = layerTensors(network, tensors);
  const outputs: Float64Array[] = [];
  const preActivations: Float64Array[] = [];
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
    const z = densePreActivation({ rows, inputs: layer.inputs, units: layer.units }, input, params[i]!.kernel, params[i]!.bias);
    const activation = isLast ? finalActivation : hiddenActivation(layer);
    // A final activation other than the layer's own (linear logits) has no parameter.
    const y =
      activation === 'softmax'
        ? softmaxRows(z, rows, layer.units)
        : activateAll(activation, z, activation === layer.activation ? layer.alpha : undefined);
    preActivations.push(z);
    outputs.push(y);
    input = y;
  });
  return { outputs, preActivations, inputs, masks };
}

export interface NetworkLossAndGradient {
  /**
   * Sum of per-sample losses over the batch, each times its sample weight, plus the
   * regularization penalty × rows (Keras adds the penalty to every batch's loss, and its loss
   * tracker weights batches by size).
   */
  readonly lossSum: number;
  /** The regularization penalty alone (0 without regularizers). */
  readonly penalty: number;
  readonly correct: number;
  /** Σ over rows of the row's mean squared / absolute error (the mse/mae metrics). */
  readonly squaredError: number;
  readonly absoluteError: number;
  /** d(Σ w·loss / rows)/d(tensor), Keras order. */
  readonly gradients: Float64Array[];
}

/**
 * The loss of a batch from the output layer's output (logits for a logits-form loss) and its
 * gradient with respect to that output; `targets` is rows × targetColumns.
 */
export function lossOf(
  loss: LossSpec,
  prediction: Float64Array,
  targets: ArrayLike<number>,
  rows: number,
  units: number,
  weights?: ArrayLike<number>,
): LossResult {
  switch (loss.kind) {
    case 'binary_crossentropy':
      return loss.form === 'logits' ? bceFromLogits(prediction, targets, weights) : bceFromProbabilities(prediction, targets, weights);
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy':
      return softmaxCrossentropy(prediction, targets, rows, units, loss.kind === 'sparse_categorical_crossentropy', weights);
    case 'mean_squared_error':
      return meanSquaredError(prediction, targets, rows, units, weights);
  }
}

/**
 * One batch's loss (+ the kernel regularizers' penalty) and its gradient by backpropagation. `weights`: Keras's per-sample weights
 * (sum_over_batch_size reduction). `dropoutStep`: the optimizer step whose dropout masks apply
 * (training); omitted, dropout is off.
 */
export function networkLossAndGradient(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  targets: ArrayLike<number>,
  loss: LossSpec,
  weights?: ArrayLike<number>,
  dropoutStep?: number,
): NetworkLossAndGradient {
  const layers = network.layers;
  const rows = x.length / layers[0]!.inputs;
  const last = layers[layers.length - 1]!;
  const outputActivation = trainingOutputActivation(loss, last.activation);
  const { outputs, preActivations, inputs, masks } = networkForwardWithPre(network, tensors, x, rows, outputActivation, dropoutStep);
  const prediction = outputs[outputs.length - 1]!;
  const result = lossOf(loss, prediction, targets, rows, last.units, weights);
  const outputAlpha = outputActivation === last.activation ? last.alpha : undefined;
  let dz: Float64Array =
    outputActivation === 'linear'
      ? result.gradient
      : activationGradient(outputActivation, prediction, result.gradient, outputAlpha, preActivations[layers.length - 1]);
  const params = layerTensors(network, tensors);
  const perLayer: { dWeights: Float64Array; dBias: Float64Array }[] = [];
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const dims: DenseDims = { rows, inputs: layer.inputs, units: layer.units };
    perLayer[l] = denseBackwardWeights(dims, inputs[l]!, dz);
    if (l === 0) continue;
    // The activation derivative uses the undropped output; the mask scales the same elements.
    const previous = layers[l - 1]!;
    dz = denseBackwardData(dims, dz, params[l]!.kernel, outputs[l - 1], hiddenActivation(previous), previous.alpha, preActivations[l - 1]);
    if (masks[l]) dz = applyMask(dz, masks[l]!);
  }
  const gradients = layers.flatMap((layer, l) => (layer.useBias ? [perLayer[l]!.dWeights, perLayer[l]!.dBias] : [perLayer[l]!.dWeights]));
  addRegularizationGradients(network, tensors, gradients);
  const penalty = regularizationPenalty(network, tensors);
  const { lossSum, correct, squaredError, absoluteError } = result;
  return { lossSum: lossSum + penalty * rows, penalty, correct, squaredError, absoluteError, gradients };
}
