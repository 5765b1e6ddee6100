/**
 * The TF.js `layers-model` format (model.json + little-endian float32 weights): export in the
 * Keras-2 flavour that tfjs-layers 4.22 loads, strict import of what shadernet, TF.js 4.22 and
 * the TF.js converter (Keras 2 and Keras 3 models) write. See keras-semantics.md §7.
 *
 * Import never half-builds a model: the topology, the training config, the weights manifest,
 * the byte length and every weight value are validated before the first object is created.
 * Model files are untrusted input; the limits in {@link MODEL_LIMITS} are enforced.
 */
import { ShapeError, StateError, UnsupportedError, ValueError } from '../../errors.js';
import type { GpuContext } from '../../gpu/context.js';
import type { BackendName } from '../../spec/backend.js';
import type { LossKind } from '../../spec/loss.js';
import type { LayerActivation } from '../../spec/network.js';
import { ACTIVATIONS, defaultAlpha, hasAlpha, resolveAlpha } from '../../spec/activations.js';
import type { InitializerName } from '../initializers.js';
import { Dense, Dropout } from '../layers.js';
import { L1L2 } from '../regularizers.js';
import { BinaryCrossentropy, CategoricalCrossentropy, MeanSquaredError, metricQuantity, outputLossForm, SparseCategoricalCrossentropy, type Loss, type MetricName } from '../losses.js';
import type { Optimizer } from '../optimizers.js';
import { MODEL_LIMITS } from './limits.js';
import { checkName, NAME_FIELDS } from './names.js';
import { describe } from './untrusted-json.js';
import { optimizerJson, parseOptimizerJson, type SerializedObject } from './optimizer-json.js';
import { checkNesting, parseJsonText, tooDeep } from './untrusted-json.js';
import { Sequential, type CompileOptions } from '../sequential.js';
import { boolean, optionsOf } from '../validate.js';

/** Written as `generatedBy: 'shadernet <version>'` (keep in step with package.json). */
export { SHADERNET_VERSION } from '../../version.js';
import { SHADERNET_VERSION } from '../../version.js';

export { MODEL_LIMITS } from './limits.js';

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
  readonly userDefinedMetadata?: ShadernetMetadata;
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
  readonly userDefinedMetadata?: ShadernetMetadata;
}

export interface SerializeOptions {
  /** Write `trainingConfig` (loss, metrics, Adam's hyperparameters) of a compiled model (default true). */
  readonly includeTrainingConfig?: boolean;
}

export interface DeserializeOptions {
  /** GPU of the new model (the shared default GPU when omitted). */
  readonly gpu?: GpuContext;
  /** Engine of the new model (see SequentialOptions.backend; default 'auto'). */
  readonly backend?: BackendName | 'auto';
  /** Seed of the new model (it only matters for what is not loaded, e.g. fit's shuffles use their own). */
  readonly seed?: number;
  /**
   * Compile the model from the file's training config when it has one (default true). With
   * false the training config is ignored (not even validated): load a model trained elsewhere
   * with an optimizer or loss shadernet does not have, for inference or to compile anew.
   */
  readonly compile?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Export

const KERAS_VERSION = `shadernet ${SHADERNET_VERSION}`;
const BACKEND = 'webgpu';

/**
 * Initializers as Keras classes TF.js 4.22 also deserializes. The LeCun ones are written as
 * their VarianceScaling form: Keras spells the class `LecunNormal`, TF.js `LeCunNormal`, and
 * TF.js registers no `LeCunUniform` class at all; `distribution: 'normal'` is the truncated
 * normal in Keras 2, Keras 3 and TF.js alike.
 */
const INITIALIZER_EXPORT: Readonly<Record<InitializerName, KerasInitializer>> = {
  glorotUniform: { class_name: 'GlorotUniform', config: { seed: null } },
  glorotNormal: { class_name: 'GlorotNormal', config: { seed: null } },
  heUniform: { class_name: 'HeUniform', config: { seed: null } },
  heNormal: { class_name: 'HeNormal', config: { seed: null } },
  lecunUniform: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'uniform', seed: null } },
  lecunNormal: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'normal', seed: null } },
  randomUniform: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
  randomNormal: { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  zeros: { class_name: 'Zeros', config: {} },
  ones: { class_name: 'Ones', config: {} },
};

/** The Keras class dict of a shadernet initializer (a fresh copy). */
export function kerasInitializer(name: InitializerName): KerasInitializer {
  const entry = INITIALIZER_EXPORT[name];
  return { class_name: entry.class_name, config: { ...entry.config } };
}

export interface CompileState {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly MetricName[];
}

/** The compile() settings of a model, if it was compiled. */
function compileState(model: Sequential): CompileState | undefined {
  return model.compileConfig;
}

/**
 * The training config (and the metadata it cannot hold) of a model's compile() settings: what
 * serializeModel writes, and what WorkerModel sends to its worker (see compile-config.ts).
 */
