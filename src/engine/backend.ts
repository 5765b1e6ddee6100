import type { MetricSums } from '../spec/metrics.js';
import type { LossForm, LossKind, LossSpec } from '../spec/loss.js';
import type { TensorRef } from '../spec/network.js';
import type { OptimizerConfig } from '../spec/optimizer.js';
import type { BackendName } from '../spec/backend.js';

/** A validated row-major float32 matrix. */
export interface RowMatrix {
  readonly data: Float32Array<ArrayBuffer>;
  readonly rows: number;
  readonly cols: number;
}

/** Features and targets of a dataset (rows × target columns of the loss), and optional per-sample loss weights. */
export interface LabelledData {
  readonly x: RowMatrix;
  readonly y: Float32Array<ArrayBuffer>;
  /** Keras's sample_weight (class weights already folded in): one per row. */
  readonly weights?: Float32Array<ArrayBuffer>;
}

/**
 * Weights and Adam moments of every tensor, in Keras order ([W0, b0, W1, b1, ...]), on the
 * CPU. Backend-neutral: the rollback point of the numerical guard, and what a model restored
 * onto a new device (or another backend) starts from.
 */
export interface ModelState {
  readonly weights: readonly Float32Array[];
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/** Per-batch reporting during an epoch: see TrainingSession.runEpoch. */
export interface EpochProgress {
  /** Steps between reports. */
  readonly steps: number;
  /** Called with the steps done so far and the running sums; return false to stop the epoch. */
  readonly report: (stepsDone: number, train: MetricSums) => boolean | void | Promise<boolean | void>;
}

export interface EpochOutcome {
  readonly train: MetricSums;
  /** Validation sums; undefined without validation or when the epoch was stopped early. */
  readonly validation: MetricSums | undefined;
  /** The first tensor holding a non-finite value, if any. */
  readonly nonFiniteTensor: TensorRef | undefined;
  /** Weights and moments at the end of the epoch; undefined if it was stopped early. */
  readonly state: ModelState | undefined;
  /** Steps trained (fewer than stepsPerEpoch only when progress.report stopped the epoch). */
  readonly completedSteps: number;
  readonly dispatches: number;
  readonly submits: number;
  readonly reads: number;
}

export interface TrainingSessionOptions {
  readonly batchSize: number;
  readonly lossForm: LossForm;
  readonly lossKind: LossKind;
  readonly optimizer: OptimizerConfig;
}

/** What `ModelBackend.warm` prepares: the plans of a fit with these options, evaluate and predict. */
export interface WarmPlans extends Omit<TrainingSessionOptions, 'batchSize'> {
  /** Whether fit will get sample (or class) weights: they select other loss pipelines. */
  readonly sampleWeight: boolean;
}

/** A compiled training loop for one data shape and batch size; data can be reloaded into it. */
export interface TrainingSession {
  readonly stepsPerEpoch: number;
  readonly dispatchesPerStep: number;
  /** Resolves once its pipelines are compiled (they may compile in the background: see KernelRegistry). */
  ready(): Promise<void>;
  /** Which kernels run a step: the whole network in one dispatch, or layer by layer (the CPU engine too). */
  readonly kernels: 'fused' | 'layered';
  /** Replaces the data with data of the same shapes. */
  load(train: LabelledData, validation: LabelledData | undefined): void;
  /** New hyperparameters (same optimizer kind) for the steps not yet recorded. */
  setOptimizer(config: OptimizerConfig): void;
  /**
   * One epoch over the training rows in `permutation` order; Adam continues from `stepsBefore`.
   * Once `signal` is aborted (the model was disposed) the epoch stops at its next wait: the
   * CPU engine's next step after it yields, the GPU's next progress report (between reports it
   * records and submits without waiting). A stopped epoch returns like one stopped by `progress`.
   */
  runEpoch(
    permutation: Uint32Array<ArrayBuffer>,
    stepsBefore: number,
    progress?: EpochProgress,
    signal?: AbortSignal,
  ): Promise<EpochOutcome>;
  dispose(): void;
}

/** The engine under a Sequential model. */
export interface ModelBackend {
  readonly name: BackendName;
  /** True once the backend can no longer run (its GPU device was lost). */
  readonly isLost: boolean;
  /** Compute pipelines compiled on its device so far (EngineStats.pipelines). */
  readonly pipelines: number;
  /** Which kernels ran the last predict or evaluate (EngineStats.forwardKernels). */
  readonly forwardKernels: 'fused' | 'layered';
  /** Milliseconds its device has spent compiling pipelines so far, for every model on it (0 on the CPU). */
  readonly compileMs: number;
  readWeights(): Promise<Float32Array[]>;
  writeWeights(weights: readonly Float32Array[]): void;
  writeState(state: ModelState): void;
  resetOptimizer(): void;
  createTrainingSession(train: LabelledData, validation: LabelledData | undefined, options: TrainingSessionOptions): TrainingSession;
  /** Loss and metric sums over `data`, in chunks of at most `chunkRows` rows (an engine default when undefined). */
  evaluate(data: LabelledData, loss: LossSpec, chunkRows: number | undefined): Promise<MetricSums>;
  /**
   * Compiles, in the background, every pipeline that fit (validation included), evaluate and
   * predict will need with these options; resolves when they are ready (at once on the CPU).
   */
  warm(options: WarmPlans): Promise<void>;
  /** Outputs of the last layer (or of every layer) for every row, final activation applied. */
  predict(x: RowMatrix, allLayers: boolean, chunkRows: number | undefined): Promise<Float32Array[]>;
  dispose(): void;
}

/** The same state with new weights (the moments are kept, as Keras's set_weights keeps them). */
export function withWeights(state: ModelState, weights: readonly Float32Array[]): ModelState {
  return { ...state, weights };
}

/** The state of freshly initialised weights: Adam's moments at zero. */
export function freshState(weights: readonly Float32Array[]): ModelState {
  return { weights, m: weights.map((w) => new Float32Array(w.length)), v: weights.map((w) => new Float32Array(w.length)) };
}
