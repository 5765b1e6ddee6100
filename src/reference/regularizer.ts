import type { NetworkShape } from '../spec/network.js';

/** Indices, in Keras weight order ([W0, b0, W1, ...]), of every layer's kernel. */
function kernelIndices(network: NetworkShape): number[] {
  let next = 0;
  return network.layers.map((layer) => {
    const index = next;
    next += layer.useBias ? 2 : 1;
    return index;
  });
}

/** Keras's L1L2 penalty summed over layers: Σ (l1·Σ|W| + l2·ΣW²). Biases are not regularized. */
export function regularizationPenalty(network: NetworkShape, tensors: readonly ArrayLike<number>[]): number {
  const kernels = kernelIndices(network);
  let penalty = 0;
  network.layers.forEach((layer, i) => {
    const coefficients = layer.kernelRegularizer;
    if (!coefficients) return;
    const w = tensors[kernels[i]!]!;
    let abs = 0;
    let squares = 0;
    for (let k = 0; k < w.length; k++) {
      abs += Math.abs(w[k]!);
      squares += w[k]! * w[k]!;
    }
    penalty += coefficients.l1 * abs + coefficients.l2 * squares;
  });
  return penalty;
}

/** Adds the penalty's gradient, l1·sign(W) + 2·l2·W (sign(0) = 0, as TensorFlow), in place. */
export function addRegularizationGradients(
  network: NetworkShape,
  tensors: readonly ArrayLike<number>[],
  gradients: readonly Float64Array[],
): void {
  const kernels = kernelIndices(network);
  network.layers.forEach((layer, i) => {
    const coefficients = layer.kernelRegularizer;
    if (!coefficients) return;
    const w = tensors[kernels[i]!]!;
    const g = gradients[kernels[i]!]!;
    for (let k = 0; k < w.length; k++) g[k] = g[k]! + coefficients.l1 * Math.sign(w[k]!) + 2 * coefficients.l2 * w[k]!;
  });
}
