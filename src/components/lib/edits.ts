/**
 * The playground's edits of its data, as pure functions of the state: a new kind of data (with
 * its own model while the model is still the previous kind's own), a clicked point added or
 * removed. Each returns the next state, or a sentence saying why the edit cannot be made.
 */
import type { BuiltData } from './data.js';
import { LIMITS, datasetModel, sameLayers, type DatasetModel, type DatasetSpec, type PlaygroundState } from './state.js';

/** The state on other data; `model` is set when the new kind brought its own model. */
export function withDataset(
  s: PlaygroundState,
  spec: DatasetSpec,
): { state: PlaygroundState; model: DatasetModel | undefined } | undefined {
  const custom = spec.kind === 'csv' ? s.custom : undefined;
  if (spec.kind === 'csv' && !custom) return undefined;
  const sameBase = JSON.stringify({ ...spec, validationRatio: 0 }) === JSON.stringify({ ...s.dataset, validationRatio: 0 });
  const own = datasetModel(s.dataset.kind);
  const hasOwnModel = sameLayers(s.layers, own.layers) && s.learningRate === own.learningRate;
  const model = spec.kind !== s.dataset.kind && hasOwnModel ? datasetModel(spec.kind) : undefined;
  return {
    state: {
      ...s,
      ...(model ? { layers: model.layers, learningRate: model.learningRate } : {}),
      dataset: spec,
      custom,
      added: sameBase ? s.added : [],
      removed: sameBase && spec.validationRatio === s.dataset.validationRatio ? s.removed : [],
    },
    model,
  };
}

export function withPointAdded(s: PlaygroundState, point: { x: number; y: number; label: number }): PlaygroundState | string {
  if (s.added.length >= LIMITS.urlPoints) return `At most ${LIMITS.urlPoints} points can be added.`;
  return { ...s, added: [...s.added, { x: point.x, y: point.y, label: point.label }] };
}

/** Removes shown point `index` of a set: an added point is dropped, a base point remembered as removed. */
export function withPointRemoved(
  s: PlaygroundState,
  data: BuiltData,
  set: 'train' | 'validation',
  index: number,
): PlaygroundState | string | undefined {
  const origin = (set === 'train' ? data.trainOrigin : data.validationOrigin)[index];
  if (origin === undefined) return undefined;
  const size = set === 'train' ? data.train.nSamples : data.validation.nSamples;
  if (size <= 1) return `The ${set === 'train' ? 'training' : 'validation'} set needs at least one point.`;
  if (origin < 0) {
    const k = -origin - 1;
    return { ...s, added: s.added.filter((_, i) => i !== k) };
  }
  if (s.removed.length >= LIMITS.urlRemoved) return `At most ${LIMITS.urlRemoved} points can be removed.`;
  return { ...s, removed: [...s.removed, origin].sort((a, b) => a - b) };
}
