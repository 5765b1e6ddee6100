/**
 * One model being trained on one dataset, epoch by epoch, through the public API only. The
 * playground (and anyone embedding the components) drives it: trainEpoch() runs
 * `fit({ epochs: epoch + 1, initialEpoch: epoch, seed })`, which reuses the compiled GPU training
 * loop between calls, so an epoch is still one submit and one read; trainStep() trains a single
 * batch.
 *
 * The library shuffles epoch e by (seed, e) alone, so training epoch by epoch visits exactly the
 * batches of one `fit({ epochs, seed })`, and the same settings give the same run. All work of the
 * run (fit, predict) is tracked, and dispose() waits for it before freeing the model, so nothing
 * touches freed buffers.
 *
 * The model runs on WebGPU (`gpu`, or `backend: 'webgpu'`) or on the library's float64 CPU
 * engine (`backend: 'cpu'`, where WebGPU is missing). On the CPU, predict() and predictLayers()
 * go through the grid in chunks and yield between them, so a 200×200 decision map never blocks
 * the page for long; the chunks run on a copy of the weights taken when the pass starts, so a map
 * drawn while training goes on shows one model, as on the GPU, not bands of several.
 *
 * With `worker`, the model trains in a Web Worker (the library's WorkerModel, same API): the page
 * keeps drawing frames during a long fit; on the CPU engine (no WebGPU on the page) the worker
 * trains on the CPU engine too. Where the worker cannot train (no WebGPU in workers, the script
 * did not load) the run falls back to the page's thread and says why in `workerFallback`.
 */
import { formatEpochLine, formatLogValue, orderLogKeys } from '../../model/progress.js';
import {
  Sequential,
  type BackendName,
  type Dataset,
  type GpuContext,
  type Logs,
  type Optimizer,
  WorkerModel,
  type WorkerHost,
} from '../../index.js';
import { submitLongEpochsInChunks } from '../../engine/training.js';
import { buildOptimizer, buildSequential, compileOptions } from './build-model.js';
import { FeatureExpander } from './feature-input.js';
import type { FeatureName } from '../../data/features.js';
import type { ModelConfig } from './model-config.js';
import { formatEpochs, type LayerSpec } from './state.js';

export { buildSequential } from './build-model.js';

export interface RunData {
  readonly train: Dataset;
  readonly validation: Dataset | undefined;
}

export interface TrainingRunOptions {
  /** The builder's hidden layers (for labels and hidden-unit maps). */
  readonly layers: readonly LayerSpec[];
  /** The whole model: layers and compile options (see model-config.ts). */
  readonly config: ModelConfig;
  readonly data: RunData;
  readonly seed?: number;
  readonly batchSize?: number;
  /** Target epochs (what play trains up to; Infinity: until paused). */
  readonly epochs?: number;
  readonly gpu?: GpuContext;
  /**
   * Where the model runs: `webgpu` (on `gpu`, or the default GPU), `cpu` (the float64 reference
   * engine), or `auto` (WebGPU where it exists, else the CPU). Default: `webgpu` with `gpu`, else `auto`.
   */
  readonly backend?: BackendName | 'auto';
  /** Shown in logs, e.g. "MLP, 128 hidden units". */
  readonly label?: string;
  /**
   * Starting weights (Keras order and shapes, as getWeights returns them), e.g. of a loaded
   * model file; default: the seed's initial weights.
   */
  readonly weights?: readonly ArrayLike<number>[];
  /** Input features the model takes, computed from each (x₁, x₂) point it trains on or predicts; default (x₁, x₂). */
  readonly features?: readonly FeatureName[];
  /**
   * Train in a Web Worker (WorkerModel): in `host` (a long-lived worker shared by the page's
   * runs, which then share its GPU device and compiled pipelines), else in a worker of its own
   * running `url` or WorkerModel's default script (on WebGPU, or the CPU engine with `backend: 'cpu'`).
   */
  readonly worker?: { readonly url: string | URL | undefined; readonly host?: WorkerHost };
}

/** What trains: the model on the page's thread, or its twin in a worker. */
export type RunModel = Sequential | WorkerModel;

