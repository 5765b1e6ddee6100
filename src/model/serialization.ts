/**
 * Saving and loading models in TF.js's layers-model format (model.json + weights.bin): the
 * public entry points. The format lives in ./io/ (format.ts its types, one module per job of
 * reading and writing it), each storage transport in ./io/transports/ (file:// in the Node entry,
 * src/node/), and a parsed file becomes a model in ./model-from-artifacts.ts.
 */
import { modelJsonParts } from './io/artifacts.js';
import { readModelSource, type ModelSource } from './io/load.js';
import type { FetchOptions } from './io/transports/http.js';
import { weightBytes } from './io/weights.js';
import { deserializeOptions, modelFromArtifacts, type DeserializeOptions } from './model-from-artifacts.js';
import type { Sequential } from './sequential.js';
import { optionalFunction, optionsOf } from './validate.js';

export { SHADERNET_VERSION } from '../version.js';
export type { DeserializeOptions } from './model-from-artifacts.js';
export {
  LAYERS_MODEL_FORMAT,
  WEIGHTS_FILE_NAME,
  type DenseLayerConfig,
  type JsonValue,
  type KerasInitializer,
  type ModelArtifact,
  type ModelJson,
  type SequentialTopology,
  type ShadernetMetadata,
  type TrainingConfig,
  type WeightSpec,
  type WeightsManifestGroup,
} from './io/format.js';
export { MODEL_LIMITS } from './io/limits.js';
export type { InMemoryModel, LoadHandler, ModelSource } from './io/load.js';
export type { MetadataValue, ModelMetadata } from './io/metadata.js';
export { saveModel, type SaveHandler, type SaveOptions } from './io/save.js';
export { serializeModel, type SerializeOptions } from './io/serialize.js';
export { kerasInitializer } from './io/topology.js';
export type { ModelArtifactsInfo, SaveResult } from './io/transports/common.js';
export type { PickedFile } from './io/transports/picked-files.js';

export interface LoadOptions extends DeserializeOptions, FetchOptions {}

/**
 * A model from model.json (an object or its text) and the weight bytes (every weight file of the
 * manifest, concatenated in manifest order). Validates everything first; the model is created
 * only when nothing can fail any more. A training config (Adam + binary_crossentropy) compiles
 * the model unless `options.compile` is false.
 */
export function deserializeModel(modelJson: unknown, weightData: ArrayBuffer | ArrayBufferView, options?: DeserializeOptions): Sequential {
  const checked = deserializeOptions(options, 'deserializeModel');
  const { raw } = modelJsonParts(modelJson);
  return modelFromArtifacts({ raw, weightData: weightBytes(weightData) }, checked);
}

/**
 * Loads a model (see io/load.ts for the sources). Everything is validated before the model is
 * created: a bad file gives a ValueError, ShapeError or UnsupportedError naming the problem,
 * never a half-loaded model.
 */
export async function loadModel(source: ModelSource, options?: LoadOptions): Promise<Sequential> {
  const checked = deserializeOptions(options, 'loadModel');
  optionalFunction(checked.fetch, 'loadModel fetch');
  if (checked.requestInit !== undefined) optionsOf(checked.requestInit, 'loadModel requestInit');
  return modelFromArtifacts(await readModelSource(source, checked), checked);
}
