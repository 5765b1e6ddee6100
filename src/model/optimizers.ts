import {
  ADAGRAD_DEFAULTS,
  ADAM_DEFAULTS,
  ADAMW_DEFAULTS,
  learningRateAt,
  RMSPROP_DEFAULTS,
  SGD_DEFAULTS,
  type AdagradConfig,
  type AdamConfig,
  type AdamwConfig,
  type LearningRateConfig,
  type OptimizerConfig,
  type OptimizerName,
  type RmspropConfig,
  type SgdConfig,
} from '../spec/optimizer.js';
import { ValueError } from '../errors.js';
import { boolean, finiteNumber, lookup, nonNegative, optionsOf } from './validate.js';
import { LearningRateSchedule, scheduleFromConfig } from './schedules.js';
import { show } from '../show.js';

/** A learning rate: a number, or a schedule of the optimizer's iteration count. */
export type LearningRate = number | LearningRateSchedule;

/** The hyperparameter options of a config type: every field optional, the rate a number or a schedule. */
type OptionsOf<C extends OptimizerConfig> = { readonly learningRate?: LearningRate } & {
  readonly [K in Exclude<keyof C, 'name' | 'learningRate'>]?: C[K];
};

/** Keras class names, as model files write them. */
export type OptimizerClassName = 'SGD' | 'RMSprop' | 'Adagrad' | 'Adam' | 'AdamW';

/** A decay or momentum: a number in [0, 1), or [0, 1] when `closedAtOne`. */
function checkFraction(owner: string, key: string, value: unknown, closedAtOne: boolean): void {
  finiteNumber(value, `${owner} ${key}`, { min: 0, max: 1, maxOpen: !closedAtOne });
}

function checkEpsilon(owner: string, value: unknown): void {
  finiteNumber(value, `${owner} epsilon`, { min: 0, minOpen: true });
}

/**
 * What every optimizer shares: a learning rate (a number or a schedule) that can be changed
 * at any time — also during fit, where it applies from the next step not yet recorded (see
 * Sequential.fit) — and the hyperparameters as the engines take them.
 */
export abstract class Optimizer<C extends OptimizerConfig = OptimizerConfig> {
  abstract readonly className: OptimizerClassName;
  /** Steps applied so far (Keras's `optimizer.iterations`); the model keeps it up to date. */
  iterations = 0;
  private config: C;
  private schedule: LearningRateSchedule | undefined;

  protected constructor(defaults: C, options: OptionsOf<C>) {
    this.config = defaults;
    this.update(options);
  }

  /** Lower-case name (`'sgd'`, `'rmsprop'`, `'adagrad'`, `'adam'`, `'adamw'`). */
  get name(): OptimizerName {
    return this.config.name;
  }

  /** The learning rate of the next step: the number, or the schedule at `iterations`. */
  get learningRate(): number {
    return learningRateAt(this.config.learningRate, this.iterations);
  }

  /**
   * A number or a schedule. During fit it applies from the next step not yet recorded. A
   * number replaces a schedule (Keras 3 refuses that; shadernet allows it so callbacks like
   * ReduceLROnPlateau work with any optimizer).
   */
  set learningRate(value: LearningRate) {
    this.update({ learningRate: value } as OptionsOf<C>);
  }

  /** The schedule given as learning rate, if any. */
  get learningRateSchedule(): LearningRateSchedule | undefined {
    return this.schedule;
  }

  /** The hyperparameters as plain data (what the engines and model files take). */
  get hyperparameters(): C {
    return this.config;
  }

  /** Validates the merged hyperparameters; throws a ValueError naming the bad one. */
  protected abstract check(config: C): void;

