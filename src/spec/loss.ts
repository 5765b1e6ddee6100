import type { Activation } from './activations.js';
import type { LayerActivation } from './network.js';

/**
 * How the loss meets the network's output:
 * - `logits`: the output layer runs linear and the loss applies its own squashing (sigmoid for
 *   binary cross-entropy, softmax for the categorical ones) in the stable fused form (Keras
 *   with a sigmoid/softmax output on TensorFlow, or from_logits=True);
 * - `probabilities`: the output layer applies its activation and the loss works on its output
 *   (Keras's clipped binary cross-entropy; mean squared error).
 */
export type LossForm = 'logits' | 'probabilities';

/** The losses the engines implement (Keras's names). */
export type LossKind = 'binary_crossentropy' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'mean_squared_error';

/** What the engine needs to know about the loss. */
export interface LossSpec {
  readonly kind: LossKind;
  readonly form: LossForm;
}

/** Target values per row: one integer label for the sparse loss, else one per output unit. */
export function targetColumns(loss: LossSpec, units: number): number {
  return loss.kind === 'sparse_categorical_crossentropy' ? 1 : units;
}

/**
 * The activation the forward pass applies on the output layer under this loss: none for a
 * logits-form loss (the loss kernel squashes), else the layer's own (never softmax: softmax
 * outputs only meet the categorical losses, which always take logits).
 */
export function trainingOutputActivation(loss: LossSpec, activation: LayerActivation): Activation {
  if (loss.form === 'logits' || activation === 'softmax') return 'linear';
  return activation;
}

/** The loss spec of a compiled loss: its Keras name and the form in which it meets the output layer. */
export function toLossSpec(compiled: { readonly lossKind: LossKind; readonly lossForm: LossForm }): LossSpec {
  return { kind: compiled.lossKind, form: compiled.lossForm };
}
