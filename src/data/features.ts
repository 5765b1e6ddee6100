/**
 * Input features of a 2-D dataset, as the TensorFlow Playground offers them: x₁, x₂, x₁², x₂²,
 * x₁·x₂, sin x₁, sin x₂. A model that takes features is trained, validated and drawn on the same
 * expansion of its points; {@link expandFeatures} is that one expansion. Columns always come in
 * the canonical order of {@link FEATURE_NAMES}, whatever order a selection lists them in, so a
 * saved feature list means one column layout (how to rebuild it elsewhere: README, Input features).
 */
import { ShapeError, ValueError } from '../errors.js';

/** Every feature, in canonical (column) order. The names are what model files and links store. */
export const FEATURE_NAMES = ['x1', 'x2', 'x1_sq', 'x2_sq', 'x1_x2', 'sin_x1', 'sin_x2'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** The plain (x₁, x₂) input: what a model without features takes. */
export const RAW_FEATURES: readonly FeatureName[] = ['x1', 'x2'];

/** Each feature's value at a point, and its label in formulas. */
export const FEATURES: Readonly<Record<FeatureName, { readonly label: string; readonly value: (x1: number, x2: number) => number }>> = {
  x1: { label: 'x₁', value: (x1) => x1 },
  x2: { label: 'x₂', value: (_x1, x2) => x2 },
  x1_sq: { label: 'x₁²', value: (x1) => x1 * x1 },
  x2_sq: { label: 'x₂²', value: (_x1, x2) => x2 * x2 },
  x1_x2: { label: 'x₁x₂', value: (x1, x2) => x1 * x2 },
  sin_x1: { label: 'sin(x₁)', value: (x1) => Math.sin(x1) },
  sin_x2: { label: 'sin(x₂)', value: (_x1, x2) => Math.sin(x2) },
};

/** Whether `name` is a feature's name (an own key: 'toString' and '__proto__' are not). */
export function isFeatureName(name: unknown): name is FeatureName {
  return typeof name === 'string' && Object.hasOwn(FEATURES, name);
}

/**
 * A selection of features, checked and put in canonical order. Throws a ValueError for a
 * selection that is not an array, is empty, names an unknown feature or names one twice.
 */
export function canonicalFeatures(features: readonly unknown[]): FeatureName[] {
  if (!Array.isArray(features))
    throw new ValueError(`Features must be an array of feature names (${FEATURE_NAMES.join(', ')}), got ${typeof features}.`);
  if (features.length === 0) throw new ValueError(`Select at least one feature (${FEATURE_NAMES.join(', ')}); the selection is empty.`);
  const seen = new Set<FeatureName>();
  for (const name of features as unknown[]) {
    if (!isFeatureName(name)) {
      const shown = typeof name === 'string' ? `'${name.slice(0, 40)}'` : typeof name;
      throw new ValueError(`Unknown feature ${shown}; the features are ${FEATURE_NAMES.join(', ')}.`);
    }
    if (seen.has(name)) throw new ValueError(`Feature '${name}' is selected twice.`);
    seen.add(name);
  }
  return FEATURE_NAMES.filter((name) => seen.has(name));
}

/**
 * The feature matrix of `rows` points: `x` holds them row-major as (x₁, x₂) pairs; the result
 * holds rows × features.length values, row-major, one column per selected feature in canonical
 * order, of the same array type as `x`. Throws a ValueError for a bad selection (see
 * canonicalFeatures) and a ShapeError when `x` does not hold `rows` pairs.
 */
export function expandFeatures<T extends Float32Array | Float64Array>(x: T, rows: number, features: readonly FeatureName[]): T {
  const columns = canonicalFeatures(features).map((name) => FEATURES[name].value);
  if (!Number.isInteger(rows) || rows < 0 || x.length !== rows * 2) {
    throw new ShapeError(
      `expandFeatures takes ${rows} rows of (x1, x2): ${Number.isInteger(rows) && rows >= 0 ? rows * 2 : 'a whole number of'} values, got ${x.length}.`,
    );
  }
  const width = columns.length;
  const out = new (x.constructor as new (length: number) => T)(rows * width);
  for (let row = 0; row < rows; row++) {
    const x1 = x[2 * row]!;
    const x2 = x[2 * row + 1]!;
    for (let c = 0; c < width; c++) out[row * width + c] = columns[c]!(x1, x2);
  }
  return out;
}

/** "x₁, x₂, sin(x₁)": a selection's labels, canonical order. */
export function featureLabels(features: readonly FeatureName[]): string {
  return canonicalFeatures(features)
    .map((name) => FEATURES[name].label)
    .join(', ');
}

/** Whether a selection is the plain (x₁, x₂) input. */
export function isRawInput(features: readonly FeatureName[]): boolean {
  return features.length === 2 && features.includes('x1') && features.includes('x2');
}
