/**
 * The TF.js `layers-model` format (model.json + little-endian float32 weights) as shadernet
 * writes it: the Keras-2 flavour that tfjs-layers 4.22 loads. See keras-semantics.md §7. This
 * file holds the format's types and names only; the reader and writer are split by job:
 * - topology.ts: the Keras model JSON ↔ layer configs;
 * - training-config.ts: compile settings ↔ the training config (optimizer-json.ts: its optimizer);
 * - weights.ts: the weights manifest ↔ weight buffers;
 * - artifacts.ts: a file's container (model.json or TF.js ModelArtifacts) and the parse of it all;
 * - serialize.ts: a model → its artifact; transports/: where artifacts are stored.
 * Model files are untrusted input; the limits in {@link MODEL_LIMITS} (limits.ts) are enforced.
 */
import type { LossKind } from '../../spec/loss.js';
import type { LayerActivation } from '../../spec/network.js';
import type { MetricName } from '../losses.js';
import type { ModelMetadata } from './metadata.js';

/** The TF.js format name; the only one shadernet reads or writes. */
export const LAYERS_MODEL_FORMAT = 'layers-model';

/** The weights file the `file://` handler writes (TF.js's browser handlers use the same name). */
export const WEIGHTS_FILE_NAME = 'model.weights.bin';

// ---------------------------------------------------------------------------------------------
// The format's types (what shadernet writes)

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A Keras initializer dict, e.g. `{ class_name: 'GlorotUniform', config: { seed: null } }`. */
export interface KerasInitializer {
  readonly class_name: string;
  readonly config: { readonly [key: string]: JsonValue };
}

/** A Dense layer's config, Keras 2 (tf.keras) field names and order. */
export interface DenseLayerConfig {
  readonly name: string;
  readonly trainable: boolean;
  /** First layer only: `[null, inputs]`. */
  readonly batch_input_shape?: readonly [null, number];
  readonly dtype: 'float32';
  readonly units: number;
  readonly activation: LayerActivation;
  /**
   * leaky_relu's / elu's parameter, written only when it differs from the default. Keras's
   * Dense config has no such key (a Keras activation string always means the default), so
   * shadernet adds one: `alpha`, the name of keras.activations.elu's argument. Keras and TF.js
   * ignore it (TF.js also has no leaky_relu activation): such a model loads back exactly only
   * into shadernet; with default parameters the file stays plain Keras.
   */
  readonly alpha?: number;
  readonly use_bias: boolean;
  readonly kernel_initializer: KerasInitializer;
  readonly bias_initializer: KerasInitializer;
  /** TF.js's form, which tfjs-layers loads: `{ class_name: 'L1L2', config: { l1, l2 } }`. */
  readonly kernel_regularizer: KerasRegularizer | null;
  readonly bias_regularizer: null;
  readonly activity_regularizer: null;
  readonly kernel_constraint: null;
  readonly bias_constraint: null;
}

/** A regularizer dict as TF.js writes it. */
export interface KerasRegularizer {
  readonly class_name: 'L1L2';
  readonly config: { readonly l1: number; readonly l2: number };
}

/** A Dropout layer's config, Keras 2 (tf.keras) field names. */
export interface DropoutLayerConfig {
  readonly name: string;
  readonly trainable: boolean;
  /** First layer only: `[null, inputs]`. */
  readonly batch_input_shape?: readonly [null, number];
  readonly dtype: 'float32';
  readonly rate: number;
  readonly noise_shape: null;
  readonly seed: number | null;
}

export type LayerEntry =
  | { readonly class_name: 'Dense'; readonly config: DenseLayerConfig }
  | { readonly class_name: 'Dropout'; readonly config: DropoutLayerConfig };

export interface SequentialTopology {
  readonly class_name: 'Sequential';
  readonly config: {
    readonly name: string;
    readonly layers: readonly LayerEntry[];
  };
  readonly keras_version: string;
  readonly backend: string;
}

/** One weight of the manifest; its bytes follow the previous weight's in the weight data. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
}

export interface WeightsManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** TF.js's training config (what `LayersModel.save({ includeOptimizer })` writes). */
/** A Keras-serialized object: what `serialize_keras_object` writes. */
export interface SerializedObject {
  readonly module?: string;
  readonly class_name: string;
  readonly config: { readonly [key: string]: unknown };
  readonly registered_name?: null;
}

export interface TrainingConfig {
  readonly loss: LossKind;
  readonly metrics: readonly MetricName[];
  /** TF.js's Adam form, or Keras 3's for the other optimizers and schedules (see optimizer-json.ts). */
  readonly optimizer_config: SerializedObject;
}

/** Metadata TF.js keeps opaque (`getUserDefinedMetadata()`): what its training config cannot say. */
export interface ShadernetMetadata {
  readonly shadernet: { readonly fromLogits: boolean };
}

/** model.json as written. */
export interface ModelJson {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: SequentialTopology;
  readonly weightsManifest: readonly WeightsManifestGroup[];
  readonly trainingConfig?: TrainingConfig;
  /** The user's metadata (see SerializeOptions.metadata), and shadernet's of a compiled model. */
  readonly userDefinedMetadata?: ModelMetadata;
}

/**
 * A saved model in memory: `modelJson` (model.json) and `weightData` (model.weights.bin), plus
 * the same content in TF.js's `ModelArtifacts` shape (`modelTopology`, `weightSpecs`, `format`,
 * ...), so a TF.js `IOHandler` can be given it as it is.
 */
export interface ModelArtifact {
  readonly modelJson: ModelJson;
  readonly weightData: ArrayBuffer;
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: SequentialTopology;
  readonly weightSpecs: readonly WeightSpec[];
  readonly trainingConfig?: TrainingConfig;
  /** The user's metadata (see SerializeOptions.metadata), and shadernet's of a compiled model. */
  readonly userDefinedMetadata?: ModelMetadata;
}

/** The parts of a model file, whichever container they came in (model.json or TF.js ModelArtifacts). */
export interface RawArtifacts {
  readonly format?: unknown;
  readonly modelTopology: unknown;
  readonly weightSpecs: unknown;
  readonly trainingConfig?: unknown;
  readonly userDefinedMetadata?: unknown;
}