export function trainingConfigOf(compiled: CompileState): { readonly trainingConfig: TrainingConfig; readonly userDefinedMetadata: ShadernetMetadata } {
  return {
    trainingConfig: {
      loss: compiled.loss.name,
      metrics: [...compiled.metrics],
      optimizer_config: optimizerJson(compiled.optimizer),
    },
    userDefinedMetadata: { shadernet: { fromLogits: compiled.loss.fromLogits } },
  };
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function float32Bytes(arrays: readonly Float32Array[]): ArrayBuffer {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const out = new ArrayBuffer(total * 4);
  let offset = 0;
  for (const values of arrays) {
    if (littleEndianHost) new Float32Array(out, offset, values.length).set(values);
    else {
      const view = new DataView(out, offset, values.length * 4);
      values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    }
    offset += values.length * 4;
  }
  return out;
}

/** A weight's manifest name. String(): a layer name that is not a string must reach the name check, not a template's TypeError. */
const weightName = (layerName: string, kind: 'kernel' | 'bias'): string => `${String(layerName)}/${kind}`;

/**
 * The model as TF.js's layers-model artifact: Keras-2-flavoured model.json (the first Dense
 * carries `batch_input_shape: [null, inputs]`, `dtype: 'float32'`, Keras initializer classes)
 * and the weights as little-endian float32, row-major, in manifest order
 * (`[dense/kernel, dense/bias, dense_1/kernel, ...]`). A compiled model also gets TF.js's
 * `trainingConfig` (Adam's hyperparameters; the optimizer's moments are not saved).
 * Throws a StateError for a model that is not built (input size unknown) or disposed, and the
 * error loadModel would give for a model it could not load back (a name over the limit...).
 */
export async function serializeModel(model: Sequential, options: SerializeOptions = {}): Promise<ModelArtifact> {
  if (!(model instanceof Sequential)) throw new ValueError(`serializeModel takes a Sequential model, got ${describe(model)}.`);
  const includeTrainingConfig = boolean(optionsOf(options, 'serializeModel').includeTrainingConfig ?? true, 'serializeModel includeTrainingConfig');
  const layers = model.layers;
  if (layers.length === 0) throw new StateError(`Cannot save model '${model.name}': it has no layers.`);
  const names = layers.map((layer, i) => layer.name ?? (i === 0 ? layer.className.toLowerCase() : `${layer.className.toLowerCase()}_${i}`));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new ValueError(`Cannot save model '${model.name}': two layers are named '${name}'; weight names (${weightName(name, 'kernel')}) must be unique.`);
    }
    seen.add(name);
  }
  let weights: Float32Array[];
  try {
    weights = await model.getWeights();
  } catch (error) {
    if (error instanceof StateError) {
      throw new StateError(`Cannot save model '${model.name}': model not built. ${error.message}`, { cause: error });
    }
    throw error;
  }
  const first = layers.find((layer): layer is Dense => layer instanceof Dense);
  if (!first) throw new StateError(`Cannot save model '${model.name}': it has no Dense layer.`);
  const inputs = first.inputDim ?? (weights[0] ? weights[0].length / first.units : Number.NaN);
  if (!Number.isInteger(inputs) || inputs < 1) {
    throw new StateError(`Cannot save model '${model.name}': model not built (its input size is unknown).`);
  }
  const specs: WeightSpec[] = [];
  let inputsHere = inputs;
  const layerConfigs = layers.map((layer, i): LayerEntry => {
    if (layer instanceof Dropout) {
      const config: DropoutLayerConfig = {
        name: names[i]!,
        trainable: true,
        ...(i === 0 ? { batch_input_shape: [null, inputs] as const } : {}),
        dtype: 'float32',
        rate: layer.rate,
        noise_shape: null,
        seed: layer.seed ?? null,
      };
      return { class_name: 'Dropout', config };
    }
    const layerInputs = inputsHere;
    inputsHere = layer.units;
    const regularizer = layer.kernelRegularizer;
    specs.push({ name: weightName(names[i]!, 'kernel'), shape: [layerInputs, layer.units], dtype: 'float32' });
    if (layer.useBias) specs.push({ name: weightName(names[i]!, 'bias'), shape: [layer.units], dtype: 'float32' });
    const config: DenseLayerConfig = {
      name: names[i]!,
      trainable: true,
      ...(i === 0 ? { batch_input_shape: [null, inputs] as const } : {}),
      dtype: 'float32',
      units: layer.units,
      activation: layer.activation,
      ...(layer.alpha !== undefined && layer.alpha !== defaultAlpha(layer.activation) ? { alpha: layer.alpha } : {}),
      use_bias: layer.useBias,
      kernel_initializer: kerasInitializer(layer.kernelInitializer),
      bias_initializer: kerasInitializer(layer.biasInitializer),
      kernel_regularizer: regularizer ? { class_name: 'L1L2', config: { l1: regularizer.l1, l2: regularizer.l2 } } : null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
    return { class_name: 'Dense', config };
  });
  if (weights.length !== specs.length || weights.some((w, i) => w.length !== specs[i]!.shape.reduce((a, b) => a * b, 1))) {
    throw new StateError(`Cannot save model '${model.name}': its weights do not match its layers (${weights.length} arrays for ${specs.length} weights).`);
  }
  weights.forEach((values, i) => {
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ValueError(`Cannot save model '${model.name}': weight '${specs[i]!.name}' holds a non-finite value (${values[bad]}) at index ${bad}; such a file could not be loaded.`);
    }
  });
  const modelTopology: SequentialTopology = {
    class_name: 'Sequential',
    config: { name: model.name, layers: layerConfigs },
    keras_version: KERAS_VERSION,
    backend: BACKEND,
  };
  const compiled = includeTrainingConfig ? compileState(model) : undefined;
  const { trainingConfig, userDefinedMetadata } = compiled ? trainingConfigOf(compiled) : { trainingConfig: undefined, userDefinedMetadata: undefined };
  const generatedBy = `shadernet ${SHADERNET_VERSION}`;
  const modelJson: ModelJson = {
    format: LAYERS_MODEL_FORMAT,
    generatedBy,
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights: specs }],
    ...(trainingConfig ? { trainingConfig } : {}),
    ...(userDefinedMetadata ? { userDefinedMetadata } : {}),
  };
  // What save writes, load must read back. Everything else in the file comes from checked
  // objects (layers, compile settings); names are checked here with the loader's own rule and
  // wording, in the loader's order, before anything is written anywhere.
  checkName(model.name, NAME_FIELDS.model);
  layers.forEach((layer, i) => checkName(names[i], NAME_FIELDS.layer(i, layer.className)));
  specs.forEach((spec, i) => checkName(spec.name, NAME_FIELDS.weight(i)));
  return {
    modelJson,
    weightData: float32Bytes(weights),
    format: LAYERS_MODEL_FORMAT,
    generatedBy,
    convertedBy: null,
    modelTopology,
    weightSpecs: specs,
    ...(trainingConfig ? { trainingConfig } : {}),
    ...(userDefinedMetadata ? { userDefinedMetadata } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Import: validation helpers

export type Dict = { readonly [key: string]: unknown };

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a parsed file's `__proto__` or `constructor` key is data, never inherited. */
export function get(dict: Dict, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

function present(dict: Dict, key: string): boolean {
  const value = get(dict, key);
  return value !== undefined && value !== null;
}


export function dict(value: unknown, what: string): Dict {
  if (!isDict(value)) throw new ValueError(`${what} must be an object, got ${describe(value)}.`);
  return value;
}

const name = (value: unknown, what: string): string => checkName(value, what);

/** A positive integer ≤ limit (units, features). */
function size(value: unknown, what: string, limit: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${what} must be a positive integer, got ${describe(value)}.`);
  }
  if (value > limit) throw new ValueError(`${what} is ${value}, over the limit of ${limit.toLocaleString('en-US')}.`);
  return value;
}

export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValueError(`${what} must be a finite number, got ${describe(value)}.`);
  return value;
}

/** snake_case, camelCase or PascalCase → lower case without separators: `binary_crossentropy` ≡ `binaryCrossentropy`. */
export function loose(identifier: string): string {
  return identifier.replace(/_/g, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Import: topology

/** A Dropout read from a topology; it applies to the input of the Dense layer it precedes. */
export interface ParsedDropout {
  readonly name: string;
  readonly rate: number;
  readonly seed: number | undefined;
}

export interface ParsedLayer {
  readonly name: string;
  /** The Dropout layers just before this Dense layer, in order. */
  readonly dropoutsBefore?: readonly ParsedDropout[];
  readonly kernelRegularizer?: { readonly l1: number; readonly l2: number };
  readonly units: number;
  readonly activation: LayerActivation;
  /** Only for activations with a parameter (leaky_relu, elu), when the file gives one. */
  readonly alpha?: number;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
}

interface ParsedTopology {
  readonly name: string;
  readonly inputs: number;
  readonly layers: readonly ParsedLayer[];
  /** `training_config` of a `{ model_config, training_config }` topology (Keras converter). */
  readonly wrappedTrainingConfig: unknown;
}

/** Keras 2 `batch_input_shape`, Keras 3 `batch_shape`, `input_shape`, `input_dim`: the feature count, if given. */
function declaredInputs(config: Dict, label: string): number | undefined {
  for (const key of ['batch_input_shape', 'batch_shape']) {
    if (!present(config, key)) continue;
    const shape = get(config, key);
    if (!Array.isArray(shape)) throw new ValueError(`${label}: ${key} must be [null, features], got ${describe(shape)}.`);
    if (shape.length !== 2) {
      if (shape.length > 2) {
        throw new UnsupportedError(`${label}: ${key} ${describe(shape)} has ${shape.length} dimensions; shadernet's Dense models take [batch, features].`);
      }
      throw new ShapeError(`${label}: ${key} must be [null, features], got ${describe(shape)}.`);
    }
    if (shape[0] !== null) size(shape[0], `${label}: ${key}[0] (the batch size)`, Number.MAX_SAFE_INTEGER);
    return size(shape[1], `${label}: ${key}[1] (input features)`, MODEL_LIMITS.units);
  }
  if (present(config, 'input_shape')) {
    const shape = get(config, 'input_shape');
    if (!Array.isArray(shape) || shape.length !== 1) {
      if (Array.isArray(shape) && shape.length > 1) {
        throw new UnsupportedError(`${label}: input_shape ${describe(shape)} has ${shape.length} dimensions; shadernet's Dense models take [features].`);
      }
      throw new ShapeError(`${label}: input_shape must be [features], got ${describe(shape)}.`);
    }
    return size(shape[0], `${label}: input_shape[0] (input features)`, MODEL_LIMITS.units);
  }
  if (present(config, 'input_dim')) return size(get(config, 'input_dim'), `${label}: input_dim`, MODEL_LIMITS.units);
  return undefined;
}