/** Detail of the `epoch-end` event (also what trainEpoch resolves to). */
export interface EpochEndDetail {
  /** Epochs completed, 1-based (Keras prints "Epoch 3/10" for the third). */
  readonly epoch: number;
  readonly epochs: number;
  /** Keras's logs of this epoch: loss, the metric (accuracy or mae), and their val_ values. */
  readonly logs: Logs;
  /** Every epoch so far, Keras's History.history. */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** Training and validation time of the epoch (the library's `stats().epochMs`), without callbacks or map passes. */
  readonly elapsedMs: number;
  readonly samplesPerSecond: number;
  /** The engine that trained it: `webgpu` or `cpu`. */
  readonly backend: BackendName;
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

/**
 * The shuffle seed of a single step (one batch, see trainStep): a different, reproducible one
 * for every step after an epoch, so that repeated steps do not all train the same first batch.
 * Full epochs need no derived seed: they pass the run's seed and `initialEpoch`.
 */
export function stepSeed(seed: number, epoch: number, step: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (epoch + 1), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (h >>> 16) ^ step, 0x27d4eb2f) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

type PredictInput = { readonly data: Float32Array; readonly shape: readonly [number, number] };

/** Multiply-adds the CPU engine does per chunk of a prediction before yielding (~10–20 ms). */
const CPU_CHUNK_MACS = 2_000_000;

/** Yields to the event loop (a macrotask, without setTimeout's 4 ms clamp on nested calls). */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

export class TrainingRun extends EventTarget {
  /** The model built on this thread (its layers, starting weights). */
  private readonly local: Sequential;
  /** Where training happens: `local`, or the WorkerModel once it is ready. */
  private trainer: RunModel;
  /** Settles when the model is where it will train (at once without a worker). */
  readonly ready: Promise<void>;
  /** Why a requested worker is not used (training then runs on the page's thread). */
  workerFallback: string | undefined;
  readonly layers: readonly LayerSpec[];
  readonly config: ModelConfig;
  readonly label: string;
  readonly seed: number;
  epochs: number;
  batchSize: number;
  /** Completed full epochs. */
  epoch = 0;
  /** Batches trained since the last full epoch (by trainStep). */
  step = 0;
  readonly history: Record<string, number[]>;
  /** Training + validation time of the last epoch (`model.stats().epochMs`). */
  lastEpochMs = 0;
  samplesPerSecond = 0;
  /**
   * Milliseconds the last epoch's fit spent compiling GPU pipelines, or waiting for those the
   * run compiles ahead (see `compiled`), before it trained; not part of lastEpochMs.
   */
  compileMs = 0;
  /** Settles once the model's GPU pipelines are compiled, which starts as soon as it is `ready` (model.warm()). */
  readonly compiled: Promise<void>;
  private readonly requestedBackend: BackendName | 'auto';
  private data: RunData;
  /** The run's optimizer (any of the builder's): its learning rate is the live one, in a worker too. */
  private readonly optimizer: Optimizer;
  private readonly pending = new Set<Promise<unknown>>();
  private training: Promise<unknown> | undefined;
  private disposed = false;
  /** The (x₁, x₂) → features expansion of every matrix the model sees (training, validation, the maps' grids). */
  private readonly input: FeatureExpander;

  constructor(options: TrainingRunOptions) {
    super();
    this.input = new FeatureExpander(options.features);
    this.layers = options.layers;
    this.config = options.config;
    const metric = options.config.compile.metrics[0] ?? 'accuracy';
    this.history = { loss: [], [metric]: [], val_loss: [], [`val_${metric}`]: [] };
    this.label = options.label ?? '';
    this.seed = options.seed ?? 0;
    this.epochs = options.epochs ?? 10;
    this.batchSize = options.batchSize ?? 32;
    this.data = options.data;
    this.optimizer = buildOptimizer(options.config.compile.optimizer);
    this.requestedBackend = options.backend ?? (options.gpu ? 'webgpu' : 'auto');
    this.local = this.newModel({ seed: this.seed, backend: this.requestedBackend, ...(options.gpu ? { gpu: options.gpu } : {}) });
    if (options.weights) this.local.setWeights(options.weights);
    this.local.compile(compileOptions(this.config, this.optimizer));
    this.trainer = this.local;
    // The map predicts while the model trains: long epochs let its passes in between chunks.
    if (options.gpu) submitLongEpochsInChunks(options.gpu.device as GPUDevice);
    this.ready = options.worker ? this.track(this.moveToWorker(options.worker)) : Promise.resolve();
    // Compiled now, in the background, so that the first epoch trains instead of compiling.
    // A failure here (a lost device, say) is the first fit's to report.
    this.compiled = this.track(this.ready.then(() => this.model.warm())).catch(() => undefined);
  }

  /** Moves the model into a worker; on failure keeps it here and records why. */
  private async moveToWorker({ url, host }: NonNullable<TrainingRunOptions['worker']>): Promise<void> {
    try {
      // Without WebGPU the CPU engine trains in the worker too: the page never runs an epoch.
      const backend = this.requestedBackend === 'cpu' ? 'cpu' : 'webgpu';
      const remote = await WorkerModel.create(this.local, {
        ...(host ? { host } : url === undefined ? {} : { workerUrl: url }),
        backend,
      });
      if (this.disposed) return remote.dispose();
      // The run's optimizer instance: learning-rate changes on the page reach the worker.
      remote.compile(compileOptions(this.config, this.optimizer));
      this.trainer = remote;
    } catch (error) {
      this.workerFallback = error instanceof Error ? error.message : String(error);
    }
  }

  /** The model that trains (a WorkerModel when training runs in a worker). */
  get model(): RunModel {
    return this.trainer;
  }

  /** Where the model trains: `worker` or `main` (the page's thread). */
  get thread(): 'worker' | 'main' {
    return this.trainer instanceof WorkerModel ? 'worker' : 'main';
  }

  /** A model of this run's config (uncompiled). */
  private newModel(options: ConstructorParameters<typeof Sequential>[0]): Sequential {
    return buildSequential(this.config, options);
  }

  /** The learning rate of the next step (under a schedule: the schedule's value now). */
  get learningRate(): number {
    return this.optimizer.learningRate;
  }

  /**
   * Takes effect from the next epoch (or step); the weights and the optimizer's state are kept.
   * A number replaces a schedule (the playground instead starts a new run with a new schedule).
   */
  set learningRate(value: number) {
    this.optimizer.learningRate = value;
  }

  /** Whether the learning rate follows a schedule. */
  get scheduled(): boolean {
    return this.optimizer.learningRateSchedule !== undefined;
  }

  /**
   * The engine the model runs on: `cpu` when asked for (known from the start), else the
   * library's answer once the model has been used (`webgpu`, or `cpu` after an automatic fallback).
   */
  get backend(): BackendName | undefined {
    return this.model.backend ?? (this.requestedBackend === 'auto' ? undefined : this.requestedBackend);
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

  /** The weights read with the last predictLayers() pass on the GPU (see weightsOfLastMap()). */
  private mapWeights: Promise<Float32Array[]> | undefined;

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

  /** Trains epoch `this.epoch` (0-based) shuffled by `seed`. */
  private fitOptions(seed: number) {
    const { validation } = this.data;
    return {
      epochs: this.epoch + 1,
      initialEpoch: this.epoch,
      batchSize: this.batchSize,
      shuffle: true,
      verbose: 0 as const,
      seed,
      ...(validation && validation.nSamples > 0 ? { validationData: [this.input.dataset(validation), validation.y] as const } : {}),
    };
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('This training run was disposed.'));
    if (this.training) return Promise.reject(new Error('This run is already training.'));
    // The CPU engine yields to the page every ~50 ms within an epoch, but an epoch shorter than
    // that runs in one go, and epoch after epoch would then never give the page a frame: yield
    // before each one.
    const promise = this.track(
      this.ready.then(() => (this.backend === 'cpu' && this.thread === 'main' ? yieldToPage().then(work) : work())),
    );
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
      const history = await this.model.fit(this.input.dataset(train), train.y, this.fitOptions(this.seed));
      this.compileMs = this.model.stats().compileMs;
      // The epoch's training and validation only: not the callbacks, nor map passes run meanwhile.
      const elapsedMs = this.model.stats().epochMs;
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
        backend: this.model.backend ?? 'webgpu',
        stepsPerEpoch,
        lines: [
          `${prefix}Epoch ${this.epoch}/${formatEpochs(Math.max(this.epochs, this.epoch))}`,
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
      await model.fit(this.input.dataset(train), train.y, {
        ...this.fitOptions(stepSeed(this.seed, this.epoch, this.step + 1)),
        callbacks: {
          onBatchEnd: (_batch: number, batchLogs: Logs) => {
            logs = batchLogs;
            model.stopTraining = true;
          },
        },
      });
      this.step++;
      const prefix = this.label ? `[${this.label}] ` : '';
      const values = orderLogKeys(Object.keys(logs), 'keras2')
        .map((k) => `${k}: ${formatLogValue(logs[k]!, 'keras2', 2)}`)
        .join(' - ');
      const detail: StepEndDetail = {
        epoch: this.epoch,
        step: this.step,
        logs,
        lines: [
          `${prefix}Step ${this.step} after epoch ${this.epoch} (1 batch of ${Math.min(this.batchSize, train.nSamples)}) - ${values}`,
        ],
      };
      this.dispatchEvent(new CustomEvent('step-end', { detail }));
      return detail;
    });
  }

  /** The model's probabilities (tracked, so dispose() waits for it). */
  predict(points: Parameters<Sequential['predict']>[0]): Promise<Float32Array> {
    if (this.disposed) return Promise.reject(new Error('This training run was disposed.'));
    const x = this.input.points(points);
    const rows = this.cpuChunkRows(x);
    if (rows === undefined) return this.track(this.ready.then(() => this.model.predict(x)));
    return this.track(this.chunked(x as PredictInput, rows, async (model, part) => [await model.predict(part)])).then(([p]) => p!);
  }

  /**
   * Every layer's activations in one pass (one GPU pass; chunks on the CPU) (tracked). On the GPU
   * the weights are read right behind the pass, in the same place in the device's queue: what
   * weightsOfLastMap() returns, the weights the pass saw even while training goes on.
   */
  predictLayers(points: Parameters<Sequential['predictLayers']>[0]): Promise<Float32Array[]> {
    if (this.disposed) return Promise.reject(new Error('This training run was disposed.'));
    const x = this.input.points(points);
    const rows = this.cpuChunkRows(x);
    if (rows === undefined) {
      return this.track(
        this.ready.then(() => {
          const layers = this.model.predictLayers(x);
          this.mapWeights = this.track(this.model.getWeights());
          return layers;
        }),
      );
    }
    return this.track(this.chunked(x as PredictInput, rows, (model, part) => model.predictLayers(part)));
  }

  /**
   * The weights of the last predictLayers() pass on the GPU (read with it; an epoch submitted
   * meanwhile does not delay them), else the weights now.
   */
  weightsOfLastMap(): Promise<Float32Array[]> {
    return this.mapWeights ?? this.model.getWeights();
  }

  /** Rows per chunk when the model runs on the CPU and `x` is big enough to need several; else undefined. */
  private cpuChunkRows(x: unknown): number | undefined {
    // In a worker the CPU engine's passes never block the page: no chunks needed.
    if (this.backend !== 'cpu' || this.thread === 'worker' || typeof x !== 'object' || x === null || !('shape' in x) || !('data' in x))
      return undefined;
    const { data, shape } = x as PredictInput;
    if (!(data instanceof Float32Array) || shape.length !== 2) return undefined;
    const macsPerRow = this.model.countParams();
    const rows = Math.max(64, Math.floor(CPU_CHUNK_MACS / Math.max(1, macsPerRow)));
    return shape[0] > rows ? rows : undefined;
  }

  /**
   * Runs `predict` over `x` in chunks of `rows`, yielding to the page between them, and joins the
   * outputs. Every chunk runs on a CPU copy of the weights as they are now: training may go on
   * between chunks.
   */
  private async chunked(
    x: PredictInput,
    rows: number,
    predict: (model: Sequential, part: PredictInput) => Promise<Float32Array[]>,
  ): Promise<Float32Array[]> {
    const snapshot = this.newModel({ seed: 0, backend: 'cpu' });
    try {
      snapshot.setWeights(await this.model.getWeights());
      const [total, cols] = x.shape;
      let outputs: Float32Array[] | undefined;
      for (let start = 0; start < total; start += rows) {
        if (start > 0) await yieldToPage();
        if (this.disposed) throw new Error('This training run was disposed.');
        const end = Math.min(total, start + rows);
        const parts = await predict(snapshot, { data: x.data.subarray(start * cols, end * cols), shape: [end - start, cols] });
        outputs ??= parts.map((part) => new Float32Array((part.length / (end - start)) * total));
        parts.forEach((part, i) => outputs![i]!.set(part, (part.length / (end - start)) * start));
      }
      return outputs ?? [];
    } finally {
      snapshot.dispose();
    }
  }

  /** Stops training, waits for every GPU call of the run to finish, then frees the model. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
    await Promise.allSettled([...this.pending]);
    this.trainer.dispose();
    this.local.dispose();
  }
}

declare global {
  interface HTMLElementEventMap {
    'epoch-end': CustomEvent<EpochEndDetail>;
  }
}
