/**
 * WorkerModel: a Sequential model trained in a Web Worker, with Sequential's API, so that a long
 * fit never blocks the page (the browser keeps drawing frames and handling input).
 *
 * The model crosses to the worker in the TF.js layers-model format (serializeModel →
 * deserializeModel: topology, weights, training config), compile settings as a training config
 * (compile-config.ts), data by structured clone; predictions and weights come back as
 * transferred Float32Arrays. A local copy of the model (never trained, no GPU) answers the
 * synchronous questions (layers, countParams) and validates compile() and setWeights() at once,
 * with the same errors as Sequential. Errors of the worker arrive as the same error classes.
 *
 * Decision maps: `fit(..., { epochPredictions: { x: grid, onPredictions } })` makes the worker
 * predict `grid` after every epoch and send the outputs with that epoch's logs, transferred
 * (no extra round trip, no copy). Chosen over an OffscreenCanvas so that drawing stays the
 * page's (any colour map, threshold, canvas or WebGL), and the library stays free of rendering.
 */
import { StateError, UnsupportedError, ValueError } from '../errors.js';
import type { BackendName } from '../spec/backend.js';
import { EMPTY_STATS, type EngineStats } from '../engine/stats.js';
import { History, type Callback, type Logs } from '../model/callbacks.js';
import { compileConfigOf } from '../model/compile-config.js';
import { callbackList, labelledArguments } from '../model/call-options.js';
import { optionsOf } from '../model/validate.js';
import { featuresOf, type DatasetLike, type FeatureInput, type TargetInput } from '../model/inputs.js';
import {
  deserializeModel,
  serializeModel,
  type ModelArtifact,
  type SaveHandler,
  type SaveOptions,
  type SaveResult,
} from '../model/serialization.js';
import {
  Sequential,
  type CompileOptions,
  type EvaluateOptions,
  type Evaluation,
  type EvaluationOptions,
  type FitOptions,
  type WarmOptions,
} from '../model/sequential.js';
import { isNode } from '../runtime.js';
import { startWorker, type WorkerHost } from './worker-host.js';
import {
  CALLBACK_HOOKS,
  fromWireError,
  type CallbackHook,
  type EndpointMessage,
  type MessageEndpoint,
  type ModelStatus,
  type Notice,
  type Request,
  type WireHistory,
  type WorkerMessage,
} from './protocol.js';

/** A distributive Omit: keeps each member of the Request union apart. */
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export interface WorkerModelOptions {
  /**
   * URL of the worker script: the package's `shadernet/worker` entry, one self-contained file
   * (dist/lib/worker/shadernet-worker.js). Default: `shadernet-worker.js` next to this module,
   * written as `new Worker(new URL(…, import.meta.url))` so that Vite, webpack and Parcel bundle
   * it; with esbuild, emit the `shadernet/worker` entry next to your bundle (see README).
   */
  readonly workerUrl?: string | URL;
  /**
   * A worker (or MessagePort) already running the worker script (`serveModel`); WorkerModel then
   * creates none. Its `terminate()` (or `close()`) is called by dispose().
   */
  readonly worker?: MessageEndpoint & { terminate?(): void; close?(): void };
  /**
   * A long-lived worker to serve the model in (on a port of its own), shared with other models:
   * they share its GPU device and compiled pipelines. dispose() then leaves the worker running.
   */
  readonly host?: WorkerHost;
  /** Engine in the worker: `webgpu`, `cpu`, or `auto` (default: WebGPU where the worker has it, else the CPU). */
  readonly backend?: BackendName | 'auto';
}

/** What the worker predicts after every epoch, and what the page does with it. */
export interface EpochPredictions {
  /** Rows to predict (e.g. the grid of a decision map), or a Dataset's. */
  readonly x: FeatureInput | DatasetLike;
  /** `output` (default): predict()'s outputs; `all`: every layer's (predictLayers()). */
  readonly layers?: 'output' | 'all';
  /** Called on the page after the epoch's onEpochEnd callbacks, with the outputs (one array per layer, or one). */
  readonly onPredictions: (epoch: number, outputs: Float32Array[], logs: Logs) => void | Promise<void>;
}

