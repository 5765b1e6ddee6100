/**
 * The topology of a model file (model.json's `modelTopology`) ↔ shadernet's layers. Written in
 * the Keras-2 flavour tfjs-layers 4.22 loads; read strictly from what shadernet, TF.js 4.22 and
 * the TF.js converter (Keras 2 and Keras 3 models) write.
 */
import { ShapeError, UnsupportedError, ValueError } from '../../errors.js';
import type { LayerActivation } from '../../spec/network.js';
import { defaultAlpha, hasAlpha, resolveAlpha } from '../../spec/activations.js';
import { SHADERNET_VERSION } from '../../version.js';
import type { InitializerName } from '../initializers.js';
import { Dropout, LAYER_ACTIVATIONS, type Layer } from '../layers.js';
import type { DenseLayerConfig, DropoutLayerConfig, KerasInitializer, LayerEntry, SequentialTopology } from './format.js';
import { MODEL_LIMITS } from './limits.js';
import { checkName, NAME_FIELDS } from './names.js';
import { describe, dict, finiteNumber, get, isDict, loose, present, size, type Dict } from './untrusted-json.js';

// ---------------------------------------------------------------------------------------------
// Writing

/** What model.json's `keras_version` and `backend` say of the writer. */
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

/**
 * A model's layers as model.json's Sequential topology, Keras 2 (tf.keras) field names: the
 * first layer carries `batch_input_shape: [null, inputs]`, initializers are Keras classes.
 * `names` are the layers' names as saved (the model's defaults filled in).
 */
export function topologyOf(modelName: string, layers: readonly Layer[], names: readonly string[], inputs: number): SequentialTopology {
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
    const regularizer = layer.kernelRegularizer;
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
  return {
    class_name: 'Sequential',
    config: { name: modelName, layers: layerConfigs },
    keras_version: KERAS_VERSION,
    backend: BACKEND,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

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

/** A topology read from a file, validated. */
export interface ParsedTopology {
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
        throw new UnsupportedError(
          `${label}: ${key} ${describe(shape)} has ${shape.length} dimensions; shadernet's Dense models take [batch, features].`,
        );
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
        throw new UnsupportedError(
          `${label}: input_shape ${describe(shape)} has ${shape.length} dimensions; shadernet's Dense models take [features].`,
        );
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
  if (resolved !== 'float32')
    throw new UnsupportedError(`${label}: dtype ${describe(dtype)} is not supported; shadernet computes in float32.`);
}

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
  if (!hasAlpha(activation))
    throw new ValueError(`${label}: alpha ${describe(alpha)} is given, but activation '${activation}' has no parameter.`);
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
      const kind =
        loose(distribution) === 'uniform' ? 'Uniform' : ['normal', 'truncatednormal'].includes(loose(distribution)) ? 'Normal' : undefined;
      if (!kind) return fallback;
      const family =
        scale === 1 && loose(mode) === 'fanavg'
          ? 'glorot'
          : scale === 2 && loose(mode) === 'fanin'
            ? 'he'
            : scale === 1 && loose(mode) === 'fanin'
              ? 'lecun'
              : undefined;
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
  if (present(config, 'noise_shape'))
    throw new UnsupportedError(`${label}: noise_shape ${describe(get(config, 'noise_shape'))} is not supported; it must be null.`);
  return { name: layerName, rate, seed: typeof seed === 'number' ? seed : undefined };
}

export function parseTopology(raw: unknown): ParsedTopology {
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
  const modelName = present(configDict, 'name') ? checkName(get(configDict, 'name'), NAME_FIELDS.model) : 'sequential';
  let inputs: number | undefined;
  const layers: ParsedLayer[] = [];
  const names = new Set<string>();
  let dropouts: ParsedDropout[] = [];
  layerList.forEach((entry: unknown, index) => {
    const layer = dict(entry, `Layer ${index}`);
    const layerClass = get(layer, 'class_name');
    if (typeof layerClass !== 'string') throw new ValueError(`Layer ${index}: class_name must be a string, got ${describe(layerClass)}.`);
    const config = dict(get(layer, 'config'), `Layer ${index} (${layerClass}): config`);
    const declaredName = present(config, 'name') ? checkName(get(config, 'name'), NAME_FIELDS.layer(index, layerClass)) : undefined;
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
      if (names.has(layerName))
        throw new ValueError(`${label}: the name '${layerName}' is used by two layers; layer names must be unique.`);
      names.add(layerName);
      dropouts.push(parseDropout(config, label, layerName));
      return;
    }
    if (layerClass !== 'Dense') {
      throw new UnsupportedError(
        `${label}: layer type '${layerClass}' is not supported; shadernet loads Sequential models of Dense and Dropout layers (and an optional InputLayer).`,
      );
    }
    for (const option of UNSUPPORTED_DENSE_OPTIONS) {
      if (present(config, option))
        throw new UnsupportedError(`${label}: ${option} ${describe(get(config, option))} is not supported; it must be null.`);
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
    throw new UnsupportedError(
      `Dropout layer '${dropouts[0]!.name}' comes after the last Dense layer; shadernet applies a Dropout to the input of the Dense layer after it.`,
    );
  }
  if (inputs === undefined && present(configDict, 'build_input_shape')) {
    inputs = declaredInputs({ batch_shape: get(configDict, 'build_input_shape') }, 'modelTopology.config.build_input_shape');
  }
  if (inputs === undefined) {
    throw new ShapeError(
      'The input size is unknown: neither an InputLayer, the first layer (batch_input_shape / batch_shape / input_shape) nor build_input_shape gives it.',
    );
  }
  return { name: modelName, inputs, layers, wrappedTrainingConfig };
}
