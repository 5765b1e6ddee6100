import { ValueError } from '../errors.js';
import { ADAM_DEFAULTS, type AdamConfig } from '../kernels/adam.js';

export interface AdamOptions {
  /** Step size (default 0.001). */
  readonly learningRate?: number;
  /** Decay of the first-moment average (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second-moment average (default 0.999). */
  readonly beta2?: number;
  /** Keras's "epsilon hat", added to √v (default 1e-7). */
  readonly epsilon?: number;
}

/**
 * Adam with Keras's formula and defaults. `learningRate` can be changed at any time, also
 * during fit; the change takes effect at the next epoch's first step.
 *
 * @example
 * model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy' });
 */
export class Adam {
  readonly name = 'adam';
  private config: AdamConfig;

  constructor(options: AdamOptions = {}) {
    this.config = { ...ADAM_DEFAULTS };
    this.update(options);
  }

  get learningRate(): number {
    return this.config.learningRate;
  }

  set learningRate(value: number) {
    this.update({ learningRate: value });
  }

  /** The hyperparameters as the GPU kernel takes them. */
  get hyperparameters(): AdamConfig {
    return this.config;
  }

  private update(options: AdamOptions): void {
    const next = { ...this.config, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    if (!Number.isFinite(next.learningRate) || next.learningRate < 0) {
      throw new ValueError(`Adam learningRate must be a finite number ≥ 0, got ${next.learningRate}.`);
    }
    for (const key of ['beta1', 'beta2'] as const) {
      if (!Number.isFinite(next[key]) || next[key] < 0 || next[key] >= 1) {
        throw new ValueError(`Adam ${key} must be in [0, 1), got ${next[key]}.`);
      }
    }
    if (!Number.isFinite(next.epsilon) || next.epsilon <= 0) {
      throw new ValueError(`Adam epsilon must be a finite number > 0, got ${next.epsilon}.`);
    }
    this.config = next;
  }
}

export const OPTIMIZERS = ['adam'] as const;

export function resolveOptimizer(optimizer: unknown): Adam {
  if (optimizer instanceof Adam) return optimizer;
  if (optimizer === 'adam' || optimizer === 'Adam') return new Adam();
  throw new ValueError(`Unknown optimizer ${JSON.stringify(optimizer)}; expected one of: ${OPTIMIZERS.join(', ')}, or an Adam instance.`);
}
