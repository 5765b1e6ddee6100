import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, workgroupsFor, type BufferResource } from '../gpu/dispatch.js';
import { activationCode, resolveAlpha, slopeNeedsPreActivation, type Activation } from '../spec/activations.js';
import type { DenseLayerShape } from '../spec/network.js';
import { FUSED_MLP_KERNEL } from './generated/fused_mlp.js';

// Spec generated from shaders/fused_mlp.wgsl: a whole MLP's forward (and training step) in one dispatch.
export { FUSED_MLP_KERNEL };

/** Invocations per workgroup of the fused kernels (the shader's WG). */
export const FUSED_WORKGROUP = 64;
/** Bytes of workgroup memory the train entry's metrics reduction takes (lib/workgroup_reduce.wgsl: WG × RowSums). */
const REDUCTION_BYTES = FUSED_WORKGROUP * 16;
/** u32 words per layer descriptor (the shader's `struct Layer`). */
const DESCRIPTOR_WORDS = 6;
const NO_BIAS = 0xffffffff;

/** One layer as the fused kernel sees it: its shape, activation and where its tensors sit in the flat parameter buffer. */
export interface FusedLayer {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
  readonly alpha?: number;
  /** Float offsets of the kernel and bias in the parameter (and gradient) buffer; no bias: undefined. */
  readonly weightsOffset: number;
  readonly biasOffset: number | undefined;
}

/**
 * Rows a tile is sized for. Workgroup memory is not free: on SwiftShader (measured, logistic
 * regression, batch 32) each dispatch costs time in proportion to the workgroup memory it
 * declares — 2,048 floats ran an epoch in 105 ms, 3,840 in 163 ms, 7,936 in 407 ms — so a tile
 * holds this many rows (what the tutorial's batches need in one or two tiles), not as many as fit.
 */
const TILE_TARGET_ROWS = 16;
/** Tile sizes are rounded up to this many floats, so similar networks share a pipeline. */
const TILE_GRANULE = 256;

function floatsPerRow(layers: readonly Pick<DenseLayerShape, 'inputs' | 'units'>[]): number {
  return layers[0]!.inputs + layers.reduce((sum, layer) => sum + layer.units, 0);
}

/**
 * Floats of workgroup memory the fused kernels give the tile of a network of these layers on a
 * device: TILE_TARGET_ROWS rows of the input and every layer's output, rounded up to
 * TILE_GRANULE, within what maxComputeWorkgroupStorageSize leaves after the metrics reduction.
 * It depends on the architecture and the device, never on a batch (TILE_FLOATS is an override).
 * A forward pass alone asks for more rows (`targetRows`): its workgroups loop over tiles, so the
 * tile's memory is paid once per workgroup, and each tile's barriers are shared by more rows.
 */
export function fusedTileFloats(
  layers: readonly Pick<DenseLayerShape, 'inputs' | 'units'>[],
  limits: { readonly maxComputeWorkgroupStorageSize: number },
  targetRows = TILE_TARGET_ROWS,
): number {
  const available = Math.floor((limits.maxComputeWorkgroupStorageSize - REDUCTION_BYTES) / 4);
  const wanted = Math.ceil((floatsPerRow(layers) * targetRows) / TILE_GRANULE) * TILE_GRANULE;
  return Math.min(available, wanted);
}

/**
 * Batch rows per tile for a network of these layers: as many as `tileFloats` holds with the
 * input and every layer's output, in whole blocks of 4 rows (the kernel's register blocks) when
 * 4 or more fit; 0 when not even one row fits (then the network is not fused).
 */
export function fusedTileRows(layers: readonly Pick<DenseLayerShape, 'inputs' | 'units'>[], tileFloats: number): number {
  const rows = Math.floor(tileFloats / floatsPerRow(layers));
  return rows >= 4 ? rows - (rows % 4) : rows;
}

/**
 * Why a hidden layer cannot run fused, or undefined when it can: the backward pass takes each
 * activation's slope from its stored output, which gelu and swish cannot give.
 */
export function fusedActivationProblem(activation: string): string | undefined {
  if (activation === 'softmax') return 'softmax is row-wise';
  return slopeNeedsPreActivation(activation as Activation) ? `the slope of ${activation} needs its pre-activation` : undefined;
}

/** The descriptor array the shader reads as `layers`. */
function packDescriptors(layers: readonly FusedLayer[]): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(layers.length * DESCRIPTOR_WORDS);
  const floats = new Float32Array(words.buffer);
  layers.forEach((layer, i) => {
    const at = i * DESCRIPTOR_WORDS;
    words[at] = layer.inputs;
    words[at + 1] = layer.units;
    words[at + 2] = layer.weightsOffset;
    words[at + 3] = layer.biasOffset ?? NO_BIAS;
    words[at + 4] = activationCode(layer.activation);
    floats[at + 5] = resolveAlpha(layer.activation, layer.alpha);
  });
  return words;
}

