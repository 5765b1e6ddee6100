import { RandomState } from '../data/random.js';
import { DeviceLostError, NonFiniteError, ShapeError, StateError, ValueError, WebGPUUnavailableError } from '../errors.js';
import { freshState, withWeights, type BackendName, type EpochOutcome, type LabelledData, type ModelBackend, type ModelState, type TrainingSession } from '../engine/backend.js';
import { CpuBackend } from '../engine/cpu-backend.js';
import { GpuBackend } from '../engine/gpu-backend.js';
import type { LossForm } from '../engine/loss.js';
import { meanMetrics } from '../engine/metrics.js';
import type { NetworkShape } from '../engine/network.js';
import { stateSlotsPerParameter } from '../engine/optimizer.js';
import { EMPTY_STATS, type EngineStats } from '../engine/stats.js';
import type { GpuContext } from '../gpu/context.js';
import { defaultGpu } from '../gpu/default.js';
import type { MetricSums } from '../kernels/binary-crossentropy.js';
import { isNode } from '../runtime.js';
import { History, type Callback, type Logs } from './callbacks.js';
import { initialize } from './initializers.js';
import { splitForValidation, toBinaryTargets, toMatrix, type FeatureInput, type Matrix, type TargetInput } from './inputs.js';
import { Dense } from './layers.js';
import { resolveLoss, resolveMetrics, type BinaryCrossentropy, type MetricName } from './losses.js';
import { resolveOptimizer, type Optimizer, type OptimizerIdentifier } from './optimizers.js';
import { ProgressLogger, type LogStyle } from './progress.js';
import type { SaveHandler, SaveOptions, SaveResult } from './serialization.js';
import { formatSummary, type SummaryRow } from './summary.js';

export interface SequentialOptions {
  /** Layers to add, in order. */
  readonly layers?: readonly Dense[];
  /** Model name (default `sequential`). */
  readonly name?: string;
  /** Seed of the weight initializers; random when omitted (as in Keras). */
  readonly seed?: number;
  /** GPU to run on; the shared default GPU (see defaultGpu) when omitted. */
  readonly gpu?: GpuContext;
  /**
   * `webgpu`, `cpu` (the float64 reference engine), or `auto` (default): WebGPU where it
   * exists, else the CPU engine, with a console notice and `model.backend === 'cpu'`.
   */
  readonly backend?: BackendName | 'auto';
}

export interface CompileOptions {
  /** A name (`'sgd'`, `'rmsprop'`, `'adagrad'`, `'adam'`, `'adamw'`, any case) or an optimizer instance. */
  readonly optimizer: OptimizerIdentifier | Optimizer;
  /** 'binary_crossentropy' / 'binaryCrossentropy' or a BinaryCrossentropy instance. */
  readonly loss: 'binary_crossentropy' | 'binaryCrossentropy' | BinaryCrossentropy;
  /** Metric names; `accuracy` (or `acc`, logged under that name) is binary accuracy here. */
  readonly metrics?: readonly MetricName[];
}

export interface FitOptions {
  /** Epochs to train (default 1). */
  readonly epochs?: number;
  /** Samples per gradient step (default 32); the last, partial batch is trained too. */
  readonly batchSize?: number;
  /** Data to evaluate at the end of every epoch; overrides validationSplit. */
  readonly validationData?: readonly [FeatureInput, TargetInput];
  /** Fraction in (0, 1) of the samples, taken from the end before shuffling, used for validation. */
  readonly validationSplit?: number;
  /** Reshuffle the training samples every epoch (default true). */
  readonly shuffle?: boolean;
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default: 1 in Node, 0 in browsers. */
  readonly verbose?: 0 | 1 | 2;
  /** Keras 3 (sorted keys, ━ bar) or Keras 2 (loss first, [===] bar) log lines. */
  readonly logStyle?: LogStyle;
  readonly callbacks?: Callback | readonly Callback[];
  /** Seed of the per-epoch shuffles; random when omitted. */
  readonly seed?: number;
  /** Epoch to start counting from (to resume), default 0. */
  readonly initialEpoch?: number;
}

export interface EvaluateOptions {
  /** Rows per GPU dispatch; does not change the result (the mean is over all samples). */
  readonly batchSize?: number;
}

