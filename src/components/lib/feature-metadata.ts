/**
 * The playground's input features in a model file: `userDefinedMetadata.features`, the feature
 * names in canonical (column) order, e.g. `["x1", "x2", "sin_x1"]` (README, Input features).
 */
import { canonicalFeatures, RAW_FEATURES, type FeatureName } from '../../data/features.js';
import type { ModelMetadata } from '../../index.js';

/** The metadata a saved playground model carries. */
export function featureMetadata(features: readonly FeatureName[]): ModelMetadata {
  return { features: [...features] };
}

/**
 * The features of a loaded model's metadata: its `features` list, checked (known names, each
 * once, not empty), or (x₁, x₂) when there is none. Throws saying what is wrong.
 */
export function featuresOfMetadata(metadata: ModelMetadata | undefined): readonly FeatureName[] {
  const listed = metadata?.features;
  if (listed === undefined) return RAW_FEATURES;
  if (!Array.isArray(listed))
    throw new Error(`its metadata's features must be a list of feature names, got ${JSON.stringify(listed).slice(0, 60)}.`);
  let features: FeatureName[];
  try {
    features = canonicalFeatures(listed);
  } catch (error) {
    throw new Error(`its metadata's features are not the playground's: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  // The list is the column order of the model's input: only the canonical one is the playground's.
  if (features.some((name, i) => name !== listed[i]))
    throw new Error(`its metadata's features must be listed in the order ${features.join(', ')}.`);
  return features;
}
