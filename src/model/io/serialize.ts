/**
 * A model → TF.js's layers-model artifact (model.json + weight data). The model is read through
 * {@link SavableModel}, what Sequential offers, so this module never imports the model class.
 */
import { StateError, ValueError } from '../../errors.js';
import { SHADERNET_VERSION } from '../../version.js';
import { Dense, type Layer } from '../layers.js';
import { boolean, optionsOf } from '../validate.js';
import { LAYERS_MODEL_FORMAT, WEIGHTS_FILE_NAME, type ModelArtifact, type ModelJson, type WeightSpec } from './format.js';
import { metadataJson, type ModelMetadata } from './metadata.js';
import { checkName, NAME_FIELDS } from './names.js';
import { topologyOf } from './topology.js';
import { trainingConfigOf, type CompileState } from './training-config.js';
import { describe } from './untrusted-json.js';
import { expectedWeights, float32Bytes, weightName } from './weights.js';

export interface SerializeOptions {
  /** Write `trainingConfig` (loss, metrics, Adam's hyperparameters) of a compiled model (default true). */
  readonly includeTrainingConfig?: boolean;
  /**
   * User-defined metadata written to model.json's `userDefinedMetadata` (TF.js:
   * `getUserDefinedMetadata()`), e.g. `{ features: ['x1', 'x2', 'sin_x1'] }`: a plain object of
   * JSON values, up to 1 MiB of JSON; the key `shadernet` is reserved. Default: the model's own
   * `metadata` (that of the file it was loaded from).
   */
  readonly metadata?: ModelMetadata;
}

/** What saving reads of a model: Sequential has all of it. */
export interface SavableModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  /** The compile() settings, undefined when the model is not compiled. */
  readonly compileConfig: CompileState | undefined;
  getWeights(): Promise<Float32Array[]>;
  /** Metadata saved when the options give none. */
  readonly metadata?: ModelMetadata;
}

/**
 * The model as TF.js's layers-model artifact: Keras-2-flavoured model.json (the first Dense
 * carries `batch_input_shape: [null, inputs]`, `dtype: 'float32'`, Keras initializer classes)
 * and the weights as little-endian float32, row-major, in manifest order
 * (`[dense/kernel, dense/bias, dense_1/kernel, ...]`). A compiled model also gets TF.js's
 * `trainingConfig` (Adam's hyperparameters; the optimizer's moments are not saved).
 * Throws a StateError for a model that is not built (input size unknown) or disposed, and the
 * error loadModel would give for a model it could not load back (a name over the limit...).
 */
export async function serializeModel(model: SavableModel, options: SerializeOptions = {}): Promise<ModelArtifact> {
  // Checked by shape, not class: io/ never imports the model class (a model file builds one).
  if (typeof model?.getWeights !== 'function' || !Array.isArray(model.layers))
    throw new ValueError(`serializeModel takes a Sequential model, got ${describe(model)}.`);
  const given = optionsOf(options, 'serializeModel');
  const includeTrainingConfig = boolean(given.includeTrainingConfig ?? true, 'serializeModel includeTrainingConfig');
  const userMetadata = given.metadata ?? model.metadata;
  const metadata = userMetadata && metadataJson(userMetadata, 'metadata');
  const layers = model.layers;
  if (layers.length === 0) throw new StateError(`Cannot save model '${model.name}': it has no layers.`);
  const names = layers.map((layer, i) => layer.name ?? (i === 0 ? layer.className.toLowerCase() : `${layer.className.toLowerCase()}_${i}`));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new ValueError(
        `Cannot save model '${model.name}': two layers are named '${name}'; weight names (${weightName(name, 'kernel')}) must be unique.`,
      );
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
  const modelTopology = topologyOf(model.name, layers, names, inputs);
  const dense = layers.flatMap((layer, i) =>
    layer instanceof Dense ? [{ name: names[i]!, units: layer.units, useBias: layer.useBias }] : [],
  );
  const specs: readonly WeightSpec[] = expectedWeights(dense, inputs);
  if (weights.length !== specs.length || weights.some((w, i) => w.length !== specs[i]!.shape.reduce((a, b) => a * b, 1))) {
    throw new StateError(
      `Cannot save model '${model.name}': its weights do not match its layers (${weights.length} arrays for ${specs.length} weights).`,
    );
  }
  weights.forEach((values, i) => {
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ValueError(
        `Cannot save model '${model.name}': weight '${specs[i]!.name}' holds a non-finite value (${values[bad]}) at index ${bad}; such a file could not be loaded.`,
      );
    }
  });
  const compiled = includeTrainingConfig ? model.compileConfig : undefined;
  const { trainingConfig, userDefinedMetadata: own } = compiled
    ? trainingConfigOf(compiled)
    : { trainingConfig: undefined, userDefinedMetadata: undefined };
  // The user's keys, then shadernet's (the user cannot give that one: metadataJson refuses it).
  const userDefinedMetadata: ModelMetadata | undefined = metadata || own ? { ...metadata, ...own } : undefined;
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
