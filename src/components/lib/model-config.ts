/**
 * The one place where the playground's settings become a model: the layers (hidden Dense
 * layers, their dropout, the task's output layer) and the compile options (optimizer with its
 * learning-rate schedule, loss, metrics), as plain data in the library's public names
 * (Keras 3's, camelCase). training-run.ts turns it into a Sequential; the model builder shows it.
 *
 * The output layer and loss follow from the task, as Keras tutorials do it:
 * - binary:     Dense(1, sigmoid) + binary_crossentropy + accuracy
 * - multiclass: Dense(k, softmax) + sparse_categorical_crossentropy + accuracy (labels 0…k−1)
 * - regression: Dense(1, linear)  + mean_squared_error + mae
 */
import type { LayerSpec, OptimizerSpec, ScheduleSpec, Task } from './state.js';

export type OutputActivation = 'sigmoid' | 'softmax' | 'linear';
export type LossName = 'binary_crossentropy' | 'sparse_categorical_crossentropy' | 'mean_squared_error';
export type MetricName = 'accuracy' | 'mae';

/** `new Dense({ units, activation, inputDim?, kernelRegularizer? })`; the regularizer is `new L1L2({ l1, l2 })`. */
export interface DenseConfig {
  readonly type: 'Dense';
  readonly units: number;
  readonly activation: string;
  readonly inputDim?: number;
  readonly kernelRegularizer?: { readonly l1: number; readonly l2: number };
}

/** `new Dropout({ rate, seed })`. */
export interface DropoutConfig {
  readonly type: 'Dropout';
  readonly rate: number;
  readonly seed: number;
}

export type LayerConfig = DenseConfig | DropoutConfig;

/** `new ExponentialDecay({ initialLearningRate, decaySteps, decayRate, staircase })` or `new CosineDecay({ initialLearningRate, decaySteps, alpha })`. */
export type ScheduleConfig =
  | {
      readonly type: 'ExponentialDecay';
      readonly initialLearningRate: number;
      readonly decaySteps: number;
      readonly decayRate: number;
      readonly staircase: boolean;
    }
  | { readonly type: 'CosineDecay'; readonly initialLearningRate: number; readonly decaySteps: number; readonly alpha: number };

/** `new SGD({ learningRate, momentum })`, `new RMSprop(…)`, `new Adagrad(…)`, `new Adam(…)`, `new AdamW({ …, weightDecay })`. */
export interface OptimizerConfig {
  readonly type: 'SGD' | 'RMSprop' | 'Adagrad' | 'Adam' | 'AdamW';
  readonly learningRate: number | ScheduleConfig;
  readonly momentum?: number;
  readonly weightDecay?: number;
}

export interface ModelConfig {
  readonly task: Task;
  /** Units of the output layer: 1, or k for k classes. */
  readonly outputUnits: number;
  /** Input side first; the first layer has `inputDim` (2, or the selected features' count). */
  readonly layers: readonly LayerConfig[];
  readonly compile: {
    readonly optimizer: OptimizerConfig;
    readonly loss: LossName;
    readonly metrics: readonly MetricName[];
  };
}

/** The playground settings a model is made from. */
export interface ModelSettings {
  readonly task: Task;
  /** Classes of a multi-class task (ignored otherwise). */
  readonly classes: number;
  readonly layers: readonly LayerSpec[];
  readonly learningRate: number;
  readonly optimizer: OptimizerSpec;
  readonly schedule: ScheduleSpec;
  /** The run's seed: dropout masks are seeded from it, so a run is reproducible. */
  readonly seed: number;
  /** Input features (columns) the first layer takes: 2 (x₁, x₂) unless features are selected. */
  readonly inputs?: number;
}

const OUTPUT: Readonly<Record<Task, { activation: OutputActivation; loss: LossName; metric: MetricName }>> = {
  binary: { activation: 'sigmoid', loss: 'binary_crossentropy', metric: 'accuracy' },
  multiclass: { activation: 'softmax', loss: 'sparse_categorical_crossentropy', metric: 'accuracy' },
  regression: { activation: 'linear', loss: 'mean_squared_error', metric: 'mae' },
};

/** The loss's name as charts title it. */
export const LOSS_TITLES: Readonly<Record<LossName, string>> = {
  binary_crossentropy: 'binary cross-entropy',
  sparse_categorical_crossentropy: 'sparse categorical cross-entropy',
  mean_squared_error: 'mean squared error',
};

