/**
 * Saving and loading models in TF.js's layers-model format (model.json + weights.bin). The
 * format and its validation live in ./io/format.ts, saving in ./io/save.ts, loading in ./io/load.ts,
 * and each storage transport in ./io/transports/ (file:// in the Node entry, src/node/).
 */
export {
  deserializeModel,
  kerasInitializer,
  LAYERS_MODEL_FORMAT,
  MODEL_LIMITS,
  serializeModel,
  SHADERNET_VERSION,
  WEIGHTS_FILE_NAME,
  type DenseLayerConfig,
  type DeserializeOptions,
  type JsonValue,
  type KerasInitializer,
  type ModelArtifact,
  type ModelJson,
  type SequentialTopology,
  type SerializeOptions,
  type ShadernetMetadata,
  type TrainingConfig,
  type WeightSpec,
  type WeightsManifestGroup,
} from './io/format.js';
export { loadModel, type InMemoryModel, type LoadHandler, type LoadOptions, type ModelSource } from './io/load.js';
export { saveModel, type SaveHandler, type SaveOptions } from './io/save.js';
export type { ModelArtifactsInfo, SaveResult } from './io/transports/common.js';
export type { PickedFile } from './io/transports/picked-files.js';
