import { ValueError } from '../errors.js';

/** Activations the GPU kernels implement; codes match shaders/lib/activation.wgsl. */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The WGSL code of an activation; throws a ValueError listing the valid names. */
export function activationCode(name: string): number {
  const code = (ACTIVATIONS as readonly string[]).indexOf(name);
  if (code < 0) {
    throw new ValueError(`Unknown activation '${name}'; expected one of: ${ACTIVATIONS.join(', ')}.`);
  }
  return code;
}