/** dtype as Keras 2 / TF.js (`'float32'`) or Keras 3 (`{ class_name: 'DTypePolicy', config: { name } }`). */
function checkDtype(config: Dict, label: string): void {
  const dtype = get(config, 'dtype');
  if (dtype === undefined || dtype === null) return;
  let resolved: unknown = dtype;
  if (isDict(dtype)) {
    const className = get(dtype, 'class_name');
    if (className !== 'DTypePolicy' && className !== 'Policy' && className !== 'FloatDTypePolicy') {
      throw new UnsupportedError(`${label}: dtype policy ${describe(dtype)} is not supported; expected float32.`);
    }
    const inner = get(dtype, 'config');
    resolved = isDict(inner) ? get(inner, 'name') : undefined;
  }
  if (resolved !== 'float32') throw new UnsupportedError(`${label}: dtype ${describe(dtype)} is not supported; shadernet computes in float32.`);
}

const LAYER_ACTIVATIONS: readonly LayerActivation[] = [...ACTIVATIONS, 'softmax'];

function parseActivation(value: unknown, label: string): LayerActivation {
  if (value === undefined || value === null) return 'linear';
  let identifier: unknown = value;
  // Keras 3 may serialize a built-in activation as { class_name: 'function', config: 'relu' }.
  if (isDict(value)) identifier = get(value, 'config');
  if (typeof identifier !== 'string') throw new ValueError(`${label}: activation must be a name, got ${describe(value)}.`);
  const match = LAYER_ACTIVATIONS.find((a) => loose(a) === loose(identifier as string));
  if (match) return match;
  throw new UnsupportedError(`${label}: activation '${identifier}' is not supported; expected one of: ${LAYER_ACTIVATIONS.join(', ')}.`);
}

/** A Dense config's `alpha` (shadernet's key, see DenseLayerConfig.alpha), checked against its activation. */
function parseAlpha(config: Dict, activation: LayerActivation, label: string): number | undefined {
  if (!present(config, 'alpha')) return undefined;
  const alpha = get(config, 'alpha');
  if (!hasAlpha(activation)) throw new ValueError(`${label}: alpha ${describe(alpha)} is given, but activation '${activation}' has no parameter.`);
  if (typeof alpha !== 'number') throw new ValueError(`${label}: alpha must be a number, got ${describe(alpha)}.`);
  return resolveAlpha(activation, alpha, `${label}: alpha`);
}

// Tables looked up by names from files are Maps: a plain object would also find `constructor`,
// `__proto__`, `toString`... on its prototype.
const INITIALIZER_BY_LOOSE_NAME: ReadonlyMap<string, InitializerName> = new Map([
  ['glorotuniform', 'glorotUniform'],
  ['glorotnormal', 'glorotNormal'],
  ['heuniform', 'heUniform'],
  ['henormal', 'heNormal'],
  ['lecununiform', 'lecunUniform'],
  ['lecunnormal', 'lecunNormal'],
  ['zeros', 'zeros'],
  ['zero', 'zeros'],
  ['ones', 'ones'],
  ['one', 'ones'],
]);

