/**
 * compile() settings ↔ a model file's training config (TF.js's `trainingConfig`, plus the
 * shadernet metadata it cannot hold). The one mapping between compile options and data: model
 * files use it, and so does WorkerModel to send compile() to its worker (compile-config.ts).
 * The optimizer's part is optimizer-json.ts.
 */
import type { LossKind } from '../../spec/loss.js';
import { ShapeError, UnsupportedError, ValueError } from '../../errors.js';
import type { CompileOptions } from '../compile.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  MeanSquaredError,
  metricQuantity,
  outputLossForm,
  SparseCategoricalCrossentropy,
  type Loss,
  type MetricName,
} from '../losses.js';
import type { Optimizer } from '../optimizers.js';
import type { ShadernetMetadata, TrainingConfig } from './format.js';
import { MODEL_LIMITS } from './limits.js';
import { optimizerJson, parseOptimizerJson } from './optimizer-json.js';
import type { ParsedLayer } from './topology.js';
import { describe, dict, get, isDict, loose, tooDeep, type Dict } from './untrusted-json.js';

/** What compile() was given, resolved: what a training config says. */
export interface CompileState {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly MetricName[];
}

/**
 * The training config (and the metadata it cannot hold) of a model's compile() settings: what
 * serializeModel writes, and what WorkerModel sends to its worker (see compile-config.ts).
 */
export function trainingConfigOf(compiled: CompileState): {
  readonly trainingConfig: TrainingConfig;
  readonly userDefinedMetadata: ShadernetMetadata;
} {
  return {
    trainingConfig: {
      loss: compiled.loss.name,
      metrics: [...compiled.metrics],
      optimizer_config: optimizerJson(compiled.optimizer),
    },
    userDefinedMetadata: { shadernet: { fromLogits: compiled.loss.fromLogits } },
  };
}

/** A training config, validated: what compile() gets. */
export interface ParsedTraining {
  readonly optimizer: Optimizer;
  readonly loss: LossKind;
  readonly fromLogits: boolean;
  readonly metrics: readonly MetricName[];
}

const COMPILE_HINT = 'pass { compile: false } to load the model without its training config';

/** Loss names and class names (loosely matched) → the loss. */
const LOSS_BY_LOOSE_NAME: ReadonlyMap<string, LossKind> = new Map([
  ['binarycrossentropy', 'binary_crossentropy'],
  ['categoricalcrossentropy', 'categorical_crossentropy'],
  ['sparsecategoricalcrossentropy', 'sparse_categorical_crossentropy'],
  ['meansquarederror', 'mean_squared_error'],
  ['mse', 'mean_squared_error'],
]);

function parseLoss(given: unknown, metadataFromLogits: boolean): { readonly loss: LossKind; readonly fromLogits: boolean } {
  // Keras nests a loss per output ([['binary_crossentropy']]): unwrapped in a loop, to the depth limit.
  let value = given;
  for (let depth = 1; Array.isArray(value) && value.length === 1; depth++) {
    if (depth > MODEL_LIMITS.jsonDepth) throw tooDeep('trainingConfig.loss');
    value = value[0] as unknown;
  }
  const name = typeof value === 'string' ? value : isDict(value) ? get(value, 'class_name') : undefined;
  const loss = typeof name === 'string' ? LOSS_BY_LOOSE_NAME.get(loose(name)) : undefined;
  if (loss === undefined) {
    throw new UnsupportedError(
      `trainingConfig.loss ${describe(value)} is not supported; expected binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy or mean_squared_error (${COMPILE_HINT}).`,
    );
  }
  if (typeof value === 'string') return { loss, fromLogits: loss !== 'mean_squared_error' && metadataFromLogits };
  const config = isDict(get(value as Dict, 'config')) ? (get(value as Dict, 'config') as Dict) : {};
  const fromLogits = loss === 'mean_squared_error' ? false : (get(config, 'from_logits') ?? get(config, 'fromLogits') ?? false);
  if (typeof fromLogits !== 'boolean')
    throw new ValueError(`trainingConfig.loss: from_logits must be true or false, got ${describe(fromLogits)}.`);
  const smoothing = get(config, 'label_smoothing') ?? get(config, 'labelSmoothing') ?? 0;
  if (smoothing !== 0)
    throw new UnsupportedError(`trainingConfig.loss: label_smoothing ${describe(smoothing)} is not supported (${COMPILE_HINT}).`);
  return { loss, fromLogits };
}

