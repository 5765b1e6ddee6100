import { ValueError } from '../errors.js';
import { show } from '../show.js';

/** Activations the GPU kernels implement; codes match shaders/lib/activation_functions.wgsl. */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'leaky_relu', 'elu', 'gelu', 'softplus', 'swish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The WGSL code of an activation; throws a ValueError listing the valid names. */
export function activationCode(name: string): number {
  const code = (ACTIVATIONS as readonly string[]).indexOf(name);
  if (code < 0) {
    throw new ValueError(`Unknown activation '${name}'; expected one of: ${ACTIVATIONS.join(', ')}.`);
  }
  return code;
}

/**
 * Activations with a parameter `alpha`, and its default: leaky_relu's negative slope (0.2, as
 * keras.activations.leaky_relu) and elu's scale of the negative part (1.0, keras.activations.elu).
 */
export const ACTIVATION_ALPHA_DEFAULTS: Readonly<Partial<Record<Activation, number>>> = Object.freeze({ leaky_relu: 0.2, elu: 1 });

/** The default alpha of `activation` (any layer activation name, softmax included), if it has one. */
export function defaultAlpha(activation: string): number | undefined {
  return (ACTIVATION_ALPHA_DEFAULTS as Readonly<Record<string, number | undefined>>)[activation];
}

export function hasAlpha(activation: string): boolean {
  return defaultAlpha(activation) !== undefined;
}

/**
 * Checks an `alpha` given for `activation` and returns the value the kernels use: the given
 * one, the activation's default, or 0 for activations without a parameter (never read there).
 * Throws a ValueError for an alpha given to an activation that has none, or one that is not a
 * finite number ≥ 0. Why ≥ 0: Keras's LeakyReLU layer rejects a negative slope too, and both
 * derivatives are computed from the layer's OUTPUT, which tells the positive branch from the
 * negative one only when alpha ≥ 0 (a negative alpha maps negative inputs to positive outputs).
 * alpha = 0 is allowed (leaky_relu and elu then equal relu).
 */
export function resolveAlpha(activation: string, alpha: number | undefined, what = 'alpha'): number {
  const fallback = defaultAlpha(activation);
  if (alpha === undefined) return fallback ?? 0;
  if (fallback === undefined) {
    throw new ValueError(
      `${what} is only for the activations ${Object.keys(ACTIVATION_ALPHA_DEFAULTS).join(' and ')}; '${activation}' has no parameter.`,
    );
  }
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new ValueError(`${what} of '${activation}' must be a finite number ≥ 0, got ${show(alpha)}.`);
  }
  return alpha;
}

/**
 * True for activations whose derivative the kernels compute from the pre-activation z rather
 * than from the output y: gelu and swish, which are not invertible from y. Training stores z
 * for those layers only (see ForwardChain).
 */
export function slopeNeedsPreActivation(activation: Activation): boolean {
  return activation === 'gelu' || activation === 'swish';
}
