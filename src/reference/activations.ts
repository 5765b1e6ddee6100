import { resolveAlpha, slopeNeedsPreActivation, type Activation } from '../spec/activations.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * erf(x) in float64 (JavaScript has none), to ~1e-15: for |x| < 2.5 the series
 * erf(x) = 2/√π·e^{−x²}·Σ (2x²)ⁿ·x / (1·3·…·(2n+1)), whose terms are all positive (no
 * cancellation); beyond, 1 − erfc(x).
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (!(a < 2.5)) return Number.isNaN(x) ? NaN : Math.sign(x) * (1 - erfc(a));
  let term = a;
  let sum = a;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
}

/**
 * erfc(x) = 1 − erf(x) in float64, relatively accurate in the tail: for x ≥ 2.5 Laplace's
 * continued fraction e^{−x²}/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up
 * from 120 terms (converged to ~1e-16 at x = 2.5, faster beyond).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2.5) return x > -2.5 ? 1 - erf(x) : 2 - erfc(-x);
  if (x === Infinity) return 0;
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + k / 2 / f;
  return (Math.exp(-x * x) * INV_SQRT_PI) / f;
}

/** Φ(z), the standard normal CDF, relatively accurate in both tails. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * act(z) in float64; the oracle for shaders/lib/activation_functions.wgsl. `alpha` is leaky_relu's
 * negative slope or elu's scale (their Keras defaults, 0.2 and 1, when omitted).
 */
export function activate(activation: Activation, z: number, alpha?: number): number {
  switch (activation) {
    case 'relu':
      return Math.max(z, 0);
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return Math.tanh(z);
    case 'linear':
      return z;
    case 'leaky_relu':
      return z > 0 ? z : resolveAlpha(activation, alpha) * z;
    case 'elu':
      return z > 0 ? z : resolveAlpha(activation, alpha) * Math.expm1(z);
    case 'gelu':
      return z * normalCdf(z);
    case 'softplus':
      return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    case 'swish':
      return z * sigmoid(z);
  }
}

/**
 * act'(z) as the kernels compute it: through y = act(z) (ReLU'(0) = 0; leaky_relu's and elu's
 * slope at 0 is alpha), or through z for gelu and swish, which then need `z`.
 */
export function activationSlope(activation: Activation, y: number, alpha?: number, z?: number): number {
  switch (activation) {
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'linear':
      return 1;
    case 'leaky_relu':
      return y > 0 ? 1 : resolveAlpha(activation, alpha);
    case 'elu':
      return y > 0 ? 1 : y + resolveAlpha(activation, alpha);
    case 'softplus':
      return -Math.expm1(-y);
    case 'gelu':
    case 'swish': {
      if (z === undefined) throw new Error(`activationSlope: '${activation}' needs the pre-activation z.`);
      if (activation === 'gelu') return normalCdf(z) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI;
      const s = sigmoid(z);
      return s * (1 + z * (1 - s));
    }
  }
}

export function activateAll(activation: Activation, z: ArrayLike<number>, alpha?: number): Float64Array {
  return Float64Array.from(z, (value) => activate(activation, value, alpha));
}

/** dz = dy ⊙ act'(z), from y (and z, required for gelu and swish: slopeNeedsPreActivation). */
export function activationGradient(
  activation: Activation,
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
  alpha?: number,
  z?: ArrayLike<number>,
): Float64Array {
  if (slopeNeedsPreActivation(activation) && !z) throw new Error(`activationGradient: '${activation}' needs the pre-activations z.`);
  return Float64Array.from(y, (value, i) => (dy[i] ?? NaN) * activationSlope(activation, value, alpha, z?.[i]));
}