export interface WorkerFitOptions extends FitOptions {
  /** Predict rows after every epoch in the worker and hand the outputs over with the epoch's logs. */
  readonly epochPredictions?: EpochPredictions;
}

/** One fit in flight: its callbacks, and the first error a callback threw on the page. */
interface FitContext {
  readonly callbacks: readonly Callback[];
  readonly predictions: EpochPredictions | undefined;
  callbackError: { readonly error: unknown } | undefined;
  /** Each epoch's logs after the page's onEpochEnd callbacks, which may add keys (learning_rate). */
  readonly epochLogs: Map<number, Logs>;
}

interface Pending {
  /** The method that made the request (what a rejection on dispose names). */
  readonly call: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly fit?: FitContext;
}

/**
 * A Sequential model that lives in a Web Worker. Create it from a model (its weights, training
 * config and name are copied; the original stays as it is):
 *
 * @example
 * const model = await WorkerModel.create(sequential);
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(x, y, {
 *   epochs: 100,
 *   epochPredictions: { x: grid, onPredictions: (epoch, [p]) => drawMap(p) },
 * });
 * model.dispose(); // terminates the worker, which frees its GPU memory
 *
 * Differences from Sequential, all because the model is in another thread: setWeights() and
 * summary() return promises; callbacks run on the page and fit waits for them where the page
 * has one (as Sequential does), so `stopTraining` and learning-rate changes from a callback take
 * effect at the same points; `stopTraining = true` set outside a callback stops fit at the
 * worker's next epoch (or batch report). Browsers only: Node has no Web Workers.
 */
export class WorkerModel {
  /** The local copy: layers and compile settings, validated here; its weights are the starting ones. */
  private readonly local: Sequential;
  private readonly endpoint: MessageEndpoint & { terminate?(): void; close?(): void };
  private readonly pending = new Map<number, Pending>();
  private readonly onMessage = (event: EndpointMessage): void => this.receive(event.data as WorkerMessage);
  private nextId = 0;
  private status: ModelStatus = { backend: undefined, stats: EMPTY_STATS };
  private stopFlag = false;
  /** Page-side work for fit events, one after the other (callbacks run in the worker's order). */
  private events: Promise<void> = Promise.resolve();
  private disposed = false;
  private fitting = 0;
  /** Stops listening for the WorkerHost's failure (set when the model lives in one). */
  private unwatchHost: (() => void) | undefined;

  private constructor(local: Sequential, endpoint: WorkerModel['endpoint']) {
    this.local = local;
    this.endpoint = endpoint;
    endpoint.addEventListener('message', this.onMessage);
  }