/**
 * A Keras / TF.js initializer as a shadernet one. The loaded weights replace what an
 * initializer would draw, so one with no shadernet equivalent (Orthogonal, Constant, other
 * VarianceScaling settings...) loads as the Keras default instead of failing.
 */
function parseInitializer(value: unknown, fallback: InitializerName, what: string): InitializerName {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return INITIALIZER_BY_LOOSE_NAME.get(loose(value)) ?? fallback;
  if (!isDict(value)) throw new ValueError(`${what} must be an initializer name or { class_name, config }, got ${describe(value)}.`);
  const className = get(value, 'class_name');
  if (typeof className !== 'string') throw new ValueError(`${what}.class_name must be a string, got ${describe(className)}.`);
  const rawConfig = get(value, 'config');
  const config = isDict(rawConfig) ? rawConfig : {};
  const num = (key: string, otherwise: number): unknown => get(config, key) ?? otherwise;
  const direct = INITIALIZER_BY_LOOSE_NAME.get(loose(className));
  if (direct) return direct;
  switch (loose(className)) {
    case 'randomuniform':
      return num('minval', -0.05) === -0.05 && num('maxval', 0.05) === 0.05 ? 'randomUniform' : fallback;
    case 'randomnormal':
      return num('mean', 0) === 0 && num('stddev', 0.05) === 0.05 ? 'randomNormal' : fallback;
    case 'variancescaling': {
      const scale = num('scale', 1);
      const mode = get(config, 'mode') ?? 'fan_in';
      const distribution = get(config, 'distribution') ?? 'truncated_normal';
      if (typeof mode !== 'string' || typeof distribution !== 'string') return fallback;
      const kind = loose(distribution) === 'uniform' ? 'Uniform' : ['normal', 'truncatednormal'].includes(loose(distribution)) ? 'Normal' : undefined;
      if (!kind) return fallback;
      const family = scale === 1 && loose(mode) === 'fanavg' ? 'glorot' : scale === 2 && loose(mode) === 'fanin' ? 'he' : scale === 1 && loose(mode) === 'fanin' ? 'lecun' : undefined;
      return family ? (`${family}${kind}` as InitializerName) : fallback;
    }
    default:
      return fallback;
  }
}

/** Keras options shadernet's Dense cannot honour: they must be absent or null. */
const UNSUPPORTED_DENSE_OPTIONS = [
  'bias_regularizer',
  'activity_regularizer',
  'kernel_constraint',
  'bias_constraint',
  'lora_rank',
  'quantization_config',
] as const;

/**
 * A kernel_regularizer: TF.js's `{ class_name: 'L1L2', config: { l1, l2 } }`, Keras 3's
 * `{ module: 'keras.regularizers', class_name: 'L1L2' | 'L1' | 'L2', config }`, or null.
 */
function parseRegularizer(value: unknown, what: string): { l1: number; l2: number } | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isDict(value)) throw new ValueError(`${what} must be null or { class_name, config }, got ${describe(value)}.`);
  const className = get(value, 'class_name');
  if (className !== 'L1L2' && className !== 'L1' && className !== 'L2') {
    throw new UnsupportedError(`${what}: regularizer ${describe(className)} is not supported; shadernet supports L1L2, L1 and L2.`);
  }
  const config = dict(get(value, 'config') ?? {}, `${what}.config`);
  const coefficient = (key: 'l1' | 'l2'): number => {
    const raw = get(config, key);
    if (raw === undefined || raw === null) return 0;
    const number = finiteNumber(raw, `${what}.config.${key}`);
    if (number < 0) throw new ValueError(`${what}.config.${key} must be non-negative, got ${number}.`);
    return number;
  };
  return { l1: className === 'L2' ? 0 : coefficient('l1'), l2: className === 'L1' ? 0 : coefficient('l2') };
}

/** A Dropout layer's config: rate in [0, 1), seed null or an unsigned 32-bit integer, no noise_shape. */
function parseDropout(config: Dict, label: string, layerName: string): ParsedDropout {
  const rate = finiteNumber(get(config, 'rate'), `${label}: rate`);
  if (rate < 0 || rate >= 1) throw new ValueError(`${label}: rate must be in [0, 1), got ${rate}.`);
  const seed = get(config, 'seed');
  if (seed !== null && seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) {
    throw new ValueError(`${label}: seed must be null or an integer in [0, 2^32), got ${describe(seed)}.`);
  }
  if (present(config, 'noise_shape')) throw new UnsupportedError(`${label}: noise_shape ${describe(get(config, 'noise_shape'))} is not supported; it must be null.`);
  return { name: layerName, rate, seed: typeof seed === 'number' ? seed : undefined };
}

