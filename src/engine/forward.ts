import type { GpuContext } from '../gpu/context.js';
import type { BufferResource } from '../gpu/dispatch.js';
import type { Activation } from '../kernels/activations.js';
import { denseForward, type DenseDispatch } from '../kernels/dense.js';
import { hiddenActivation, type NetworkShape } from './network.js';
import type { ParameterBuffers } from './parameters.js';

export interface ForwardChainOptions {
  readonly label: string;
  /** Rows of the largest window this chain computes (scratch buffers are sized for it). */
  readonly rows: number;
  /** The input matrix; windows of it are selected by row offset. */
  readonly input: BufferResource;
  /** Activation of the last layer here: `linear` to produce logits for a fused loss. */
  readonly finalActivation: Activation;
  /** Where the last layer writes (at a row offset), instead of a scratch buffer of its own. */
  readonly output?: GPUBuffer;
  /** Uniform slots: one per dispatch recorded in a single submit. */
  readonly slots: number;
}

/**
 * The forward pass of a network as one dense dispatch per layer (bias and activation fused),
 * each layer writing a scratch buffer that the next reads and the backward pass reuses.
 */
export class ForwardChain {
  readonly kernels: readonly DenseDispatch[];
  /** Each layer's output buffer ([rows × units]); the last may be the caller's `output`. */
  readonly outputs: readonly GPUBuffer[];
  private readonly owned: GPUBuffer[] = [];

  constructor(
    private readonly ctx: GpuContext,
    network: NetworkShape,
    parameters: ParameterBuffers,
    options: ForwardChainOptions,
  ) {
    const kernels: DenseDispatch[] = [];
    const outputs: GPUBuffer[] = [];
    let input = options.input;
    let tensor = 0;
    network.layers.forEach((layer, index) => {
      const isLast = index === network.layers.length - 1;
      let output: GPUBuffer;
      if (isLast && options.output) output = options.output;
      else {
        output = ctx.createStorage(`${options.label} layer${index} output`, options.rows * layer.units);
        this.owned.push(output);
      }
      const weights = parameters.tensors[tensor++]!;
      const bias = layer.useBias ? parameters.tensors[tensor++]! : weights;
      kernels.push(
        denseForward(
          ctx,
          { rows: options.rows, inputs: layer.inputs, units: layer.units },
          {
            x: input,
            weights: parameters.binding(parameters.values, weights),
            // A layer without bias never reads it (USE_BIAS = false); any valid slice will do.
            bias: parameters.binding(parameters.values, bias),
            y: output,
          },
          { activation: isLast ? options.finalActivation : hiddenActivation(layer), useBias: layer.useBias, slots: options.slots },
        ),
      );
      outputs.push(output);
      input = output;
    });
    this.kernels = kernels;
    this.outputs = outputs;
  }

  /**
   * Sets the window computed at `slot`: `rows` rows of the input from `inputRowOffset`; the
   * last layer writes at `outputRowOffset` (nonzero only with a caller-provided output).
   */
  setWindow(slot: number, rows: number, inputRowOffset: number, outputRowOffset = 0): void {
    this.kernels.forEach((kernel, index) => {
      const isFirst = index === 0;
      const isLast = index === this.kernels.length - 1;
      kernel.stageWindow({ rows, xRowOffset: isFirst ? inputRowOffset : 0, yRowOffset: isLast ? outputRowOffset : 0 }, slot);
    });
  }

  /** Sends slots [0, count) of every layer's uniforms to the GPU. */
  upload(count?: number): void {
    for (const kernel of this.kernels) kernel.upload(count);
  }

  encode(pass: GPUComputePassEncoder, slot: number): number {
    for (const kernel of this.kernels) kernel.encode(pass, slot);
    return this.kernels.length;
  }

  dispose(): void {
    for (const kernel of this.kernels) kernel.dispose();
    for (const buffer of this.owned) this.ctx.destroyBuffer(buffer);
  }
}
