import { DeviceLostError, ShapeError, StateError, ValueError } from '../errors.js';
import { freshState, withWeights, type EpochOutcome, type ModelBackend, type ModelState, type TrainingSession } from '../engine/backend.js';
import type { BackendName } from '../spec/backend.js';
import type { NetworkShape } from '../spec/network.js';
import { EMPTY_STATS, type EngineStats } from '../engine/stats.js';
import { GpuContext } from '../gpu/context.js';
import type { MetricSums } from '../spec/metrics.js';
import { isNode } from '../runtime.js';
import {
  evaluationSettings,
  fitSettings,
  labelledArguments,
  predictBatchSize,
  type EvaluateOptions,
  type EvaluationOptions,
  type FitOptions,
  type FitSettings,
  type WarmOptions,
} from './call-options.js';
import { History, type Callback, type Logs } from './callbacks.js';
import { CallGuard } from './call-guard.js';
import { resolveCompile, type Compiled, type CompileOptions } from './compile.js';
import { backendChoice, createEngine, type BackendChoice } from './engine-choice.js';
import { toMatrix, type DatasetLike, type FeatureInput, type TargetInput } from './inputs.js';
import { Dense, Dropout, type Layer } from './layers.js';
import { checkBatch, checkData, checkLayerCount, checkParameters, checkWidth, parameterCount } from './limits.js';
import type { Loss, MetricName } from './losses.js';
import { metricLogs } from './metric-logs.js';
import { nonFiniteError } from './non-finite.js';
import type { Optimizer } from './optimizers.js';
import { consoleProgressLogger } from './progress.js';
import { checkName } from './io/names.js';
import { saveModel, type SaveHandler, type SaveOptions } from './io/save.js';
import type { SaveResult } from './io/transports/common.js';
import type { ModelMetadata } from './io/metadata.js';
import { assertDropoutsPlaced, denseLayers, networkOf } from './stack.js';
import { printSummary } from './summary.js';
import { epochOrder, fitData, labelledData, randomSeed } from './training-data.js';
import { boolean as booleanOption, optionsOf, seed as seedOption } from './validate.js';
import { checkedWeights, initialWeights } from './weight-values.js';

export type { EvaluateOptions, EvaluationOptions, FitOptions, ValidationData, WarmOptions } from './call-options.js';
export type { CompileOptions } from './compile.js';

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

/** Loss and metrics over a dataset; keys are `loss` and the compiled metric names. */
export interface Evaluation {
  readonly loss: number;
  readonly [metric: string]: number;
}

/** A training loop kept between fit() calls with the same shapes (the demo trains epoch by epoch). */
interface FitCache {
  readonly key: readonly unknown[];
  readonly session: TrainingSession;
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

export class Sequential extends CallGuard {
  readonly name: string;
  /** Set to true (e.g. from a callback) to stop fit() after the current batch or epoch. */
  stopTraining = false;
  /**
   * User-defined metadata: that of the file the model was loaded from (loadModel), and what
   * save() writes when its options give none; undefined when there is none. Declared only: no field code on the minimal page.
   */
  declare metadata?: ModelMetadata;
  private readonly layerList: Layer[] = [];
  private readonly seed: number;
  private readonly requestedGpu: GpuContext | undefined;
  private readonly backendChoice: BackendChoice;
  private inputs: number | undefined;
  private initialWeights: Float32Array[] | undefined;
  private compiled: Compiled | undefined;
  /** The name of a layer added after compile(), which invalidated it (until compile runs again). */
  private addedAfterCompile: string | undefined;
  private engine: ModelBackend | undefined;
  private fitCache: FitCache | undefined;
  /** Weights and Adam moments at the last good epoch end, on the CPU: what restore() and the NaN guard roll back to. */
  private snapshot: { readonly state: ModelState; readonly steps: number } | undefined;
  private steps = 0;
  private lastEpoch: Omit<EngineStats, 'steps' | 'pipelines' | 'forwardKernels'> = EMPTY_STATS;

  constructor(options: SequentialOptions = {}) {
    super();
    const given = optionsOf(options, 'Sequential');
    this.name = given.name === undefined ? 'sequential' : checkName(given.name, 'Sequential name');
    this.seed = given.seed === undefined ? randomSeed() : seedOption(given.seed, 'Sequential seed');
    if (given.gpu !== undefined && !(given.gpu instanceof GpuContext))
      throw new ValueError('Sequential gpu must be a GpuContext (from requestGpu()).');
    this.requestedGpu = given.gpu;
    this.backendChoice = backendChoice(given.backend);
    if (given.layers !== undefined && !Array.isArray(given.layers))
      throw new ValueError('Sequential layers must be an array of layers (Dense, Dropout).');
    for (const layer of given.layers ?? []) this.add(layer);
  }

