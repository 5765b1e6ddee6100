/**
 * shadernet — train neural networks on the GPU through WebGPU.
 * This file is the package's whole public API.
 */

// Models (Keras-style)
export {
  Sequential,
  type SequentialOptions,
  type CompileOptions,
  type FitOptions,
  type EvaluateOptions,
  type EvaluationOptions,
  type Evaluation,
  type ValidationData,
  type WarmOptions,
} from './model/sequential.js';
export { Dense, Dropout, type DenseLayerOptions, type DenseOptions, type DropoutOptions, type Layer } from './model/layers.js';
export { L1, L1L2, L2, l1, l1l2, l2, type RegularizerLike, type RegularizerName } from './model/regularizers.js';
export {
  Adagrad,
  Adam,
  AdamW,
  Optimizer,
  RMSprop,
  SGD,
  type AdagradOptions,
  type AdamOptions,
  type AdamwOptions,
  type LearningRate,
  type OptimizerClassName,
  type OptimizerIdentifier,
  type RmspropOptions,
  type SgdOptions,
} from './model/optimizers.js';
export {
  CosineDecay,
  ExponentialDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  type CosineDecayOptions,
  type ExponentialDecayOptions,
  type PiecewiseConstantDecayOptions,
} from './model/schedules.js';
export type { OptimizerConfig, OptimizerName, ScheduleConfig, LearningRateConfig } from './spec/optimizer.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
  LOSSES,
  METRICS,
  type Loss,
  type LossName,
  type MetricName,
} from './model/losses.js';
export type { ClassWeight } from './model/sample-weights.js';
export type { LayerActivation } from './spec/network.js';
export { History, type Callback, type HistoryParams, type Logs, type TrainingModel } from './model/callbacks.js';
export {
  EarlyStopping,
  ReduceLROnPlateau,
  type EarlyStoppingOptions,
  type MonitorMode,
  type ReduceLROnPlateauOptions,
} from './model/training-callbacks.js';
export { INITIALIZERS, type InitializerName } from './model/initializers.js';
export type { DatasetLike, FeatureInput, TargetInput, MatrixLike } from './model/inputs.js';
export type { LogStyle } from './model/progress.js';
export {
  deserializeModel,
  loadModel,
  MODEL_LIMITS,
  serializeModel,
  type LoadHandler,
  type LoadOptions,
  type ModelArtifact,
  type ModelJson,
  type MetadataValue,
  type ModelMetadata,
  type ModelSource,
  type SaveHandler,
  type SaveOptions,
  type SaveResult,
} from './model/serialization.js';
export { WorkerModel, type WorkerModelOptions, type WorkerFitOptions, type EpochPredictions } from './worker/worker-model.js';
export { serveModel } from './worker/worker-loop.js';
export { WorkerHost } from './worker/worker-host.js';
export type { MessageEndpoint } from './worker/protocol.js';
export type { CompileConfig } from './model/compile-config.js';
export { SHADERNET_VERSION } from './version.js';
export type { BackendName } from './spec/backend.js';
export { ACTIVATIONS, ACTIVATION_ALPHA_DEFAULTS, type Activation } from './spec/activations.js';
export type { EngineStats } from './engine/stats.js';

// Datasets
export * from './data/index.js';

// GPU
export { requestGpu, GpuContext, type GpuContextOptions, type GpuMemoryReport } from './gpu/context.js';
export { defaultGpu, setDefaultGpu } from './gpu/default.js';
export type { AdapterReport } from './gpu/adapter.js';

// Errors
export * from './errors.js';