/** The metric a task's charts show next to the loss. */
export function taskMetric(task: Task): MetricName {
  return OUTPUT[task].metric;
}

/** The output layer's activation of a task. */
export function taskOutputActivation(task: Task): OutputActivation {
  return OUTPUT[task].activation;
}

export function taskLoss(task: Task): LossName {
  return OUTPUT[task].loss;
}

function scheduleConfig(learningRate: number, schedule: ScheduleSpec): number | ScheduleConfig {
  switch (schedule.kind) {
    case 'constant':
      return learningRate;
    case 'exponential':
    case 'step':
      return {
        type: 'ExponentialDecay',
        initialLearningRate: learningRate,
        decaySteps: schedule.decaySteps,
        decayRate: schedule.decayRate,
        staircase: schedule.kind === 'step',
      };
    case 'cosine':
      return { type: 'CosineDecay', initialLearningRate: learningRate, decaySteps: schedule.decaySteps, alpha: schedule.alpha };
  }
}

function optimizerConfig(learningRate: number | ScheduleConfig, optimizer: OptimizerSpec): OptimizerConfig {
  switch (optimizer.name) {
    case 'sgd':
      return { type: 'SGD', learningRate };
    case 'momentum':
      return { type: 'SGD', learningRate, momentum: optimizer.momentum };
    case 'rmsprop':
      return { type: 'RMSprop', learningRate };
    case 'adagrad':
      return { type: 'Adagrad', learningRate };
    case 'adam':
      return { type: 'Adam', learningRate };
    case 'adamw':
      return { type: 'AdamW', learningRate, weightDecay: optimizer.weightDecay };
  }
}

/** A dropout layer's seed: one per layer, derived from the run's seed. */
export function dropoutSeed(seed: number, layer: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 31) + 1009 * (layer + 1)) >>> 0;
}

/** The model of a playground state: layers and compile options as plain data. */
export function modelConfig(settings: ModelSettings): ModelConfig {
  const { task, layers: hidden } = settings;
  const output = OUTPUT[task];
  const outputUnits = task === 'multiclass' ? settings.classes : 1;
  const layers: LayerConfig[] = [];
  hidden.forEach((spec, i) => {
    const reg = spec.regularizer;
    layers.push({
      type: 'Dense',
      units: spec.units,
      activation: spec.activation,
      ...(i === 0 ? { inputDim: settings.inputs ?? 2 } : {}),
      ...(reg ? { kernelRegularizer: { l1: reg.kind === 'l1' ? reg.factor : 0, l2: reg.kind === 'l2' ? reg.factor : 0 } } : {}),
    });
    if (spec.dropout) layers.push({ type: 'Dropout', rate: spec.dropout, seed: dropoutSeed(settings.seed, i) });
  });
  layers.push({
    type: 'Dense',
    units: outputUnits,
    activation: output.activation,
    ...(hidden.length === 0 ? { inputDim: settings.inputs ?? 2 } : {}),
  });
  return {
    task,
    outputUnits,
    layers,
    compile: {
      optimizer: optimizerConfig(scheduleConfig(settings.learningRate, settings.schedule), settings.optimizer),
      loss: output.loss,
      metrics: [output.metric],
    },
  };
}

/** "Adam, lr 0.001" or "SGD (momentum 0.9), exponential decay from 0.01 (×0.9 every 1000 steps)": for logs. */
export function describeOptimizer(config: OptimizerConfig): string {
  const name =
    config.type === 'SGD' && config.momentum
      ? `SGD (momentum ${config.momentum})`
      : config.type === 'AdamW'
        ? `AdamW (weight decay ${config.weightDecay})`
        : config.type;
  const lr = config.learningRate;
  if (typeof lr === 'number') return `${name}, lr ${lr}`;
  if (lr.type === 'CosineDecay')
    return `${name}, cosine decay from lr ${lr.initialLearningRate} over ${lr.decaySteps} steps (to ×${lr.alpha})`;
  return `${name}, ${lr.staircase ? 'step' : 'exponential'} decay from lr ${lr.initialLearningRate} (×${lr.decayRate} every ${lr.decaySteps} steps)`;
}
