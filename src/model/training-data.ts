/**
 * fit's data: x, y and sample weights validated and split into training and validation parts,
 * and the order each epoch visits the training rows in.
 */
import { RandomState } from '../data/random.js';
import type { LabelledData } from '../engine/backend.js';
import type { LossKind } from '../spec/loss.js';
import { validationParts, type FitSettings } from './call-options.js';
import { splitForValidation, toMatrix, toTargets } from './inputs.js';
import { sampleWeights, type ClassWeight } from './sample-weights.js';

/** A random seed in [0, 2**32 − 1], as Keras draws one where none is given. */
export const randomSeed = (): number => Math.floor(Math.random() * 2 ** 32);

/**
 * The shuffle of epoch `epoch`, a function of (seed, epoch) only: training epoch by epoch with
 * `initialEpoch` (as the demo does) visits the same batches as one fit over all the epochs.
 */
function epochPermutation(seed: number, epoch: number, rows: number): Uint32Array<ArrayBuffer> {
  // Two rounds of a 32-bit integer hash (lowbias32) mix the epoch into the seed.
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  for (let round = 0; round < 2; round++) {
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return new Uint32Array(new RandomState(h).permutation(rows));
}

/** The order epoch `epoch` visits `rows` training rows in: shuffled by (seed, epoch), or as given. */
export function epochOrder(shuffle: boolean, seed: number, epoch: number, rows: number): Uint32Array<ArrayBuffer> {
  return shuffle ? epochPermutation(seed, epoch, rows) : Uint32Array.from({ length: rows }, (_, i) => i);
}

/** What the data is checked against: the model's input width (undefined: not known yet), output units and loss. */
export interface DataModel {
  readonly inputs: number | undefined;
  readonly units: number;
  readonly lossKind: LossKind;
}

/**
 * x, y and per-sample weights as LabelledData, validated for `model`; `prefix` names them in
 * messages (`validationData ` for validation data).
 */
export function labelledData(
  x: unknown,
  y: unknown,
  weights: { readonly sampleWeight: ArrayLike<number> | undefined; readonly classWeight?: ClassWeight | undefined },
  model: DataModel,
  prefix = '',
): LabelledData {
  const features = toMatrix(x, `${prefix}x`, model.inputs);
  const targets = toTargets(y, features.rows, `${prefix}y`, model.lossKind, model.units);
  const perSample = sampleWeights(
    targets,
    features.rows,
    model.lossKind,
    weights.sampleWeight,
    weights.classWeight,
    `${prefix}sampleWeight`,
  );
  return { x: features, y: targets, ...(perSample ? { weights: perSample } : {}) };
}

/** fit's x, y and weights, validated for `model`, with the validation part from validationData or validationSplit. */
export function fitData(
  x: unknown,
  y: unknown,
  settings: FitSettings,
  model: DataModel,
): { readonly train: LabelledData; readonly validation: LabelledData | undefined } {
  const train = labelledData(x, y, settings, model);
  if (settings.validationData) {
    const parts = validationParts(settings.validationData);
    return { train, validation: labelledData(parts.x, parts.y, parts, { ...model, inputs: train.x.cols }, 'validationData ') };
  }
  if (settings.validationSplit === undefined || settings.validationSplit === 0) return { train, validation: undefined };
  const { x: features, y: targets, weights } = train;
  const trainRows = splitForValidation(features.rows, settings.validationSplit);
  const cols = features.cols;
  const targetCols = targets.length / features.rows;
  const part = (from: number, to: number): LabelledData => ({
    x: { data: features.data.slice(from * cols, to * cols), rows: to - from, cols },
    y: targets.slice(from * targetCols, to * targetCols),
    ...(weights ? { weights: weights.slice(from, to) } : {}),
  });
  return { train: part(0, trainRows), validation: part(trainRows, features.rows) };
}
