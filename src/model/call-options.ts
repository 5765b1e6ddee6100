/**
 * The options of fit, evaluate and predict, and how a call's arguments are read: each option is
 * checked by type and range here (the data itself is checked in inputs.ts), and a Dataset given
 * in place of x and y is taken apart. Sequential and WorkerModel read their arguments the same way.
 */
import { ValueError } from '../errors.js';
import type { Callback } from './callbacks.js';
import { datasetTargets, isDatasetLike, type DatasetLike, type FeatureInput, type TargetInput } from './inputs.js';
import type { LogStyle } from './progress.js';
import type { ClassWeight } from './sample-weights.js';
import { boolean, kindOf, oneOf, optionalFunction, optionsOf, positiveInteger, seed } from './validate.js';
import { show } from '../show.js';

/** Validation data: `[x, y]`, `[x, y, sampleWeight]`, or a Dataset (Keras's validation_data). */
export type ValidationData = readonly [FeatureInput, TargetInput] | readonly [FeatureInput, TargetInput, ArrayLike<number>] | DatasetLike;

export interface FitOptions {
  /** Epochs to train (default 1). */
  readonly epochs?: number;
  /** Samples per gradient step (default 32); the last, partial batch is trained too. */
  readonly batchSize?: number;
  /** Data to evaluate at the end of every epoch, optionally with sample weights; overrides validationSplit. */
  readonly validationData?: ValidationData;
  /**
   * Per-sample loss weights (Keras's sample_weight): the loss is Σ w·loss / batch rows, and the
   * reported loss is the weighted one; metrics stay unweighted.
   */
  readonly sampleWeight?: ArrayLike<number>;
  /**
   * Loss weight per class index (Keras's class_weight): the binary label, the sparse label, or
   * the argmax of a one-hot row. With sampleWeight too, the two multiply.
   */
  readonly classWeight?: ClassWeight;
  /** Fraction in (0, 1) of the samples, taken from the end before shuffling, used for validation. */
  readonly validationSplit?: number;
  /** Reshuffle the training samples every epoch (default true). */
  readonly shuffle?: boolean;
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default: 1 in Node, 0 in browsers. */
  readonly verbose?: 0 | 1 | 2;
  /** Keras 3 (sorted keys, ━ bar) or Keras 2 (loss first, [===] bar) log lines. */
  readonly logStyle?: LogStyle;
  readonly callbacks?: Callback | readonly Callback[];
  /** Seed of the per-epoch shuffles, an integer in [0, 2**32 − 1]; random when omitted. */
  readonly seed?: number;
  /** Epoch to start counting from (to resume), default 0. */
  readonly initialEpoch?: number;
}

export interface EvaluateOptions {
  /** Rows per GPU dispatch; does not change the result (the mean is over all samples). */
  readonly batchSize?: number;
}

/** warm()'s options. */
export interface WarmOptions {
  /** Also compile what fit needs for sample or class weights (other loss pipelines); default false. */
  readonly sampleWeight?: boolean;
}

/** evaluate()'s options: EvaluateOptions plus Keras's per-sample weights. */
export interface EvaluationOptions extends EvaluateOptions {
  /**
   * Per-sample weights of the loss (Keras's sample_weight, reduced as Σ w·loss / rows); the
   * compiled metrics stay unweighted, as in Keras.
   */
  readonly sampleWeight?: ArrayLike<number>;
}

/** fit's options, checked, with their defaults. */
export interface FitSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly initialEpoch: number;
  readonly verbose: 0 | 1 | 2;
  readonly logStyle: LogStyle;
  readonly callbacks: readonly Callback[];
  /** undefined: a random seed per fit. */
  readonly seed: number | undefined;
  readonly shuffle: boolean;
  readonly validationData: ValidationData | undefined;
  /** undefined or 0: no split. */
  readonly validationSplit: number | undefined;
  readonly sampleWeight: ArrayLike<number> | undefined;
  readonly classWeight: ClassWeight | undefined;
}

const CALLBACK_HOOKS = ['setModel', 'onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchEnd'] as const;

/** fit's `callbacks` as a list, each checked: an object whose hooks, where present, are functions. */
export function callbackList(callbacks: unknown): readonly Callback[] {
  if (callbacks === undefined) return [];
  const list: readonly unknown[] = Array.isArray(callbacks) ? callbacks : [callbacks];
  list.forEach((callback, i) => {
    const what = Array.isArray(callbacks) ? `callbacks[${i}]` : 'callbacks';
    if (typeof callback !== 'object' || callback === null) {
      throw new ValueError(
        `callbacks must be a callback object or an array of them, got ${Array.isArray(callbacks) ? `${kindOf(callback)} at index ${i}` : kindOf(callback)}.`,
      );
    }
    for (const hook of CALLBACK_HOOKS) optionalFunction((callback as Record<string, unknown>)[hook], `${what}.${hook}`);
  });
  return list as readonly Callback[];
}

