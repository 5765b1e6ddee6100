import activationLib from '../../shaders/lib/activation.wgsl';
import bceLib from '../../shaders/lib/binary_crossentropy.wgsl';
import headWgsl from '../../shaders/output_head.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';
import { ValueError } from '../errors.js';
import { activationCode, resolveAlpha, slopeNeedsPreActivation, type Activation } from './activations.js';
import { METRICS_LIB, SAMPLE_WEIGHT_LIB } from './metrics.js';

/** shaders/output_head.wgsl: the 1-unit sigmoid output layer, its BCE and its backward pass in one dispatch. */
export const OUTPUT_HEAD_KERNEL: KernelSpec = {
  name: 'output_head',
  source: composeWgsl(activationLib, METRICS_LIB, SAMPLE_WEIGHT_LIB, bceLib, headWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'HeadParams' },
    { binding: 1, name: 'x', access: 'read', type: 'array<f32>' },
    { binding: 2, name: 'parameters', access: 'read', type: 'array<f32>' },
    { binding: 3, name: 'labels', access: 'read', type: 'array<f32>' },
    { binding: 4, name: 'metrics', access: 'read_write', type: 'Metrics' },
    { binding: 5, name: 'dz', access: 'read_write', type: 'array<f32>' },
    { binding: 6, name: 'gradients', access: 'read_write', type: 'array<f32>' },
    { binding: 7, name: 'dz_prev', access: 'read_write', type: 'array<f32>' },
    { binding: 8, name: 'sample_weight', access: 'read', type: 'array<f32>' },
  ],
  overrides: {
    PREV_ACTIVATION: { type: 'u32', default: 0 },
    PREV_ACTIVATION_ALPHA: { type: 'f32', default: 0 },
    PREV_PRE_OFFSET: { type: 'u32', default: 0 },
    HAS_PREVIOUS_LAYER: { type: 'bool', default: 1 },
    USE_BIAS: { type: 'bool', default: 1 },
    WEIGHTED: { type: 'bool', default: 0 },
    ...LINEAR_WORKGROUP_OVERRIDE,
  },
  entryPoints: {
    train: linearEntryPoint(
      ['params', 'x', 'parameters', 'labels', 'metrics', 'dz', 'gradients', 'dz_prev', 'sample_weight'],
      ['PREV_ACTIVATION', 'PREV_ACTIVATION_ALPHA', 'PREV_PRE_OFFSET', 'HAS_PREVIOUS_LAYER', 'USE_BIAS', 'WEIGHTED'],
    ),
  },
};

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
      throw new ValueError(`OutputHeadDispatch: the derivative of '${previous}' needs the previous layer's pre-activations; give previousPreOffset.`);
    }
    const pipeline = ctx.kernels.pipeline(OUTPUT_HEAD_KERNEL, 'train', {
      PREV_ACTIVATION: activationCode(previous),
      PREV_ACTIVATION_ALPHA: resolveAlpha(previous, options.previousAlpha),
      PREV_PRE_OFFSET: options.previousPreOffset ?? 0,
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
    const { inputs, weightsOffset, biasOffset } = this.options;
    return this.stageParams(
      { rows, inputs, x_row_offset: xRowOffset, label_row_offset: labelRowOffset, weights_offset: weightsOffset, bias_offset: biasOffset },
      slot,
    );
  }
}
