/**
 * Optimizers and learning-rate schedules in a model file's training config, both ways.
 *
 * Written: Adam with a constant rate keeps TF.js's own form (`{ class_name: 'Adam', config:
 * { learningRate, beta1, beta2, epsilon } }`, which tfjs-layers loads); everything else as
 * Keras 3's `get_config()` writes it (class names SGD, RMSprop, Adagrad, Adam, AdamW,
 * snake_case keys, a schedule as `{ module, class_name, config, registered_name }`).
 * Read: either spelling of every key (snake_case or TF.js's camelCase), any letter case of
 * the class name.
 */
import type { OptimizerConfig, ScheduleConfig } from '../../spec/optimizer.js';
import { UnsupportedError, ValueError } from '../../errors.js';
import { optimizerFromConfig, resolveOptimizer, type Optimizer, type OptimizerClassName } from '../optimizers.js';
import { scheduleFromConfig } from '../schedules.js';
import type { SerializedObject } from './format.js';
import { describe, dict, finiteNumber, get, isDict, loose, type Dict } from './untrusted-json.js';

const CLASS_NAMES: Readonly<Record<OptimizerConfig['name'], OptimizerClassName>> = {
  sgd: 'SGD',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adam: 'Adam',
  adamw: 'AdamW',
};

/** Optimizer class names from a file (loosely matched): a Map, so no prototype key is a name. */
const OPTIMIZER_BY_LOOSE_NAME: ReadonlyMap<string, OptimizerConfig['name']> = new Map([
  ['sgd', 'sgd'],
  ['rmsprop', 'rmsprop'],
  ['adagrad', 'adagrad'],
  ['adam', 'adam'],
  ['adamw', 'adamw'],
]);

/** Keras 3's default `name` of each schedule class. */
const SCHEDULE_NAMES: Readonly<Record<ScheduleConfig['kind'], string>> = {
  ExponentialDecay: 'ExponentialDecay',
  PiecewiseConstantDecay: 'PiecewiseConstant',
  CosineDecay: 'CosineDecay',
};

function scheduleJson(schedule: ScheduleConfig): SerializedObject {
  const name = SCHEDULE_NAMES[schedule.kind];
  let config: Dict;
  switch (schedule.kind) {
    case 'ExponentialDecay':
      config = {
        initial_learning_rate: schedule.initialLearningRate,
        decay_steps: schedule.decaySteps,
        decay_rate: schedule.decayRate,
        staircase: schedule.staircase,
        name,
      };
      break;
    case 'PiecewiseConstantDecay':
      config = { boundaries: [...schedule.boundaries], values: [...schedule.values], name };
      break;
    case 'CosineDecay':
      config = {
        initial_learning_rate: schedule.initialLearningRate,
        decay_steps: schedule.decaySteps,
        alpha: schedule.alpha,
        name,
        warmup_target: schedule.warmupTarget ?? null,
        warmup_steps: schedule.warmupSteps,
      };
      break;
  }
  return { module: 'keras.optimizers.schedules', class_name: schedule.kind, config, registered_name: null };
}

