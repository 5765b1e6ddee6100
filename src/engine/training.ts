import { GpuError, ShapeError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import type { BoundKernel } from '../gpu/dispatch.js';
import type { Activation } from '../spec/activations.js';
import type { MetricSums } from '../spec/metrics.js';
import { denseBackwardData, denseBackwardWeights } from '../kernels/dense.js';
import { dropoutBackward } from '../kernels/dropout.js';
import { activationGradient } from '../kernels/elementwise.js';
import { decodeFirstNonFinite, findNonFinite } from '../kernels/finite-check.js';
import { gatherRows } from '../kernels/gather.js';
import { OptimizerDispatch } from '../kernels/optimizers.js';
import { OutputHeadDispatch } from '../kernels/output-head.js';
import type { ResidentDataset } from './dataset.js';
import type { EvaluationPlan } from './evaluation.js';
import { ForwardChain } from './forward.js';
import { toLossSpec, targetColumns, trainingOutputActivation, type LossForm, type LossKind } from '../spec/loss.js';
import { createLossDispatch } from './loss-dispatch.js';
import { MetricsBuffer } from './metrics.js';
import { hasInputDropout, hiddenActivation, type NetworkShape } from '../spec/network.js';
import type { OptimizerConfig } from '../spec/optimizer.js';
import type { EpochProgress, ModelState } from './backend.js';
import { ParameterSnapshot, type ParameterBuffers } from './parameters.js';
import { regularizerFor } from './regularization.js';

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

/** One dispatch of a training step, and how to set its uniforms for a given batch. */
interface StepDispatch {
  readonly kernel: BoundKernel;
  /** Writes the uniforms of the batch of `rows` rows at `offset`, optimizer step `t`, into `slot`. */
  readonly stage: (slot: number, rows: number, offset: number, t: number) => void;
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
export class TrainingPlan {
  readonly stepsPerEpoch: number;
  readonly dispatchesPerStep: number;
  readonly metrics: MetricsBuffer;
  private readonly slots: number;
  private readonly permutation: GPUBuffer;
  private readonly shuffledX: GPUBuffer;
  private readonly gathers: readonly BoundKernel[];
  private readonly forward: ForwardChain;
  /** Everything after the forward chain, in order: loss (or fused head), backward, Adam. */
  private readonly steps: readonly StepDispatch[];
  private readonly optimizer: OptimizerDispatch;
  private readonly finiteCheck: BoundKernel;
  private readonly snapshot: ParameterSnapshot;
  private readonly scratch: GPUBuffer[] = [];

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
      ...(data.weights && shuffledWeights ? [gatherRows(ctx, rows, 1, { indices: this.permutation, source: data.weights, destination: shuffledWeights })] : []),
    ];

    // With the fused head, the forward chain stops before the output layer.
    const chained: NetworkShape = { layers: fusedHead ? layers.slice(0, -1) : layers };
    // The chain's last layer keeps its own activation, except an output layer feeding the
    // logits form of the loss, which stays linear.
    const previous = chained.layers[chained.layers.length - 1];
    const finalActivation: Activation = fusedHead ? (previous ? hiddenActivation(previous) : 'linear') : trainingOutputActivation(loss, last.activation);
    const headInputDropout = fusedHead && hasInputDropout(last) ? { spec: last.inputDropout!, width: last.inputs } : undefined;
    this.forward = new ForwardChain(ctx, chained, parameters, {
      label: 'train',
      rows: batchRows,
      input: this.shuffledX,
      finalActivation,
      slots,
      dropout: true,
      headInputDropout,
      storePreActivations: true,
    });
    const outputOf = (i: number): GPUBuffer => (i < 0 ? this.shuffledX : this.forward.outputs[i]!);
    // What layer i consumed: its masked input under dropout, else the previous output (or the
    // dataset window, hence the row offset of the first layer without dropout).
    const inputOf = (i: number): GPUBuffer => this.forward.droppedInputs[i] ?? outputOf(i - 1);
    const inputRowOffset = (i: number, offset: number): number => (i === 0 && !this.forward.droppedInputs[0] ? offset : 0);
    // Pre-activations of the gelu / swish layers (their derivatives need z, not y).
    const preOf = (i: number) => (i < 0 ? undefined : this.forward.preActivations[i]);
    // What the derivative of layer i's activation reads: z for gelu / swish, else y.
    const slopeInputOf = (i: number): GPUBufferBinding | GPUBuffer => preOf(i)?.binding ?? outputOf(i);

    // dZ of every layer, written by the layer above's backward pass (the last by the loss).
    const dz = layers.map((layer, i) => this.own(ctx.createStorage(`dz layer${i}`, batchRows * layer.units)));
    // Records: 0 training sums, 1 validation sums, 2 the first non-finite parameter (a flag).
    this.metrics = new MetricsBuffer(ctx, 3);
    const tensorsOf = (i: number) => {
      const first = layers.slice(0, i).reduce((n, l) => n + (l.useBias ? 2 : 1), 0);
      const weights = parameters.tensors[first]!;
      return { weights, bias: layers[i]!.useBias ? parameters.tensors[first + 1]! : weights };
    };

    const steps: StepDispatch[] = [];
    const lastIndex = layers.length - 1;
    if (fusedHead) {
      const { weights, bias } = tensorsOf(lastIndex);
      const isOnlyLayer = lastIndex === 0;
      const head = new OutputHeadDispatch(
        ctx,
        {
          x: inputOf(lastIndex),
          parameters: parameters.values,
          gradients: parameters.gradients,
          labels: shuffledY,
          metrics: this.metrics.record(0),
          dz: dz[lastIndex]!,
          // Not written without a previous layer, but WebGPU forbids aliasing writable bindings.
          dzPrev: isOnlyLayer ? this.own(ctx.createStorage('unused dz_prev', 1)) : dz[lastIndex - 1]!,
          ...(shuffledWeights ? { sampleWeight: shuffledWeights } : {}),
        },
        {
          inputs: last.inputs,
          weightsOffset: weights.offset,
          biasOffset: bias.offset,
          useBias: last.useBias,
          // The head sees only the dropped copy of its input; then its dropout mask dispatch
          // applies the previous activation's derivative (from the undropped output).
          ...(isOnlyLayer || hasInputDropout(last)
            ? { previousActivation: isOnlyLayer ? undefined : 'linear' }
            : {
                previousActivation: hiddenActivation(layers[lastIndex - 1]!),
                previousAlpha: layers[lastIndex - 1]!.alpha,
                previousPreOffset: preOf(lastIndex - 1)?.offset,
              }),
          slots,
        },
      );
      steps.push({ kernel: head, stage: (slot, n, offset) => head.stageWindow(n, inputRowOffset(lastIndex, offset), offset, slot) });
    } else {
      const prediction = outputOf(lastIndex);
      const lossGradient =
        finalActivation !== 'linear' ? this.own(ctx.createStorage('dL/dprediction', batchRows * last.units)) : dz[lastIndex]!;
      const lossKernel = createLossDispatch(
        ctx,
        loss,
        batchRows,
        last.units,
        { prediction, labels: shuffledY, metrics: this.metrics.record(0), gradient: lossGradient, ...(shuffledWeights ? { sampleWeight: shuffledWeights } : {}) },
        { train: true, slots },
      );
      steps.push({ kernel: lossKernel, stage: (slot, n, offset) => lossKernel.stageWindow(n, offset, slot) });
      if (lossGradient !== dz[lastIndex]) {
        // Probability-space loss with a non-linear output: dZ = dL/dP ⊙ act'(P) as its own dispatch.
        const gradient = activationGradient(
          ctx,
          finalActivation,
          batchRows * last.units,
          { y: prediction, z: preOf(lastIndex)?.binding, dy: lossGradient, dz: dz[lastIndex]! },
          slots,
          finalActivation === last.activation ? last.alpha : undefined,
        );
        steps.push({ kernel: gradient, stage: (slot, n) => gradient.stageParams({ count: n * last.units }, slot) });
      }
    }

    // The gradient reaching layer i's input, masked as the forward masked it: a dropout before
    // layer i (i > 0) scales dZ of layer i − 1 (elementwise, so before or after act' alike).
    const maskInputGradient = (i: number): void => {
      if (i === 0 || !hasInputDropout(layers[i]!)) return;
      const beforeHead = fusedHead && i === lastIndex;
      const previousActivation = beforeHead ? hiddenActivation(layers[i - 1]!) : 'linear';
      const masked = dropoutBackward(
        ctx,
        batchRows,
        layers[i]!.inputs,
        layers[i]!.inputDropout!,
        { gradient: dz[i - 1]!, yPrev: beforeHead ? slopeInputOf(i - 1) : outputOf(i - 1) },
        { previousActivation, ...(beforeHead ? { previousAlpha: layers[i - 1]!.alpha } : {}), slots },
      );
      steps.push({ kernel: masked, stage: (slot, n, _offset, t) => masked.stageWindow({ rows: n, step: t }, slot) });
    };
    if (fusedHead) maskInputGradient(lastIndex);
    for (let i = fusedHead ? lastIndex - 1 : lastIndex; i >= 0; i--) {
      const layer = layers[i]!;
      const { weights, bias } = tensorsOf(i);
      const shape = { rows: batchRows, inputs: layer.inputs, units: layer.units };
      const weightsGradient = denseBackwardWeights(
        ctx,
        shape,
        {
          x: inputOf(i),
          dz: dz[i]!,
          dWeights: parameters.binding(parameters.gradients, weights),
          dBias: parameters.binding(parameters.gradients, bias),
        },
        { useBias: layer.useBias, slots },
      );
      steps.push({ kernel: weightsGradient, stage: (slot, n, offset) => weightsGradient.stageWindow({ rows: n, xRowOffset: inputRowOffset(i, offset) }, slot) });
      if (i === 0) continue; // nothing consumes the gradient of the dataset
      const dataGradient = denseBackwardData(
        ctx,
        shape,
        { weights: parameters.binding(parameters.values, weights), dz: dz[i]!, yPrev: outputOf(i - 1), zPrev: preOf(i - 1)?.binding, dzPrev: dz[i - 1]! },
        { previousActivation: hiddenActivation(layers[i - 1]!), previousAlpha: layers[i - 1]!.alpha, slots },
      );
      steps.push({ kernel: dataGradient, stage: (slot, n) => dataGradient.stageWindow({ rows: n }, slot) });
      maskInputGradient(i);
    }

    // Kernel regularizers: one dispatch for all of them (none without), before the optimizer.
    const regularizer = regularizerFor(ctx, network, parameters, this.metrics.record(0), { train: true, slots });
    if (regularizer) steps.push({ kernel: regularizer, stage: (slot, n) => regularizer.stageRows(n, slot) });

    const optimizer = new OptimizerDispatch(
      ctx,
      parameters.length,
      { theta: parameters.values, grad: parameters.gradients, m: parameters.m, v: parameters.v },
      options.optimizer,
      slots,
    );
    // Staged per step: a schedule's learning rate changes inside one submit.
    steps.push({ kernel: optimizer, stage: (slot, _n, _offset, t) => optimizer.stageStep(t, slot) });
    this.optimizer = optimizer;
    this.steps = steps;
    this.finiteCheck = findNonFinite(ctx, parameters.length, { values: parameters.values, result: this.metrics.record(2) });
    this.snapshot = new ParameterSnapshot(ctx, parameters);
    this.dispatchesPerStep = this.forward.dispatches + steps.length;
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
      this.forward.setWindow(slot, rows, offset, 0, t);
      for (const dispatch of this.steps) dispatch.stage(slot, rows, offset, t);
    }
    this.forward.upload(count);
    for (const dispatch of this.steps) dispatch.kernel.upload(count);
  }

  private encodeStep(pass: GPUComputePassEncoder, slot: number): void {
    this.forward.encode(pass, slot);
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
      if (!read) continue;
      const [reading, snapshot] = await Promise.all([this.metrics.readAll(), isLast ? this.snapshot.read() : undefined]);
      ({ sums, words: flags } = reading);
      state = snapshot;
      reads++;
      if (progress && (await progress.report(completed, sums[0]!)) === false && !isLast) break;
    }
    await this.ctx.assertNoErrors(verdicts);
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
    for (const kernel of [...this.gathers, ...this.steps.map((d) => d.kernel), this.finiteCheck]) kernel.dispose();
    this.metrics.dispose();
    this.snapshot.dispose();
    for (const buffer of this.scratch) this.ctx.destroyBuffer(buffer);
  }
}
