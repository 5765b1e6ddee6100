import type { Activation } from '../kernels/activations.js';

/** act(z) in float64; the oracle for shaders/lib/activation.wgsl. */
export function activate(activation: Activation, z: number): number {
  switch (activation) {
    case 'relu':
      return Math.max(z, 0);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    case 'linear':
      return z;
  }
}

/** act'(z) written through y = act(z), as the kernels compute it (ReLU'(0) = 0). */
export function activationSlope(activation: Activation, y: number): number {
  switch (activation) {
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'linear':
      return 1;
  }
}

export function activateAll(activation: Activation, z: ArrayLike<number>): Float64Array {
  return Float64Array.from(z, (value) => activate(activation, value));
}

/** dz = dy ⊙ act'(y). */
export function activationGradient(activation: Activation, y: ArrayLike<number>, dy: ArrayLike<number>): Float64Array {
  return Float64Array.from(y, (value, i) => (dy[i] ?? NaN) * activationSlope(activation, value));
}
