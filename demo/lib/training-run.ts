/**
 * One model being trained on one dataset, epoch by epoch, through the public API only. The
 * playground (and anyone embedding the components) drives it: trainEpoch() runs
 * `fit({ epochs: 1 })`, which reuses the compiled GPU training loop between calls, so an
 * epoch is still one submit and one read; trainStep() trains a single batch.
 *
 * Every epoch is shuffled with a seed derived from (seed, epoch, steps so far), so the same
 * settings give the same run. All GPU work of the run (fit, predict) is tracked, and dispose()
 * waits for it before freeing the model, so nothing touches freed buffers.
 */
import { Adam, Dense, Sequential, formatEpochLine, formatLogValue, type Dataset, type GpuContext, type Logs } from '../../src/index.js';
import type { LayerSpec } from './state.js';

export interface RunData {
  readonly train: Dataset;
  readonly validation: Dataset | undefined;
}

export interface TrainingRunOptions {
  readonly layers: readonly LayerSpec[];
  readonly data: RunData;
  readonly seed?: number;
  readonly learningRate?: number;
  readonly batchSize?: number;
  /** Target epochs (what play trains up to). */
  readonly epochs?: number;
  readonly gpu?: GpuContext;
  /** Shown in logs, e.g. "MLP, 128 hidden units". */
  readonly label?: string;
}

/** Detail of the `epoch-end` event (also what trainEpoch resolves to). */
export interface EpochEndDetail {
  /** Epochs completed, 1-based (Keras prints "Epoch 3/10" for the third). */
  readonly epoch: number;
  readonly epochs: number;
  /** Keras's logs of this epoch: loss, accuracy, val_loss, val_accuracy. */
  readonly logs: Logs;
  /** Every epoch so far, Keras's History.history. */
  readonly history: Readonly<Record<string, readonly number[]>>;
  readonly elapsedMs: number;
  readonly samplesPerSecond: number;
  readonly stepsPerEpoch: number;
  /** Keras-style lines: "Epoch 3/10" and the verbose-2 summary line. */
  readonly lines: readonly string[];
}

/** Detail of the `step-end` event. */
export interface StepEndDetail {
  readonly epoch: number;
  /** Batches trained since the last full epoch. */
  readonly step: number;
  readonly logs: Logs;
  readonly lines: readonly string[];
}

/** A different, reproducible shuffle seed for every epoch and step of a run. */
export function shuffleSeed(seed: number, epoch: number, step: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (epoch + 1), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (h >>> 16) ^ step, 0x27d4eb2f) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

const matrix = (set: Dataset) => ({ data: set.x, shape: [set.nSamples, 2] as [number, number] });

export class TrainingRun extends EventTarget {
  readonly model: Sequential;
  readonly layers: readonly LayerSpec[];
  readonly label: string;
  readonly seed: number;
  epochs: number;
  batchSize: number;
  /** Completed full epochs. */
  epoch = 0;
  /** Batches trained since the last full epoch (by trainStep). */
  step = 0;
  readonly history: Record<string, number[]> = { loss: [], accuracy: [], val_loss: [], val_accuracy: [] };
  lastEpochMs = 0;
  samplesPerSecond = 0;
  private data: RunData;
  private readonly adam: Adam;
  private readonly pending = new Set<Promise<unknown>>();
  private training: Promise<unknown> | undefined;
  private disposed = false;

  constructor(options: TrainingRunOptions) {
    super();
    this.layers = options.layers;
    this.label = options.label ?? '';
    this.seed = options.seed ?? 0;
    this.epochs = options.epochs ?? 10;
    this.batchSize = options.batchSize ?? 32;
    this.data = options.data;
    this.adam = new Adam({ learningRate: options.learningRate ?? 0.001 });
    this.model = new Sequential({ seed: this.seed, ...(options.gpu ? { gpu: options.gpu } : {}) });
    options.layers.forEach((layer, i) => this.model.add(new Dense({ units: layer.units, activation: layer.activation, ...(i === 0 ? { inputDim: 2 } : {}) })));
    this.model.add(new Dense({ units: 1, activation: 'sigmoid', ...(options.layers.length === 0 ? { inputDim: 2 } : {}) }));
    this.model.compile({ optimizer: this.adam, loss: 'binary_crossentropy', metrics: ['accuracy'] });
  }

  get learningRate(): number {
    return this.adam.learningRate;
  }

  /** Takes effect from the next epoch (or step); the weights and Adam's moments are kept. */
  set learningRate(value: number) {
    this.adam.learningRate = value;
  }

  get done(): boolean {
    return this.epoch >= this.epochs;
  }

