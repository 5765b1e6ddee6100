import {
  scheduleValue,
  type CosineDecayConfig,
  type ExponentialDecayConfig,
  type PiecewiseConstantDecayConfig,
  type ScheduleConfig,
} from '../spec/optimizer.js';
import { ValueError } from '../errors.js';
import { boolean, finiteNumber } from './validate.js';
import { show } from '../show.js';

const finite = (value: unknown, what: string): number => finiteNumber(value, what);

function atLeast(value: unknown, low: number, what: string): number {
  if (finite(value, what) < low) throw new ValueError(`${what} must be ≥ ${low}, got ${show(value)}.`);
  return value as number;
}

function positive(value: unknown, what: string): number {
  if (finite(value, what) <= 0) throw new ValueError(`${what} must be > 0, got ${show(value)}.`);
  return value as number;
}

/**
 * A learning rate that changes with the optimizer's iteration count (Keras's
 * `keras.optimizers.schedules.LearningRateSchedule`): give one as any optimizer's
 * `learningRate`. The engines evaluate it on the CPU before every step (the first step sees
 * step 0), so a schedule costs nothing on the GPU and an epoch stays one submit.
 */
export abstract class LearningRateSchedule {
  /** The schedule as plain data (what the engines and model files take). */
  abstract readonly config: ScheduleConfig;

  /** Keras class name (what a saved model's config writes). */
  get className(): ScheduleConfig['kind'] {
    return this.config.kind;
  }

  /** The learning rate of the step taken after `step` earlier steps (Keras's `schedule(step)`). */
  valueAt(step: number): number {
    return scheduleValue(this.config, step);
  }
}

export interface ExponentialDecayOptions {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  /** Decay in whole intervals of decaySteps (step decay), default false. */
  readonly staircase?: boolean;
}

/**
 * lr = initialLearningRate · decayRate^(step / decaySteps), the exponent floored with
 * `staircase` (a step decay: the rate drops by decayRate every decaySteps steps).
 *
 * @example
 * new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5, staircase: true }) });
 */
export class ExponentialDecay extends LearningRateSchedule {
  readonly config: ExponentialDecayConfig;

  constructor(options: ExponentialDecayOptions) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new ValueError('ExponentialDecay needs { initialLearningRate, decaySteps, decayRate }.');
    const staircase = boolean(options.staircase ?? false, 'ExponentialDecay staircase');
    this.config = {
      kind: 'ExponentialDecay',
      initialLearningRate: atLeast(options.initialLearningRate, 0, 'ExponentialDecay initialLearningRate'),
      decaySteps: positive(options.decaySteps, 'ExponentialDecay decaySteps'),
      decayRate: atLeast(options.decayRate, 0, 'ExponentialDecay decayRate'),
      staircase,
    };
  }
}

export interface PiecewiseConstantDecayOptions {
  /** Increasing step numbers where the rate changes. */
  readonly boundaries: readonly number[];
  /** One more value than boundaries: values[i] while boundaries[i−1] < step ≤ boundaries[i]. */
  readonly values: readonly number[];
}

/**
 * A constant rate per interval of steps: values[0] up to and including boundaries[0], then
 * values[1] up to boundaries[1], ..., values[n] after the last boundary (Keras's intervals).
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly config: PiecewiseConstantDecayConfig;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ValueError('PiecewiseConstantDecay needs { boundaries, values }.');
    const { boundaries, values } = options;
    if (!Array.isArray(boundaries) || !Array.isArray(values))
      throw new ValueError('PiecewiseConstantDecay boundaries and values must be arrays.');
    if (boundaries.length !== values.length - 1) {
      throw new ValueError(
        `PiecewiseConstantDecay needs one more value than boundaries; got ${boundaries.length} boundaries and ${values.length} values.`,
      );
    }
    boundaries.forEach((b, i) => {
      finite(b, `PiecewiseConstantDecay boundaries[${i}]`);
      if (i > 0 && b <= boundaries[i - 1]!)
        throw new ValueError(`PiecewiseConstantDecay boundaries must increase; boundaries[${i}] = ${b} follows ${boundaries[i - 1]}.`);
    });
    values.forEach((v, i) => atLeast(v, 0, `PiecewiseConstantDecay values[${i}]`));
    this.config = { kind: 'PiecewiseConstantDecay', boundaries: [...boundaries], values: [...values] };
  }
}

export interface CosineDecayOptions {
  readonly initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup). */
  readonly decaySteps: number;
  /** Floor of the decay as a fraction of the starting rate (default 0). */
  readonly alpha?: number;
  /** With warmupSteps: the rate rises linearly from initialLearningRate to this, then decays from it. */
  readonly warmupTarget?: number;
  /** Steps of linear warmup (default 0). */
  readonly warmupSteps?: number;
}

/**
 * Cosine decay from the starting rate to alpha × it over decaySteps, then constant; with
 * `warmupTarget`, a linear warmup over `warmupSteps` first (Keras 3's CosineDecay).
 */
export class CosineDecay extends LearningRateSchedule {
  readonly config: CosineDecayConfig;

  constructor(options: CosineDecayOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ValueError('CosineDecay needs { initialLearningRate, decaySteps }.');
    const alpha = finiteNumber(options.alpha ?? 0, 'CosineDecay alpha', { min: 0, max: 1 });
    this.config = {
      kind: 'CosineDecay',
      initialLearningRate: atLeast(options.initialLearningRate, 0, 'CosineDecay initialLearningRate'),
      decaySteps: positive(options.decaySteps, 'CosineDecay decaySteps'),
      alpha,
      warmupTarget: options.warmupTarget === undefined ? undefined : atLeast(options.warmupTarget, 0, 'CosineDecay warmupTarget'),
      warmupSteps: atLeast(options.warmupSteps ?? 0, 0, 'CosineDecay warmupSteps'),
    };
  }
}

/** A schedule object for its plain-data config (e.g. read from a model file). */
export function scheduleFromConfig(config: ScheduleConfig): LearningRateSchedule {
  switch (config.kind) {
    case 'ExponentialDecay':
      return new ExponentialDecay(config);
    case 'PiecewiseConstantDecay':
      return new PiecewiseConstantDecay(config);
    case 'CosineDecay':
      return new CosineDecay({
        initialLearningRate: config.initialLearningRate,
        decaySteps: config.decaySteps,
        alpha: config.alpha,
        warmupSteps: config.warmupSteps,
        ...(config.warmupTarget === undefined ? {} : { warmupTarget: config.warmupTarget }),
      });
  }
}
