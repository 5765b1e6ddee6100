/**
 * Saving and loading models in TF.js's layers-model format (model.json + weights.bin). The
 * format and its validation live in ./io/format.ts, the storage handlers in ./io/handlers.ts.
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
export {
  loadModel,
  saveModel,
  type InMemoryModel,
  type LoadHandler,
  type LoadOptions,
  type ModelArtifactsInfo,
  type ModelSource,
  type SaveHandler,
  type SaveOptions,
  type SaveResult,
} from './io/handlers.js';
