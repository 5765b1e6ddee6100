import type { GpuContext } from '../gpu/context.js';
import type { BoundKernel } from '../gpu/dispatch.js';
import type { LossDispatch } from '../kernels/metrics.js';
import { softmaxRows } from '../kernels/softmax-crossentropy.js';
import type { ResidentDataset } from './dataset.js';
import { ForwardChain } from './forward.js';
import { trainingOutputActivation, type LossSpec } from '../spec/loss.js';
import { createLossDispatch } from './loss-dispatch.js';
import type { NetworkShape } from '../spec/network.js';
import type { ParameterBuffers } from './parameters.js';
import type { RegularizerDispatch } from '../kernels/regularizer.js';
import { regularizerFor } from './regularization.js';

/** Rows per forward dispatch when evaluating or predicting (bounds scratch memory). */
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

/**
 * Loss and accuracy of the network over a resident dataset, accumulated on the GPU into a
 * metrics record: one forward chain and one loss dispatch per chunk, all recordable into the
 * caller's compute pass (validation runs inside the epoch's last submit).
 */
export class EvaluationPlan {
  private readonly forward: ForwardChain;
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
    this.forward = new ForwardChain(ctx, network, parameters, {
      label: 'evaluate',
      rows: size,
      input: data.x,
      finalActivation,
      slots: this.chunks,
    });
    const prediction = this.forward.outputs[this.forward.outputs.length - 1]!;
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
      this.forward.setWindow(chunk, rows, offset);
      this.loss.stageWindow(rows, offset, chunk);
    });
    this.forward.upload();
    this.loss.upload();
    this.penalty = regularizerFor(ctx, network, parameters, metrics, { train: false });
    this.penalty?.stageRows(data.rows).upload();
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
  private readonly forward: ForwardChain;
  private readonly softmax: BoundKernel | undefined;
  readonly output: GPUBuffer;
  readonly chunks: number;

  constructor(
    private readonly ctx: GpuContext,
    network: NetworkShape,
    parameters: ParameterBuffers,
    data: ResidentDataset,
    chunkRows = DEFAULT_CHUNK_ROWS,
  ) {
    const { size, windows } = rowWindows(data.rows, chunkRows);
    this.chunks = windows.length;
    const last = network.layers[network.layers.length - 1]!;
    this.output = ctx.createStorage('predictions', data.rows * last.units);
    this.forward = new ForwardChain(ctx, network, parameters, {
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

  /**
   * Every layer's output buffer ([chunk rows × units]). With a single chunk (chunkRows ≥ rows)
   * they hold all rows after encode(): what hidden-unit maps read.
   */
  get layerOutputs(): readonly GPUBuffer[] {
    return this.forward.outputs;
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
