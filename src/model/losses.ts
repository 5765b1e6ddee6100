import type { LossForm, LossKind } from '../spec/loss.js';
import type { LayerActivation } from '../spec/network.js';
import { ShapeError, ValueError } from '../errors.js';
import { boolean, lookup, optionsOf } from './validate.js';
import { show } from '../show.js';

/** The `fromLogits` option of a loss class (default false). */
function fromLogitsOption(options: { readonly fromLogits?: boolean } | undefined, owner: string): boolean {
  return boolean(optionsOf(options, owner).fromLogits ?? false, `${owner} fromLogits`);
}

/**
 * Binary cross-entropy as a configurable loss object (Keras's `BinaryCrossentropy`).
 * With a sigmoid output layer it is always trained in the stable fused logits form, as
 * Keras's TensorFlow backend does; `fromLogits: true` says the model outputs logits
 * (a linear last layer).
 */
export class BinaryCrossentropy {
  readonly name = 'binary_crossentropy';
  readonly fromLogits: boolean;
  constructor(options: { readonly fromLogits?: boolean } = {}) {
    this.fromLogits = fromLogitsOption(options, 'BinaryCrossentropy');
  }
}

/**
 * Categorical cross-entropy on one-hot (or soft) targets, rows × classes (Keras's
 * `CategoricalCrossentropy`). Needs a softmax output layer (trained in the fused, stable
 * log-softmax form), or a linear one with `fromLogits: true`.
 */
export class CategoricalCrossentropy {
  readonly name = 'categorical_crossentropy';
  readonly fromLogits: boolean;
  constructor(options: { readonly fromLogits?: boolean } = {}) {
    this.fromLogits = fromLogitsOption(options, 'CategoricalCrossentropy');
  }
}

/** Categorical cross-entropy on integer class labels, one per row (Keras's `SparseCategoricalCrossentropy`). */
export class SparseCategoricalCrossentropy {
  readonly name = 'sparse_categorical_crossentropy';
  readonly fromLogits: boolean;
  constructor(options: { readonly fromLogits?: boolean } = {}) {
    this.fromLogits = fromLogitsOption(options, 'SparseCategoricalCrossentropy');
  }
}

/** Mean over outputs of the squared error, mean over the batch (Keras's `MeanSquaredError`). */
export class MeanSquaredError {
  readonly name = 'mean_squared_error';
  /** Always false: the loss compares the output after its activation with the targets. */
  readonly fromLogits = false;
}

export type Loss = BinaryCrossentropy | CategoricalCrossentropy | SparseCategoricalCrossentropy | MeanSquaredError;

/** Loss names compile accepts (Keras's, snake_case and camelCase). */
export const LOSSES = [
  'binary_crossentropy',
  'binaryCrossentropy',
  'categorical_crossentropy',
  'categoricalCrossentropy',
  'sparse_categorical_crossentropy',
  'sparseCategoricalCrossentropy',
  'mean_squared_error',
  'meanSquaredError',
  'mse',
] as const;
export type LossName = (typeof LOSSES)[number];

const LOSS_BY_NAME: ReadonlyMap<string, () => Loss> = new Map<LossName, () => Loss>([
  ['binary_crossentropy', () => new BinaryCrossentropy()],
  ['binaryCrossentropy', () => new BinaryCrossentropy()],
  ['categorical_crossentropy', () => new CategoricalCrossentropy()],
  ['categoricalCrossentropy', () => new CategoricalCrossentropy()],
  ['sparse_categorical_crossentropy', () => new SparseCategoricalCrossentropy()],
  ['sparseCategoricalCrossentropy', () => new SparseCategoricalCrossentropy()],
  ['mean_squared_error', () => new MeanSquaredError()],
  ['meanSquaredError', () => new MeanSquaredError()],
  ['mse', () => new MeanSquaredError()],
]);

export function resolveLoss(loss: unknown): Loss {
  if (
    loss instanceof BinaryCrossentropy ||
    loss instanceof CategoricalCrossentropy ||
    loss instanceof SparseCategoricalCrossentropy ||
    loss instanceof MeanSquaredError
  ) {
    return loss;
  }
  return lookup(LOSS_BY_NAME, loss, (given) => `Unknown loss ${show(given)}; expected one of: ${LOSSES.join(', ')}, or a loss instance.`)();
}

/** Metric names accepted by compile; the log key is the name given, as in Keras 3. */
export const METRICS = [
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'mse',
  'mean_squared_error',
  'mae',
  'mean_absolute_error',
] as const;
export type MetricName = (typeof METRICS)[number];

