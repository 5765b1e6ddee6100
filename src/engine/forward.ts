import type { GpuContext } from '../gpu/context.js';
import type { BufferResource } from '../gpu/dispatch.js';
import { slopeNeedsPreActivation, type Activation } from '../kernels/activations.js';
import { denseForward, preActivationOffset, type DenseDispatch } from '../kernels/dense.js';
import type { NetworkShape } from './network.js';
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
  /**
   * Keep the pre-activations of layers whose derivative needs them (gelu, swish), for a
   * backward pass; other layers are unaffected. Not with `output`.
   */
  readonly storePreActivations?: boolean;
}

/**
 * The forward pass of a network as one dense dispatch per layer (bias and activation fused),
 * each layer writing a scratch buffer that the next reads and the backward pass reuses.
 */
export class ForwardChain {
  readonly kernels: readonly DenseDispatch[];
  /** Each layer's output buffer ([rows × units]); the last may be the caller's `output`. */
  readonly outputs: readonly GPUBuffer[];
  /**
   * With storePreActivations, for each gelu or swish layer: its pre-activations [rows × units],
   * kept in the same buffer as its output from float `offset` on (one buffer, so the fused
   * output head reads both through one binding), and that range as a binding of its own.
   */
  readonly preActivations: readonly ({ readonly offset: number; readonly binding: GPUBufferBinding } | undefined)[];
  private readonly owned: GPUBuffer[] = [];

  constructor(
    private readonly ctx: GpuContext,
    network: NetworkShape,
    parameters: ParameterBuffers,
    options: ForwardChainOptions,
  ) {
    const kernels: DenseDispatch[] = [];
    const outputs: GPUBuffer[] = [];
    const preActivations: ({ offset: number; binding: GPUBufferBinding } | undefined)[] = [];
    let input = options.input;
    let tensor = 0;
    network.layers.forEach((layer, index) => {
      const isLast = index === network.layers.length - 1;
      const activation = isLast ? options.finalActivation : layer.activation;
      const count = options.rows * layer.units;
      const preOffset = options.storePreActivations && slopeNeedsPreActivation(activation) ? preActivationOffset(options.rows, layer.units) : undefined;
      let output: GPUBuffer;
      if (isLast && options.output) {
        if (preOffset !== undefined) throw new Error('ForwardChain: storePreActivations cannot write into a caller-provided output.');
        output = options.output;
      } else {
        output = ctx.createStorage(`${options.label} layer${index} output`, preOffset === undefined ? count : preOffset + count);
        this.owned.push(output);
      }
      preActivations.push(preOffset === undefined ? undefined : { offset: preOffset, binding: { buffer: output, offset: preOffset * 4, size: count * 4 } });
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
          {
            activation,
            // A final activation other than the layer's own (linear logits) has no parameter.
            ...(activation === layer.activation && layer.alpha !== undefined ? { alpha: layer.alpha } : {}),
            useBias: layer.useBias,
            slots: options.slots,
            ...(preOffset === undefined ? {} : { preOffset }),
          },
        ),
      );
      outputs.push(output);
      input = output;
    });
    this.kernels = kernels;
    this.outputs = outputs;
    this.preActivations = preActivations;
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