/** Loss and metrics over a dataset; keys are `loss` and the compiled metric names. */
export interface Evaluation {
  readonly loss: number;
  readonly [metric: string]: number;
}

interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: BinaryCrossentropy;
  readonly metrics: readonly MetricName[];
  readonly lossForm: LossForm;
}

/** A training loop kept between fit() calls with the same shapes (the demo trains epoch by epoch). */
interface FitCache {
  readonly key: readonly unknown[];
  readonly session: TrainingSession;
}

let fallbackNoticeShown = false;

function noticeCpuFallback(reason: WebGPUUnavailableError): void {
  if (fallbackNoticeShown) return;
  fallbackNoticeShown = true;
  console.warn(`shadernet: WebGPU is unavailable, so models train on the CPU (float64 reference engine, slower). ${reason.message}`);
}

const identity = (n: number): Uint32Array<ArrayBuffer> => Uint32Array.from({ length: n }, (_, i) => i);

/**
 * The shuffle of epoch `epoch`, a function of (seed, epoch) only: training epoch by epoch with
 * `initialEpoch` (as the demo does) visits the same batches as one fit over all the epochs.
 */
function epochPermutation(seed: number, epoch: number, rows: number): Uint32Array<ArrayBuffer> {
  // Two rounds of a 32-bit integer hash (lowbias32) mix the epoch into the seed.
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  for (let round = 0; round < 2; round++) {
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return new Uint32Array(new RandomState(h).permutation(rows));
}
const randomSeed = (): number => Math.floor(Math.random() * 2 ** 32);

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${what} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * A linear stack of Dense layers trained on the GPU with Keras's semantics: `compile`,
 * `fit`, `evaluate`, `predict`, `summary`, `getWeights`/`setWeights`. Weights, datasets and
 * optimizer state live on the GPU; an epoch is recorded into one command buffer and its
 * loss and accuracy are read back once. Where WebGPU is missing, the same API runs on the
 * float64 CPU engine (see SequentialOptions.backend).
 *
 * @example
 * const model = new Sequential();
 * model.add(new Dense({ units: 128, activation: 'relu', inputDim: 2 }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(xTrain, yTrain, { epochs: 10, validationData: [xVal, yVal] });
 * const probabilities = await model.predict(xVal);
 */

export class Sequential {
  readonly name: string;
  /** Set to true (e.g. from a callback) to stop fit() after the current batch or epoch. */
  stopTraining = false;
  private readonly layerList: Dense[] = [];
  private readonly seed: number;
  private readonly requestedGpu: GpuContext | undefined;
  private readonly backendChoice: BackendName | 'auto';
  private inputs: number | undefined;
  private initialWeights: Float32Array[] | undefined;
  private compiled: Compiled | undefined;
  private engine: ModelBackend | undefined;
  private fitCache: FitCache | undefined;
  /** Weights and Adam moments at the last good epoch end, on the CPU: what restore() and the NaN guard roll back to. */
  private snapshot: { readonly state: ModelState; readonly steps: number } | undefined;
  private busy: string | undefined;
  private disposed = false;
  private steps = 0;
  private lastEpoch: Omit<EngineStats, 'steps'> = EMPTY_STATS;

  constructor(options: SequentialOptions = {}) {
    this.name = options.name ?? 'sequential';
    this.seed = options.seed ?? randomSeed();
    this.requestedGpu = options.gpu;
    const backend = options.backend ?? 'auto';
    if (backend !== 'auto' && backend !== 'webgpu' && backend !== 'cpu') {
      throw new ValueError(`Unknown backend '${String(backend)}'; expected one of: auto, webgpu, cpu.`);
    }
    this.backendChoice = backend;
    for (const layer of options.layers ?? []) this.add(layer);
  }

  get layers(): readonly Dense[] {
    return this.layerList;
  }

  /** The engine the model runs on once it has been used: `webgpu` or `cpu`. */
  get backend(): BackendName | undefined {
    return this.engine?.name;
  }

  /** Appends a layer. The first layer must say its input size (inputDim or inputShape) unless fit infers it. */
  add(layer: Dense): void {
    this.assertUsable();
    if (!(layer instanceof Dense)) throw new ValueError('Sequential.add takes a Dense layer.');
    if (this.initialWeights || this.engine) throw new StateError('Cannot add layers to a model that is already built.');
    if (this.layerList.length > 0 && layer.inputDim !== undefined) {
      throw new ShapeError(`Only the first layer takes inputDim/inputShape; layer ${this.layerList.length} got inputDim ${layer.inputDim}.`);
    }
    layer.name ??= this.layerList.length === 0 ? 'dense' : `dense_${this.layerList.length}`;
    this.layerList.push(layer);
    if (this.layerList.length === 1 && layer.inputDim !== undefined) this.inputs = layer.inputDim;
  }

  /** The network as the engine sees it; requires a known input size. */
  private network(): NetworkShape {
    const inputs = this.inputs;
    if (inputs === undefined) throw new StateError('The model input size is unknown: give the first layer inputDim, or call fit first.');
    return {
      layers: this.layerList.map((layer, i) => ({
        inputs: i === 0 ? inputs : this.layerList[i - 1]!.units,
        units: layer.units,
        activation: layer.activation,
        useBias: layer.useBias,
      })),
    };
  }

  /** Fixes the input size (from the first layer or the first data seen). */
  private build(inputs: number): void {
    if (this.inputs !== undefined && this.inputs !== inputs) {
      throw new ShapeError(`The data has ${inputs} features per sample, but the model expects ${this.inputs}.`);
    }
    this.inputs = inputs;
  }

  /** The weights before they move to an engine, drawn once from the seeded initializers. */
  private cpuWeights(): Float32Array[] {
    if (!this.initialWeights) {
      const rng = new RandomState(this.seed);
      this.initialWeights = this.network().layers.flatMap((layer, i) => {
        const dense = this.layerList[i]!;
        const kernel = initialize(dense.kernelInitializer, [layer.inputs, layer.units], rng);
        return layer.useBias ? [kernel, initialize(dense.biasInitializer, [layer.units], rng)] : [kernel];
      });
    }
    return this.initialWeights;
  }

  /**
   * Configures training. Keras defaults: Adam (lr 0.001, β1 0.9, β2 0.999, ε 1e-7). A sigmoid
   * output with binary cross-entropy is trained in the stable fused logits form.
   */
  compile(options: CompileOptions): void {
    this.assertUsable();
    if (this.busy) throw new StateError(`Cannot compile while ${this.busy}() is running.`);
    if (this.layerList.length === 0) throw new StateError('Add at least one layer before compile.');
    if (typeof options !== 'object' || options === null) throw new ValueError('compile needs { optimizer, loss, metrics }.');
    const optimizer = resolveOptimizer(options.optimizer);
    const loss = resolveLoss(options.loss);
    const metrics = resolveMetrics(options.metrics);
    const output = this.layerList[this.layerList.length - 1]!;
    if (output.units !== 1) {
      throw new ShapeError(`binary_crossentropy needs an output layer of 1 unit; the last layer has ${output.units}.`);
    }
    const lossForm: LossForm = output.activation === 'sigmoid' || (loss.fromLogits && output.activation === 'linear') ? 'logits' : 'probabilities';
    this.compiled = { optimizer, loss, metrics, lossForm };
    this.dropFitCache();
    this.engine?.resetOptimizer();
    this.steps = 0;
    optimizer.iterations = 0;
    if (this.snapshot) this.snapshot = { state: freshState(this.snapshot.state.weights), steps: 0 };
  }

  /**
   * The optimizer given to compile. Setting its learningRate during fit applies from the next
   * step not yet recorded: from onEpochBegin/onEpochEnd the next epoch, from onBatchEnd (which
   * splits the epoch into one submit per batch) the next batch.
   */
  get optimizer(): Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  /** What compile() was given, resolved (undefined before compile). */
  get compileConfig(): { readonly optimizer: Optimizer; readonly loss: BinaryCrossentropy; readonly metrics: readonly MetricName[] } | undefined {
    const compiled = this.compiled;
    return compiled && { optimizer: compiled.optimizer, loss: compiled.loss, metrics: compiled.metrics };
  }

  /**
   * Saves the model in TF.js's layers-model format (model.json + float32 weights): to
   * `file://dir` in Node, `downloads://name`, `localstorage://key` or `indexeddb://key` in
   * browsers, or a custom handler. loadModel() reads it back.
   */
  async save(destination: string | SaveHandler, options?: SaveOptions): Promise<SaveResult> {
    this.assertUsable();
    // Loaded on demand: serialization depends on this class, and most pages never save.
    const { saveModel } = await import('./serialization.js');
    return saveModel(this, destination, options);
  }

  /** Creates the engine on first use: the GPU (checked against its limits first) or the CPU. */
  private async ensureEngine(): Promise<ModelBackend> {
    if (this.engine) {
      if (this.engine.isLost) {
        throw new DeviceLostError(
          `The GPU device of model '${this.name}' was lost; call model.restore() to continue from the last epoch's weights.`,
          'lost',
        );
      }
      return this.engine;
    }
    const engine = await this.createEngine();
    this.assertUsable();
    if (this.engine) {
      engine.dispose(); // another call created one while this one waited for the GPU
      return this.engine;
    }
    const state = freshState(this.cpuWeights().map((w) => w.slice()));
    engine.writeState(state);
    this.snapshot = { state, steps: this.steps };
    this.initialWeights = undefined;
    this.engine = engine;
    return engine;
  }

  private async createEngine(gpu?: GpuContext): Promise<ModelBackend> {
    const network = this.network();
    if (this.backendChoice === 'cpu') return new CpuBackend(network);
    try {
      const ctx = gpu ?? (this.requestedGpu && !this.requestedGpu.isLost ? this.requestedGpu : await defaultGpu());
      return new GpuBackend(ctx, network);
    } catch (error) {
      if (this.backendChoice !== 'auto' || !(error instanceof WebGPUUnavailableError)) throw error;
      noticeCpuFallback(error);
      return new CpuBackend(network);
    }
  }

  /**
   * Moves the model onto a working GPU after its device was lost (or onto `gpu`), from the
   * weights and optimizer state of the last completed epoch; training can then continue.
   */
  async restore(gpu?: GpuContext): Promise<void> {
    this.assertUsable();
    if (this.busy) throw new StateError(`Cannot restore while ${this.busy}() is running.`);
    const old = this.engine;
    if (!old || !this.snapshot) return;
    const engine = await this.createEngine(gpu);
    this.dropFitCache();
    old.dispose();
    engine.writeState(this.snapshot.state);
    this.steps = this.snapshot.steps;
    if (this.compiled) this.compiled.optimizer.iterations = this.steps;
    this.engine = engine;
  }

  /**
   * The numerical guard: after an epoch whose loss or weights are not finite, puts back the
   * last good state and throws; otherwise makes this epoch's state the new rollback point.
   */
  private checkFinite(epoch: number, outcome: EpochOutcome, engine: ModelBackend): void {
    const tensor = outcome.nonFiniteTensor;
    if (tensor === undefined && Number.isFinite(outcome.train.lossSum)) {
      if (outcome.state) this.snapshot = { state: outcome.state, steps: this.steps };
      return;
    }
    const layer = tensor === undefined ? undefined : this.layerList[Number(/^layer(\d+)\//.exec(tensor)?.[1])];
    if (this.snapshot) {
      engine.writeState(this.snapshot.state);
      this.steps = this.snapshot.steps;
    }
    const what = layer
      ? `a non-finite weight in layer '${layer.name}' (${tensor!.endsWith('bias') ? 'bias' : 'kernel'})`
      : `a non-finite loss (${outcome.train.lossSum / outcome.train.seen})`;
    throw new NonFiniteError(
      `Training produced ${what} in epoch ${epoch + 1}; the weights of the last good epoch were restored. ` +
        'Lower the learning rate or scale the inputs.',
      epoch,
      layer?.name,
    );
  }

  private assertUsable(): void {
    if (this.disposed) throw new StateError(`Model '${this.name}' was disposed; create a new one.`);
  }

  private requireCompiled(what: string): Compiled {
    this.assertUsable();
    if (!this.compiled) throw new StateError(`Call compile() before ${what}().`);
    return this.compiled;
  }

  private async exclusive<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.busy) throw new StateError(`${what}() was called while ${this.busy}() is running on this model; await it first.`);
    this.busy = what;
    try {
      return await work();
    } finally {
      this.busy = undefined;
    }
  }

  /** `loss` and each compiled metric (all binary accuracy here), keys sorted as Keras 3 does. */
  private metricLogs(prefix: string, sums: MetricSums): Record<string, number> {
    const { loss, accuracy } = meanMetrics(sums);
    const entries: [string, number][] = [[`${prefix}loss`, loss], ...this.compiled!.metrics.map((m): [string, number] => [`${prefix}${m}`, accuracy])];
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /**
   * Trains the model; returns a History of per-epoch `loss`, metrics and `val_` values.
   * Per-epoch training values are Keras's: means over the epoch's batches weighted by batch
   * size, each batch measured before its update; validation sees the end-of-epoch weights.
   */
  async fit(x: FeatureInput, y: TargetInput, options: FitOptions = {}): Promise<History> {
    const compiled = this.requireCompiled('fit');
    return this.exclusive('fit', async () => {
      const epochs = positiveInteger(options.epochs ?? 1, 'epochs');
      const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
      const initialEpoch = options.initialEpoch ?? 0;
      if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
        throw new ValueError(`initialEpoch must be an integer in [0, epochs), got ${initialEpoch}.`);
      }
      const verbose = options.verbose ?? (isNode() ? 1 : 0);
      if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError(`verbose must be 0, 1 or 2, got ${String(verbose)}.`);
      const callbacks = options.callbacks === undefined ? [] : Array.isArray(options.callbacks) ? options.callbacks : [options.callbacks as Callback];
      const { session, samples } = await this.prepareFit(x, y, options, batchSize);
      const engine = this.engine!;
      const shuffleSeed = options.seed ?? randomSeed();
      const history = new History({ epochs, steps: session.stepsPerEpoch, samples, batchSize, verbose });
      const logger = new ProgressLogger({
        verbose,
        epochs,
        steps: session.stepsPerEpoch,
        style: options.logStyle ?? 'keras3',
        interactive: isNode() && Boolean(process.stdout?.isTTY),
        write: isNode() ? (text) => process.stdout.write(text) : (text) => console.log(text.replace(/\n$/, '')),
      });
      const wantsBatches = callbacks.some((c) => c.onBatchEnd);
      this.stopTraining = false;
      for (const callback of callbacks) await callback.onTrainBegin?.({});
      logger.onTrainBegin();
      let logs: Logs = {};
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        for (const callback of callbacks) await callback.onEpochBegin?.(epoch, {});
        logger.onEpochBegin(epoch);
        session.setOptimizer(compiled.optimizer.hyperparameters);
        const permutation = options.shuffle === false ? identity(samples) : epochPermutation(shuffleSeed, epoch, samples);
        const progress = wantsBatches
          ? {
              steps: 1,
              report: async (done: number, sums: MetricSums) => {
                const batchLogs = this.metricLogs('', sums);
                compiled.optimizer.iterations = this.steps + done;
                for (const callback of callbacks) await callback.onBatchEnd?.(done - 1, batchLogs);
                logger.onBatchEnd(done - 1, batchLogs);
                // A learning rate set by a callback applies from the next batch.
                session.setOptimizer(compiled.optimizer.hyperparameters);
                return !this.stopTraining;
              },
            }
          : undefined;
        const started = performance.now();
        const outcome = await session.runEpoch(permutation, this.steps, progress);
        const epochMs = performance.now() - started;
        this.steps += outcome.completedSteps;
        compiled.optimizer.iterations = this.steps;
        try {
          this.checkFinite(epoch, outcome, engine);
        } finally {
          compiled.optimizer.iterations = this.steps; // rolled back with the weights
        }
        this.lastEpoch = {
          epochMs,
          dispatchesPerStep: session.dispatchesPerStep,
          dispatchesPerEpoch: outcome.dispatches,
          submitsPerEpoch: outcome.submits,
          readsPerEpoch: outcome.reads,
        };
        logs = { ...this.metricLogs('', outcome.train), ...(outcome.validation ? this.metricLogs('val_', outcome.validation) : {}) };
        if (!wantsBatches) logger.onBatchEnd(session.stepsPerEpoch - 1, logs);
        history.record(epoch, logs);
        logger.onEpochEnd(epoch, logs);
        for (const callback of callbacks) await callback.onEpochEnd?.(epoch, logs);
      }
      for (const callback of callbacks) await callback.onTrainEnd?.(logs);
      return history;
    });
  }

  /**
   * Validates the data and loads it into the compiled training loop. The loop (buffers,
   * pipelines, bind groups) is kept while the shapes and batch size stay the same, so calling
   * fit epoch by epoch (as the demo does) costs one upload, not a rebuild.
   */
  private async prepareFit(x: FeatureInput, y: TargetInput, options: FitOptions, batchSize: number): Promise<{ session: TrainingSession; samples: number }> {
    const { validationData, validationSplit } = options;
    const features = toMatrix(x, 'x', this.inputs);
    const targets = toBinaryTargets(y, features.rows, 'y');
    let train: LabelledData = { x: features, y: targets };
    let validation: LabelledData | undefined;
    if (validationData) {
      if (!Array.isArray(validationData) || validationData.length !== 2) {
        throw new ValueError('validationData must be [x, y].');
      }
      const vx = toMatrix(validationData[0], 'validationData x', features.cols);
      validation = { x: vx, y: toBinaryTargets(validationData[1], vx.rows, 'validationData y') };
    } else if (validationSplit !== undefined && validationSplit !== 0) {
      const trainRows = splitForValidation(features.rows, validationSplit);
      const cols = features.cols;
      const rows = (from: number, to: number): Matrix => ({ data: features.data.slice(from * cols, to * cols), rows: to - from, cols });
      validation = { x: rows(trainRows, features.rows), y: targets.slice(trainRows) };
      train = { x: rows(0, trainRows), y: targets.slice(0, trainRows) };
    }
    this.build(features.cols);
    const engine = await this.ensureEngine();
    const key = [engine, train.x.rows, train.x.cols, batchSize, validation?.x.rows];
    const cached = this.fitCache;
    if (cached && cached.key.every((k, i) => k === key[i])) {
      cached.session.load(train, validation);
      return { session: cached.session, samples: train.x.rows };
    }
    this.dropFitCache();
    const compiled = this.compiled!;
    const session = engine.createTrainingSession(train, validation, { batchSize, optimizer: compiled.optimizer.hyperparameters, lossForm: compiled.lossForm });
    this.fitCache = { key, session };
    return { session, samples: train.x.rows };
  }

  private dropFitCache(): void {
    this.fitCache?.session.dispose();
    this.fitCache = undefined;
  }

  /**
   * Mean loss and metrics over (x, y), computed on the GPU with one read: `{ loss, accuracy }`,
   * or Keras's list `[loss, ...metrics in compile order]` with `returnDict: false`.
   */
  evaluate(x: FeatureInput, y: TargetInput, options?: EvaluateOptions & { readonly returnDict?: true }): Promise<Evaluation>;
  evaluate(x: FeatureInput, y: TargetInput, options: EvaluateOptions & { readonly returnDict: false }): Promise<number[]>;
  async evaluate(x: FeatureInput, y: TargetInput, options: EvaluateOptions & { readonly returnDict?: boolean } = {}): Promise<Evaluation | number[]> {
    const compiled = this.requireCompiled('evaluate');
    return this.exclusive('evaluate', async () => {
      const features = toMatrix(x, 'x', this.inputs);
      const targets = toBinaryTargets(y, features.rows, 'y');
      const chunk = options.batchSize === undefined ? undefined : positiveInteger(options.batchSize, 'batchSize');
      this.build(features.cols);
      const engine = await this.ensureEngine();
      const sums = await engine.evaluate({ x: features, y: targets }, compiled.lossForm, chunk);
      const logs = this.metricLogs('', sums) as Evaluation;
      return options.returnDict === false ? [logs.loss, ...compiled.metrics.map((m) => logs[m]!)] : logs;
    });
  }

  /**
   * The model's outputs (after the last activation) for every row of x: rows × units floats.
   * One submit and one read. Allowed while fit() runs (e.g. from a callback, to draw a decision
   * map between epochs): it sees the weights as of its call.
   */
  async predict(x: FeatureInput, options: EvaluateOptions = {}): Promise<Float32Array> {
    const [output] = await this.runPrediction(x, options.batchSize, false);
    return output!;
  }

  /**
   * Every layer's outputs for every row of x, in one forward pass: one Float32Array of
   * rows × units per layer (the last one equals predict's). What hidden-unit maps draw.
   */
  async predictLayers(x: FeatureInput): Promise<Float32Array[]> {
    return this.runPrediction(x, undefined, true);
  }

  private async runPrediction(x: FeatureInput, batchSize: number | undefined, allLayers: boolean): Promise<Float32Array[]> {
    this.assertUsable();
    const features = toMatrix(x, 'x', this.inputs);
    const chunk = batchSize === undefined ? undefined : positiveInteger(batchSize, 'batchSize');
    this.build(features.cols);
    const engine = await this.ensureEngine();
    this.assertUsable();
    return engine.predict(features, allLayers, chunk);
  }

  /** Weights in Keras order [W0, b0, W1, b1, ...], kernels row-major [inputs, units]. */
  async getWeights(): Promise<Float32Array[]> {
    this.assertUsable();
    if (this.engine) return this.engine.readWeights();
    if (this.inputs === undefined) throw new StateError('The model is not built yet: give the first layer inputDim, or call fit first.');
    return this.cpuWeights().map((w) => w.slice());
  }

  /** Replaces the weights (Keras order and shapes, as getWeights returns them). */
  setWeights(weights: readonly ArrayLike<number>[]): void {
    this.assertUsable();
    if (this.busy) throw new StateError(`Cannot set weights while ${this.busy}() is running.`);
    if (this.inputs === undefined) throw new StateError('The model is not built yet: give the first layer inputDim first.');
    const shapes = this.network().layers.flatMap((l) => (l.useBias ? [[l.inputs, l.units], [l.units]] : [[l.inputs, l.units]]));
    if (weights.length !== shapes.length) throw new ShapeError(`setWeights expects ${shapes.length} arrays, got ${weights.length}.`);
    const checked = weights.map((w, i) => {
      const size = shapes[i]!.reduce((a, b) => a * b, 1);
      if (w.length !== size) throw new ShapeError(`Weight ${i} needs shape [${shapes[i]!.join(', ')}] (${size} values), got ${w.length}.`);
      const values = Float32Array.from(w);
      if (!values.every(Number.isFinite)) throw new ValueError(`Weight ${i} contains a non-finite value.`);
      return values;
    });
    if (this.engine) {
      this.engine.writeWeights(checked);
      if (this.snapshot) this.snapshot = { ...this.snapshot, state: withWeights(this.snapshot.state, checked) };
    } else this.initialWeights = checked;
  }

  /** Trainable parameters (0 while the input size is unknown). */
  countParams(): number {
    if (this.inputs === undefined) return 0;
    return this.network().layers.reduce((n, l) => n + l.inputs * l.units + (l.useBias ? l.units : 0), 0);
  }

  /** Keras's summary table; printed with `print` (console.log by default) and returned. */
  summary(options: { readonly style?: 'keras3' | 'keras2'; readonly print?: (text: string) => void } = {}): string {
    this.assertUsable();
    const rows: SummaryRow[] = this.layerList.map((layer, i) => {
      const inputs = i === 0 ? this.inputs : this.layerList[i - 1]!.units;
      return {
        name: layer.name ?? `dense_${i}`,
        className: layer.className,
        outputShape: this.inputs === undefined ? undefined : [null, layer.units],
        params: inputs === undefined ? 0 : layer.countParams(inputs),
      };
    });
    const trained = this.steps > 0;
    const params = this.countParams();
    const text = formatSummary(this.name, rows, {
      style: options.style ?? 'keras3',
      trainableParams: params,
      nonTrainableParams: 0,
      // After training Keras 3 lists the optimizer's variables: iterations (int64), learning
      // rate, and its per-parameter slots (Adam: m and v).
      ...(trained ? { optimizer: this.optimizerParams(params) } : {}),
    });
    (options.print ?? console.log)(text);
    return text;
  }

  private optimizerParams(params: number): { params: number; bytes: number } {
    const slots = this.compiled ? stateSlotsPerParameter(this.compiled.optimizer.hyperparameters) : 2;
    return { params: slots * params + 2, bytes: 8 + 4 + 4 * slots * params };
  }

  /** How the engine used the GPU in the last epoch, and the optimizer steps so far. */
  stats(): EngineStats {
    return { ...this.lastEpoch, steps: this.steps };
  }

  /** Frees every GPU buffer this model owns. Safe to call twice; any later use throws a StateError. */
  dispose(): void {
    if (this.disposed) return;
    this.dropFitCache();
    this.engine?.dispose();
    this.engine = undefined;
    this.disposed = true;
  }
}
