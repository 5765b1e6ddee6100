import type { Activation } from '../spec/activations.js';
import { activate, activationSlope } from './activations.js';

/** Sizes of one dense layer applied to a batch: X [rows, inputs], W [inputs, units]. */
export interface DenseDims {
  readonly rows: number;
  readonly inputs: number;
  readonly units: number;
}

/** Z = X·W + b in float64 (b omitted: no bias): the pre-activations. */
export function densePreActivation(
  dims: DenseDims,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number> | undefined,
): Float64Array {
  const { rows, inputs, units } = dims;
  const z = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      let sum = b ? b[u]! : 0;
      for (let i = 0; i < inputs; i++) sum += x[r * inputs + i]! * w[i * units + u]!;
      z[r * units + u] = sum;
    }
  }
  return z;
}

/** Y = act(X·W + b) in float64 (b omitted: no bias). Returns Y. `alpha`: leaky_relu's / elu's. */
export function denseForward(
  dims: DenseDims,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number> | undefined,
  activation: Activation,
  alpha?: number,
): Float64Array {
  return densePreActivation(dims, x, w, b).map((z) => activate(activation, z, alpha));
}

/**
 * dZprev = (dZ·Wᵀ) ⊙ act_prev'(Zprev), the derivative taken through Yprev as the kernels do
 * (through Zprev for gelu and swish, which need `zPrev`); with `linear` this is dX = dZ·Wᵀ.
 */
export function denseBackwardData(
  dims: DenseDims,
  dz: ArrayLike<number>,
  w: ArrayLike<number>,
  yPrev: ArrayLike<number> | undefined,
  previousActivation: Activation,
  previousAlpha?: number,
  zPrev?: ArrayLike<number>,
): Float64Array {
  const { rows, inputs, units } = dims;
  const out = new Float64Array(rows * inputs);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inputs; i++) {
      let sum = 0;
      for (let u = 0; u < units; u++) sum += dz[r * units + u]! * w[i * units + u]!;
      const e = r * inputs + i;
      const slope = previousActivation === 'linear' ? 1 : activationSlope(previousActivation, yPrev![e]!, previousAlpha, zPrev?.[e]);
      out[r * inputs + i] = sum * slope;
    }
  }
  return out;
}

/** dW = Xᵀ·dZ and db = Σ_rows dZ. */
export function denseBackwardWeights(
  dims: DenseDims,
  x: ArrayLike<number>,
  dz: ArrayLike<number>,
): { dWeights: Float64Array; dBias: Float64Array } {
  const { rows, inputs, units } = dims;
  const dWeights = new Float64Array(inputs * units);
  const dBias = new Float64Array(units);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      const d = dz[r * units + u]!;
      dBias[u]! += d;
      for (let i = 0; i < inputs; i++) dWeights[i * units + u]! += x[r * inputs + i]! * d;
    }
  }
  return { dWeights, dBias };
}