/** The `optimizer_config` of a training config. */
export function optimizerJson(optimizer: Optimizer): SerializedObject {
  const config = optimizer.hyperparameters;
  if (config.name === 'adam' && typeof config.learningRate === 'number') {
    const { learningRate, beta1, beta2, epsilon } = config;
    return { class_name: 'Adam', config: { learningRate, beta1, beta2, epsilon } };
  }
  const learning_rate = typeof config.learningRate === 'number' ? config.learningRate : scheduleJson(config.learningRate);
  // The keys every Keras 3 optimizer writes (keras/src/optimizers/base_optimizer.py get_config).
  const base = {
    name: config.name === 'sgd' ? 'SGD' : config.name,
    learning_rate,
    weight_decay: config.name === 'adamw' ? config.weightDecay : null,
    clipnorm: null,
    global_clipnorm: null,
    clipvalue: null,
    use_ema: false,
    ema_momentum: 0.99,
    ema_overwrite_frequency: null,
    loss_scale_factor: null,
    gradient_accumulation_steps: null,
  };
  let own: Dict;
  switch (config.name) {
    case 'sgd':
      own = { momentum: config.momentum, nesterov: config.nesterov };
      break;
    case 'rmsprop':
      own = { rho: config.rho, momentum: config.momentum, epsilon: config.epsilon, centered: config.centered };
      break;
    case 'adagrad':
      own = { initial_accumulator_value: config.initialAccumulatorValue, epsilon: config.epsilon };
      break;
    case 'adam':
    case 'adamw':
      own = { beta_1: config.beta1, beta_2: config.beta2, epsilon: config.epsilon, amsgrad: false };
      break;
  }
  return { module: 'keras.optimizers', class_name: CLASS_NAMES[config.name], config: { ...base, ...own }, registered_name: null };
}

/** A reader of one config object: values by any of their spellings. */
function reader(config: Dict, owner: string) {
  const pick = (keys: readonly string[]): unknown => keys.map((k) => get(config, k)).find((v) => v !== undefined && v !== null);
  return {
    number: (what: string, ...keys: string[]): number | undefined => {
      const v = pick(keys);
      return v === undefined ? undefined : finiteNumber(v, `${owner} ${what}`);
    },
    flag: (what: string, ...keys: string[]): boolean | undefined => {
      const v = pick(keys);
      if (v !== undefined && typeof v !== 'boolean') throw new ValueError(`${owner} ${what} must be true or false, got ${describe(v)}.`);
      return v;
    },
    raw: (...keys: string[]): unknown => pick(keys),
  };
}

/** Drops undefined entries, so the constructors' defaults apply. */
function defined<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as T;
}

function parseSchedule(value: unknown, hint: string): ScheduleConfig {
  const className = get(dict(value, 'trainingConfig learning_rate'), 'class_name');
  const config = dict(get(value as Dict, 'config') ?? {}, 'trainingConfig learning_rate config');
  const kind = typeof className === 'string' ? loose(className) : '';
  const read = reader(config, `trainingConfig ${String(className)}`);
  const initialLearningRate = read.number('initial_learning_rate', 'initial_learning_rate', 'initialLearningRate');
  const decaySteps = read.number('decay_steps', 'decay_steps', 'decaySteps');
  let schedule;
  if (kind === 'exponentialdecay') {
    schedule = scheduleFromConfig({
      kind: 'ExponentialDecay',
      initialLearningRate: initialLearningRate!,
      decaySteps: decaySteps!,
      decayRate: read.number('decay_rate', 'decay_rate', 'decayRate')!,
      staircase: read.flag('staircase', 'staircase') ?? false,
    });
  } else if (kind === 'piecewiseconstantdecay') {
    const list = (key: string): number[] => {
      const v = read.raw(key);
      if (!Array.isArray(v) || v.length > 10_000)
        throw new ValueError(`trainingConfig PiecewiseConstantDecay ${key} must be a list of numbers, got ${describe(v)}.`);
      return v.map((x: unknown, i: number) => finiteNumber(x, `trainingConfig PiecewiseConstantDecay ${key}[${i}]`));
    };
    schedule = scheduleFromConfig({ kind: 'PiecewiseConstantDecay', boundaries: list('boundaries'), values: list('values') });
  } else if (kind === 'cosinedecay') {
    schedule = scheduleFromConfig({
      kind: 'CosineDecay',
      initialLearningRate: initialLearningRate!,
      decaySteps: decaySteps!,
      alpha: read.number('alpha', 'alpha') ?? 0,
      warmupTarget: read.number('warmup_target', 'warmup_target', 'warmupTarget'),
      warmupSteps: read.number('warmup_steps', 'warmup_steps', 'warmupSteps') ?? 0,
    });
  } else {
    throw new UnsupportedError(
      `trainingConfig learning-rate schedule ${describe(value)} is not supported; expected ExponentialDecay, PiecewiseConstantDecay or CosineDecay (${hint}).`,
    );
  }
  return schedule.config;
}

