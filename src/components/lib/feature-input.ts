/**
 * The playground's models take input features (x₁², sin x₁, …) computed from the plane's points:
 * a FeatureExpander turns every matrix of (x₁, x₂) points a model sees (training and validation
 * sets, the decision map's grid) into its feature matrix, through the one expansion of
 * data/features.ts, so training, validation and the maps agree. Expansions are cached per
 * points array: the same grid or dataset is expanded once, not at every epoch.
 */
import { expandFeatures, isRawInput, RAW_FEATURES, type FeatureName } from '../../data/features.js';
import type { Dataset } from '../../index.js';

type Matrix<T extends Float32Array | Float64Array> = { readonly data: T; readonly shape: [number, number] };

export class FeatureExpander {
  readonly features: readonly FeatureName[];
  private readonly cache = new WeakMap<Float32Array | Float64Array, Float32Array | Float64Array>();

  constructor(features: readonly FeatureName[] = RAW_FEATURES) {
    this.features = features;
  }

  /** Columns of the model's input. */
  get width(): number {
    return this.features.length;
  }

  private expand<T extends Float32Array | Float64Array>(x: T, rows: number): T {
    if (isRawInput(this.features)) return x;
    let out = this.cache.get(x) as T | undefined;
    if (!out) this.cache.set(x, (out = expandFeatures(x, rows, this.features)));
    return out;
  }

  /** A dataset's (x₁, x₂) points as the model's input matrix. */
  dataset(set: Dataset): Matrix<Float64Array> {
    return { data: this.expand(set.x, set.nSamples), shape: [set.nSamples, this.width] };
  }

  /**
   * A matrix of (x₁, x₂) points (`{ data, shape: [rows, 2] }`, e.g. a decision map's grid) as the
   * model's input; anything else (already features, nested arrays) is passed on as it is.
   */
  points<X>(x: X): X {
    if (isRawInput(this.features) || typeof x !== 'object' || x === null || !('data' in x) || !('shape' in x)) return x;
    const { data, shape } = x as { data: unknown; shape: readonly number[] };
    if (!(data instanceof Float32Array || data instanceof Float64Array) || shape.length !== 2 || shape[1] !== 2) return x;
    return { data: this.expand(data, shape[0]!), shape: [shape[0]!, this.width] } as X;
  }
}