function parseTopology(raw: unknown): ParsedTopology {
  let topology = dict(raw, 'modelTopology');
  let wrappedTrainingConfig: unknown;
  if (present(topology, 'model_config')) {
    wrappedTrainingConfig = get(topology, 'training_config');
    topology = dict(get(topology, 'model_config'), 'modelTopology.model_config');
  }
  const className = get(topology, 'class_name');
  if (className !== 'Sequential') {
    if (typeof className === 'string') {
      throw new UnsupportedError(`modelTopology.class_name is '${className}'; shadernet loads Sequential models only.`);
    }
    throw new ValueError(`modelTopology.class_name must be 'Sequential', got ${describe(className)}.`);
  }
  const config = get(topology, 'config');
  // Keras ≤ 2.1 wrote a Sequential's config as the bare list of layers.
  const configDict = Array.isArray(config) ? {} : dict(config, 'modelTopology.config');
  const layerList = Array.isArray(config) ? config : get(configDict, 'layers');
  if (!Array.isArray(layerList)) throw new ValueError(`modelTopology.config.layers must be an array, got ${describe(layerList)}.`);
  if (layerList.length > MODEL_LIMITS.layers) {
    throw new ValueError(`modelTopology declares ${layerList.length} layers, over the limit of ${MODEL_LIMITS.layers}.`);
  }
  const modelName = present(configDict, 'name') ? name(get(configDict, 'name'), NAME_FIELDS.model) : 'sequential';
  let inputs: number | undefined;
  const layers: ParsedLayer[] = [];
  const names = new Set<string>();
  let dropouts: ParsedDropout[] = [];
  layerList.forEach((entry: unknown, index) => {
    const layer = dict(entry, `Layer ${index}`);
    const layerClass = get(layer, 'class_name');
    if (typeof layerClass !== 'string') throw new ValueError(`Layer ${index}: class_name must be a string, got ${describe(layerClass)}.`);
    const config = dict(get(layer, 'config'), `Layer ${index} (${layerClass}): config`);
    const declaredName = present(config, 'name') ? name(get(config, 'name'), NAME_FIELDS.layer(index, layerClass)) : undefined;
    const label = `Layer ${index}${declaredName === undefined ? '' : ` '${declaredName}'`} (${layerClass})`;
    if (layerClass === 'InputLayer') {
      if (index !== 0) throw new ValueError(`${label}: an InputLayer must come first.`);
      checkDtype(config, label);
      inputs = declaredInputs(config, label);
      if (inputs === undefined) throw new ShapeError(`${label}: needs batch_input_shape, batch_shape or input_shape.`);
      return;
    }
    if (layerClass === 'Dropout') {
      checkDtype(config, label);
      if (layers.length === 0 && dropouts.length === 0 && inputs === undefined) inputs = declaredInputs(config, label);
      const layerName = declaredName ?? (dropouts.length + layers.length === 0 ? 'dropout' : `dropout_${index}`);
      if (names.has(layerName)) throw new ValueError(`${label}: the name '${layerName}' is used by two layers; layer names must be unique.`);
      names.add(layerName);
      dropouts.push(parseDropout(config, label, layerName));
      return;
    }
    if (layerClass !== 'Dense') {
      throw new UnsupportedError(`${label}: layer type '${layerClass}' is not supported; shadernet loads Sequential models of Dense and Dropout layers (and an optional InputLayer).`);
    }
    for (const option of UNSUPPORTED_DENSE_OPTIONS) {
      if (present(config, option)) throw new UnsupportedError(`${label}: ${option} ${describe(get(config, option))} is not supported; it must be null.`);
    }
    checkDtype(config, label);
    const units = size(get(config, 'units'), `${label}: units`, MODEL_LIMITS.units);
    const activation = parseActivation(get(config, 'activation'), label);
    const alpha = parseAlpha(config, activation, label);
    const useBias = get(config, 'use_bias') ?? true;
    if (typeof useBias !== 'boolean') throw new ValueError(`${label}: use_bias must be true or false, got ${describe(useBias)}.`);
    const kernelInitializer = parseInitializer(get(config, 'kernel_initializer'), 'glorotUniform', `${label}: kernel_initializer`);
    const biasInitializer = parseInitializer(get(config, 'bias_initializer'), 'zeros', `${label}: bias_initializer`);
    const kernelRegularizer = parseRegularizer(get(config, 'kernel_regularizer'), `${label}: kernel_regularizer`);
    if (layers.length === 0 && inputs === undefined) inputs = declaredInputs(config, label);
    const layerName = declaredName ?? (layers.length === 0 ? 'dense' : `dense_${layers.length}`);
    if (names.has(layerName)) throw new ValueError(`${label}: the name '${layerName}' is used by two layers; layer names must be unique.`);
    names.add(layerName);
    layers.push({
      name: layerName,
      units,
      activation,
      ...(alpha === undefined ? {} : { alpha }),
      useBias,
      kernelInitializer,
      biasInitializer,
      ...(kernelRegularizer ? { kernelRegularizer } : {}),
      ...(dropouts.length > 0 ? { dropoutsBefore: dropouts } : {}),
    });
    dropouts = [];
  });
  if (layers.length === 0) throw new ValueError('modelTopology has no Dense layer.');
  if (dropouts.length > 0) {
    throw new UnsupportedError(`Dropout layer '${dropouts[0]!.name}' comes after the last Dense layer; shadernet applies a Dropout to the input of the Dense layer after it.`);
  }
  if (inputs === undefined && present(configDict, 'build_input_shape')) {
    inputs = declaredInputs({ batch_shape: get(configDict, 'build_input_shape') }, 'modelTopology.config.build_input_shape');
  }
  if (inputs === undefined) {
    throw new ShapeError('The input size is unknown: neither an InputLayer, the first layer (batch_input_shape / batch_shape / input_shape) nor build_input_shape gives it.');
  }
  return { name: modelName, inputs, layers, wrappedTrainingConfig };
}

// ---------------------------------------------------------------------------------------------
// Import: training config

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
  if (typeof fromLogits !== 'boolean') throw new ValueError(`trainingConfig.loss: from_logits must be true or false, got ${describe(fromLogits)}.`);
  const smoothing = get(config, 'label_smoothing') ?? get(config, 'labelSmoothing') ?? 0;
  if (smoothing !== 0) throw new UnsupportedError(`trainingConfig.loss: label_smoothing ${describe(smoothing)} is not supported (${COMPILE_HINT}).`);
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
  throw new UnsupportedError(`trainingConfig.metrics: metric ${describe(value)} is not supported; expected one of: ${[...METRIC_BY_LOOSE_NAME.values()].join(', ')} (${COMPILE_HINT}).`);
}

function parseMetrics(value: unknown): MetricName[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UnsupportedError(`trainingConfig.metrics must be a list of names, got ${describe(value)} (${COMPILE_HINT}).`);
  if (value.length > 16) throw new ValueError(`trainingConfig.metrics lists ${value.length} metrics, over the limit of 16.`);
  // Keras nests them per output: [['accuracy']].
  return value.flatMap((m: unknown) => (Array.isArray(m) && m.length <= 16 ? m.map(parseMetric) : [parseMetric(m)]));
}

export function parseTraining(raw: unknown, metadata: unknown, outputLayer: ParsedLayer): ParsedTraining | undefined {
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

// ---------------------------------------------------------------------------------------------
// Import: weights

interface ParsedSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantized: boolean;
  readonly optimizer: boolean;
  readonly byteOffset: number;
  readonly byteLength: number;
}

const DTYPE_BYTES: ReadonlyMap<string, number> = new Map([
  ['float32', 4],
  ['int32', 4],
  ['bool', 1],
  ['complex64', 8],
]);
const QUANTIZED_BYTES: ReadonlyMap<string, number> = new Map([
  ['uint8', 1],
  ['uint16', 2],
  ['float16', 2],
]);