  get busy(): boolean {
    return this.training !== undefined;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** New points (e.g. added by clicking) are used from the next epoch on; the weights are kept. */
  setData(data: RunData): void {
    this.data = data;
  }

  countParams(): number {
    return this.model.countParams();
  }

  /** Stops a running trainEpoch() after its current epoch (it is one GPU submit). */
  stop(): void {
    this.model.stopTraining = true;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = (): void => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  private fitOptions(seed: number) {
    const { validation } = this.data;
    return {
      epochs: 1,
      batchSize: this.batchSize,
      shuffle: true,
      verbose: 0 as const,
      seed,
      ...(validation && validation.nSamples > 0 ? { validationData: [matrix(validation), validation.y] as const } : {}),
    };
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('This training run was disposed.'));
    if (this.training) return Promise.reject(new Error('This run is already training.'));
    const promise = this.track(work());
    this.training = promise;
    const clear = (): void => {
      if (this.training === promise) this.training = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  /** Trains one full epoch; resolves with what the `epoch-end` event carries. */
  trainEpoch(): Promise<EpochEndDetail> {
    return this.exclusive(async () => {
      const { train } = this.data;
      const started = performance.now();
      const history = await this.model.fit(matrix(train), train.y, this.fitOptions(shuffleSeed(this.seed, this.epoch, this.step)));
      const elapsedMs = performance.now() - started;
      const logs: Record<string, number> = {};
      for (const [key, values] of Object.entries(history.history)) logs[key] = values[values.length - 1]!;
      this.epoch++;
      this.step = 0;
      for (const key of Object.keys(logs)) (this.history[key] ??= []).push(logs[key]!);
      this.lastEpochMs = elapsedMs;
      this.samplesPerSecond = train.nSamples / Math.max(1e-3, elapsedMs / 1000);
      const stepsPerEpoch = Math.ceil(train.nSamples / this.batchSize);
      const prefix = this.label ? `[${this.label}] ` : '';
      const detail: EpochEndDetail = {
        epoch: this.epoch,
        epochs: this.epochs,
        logs,
        history: this.history,
        elapsedMs,
        samplesPerSecond: this.samplesPerSecond,
        stepsPerEpoch,
        lines: [
          `${prefix}Epoch ${this.epoch}/${Math.max(this.epochs, this.epoch)}`,
          formatEpochLine(logs, { steps: stepsPerEpoch, elapsedMs }, { style: 'keras2', verbose: 2 }),
        ],
      };
      this.dispatchEvent(new CustomEvent('epoch-end', { detail }));
      return detail;
    });
  }

  /** Trains one batch (one optimizer step); the epoch counter does not move. */
  trainStep(): Promise<StepEndDetail> {
    return this.exclusive(async () => {
      const { train } = this.data;
      let logs: Logs = {};
      const model = this.model;
      await model.fit(matrix(train), train.y, {
        ...this.fitOptions(shuffleSeed(this.seed, this.epoch, this.step + 1)),
        callbacks: {
          onBatchEnd: (_batch: number, batchLogs: Logs) => {
            logs = batchLogs;
            model.stopTraining = true;
          },
        },
      });
      this.step++;
      const prefix = this.label ? `[${this.label}] ` : '';
      // Keras 2's order: loss first.
      const keys = Object.keys(logs).sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a < b ? -1 : 1));
      const values = keys.map((k) => `${k}: ${formatLogValue(logs[k]!, 'keras2', 2)}`).join(' - ');
      const detail: StepEndDetail = {
        epoch: this.epoch,
        step: this.step,
        logs,
        lines: [`${prefix}Step ${this.step} after epoch ${this.epoch} (1 batch of ${Math.min(this.batchSize, train.nSamples)}) - ${values}`],
      };
      this.dispatchEvent(new CustomEvent('step-end', { detail }));
      return detail;
    });
  }

  /** The model's probabilities (tracked, so dispose() waits for it). */
  predict(x: Parameters<Sequential['predict']>[0]): Promise<Float32Array> {
    if (this.disposed) return Promise.reject(new Error('This training run was disposed.'));
    return this.track(this.model.predict(x));
  }

  /** Every layer's activations in one GPU pass (tracked). */
  predictLayers(x: Parameters<Sequential['predictLayers']>[0]): Promise<Float32Array[]> {
    if (this.disposed) return Promise.reject(new Error('This training run was disposed.'));
    return this.track(this.model.predictLayers(x));
  }

  /** Stops training, waits for every GPU call of the run to finish, then frees the model. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
    await Promise.allSettled([...this.pending]);
    this.model.dispose();
  }
}

declare global {
  interface HTMLElementEventMap {
    'epoch-end': CustomEvent<EpochEndDetail>;
  }
}