  private update(options: OptionsOf<C>): void {
    const entries = Object.entries(optionsOf(options, this.className)).filter(([, v]) => v !== undefined);
    const known = Object.keys(this.config).filter((key) => key !== 'name');
    const unknown = entries.find(([key]) => !known.includes(key));
    if (unknown) throw new ValueError(`${this.className} has no option '${unknown[0]}'; its options are ${known.join(', ')}.`);
    const given = Object.fromEntries(entries) as Partial<C> & { learningRate?: LearningRate };
    const rate = given.learningRate;
    let learningRate: LearningRateConfig = this.config.learningRate;
    let schedule = this.schedule;
    if (rate instanceof LearningRateSchedule) {
      learningRate = rate.config;
      schedule = rate;
    } else if (rate !== undefined) {
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
        throw new ValueError(`${this.className} learningRate must be a finite number ≥ 0 or a LearningRateSchedule, got ${show(rate)}.`);
      }
      learningRate = rate;
      schedule = undefined;
    }
    const next = { ...this.config, ...given, learningRate, name: this.config.name } as C;
    this.check(next);
    this.config = next;
    this.schedule = schedule;
  }
}

export interface SgdOptions {
  /** Default 0.01. */
  readonly learningRate?: LearningRate;
  /** In [0, 1]; 0 (default) is plain gradient descent. */
  readonly momentum?: number;
  /** Nesterov momentum (default false). */
  readonly nesterov?: boolean;
}

/**
 * Gradient descent with optional (Nesterov) momentum, Keras 3's formula: m = momentum·m − lr·g;
 * θ += m, or with nesterov θ += momentum·m − lr·g.
 */
export class SGD extends Optimizer<SgdConfig> {
  get className(): 'SGD' {
    return 'SGD';
  }

  constructor(options: SgdOptions = {}) {
    super(SGD_DEFAULTS, options);
  }

  protected check(config: SgdConfig): void {
    // Keras 3 accepts momentum in [0, 1] (keras/src/optimizers/sgd.py).
    checkFraction('SGD', 'momentum', config.momentum, true);
    boolean(config.nesterov, 'SGD nesterov');
  }
}

export interface RmspropOptions {
  /** Default 0.001. */
  readonly learningRate?: LearningRate;
  /** Decay of the mean square, in [0, 1) (default 0.9). */
  readonly rho?: number;
  /** In [0, 1] (default 0). */
  readonly momentum?: number;
  /** Default 1e-7. */
  readonly epsilon?: number;
  /** Divide by the variance instead of the mean square (default false). */
  readonly centered?: boolean;
}

/** RMSprop with Keras 3's formula and defaults. `centered` with `momentum > 0` is not supported. */
export class RMSprop extends Optimizer<RmspropConfig> {
  get className(): 'RMSprop' {
    return 'RMSprop';
  }

  constructor(options: RmspropOptions = {}) {
    super(RMSPROP_DEFAULTS, options);
  }

  protected check(config: RmspropConfig): void {
    checkFraction('RMSprop', 'rho', config.rho, false);
    checkFraction('RMSprop', 'momentum', config.momentum, true);
    checkEpsilon('RMSprop', config.epsilon);
    boolean(config.centered, 'RMSprop centered');
    if (config.centered && config.momentum > 0) {
      // Keras keeps a third state slot for this combination; the engines keep two per parameter.
      throw new ValueError('RMSprop centered: true with momentum > 0 is not supported; use centered or momentum, not both.');
    }
  }
}

export interface AdagradOptions {
  /** Default 0.001. */
  readonly learningRate?: LearningRate;
  /** Starting value of the squared-gradient accumulator, ≥ 0 (default 0.1). */
  readonly initialAccumulatorValue?: number;
  /** Default 1e-7. */
  readonly epsilon?: number;
}

/** Adagrad with Keras 3's formula and defaults: acc += g²; θ −= lr·g / √(acc + ε). */
export class Adagrad extends Optimizer<AdagradConfig> {
  get className(): 'Adagrad' {
    return 'Adagrad';
  }

  constructor(options: AdagradOptions = {}) {
    super(ADAGRAD_DEFAULTS, options);
  }

