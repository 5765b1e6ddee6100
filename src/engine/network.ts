import type { Activation } from '../kernels/activations.js';

/** What the engine needs to know about one dense layer. */
export interface DenseLayerShape {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
  /** leaky_relu's negative slope / elu's scale; the Keras default (0.2 / 1.0) when omitted. */
  readonly alpha?: number;
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
