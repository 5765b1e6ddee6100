import { RandomState } from '../data/random.js';
import { DeviceLostError, NonFiniteError, ShapeError, StateError, ValueError, WebGPUUnavailableError } from '../errors.js';
import { freshState, withWeights, type EpochOutcome, type LabelledData, type ModelBackend, type ModelState, type TrainingSession } from '../engine/backend.js';
import { CpuBackend } from '../engine/cpu-backend.js';
import { GpuBackend } from '../engine/gpu-backend.js';
import type { LossForm, LossKind } from '../spec/loss.js';
import type { BackendName } from '../spec/backend.js';
import { meanMetrics } from '../engine/metrics.js';
import type { NetworkShape } from '../spec/network.js';
import { stateSlotsPerParameter } from '../spec/optimizer.js';
import { EMPTY_STATS, type EngineStats } from '../engine/stats.js';
import { GpuContext } from '../gpu/context.js';
import { defaultGpu } from '../gpu/default.js';
import type { MetricSums } from '../spec/metrics.js';
import { isNode } from '../runtime.js';
import {
  evaluationSettings,
  fitSettings,
  labelledArguments,
  predictBatchSize,
  validationParts,
  type EvaluateOptions,
  type EvaluationOptions,
  type FitOptions,
  type FitSettings,
} from './call-options.js';
import { History, type Callback, type Logs } from './callbacks.js';
import { initialize } from './initializers.js';
import { splitForValidation, toFloat32, toMatrix, toTargets, type DatasetLike, type FeatureInput, type TargetInput } from './inputs.js';
import { Dense, Dropout, type Layer } from './layers.js';
import { checkBatch, checkData, checkLayerCount, checkParameters, checkWidth } from './limits.js';
import { dropoutHash } from '../spec/dropout.js';
import { metricQuantity, outputLossForm, resolveLoss, resolveMetrics, type Loss, type LossName, type MetricName } from './losses.js';
import { resolveOptimizer, type Optimizer, type OptimizerIdentifier } from './optimizers.js';
import { ProgressLogger } from './progress.js';
import { sampleWeights } from './sample-weights.js';
import { checkName } from './io/names.js';
import { saveModel, type SaveHandler, type SaveOptions } from './io/save.js';
import type { SaveResult } from './io/transports/common.js';
import { formatSummary, type SummaryRow } from './summary.js';
import { lookup, oneOf, optionalFunction, optionsOf, quoted, seed as seedOption } from './validate.js';
import { show } from '../show.js';

export type { EvaluateOptions, EvaluationOptions, FitOptions, ValidationData } from './call-options.js';

export interface SequentialOptions {
  /** Layers to add, in order. */
  readonly layers?: readonly Layer[];
  /** Model name (default `sequential`). */
  readonly name?: string;
  /** Seed of the weight initializers, an integer in [0, 2**32 − 1]; random when omitted (as in Keras). */
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
  /**
   * A loss name (binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
   * mean_squared_error / mse, or camelCase) or a loss instance (e.g. `new CategoricalCrossentropy({ fromLogits: true })`).
   */
  readonly loss: LossName | Loss;
  /**
   * Metric names, logged under the name given: `accuracy`/`acc` (the loss's accuracy: binary,
   * categorical or sparse categorical, as Keras resolves it), `binary_accuracy`,
   * `categorical_accuracy`, `sparse_categorical_accuracy`, `mse`/`mean_squared_error`,
   * `mae`/`mean_absolute_error`. Unweighted (Keras's `metrics`, not `weighted_metrics`).
   */
  readonly metrics?: readonly MetricName[];
}

/** Loss and metrics over a dataset; keys are `loss` and the compiled metric names. */
export interface Evaluation {
  readonly loss: number;
  readonly [metric: string]: number;
}

interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly MetricName[];
  readonly lossKind: LossKind;
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

