/**
 * compile()'s options, and how they resolve: optimizer, loss and metric names or instances
 * checked against the model's output layer before anything trains.
 */
import type { LossForm, LossKind } from '../spec/loss.js';
import { ValueError } from '../errors.js';
import type { Dense } from './layers.js';
import { metricQuantity, outputLossForm, resolveLoss, resolveMetrics, type Loss, type LossName, type MetricName } from './losses.js';
import { resolveOptimizer, type Optimizer, type OptimizerIdentifier } from './optimizers.js';

export interface CompileOptions {
  /** A name (`'sgd'`, `'rmsprop'`, `'adagrad'`, `'adam'`, `'adamw'`, any case) or an optimizer instance. */
  readonly optimizer: OptimizerIdentifier | Optimizer;
  /**
   * A loss name (binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
   * mean_squared_error / mse, or camelCase) or a loss instance (e.g. `new CategoricalCrossentropy({ fromLogits: true })`).
   */
  readonly loss: LossName | Loss;
  /**
   * Metric names, logged under the name given: `accuracy`/`acc` (the loss's accuracy: binary,
   * categorical or sparse categorical, as Keras resolves it), `binary_accuracy`,
   * `categorical_accuracy`, `sparse_categorical_accuracy`, `mse`/`mean_squared_error`,
   * `mae`/`mean_absolute_error`. Unweighted (Keras's `metrics`, not `weighted_metrics`).
   */
  readonly metrics?: readonly MetricName[];
}

/** compile()'s options, resolved, with what the engines need of the loss. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly MetricName[];
  readonly lossKind: LossKind;
  /** How the loss meets the output layer (a sigmoid with binary cross-entropy trains in the fused logits form). */
  readonly lossForm: LossForm;
}

/** Resolves compile()'s options for a model whose output layer is `output`; throws a ValueError naming what does not fit. */
export function resolveCompile(options: CompileOptions, output: Dense): Compiled {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new ValueError('compile needs { optimizer, loss, metrics }.');
  const optimizer = resolveOptimizer(options.optimizer);
  const loss = resolveLoss(options.loss);
  const metrics = resolveMetrics(options.metrics);
  const lossKind = loss.name;
  const lossForm = outputLossForm(loss, output);
  for (const metric of metrics) metricQuantity(metric, lossKind);
  return { optimizer, loss, metrics, lossKind, lossForm };
}