  protected check(config: AdagradConfig): void {
    nonNegative(config.initialAccumulatorValue, 'Adagrad initialAccumulatorValue');
    checkEpsilon('Adagrad', config.epsilon);
  }
}

export interface AdamOptions {
  /** Step size (default 0.001). */
  readonly learningRate?: LearningRate;
  /** Decay of the first-moment average, in [0, 1) (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second-moment average, in [0, 1) (default 0.999). */
  readonly beta2?: number;
  /** Keras's "epsilon hat", added to √v (default 1e-7). */
  readonly epsilon?: number;
}

function checkAdam(owner: string, config: Omit<AdamConfig, 'name'>): void {
  checkFraction(owner, 'beta1', config.beta1, false);
  checkFraction(owner, 'beta2', config.beta2, false);
  checkEpsilon(owner, config.epsilon);
}

/**
 * Adam with Keras's formula and defaults.
 *
 * @example
 * model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy' });
 */
export class Adam extends Optimizer<AdamConfig> {
  get className(): 'Adam' {
    return 'Adam';
  }

  constructor(options: AdamOptions = {}) {
    super(ADAM_DEFAULTS, options);
  }

  protected check(config: AdamConfig): void {
    checkAdam('Adam', config);
  }
}

export interface AdamwOptions extends AdamOptions {
  /** Decoupled weight decay (default 0.004): θ −= θ·weightDecay·lr before every update. */
  readonly weightDecay?: number;
}

/** Adam with Keras 3's decoupled weight decay, applied to every weight and bias. */
export class AdamW extends Optimizer<AdamwConfig> {
  get className(): 'AdamW' {
    return 'AdamW';
  }

  constructor(options: AdamwOptions = {}) {
    super(ADAMW_DEFAULTS, options);
  }

  protected check(config: AdamwConfig): void {
    checkAdam('AdamW', config);
    nonNegative(config.weightDecay, 'AdamW weightDecay');
  }
}

/** Optimizer names compile accepts (any letter case, as Keras). */
export const OPTIMIZERS = ['sgd', 'rmsprop', 'adagrad', 'adam', 'adamw'] as const;

export type OptimizerIdentifier = OptimizerName | OptimizerClassName;

/** A new optimizer object for plain-data hyperparameters (e.g. read from a model file). */
export function optimizerFromConfig(config: OptimizerConfig): Optimizer {
  const { name, learningRate, ...rest } = config;
  const options = { ...rest, learningRate: typeof learningRate === 'number' ? learningRate : scheduleFromConfig(learningRate) };
  switch (name) {
    case 'sgd':
      return new SGD(options as SgdOptions);
    case 'rmsprop':
      return new RMSprop(options as RmspropOptions);
    case 'adagrad':
      return new Adagrad(options as AdagradOptions);
    case 'adam':
      return new Adam(options as AdamOptions);
    case 'adamw':
      return new AdamW(options as AdamwOptions);
  }
}

const OPTIMIZER_DEFAULTS: ReadonlyMap<string, OptimizerConfig> = new Map<OptimizerName, OptimizerConfig>([
  ['sgd', SGD_DEFAULTS],
  ['rmsprop', RMSPROP_DEFAULTS],
  ['adagrad', ADAGRAD_DEFAULTS],
  ['adam', ADAM_DEFAULTS],
  ['adamw', ADAMW_DEFAULTS],
]);

export function resolveOptimizer(optimizer: unknown): Optimizer {
  if (optimizer instanceof Optimizer) return optimizer;
  const defaults = lookup(
    OPTIMIZER_DEFAULTS,
    typeof optimizer === 'string' ? optimizer.toLowerCase() : optimizer,
    () =>
      `Unknown optimizer ${show(optimizer)}; expected one of: ${OPTIMIZERS.join(', ')}, or an optimizer instance (SGD, RMSprop, Adagrad, Adam, AdamW).`,
  );
  return optimizerFromConfig({ ...defaults });
}
