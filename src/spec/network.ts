import { ValueError } from '../errors.js';
import type { Activation } from './activations.js';

/**
 * A layer's activation: an element-wise one (fused into the dense kernels), or `softmax`, which
 * is row-wise and only allowed on the output layer (fused into the categorical losses, its own
 * dispatch in predict).
 */
export type LayerActivation = Activation | 'softmax';

/** What the engine needs to know about one dense layer. */
export interface DenseLayerShape {
  readonly inputs: number;
  readonly units: number;
  readonly activation: LayerActivation;
  /** leaky_relu's negative slope / elu's scale; the Keras default (0.2 / 1.0) when omitted. */
  readonly alpha?: number;
  readonly useBias: boolean;
  /** L1/L2 penalty on the kernel (Keras kernel_regularizer): l1·Σ|W| + l2·ΣW², added to the loss. */
  readonly kernelRegularizer?: { readonly l1: number; readonly l2: number };
  /**
   * Dropout applied to this layer's input in training only (a Dropout layer just before it);
   * the mask is a hash of (seed, optimizer step, batch row, input unit), see reference/dropout.ts.
   */
  readonly inputDropout?: { readonly rate: number; readonly seed: number };
}

/** A chain of dense layers; layer i's units are layer i+1's inputs. */
export interface NetworkShape {
  readonly layers: readonly DenseLayerShape[];
}

/** One trainable tensor: a layer's kernel or its bias. */
export interface TensorRef {
  readonly layer: number;
  readonly part: 'kernel' | 'bias';
}

/** Every trainable tensor in Keras's get_weights order: [kernel 0, bias 0, kernel 1, ...], a bias only where useBias. */
export function tensorRefs(network: NetworkShape): TensorRef[] {
  return network.layers.flatMap((layer, index): TensorRef[] =>
    layer.useBias
      ? [
          { layer: index, part: 'kernel' },
          { layer: index, part: 'bias' },
        ]
      : [{ layer: index, part: 'kernel' }],
  );
}

/** True when some layer has a kernel regularizer with a nonzero coefficient. */
export function hasRegularizers(network: NetworkShape): boolean {
  return network.layers.some((l) => l.kernelRegularizer !== undefined && (l.kernelRegularizer.l1 !== 0 || l.kernelRegularizer.l2 !== 0));
}

/** True when layer `layer` drops part of its input in training. */
export function hasInputDropout(layer: DenseLayerShape): boolean {
  return layer.inputDropout !== undefined && layer.inputDropout.rate > 0;
}

/** The activation of a hidden layer, which is never softmax (Sequential refuses it there). */
export function hiddenActivation(layer: DenseLayerShape): Activation {
  if (layer.activation === 'softmax') throw new ValueError('softmax is only supported on the output layer.');
  return layer.activation;
}
