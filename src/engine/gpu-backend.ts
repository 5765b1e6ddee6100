import { UnsupportedError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import type { MetricSums } from '../spec/metrics.js';
import type {
  EpochOutcome,
  EpochProgress,
  LabelledData,
  ModelBackend,
  ModelState,
  RowMatrix,
  TrainingSession,
  TrainingSessionOptions,
  WarmPlans,
} from './backend.js';
import { ResidentDataset } from './dataset.js';
import { EvaluationPlan, PredictionPlan } from './evaluation.js';
import type { KernelPath } from './kernel-choice.js';
import { toLossSpec, type LossSpec } from '../spec/loss.js';
import type { OptimizerConfig } from '../spec/optimizer.js';
import { MetricsBuffer } from './metrics.js';
import { SharedDatasets, type DatasetValues, type SharedDataset } from './shared-datasets.js';
import type { NetworkShape } from '../spec/network.js';
import { ParameterBuffers } from './parameters.js';
import { TrainingPlan } from './training.js';

/** Prediction plans kept per model (input shape × mode). */
const MAX_PREDICTION_PLANS = 2;

/** Rows of the placeholder data warm() builds plans over (pipelines do not depend on rows). */
const WARM_ROWS = 4;

/** Zeros shaped like the data of a fit of `network` with `options`: enough to build its plans. */
function placeholderData(network: NetworkShape, options: WarmPlans): LabelledData {
  const inputs = network.layers[0]!.inputs;
  const units = network.layers[network.layers.length - 1]!.units;
  const targets = options.lossKind === 'sparse_categorical_crossentropy' ? 1 : units;
  return {
    x: { data: new Float32Array(WARM_ROWS * inputs), rows: WARM_ROWS, cols: inputs },
    y: new Float32Array(WARM_ROWS * targets),
    ...(options.sampleWeight ? { weights: new Float32Array(WARM_ROWS).fill(1) } : {}),
  };
}

/** The shared-data form of fit's data (see SharedDatasets). */
const valuesOf = (data: LabelledData): DatasetValues => ({
  rows: data.x.rows,
  features: data.x.cols,
  x: data.x.data,
  y: data.y,
  weights: data.weights,
});

/** The training plan on `train`, and the validation plan on `validation` (evaluate's plan). */
function buildPlans(
  ctx: GpuContext,
  network: NetworkShape,
  parameters: ParameterBuffers,
  train: ResidentDataset,
  validation: ResidentDataset | undefined,
  options: TrainingSessionOptions,
): [TrainingPlan, EvaluationPlan | undefined] {
  const plan = new TrainingPlan(ctx, network, parameters, train, options);
  // Validation accumulates into the training plan's second metrics record: one read per epoch.
  const evaluation = validation && new EvaluationPlan(ctx, network, parameters, validation, plan.metrics.record(1), toLossSpec(options));
  return [plan, evaluation];
}

/**
 * A training loop on the GPU: resident data, the compiled plan, and validation in the same submit.
 * The data is held through the device's SharedDatasets: models fitting on equal data read one copy.
 */
class GpuTrainingSession implements TrainingSession {
  private readonly shared: SharedDatasets;
  private train: SharedDataset;
  private validationData: SharedDataset | undefined;
  private plan: TrainingPlan;
  private validation: EvaluationPlan | undefined;
  private options: TrainingSessionOptions;
  private disposed = false;

  constructor(
    private readonly ctx: GpuContext,
    private readonly network: NetworkShape,
    private readonly parameters: ParameterBuffers,
    train: LabelledData,
    validation: LabelledData | undefined,
    options: TrainingSessionOptions,
  ) {
    this.options = options;
    this.shared = SharedDatasets.of(ctx);
    this.train = this.shared.acquire('train', valuesOf(train));
    try {
      this.validationData = validation && this.shared.acquire('validation', valuesOf(validation));
      [this.plan, this.validation] = this.buildPlans();
    } catch (error) {
      // Refused (bad data, a lost device): the holds taken so far are given back.
      if (this.validationData) this.shared.release(this.validationData);
      this.shared.release(this.train);
      throw error;
    }
  }

  private buildPlans(): [TrainingPlan, EvaluationPlan | undefined] {
    return buildPlans(this.ctx, this.network, this.parameters, this.train.dataset, this.validationData?.dataset, this.options);
  }

  get stepsPerEpoch(): number {
    return this.plan.stepsPerEpoch;
  }

  get dispatchesPerStep(): number {
    return this.plan.dispatchesPerStep;
  }

  ready(): Promise<void> {
    return this.ctx.pipelinesReady();
  }

  get kernels(): 'fused' | 'layered' {
    return this.plan.kernels;
  }

  /**
   * Equal data costs nothing (no write); new values are written in place when no other model
   * reads this copy, else this session moves to a copy holding them and rebuilds its plans on it.
   */
  load(train: LabelledData, validation: LabelledData | undefined): void {
    const heldTrain = this.train;
    const heldValidation = this.validationData;
    this.train = this.shared.update(heldTrain, 'train', valuesOf(train));
    if (validation && heldValidation) this.validationData = this.shared.update(heldValidation, 'validation', valuesOf(validation));
    if (this.train === heldTrain && this.validationData === heldValidation) return;
    this.disposePlans();
    [this.plan, this.validation] = this.buildPlans();
  }

  setOptimizer(config: OptimizerConfig): void {
    this.options = { ...this.options, optimizer: config };
    this.plan.setOptimizer(config);
  }

  async runEpoch(permutation: Uint32Array<ArrayBuffer>, stepsBefore: number, progress?: EpochProgress): Promise<EpochOutcome> {
    await this.ctx.pipelinesReady(); // the plans' pipelines may still be compiling in the background
    const { firstNonFinite, ...result } = await this.plan.runEpoch(permutation, stepsBefore, this.validation, progress);
    const tensor = firstNonFinite === undefined ? undefined : this.parameters.tensorAt(firstNonFinite);
    return { ...result, nonFiniteTensor: tensor && { layer: tensor.layer, part: tensor.part } };
  }

  private disposePlans(): void {
    this.validation?.dispose();
    this.plan.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposePlans();
    if (this.validationData) this.shared.release(this.validationData);
    this.shared.release(this.train);
  }
}

/**
 * The WebGPU engine of one model: its parameter buffers on one device, plus the prediction
 * plan of the last input shape (kept, since decision maps predict the same grid repeatedly).
 */
export class GpuBackend implements ModelBackend {
  readonly name = 'webgpu';
  private readonly parameters: ParameterBuffers;
  /** Prediction plans by input shape and mode, most recent last (a decision map and predict() both stay warm). */
  private readonly predictCaches = new Map<string, { readonly data: ResidentDataset; readonly plan: PredictionPlan }>();
  private lastForwardKernels: KernelPath = 'layered';

  /** Checks the network against the device's limits before allocating anything. */
  constructor(
    readonly ctx: GpuContext,
    private readonly network: NetworkShape,
  ) {
    this.parameters = new ParameterBuffers(ctx, network);
  }

  get isLost(): boolean {
    return this.ctx.isLost;
  }

  get pipelines(): number {
    return this.ctx.kernels.pipelineCount;
  }

  get compileMs(): number {
    return this.ctx.kernels.compileMs;
  }

  /** Which kernels ran the last predict or evaluate (see kernel-choice.ts). */
  get forwardKernels(): KernelPath {
    return this.lastForwardKernels;
  }

  /**
   * Builds the plans of a fit (with validation, which is evaluate's plan) and of predict over
   * placeholder data and frees them at once: the pipelines they requested
   * (compiling in the background where the registry is async) stay in the device's registry,
   * where the real plans find them. No duplicate of the plans' choices (fused or layered, tiles).
   */
  async warm(options: WarmPlans): Promise<void> {
    const ctx = this.ctx;
    const data = placeholderData(this.network, options);
    // Placeholder data of its own, not the device's SharedDatasets: warming uploads no one's data.
    const resident = new ResidentDataset(ctx, 'warm', WARM_ROWS, data.x.cols, data.x.data, data.y, data.weights);
    try {
      for (const plan of buildPlans(ctx, this.network, this.parameters, resident, resident, { ...options, batchSize: WARM_ROWS }))
        plan?.dispose();
      // predict (fused where kernel-choice.ts says so) and predictLayers (always layered: it reads every layer's output).
      new PredictionPlan(ctx, this.network, this.parameters, resident, undefined).dispose();
      new PredictionPlan(ctx, this.network, this.parameters, resident, undefined, true).dispose();
    } finally {
      resident.dispose();
    }
    await ctx.pipelinesReady();
  }

  readWeights(): Promise<Float32Array[]> {
    return this.parameters.read();
  }

  writeWeights(weights: readonly Float32Array[]): void {
    this.parameters.write(weights);
  }

  writeState(state: ModelState): void {
    this.parameters.writeState(state);
  }

  resetOptimizer(): void {
    this.parameters.resetOptimizer();
  }

  createTrainingSession(train: LabelledData, validation: LabelledData | undefined, options: TrainingSessionOptions): TrainingSession {
    this.checkBinding(train, 'The training data');
    if (validation) this.checkBinding(validation, 'The validation data');
    const widest = Math.max(...this.network.layers.map((l) => l.units));
    const batchRows = Math.min(options.batchSize, train.x.rows);
    if (batchRows * widest * 4 > this.ctx.limits.maxStorageBufferBindingSize) {
      throw new UnsupportedError(
        `A batch of ${batchRows} rows through a layer of ${widest} units needs ${batchRows * widest * 4} bytes in one storage binding; ` +
          `this device allows ${this.ctx.limits.maxStorageBufferBindingSize}. Use a smaller batchSize.`,
      );
    }
    return new GpuTrainingSession(this.ctx, this.network, this.parameters, train, validation, options);
  }

  /**
   * Data stays on the GPU in whole storage bindings: refused before allocating when this
   * device's binding cannot hold its features or targets.
   */
  private checkBinding(data: LabelledData, what: string): void {
    const limit = this.ctx.limits.maxStorageBufferBindingSize;
    const bytes = Math.max(data.x.data.byteLength, data.y.byteLength);
    if (bytes > limit) {
      throw new UnsupportedError(`${what} needs ${bytes} bytes in one storage binding; this device allows ${limit}. Use fewer rows.`);
    }
  }

  async evaluate(data: LabelledData, loss: LossSpec, chunkRows: number | undefined): Promise<MetricSums> {
    this.checkBinding(data, 'The evaluation data');
    const ctx = this.ctx;
    const resident = new ResidentDataset(ctx, 'evaluate', data.x.rows, data.x.cols, data.x.data, data.y, data.weights);
    const metrics = new MetricsBuffer(ctx, 1);
    const plan = new EvaluationPlan(ctx, this.network, this.parameters, resident, metrics.record(0), loss, chunkRows);
    this.lastForwardKernels = plan.kernels;
    try {
      await ctx.pipelinesReady();
      const verdict = ctx.captureErrors('evaluate', () => {
        const encoder = ctx.device.createCommandEncoder({ label: 'evaluate' });
        metrics.clear(encoder);
        const pass = encoder.beginComputePass({ label: 'evaluate' });
        plan.encode(pass);
        pass.end();
        metrics.copyOut(encoder);
        ctx.device.queue.submit([encoder.finish()]);
      });
      const [sums] = await metrics.read();
      await ctx.assertNoErrors([verdict]);
      return sums!;
    } finally {
      plan.dispose();
      metrics.dispose();
      resident.dispose();
    }
  }

  /**
   * One forward pass, one submit, one read. Inputs or outputs beyond one storage binding are
   * predicted in passes of as many rows as fit.
   */
  async predict(x: RowMatrix, allLayers: boolean, chunkRows: number | undefined): Promise<Float32Array[]> {
    const units = this.network.layers.map((l) => l.units);
    const widths = allLayers ? units : [units[units.length - 1]!];
    const widest = Math.max(x.cols, ...(allLayers ? units : widths));
    const passRows = Math.max(1, Math.floor(this.ctx.limits.maxStorageBufferBindingSize / (4 * widest)));
    if (x.rows <= passRows) return this.predictPass(x, allLayers, chunkRows, widths);
    const outputs = widths.map((w) => new Float32Array(x.rows * w));
    for (let start = 0; start < x.rows; start += passRows) {
      const rows = Math.min(passRows, x.rows - start);
      const part: RowMatrix = { data: x.data.subarray(start * x.cols, (start + rows) * x.cols), rows, cols: x.cols };
      const results = await this.predictPass(part, allLayers, chunkRows, widths);
      results.forEach((result, i) => outputs[i]!.set(result, start * widths[i]!));
    }
    return outputs;
  }

  private async predictPass(
    x: RowMatrix,
    allLayers: boolean,
    chunkRows: number | undefined,
    widths: readonly number[],
  ): Promise<Float32Array[]> {
    const ctx = this.ctx;
    const key = `${x.rows}:${chunkRows}:${allLayers}`;
    let cache = this.predictCaches.get(key);
    if (cache) {
      this.predictCaches.delete(key); // re-inserted below as the most recent
      cache.data.write(x.data);
    } else {
      const data = new ResidentDataset(ctx, 'predict', x.rows, x.cols, x.data);
      const plan = new PredictionPlan(ctx, this.network, this.parameters, data, chunkRows, allLayers);
      cache = { data, plan };
    }
    this.predictCaches.set(key, cache);
    this.lastForwardKernels = cache.plan.kernels;
    for (const [oldKey, old] of this.predictCaches) {
      if (this.predictCaches.size <= MAX_PREDICTION_PLANS) break;
      old.plan.dispose();
      old.data.dispose();
      this.predictCaches.delete(oldKey);
    }
    await ctx.pipelinesReady();
    const encoder = ctx.device.createCommandEncoder({ label: 'predict' });
    const pass = encoder.beginComputePass({ label: 'predict' });
    cache.plan.encode(pass);
    pass.end();
    const outputs = allLayers ? cache.plan.layerOutputs : [cache.plan.output];
    const bytes = await ctx.readRanges(
      outputs.map((buffer, i) => ({ buffer, offset: 0, size: x.rows * widths[i]! * 4 })),
      encoder,
      'predict',
    );
    return bytes.map((b) => new Float32Array(b));
  }

  private dropPredictCaches(): void {
    for (const cache of this.predictCaches.values()) {
      cache.plan.dispose();
      cache.data.dispose();
    }
    this.predictCaches.clear();
  }

  dispose(): void {
    this.dropPredictCaches();
    this.parameters.dispose();
  }
}
