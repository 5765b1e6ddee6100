/**
 * Turns a playground model config (plain data, model-config.ts) into the library's objects: a
 * Sequential of Dense and Dropout layers, the optimizer with its learning-rate schedule, and
 * the compile options. Everything the builder offers maps onto the public API one to one.
 */
import {
  Adagrad,
  Adam,
  AdamW,
  CosineDecay,
  Dense,
  Dropout,
  ExponentialDecay,
  L1L2,
  RMSprop,
  SGD,
  Sequential,
  type Activation,
  type CompileOptions,
  type LearningRate,
  type Optimizer,
} from '../../index.js';
import type { ModelConfig, OptimizerConfig, ScheduleConfig } from './model-config.js';

/** A Sequential of `config`'s layers (not compiled). */
export function buildSequential(config: ModelConfig, options: ConstructorParameters<typeof Sequential>[0]): Sequential {
  const model = new Sequential(options);
  for (const layer of config.layers) {
    if (layer.type === 'Dropout') {
      model.add(new Dropout({ rate: layer.rate, seed: layer.seed }));
      continue;
    }
    model.add(
      new Dense({
        units: layer.units,
        activation: layer.activation as Activation,
        ...(layer.inputDim ? { inputDim: layer.inputDim } : {}),
        ...(layer.kernelRegularizer ? { kernelRegularizer: new L1L2(layer.kernelRegularizer) } : {}),
      }),
    );
  }
  return model;
}

function buildLearningRate(rate: number | ScheduleConfig): LearningRate {
  if (typeof rate === 'number') return rate;
  if (rate.type === 'CosineDecay')
    return new CosineDecay({ initialLearningRate: rate.initialLearningRate, decaySteps: rate.decaySteps, alpha: rate.alpha });
  return new ExponentialDecay({
    initialLearningRate: rate.initialLearningRate,
    decaySteps: rate.decaySteps,
    decayRate: rate.decayRate,
    staircase: rate.staircase,
  });
}

/** The optimizer of `config` (a fresh instance: its iteration count and schedule belong to one model). */
export function buildOptimizer(config: OptimizerConfig): Optimizer {
  const learningRate = buildLearningRate(config.learningRate);
  switch (config.type) {
    case 'SGD':
      return new SGD({ learningRate, ...(config.momentum ? { momentum: config.momentum } : {}) });
    case 'RMSprop':
      return new RMSprop({ learningRate });
    case 'Adagrad':
      return new Adagrad({ learningRate });
    case 'Adam':
      return new Adam({ learningRate });
    case 'AdamW':
      return new AdamW({ learningRate, ...(config.weightDecay !== undefined ? { weightDecay: config.weightDecay } : {}) });
  }
}

/** compile()'s options for `config`, with `optimizer` (shared by the page's model and its worker twin). */
export function compileOptions(config: ModelConfig, optimizer: Optimizer): CompileOptions {
  return { optimizer, loss: config.compile.loss, metrics: config.compile.metrics };
}