function parseSpecs(raw: unknown, what: string): ParsedSpec[] {
  if (!Array.isArray(raw)) throw new ValueError(`${what} must be an array of { name, shape, dtype }, got ${describe(raw)}.`);
  if (raw.length > MODEL_LIMITS.weightSpecs) {
    throw new ValueError(`${what} lists ${raw.length} weights, over the limit of ${MODEL_LIMITS.weightSpecs}.`);
  }
  let offset = 0;
  return raw.map((entry: unknown, index) => {
    const spec = dict(entry, `${what}[${index}]`);
    const specName = name(get(spec, 'name'), `${what}[${index}].name`);
    const label = `Weight '${specName}'`;
    const shape = get(spec, 'shape');
    if (!Array.isArray(shape) || shape.length > MODEL_LIMITS.weightRank) {
      throw new ValueError(`${label}: shape must be an array of at most ${MODEL_LIMITS.weightRank} sizes, got ${describe(shape)}.`);
    }
    let elements = 1;
    for (const dim of shape) {
      if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) throw new ValueError(`${label}: shape ${describe(shape)} must hold non-negative integers.`);
      // Each dimension within the byte limit keeps the product finite: never Infinity × 0 = NaN.
      if (dim > MODEL_LIMITS.weightBytes) {
        throw new ValueError(`${label}: shape ${describe(shape)} has a dimension of ${dim}, beyond the ${MODEL_LIMITS.weightBytes / 2 ** 20} MiB weight data limit.`);
      }
      elements *= dim;
    }
    const dtype = get(spec, 'dtype') ?? 'float32';
    if (typeof dtype !== 'string') throw new ValueError(`${label}: dtype must be a string, got ${describe(dtype)}.`);
    let bytesPerElement = DTYPE_BYTES.get(dtype);
    const quantization = get(spec, 'quantization');
    const quantized = quantization !== undefined && quantization !== null;
    if (quantized) {
      const quantizedDtype = isDict(quantization) ? get(quantization, 'dtype') : undefined;
      bytesPerElement = typeof quantizedDtype === 'string' ? QUANTIZED_BYTES.get(quantizedDtype) : undefined;
      if (bytesPerElement === undefined) throw new ValueError(`${label}: quantization ${describe(quantization)} has no known dtype.`);
    }
    if (bytesPerElement === undefined) throw new UnsupportedError(`${label}: dtype '${dtype}' is not supported.`);
    const byteLength = elements * bytesPerElement;
    if (offset + byteLength > MODEL_LIMITS.weightBytes) {
      throw new ValueError(
        `${what} declares more than ${MODEL_LIMITS.weightBytes / 2 ** 20} MiB of weight data (weight '${specName}' of shape ${describe(shape)} ends at byte ${offset + byteLength}), over the limit.`,
      );
    }
    const group = get(spec, 'group');
    const parsed: ParsedSpec = { name: specName, shape: shape as number[], dtype, quantized, optimizer: group === 'optimizer', byteOffset: offset, byteLength };
    offset += byteLength;
    return parsed;
  });
}

interface ExpectedWeight {
  readonly name: string;
  readonly shape: readonly number[];
}

