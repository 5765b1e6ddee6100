import type { GpuContext } from '../gpu/context.js';
import type { BoundKernel } from '../gpu/dispatch.js';
import { FusedMlpDispatch } from '../kernels/fused-mlp.js';
import { StateError } from '../errors.js';
import type { LossDispatch } from '../kernels/metrics.js';
import { softmaxRows } from '../kernels/softmax-crossentropy.js';
import type { ResidentDataset } from './dataset.js';
import { ForwardChain, type ForwardChainOptions } from './forward.js';
import { trainingOutputActivation, type LossSpec } from '../spec/loss.js';
import { createLossDispatch } from './loss-dispatch.js';
import type { NetworkShape } from '../spec/network.js';
import type { ParameterBuffers } from './parameters.js';
import type { RegularizerDispatch } from '../kernels/regularizer.js';
import { regularizerFor } from './regularization.js';
import { fusedLayout, fusedPredictWorkgroups, type KernelPath } from './kernel-choice.js';

/** Rows per forward pass when evaluating or predicting (bounds scratch memory). */
const DEFAULT_CHUNK_ROWS = 4096;

/** `total` rows cut into windows of at most `chunkRows`: one forward dispatch chain each. */
function rowWindows(
  total: number,
  chunkRows: number,
): { readonly size: number; readonly windows: readonly { readonly offset: number; readonly rows: number }[] } {
  const size = Math.min(chunkRows, total);
  const windows = Array.from({ length: Math.max(1, Math.ceil(total / size)) }, (_, i) => ({
    offset: i * size,
    rows: Math.min(size, total - i * size),
  }));
  return { size, windows };
}

/** A plan's forward pass over windows of rows: the layered chain, or the fused kernel. */
interface WindowedForward {
  readonly kernels: KernelPath;
  /** The last layer's output: the caller's `output` (at the window's output row offset), else a scratch buffer of window rows. */
  readonly prediction: GPUBuffer;
  /** Every layer's output buffer; the layered chain only. */
  readonly layerOutputs: readonly GPUBuffer[] | undefined;
  setWindow(slot: number, rows: number, inputRowOffset: number, outputRowOffset: number): void;
  upload(): void;
  /** Records the window at `slot`; returns the dispatches recorded. */
  encode(pass: GPUComputePassEncoder, slot: number): number;
  dispose(): void;
}

interface WindowedForwardOptions extends Pick<ForwardChainOptions, 'label' | 'rows' | 'input' | 'finalActivation' | 'output' | 'slots'> {
  /** Every layer's output is wanted (hidden-unit maps): only the layered chain keeps them. */
  readonly everyLayer?: boolean;
}

/**
 * The forward pass of `network` for a plan: fused (one dispatch per window, shaders/fused_mlp.wgsl's
 * predict entry) where kernel-choice.ts says so for forward-only use, else the layered chain.
 */
function windowedForward(
  ctx: GpuContext,
  network: NetworkShape,
  parameters: ParameterBuffers,
  options: WindowedForwardOptions,
): WindowedForward {
  const layout = options.everyLayer
    ? undefined
    : fusedLayout(ctx, network, parameters, { training: false, outputActivation: options.finalActivation });
  if (layout) {
    const last = network.layers[network.layers.length - 1]!;
    const scratch = options.output ? undefined : ctx.createStorage(`${options.label} output`, options.rows * last.units);
    const prediction = options.output ?? scratch!;
    const dispatch = FusedMlpDispatch.predict(
      ctx,
      layout.layers,
      { x: options.input, parameters: parameters.values, y: prediction },
      options.rows,
      { ...layout, workgroups: fusedPredictWorkgroups(layout, options.rows), slots: options.slots },
    );
    return {
      kernels: 'fused',
      prediction,
      layerOutputs: undefined,
      setWindow: (slot, rows, inputRowOffset, outputRowOffset) =>
        void dispatch.stageWindow({ rows, xRowOffset: inputRowOffset, yRowOffset: outputRowOffset }, slot),
      upload: () => dispatch.upload(),
      encode: (pass, slot) => {
        dispatch.encode(pass, slot);
        return 1;
      },
      dispose: () => {
        dispatch.dispose();
        if (scratch) ctx.destroyBuffer(scratch);
      },
    };
  }
  const { everyLayer: _everyLayer, ...chainOptions } = options;
  const chain = new ForwardChain(ctx, network, parameters, chainOptions);
  return {
    kernels: 'layered',
    prediction: chain.outputs[chain.outputs.length - 1]!,
    layerOutputs: chain.outputs,
    setWindow: (slot, rows, inputRowOffset, outputRowOffset) => chain.setWindow(slot, rows, inputRowOffset, outputRowOffset),
    upload: () => chain.upload(),
    encode: (pass, slot) => chain.encode(pass, slot),
    dispose: () => chain.dispose(),
  };
}

/**
 * Loss and accuracy of the network over a resident dataset, accumulated on the GPU into a
 * metrics record: one forward pass (layered or fused) and one loss dispatch per chunk, all recordable into the
 * caller's compute pass (validation runs inside the epoch's last submit).
 */
