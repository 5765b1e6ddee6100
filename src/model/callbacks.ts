/** Per-epoch or per-batch values, e.g. `{ loss: 0.31, accuracy: 0.9, val_loss: 0.2, ... }`. */
export type Logs = Readonly<Record<string, number>>;

/**
 * What a callback can reach of the model being trained (Keras's `callback.model`): fit() hands
 * it over through `setModel` before `onTrainBegin`.
 */
export interface TrainingModel {
  /** Set to true to stop fit() after the current batch or epoch. */
  stopTraining: boolean;
  getWeights(): Promise<Float32Array[]>;
  /** Allowed from a callback while fit() runs: the next step trains from these weights. */
  setWeights(weights: readonly ArrayLike<number>[]): void;
  /** The compiled optimizer; setting its learningRate applies from the next recorded step. */
  readonly optimizer: { learningRate: number | object } | undefined;
}

/**
 * Hooks into fit(), Keras's callback methods in camelCase. Every method may be async; fit
 * waits for it. To stop training early, set `model.stopTraining = true` from any of them.
 * `onBatchEnd` makes fit read the running metrics after every batch, which costs one GPU
 * round trip per batch: leave it out unless you need it.
 */
export interface Callback {
  /** Receives the model before training begins (Keras's `set_model`). */
  setModel?(model: TrainingModel): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

export interface HistoryParams {
  readonly epochs: number;
  readonly steps: number;
  readonly samples: number;
  readonly batchSize: number;
  readonly verbose: number;
}

/**
 * What fit() returns: `history[key]` holds one value per epoch (keys `loss`, the compiled
 * metric names, and `val_` versions), `epoch` the epoch indices (0-based, as in Keras).
 */
export class History {
  readonly history: Record<string, number[]> = {};
  readonly epoch: number[] = [];

  constructor(readonly params: HistoryParams) {}

  /** Appends an epoch's logs, keys in Keras 3's order (sorted). */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const key of Object.keys(logs).sort()) (this.history[key] ??= []).push(logs[key]!);
  }
}
