/**
 * What the engines need to know about an optimizer and its learning rate, as plain data (it
 * crosses to a Web Worker by structured clone): the `OptimizerConfig` union, and the
 * learning-rate schedules evaluated on the CPU at the optimizer's iteration count.
 */

/** keras.optimizers.schedules.ExponentialDecay: lr₀ · rate^(step / decaySteps), floored with staircase. */
export interface ExponentialDecayConfig {
  readonly kind: 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
}

/** keras.optimizers.schedules.PiecewiseConstantDecay: values[i] while boundaries[i−1] < step ≤ boundaries[i]. */
export interface PiecewiseConstantDecayConfig {
  readonly kind: 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
}

/** keras.optimizers.schedules.CosineDecay, with its optional linear warmup. */
export interface CosineDecayConfig {
  readonly kind: 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  /** Learning rate reached at the end of the warmup; no warmup when undefined. */
  readonly warmupTarget: number | undefined;
  readonly warmupSteps: number;
}

export type ScheduleConfig = ExponentialDecayConfig | PiecewiseConstantDecayConfig | CosineDecayConfig;

/** A constant learning rate, or a schedule of the iteration count. */
export type LearningRateConfig = number | ScheduleConfig;

export interface SgdConfig {
  readonly name: 'sgd';
  readonly learningRate: LearningRateConfig;
  readonly momentum: number;
  readonly nesterov: boolean;
}

export interface RmspropConfig {
  readonly name: 'rmsprop';
  readonly learningRate: LearningRateConfig;
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
}

export interface AdagradConfig {
  readonly name: 'adagrad';
  readonly learningRate: LearningRateConfig;
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
}

export interface AdamConfig {
  readonly name: 'adam';
  readonly learningRate: LearningRateConfig;
  readonly beta1: number;
  readonly beta2: number;
  /** Keras's "epsilon hat", added to √v. */
  readonly epsilon: number;
}

export interface AdamwConfig extends Omit<AdamConfig, 'name'> {
  readonly name: 'adamw';
  readonly weightDecay: number;
}

/** Every optimizer the engines run, with Keras 3's hyperparameters. */
export type OptimizerConfig = SgdConfig | RmspropConfig | AdagradConfig | AdamConfig | AdamwConfig;

export type OptimizerName = OptimizerConfig['name'];

/** Keras 3 defaults (keras/src/optimizers/*.py). */
export const SGD_DEFAULTS: SgdConfig = { name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false };
export const RMSPROP_DEFAULTS: RmspropConfig = {
  name: 'rmsprop',
  learningRate: 0.001,
  rho: 0.9,
  momentum: 0,
  epsilon: 1e-7,
  centered: false,
};
export const ADAGRAD_DEFAULTS: AdagradConfig = { name: 'adagrad', learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 };
export const ADAM_DEFAULTS: AdamConfig = { name: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
export const ADAMW_DEFAULTS: AdamwConfig = { ...ADAM_DEFAULTS, name: 'adamw', weightDecay: 0.004 };

/**
 * Per-parameter state variables Keras keeps for this configuration (what its summary counts
 * as optimizer params, besides `iterations` and the learning rate).
 */
export function stateSlotsPerParameter(config: OptimizerConfig): number {
  switch (config.name) {
    case 'sgd':
      return config.momentum === 0 ? 0 : 1;
    case 'rmsprop':
      return 1 + (config.momentum > 0 ? 1 : 0) + (config.centered ? 1 : 0);
    case 'adagrad':
      return 1;
    case 'adam':
    case 'adamw':
      return 2;
  }
}

/**
 * The schedule's value at `step` (Keras 3's formulas, keras/src/optimizers/schedules/
 * learning_rate_schedule.py), in float64.
 */
export function scheduleValue(schedule: ScheduleConfig, step: number): number {
  switch (schedule.kind) {
    case 'ExponentialDecay': {
      const p = step / schedule.decaySteps;
      return schedule.initialLearningRate * schedule.decayRate ** (schedule.staircase ? Math.floor(p) : p);
    }
    case 'PiecewiseConstantDecay': {
      const { boundaries, values } = schedule;
      const index = boundaries.findIndex((boundary) => step <= boundary);
      return values[index < 0 ? values.length - 1 : index]!;
    }
    case 'CosineDecay': {
      const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = schedule;
      const decay = (at: number, from: number): number => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * at) / decaySteps)) + alpha);
      if (warmupTarget === undefined) return decay(Math.min(step, decaySteps), initialLearningRate);
      const capped = Math.min(step, decaySteps + warmupSteps);
      if (capped < warmupSteps) return (warmupTarget - initialLearningRate) * (capped / warmupSteps) + initialLearningRate;
      return decay(capped - warmupSteps, warmupTarget);
    }
  }
}

/**
 * The learning rate of the step taken after `iterations` earlier steps: Keras evaluates a
 * schedule at `optimizer.iterations`, so the first step sees the schedule at 0.
 */
export function learningRateAt(learningRate: LearningRateConfig, iterations: number): number {
  return typeof learningRate === 'number' ? learningRate : scheduleValue(learningRate, iterations);
}

/** Adam's bias-corrected step size for step t (1-based), computed in float64. */
export function adamAlpha(config: Pick<AdamConfig, 'learningRate' | 'beta1' | 'beta2'>, t: number): number {
  return (learningRateAt(config.learningRate, t - 1) * Math.sqrt(1 - config.beta2 ** t)) / (1 - config.beta1 ** t);
}