export class EvaluationPlan {
  private readonly forward: WindowedForward;
  private readonly loss: LossDispatch;
  /** Adds the kernel regularizers' penalty × rows to the loss (Keras's test step does too). */
  private readonly penalty: RegularizerDispatch | undefined;
  readonly chunks: number;

  constructor(
    ctx: GpuContext,
    network: NetworkShape,
    parameters: ParameterBuffers,
    data: ResidentDataset,
    metrics: GPUBufferBinding,
    loss: LossSpec,
    chunkRows = DEFAULT_CHUNK_ROWS,
  ) {
    const { size, windows } = rowWindows(data.rows, chunkRows);
    this.chunks = windows.length;
    const last = network.layers[network.layers.length - 1]!;
    const finalActivation = trainingOutputActivation(loss, last.activation);
    this.forward = windowedForward(ctx, network, parameters, {
      label: 'evaluate',
      rows: size,
      input: data.x,
      finalActivation,
      slots: this.chunks,
    });
    const prediction = this.forward.prediction;
    const weights = data.weights ? { sampleWeight: data.weights } : {};
    this.loss = createLossDispatch(
      ctx,
      loss,
      size,
      last.units,
      { prediction, labels: data.y!, metrics, ...weights },
      { train: false, slots: this.chunks },
    );
    windows.forEach(({ offset, rows }, chunk) => {
      this.forward.setWindow(chunk, rows, offset, 0);
      this.loss.stageWindow(rows, offset, chunk);
    });
    this.forward.upload();
    this.loss.upload();
    this.penalty = regularizerFor(ctx, network, parameters, metrics, { train: false });
    this.penalty?.stageRows(data.rows).upload();
  }

  /** Which kernels run the forward pass (see kernel-choice.ts). */
  get kernels(): KernelPath {
    return this.forward.kernels;
  }

  /** Records the whole evaluation; returns the number of dispatches recorded. */
  encode(pass: GPUComputePassEncoder): number {
    let dispatches = 0;
    for (let chunk = 0; chunk < this.chunks; chunk++) {
      dispatches += this.forward.encode(pass, chunk);
      this.loss.encode(pass, chunk);
      dispatches++;
    }
    if (this.penalty) {
      this.penalty.encode(pass);
      dispatches++;
    }
    return dispatches;
  }

  dispose(): void {
    this.forward.dispose();
    this.loss.dispose();
    this.penalty?.dispose();
  }
}

/**
 * The network's outputs (final activation applied) for every row of a resident input. A
 * softmax output is one more dispatch over all rows after the forward chunks.
 */
export class PredictionPlan {
  private readonly forward: WindowedForward;
  private readonly softmax: BoundKernel | undefined;
  readonly output: GPUBuffer;
  readonly chunks: number;

  constructor(
    private readonly ctx: GpuContext,
    network: NetworkShape,
    parameters: ParameterBuffers,
    data: ResidentDataset,
    chunkRows = DEFAULT_CHUNK_ROWS,
    /** Every layer's output is read (layerOutputs): the layered chain, in one chunk of all rows. */
    everyLayer = false,
  ) {
    const { size, windows } = rowWindows(data.rows, everyLayer ? data.rows : chunkRows);
    this.chunks = windows.length;
    const last = network.layers[network.layers.length - 1]!;
    this.output = ctx.createStorage('predictions', data.rows * last.units);
    this.forward = windowedForward(ctx, network, parameters, {
      everyLayer,
      label: 'predict',
      rows: size,
      input: data.x,
      finalActivation: last.activation === 'softmax' ? 'linear' : last.activation,
      output: this.output,
      slots: this.chunks,
    });
    windows.forEach(({ offset, rows }, chunk) => this.forward.setWindow(chunk, rows, offset, offset));
    this.forward.upload();
    this.softmax = last.activation === 'softmax' ? softmaxRows(ctx, this.output, data.rows, last.units) : undefined;
  }

  /** Which kernels run the forward pass (see kernel-choice.ts). */
  get kernels(): KernelPath {
    return this.forward.kernels;
  }

  /**
   * Every layer's output buffer ([rows × units]), all rows after encode(): what hidden-unit
   * maps read. Only a plan built for `everyLayer` has them.
   */
  get layerOutputs(): readonly GPUBuffer[] {
    const outputs = this.forward.layerOutputs;
    if (!outputs) throw new StateError('This prediction plan was not built for every layer’s output (everyLayer).');
    return outputs;
  }

  encode(pass: GPUComputePassEncoder): number {
    let dispatches = 0;
    for (let chunk = 0; chunk < this.chunks; chunk++) dispatches += this.forward.encode(pass, chunk);
    if (this.softmax) {
      this.softmax.encode(pass);
      dispatches++;
    }
    return dispatches;
  }

  dispose(): void {
    this.softmax?.dispose();
    this.forward.dispose();
    this.ctx.destroyBuffer(this.output);
  }
}