/** What a metric reads from the GPU sums. */
export type MetricQuantity = 'accuracy' | 'meanSquaredError' | 'meanAbsoluteError';

/** The accuracy each loss's kernels count (Keras resolves `accuracy` the same way). */
const ACCURACY_OF_LOSS: Readonly<Record<LossKind, MetricName | undefined>> = {
  binary_crossentropy: 'binary_accuracy',
  categorical_crossentropy: 'categorical_accuracy',
  sparse_categorical_crossentropy: 'sparse_categorical_accuracy',
  mean_squared_error: undefined,
};

/**
 * The quantity of `metric` under `loss`. Accuracy is counted by the loss kernel in the loss's
 * own form (binary, categorical or sparse), so an explicit accuracy of another kind, or any
 * accuracy of a regression, is refused here with a ValueError naming the mismatch.
 */
export function metricQuantity(metric: MetricName, loss: LossKind): MetricQuantity {
  switch (metric) {
    case 'mse':
    case 'mean_squared_error':
      return 'meanSquaredError';
    case 'mae':
    case 'mean_absolute_error':
      return 'meanAbsoluteError';
    default: {
      const counted = ACCURACY_OF_LOSS[loss];
      if (counted === undefined) {
        throw new ValueError(`Metric '${metric}' needs class labels, but ${loss} is a regression loss; use 'mse' or 'mae' instead.`);
      }
      if (metric !== 'accuracy' && metric !== 'acc' && metric !== counted) {
        throw new ValueError(
          `Metric '${metric}' does not match the loss ${loss} (its targets give '${counted}'); use 'accuracy' or '${counted}'.`,
        );
      }
      return 'accuracy';
    }
  }
}

const METRIC_BY_NAME: ReadonlyMap<string, MetricName> = new Map(METRICS.map((name) => [name, name]));

export function resolveMetrics(metrics: unknown): MetricName[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new ValueError(`metrics must be an array of names, got ${show(metrics)}.`);
  return metrics.map((name) =>
    lookup(METRIC_BY_NAME, name, (given) => `Unknown metric ${show(given)}; expected one of: ${METRICS.join(', ')}.`),
  );
}

/**
 * How `loss` meets the output layer, validated: binary cross-entropy needs 1 unit (a sigmoid
 * output, or a linear one with fromLogits, trains in the fused logits form); the categorical
 * losses need ≥ 2 units and a softmax output (fused log-softmax) or a linear one with
 * fromLogits. Keras also accepts probability-space categorical cross-entropy on other
 * activations (it renormalizes and clips the outputs); that path is refused here: its gradient
 * through the renormalization is rarely what anyone wants (a sigmoid or ReLU output with a
 * categorical loss is nearly always a mistake), and the error says how to fix the model.
 * Softmax outputs only go with the categorical losses (their gradient is fused there).
 */
export function outputLossForm(
  loss: Loss,
  output: { readonly units: number; readonly activation: LayerActivation; readonly name?: string | undefined },
): LossForm {
  const layer = `the output layer '${output.name ?? 'dense'}'`;
  switch (loss.name) {
    case 'binary_crossentropy':
      if (output.units !== 1)
        throw new ShapeError(`binary_crossentropy needs an output layer of 1 unit; the last layer has ${output.units}.`);
      if (output.activation === 'softmax')
        throw new ValueError(`binary_crossentropy cannot train ${layer} with softmax (over 1 unit it is constant 1); use sigmoid.`);
      return output.activation === 'sigmoid' || (loss.fromLogits && output.activation === 'linear') ? 'logits' : 'probabilities';
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy':
      if (output.units < 2)
        throw new ShapeError(`${loss.name} needs an output layer of at least 2 units (one per class); ${layer} has ${output.units}.`);
      if (output.activation === 'softmax' && !loss.fromLogits) return 'logits';
      if (output.activation === 'linear' && loss.fromLogits) return 'logits';
      if (output.activation === 'softmax')
        throw new ValueError(
          `${loss.name} with fromLogits: true expects raw logits, but ${layer} applies softmax; drop fromLogits or make the layer linear.`,
        );
      throw new ValueError(
        `${loss.name} needs ${layer} to use softmax (or to be linear with fromLogits: true); it has activation '${output.activation}'.`,
      );
    case 'mean_squared_error':
      if (output.activation === 'softmax')
        throw new ValueError(
          `mean_squared_error is not supported with a softmax output (${layer}); use a linear output, or categorical_crossentropy.`,
        );
      return 'probabilities';
  }
}
