/**
 * fit's data: x, y and sample weights validated and split into training and validation parts,
 * and the order each epoch visits the training rows in.
 */
import { RandomState } from '../data/random.js';
import type { LabelledData } from '../engine/backend.js';
import type { LossKind } from '../engine/loss.js';
import { validationParts, type FitSettings } from './call-options.js';
import { splitForValidation, toMatrix, toTargets } from './inputs.js';
import { sampleWeights } from './sample-weights.js';

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

/**
 * fit's x, y and weights, validated for a model of `inputs` features (undefined: not known yet)
 * and `units` outputs, with the validation part from validationData or validationSplit.
 */
export function fitData(
  x: unknown,
  y: unknown,
  settings: FitSettings,
  model: { readonly inputs: number | undefined; readonly units: number; readonly lossKind: LossKind },
): { readonly train: LabelledData; readonly validation: LabelledData | undefined } {
  const { lossKind, units } = model;
  const features = toMatrix(x, 'x', model.inputs);
  const targets = toTargets(y, features.rows, 'y', lossKind, units);
  const weights = sampleWeights(targets, features.rows, lossKind, settings.sampleWeight, settings.classWeight);
  const train: LabelledData = { x: features, y: targets, ...(weights ? { weights } : {}) };
  if (settings.validationData) {
    const parts = validationParts(settings.validationData);
    const vx = toMatrix(parts.x, 'validationData x', features.cols);
    const vy = toTargets(parts.y, vx.rows, 'validationData y', lossKind, units);
    const vw = sampleWeights(vy, vx.rows, lossKind, parts.sampleWeight, undefined, 'validationData sampleWeight');
    return { train, validation: { x: vx, y: vy, ...(vw ? { weights: vw } : {}) } };
  }
  if (settings.validationSplit === undefined || settings.validationSplit === 0) return { train, validation: undefined };
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
