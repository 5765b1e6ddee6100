import type { NetworkShape } from '../../src/spec/network.js';
import { f32, randomArray } from './numeric.js';

/** Keras-order tensors of `net` from `seed`, f32-representable: Glorot-like kernels, small biases. */
export function tensorsFor(net: NetworkShape, seed: number): Float64Array[] {
  return net.layers.flatMap((layer, i) => {
    const limit = Math.sqrt(6 / (layer.inputs + layer.units));
    const kernel = f32(randomArray(layer.inputs * layer.units, seed + 2 * i, -limit, limit));
    return layer.useBias ? [kernel, f32(randomArray(layer.units, seed + 2 * i + 1, -0.1, 0.1))] : [kernel];
  });
}