  get layers(): readonly Layer[] {
    return this.layerList;
  }

  /** The Dense layers, in order: layer i of the engine's network is the i-th of these. */
  private get denseLayers(): Dense[] {
    return denseLayers(this.layerList);
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
      throw new ValueError(
        `softmax is only supported on the output layer; layer '${previous.name}' uses it and cannot be followed by another layer.`,
      );
    }
    if (layer instanceof Dense && denseBefore > 0 && layer.inputDim !== undefined) {
      throw new ShapeError(
        `Only the first Dense layer takes inputDim/inputShape; layer ${this.layerList.length} got inputDim ${layer.inputDim}.`,
      );
    }
    const inputs = layer instanceof Dense && denseBefore === 0 ? (layer.inputDim ?? this.inputs) : this.inputs;
    if (layer instanceof Dense && inputs !== undefined) checkParameters(networkOf([...this.layerList, layer], inputs, this.seed).layers);
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

  /** The network as the engine sees it; requires a known input size. */
  private network(): NetworkShape {
    const inputs = this.inputs;
    if (inputs === undefined) throw new StateError('The model input size is unknown: give the first layer inputDim, or call fit first.');
    assertDropoutsPlaced(this.layerList);
    return networkOf(this.layerList, inputs, this.seed);
  }

  /** Fixes the input size (from the first layer or the first data seen). */
  private build(inputs: number): void {
    if (this.inputs !== undefined && this.inputs !== inputs) {
      throw new ShapeError(`The data has ${inputs} features per sample, but the model expects ${this.inputs}.`);
    }
    if (this.inputs === undefined) {
      checkWidth(inputs, "The data's features per sample");
      checkParameters(networkOf(this.layerList, inputs, this.seed).layers);
    }
    this.inputs = inputs;
  }

