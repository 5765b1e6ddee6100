import { GpuError, ShapeError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import type { BoundKernel } from '../gpu/dispatch.js';
import { decodeFirstNonFinite, findNonFinite } from '../kernels/finite-check.js';
import { FusedMlpDispatch } from '../kernels/fused-mlp.js';
import { gatherRows } from '../kernels/gather.js';
import { OptimizerDispatch } from '../kernels/optimizers.js';
import type { Activation } from '../spec/activations.js';
import { toLossSpec, targetColumns, trainingOutputActivation, type LossForm, type LossKind } from '../spec/loss.js';
import type { MetricSums } from '../spec/metrics.js';
import { hasInputDropout, hiddenActivation, type NetworkShape } from '../spec/network.js';
import type { OptimizerConfig } from '../spec/optimizer.js';
import type { EpochProgress, ModelState } from './backend.js';
import { BackwardChain } from './backward.js';
import type { ResidentDataset } from './dataset.js';
import type { EvaluationPlan } from './evaluation.js';
import { ForwardChain } from './forward.js';
import { fusedLayout, fusedTrainSplit, fusedWorkgroupPreference, type KernelPath } from './kernel-choice.js';
import { lossHeadSteps } from './loss-head.js';
import { MetricsBuffer } from './metrics.js';
import { ParameterSnapshot, type ParameterBuffers } from './parameters.js';
import { regularizerFor } from './regularization.js';
import type { StepDispatch } from './step.js';

export interface TrainingPlanOptions {
  readonly batchSize: number;
  readonly optimizer: OptimizerConfig;
  readonly lossForm: LossForm;
  readonly lossKind: LossKind;
  /**
   * Steps recorded per submit. A whole epoch is one submit up to this many steps; longer
   * epochs are split so uniform tables stay small (256 B per dispatch per step).
   */
  readonly maxStepsPerSubmit?: number;
}

export interface EpochResult {
  readonly train: MetricSums;
  /** Flat index of the first non-finite parameter after the epoch, if any (see ParameterBuffers.tensorAt). */
  readonly firstNonFinite: number | undefined;
  /** Weights and optimizer moments at the end of the epoch; undefined if it was stopped early. */
  readonly state: ModelState | undefined;
  /** Validation sums; undefined without validation or when the epoch was stopped early. */
  readonly validation: MetricSums | undefined;
  /** Steps trained (fewer than stepsPerEpoch only when progress.report stopped the epoch). */
  readonly completedSteps: number;
  readonly dispatches: number;
  readonly submits: number;
  readonly reads: number;
}

/**
 * A compiled training loop for one network, dataset and batch size. Everything it needs is
 * created here, once: the shuffled copy of the dataset, scratch activations and gradients,
 * every pipeline, bind group and uniform table. An epoch is then: upload one permutation,
 * record gather + (forward, loss, backward, Adam) per step (+ validation) into as few command
 * buffers as `maxStepsPerSubmit` allows, and read the GPU-side loss/accuracy sums once.
 *
 * A 1-unit output trained through the logits form of binary cross-entropy (every sigmoid
 * classifier) runs as one fused dispatch — forward, loss and both gradients of the output layer
 * (shaders/output_head.wgsl) — instead of four.
 */
/**
 * Epochs longer than this (as the last full epoch took) are submitted in chunks of about
 * LIVE_CHUNK_MS, so that other work on the device (a decision map's predict, from the page or a
 * worker's other requests) gets onto the queue between chunks instead of waiting for the epoch.
 */
const SPLIT_EPOCHS_OVER_MS = 500;
const LIVE_CHUNK_MS = 200;
const liveDevices = new WeakSet<GPUDevice>();

/**
 * Opts a device into live chunks (see TrainingPlan.runEpoch): for pages that draw from a model
 * while it trains (the playground, a WorkerModel's worker). Off by default: an epoch stays one submit.
 */
export function submitLongEpochsInChunks(device: GPUDevice): void {
  liveDevices.add(device);
}

export class TrainingPlan {
  readonly stepsPerEpoch: number;
  readonly dispatchesPerStep: number;
  readonly metrics: MetricsBuffer;
  private readonly slots: number;
  private readonly permutation: GPUBuffer;
  private readonly shuffledX: GPUBuffer;
  private readonly gathers: readonly BoundKernel[];
  /** Which kernels run the step (see kernel-choice.ts). */
  readonly kernels: KernelPath;
  /** The layered path's forward chain, loss head and backward chain; undefined when fused. */
  private readonly forward: ForwardChain | undefined;
  private readonly lossHead: readonly StepDispatch[] = [];
  private readonly backward: BackwardChain | undefined;
  /** The fused path's one dispatch for forward, loss and backward; undefined when layered. */
  private readonly fusedStep: FusedMlpDispatch | undefined;
  /** Regularizers and the optimizer. */
  private readonly update: readonly StepDispatch[];
  /** Everything after the forward chain, in order: loss head and backward (or the fused step), regularizers, optimizer. */
  private readonly steps: readonly StepDispatch[];
  private readonly optimizer: OptimizerDispatch;
  private readonly finiteCheck: BoundKernel;
  private readonly snapshot: ParameterSnapshot;
  private readonly scratch: GPUBuffer[] = [];
  /** Wall time per step of the last full epoch run without progress reports (sizes live chunks). */
  private stepMs: number | undefined;
  /** The gradient buffer the optimizer reads: `gradientSlices` slices of `gradientStride` floats. */
  private readonly gradients: GPUBuffer;
  /** Slices of the gradient the optimizer sums: the fused step's workgroups, else 1. */
  readonly gradientSlices: number;
  private readonly gradientStride: number;

  constructor(
    private readonly ctx: GpuContext,
    network: NetworkShape,
    private readonly parameters: ParameterBuffers,
    private readonly data: ResidentDataset,
    private readonly options: TrainingPlanOptions,
  ) {
    const { batchSize } = options;
    const rows = data.rows;
    if (!data.y) throw new ShapeError('Training data needs targets (y).');
    this.stepsPerEpoch = Math.ceil(rows / batchSize);
    this.slots = Math.min(this.stepsPerEpoch, options.maxStepsPerSubmit ?? 256);
    const batchRows = Math.min(batchSize, rows);
    const slots = this.slots;
    const layers = network.layers;
    const last = layers[layers.length - 1]!;
    const loss = toLossSpec(options);
    const fusedHead = loss.kind === 'binary_crossentropy' && options.lossForm === 'logits' && last.units === 1;
    const targetCols = targetColumns(loss, last.units);

    this.permutation = this.own(ctx.createStorage('permutation', new Uint32Array(rows)));
    this.shuffledX = this.own(ctx.createStorage('shuffled x', rows * data.features));
    const shuffledY = this.own(ctx.createStorage('shuffled y', rows * targetCols));
    const shuffledWeights = data.weights && this.own(ctx.createStorage('shuffled sample weights', rows));
    this.gathers = [
      gatherRows(ctx, rows, data.features, { indices: this.permutation, source: data.x, destination: this.shuffledX }),
      gatherRows(ctx, rows, targetCols, { indices: this.permutation, source: data.y, destination: shuffledY }),
      ...(data.weights && shuffledWeights
        ? [gatherRows(ctx, rows, 1, { indices: this.permutation, source: data.weights, destination: shuffledWeights })]
        : []),
    ];

    const fused = fusedLayout(ctx, network, parameters, {
      training: true,
      loss,
      logits: options.lossForm === 'logits',
      outputActivation: 'linear',
    });
    // The fused step's workgroups write a gradient slice each (summed by the optimizer) and a
    // metrics slot each (summed by MetricsBuffer.read).
    const gradientStride = Math.ceil(parameters.length / 4) * 4;
    const split = fused && fusedTrainSplit(fused, batchRows, gradientStride, fusedWorkgroupPreference(ctx.device));
    const partials = split ? split.workgroups : 1;
    const gradients = partials > 1 ? this.own(ctx.createStorage('fused gradient slices', partials * gradientStride)) : parameters.gradients;
    // Records: 0 training sums, 1 validation sums, 2 the first non-finite parameter (a flag).
    this.metrics = new MetricsBuffer(ctx, 3, split ? { record: 0, slots: split.workgroups } : undefined);
    this.gradients = gradients;
    this.gradientSlices = partials;
    this.gradientStride = gradientStride;
    const labelled = { labels: shuffledY, metrics: this.metrics.record(0), ...(shuffledWeights ? { sampleWeight: shuffledWeights } : {}) };
    this.kernels = fused ? 'fused' : 'layered';
    let networkSteps: StepDispatch[];
    if (fused && split) {
      // The whole step but the optimizer (and regularizers) in one dispatch: shaders/fused_mlp.wgsl.
      const { metrics: _record, ...fusedBuffers } = labelled;
      const step = FusedMlpDispatch.train(
        ctx,
        fused.layers,
        { x: this.shuffledX, parameters: parameters.values, gradients, metricSlots: this.metrics.slotRecords()!, ...fusedBuffers },
        { ...fused, ...split, gradientStride, slots },
      );
      this.fusedStep = step;
      networkSteps = [
        { kernel: step, stage: (slot, n, offset) => step.stageWindow({ rows: n, xRowOffset: offset, labelRowOffset: offset }, slot) },
      ];
    } else {
      // Forward: every layer but a fused head's (hidden dropout masks, z of gelu/swish kept).
      const chained: NetworkShape = { layers: fusedHead ? layers.slice(0, -1) : layers };
      // The chain's last layer keeps its own activation, except an output layer feeding the
      // logits form of the loss, which stays linear.
      const previous = chained.layers[chained.layers.length - 1];
      const finalActivation: Activation = fusedHead
        ? previous
          ? hiddenActivation(previous)
          : 'linear'
        : trainingOutputActivation(loss, last.activation);
      const headInputDropout = fusedHead && hasInputDropout(last) ? { spec: last.inputDropout!, width: last.inputs } : undefined;
      const forward = new ForwardChain(ctx, chained, parameters, {
        label: 'train',
        rows: batchRows,
        input: this.shuffledX,
        finalActivation,
        slots,
        dropout: true,
        headInputDropout,
        storePreActivations: true,
      });

      // dZ of every layer, written by the layer above's backward pass (the last by the loss head).
      const dz = layers.map((layer, i) => this.own(ctx.createStorage(`dz layer${i}`, batchRows * layer.units)));

      // Loss head: the loss sums and dZ of the output layer (or the fused output head).
      const lossHead = lossHeadSteps(ctx, network, parameters, forward, {
        loss,
        fusedHead,
        finalActivation,
        rows: batchRows,
        buffers: labelled,
        dz,
        slots,
        scratch: (label, floats) => this.own(ctx.createStorage(label, floats)),
      });

      // Backward: weight gradients and dZ layer by layer, down to the first.
      const backward = new BackwardChain(ctx, network, parameters, forward, { rows: batchRows, dz, fusedHead, slots });
      this.forward = forward;
      this.backward = backward;
      this.lossHead = lossHead;
      networkSteps = [...lossHead, ...backward.steps];
    }

    // Kernel regularizers: one dispatch for all of them (none without), before the optimizer.
    const regularizer = regularizerFor(ctx, network, parameters, this.metrics.record(0), { train: true, slots, gradients });
    const regularize: StepDispatch[] = regularizer ? [{ kernel: regularizer, stage: (slot, n) => regularizer.stageRows(n, slot) }] : [];

    // Optimizer: one dispatch over every parameter, staged per step (a schedule's learning rate
    // changes inside one submit).
    const optimizer = new OptimizerDispatch(
      ctx,
      parameters.length,
      { theta: parameters.values, grad: gradients, m: parameters.m, v: parameters.v },
      options.optimizer,
      slots,
      partials,
    );
    const optimize: StepDispatch = { kernel: optimizer, stage: (slot, _n, _offset, t) => optimizer.stageStep(t, slot) };

    this.optimizer = optimizer;
    this.update = [...regularize, optimize];
    this.steps = [...networkSteps, ...this.update];
    this.finiteCheck = findNonFinite(ctx, parameters.length, { values: parameters.values, result: this.metrics.record(2) });
    this.snapshot = new ParameterSnapshot(ctx, parameters);
    this.dispatchesPerStep = (this.forward?.dispatches ?? 0) + this.steps.length;
  }

  /** The gradient of the last step, per tensor (the fused step's slices summed in the optimizer's order). */
  async readGradients(): Promise<Float32Array[]> {
    const slices = await this.ctx.readFloats(this.gradients, 0, this.gradientSlices * this.gradientStride);
    const sum = slices.slice(0, this.gradientStride);
    for (let slice = 1; slice < this.gradientSlices; slice++) {
      for (let i = 0; i < this.gradientStride; i++) sum[i]! += slices[slice * this.gradientStride + i]!;
    }
    return this.parameters.unpack(sum.subarray(0, this.parameters.length));
  }

  private own(buffer: GPUBuffer): GPUBuffer {
    this.scratch.push(buffer);
    return buffer;
  }

  /**
   * Changes the optimizer's hyperparameters (e.g. a live learning-rate change) from the next
   * step staged on, i.e. the next submit; the kind of optimizer is fixed at construction.
   */
  setOptimizer(config: OptimizerConfig): void {
    this.optimizer.optimizer = config;
  }

  /** Writes the uniforms of steps [first, first + count) of the epoch into slots [0, count). */
  private stageSteps(first: number, count: number, stepsBefore: number): void {
    const { batchSize } = this.options;
    for (let slot = 0; slot < count; slot++) {
      const step = first + slot;
      const offset = step * batchSize;
      const rows = Math.min(batchSize, this.data.rows - offset);
      const t = stepsBefore + step + 1;
      this.forward?.setWindow(slot, rows, offset, 0, t);
      for (const dispatch of this.steps) dispatch.stage(slot, rows, offset, t);
    }
    this.forward?.upload(count);
    for (const dispatch of this.steps) dispatch.kernel.upload(count);
  }

  private encodeStep(pass: GPUComputePassEncoder, slot: number): void {
    this.forward?.encode(pass, slot);
    for (const dispatch of this.steps) dispatch.kernel.encode(pass, slot);
  }

  /**
   * Trains one epoch over the rows in `permutation` order. `stepsBefore` is the optimizer's
   * step count so far (Adam's bias correction continues across epochs). Validation, when
   * given, runs after the last step inside the same submit and accumulates into record 1.
   *
   * Without `progress`, the epoch is one submit (or one per `maxStepsPerSubmit` steps) and
   * one read. With it, every `progress.steps` steps end in a read of the running sums and a
   * call to `progress.report`, which may stop the epoch early by returning false (Keras's
   * per-batch callbacks; a read per report is their price).
   *
   * On a device opted in by submitLongEpochsInChunks, an epoch that took longer than SPLIT_EPOCHS_OVER_MS last time is recorded in chunks of about
   * LIVE_CHUNK_MS, at most two on the queue at once, so work submitted meanwhile by others (a
   * map's predict) runs between chunks; dispatches per step, the reads and the result are the same.
   */
  async runEpoch(
    permutation: Uint32Array<ArrayBuffer>,
    stepsBefore: number,
    validation?: EvaluationPlan,
    progress?: EpochProgress,
  ): Promise<EpochResult> {
    this.ctx.assertUsable();
    if (permutation.length !== this.data.rows) {
      throw new ShapeError(`The permutation has ${permutation.length} entries for ${this.data.rows} rows.`);
    }
    this.ctx.device.queue.writeBuffer(this.permutation, 0, permutation);
    const live =
      !progress && liveDevices.has(this.ctx.device) && this.stepMs !== undefined && this.stepMs * this.stepsPerEpoch > SPLIT_EPOCHS_OVER_MS;
    const liveSteps = live ? Math.max(1, Math.floor(LIVE_CHUNK_MS / this.stepMs!)) : this.slots;
    const segment = Math.min(this.slots, progress ? Math.max(1, progress.steps) : liveSteps);
    const device = this.ctx.device;
    const started = performance.now();
    let previousChunk: Promise<unknown> | undefined;
    const verdicts: Promise<GpuError | undefined>[] = [];
    let dispatches = 0;
    let submits = 0;
    let reads = 0;
    let completed = 0;
    let sums: MetricSums[] = [];
    let flags: number[] = [];
    let state: ModelState | undefined;
    while (completed < this.stepsPerEpoch) {
      const first = completed;
      const count = Math.min(segment, this.stepsPerEpoch - first);
      const isLast = first + count === this.stepsPerEpoch;
      const read = isLast || progress !== undefined;
      // Queue writes land after the previous submit and before the next: slots can be reused.
      this.stageSteps(first, count, stepsBefore);
      // WebGPU errors of this submit become a GpuError naming the kernel (every pipeline and
      // bind group is labelled), checked once the epoch's reads are in.
      verdicts.push(
        this.ctx.captureErrors('training', () => {
          const encoder = device.createCommandEncoder({ label: 'train epoch' });
          if (first === 0) this.metrics.clear(encoder);
          const pass = encoder.beginComputePass({ label: 'train steps' });
          if (first === 0) {
            for (const gather of this.gathers) gather.encode(pass);
            dispatches += this.gathers.length;
          }
          for (let slot = 0; slot < count; slot++) this.encodeStep(pass, slot);
          dispatches += count * this.dispatchesPerStep;
          if (isLast) {
            if (validation) dispatches += validation.encode(pass);
            this.finiteCheck.encode(pass);
            dispatches++;
          }
          pass.end();
          if (read) this.metrics.copyOut(encoder);
          if (isLast) this.snapshot.record(encoder);
          device.queue.submit([encoder.finish()]);
        }),
      );
      submits++;
      completed += count;
      if (!read) {
        // Live chunks: wait for the one before this (the GPU still has this one to run), so
        // the queue never holds more than two and others' submits land in between.
        if (live) {
          const done = device.queue.onSubmittedWorkDone();
          if (previousChunk) await previousChunk;
          previousChunk = done;
        }
        continue;
      }
      const [reading, snapshot] = await Promise.all([this.metrics.readAll(), isLast ? this.snapshot.read() : undefined]);
      ({ sums, words: flags } = reading);
      state = snapshot;
      reads++;
      if (progress && (await progress.report(completed, sums[0]!)) === false && !isLast) break;
    }
    await this.ctx.assertNoErrors(verdicts);
    const finished = completed === this.stepsPerEpoch;
    if (finished && !progress) this.stepMs = (performance.now() - started) / completed;
    return {
      train: sums[0]!,
      validation: validation && finished ? sums[1] : undefined,
      firstNonFinite: finished ? decodeFirstNonFinite(flags[2]!, this.parameters.length) : undefined,
      state,
      completedSteps: completed,
      dispatches,
      submits,
      reads,
    };
  }

  dispose(): void {
    this.forward?.dispose();
    this.backward?.dispose();
    this.fusedStep?.dispose();
    for (const kernel of [...this.gathers, ...[...this.lossHead, ...this.update].map((d) => d.kernel), this.finiteCheck]) kernel.dispose();
    this.metrics.dispose();
    this.snapshot.dispose();
    for (const buffer of this.scratch) this.ctx.destroyBuffer(buffer);
  }
}
