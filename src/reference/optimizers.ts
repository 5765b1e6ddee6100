import { adamAlpha, learningRateAt, type AdamConfig, type OptimizerConfig } from '../spec/optimizer.js';
import { UnsupportedError } from '../errors.js';

/** The two state slots every optimizer uses (same layout as the GPU's m and v buffers). */
export interface OptimizerState {
  readonly m: Float64Array;
  readonly v: Float64Array;
}

/** Zeroed state for `count` parameters: a fresh optimizer. */
export function createOptimizerState(count: number): OptimizerState {
  return { m: new Float64Array(count), v: new Float64Array(count) };
}

/** One Keras Adam step (t is 1-based), in place on theta and state; see shaders/optimizers.wgsl. */
export function adamStep(
  theta: Float64Array,
  grad: ArrayLike<number>,
  state: OptimizerState,
  config: Omit<AdamConfig, 'name'>,
  t: number,
): void {
  const alpha = adamAlpha(config, t);
  const { m, v } = state;
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i]!;
    m[i] = m[i]! + (g - m[i]!) * (1 - config.beta1);
    v[i] = v[i]! + (g * g - v[i]!) * (1 - config.beta2);
    theta[i] = theta[i]! - (m[i]! * alpha) / (Math.sqrt(v[i]!) + config.epsilon);
  }
}

/**
 * One step (t is 1-based) of any optimizer, in place, in float64, with Keras 3's formulas
 * (keras/src/optimizers/*.py); see shaders/optimizers.wgsl for what m and v hold.
 */
export function optimizerStep(
  theta: Float64Array,
  grad: ArrayLike<number>,
  state: OptimizerState,
  config: OptimizerConfig,
  t: number,
): void {
  const lr = learningRateAt(config.learningRate, t - 1);
  const { m, v } = state;
  switch (config.name) {
    case 'sgd': {
      const { momentum, nesterov } = config;
      for (let i = 0; i < theta.length; i++) {
        const g = grad[i]!;
        if (momentum === 0) {
          theta[i] = theta[i]! - lr * g;
          continue;
        }
        m[i] = momentum * m[i]! - lr * g;
        theta[i] = theta[i]! + (nesterov ? momentum * m[i]! - lr * g : m[i]!);
      }
      return;
    }
    case 'rmsprop': {
      const { rho, momentum, epsilon, centered } = config;
      if (centered && momentum > 0) throw new UnsupportedError('RMSprop with centered: true and momentum > 0 is not supported.');
      for (let i = 0; i < theta.length; i++) {
        const g = grad[i]!;
        v[i] = rho * v[i]! + (1 - rho) * g * g;
        let denominator = v[i]!;
        if (centered) {
          m[i] = rho * m[i]! + (1 - rho) * g;
          denominator -= m[i]! * m[i]!;
        }
        const increment = (lr * g) / Math.sqrt(denominator + epsilon);
        if (momentum > 0) {
          m[i] = momentum * m[i]! + increment;
          theta[i] = theta[i]! - m[i]!;
        } else {
          theta[i] = theta[i]! - increment;
        }
      }
      return;
    }
    case 'adagrad': {
      // v holds accumulator − initialAccumulatorValue, so zeroed state is a fresh accumulator.
      for (let i = 0; i < theta.length; i++) {
        const g = grad[i]!;
        v[i] = v[i]! + g * g;
        theta[i] = theta[i]! - (lr * g) / Math.sqrt(v[i]! + config.initialAccumulatorValue + config.epsilon);
      }
      return;
    }
    case 'adamw':
      // Keras applies the decoupled decay to the variable before the update.
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - theta[i]! * config.weightDecay * lr;
      adamStep(theta, grad, state, config, t);
      return;
    case 'adam':
      adamStep(theta, grad, state, config, t);
      return;
  }
}
