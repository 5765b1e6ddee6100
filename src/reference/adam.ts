import { adamAlpha, type AdamConfig } from '../spec/optimizer.js';

/** An optimizer's two per-parameter state slots (what they hold: see optimizerEntryPoint). */
export interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
}

export function createAdamState(count: number): AdamState {
  return { m: new Float64Array(count), v: new Float64Array(count) };
}

/** One Keras Adam step (t is 1-based), in place on theta and state; see shaders/optimizers.wgsl. */
export function adamStep(theta: Float64Array, grad: ArrayLike<number>, state: AdamState, config: Omit<AdamConfig, 'name'>, t: number): void {
  const alpha = adamAlpha(config, t);
  const { m, v } = state;
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i]!;
    m[i] = m[i]! + (g - m[i]!) * (1 - config.beta1);
    v[i] = v[i]! + (g * g - v[i]!) * (1 - config.beta2);
    theta[i] = theta[i]! - (m[i]! * alpha) / (Math.sqrt(v[i]!) + config.epsilon);
  }
}