export interface FusedTrainBuffers {
  /** The resident (shuffled) dataset's features; batches are windows of it. */
  readonly x: BufferResource;
  readonly labels: BufferResource;
  readonly parameters: BufferResource;
  /**
   * Written whole every step: one slice per workgroup, each `gradientStride` floats with the
   * layout of `parameters`; the step's gradient is their sum (the optimizer adds them).
   */
  readonly gradients: BufferResource;
  /** One Metrics record per workgroup that its rows' loss and accuracy sums are added to. */
  readonly metricSlots: BufferResource;
  /** Per-row loss weights, windowed like the labels; none: unweighted. */
  readonly sampleWeight?: BufferResource;
}

export interface FusedPredictBuffers {
  readonly x: BufferResource;
  readonly parameters: BufferResource;
  /** The last layer's output, [rows × units] from `yRowOffset`. */
  readonly y: BufferResource;
}

export interface FusedWindow {
  readonly rows: number;
  readonly xRowOffset: number;
  readonly labelRowOffset?: number;
  readonly yRowOffset?: number;
}

export interface FusedMlpOptions {
  /** Rows per tile (at most fusedTileRows), and the tile's floats on this device (fusedTileFloats). */
  readonly tileRows: number;
  readonly tileFloats: number;
  readonly slots?: number;
}

export interface FusedPredictOptions extends FusedMlpOptions {
  /** Workgroups sharing a window's tiles (each takes every G-th tile); default one per tile. */
  readonly workgroups?: number;
}

export interface FusedTrainOptions extends FusedMlpOptions {
  /** Workgroups sharing a batch (each its gradient slice and metrics record); 1 by default. */
  readonly workgroups?: number;
  /** Floats per gradient slice: the parameter count rounded up to whole vec4s (the optimizer's groups). */
  readonly gradientStride: number;
}

/**
 * One dispatch of shaders/fused_mlp.wgsl with its layer descriptors (a storage buffer it owns,
 * written once): `train` (the whole step but the optimizer, the batch's tiles dealt to a fixed
 * number of workgroups) or `predict` (a window of up to `maxRows` rows, its tiles dealt to workgroups).
 */
export class FusedMlpDispatch extends BoundKernel {
  private readonly descriptors: GPUBuffer;
  private readonly layerCount: number;

  private constructor(
    private readonly context: GpuContext,
    entry: 'train' | 'predict',
    layers: readonly FusedLayer[],
    resources: Readonly<Record<string, BufferResource>>,
    weighted: boolean,
    workgroups: number,
    private readonly options: FusedMlpOptions & { readonly gradientStride?: number },
    descriptors: GPUBuffer,
  ) {
    const overrides = { TILE_FLOATS: options.tileFloats, WG: FUSED_WORKGROUP };
    const pipeline = context.kernels.pipeline(FUSED_MLP_KERNEL, entry, weighted ? { ...overrides, WEIGHTED: 1 } : overrides);
    super(context, pipeline, { ...resources, layers: descriptors }, [workgroups, 1, 1], options.slots ?? 1);
    this.descriptors = descriptors;
    this.layerCount = layers.length;
  }

  /** The training step of `layers` (the last one linear: logits for binary cross-entropy). */
  static train(ctx: GpuContext, layers: readonly FusedLayer[], buffers: FusedTrainBuffers, options: FusedTrainOptions): FusedMlpDispatch {
    const { x, labels, parameters, gradients, metricSlots, sampleWeight } = buffers;
    const resources = { x, labels, parameters, gradients, metric_slots: metricSlots, sample_weight: sampleWeight ?? labels };
    const descriptors = ctx.createStorage('fused train layers', packDescriptors(layers));
    const workgroups = options.workgroups ?? 1;
    return new FusedMlpDispatch(ctx, 'train', layers, resources, sampleWeight !== undefined, workgroups, options, descriptors);
  }

  /** The forward pass of `layers` over windows of up to `maxRows` rows. */
  static predict(
    ctx: GpuContext,
    layers: readonly FusedLayer[],
    buffers: FusedPredictBuffers,
    maxRows: number,
    options: FusedPredictOptions,
  ): FusedMlpDispatch {
    const descriptors = ctx.createStorage('fused predict layers', packDescriptors(layers));
    const tiles = workgroupsFor(maxRows, options.tileRows, ctx.device, 'fused_mlp.predict');
    const workgroups = Math.min(tiles, options.workgroups ?? tiles);
    return new FusedMlpDispatch(ctx, 'predict', layers, { ...buffers }, false, workgroups, options, descriptors);
  }

  /** Writes the window of the dispatch recorded at `slot`; upload() sends it. */
  stageWindow(window: FusedWindow, slot = 0): this {
    return this.stageParams(
      {
        rows: window.rows,
        x_row_offset: window.xRowOffset,
        label_row_offset: window.labelRowOffset ?? 0,
        y_row_offset: window.yRowOffset ?? 0,
        layer_count: this.layerCount,
        tile_rows: this.options.tileRows,
        gradient_stride: this.options.gradientStride ?? 0,
      },
      slot,
    );
  }

  override dispose(): void {
    super.dispose();
    this.context.destroyBuffer(this.descriptors);
  }
}