function expectedWeights(topology: ParsedTopology): ExpectedWeight[] {
  return topology.layers.flatMap((layer, i) => {
    const inputs = i === 0 ? topology.inputs : topology.layers[i - 1]!.units;
    const kernel = { name: `${layer.name}/kernel`, shape: [inputs, layer.units] };
    return layer.useBias ? [kernel, { name: `${layer.name}/bias`, shape: [layer.units] }] : [kernel];
  });
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const listText = (names: readonly string[]): string => (names.length > 6 ? `${names.slice(0, 6).join(', ')}, ... (${names.length} in all)` : names.join(', '));

/** Names a manifest may use for `layer/kernel`: itself, `layer/kernel:0` (Keras 2 variables), `layer/cell/kernel` (TF ≥ 2.2). */
function nameMatches(specName: string, expected: string): boolean {
  if (specName === expected || specName === `${expected}:0`) return true;
  const tokens = specName.replace(/:0$/, '').split('/');
  return tokens.length > 2 && [...tokens.slice(0, -2), tokens[tokens.length - 1]].join('/') === expected;
}

/**
 * Pairs the model's weights with manifest entries: by name when every name matches exactly one
 * entry (as TF.js does), else by position (Keras 3 converted files name weights by h5 path,
 * `layers/dense/vars/0`). Shapes must then match exactly.
 */
function matchWeights(expected: readonly ExpectedWeight[], specs: readonly ParsedSpec[]): ParsedSpec[] {
  const model = specs.filter((s) => !s.optimizer);
  if (model.length !== expected.length) {
    throw new ShapeError(
      `Wrong weight count: the model needs ${expected.length} weight arrays (${listText(expected.map((e) => e.name))}), the weights manifest lists ${model.length}` +
        (model.length ? ` (${listText(model.map((s) => s.name))}).` : '.'),
    );
  }
  const byName = expected.map((e) => model.filter((s) => nameMatches(s.name, e.name)));
  const named = byName.every((c) => c.length === 1) && new Set(byName.map((c) => c[0])).size === expected.length;
  const pairs = named ? byName.map((c) => c[0]!) : model;
  pairs.forEach((spec, i) => {
    const want = expected[i]!;
    const how = named ? '' : ` (matched by position to ${want.name})`;
    if (!sameShape(spec.shape, want.shape)) {
      throw new ShapeError(`Weight '${spec.name}'${how} has shape ${shapeText(spec.shape)}, but the model needs ${shapeText(want.shape)} for ${want.name}.`);
    }
    if (spec.quantized) throw new UnsupportedError(`Weight '${spec.name}' is quantized; shadernet loads float32 weights only.`);
    if (spec.dtype !== 'float32') throw new UnsupportedError(`Weight '${spec.name}' has dtype '${spec.dtype}'; shadernet loads float32 weights only.`);
  });
  return pairs;
}

function decodeFloat32(bytes: Uint8Array, spec: ParsedSpec): Float32Array {
  // Only the spec's slice of the given view is read, never the rest of its buffer (a Node
  // Buffer may be a slice of a shared pool holding other data).
  const slice = bytes.subarray(spec.byteOffset, spec.byteOffset + spec.byteLength);
  if (slice.byteLength !== spec.byteLength) {
    throw new ShapeError(`Weight '${spec.name}' lies outside the weight data: bytes ${spec.byteOffset} to ${spec.byteOffset + spec.byteLength} of ${bytes.byteLength}.`);
  }
  const count = spec.byteLength / 4;
  let values: Float32Array;
  if (littleEndianHost && slice.byteOffset % 4 === 0) values = new Float32Array(slice.buffer, slice.byteOffset, count).slice();
  else {
    const view = new DataView(slice.buffer, slice.byteOffset, slice.byteLength);
    values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  }
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new ValueError(`Weight '${spec.name}' holds a non-finite value (${values[i]}) at index ${i}; a saved model's weights must be finite.`);
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Import: entry points

/** The parts of a model file, whichever container they came in (model.json or TF.js ModelArtifacts). */
export interface RawArtifacts {
  readonly format?: unknown;
  readonly modelTopology: unknown;
  readonly weightSpecs: unknown;
  readonly trainingConfig?: unknown;
  readonly userDefinedMetadata?: unknown;
}

/** A fully validated model, ready to be built without any check left to fail. */
export interface ParsedModel {
  readonly name: string;
  readonly inputs: number;
  readonly layers: readonly ParsedLayer[];
  readonly weights: readonly Float32Array[];
  readonly training: ParsedTraining | undefined;
}

function checkFormat(format: unknown): void {
  // Files from TF.js < 1.0 have no format field; anything else must be layers-model.
  if (format === undefined || format === LAYERS_MODEL_FORMAT) return;
  const hint = format === 'graph-model' ? ' (a TF.js graph model: shadernet loads Keras-style layers models only)' : '';
  throw new ValueError(`Wrong format: expected '${LAYERS_MODEL_FORMAT}', got ${describe(format)}${hint}.`);
}

/** Weight bytes as a Uint8Array view, with the size limit checked. */
export function weightBytes(data: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (Array.isArray(data) && data.length > MODEL_LIMITS.weightFiles) {
    throw new ValueError(`The weight data is a list of ${data.length} buffers, over the limit of ${MODEL_LIMITS.weightFiles}.`);
  } else if (Array.isArray(data) && data.every((d) => d instanceof ArrayBuffer)) {
    // TF.js 4.x WeightData may be a list of buffers.
    const total = data.reduce((n: number, d: ArrayBuffer) => n + d.byteLength, 0);
    if (total > MODEL_LIMITS.weightBytes) throw new ValueError(`The weight data has ${total} bytes, over the limit of ${MODEL_LIMITS.weightBytes} bytes.`);
    bytes = new Uint8Array(total);
    let offset = 0;
    for (const d of data as ArrayBuffer[]) {
      bytes.set(new Uint8Array(d), offset);
      offset += d.byteLength;
    }
  } else throw new ValueError(`The weight data must be an ArrayBuffer (or a typed array), got ${describe(data)}.`);
  if (bytes.byteLength > MODEL_LIMITS.weightBytes) {
    throw new ValueError(`The weight data has ${bytes.byteLength} bytes, over the limit of ${MODEL_LIMITS.weightBytes} bytes.`);
  }
  return bytes;
}

/** Everything a model file says but its weight values, validated. */
interface ModelDescription {
  readonly topology: ParsedTopology;
  readonly training: ParsedTraining | undefined;
  /** Every manifest entry, optimizer weights included, in manifest (byte) order. */
  readonly specs: readonly ParsedSpec[];
  /** The manifest entries of the model's weights, in the model's order. */
  readonly weights: readonly ParsedSpec[];
}

/**
 * The checks of a model file short of its weight bytes: nesting, format, topology, training
 * config (unless `compile` is false), manifest and its match to the topology. The loader runs
 * them on what it reads and serializeModel on what it writes, so a model that saves also loads.
 */
function describeModel(raw: RawArtifacts, options: { readonly compile?: boolean }): ModelDescription {
  checkNesting(raw.modelTopology, 'modelTopology');
  checkNesting(raw.weightSpecs, 'weightsManifest weights');
  checkNesting(raw.trainingConfig, 'trainingConfig');
  checkNesting(raw.userDefinedMetadata, 'userDefinedMetadata');
  checkFormat(raw.format);
  const topology = parseTopology(raw.modelTopology);
  const training =
    options.compile === false
      ? undefined
      : parseTraining(raw.trainingConfig ?? topology.wrappedTrainingConfig, raw.userDefinedMetadata, topology.layers[topology.layers.length - 1]!);
  const expected = expectedWeights(topology);
  const parameters = expected.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
  if (parameters * 4 > MODEL_LIMITS.weightBytes) {
    throw new ValueError(`The model declares ${parameters.toLocaleString('en-US')} parameters (${parameters * 4} bytes), over the limit of ${MODEL_LIMITS.weightBytes} bytes.`);
  }
  const specs = parseSpecs(raw.weightSpecs, 'weightsManifest weights');
  return { topology, training, specs, weights: matchWeights(expected, specs) };
}

/**
 * Validates everything (topology, training config unless `compile` is false, manifest, byte
 * length, shapes, values) and returns the model's description and weights. Throws ValueError,
 * ShapeError or UnsupportedError naming the problem.
 */
export function parseArtifacts(raw: RawArtifacts, data: Uint8Array, options: { readonly compile?: boolean } = {}): ParsedModel {
  const { topology, training, specs, weights } = describeModel(raw, options);
  const declared = specs.reduce((n, s) => n + s.byteLength, 0);
  if (data.byteLength < declared) {
    throw new ShapeError(`The weight data is truncated: it has ${data.byteLength} bytes, the weights manifest declares ${declared} (${specs.length} weights).`);
  }
  if (data.byteLength > declared) {
    throw new ShapeError(`The weight data has ${data.byteLength - declared} extra bytes: it has ${data.byteLength} bytes, the weights manifest declares ${declared}.`);
  }
  return { name: topology.name, inputs: topology.inputs, layers: topology.layers, weights: weights.map((spec) => decodeFloat32(data, spec)), training };
}

/** compile() options of a validated training config (loading a file, or a WorkerModel's compile). */
export function compileOptionsOf(training: ParsedTraining): CompileOptions {
  return {
    optimizer: training.optimizer,
    loss: lossObject(training.loss, training.fromLogits),
    metrics: training.metrics,
  };
}

/**
 * deserializeModel's and loadModel's options, checked before anything is read: `compile` here,
 * gpu, backend and seed by the Sequential they are handed to.
 */
export function deserializeOptions(options: DeserializeOptions | undefined, what: string): DeserializeOptions {
  const given = optionsOf(options, what);
  if (given.compile !== undefined) boolean(given.compile, `${what} compile`);
  return given;
}

/** Builds the Sequential model of a validated description. */
export function buildModel(parsed: ParsedModel, options: DeserializeOptions = {}): Sequential {
  const model = new Sequential({
    name: parsed.name,
    ...(options.gpu === undefined ? {} : { gpu: options.gpu }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  try {
    parsed.layers.forEach((layer, i) => {
      for (const dropout of layer.dropoutsBefore ?? []) {
        model.add(new Dropout({ rate: dropout.rate, name: dropout.name, ...(dropout.seed === undefined ? {} : { seed: dropout.seed }) }));
      }
      model.add(
        new Dense({
          units: layer.units,
          activation: layer.activation,
          ...(layer.alpha === undefined ? {} : { alpha: layer.alpha }),
          useBias: layer.useBias,
          kernelInitializer: layer.kernelInitializer,
          biasInitializer: layer.biasInitializer,
          name: layer.name,
          ...(layer.kernelRegularizer ? { kernelRegularizer: new L1L2(layer.kernelRegularizer) } : {}),
          ...(i === 0 ? { inputDim: parsed.inputs } : {}),
        }),
      );
    });
    model.setWeights(parsed.weights);
    if (parsed.training) model.compile(compileOptionsOf(parsed.training));
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** model.json's parts, with the manifest flattened: weight files in order, their weights in order. */
export interface ModelJsonParts {
  readonly raw: RawArtifacts;
  readonly paths: readonly string[];
}

/** Parses (if text) and checks the container of a model.json: format, modelTopology, weightsManifest. */
export function modelJsonParts(modelJson: unknown): ModelJsonParts {
  const json = typeof modelJson === 'string' ? parseJsonText(modelJson, 'model.json') : modelJson;
  const root = dict(json, 'model.json');
  checkFormat(get(root, 'format'));
  if (!present(root, 'modelTopology')) throw new ValueError('model.json has no modelTopology.');
  const manifest = get(root, 'weightsManifest');
  if (!Array.isArray(manifest)) throw new ValueError(`model.json weightsManifest must be an array of { paths, weights }, got ${describe(manifest)}.`);
  if (manifest.length > MODEL_LIMITS.weightFiles) {
    throw new ValueError(`model.json weightsManifest has ${manifest.length} groups, over the limit of ${MODEL_LIMITS.weightFiles}.`);
  }
  const paths: string[] = [];
  const weights: unknown[] = [];
  manifest.forEach((entry: unknown, index) => {
    const group = dict(entry, `weightsManifest[${index}]`);
    const groupPaths = get(group, 'paths');
    const groupWeights = get(group, 'weights');
    if (!Array.isArray(groupPaths)) throw new ValueError(`weightsManifest[${index}].paths must be an array of file names, got ${describe(groupPaths)}.`);
    if (!Array.isArray(groupWeights)) throw new ValueError(`weightsManifest[${index}].weights must be an array, got ${describe(groupWeights)}.`);
    if (paths.length + groupPaths.length > MODEL_LIMITS.weightFiles) {
      throw new ValueError(`model.json names more than ${MODEL_LIMITS.weightFiles} weight files.`);
    }
    if (weights.length + groupWeights.length > MODEL_LIMITS.weightSpecs) {
      throw new ValueError(`model.json lists more than ${MODEL_LIMITS.weightSpecs} weights, over the limit.`);
    }
    groupPaths.forEach((p: unknown, i) => paths.push(name(p, `weightsManifest[${index}].paths[${i}]`)));
    weights.push(...(groupWeights as unknown[]));
  });
  return {
    raw: {
      format: get(root, 'format'),
      modelTopology: get(root, 'modelTopology'),
      weightSpecs: weights,
      trainingConfig: get(root, 'trainingConfig'),
      userDefinedMetadata: get(root, 'userDefinedMetadata'),
    },
    paths,
  };
}

/**
 * A model from model.json (an object or its text) and the weight bytes (every weight file of the
 * manifest, concatenated in manifest order). Validates everything first; the model is created
 * only when nothing can fail any more. A training config (Adam + binary_crossentropy) compiles
 * the model unless `options.compile` is false.
 */
export function deserializeModel(modelJson: unknown, weightData: ArrayBuffer | ArrayBufferView, options?: DeserializeOptions): Sequential {
  const checked = deserializeOptions(options, 'deserializeModel');
  const { raw } = modelJsonParts(modelJson);
  return buildModel(parseArtifacts(raw, weightBytes(weightData), checked), checked);
}

/** The raw parts of TF.js-style artifacts (`{ modelTopology, weightSpecs, weightData, ... }`) or of `{ modelJson, weightData }`. */
export function artifactsFrom(artifacts: unknown): { readonly raw: RawArtifacts; readonly weightData: Uint8Array } {
  const a = dict(artifacts, 'The loaded model artifacts');
  if (present(a, 'modelJson')) return { raw: modelJsonParts(get(a, 'modelJson')).raw, weightData: weightBytes(get(a, 'weightData')) };
  if (!present(a, 'modelTopology')) throw new ValueError('The loaded model artifacts have no modelTopology.');
  if (!present(a, 'weightSpecs') || !present(a, 'weightData')) throw new ValueError('The loaded model artifacts have no weights (weightSpecs and weightData).');
  const raw: RawArtifacts = {
    format: get(a, 'format'),
    modelTopology: get(a, 'modelTopology'),
    weightSpecs: get(a, 'weightSpecs'),
    trainingConfig: get(a, 'trainingConfig'),
    userDefinedMetadata: get(a, 'userDefinedMetadata'),
  };
  return { raw, weightData: weightBytes(get(a, 'weightData')) };
}
