/**
 * Which parts of a model config the engine of this build can train. The playground's options
 * (multi-class and regression outputs, new activations, dropout, regularizers, optimizers,
 * schedules) are written against the library's planned API; until the engine has them, the
 * playground says what is missing instead of failing in the middle of a run.
 *
 * After the engine update: buildSequential() in training-run.ts maps every config, and this
 * list shrinks to what the engine still lacks (ideally nothing).
 */
import { ACTIVATIONS } from '../../src/index.js';
import type { ModelConfig } from './model-config.js';

/** What of `config` the current engine cannot train, in words (empty: all of it trains). */
export function unsupportedFeatures(config: ModelConfig): string[] {
  const missing: string[] = [];
  const known = ACTIVATIONS as readonly string[];
  const dense = config.layers.filter((l) => l.type === 'Dense');
  const output = dense[dense.length - 1];
  const hiddenActivations = new Set(dense.slice(0, -1).map((l) => l.activation).filter((a) => !known.includes(a)));
  if (hiddenActivations.size) missing.push(`the ${[...hiddenActivations].join(', ')} activation${hiddenActivations.size > 1 ? 's' : ''}`);
  if (output && output.activation !== 'sigmoid') {
    missing.push(config.task === 'multiclass' ? `a ${output.units}-class softmax output with sparse categorical cross-entropy` : 'a linear output with mean squared error (regression)');
  }
  if (config.layers.some((l) => l.type === 'Dropout')) missing.push('dropout');
  if (dense.some((l) => l.kernelRegularizer)) missing.push('kernel regularizers');
  const optimizer = config.compile.optimizer;
  if (optimizer.type !== 'Adam') missing.push(`the ${optimizer.type === 'SGD' && optimizer.momentum ? 'SGD + momentum' : optimizer.type} optimizer`);
  if (typeof optimizer.learningRate !== 'number') missing.push('learning-rate schedules');
  return missing;
}