  /**
   * Starts a worker and moves a copy of `source` (a Sequential, or a saved model's artifacts) into
   * it. Resolves once the worker has built the model (and, with `backend: 'webgpu'`, got its GPU).
   * Throws UnsupportedError in Node or where Web Workers are missing, and the worker's error
   * (e.g. WebGPUUnavailableError) if it cannot build the model.
   */
  static async create(
    source: Sequential | Pick<ModelArtifact, 'modelJson' | 'weightData'>,
    options: WorkerModelOptions = {},
  ): Promise<WorkerModel> {
    const artifact = source instanceof Sequential ? await serializeModel(source) : source;
    let endpoint = options.worker ?? options.host?.connect();
    if (!endpoint) {
      if (isNode()) {
        throw new UnsupportedError(
          'WorkerModel trains in a Web Worker, which Node does not have; in Node, use Sequential directly (its fit does not block a page).',
        );
      }
      endpoint = startWorker(options.workerUrl);
    }
    // The local copy: on the CPU engine, which it never starts (it is only asked sync questions).
    const local = deserializeModel(artifact.modelJson, artifact.weightData, { backend: 'cpu' });
    const model = new WorkerModel(local, endpoint);
    if (endpoint instanceof EventTarget && typeof (endpoint as Partial<Worker>).terminate === 'function') {
      endpoint.addEventListener('error', (event) =>
        model.fail(
          () => new UnsupportedError(`The shadernet worker failed: ${(event as ErrorEvent).message || 'its script could not be loaded'}.`),
        ),
      );
    }
    model.unwatchHost = options.host?.onFailure((error) => model.fail(() => error));
    (endpoint as { start?(): void }).start?.();
    const weightData = artifact.weightData.slice(0);
    try {
      await model.request(
        { kind: 'init', modelJson: artifact.modelJson, weightData, backend: options.backend ?? 'auto', seed: undefined },
        [weightData],
      );
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  }

  get name(): string {
    return this.local.name;
  }

  get layers(): Sequential['layers'] {
    return this.local.layers;
  }

  /** The engine in the worker (`webgpu` or `cpu`) once the model has been used there. */
  get backend(): BackendName | undefined {
    return this.status.backend;
  }

  /** The optimizer given to compile; change its learningRate and the worker follows from the next epoch (or batch report). */
  get optimizer(): Sequential['optimizer'] {
    return this.local.optimizer;
  }

  get compileConfig(): Sequential['compileConfig'] {
    return this.local.compileConfig;
  }

  /** Set to true to stop fit() at the worker's next epoch boundary (or batch report). */
  get stopTraining(): boolean {
    return this.stopFlag;
  }

  set stopTraining(value: boolean) {
    this.stopFlag = value;
    if (value && this.fitting > 0 && !this.disposed) this.post({ kind: 'stop' });
  }

  countParams(): number {
    return this.local.countParams();
  }

  /** Validated here (same errors as Sequential.compile), applied in the worker before any later call. */
  compile(options: CompileOptions): void {
    this.assertUsable();
    this.local.compile(options);
    const config = compileConfigOf(this.local)!;
    void this.request({ kind: 'compile', config }).catch(() => {
      // Every error compile can raise was raised here already; the worker's would repeat one.
    });
  }

  /**
   * Sequential.warm in the worker: compiles the pipelines of fit, evaluate and predict there,
   * ahead of the first fit (with a WorkerHost, for every later model of the same worker too).
   */
  async warm(options: WarmOptions = {}): Promise<void> {
    this.assertUsable();
    const sampleWeight = optionsOf(options, 'warm').sampleWeight ?? false;
    await this.request({ kind: 'warm', sampleWeight });
  }

  /** Sequential.fit in the worker: `(x, y, options)` or `(dataset, options)`. */
  fit(data: DatasetLike, options?: WorkerFitOptions): Promise<History>;
  fit(x: FeatureInput, y: TargetInput, options?: WorkerFitOptions): Promise<History>;
  async fit(first: FeatureInput | DatasetLike, second?: TargetInput | WorkerFitOptions, third?: WorkerFitOptions): Promise<History> {
    this.assertUsable();
    const { x, y, options } = labelledArguments('fit', first, second, third);
    const { callbacks, epochPredictions, ...rest } = optionsOf(options, 'fit');
    const list = callbackList(callbacks);
    const hooks = CALLBACK_HOOKS.filter((hook: CallbackHook) => list.some((c) => typeof c[hook] === 'function'));
    if (epochPredictions !== undefined && typeof epochPredictions?.onPredictions !== 'function') {
      throw new ValueError('epochPredictions needs { x, onPredictions(epoch, outputs, logs) }.');
    }
    const context: FitContext = { callbacks: list, predictions: epochPredictions, callbackError: undefined, epochLogs: new Map() };
    // Callbacks reach this model (e.g. EarlyStopping's restoreBestWeights), as Sequential's do.
    for (const callback of list) callback.setModel?.(this);
    this.stopFlag = false;
    this.fitting++;
    try {
      const wire = (await this.request(
        {
          kind: 'fit',
          x: featuresOf(x),
          y,
          options: rest,
          hooks,
          predictions: epochPredictions ? { x: featuresOf(epochPredictions.x), allLayers: epochPredictions.layers === 'all' } : undefined,
          learningRate: this.currentLearningRate(),
        },
        [],
        context,
      )) as WireHistory;
      await this.events;
      const history = new History(wire.params);
      // As in Sequential, History holds what callbacks added to an epoch's logs too.
      wire.epoch.forEach((epoch, i) => {
        const logs = Object.fromEntries(Object.entries(wire.history).map(([key, values]) => [key, values[i]!]));
        history.record(epoch, { ...context.epochLogs.get(epoch), ...logs });
      });
      return history;
    } catch (error) {
      await this.events;
      throw context.callbackError ? context.callbackError.error : error;
    } finally {
      this.fitting--;
    }
  }

  evaluate(data: DatasetLike, options?: EvaluationOptions & { readonly returnDict?: true }): Promise<Evaluation>;
  evaluate(data: DatasetLike, options: EvaluationOptions & { readonly returnDict: false }): Promise<number[]>;
  evaluate(x: FeatureInput, y: TargetInput, options?: EvaluationOptions & { readonly returnDict?: true }): Promise<Evaluation>;
  evaluate(x: FeatureInput, y: TargetInput, options: EvaluationOptions & { readonly returnDict: false }): Promise<number[]>;
  async evaluate(
    first: FeatureInput | DatasetLike,
    second?: TargetInput | (EvaluationOptions & { readonly returnDict?: boolean }),
    third?: EvaluationOptions & { readonly returnDict?: boolean },
  ): Promise<Evaluation | number[]> {
    this.assertUsable();
    const { x, y, options } = labelledArguments('evaluate', first, second, third);
    return (await this.request({ kind: 'evaluate', x: featuresOf(x), y, options: { ...optionsOf(options, 'evaluate') } })) as
      Evaluation | number[];
  }

  /** predict() in the worker; the outputs are transferred, not copied. Allowed while fit runs. */
  async predict(x: FeatureInput | DatasetLike, options: EvaluateOptions = {}): Promise<Float32Array> {
    this.assertUsable();
    const [output] = (await this.request({
      kind: 'predict',
      x: featuresOf(x),
      batchSize: options.batchSize,
      allLayers: false,
    })) as Float32Array[];
    return output!;
  }

  async predictLayers(x: FeatureInput | DatasetLike): Promise<Float32Array[]> {
    this.assertUsable();
    return (await this.request({ kind: 'predict', x: featuresOf(x), batchSize: undefined, allLayers: true })) as Float32Array[];
  }

  async getWeights(): Promise<Float32Array[]> {
    this.assertUsable();
    return (await this.request({ kind: 'getWeights' })) as Float32Array[];
  }

  /** Checked here (shapes, finite values: the same errors as Sequential, thrown at once), written in the worker. */
  setWeights(weights: readonly ArrayLike<number>[]): Promise<void> {
    this.assertUsable();
    this.local.setWeights(weights);
    const copies = weights.map((w) => Float32Array.from(w));
    return this.request(
      { kind: 'setWeights', weights: copies },
      copies.map((c) => c.buffer),
    ) as Promise<void>;
  }

  /** Keras's summary of the model in the worker (after training it lists the optimizer's variables, as Sequential's does). */
  async summary(options: { readonly style?: 'keras3' | 'keras2'; readonly print?: (text: string) => void } = {}): Promise<string> {
    this.assertUsable();
    const text = (await this.request({ kind: 'summary', style: options.style ?? 'keras3' })) as string;
    (options.print ?? console.log)(text);
    return text;
  }

  /** The model in the worker as a Sequential on this thread (its current weights and compile settings). */
  async toSequential(options: Parameters<typeof deserializeModel>[2] = {}): Promise<Sequential> {
    const { modelJson, weightData } = await this.serialize();
    return deserializeModel(modelJson, weightData, options);
  }

  /** Saves the model as Sequential.save does (the weights are read from the worker first). */
  async save(destination: string | SaveHandler, options?: SaveOptions): Promise<SaveResult> {
    const model = await this.toSequential({ backend: 'cpu' });
    try {
      return await model.save(destination, options);
    } finally {
      model.dispose();
    }
  }

  private async serialize(includeTrainingConfig = true): Promise<Pick<ModelArtifact, 'modelJson' | 'weightData'>> {
    this.assertUsable();
    return (await this.request({ kind: 'serialize', includeTrainingConfig })) as Pick<ModelArtifact, 'modelJson' | 'weightData'>;
  }

  /** The worker's engine figures of the last epoch (kept from its last answer, so synchronous). */
  stats(): EngineStats {
    return { ...this.status.stats };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Terminates the worker (which frees its GPU memory with its device); calls in flight reject
   * with a StateError. Safe to call twice; any later use throws a StateError.
   */
  dispose(): void {
    if (this.disposed) return;
    const goodbye = this.nextId++;
    try {
      this.post({ kind: 'dispose', id: goodbye });
    } catch {
      // A worker that is gone already needs no goodbye.
    }
    this.fail((call) => new StateError(`Model '${this.name}' was disposed during ${call}(); the call was stopped.`), goodbye);
    this.local.dispose();
  }

  /**
   * The page's constant learning rate, for the worker to follow; undefined under a schedule
   * (the worker's optimizer evaluates the same schedule at its own step count, and a number
   * sent from here would replace it).
   */
  private currentLearningRate(): number | undefined {
    const optimizer = this.local.optimizer;
    if (!optimizer || optimizer.learningRateSchedule) return undefined;
    return optimizer.learningRate;
  }

  private assertUsable(): void {
    if (this.disposed) throw new StateError(`Model '${this.name}' was disposed; create a new one.`);
  }

  /**
   * Ends the connection: rejects each pending call with `errorFor(its method)` and stops the worker. A Worker is
   * terminated at once; a MessagePort is closed when the worker has answered request `goodbye`
   * (its dispose), so that the model on the other side is freed first.
   */
  private fail(errorFor: (call: string) => Error, goodbye?: number): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unwatchHost?.();
    for (const pending of this.pending.values()) pending.reject(errorFor(pending.call));
    this.pending.clear();
    const close = (): void => {
      this.endpoint.removeEventListener('message', this.onMessage);
      this.endpoint.close?.();
    };
    if (this.endpoint.terminate) {
      this.endpoint.terminate();
      close();
    } else if (goodbye === undefined) close();
    else this.pending.set(goodbye, { call: 'dispose', resolve: close, reject: close });
  }

  private post(message: Request | Notice, transfer: ArrayBuffer[] = []): void {
    try {
      this.endpoint.postMessage(message, transfer);
    } catch (error) {
      if (error instanceof Error && error.name === 'DataCloneError') {
        throw new ValueError(
          `An argument cannot be sent to the worker (only data can: arrays, typed arrays, plain objects): ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private request(body: RequestBody, transfer: ArrayBuffer[] = [], fit?: FitContext): Promise<unknown> {
    if (this.disposed) return Promise.reject(new StateError(`Model '${this.name}' was disposed; create a new one.`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { call: body.kind, resolve, reject, ...(fit ? { fit } : {}) });
      try {
        this.post({ ...body, id } as Request, transfer);
      } catch (error) {
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  private receive(message: WorkerMessage): void {
    if (message.kind === 'event') {
      const fit = this.pending.get(message.id)?.fit;
      if (fit) this.events = this.events.then(() => this.runCallbacks(fit, message));
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    this.status = message.status;
    if (message.kind === 'result') pending.resolve(message.value);
    else pending.reject(fromWireError(message.error));
  }

  /** Runs the page's callbacks for one event of the worker's fit, then answers the worker if it waits. */
  private async runCallbacks(fit: FitContext, event: Extract<WorkerMessage, { kind: 'event' }>): Promise<void> {
    let failed = fit.callbackError !== undefined;
    if (!failed) {
      try {
        for (const callback of fit.callbacks) {
          switch (event.hook) {
            case 'onTrainBegin':
            case 'onTrainEnd':
              await callback[event.hook]?.(event.logs);
              break;
            default:
              await callback[event.hook]?.(event.index, event.logs);
          }
        }
        if (event.hook === 'onEpochEnd') fit.epochLogs.set(event.index, event.logs);
        if (event.outputs && fit.predictions) await fit.predictions.onPredictions(event.index, [...event.outputs], event.logs);
      } catch (error) {
        fit.callbackError = { error };
        failed = true;
      }
    }
    if (event.awaitsReply && !this.disposed) {
      this.post({ kind: 'reply', callId: event.callId, stopTraining: this.stopFlag, learningRate: this.currentLearningRate(), failed });
    }
  }
}