/** Checks every option of fit (the data-valued ones by kind; inputs.ts checks their contents). */
export function fitSettings(options: FitOptions | undefined, defaultVerbose: 0 | 1 | 2): FitSettings {
  const given = optionsOf(options, 'fit');
  const epochs = positiveInteger(given.epochs ?? 1, 'epochs');
  const initialEpoch = given.initialEpoch ?? 0;
  if (typeof initialEpoch !== 'number' || !Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ValueError(`initialEpoch must be an integer in [0, epochs), got ${show(initialEpoch)}.`);
  }
  const validationData = given.validationData;
  if (
    validationData !== undefined &&
    !isDatasetLike(validationData) &&
    !(Array.isArray(validationData) && validationData.length >= 2 && validationData.length <= 3)
  ) {
    throw new ValueError(`validationData must be [x, y], [x, y, sampleWeight] or a Dataset, got ${show(validationData)}.`);
  }
  const validationSplit = given.validationSplit;
  if (
    validationSplit !== undefined &&
    validationSplit !== 0 &&
    (typeof validationSplit !== 'number' || !(validationSplit > 0 && validationSplit < 1))
  ) {
    throw new ValueError(`validationSplit must be in (0, 1), got ${show(validationSplit)}.`);
  }
  const classWeight = given.classWeight;
  if (classWeight !== undefined && (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight))) {
    throw new ValueError('classWeight must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }.');
  }
  return {
    epochs,
    batchSize: positiveInteger(given.batchSize ?? 32, 'batchSize'),
    initialEpoch,
    verbose: oneOf(given.verbose ?? defaultVerbose, [0, 1, 2], 'verbose'),
    logStyle: oneOf(given.logStyle ?? 'keras3', ['keras3', 'keras2'], 'logStyle'),
    callbacks: callbackList(given.callbacks),
    seed: given.seed === undefined ? undefined : seed(given.seed, 'fit seed'),
    shuffle: boolean(given.shuffle ?? true, 'shuffle'),
    validationData,
    validationSplit,
    sampleWeight: given.sampleWeight,
    classWeight,
  };
}

/** evaluate's options, checked. */
export function evaluationSettings(options: (EvaluationOptions & { readonly returnDict?: boolean }) | undefined): {
  readonly batchSize: number | undefined;
  readonly sampleWeight: ArrayLike<number> | undefined;
  readonly returnDict: boolean;
} {
  const given = optionsOf(options, 'evaluate');
  return {
    batchSize: given.batchSize === undefined ? undefined : positiveInteger(given.batchSize, 'batchSize'),
    sampleWeight: given.sampleWeight,
    returnDict: boolean(given.returnDict ?? true, 'returnDict'),
  };
}

/** predict's batchSize, checked (undefined: the engine's default chunk). */
export function predictBatchSize(options: EvaluateOptions | undefined): number | undefined {
  const given = optionsOf(options, 'predict');
  return given.batchSize === undefined ? undefined : positiveInteger(given.batchSize, 'batchSize');
}

const isData = (value: unknown): boolean =>
  Array.isArray(value) || ArrayBuffer.isView(value) || (typeof value === 'object' && value !== null && 'data' in value && 'shape' in value);

/**
 * A labelled call's arguments, `(x, y, options)` or `(dataset, options)`, as x, y and options.
 * A Dataset gives both x and y (Keras takes no y with a dataset either).
 */
export function labelledArguments<O extends object>(
  call: string,
  first: FeatureInput | DatasetLike,
  second: TargetInput | O | undefined,
  third: O | undefined,
): { readonly x: FeatureInput | DatasetLike; readonly y: unknown; readonly options: O | undefined } {
  if (!isDatasetLike(first)) return { x: first, y: second, options: third };
  if (second !== undefined && isData(second)) {
    throw new ValueError(
      `${call}(dataset, options) takes x and y from the Dataset; got a second data argument (${kindOf(second)}). Pass either a Dataset or x and y.`,
    );
  }
  return { x: first, y: datasetTargets(first, call), options: (second as O | undefined) ?? third };
}

/** The x, y (and sample weights) of validationData. */
export function validationParts(data: ValidationData): {
  readonly x: unknown;
  readonly y: unknown;
  readonly sampleWeight: ArrayLike<number> | undefined;
} {
  if (isDatasetLike(data)) return { x: data, y: datasetTargets(data, 'validationData'), sampleWeight: undefined };
  return { x: data[0], y: data[1], sampleWeight: data[2] };
}