/** The loss object compile() gets for a parsed training config. */
function lossObject(loss: LossKind, fromLogits: boolean): Loss {
  switch (loss) {
    case 'binary_crossentropy':
      return new BinaryCrossentropy({ fromLogits });
    case 'categorical_crossentropy':
      return new CategoricalCrossentropy({ fromLogits });
    case 'sparse_categorical_crossentropy':
      return new SparseCategoricalCrossentropy({ fromLogits });
    case 'mean_squared_error':
      return new MeanSquaredError();
  }
}

/** Metric names and class names (loosely matched) → the metric. */
const METRIC_BY_LOOSE_NAME: ReadonlyMap<string, MetricName> = new Map([
  ['accuracy', 'accuracy'],
  ['acc', 'acc'],
  ['binaryaccuracy', 'binary_accuracy'],
  ['categoricalaccuracy', 'categorical_accuracy'],
  ['sparsecategoricalaccuracy', 'sparse_categorical_accuracy'],
  ['mse', 'mse'],
  ['meansquarederror', 'mean_squared_error'],
  ['mae', 'mae'],
  ['meanabsoluteerror', 'mean_absolute_error'],
]);

function parseMetric(value: unknown): MetricName {
  let identifier: unknown = value;
  if (isDict(value)) {
    const config = get(value, 'config');
    identifier = (isDict(config) ? get(config, 'name') : undefined) ?? get(value, 'class_name');
  }
  const metric = typeof identifier === 'string' ? METRIC_BY_LOOSE_NAME.get(loose(identifier)) : undefined;
  if (metric !== undefined) return metric;
  throw new UnsupportedError(
    `trainingConfig.metrics: metric ${describe(value)} is not supported; expected one of: ${[...METRIC_BY_LOOSE_NAME.values()].join(', ')} (${COMPILE_HINT}).`,
  );
}

function parseMetrics(value: unknown): MetricName[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new UnsupportedError(`trainingConfig.metrics must be a list of names, got ${describe(value)} (${COMPILE_HINT}).`);
  if (value.length > 16) throw new ValueError(`trainingConfig.metrics lists ${value.length} metrics, over the limit of 16.`);
  // Keras nests them per output: [['accuracy']].
  return value.flatMap((m: unknown) => (Array.isArray(m) && m.length <= 16 ? m.map(parseMetric) : [parseMetric(m)]));
}

/** The output layer as the training config is checked against it (its units and activation against the loss). */
export type OutputLayer = Pick<ParsedLayer, 'name' | 'units' | 'activation'>;

/** A training config read from a file (or a worker's message), validated against the output layer. */
export function parseTraining(raw: unknown, metadata: unknown, outputLayer: OutputLayer): ParsedTraining | undefined {
  if (raw === undefined || raw === null) return undefined;
  const config = dict(raw, 'trainingConfig');
  for (const key of ['weighted_metrics', 'loss_weights', 'sample_weight_mode']) {
    const v = get(config, key);
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
      throw new UnsupportedError(`trainingConfig.${key} ${describe(v)} is not supported (${COMPILE_HINT}).`);
    }
  }
  const shadernet = isDict(metadata) ? get(metadata, 'shadernet') : undefined;
  const metadataFromLogits = isDict(shadernet) && get(shadernet, 'fromLogits') === true;
  const { loss, fromLogits } = parseLoss(get(config, 'loss'), metadataFromLogits);
  const metrics = parseMetrics(get(config, 'metrics'));
  const optimizer = parseOptimizerJson(get(config, 'optimizer_config') ?? get(config, 'optimizer') ?? 'adam', COMPILE_HINT);
  // The output layer must suit the loss (what compile checks), before any model is built.
  try {
    outputLossForm(lossObject(loss, fromLogits), outputLayer);
    for (const metric of metrics) metricQuantity(metric, loss);
  } catch (error) {
    if (error instanceof ValueError || error instanceof ShapeError) {
      throw new UnsupportedError(`trainingConfig: ${error.message} (${COMPILE_HINT}).`, { cause: error });
    }
    throw error;
  }
  return { optimizer, loss, fromLogits, metrics };
}

/** compile() options of a validated training config (loading a file, or a WorkerModel's compile). */
export function compileOptionsOf(training: ParsedTraining): CompileOptions {
  return {
    optimizer: training.optimizer,
    loss: lossObject(training.loss, training.fromLogits),
    metrics: training.metrics,
  };
}