const BACKEND_CHOICES: ReadonlyMap<string, BackendName | 'auto'> = new Map<string, BackendName | 'auto'>([
  ['auto', 'auto'],
  ['webgpu', 'webgpu'],
  ['cpu', 'cpu'],
]);

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
  private readonly layerList: Layer[] = [];
  private readonly seed: number;
  private readonly requestedGpu: GpuContext | undefined;
  private readonly backendChoice: BackendName | 'auto';
  private inputs: number | undefined;
  private initialWeights: Float32Array[] | undefined;
  private compiled: Compiled | undefined;
  /** The name of a layer added after compile(), which invalidated it (until compile runs again). */
  private addedAfterCompile: string | undefined;
  private engine: ModelBackend | undefined;
  private fitCache: FitCache | undefined;
  /** Weights and Adam moments at the last good epoch end, on the CPU: what restore() and the NaN guard roll back to. */
  private snapshot: { readonly state: ModelState; readonly steps: number } | undefined;
  private busy: string | undefined;
  /** > 0 while fit() awaits its callbacks. */
  private callbackDepth = 0;
  private disposed = false;
  /** Aborted by dispose(): engines that yield mid-epoch (the CPU's) stop at their next step. */
  private readonly lifetime = new AbortController();
  /** Calls using the engine right now: dispose() frees it when they have all settled. */
  private activeCalls = 0;
  private steps = 0;
  private lastEpoch: Omit<EngineStats, 'steps' | 'pipelines'> = EMPTY_STATS;

  constructor(options: SequentialOptions = {}) {
    const given = optionsOf(options, 'Sequential');
    this.name = given.name === undefined ? 'sequential' : checkName(given.name, 'Sequential name');
    this.seed = given.seed === undefined ? randomSeed() : seedOption(given.seed, 'Sequential seed');
    if (given.gpu !== undefined && !(given.gpu instanceof GpuContext)) throw new ValueError('Sequential gpu must be a GpuContext (from requestGpu()).');
    this.requestedGpu = given.gpu;
    this.backendChoice = lookup(BACKEND_CHOICES, given.backend ?? 'auto', (name) => `Unknown backend ${quoted(name)}; expected one of: auto, webgpu, cpu.`);
    if (given.layers !== undefined && !Array.isArray(given.layers)) throw new ValueError('Sequential layers must be an array of layers (Dense, Dropout).');
    for (const layer of given.layers ?? []) this.add(layer);
  }

  get layers(): readonly Layer[] {
    return this.layerList;
  }

  /** The Dense layers, in order: layer i of the engine's network is the i-th of these. */
  private get denseLayers(): Dense[] {
    return this.layerList.filter((layer): layer is Dense => layer instanceof Dense);
  }

  /** The engine the model runs on once it has been used: `webgpu` or `cpu`. */
  get backend(): BackendName | undefined {
    return this.engine?.name;
  }

  /**
   * Appends a Dense or Dropout layer. The first Dense must say its input size (inputDim or
   * inputShape) unless fit infers it; a Dropout must be followed by a Dense before training.
   */
  add(layer: Layer): void {
    this.assertUsable();
    if (!(layer instanceof Dense) && !(layer instanceof Dropout)) throw new ValueError('Sequential.add takes a Dense or Dropout layer.');
    if (this.initialWeights || this.engine) throw new StateError('Cannot add layers to a model that is already built.');
    checkLayerCount(this.layerList.length);
    const denseBefore = this.denseLayers.length;
    const previous = this.denseLayers[denseBefore - 1];
    if (previous?.activation === 'softmax') {
      throw new ValueError(`softmax is only supported on the output layer; layer '${previous.name}' uses it and cannot be followed by another layer.`);
    }
    if (layer instanceof Dense && denseBefore > 0 && layer.inputDim !== undefined) {
      throw new ShapeError(`Only the first Dense layer takes inputDim/inputShape; layer ${this.layerList.length} got inputDim ${layer.inputDim}.`);
    }
    const inputs = layer instanceof Dense && denseBefore === 0 ? (layer.inputDim ?? this.inputs) : this.inputs;
    if (layer instanceof Dense && inputs !== undefined) checkParameters(this.denseShapes(inputs, [...this.denseLayers, layer]));
    // Keras numbers default names per class: dense, dropout, dense_1, dropout_1, ...
    const sameClass = this.layerList.filter((l) => l.className === layer.className).length;
    const base = layer instanceof Dense ? 'dense' : 'dropout';
    layer.name ??= sameClass === 0 ? base : `${base}_${sameClass}`;
    this.layerList.push(layer);
    this.inputs = inputs;
    // compile() checked the loss against the old output layer (binary cross-entropy on one
    // sigmoid unit, say); with a new output that check no longer holds: compile again.
    if (this.compiled) {
      this.compiled = undefined;
      this.addedAfterCompile = layer.name;
    }
  }

  /** Dense layers as the engines see their shapes, for input width `inputs`. */
  private denseShapes(inputs: number, dense: readonly Dense[]): { inputs: number; units: number; useBias: boolean }[] {
    return dense.map((layer, i) => ({ inputs: i === 0 ? inputs : dense[i - 1]!.units, units: layer.units, useBias: layer.useBias }));
  }

  /**
   * The dropout applied to each Dense layer's input: the Dropouts just before it, merged. Two
   * consecutive independent masks keep an input with probability (1 − a)(1 − b) and scale it by
   * the inverse, exactly one dropout of rate 1 − (1 − a)(1 − b), which is what they become.
   * A Dropout without a seed gets one derived from the model's seed and its position.
   */
  private inputDropouts(): ({ rate: number; seed: number } | undefined)[] {
    const result: ({ rate: number; seed: number } | undefined)[] = [];
    let pending: { rate: number; seed: number } | undefined;
    this.layerList.forEach((layer, index) => {
      if (layer instanceof Dropout) {
        if (layer.rate === 0) return;
        const seed = layer.seed ?? dropoutHash(this.seed, 0, index, 0x64726f70);
        pending = pending
          ? { rate: 1 - (1 - pending.rate) * (1 - layer.rate), seed: dropoutHash(pending.seed, 0, seed, 0) }
          : { rate: layer.rate, seed };
        return;
      }
      result.push(pending);
      pending = undefined;
    });
    return result;
  }

  /** Refuses a model whose last layer is a Dropout (see compile). */
  private assertDropoutsPlaced(): void {
    const last = this.layerList[this.layerList.length - 1];
    if (last instanceof Dropout) {
      throw new ValueError(
        `Dropout layer '${last.name}' is the last layer; shadernet applies a Dropout to the input of the Dense layer after it, ` +
          'so it must be followed by a Dense layer (dropping the model\'s outputs would only perturb the loss in training).',
      );
    }
  }

  /** The network as the engine sees it; requires a known input size. */
  private network(): NetworkShape {
    const inputs = this.inputs;
    if (inputs === undefined) throw new StateError('The model input size is unknown: give the first layer inputDim, or call fit first.');
    this.assertDropoutsPlaced();
    const dense = this.denseLayers;
    const dropouts = this.inputDropouts();
    return {
      layers: dense.map((layer, i) => ({
        inputs: i === 0 ? inputs : dense[i - 1]!.units,
        units: layer.units,
        activation: layer.activation,
        alpha: layer.alpha,
        useBias: layer.useBias,
        ...(layer.kernelRegularizer ? { kernelRegularizer: { l1: layer.kernelRegularizer.l1, l2: layer.kernelRegularizer.l2 } } : {}),
        ...(dropouts[i] ? { inputDropout: dropouts[i] } : {}),
      })),
    };
  }

  /** Fixes the input size (from the first layer or the first data seen). */
  private build(inputs: number): void {
    if (this.inputs !== undefined && this.inputs !== inputs) {
      throw new ShapeError(`The data has ${inputs} features per sample, but the model expects ${this.inputs}.`);
    }
    if (this.inputs === undefined) {
      checkWidth(inputs, 'The data\'s features per sample');
      checkParameters(this.denseShapes(inputs, this.denseLayers));
    }
    this.inputs = inputs;
  }

  /** The weights before they move to an engine, drawn once from the seeded initializers. */
  private cpuWeights(): Float32Array[] {
    if (!this.initialWeights) {
      const rng = new RandomState(this.seed);
      this.initialWeights = this.network().layers.flatMap((layer, i) => {
        const dense = this.denseLayers[i]!;
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
    if (this.denseLayers.length === 0) throw new StateError('Add at least one Dense layer before compile.');
    this.assertDropoutsPlaced();
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ValueError('compile needs { optimizer, loss, metrics }.');
    const optimizer = resolveOptimizer(options.optimizer);
    const loss = resolveLoss(options.loss);
    const metrics = resolveMetrics(options.metrics);
    const output = this.denseLayers[this.denseLayers.length - 1]!;
    const lossKind = loss.name;
    const lossForm = outputLossForm(loss, output);
    for (const metric of metrics) metricQuantity(metric, lossKind);
    this.compiled = { optimizer, loss, metrics, lossKind, lossForm };
    this.addedAfterCompile = undefined;
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
  get compileConfig(): { readonly optimizer: Optimizer; readonly loss: Loss; readonly metrics: readonly MetricName[] } | undefined {
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
    return saveModel(this, destination, options);
  }

  /** Creates the engine on first use: the GPU (checked against its limits first) or the CPU. */
  private async ensureEngine(what: string): Promise<ModelBackend> {
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
    if (this.disposed) {
      engine.dispose();
      throw new StateError(`Model '${this.name}' was disposed during ${what}() (while its engine was being created).`);
    }
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
    if (gpu !== undefined && !(gpu instanceof GpuContext)) throw new ValueError('restore takes a GpuContext (from requestGpu()), or nothing for the default GPU.');
    if (this.busy) throw new StateError(`Cannot restore while ${this.busy}() is running.`);
    const old = this.engine;
    if (!old || !this.snapshot) return;
    const engine = await this.createEngine(gpu);
    if (this.disposed) {
      engine.dispose();
      throw new StateError(`Model '${this.name}' was disposed during restore().`);
    }
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
    const layer = tensor === undefined ? undefined : this.denseLayers[tensor.layer];
    if (this.snapshot) {
      engine.writeState(this.snapshot.state);
      this.steps = this.snapshot.steps;
    }
    const what = layer
      ? `a non-finite weight in layer '${layer.name}' (${tensor!.part})`
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
    if (this.addedAfterCompile !== undefined) {
      throw new StateError(`The model changed: layer '${this.addedAfterCompile}' was added after compile(); call compile() again before ${what}().`);
    }
    if (!this.compiled) throw new StateError(`Call compile() before ${what}().`);
    return this.compiled;
  }

  /** Runs `hook` for every callback in order, awaiting each; inside them setWeights is allowed. */
  private async inCallbacks(callbacks: readonly Callback[], hook: (callback: Callback) => void | Promise<void> | undefined): Promise<void> {
    this.callbackDepth++;
    try {
      for (const callback of callbacks) await hook(callback);
    } finally {
      this.callbackDepth--;
    }
  }

  /** Runs `work` as the one fit or evaluate of this model at a time (see tracked). */
  private async exclusive<T>(what: string, work: (stopIfDisposed: () => void) => Promise<T>): Promise<T> {
    if (this.busy) throw new StateError(`${what}() was called while ${this.busy}() is running on this model; await it first.`);
    this.busy = what;
    try {
      return await this.tracked(what, work);
    } finally {
      this.busy = undefined;
    }
  }

  /**
   * Runs a call that uses the engine. dispose() during it frees nothing until it settles; the
   * call stops at its next check (`stopIfDisposed`, and always at its end) with a StateError.
   */
  private async tracked<T>(what: string, work: (stopIfDisposed: () => void) => Promise<T>): Promise<T> {
    this.assertUsable();
    const stopIfDisposed = (): void => {
      if (this.disposed) throw new StateError(`Model '${this.name}' was disposed during ${what}(); the call was stopped and the model's GPU memory freed.`);
    };
    this.activeCalls++;
    try {
      const result = await work(stopIfDisposed);
      stopIfDisposed();
      return result;
    } finally {
      this.activeCalls--;
      if (this.activeCalls === 0 && this.disposed) this.release();
    }
  }

  /** `loss` and each compiled metric, keys sorted as Keras 3 does. */
  private metricLogs(prefix: string, sums: MetricSums): Record<string, number> {
    const means = meanMetrics(sums);
    const { metrics, lossKind } = this.compiled!;
    const entries: [string, number][] = [[`${prefix}loss`, means.loss], ...metrics.map((m): [string, number] => [`${prefix}${m}`, means[metricQuantity(m, lossKind)]])];
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /**
   * Trains the model; returns a History of per-epoch `loss`, metrics and `val_` values.
   * Per-epoch training values are Keras's: means over the epoch's batches weighted by batch
   * size, each batch measured before its update; validation sees the end-of-epoch weights.
   * Takes `(x, y, options)`, or a Dataset and options (`fit(train, { epochs })`), as Keras
   * takes a dataset.
   */
  fit(data: DatasetLike, options?: FitOptions): Promise<History>;
  fit(x: FeatureInput, y: TargetInput, options?: FitOptions): Promise<History>;
  async fit(first: FeatureInput | DatasetLike, second?: TargetInput | FitOptions, third?: FitOptions): Promise<History> {
    const compiled = this.requireCompiled('fit');
    return this.exclusive('fit', async (stopIfDisposed) => {
      const { x, y, options } = labelledArguments('fit', first, second, third);
      const settings = fitSettings(options, isNode() ? 1 : 0);
      const { epochs, batchSize, verbose, callbacks } = settings;
      const { session, samples } = await this.prepareFit(x, y, settings);
      stopIfDisposed();
      const engine = this.engine!;
      const shuffleSeed = settings.seed ?? randomSeed();
      const history = new History({ epochs, steps: session.stepsPerEpoch, samples, batchSize, verbose });
      const logger = new ProgressLogger({
        verbose,
        epochs,
        steps: session.stepsPerEpoch,
        style: settings.logStyle,
        interactive: isNode() && Boolean(process.stdout?.isTTY),
        write: isNode() ? (text) => process.stdout.write(text) : (text) => console.log(text.replace(/\n$/, '')),
      });
      const wantsBatches = callbacks.some((c) => c.onBatchEnd);
      this.stopTraining = false;
      for (const callback of callbacks) callback.setModel?.(this);
      // After every wait (a callback, the GPU) fit stops if the model was disposed meanwhile.
      const each = async (hook: (callback: Callback) => void | Promise<void> | undefined): Promise<void> => {
        await this.inCallbacks(callbacks, hook);
        stopIfDisposed();
      };
      await each((c) => c.onTrainBegin?.({}));
      logger.onTrainBegin();
      let logs: Logs = {};
      for (let epoch = settings.initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        await each((c) => c.onEpochBegin?.(epoch, {}));
        logger.onEpochBegin(epoch);
        session.setOptimizer(compiled.optimizer.hyperparameters);
        const permutation = settings.shuffle ? epochPermutation(shuffleSeed, epoch, samples) : identity(samples);
        const progress = wantsBatches
          ? {
              steps: 1,
              report: async (done: number, sums: MetricSums) => {
                const batchLogs = this.metricLogs('', sums);
                compiled.optimizer.iterations = this.steps + done;
                await this.inCallbacks(callbacks, (c) => c.onBatchEnd?.(done - 1, batchLogs));
                if (this.disposed) return false; // the epoch ends here; fit reports the disposal
                logger.onBatchEnd(done - 1, batchLogs);
                // A learning rate set by a callback applies from the next batch.
                session.setOptimizer(compiled.optimizer.hyperparameters);
                return !this.stopTraining;
              },
            }
          : undefined;
        const started = performance.now();
        const outcome = await session.runEpoch(permutation, this.steps, progress, this.lifetime.signal);
        stopIfDisposed();
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
        logger.onEpochEnd(epoch, logs);
        // Callbacks may add to the logs (ReduceLROnPlateau adds learning_rate), as in Keras,
        // where History records them after the user's callbacks.
        const epochLogs: Record<string, number> = { ...logs };
        await each((c) => c.onEpochEnd?.(epoch, epochLogs));
        logs = epochLogs;
        history.record(epoch, logs);
      }
      await each((c) => c.onTrainEnd?.(logs));
      return history;
    });
  }

  /**
   * Validates the data and loads it into the compiled training loop. The loop (buffers,
   * pipelines, bind groups) is kept while the shapes and batch size stay the same, so calling
   * fit epoch by epoch (as the demo does) costs one upload, not a rebuild.
   */
  private async prepareFit(x: unknown, y: unknown, settings: FitSettings): Promise<{ session: TrainingSession; samples: number }> {
    const { batchSize } = settings;
    const { lossKind } = this.compiled!;
    const units = this.denseLayers[this.denseLayers.length - 1]!.units;
    const features = toMatrix(x, 'x', this.inputs);
    const targets = toTargets(y, features.rows, 'y', lossKind, units);
    const weights = sampleWeights(targets, features.rows, lossKind, settings.sampleWeight, settings.classWeight);
    let train: LabelledData = { x: features, y: targets, ...(weights ? { weights } : {}) };
    let validation: LabelledData | undefined;
    if (settings.validationData) {
      const parts = validationParts(settings.validationData);
      const vx = toMatrix(parts.x, 'validationData x', features.cols);
      const vy = toTargets(parts.y, vx.rows, 'validationData y', lossKind, units);
      const vw = sampleWeights(vy, vx.rows, lossKind, parts.sampleWeight, undefined, 'validationData sampleWeight');
      validation = { x: vx, y: vy, ...(vw ? { weights: vw } : {}) };
    } else if (settings.validationSplit !== undefined && settings.validationSplit !== 0) {
      const trainRows = splitForValidation(features.rows, settings.validationSplit);
      const cols = features.cols;
      const targetCols = targets.length / features.rows;
      const part = (from: number, to: number): LabelledData => ({
        x: { data: features.data.slice(from * cols, to * cols), rows: to - from, cols },
        y: targets.slice(from * targetCols, to * targetCols),
        ...(weights ? { weights: weights.slice(from, to) } : {}),
      });
      validation = part(trainRows, features.rows);
      train = part(0, trainRows);
    }
    this.build(features.cols);
    // Both engines hold a batch's activations at once: refused before anything is allocated.
    checkBatch(this.network(), Math.min(batchSize, train.x.rows), batchSize);
    const engine = await this.ensureEngine('fit');
    // Sample weights change the plan (a weight buffer and its gather), so they are part of the key.
    const key = [engine, train.x.rows, train.x.cols, batchSize, validation?.x.rows, train.weights !== undefined, validation?.weights !== undefined];
    const cached = this.fitCache;
    if (cached && cached.key.every((k, i) => k === key[i])) {
      cached.session.load(train, validation);
      return { session: cached.session, samples: train.x.rows };
    }
    this.dropFitCache();
    const compiled = this.compiled!;
    const session = engine.createTrainingSession(train, validation, {
      batchSize,
      optimizer: compiled.optimizer.hyperparameters,
      lossForm: compiled.lossForm,
      lossKind: compiled.lossKind,
    });
    this.fitCache = { key, session };
    return { session, samples: train.x.rows };
  }

  private dropFitCache(): void {
    this.fitCache?.session.dispose();
    this.fitCache = undefined;
  }

  /**
   * Mean loss and metrics over (x, y), computed on the GPU with one read: `{ loss, accuracy }`,
   * or Keras's list `[loss, ...metrics in compile order]` with `returnDict: false`. Takes
   * `(x, y, options)` or a Dataset and options.
   */
  evaluate(data: DatasetLike, options?: EvaluationOptions & { readonly returnDict?: true }): Promise<Evaluation>;
  evaluate(data: DatasetLike, options: EvaluationOptions & { readonly returnDict: false }): Promise<number[]>;
  evaluate(x: FeatureInput, y: TargetInput, options?: EvaluationOptions & { readonly returnDict?: true }): Promise<Evaluation>;
  evaluate(x: FeatureInput, y: TargetInput, options: EvaluationOptions & { readonly returnDict: false }): Promise<number[]>;
  async evaluate(
    first: FeatureInput | DatasetLike,
    second?: TargetInput | (EvaluationOptions & { readonly returnDict?: boolean }),
    third?: EvaluationOptions & { readonly returnDict?: boolean },
  ): Promise<Evaluation | number[]> {
    const compiled = this.requireCompiled('evaluate');
    return this.exclusive('evaluate', async () => {
      const { x, y, options } = labelledArguments('evaluate', first, second, third);
      const settings = evaluationSettings(options);
      const features = toMatrix(x, 'x', this.inputs);
      const targets = toTargets(y, features.rows, 'y', compiled.lossKind, this.denseLayers[this.denseLayers.length - 1]!.units);
      const weights = sampleWeights(targets, features.rows, compiled.lossKind, settings.sampleWeight, undefined);
      this.build(features.cols);
      const engine = await this.ensureEngine('evaluate');
      const data = { x: features, y: targets, ...(weights ? { weights } : {}) };
      const sums = await engine.evaluate(data, { kind: compiled.lossKind, form: compiled.lossForm }, settings.batchSize);
      const logs = this.metricLogs('', sums) as Evaluation;
      return settings.returnDict ? logs : [logs.loss, ...compiled.metrics.map((m) => logs[m]!)];
    });
  }

  /**
   * The model's outputs (after the last activation) for every row of x (or of a Dataset's x):
   * rows × units floats. One submit and one read. Allowed while fit() runs (e.g. from a
   * callback, to draw a decision map between epochs): it sees the weights as of its call.
   */
  async predict(x: FeatureInput | DatasetLike, options?: EvaluateOptions): Promise<Float32Array> {
    const [output] = await this.runPrediction('predict', x, predictBatchSize(options), false);
    return output!;
  }

  /**
   * Every layer's outputs for every row of x, in one forward pass: one Float32Array of
   * rows × units per layer (the last one equals predict's). What hidden-unit maps draw.
   */
  async predictLayers(x: FeatureInput | DatasetLike): Promise<Float32Array[]> {
    return this.runPrediction('predictLayers', x, undefined, true);
  }

  private runPrediction(what: string, x: FeatureInput | DatasetLike, chunk: number | undefined, allLayers: boolean): Promise<Float32Array[]> {
    return this.tracked(what, async () => {
      const features = toMatrix(x, 'x', this.inputs);
      this.build(features.cols);
      const network = this.network();
      const widths = network.layers.map((l) => l.units);
      for (const units of allLayers ? widths : widths.slice(-1)) checkData(features.rows, units, `${what} output`, 'units');
      const engine = await this.ensureEngine(what);
      return engine.predict(features, allLayers, chunk);
    });
  }

  /** Weights in Keras order [W0, b0, W1, b1, ...], kernels row-major [inputs, units]. */
  async getWeights(): Promise<Float32Array[]> {
    return this.tracked('getWeights', async () => {
      if (this.engine) return this.engine.readWeights();
      if (this.inputs === undefined) throw new StateError('The model is not built yet: give the first layer inputDim, or call fit first.');
      return this.cpuWeights().map((w) => w.slice());
    });
  }

  /** Replaces the weights (Keras order and shapes, as getWeights returns them). */
  setWeights(weights: readonly ArrayLike<number>[]): void {
    this.assertUsable();
    // Between a fit's steps (in its callbacks) the GPU is idle, so new weights are safe there.
    if (this.busy && !(this.busy === 'fit' && this.callbackDepth > 0)) {
      throw new StateError(`Cannot set weights while ${this.busy}() is running (except from its callbacks).`);
    }
    if (this.inputs === undefined) throw new StateError('The model is not built yet: give the first layer inputDim first.');
    const shapes = this.network().layers.flatMap((l) => (l.useBias ? [[l.inputs, l.units], [l.units]] : [[l.inputs, l.units]]));
    if (!Array.isArray(weights)) throw new ValueError('setWeights takes an array of weight arrays, as getWeights returns.');
    if (weights.length !== shapes.length) throw new ShapeError(`setWeights expects ${shapes.length} arrays, got ${weights.length}.`);
    const checked = weights.map((w: unknown, i) => {
      const size = shapes[i]!.reduce((a, b) => a * b, 1);
      const length = typeof w === 'object' && w !== null && 'length' in w ? w.length : undefined;
      if (length !== size) throw new ShapeError(`Weight ${i} needs shape [${shapes[i]!.join(', ')}] (${size} values), got ${length === undefined ? show(w) : length}.`);
      return toFloat32(w, `Weight ${i}`);
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
    const given = optionsOf(options, 'summary');
    const style = oneOf(given.style ?? 'keras3', ['keras3', 'keras2'], 'summary style');
    optionalFunction(given.print, 'summary print');
    let width = this.inputs;
    const rows: SummaryRow[] = this.layerList.map((layer, i) => {
      const inputs = width;
      // A Dropout's output has its input's shape.
      if (layer instanceof Dense) width = layer.units;
      return {
        name: layer.name ?? `${layer instanceof Dense ? 'dense' : 'dropout'}_${i}`,
        className: layer.className,
        outputShape: this.inputs === undefined || width === undefined ? undefined : [null, width],
        params: inputs === undefined ? 0 : layer.countParams(inputs),
      };
    });
    const trained = this.steps > 0;
    const params = this.countParams();
    const text = formatSummary(this.name, rows, {
      style,
      trainableParams: params,
      nonTrainableParams: 0,
      // After training Keras 3 lists the optimizer's variables: iterations (int64), learning
      // rate, and its per-parameter slots (Adam: m and v).
      ...(trained ? { optimizer: this.optimizerParams(params) } : {}),
    });
    (given.print ?? console.log)(text);
    return text;
  }

  private optimizerParams(params: number): { params: number; bytes: number } {
    const slots = this.compiled ? stateSlotsPerParameter(this.compiled.optimizer.hyperparameters) : 2;
    return { params: slots * params + 2, bytes: 8 + 4 + 4 * slots * params };
  }

  /** How the engine used the GPU in the last epoch, and the optimizer steps so far. */
  stats(): EngineStats {
    return { ...this.lastEpoch, steps: this.steps, pipelines: this.engine?.pipelines ?? 0 };
  }

  /**
   * Frees every GPU buffer this model owns. Safe to call twice; any later use throws a
   * StateError. Calls in flight (fit, evaluate, predict, also from fit's callbacks) stop at
   * their next safe point and reject with a StateError; the buffers they use are freed once
   * they have settled, so nothing is ever submitted to a freed buffer.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.lifetime.abort();
    if (this.activeCalls === 0) this.release();
  }

  private release(): void {
    this.dropFitCache();
    this.engine?.dispose();
    this.engine = undefined;
    this.snapshot = undefined;
  }
}
