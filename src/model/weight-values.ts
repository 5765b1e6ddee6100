/**
 * A model's weight values outside the engines: drawn from the layers' seeded initializers, or
 * checked as setWeights receives them (Keras order [W0, b0, W1, b1, ...], kernels row-major).
 */
import { RandomState } from '../data/random.js';
import type { NetworkShape } from '../spec/network.js';
import { ShapeError, ValueError } from '../errors.js';
import { show } from '../show.js';
import { initialize } from './initializers.js';
import { toFloat32 } from './inputs.js';
import type { Dense } from './layers.js';

/** Weights drawn from the Dense layers' initializers, in Keras order, from one stream seeded by `seed`. */
export function initialWeights(network: NetworkShape, dense: readonly Dense[], seed: number): Float32Array[] {
  const rng = new RandomState(seed);
  return network.layers.flatMap((layer, i) => {
    const kernel = initialize(dense[i]!.kernelInitializer, [layer.inputs, layer.units], rng);
    return layer.useBias ? [kernel, initialize(dense[i]!.biasInitializer, [layer.units], rng)] : [kernel];
  });
}

/** setWeights's argument, checked against the network's shapes, as Float32Arrays. */
export function checkedWeights(weights: readonly ArrayLike<number>[], network: NetworkShape): Float32Array[] {
  const shapes = network.layers.flatMap((l) => (l.useBias ? [[l.inputs, l.units], [l.units]] : [[l.inputs, l.units]]));
  if (!Array.isArray(weights)) throw new ValueError('setWeights takes an array of weight arrays, as getWeights returns.');
  if (weights.length !== shapes.length) throw new ShapeError(`setWeights expects ${shapes.length} arrays, got ${weights.length}.`);
  return weights.map((w: unknown, i) => {
    const size = shapes[i]!.reduce((a, b) => a * b, 1);
    const length = typeof w === 'object' && w !== null && 'length' in w ? w.length : undefined;
    if (length !== size)
      throw new ShapeError(
        `Weight ${i} needs shape [${shapes[i]!.join(', ')}] (${size} values), got ${length === undefined ? show(w) : length}.`,
      );
    return toFloat32(w, `Weight ${i}`);
  });
}