  /** The weights before they move to an engine, drawn once from the seeded initializers. */
  private cpuWeights(): Float32Array[] {
    this.initialWeights ??= initialWeights(this.network(), this.denseLayers, this.seed);
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
    assertDropoutsPlaced(this.layerList);
    const compiled = resolveCompile(options, this.denseLayers[this.denseLayers.length - 1]!);
    this.compiled = compiled;
    this.addedAfterCompile = undefined;
    this.dropFitCache();
    this.engine?.resetOptimizer();
    this.steps = 0;
    compiled.optimizer.iterations = 0;
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

  /**
   * Compiles the GPU pipelines that fit (with validation), evaluate and predict will use (in
   * browsers in the background and in parallel), so that the first epoch trains, not compiles.
   * Optional (fit compiles whatever is missing); needs compile() and a known input size. fit
   * may start before it resolves: it waits for the pipelines, compiling none twice.
   * @example
   * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
   * await model.warm(); // while the page loads its data, say
   */
  async warm(options?: WarmOptions): Promise<void> {
    const sampleWeight = booleanOption(optionsOf(options, 'warm').sampleWeight ?? false, 'warm sampleWeight');
    const { lossForm, lossKind, optimizer } = this.requireCompiled('warm');
    await this.tracked('warm', async () => {
      const engine = await this.ensureEngine('warm');
      await engine.warm({ lossForm, lossKind, optimizer: optimizer.hyperparameters, sampleWeight });
    });
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
    const requested = this.requestedGpu && !this.requestedGpu.isLost ? this.requestedGpu : undefined;
    return createEngine(this.network(), this.backendChoice, gpu ?? requested);
  }

  /**
   * Moves the model onto a working GPU after its device was lost (or onto `gpu`), from the
   * weights and optimizer state of the last completed epoch; training can then continue.
   */
  async restore(gpu?: GpuContext): Promise<void> {
    this.assertUsable();
    if (gpu !== undefined && !(gpu instanceof GpuContext))
      throw new ValueError('restore takes a GpuContext (from requestGpu()), or nothing for the default GPU.');
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
    if (this.snapshot) {
      engine.writeState(this.snapshot.state);
      this.steps = this.snapshot.steps;
    }
    throw nonFiniteError(epoch, outcome, tensor === undefined ? undefined : this.denseLayers[tensor.layer]);
  }

  private requireCompiled(what: string): Compiled {
    this.assertUsable();
    if (this.addedAfterCompile !== undefined) {
      throw new StateError(
        `The model changed: layer '${this.addedAfterCompile}' was added after compile(); call compile() again before ${what}().`,
      );
    }
    if (!this.compiled) throw new StateError(`Call compile() before ${what}().`);
    return this.compiled;
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
      const { session, samples, compileMs } = await this.prepareFit(x, y, settings);
      stopIfDisposed();
      const engine = this.engine!;
      const shuffleSeed = settings.seed ?? randomSeed();
      const history = new History({ epochs, steps: session.stepsPerEpoch, samples, batchSize, verbose });
      const logger = consoleProgressLogger({ verbose, epochs, steps: session.stepsPerEpoch, style: settings.logStyle });
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
        const permutation = epochOrder(settings.shuffle, shuffleSeed, epoch, samples);
        const progress = wantsBatches
          ? {
              steps: 1,
              report: async (done: number, sums: MetricSums) => {
                const batchLogs = metricLogs('', sums, compiled);
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
          compileMs: epoch === settings.initialEpoch ? compileMs : 0,
          dispatchesPerStep: session.dispatchesPerStep,
          kernels: session.kernels,
          dispatchesPerEpoch: outcome.dispatches,
          submitsPerEpoch: outcome.submits,
          readsPerEpoch: outcome.reads,
        };
        logs = {
          ...metricLogs('', outcome.train, compiled),
          ...(outcome.validation ? metricLogs('val_', outcome.validation, compiled) : {}),
        };
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
  private async prepareFit(
    x: unknown,
    y: unknown,
    settings: FitSettings,
  ): Promise<{ session: TrainingSession; samples: number; compileMs: number }> {
    const { batchSize } = settings;
    const { lossKind } = this.compiled!;
    const units = this.denseLayers[this.denseLayers.length - 1]!.units;
    const { train, validation } = fitData(x, y, settings, { inputs: this.inputs, units, lossKind });
    this.build(train.x.cols);
    // Both engines hold a batch's activations at once: refused before anything is allocated.
    checkBatch(this.network(), Math.min(batchSize, train.x.rows), batchSize);
    const engine = await this.ensureEngine('fit');
    const compileBefore = engine.compileMs;
    // Sample weights change the plan (a weight buffer and its gather), so they are part of the key.
    const key = [
      engine,
      train.x.rows,
      train.x.cols,
      batchSize,
      validation?.x.rows,
      train.weights !== undefined,
      validation?.weights !== undefined,
    ];
    const cached = this.fitCache;
    if (cached && cached.key.every((k, i) => k === key[i])) {
      cached.session.load(train, validation);
      return { session: cached.session, samples: train.x.rows, compileMs: 0 };
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
    await session.ready(); // pipelines compiling in the background (or by warm()): waited for outside epochMs
    return { session, samples: train.x.rows, compileMs: engine.compileMs - compileBefore };
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
      const data = labelledData(x, y, settings, {
        inputs: this.inputs,
        units: this.denseLayers[this.denseLayers.length - 1]!.units,
        lossKind: compiled.lossKind,
      });
      this.build(data.x.cols);
      const engine = await this.ensureEngine('evaluate');
      const sums = await engine.evaluate(data, { kind: compiled.lossKind, form: compiled.lossForm }, settings.batchSize);
      const logs = metricLogs('', sums, compiled) as Evaluation;
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

  private runPrediction(
    what: string,
    x: FeatureInput | DatasetLike,
    chunk: number | undefined,
    allLayers: boolean,
  ): Promise<Float32Array[]> {
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
    const checked = checkedWeights(weights, this.network());
    if (this.engine) {
      this.engine.writeWeights(checked);
      if (this.snapshot) this.snapshot = { ...this.snapshot, state: withWeights(this.snapshot.state, checked) };
    } else this.initialWeights = checked;
  }

  /** Trainable parameters (0 while the input size is unknown). */
  countParams(): number {
    if (this.inputs === undefined) return 0;
    return parameterCount(this.network().layers);
  }

  /** Keras's summary table; printed with `print` (console.log by default) and returned. */
  summary(options: { readonly style?: 'keras3' | 'keras2'; readonly print?: (text: string) => void } = {}): string {
    this.assertUsable();
    const { name, layerList, inputs, steps } = this;
    return printSummary(
      { name, layers: layerList, inputs, params: this.countParams(), optimizer: this.compiled?.optimizer, steps },
      options,
    );
  }

  /** How the engine used the GPU in the last epoch, and the optimizer steps so far. */
  stats(): EngineStats {
    return {
      ...this.lastEpoch,
      steps: this.steps,
      pipelines: this.engine?.pipelines ?? 0,
      forwardKernels: this.engine?.forwardKernels ?? 'layered',
    };
  }

  protected release(): void {
    this.dropFitCache();
    this.engine?.dispose();
    this.engine = undefined;
    this.snapshot = undefined;
  }
}