/**
 * The optimizer of an `optimizer_config` (a name or a serialized object). Unsupported
 * optimizers and options are UnsupportedErrors, bad values ValueErrors; `hint` says how to
 * load the model anyway.
 */
export function parseOptimizerJson(value: unknown, hint: string): Optimizer {
  try {
    return parseOptimizerOrThrow(value, hint);
  } catch (error) {
    if (error instanceof ValueError && !error.message.startsWith('trainingConfig')) {
      throw new ValueError(`trainingConfig: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function parseOptimizerOrThrow(value: unknown, hint: string): Optimizer {
  let className: unknown = value;
  let config: Dict = {};
  if (isDict(value)) {
    className = get(value, 'class_name');
    const inner = get(value, 'config');
    if (inner !== undefined && inner !== null) config = dict(inner, 'trainingConfig.optimizer_config.config');
  }
  const name = typeof className === 'string' ? OPTIMIZER_BY_LOOSE_NAME.get(loose(className)) : undefined;
  if (name === undefined) {
    throw new UnsupportedError(
      `trainingConfig optimizer ${describe(value)} is not supported; shadernet trains with SGD, RMSprop, Adagrad, Adam or AdamW (${hint}).`,
    );
  }
  const owner = `trainingConfig ${CLASS_NAMES[name]}`;
  const flags: readonly [string, (v: unknown) => boolean][] = [
    ['amsgrad', (v) => v === true],
    // Keras 2's per-step decay; TF.js's RMSProp spells ρ this way, with another meaning than Keras 2's.
    ['decay', (v) => v !== 0],
    ['weight_decay', (v) => name !== 'adamw' && v !== 0],
    ['clipnorm', () => true],
    ['clipvalue', () => true],
    ['global_clipnorm', () => true],
    ['use_ema', (v) => v === true],
  ];
  for (const [key, unsupported] of flags) {
    const v = get(config, key);
    if (v !== undefined && v !== null && unsupported(v))
      throw new UnsupportedError(`${owner} ${key} ${describe(v)} is not supported (${hint}).`);
  }
  const read = reader(config, owner);
  const rawRate = read.raw('learningRate', 'learning_rate', 'lr');
  const learningRate = isDict(rawRate) ? parseSchedule(rawRate, hint) : read.number('learning rate', 'learningRate', 'learning_rate', 'lr');
  const epsilon = read.number('epsilon', 'epsilon');
  let parsed: Partial<OptimizerConfig> & { name: OptimizerConfig['name'] };
  switch (name) {
    case 'sgd':
      parsed = { name, momentum: read.number('momentum', 'momentum'), nesterov: read.flag('nesterov', 'nesterov', 'useNesterov') };
      break;
    case 'rmsprop':
      parsed = {
        name,
        rho: read.number('rho', 'rho'),
        momentum: read.number('momentum', 'momentum'),
        epsilon,
        centered: read.flag('centered', 'centered'),
      };
      break;
    case 'adagrad':
      parsed = {
        name,
        initialAccumulatorValue: read.number('initial_accumulator_value', 'initial_accumulator_value', 'initialAccumulatorValue'),
        epsilon,
      };
      break;
    case 'adam':
    case 'adamw':
      parsed = {
        name,
        beta1: read.number('beta_1', 'beta1', 'beta_1'),
        beta2: read.number('beta_2', 'beta2', 'beta_2'),
        epsilon,
        ...(name === 'adamw' ? { weightDecay: read.number('weight_decay', 'weight_decay', 'weightDecay') } : {}),
      };
      break;
  }
  const defaults = resolveOptimizer(name).hyperparameters;
  return optimizerFromConfig({
    ...defaults,
    ...defined(parsed),
    ...(learningRate === undefined ? {} : { learningRate }),
  } as OptimizerConfig);
}
