import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import { ValueError } from '../errors.js';
import { activationCode, resolveAlpha, slopeNeedsPreActivation, type Activation } from '../spec/activations.js';
import { OUTPUT_HEAD_KERNEL } from './generated/output_head.js';

// Spec generated from shaders/output_head.wgsl: the 1-unit sigmoid output layer, its BCE and its backward pass in one dispatch.
export { OUTPUT_HEAD_KERNEL };

export interface OutputHeadBuffers {
  /** The previous layer's output (or, for a one-layer model, the dataset). */
  readonly x: BufferResource;
  /** The model's flat parameter buffer; the layer's kernel and bias sit at `weightsOffset`/`biasOffset`. */
  readonly parameters: BufferResource;
  /** The flat gradient buffer, same layout as `parameters`. */
  readonly gradients: BufferResource;
  readonly labels: BufferResource;
  /** Metrics record the loss and accuracy sums are added to. */
  readonly metrics: BufferResource;
  /** Scratch of `rows` floats: dL/dz of the batch. */
  readonly dz: BufferResource;
  /** The previous layer's pre-activation gradient [rows, inputs]; any buffer without one. */
  readonly dzPrev: BufferResource;
  /** Per-row loss weights, windowed like the labels (Keras's sample weights); none: unweighted. */
  readonly sampleWeight?: BufferResource;
}

export interface OutputHeadOptions {
  readonly inputs: number;
  /** Offsets, in floats, of the kernel and bias in the parameter (and gradient) buffer. */
  readonly weightsOffset: number;
  /** Ignored without a bias. */
  readonly biasOffset: number;
  readonly useBias: boolean;
  /** The previous layer's activation, or undefined when the head is the model's only layer. */
  readonly previousActivation: Activation | undefined;
  /** The previous layer's alpha (leaky_relu, elu; their default when omitted). */
  readonly previousAlpha?: number;
  /**
   * Where the previous layer's pre-activations sit in `x`, in floats: required when its
   * activation's derivative needs them (gelu, swish; dense forward's `preOffset`).
   */
  readonly previousPreOffset?: number;
  readonly slots?: number;
}

/** The fused output head for batches of rows of `inputs` features. */
export class OutputHeadDispatch extends BoundKernel {
  constructor(
    ctx: GpuContext,
    buffers: OutputHeadBuffers,
    private readonly options: OutputHeadOptions,
  ) {
    const previous = options.previousActivation ?? 'linear';
    if (slopeNeedsPreActivation(previous) && options.previousPreOffset === undefined) {
      throw new ValueError(
        `OutputHeadDispatch: the derivative of '${previous}' needs the previous layer's pre-activations; give previousPreOffset.`,
      );
    }
    const pipeline = ctx.kernels.pipeline(OUTPUT_HEAD_KERNEL, 'train', {
      PREV_ACTIVATION: activationCode(previous),
      PREV_ACTIVATION_ALPHA: resolveAlpha(previous, options.previousAlpha),
      HAS_PREVIOUS_LAYER: options.previousActivation === undefined ? 0 : 1,
      USE_BIAS: options.useBias ? 1 : 0,
      WEIGHTED: buffers.sampleWeight ? 1 : 0,
    });
    const { x, parameters, gradients, labels, metrics, dz, dzPrev, sampleWeight } = buffers;
    const resources = { x, parameters, gradients, labels, metrics, dz, dz_prev: dzPrev, sample_weight: sampleWeight ?? labels };
    super(ctx, pipeline, resources, [1, 1, 1], options.slots ?? 1);
  }

  /** Writes the rows and dataset offsets of the dispatch recorded at `slot`; upload() sends them. */
  stageWindow(rows: number, xRowOffset: number, labelRowOffset: number, slot = 0): this {
    const { inputs, weightsOffset, biasOffset, previousPreOffset } = this.options;
    return this.stageParams(
      {
        rows,
        inputs,
        x_row_offset: xRowOffset,
        label_row_offset: labelRowOffset,
        weights_offset: weightsOffset,
        bias_offset: biasOffset,
        prev_pre_offset: previousPreOffset ?? 0,
      },
      slot,
    );
  }
}
