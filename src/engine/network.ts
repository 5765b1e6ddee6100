import { ValueError } from '../errors.js';
import type { Activation } from '../kernels/activations.js';

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
  readonly useBias: boolean;
}

/** A chain of dense layers; layer i's units are layer i+1's inputs. */
export interface NetworkShape {
  readonly layers: readonly DenseLayerShape[];
}

export function inputWidth(network: NetworkShape): number {
  return network.layers[0]?.inputs ?? 0;
}

export function outputWidth(network: NetworkShape): number {
  return network.layers[network.layers.length - 1]?.units ?? 0;
}

/** The activation of a hidden layer, which is never softmax (Sequential refuses it there). */
export function hiddenActivation(layer: DenseLayerShape): Activation {
  if (layer.activation === 'softmax') throw new ValueError('softmax is only supported on the output layer.');
  return layer.activation;
}
