import { GpuError, ShapeError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import type { BoundKernel } from '../gpu/dispatch.js';
import type { Activation } from '../kernels/activations.js';
import { AdamDispatch, type AdamConfig } from '../kernels/adam.js';
import { binaryCrossentropy, type LossDispatch, type MetricSums } from '../kernels/binary-crossentropy.js';
import { denseBackwardData, denseBackwardWeights, type DenseDispatch } from '../kernels/dense.js';
import { activationGradient } from '../kernels/elementwise.js';
import { decodeFirstNonFinite, findNonFinite } from '../kernels/finite-check.js';
import { gatherRows } from '../kernels/gather.js';
import type { ResidentDataset } from './dataset.js';
import type { EvaluationPlan } from './evaluation.js';
import { ForwardChain } from './forward.js';
import type { LossForm } from './loss.js';
import { MetricsBuffer } from './metrics.js';
import type { NetworkShape } from './network.js';
import type { EpochProgress, ModelState } from './backend.js';
import { ParameterSnapshot, type ParameterBuffers } from './parameters.js';

export interface TrainingPlanOptions {
  readonly batchSize: number;
  readonly optimizer: AdamConfig;
  readonly lossForm: LossForm;
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

/** One step of backpropagation through a layer: its parameter gradients, then the data gradient. */
interface LayerBackward {
  readonly weights: DenseDispatch;
  /** Absent for the first layer: nothing consumes the gradient of the dataset. */
  readonly data: DenseDispatch | undefined;
}

/**
 * A compiled training loop for one network, dataset and batch size. Everything it needs is
 * created here, once: the shuffled copy of the dataset, scratch activations and gradients,
 * every pipeline, bind group and uniform table. An epoch is then: upload one permutation,
 * record gather + (forward, loss, backward, Adam) per step (+ validation) into as few command
 * buffers as `maxStepsPerSubmit` allows, and read the GPU-side loss/accuracy sums once.
 */
export class TrainingPlan {
  readonly stepsPerEpoch: number;
  readonly dispatchesPerStep: number;
  readonly metrics: MetricsBuffer;
  private readonly slots: number;
  private readonly permutation: GPUBuffer;
  private readonly shuffledX: GPUBuffer;
  private readonly shuffledY: GPUBuffer;
  private readonly gathers: readonly BoundKernel[];
  private readonly forward: ForwardChain;
  private readonly loss: LossDispatch;
  private readonly outputGradient: BoundKernel | undefined;
  private readonly backward: readonly LayerBackward[];
  private readonly adam: AdamDispatch;
  private readonly finiteCheck: BoundKernel;
  private readonly snapshot: ParameterSnapshot;
  private readonly scratch: GPUBuffer[] = [];

  constructor(
    private readonly ctx: GpuContext,
    private readonly network: NetworkShape,
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

    this.permutation = this.own(ctx.createStorage('permutation', new Uint32Array(rows)));
    this.shuffledX = this.own(ctx.createStorage('shuffled x', rows * data.features));
    this.shuffledY = this.own(ctx.createStorage('shuffled y', rows * last.units));
    this.gathers = [
      gatherRows(ctx, rows, data.features, { indices: this.permutation, source: data.x, destination: this.shuffledX }),
      gatherRows(ctx, rows, last.units, { indices: this.permutation, source: data.y, destination: this.shuffledY }),
    ];

    const finalActivation: Activation = options.lossForm === 'logits' ? 'linear' : last.activation;
    this.forward = new ForwardChain(ctx, network, parameters, {
      label: 'train',
      rows: batchRows,
      input: this.shuffledX,
      finalActivation,
      slots,
    });
    const prediction = this.forward.outputs[layers.length - 1]!;

    // dZ of every layer, written by the layer above's backward_data (the last by the loss).
    const dz = layers.map((layer, i) => this.own(ctx.createStorage(`dz layer${i}`, batchRows * layer.units)));
    // Records: 0 training sums, 1 validation sums, 2 the first non-finite parameter (a flag).
    this.metrics = new MetricsBuffer(ctx, 3);
    const lossGradient =
      options.lossForm === 'probabilities' && last.activation !== 'linear'
        ? this.own(ctx.createStorage('dL/dprediction', batchRows * last.units))
        : dz[layers.length - 1]!;
    this.loss = binaryCrossentropy(
      ctx,
      batchRows,
      { prediction, labels: this.shuffledY, metrics: this.metrics.record(0), gradient: lossGradient },
      { fromLogits: options.lossForm === 'logits', train: true, slots },
    );
    // Probability-space loss with a non-linear output: dZ = dL/dP ⊙ act'(P) as its own dispatch.
    this.outputGradient =
      lossGradient === dz[layers.length - 1]
        ? undefined
        : activationGradient(ctx, last.activation, batchRows * last.units, { y: prediction, dy: lossGradient, dz: dz[layers.length - 1]! });

    let tensor = parameters.tensors.length;
    const backward: LayerBackward[] = [];
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i]!;
      const bias = layer.useBias ? parameters.tensors[--tensor]! : undefined;
      const weights = parameters.tensors[--tensor]!;
      const shape = { rows: batchRows, inputs: layer.inputs, units: layer.units };
      const weightsGradient = denseBackwardWeights(
        ctx,
        shape,
        {
          x: i === 0 ? this.shuffledX : this.forward.outputs[i - 1]!,
          dz: dz[i]!,
          dWeights: parameters.binding(parameters.gradients, weights),
          dBias: parameters.binding(parameters.gradients, bias ?? weights),
        },
        { useBias: layer.useBias, slots },
      );
      const dataGradient =
        i === 0
          ? undefined
          : denseBackwardData(
              ctx,
              shape,
              {
                weights: parameters.binding(parameters.values, weights),
                dz: dz[i]!,
                yPrev: this.forward.outputs[i - 1]!,
                dzPrev: dz[i - 1]!,
              },
              { previousActivation: layers[i - 1]!.activation, slots },
            );
      backward.push({ weights: weightsGradient, data: dataGradient });
    }
    this.backward = backward;
    this.adam = new AdamDispatch(
      ctx,
      parameters.length,
      { theta: parameters.values, grad: parameters.gradients, m: parameters.m, v: parameters.v },
      options.optimizer,
      slots,
    );
    this.finiteCheck = findNonFinite(ctx, parameters.length, { values: parameters.values, result: this.metrics.record(2) });
    this.snapshot = new ParameterSnapshot(ctx, parameters);
    this.dispatchesPerStep =
      layers.length + 1 + (this.outputGradient ? 1 : 0) + backward.reduce((n, b) => n + (b.data ? 2 : 1), 0) + 1;
  }

  private own(buffer: GPUBuffer): GPUBuffer {
    this.scratch.push(buffer);
    return buffer;
  }

  /** Changes Adam's hyperparameters from the next step on (e.g. a live learning-rate change). */
  setOptimizer(config: AdamConfig): void {
    this.adam.config = config;
  }

  /** Writes the uniforms of steps [first, first + count) of the epoch into slots [0, count). */
  private stageSteps(first: number, count: number, stepsBefore: number): void {
    const { batchSize } = this.options;
    for (let slot = 0; slot < count; slot++) {
      const step = first + slot;
      const offset = step * batchSize;
      const rows = Math.min(batchSize, this.data.rows - offset);
      this.forward.setWindow(slot, rows, offset);
      this.loss.stageWindow(rows, offset, slot);
      this.outputGradient?.stageParams({ count: rows * this.network.layers[this.network.layers.length - 1]!.units }, slot);
      this.backward.forEach((layer, index) => {
        const isFirstLayer = index === this.backward.length - 1;
        layer.weights.stageWindow({ rows, xRowOffset: isFirstLayer ? offset : 0 }, slot);
        layer.data?.stageWindow({ rows }, slot);
      });
      this.adam.stageStep(stepsBefore + step + 1, slot);
    }
    this.forward.upload(count);
    for (const kernel of this.stepKernels()) kernel.upload(count);
  }

  private *stepKernels(): Generator<BoundKernel> {
    yield this.loss;
    if (this.outputGradient) yield this.outputGradient;
    for (const layer of this.backward) {
      yield layer.weights;
      if (layer.data) yield layer.data;
    }
    yield this.adam;
  }

  private encodeStep(pass: GPUComputePassEncoder, slot: number): void {
    this.forward.encode(pass, slot);
    for (const kernel of this.stepKernels()) kernel.encode(pass, slot);
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
    const segment = Math.min(this.slots, progress ? Math.max(1, progress.steps) : this.slots);
    const device = this.ctx.device;
    const scopes: Promise<GPUError | null>[] = [];
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
      // Queue writes land after the previous submit and before the next: slots can be reused.
      this.stageSteps(first, count, stepsBefore);
      // Validation and out-of-memory errors of this submit become a GpuError naming the kernel
      // (every pipeline and bind group is labelled); pushed and popped in one synchronous block
      // so concurrent plans on the device cannot catch each other's errors.
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
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
      const read = isLast || progress !== undefined;
      if (read) this.metrics.copyOut(encoder);
      if (isLast) this.snapshot.record(encoder);
      device.queue.submit([encoder.finish()]);
      scopes.push(device.popErrorScope(), device.popErrorScope());
      submits++;
      completed += count;
      if (!read) continue;
      const [reading, snapshot] = await Promise.all([this.metrics.readAll(), isLast ? this.snapshot.read() : undefined]);
      ({ sums, words: flags } = reading);
      state = snapshot;
      reads++;
      if (progress && (await progress.report(completed, sums[0]!)) === false && !isLast) break;
    }
    const error = (await this.ctx.guard(Promise.all(scopes))).find((e) => e !== null);
    if (error) throw new GpuError(`WebGPU error while training: ${error.message}`);
    const finished = completed === this.stepsPerEpoch;
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
    this.forward.dispose();
    for (const kernel of [...this.gathers, ...this.stepKernels(), this.finiteCheck]) kernel.dispose();
    this.metrics.dispose();
    this.snapshot.dispose();
    for (const buffer of this.scratch) this.ctx.destroyBuffer(buffer);
  }
}
