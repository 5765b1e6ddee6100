import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, workgroupsFor, type BufferResource, type Workgroups } from '../gpu/dispatch.js';
import type { OverrideValues } from '../gpu/kernel-spec.js';
import type { KernelPipeline } from '../gpu/registry.js';
import { ValueError } from '../errors.js';
import { activationCode, resolveAlpha, slopeNeedsPreActivation, type Activation } from '../spec/activations.js';
import { DENSE_KERNEL } from './generated/dense.js';

// Spec generated from shaders/dense.wgsl: forward with fused bias + activation, and both gradients.
export { DENSE_KERNEL };

/** Sizes of one dense layer applied to a batch. */
export interface DenseShape {
  /** Batch rows (for planned kernels: the largest batch; smaller ones are set per slot). */
  readonly rows: number;
  readonly inputs: number;
  readonly units: number;
}

/** Per-dispatch values of DenseParams; offsets select windows of resident datasets. */
export interface DenseWindow {
  readonly rows: number;
  readonly xRowOffset?: number;
  readonly yRowOffset?: number;
}

/**
 * Workgroup shape for an output of `rows × cols` in 4×4 blocks: 64 invocations, as wide as the
 * output needs (a 1-unit output layer gets 1 × 64, not 8 × 8 with 7 idle columns), fewer when
 * `rows` is small. Outputs whose rows are a batch pass `rows` undefined (the full 64): the
 * pipeline then does not depend on the batch size.
 */
export function denseTile(rows: number | undefined, cols: number): { WG_X: number; WG_Y: number } {
  const colBlocks = Math.ceil(cols / 4);
  const rowBlocks = rows === undefined ? Infinity : Math.ceil(rows / 4);
  let width = 1;
  while (width < 8 && width < colBlocks) width *= 2;
  let height = 64 / width;
  while (height > 1 && height / 2 >= rowBlocks) height /= 2;
  return { WG_X: width, WG_Y: height };
}

function denseParams(shape: DenseShape, window: DenseWindow, preOffset: number) {
  return {
    rows: window.rows,
    inputs: shape.inputs,
    units: shape.units,
    x_row_offset: window.xRowOffset ?? 0,
    y_row_offset: window.yRowOffset ?? 0,
    pre_offset: preOffset,
  };
}

/** A prepared dense kernel whose per-slot rows and offsets can be set for each dispatch. */
export class DenseDispatch extends BoundKernel {
  constructor(
    ctx: GpuContext,
    pipeline: KernelPipeline,
    resources: Readonly<Record<string, BufferResource>>,
    workgroups: Workgroups,
    slots: number,
    readonly shape: DenseShape,
    /** Forward with stored pre-activations: where they start in `y`, in floats (else 0). */
    private readonly preOffset = 0,
  ) {
    super(ctx, pipeline, resources, workgroups, slots);
    for (let slot = 0; slot < slots; slot++) this.stageWindow({ rows: shape.rows }, slot);
    this.upload();
  }

  /** Writes the rows and row offsets of the dispatch recorded at `slot`; upload() sends them. */
  stageWindow(window: DenseWindow, slot = 0): this {
    return this.stageParams(denseParams(this.shape, window, this.preOffset), slot);
  }

  /** stageWindow() and upload of that slot at once. */
  setWindow(window: DenseWindow, slot = 0): this {
    return this.setParams(denseParams(this.shape, window, this.preOffset), slot);
  }
}

type DenseEntry = 'forward' | 'backward_data' | 'backward_weights';

/**
 * True when a layer can use the vec4 (aligned) entry points: inputs and units multiples of 4,
 * so every row of every operand is whole vec4s. Callers' buffers then hold whole rows too.
 */
export function isAligned(shape: DenseShape): boolean {
  return shape.inputs % 4 === 0 && shape.units % 4 === 0;
}

/** A dense dispatch; `outputRows` undefined: the output's rows are the batch's (`shape.rows`). */
function prepare(
  ctx: GpuContext,
  entry: DenseEntry,
  overrides: OverrideValues<typeof DENSE_KERNEL, DenseEntry>,
  outputRows: number | undefined,
  outputCols: number,
  shape: DenseShape,
  resources: Record<string, BufferResource>,
  slots: number,
  preOffset = 0,
): DenseDispatch {
  const tile = denseTile(outputRows, outputCols);
  // The aligned entry points take the same buffers under vec4 binding names (x → x4, ...).
  const aligned = isAligned(shape);
  const pipeline = ctx.kernels.pipeline(DENSE_KERNEL, aligned ? `${entry}_aligned` : entry, { ...overrides, ...tile });
  const bound = aligned ? Object.fromEntries(Object.entries(resources).map(([name, buffer]) => [`${name}4`, buffer])) : resources;
  const workgroups = [
    workgroupsFor(outputCols, 4 * tile.WG_X, ctx.device, `dense.${entry}`),
    workgroupsFor(outputRows ?? shape.rows, 4 * tile.WG_Y, ctx.device, `dense.${entry}`),
    1,
  ] as const;
  return new DenseDispatch(ctx, pipeline, bound, workgroups, slots, shape, preOffset);
}

export interface DenseForwardBuffers {
  readonly x: BufferResource;
  readonly weights: BufferResource;
  readonly bias: BufferResource;
  readonly y: BufferResource;
}

/**
 * Floats from the start of a layer's output buffer to its pre-activations, when training keeps
 * them (gelu, swish): `rows × units` rounded up to 64 floats, so that range can be bound on its
 * own (WebGPU's storage binding offsets are multiples of 256 bytes).
 */
export function preActivationOffset(rows: number, units: number): number {
  return Math.ceil((rows * units) / 64) * 64;
}

export interface DenseForwardOptions {
  readonly activation: Activation;
  /** leaky_relu's / elu's parameter (their Keras default when omitted). */
  readonly alpha?: number;
  readonly useBias?: boolean;
  readonly slots?: number;
  /**
   * Also write Z = X·W + b into `y` from this float offset on (a multiple of 64, see
   * preActivationOffset): what the backward pass of a gelu or swish layer reads.
   */
  readonly preOffset?: number;
}

/** Y = act(X·W + b) over `shape.rows` rows. */
export function denseForward(
  ctx: GpuContext,
  shape: DenseShape,
  buffers: DenseForwardBuffers,
  options: DenseForwardOptions,
): DenseDispatch {
  const { preOffset } = options;
  if (preOffset !== undefined && (!Number.isInteger(preOffset) || preOffset % 64 !== 0 || preOffset < shape.rows * shape.units)) {
    throw new ValueError(`denseForward: preOffset ${preOffset} must be a multiple of 64 past the ${shape.rows * shape.units} outputs.`);
  }
  const overrides = {
    ACTIVATION: activationCode(options.activation),
    ACTIVATION_ALPHA: resolveAlpha(options.activation, options.alpha),
    STORE_PRE: preOffset === undefined ? 0 : 1,
    USE_BIAS: options.useBias === false ? 0 : 1,
  };
  return prepare(ctx, 'forward', overrides, undefined, shape.units, shape, { ...buffers }, options.slots ?? 1, preOffset);
}

export interface DenseBackwardDataBuffers {
  readonly weights: BufferResource;
  readonly dz: BufferResource;
  /** The previous layer's output, for its activation derivative (any buffer when linear). */
  readonly yPrev: BufferResource;
  /**
   * The previous layer's pre-activations: required, and read instead of `yPrev`, when its
   * activation's derivative needs them (gelu, swish: slopeNeedsPreActivation).
   */
  readonly zPrev?: BufferResource;
  readonly dzPrev: BufferResource;
}

/**
 * The buffer an activation's derivative is computed from: its output y, or its input z for
 * gelu and swish (lib/activation_functions.wgsl's saved value). Throws when z is needed but not given.
 */
export function slopeInput(activation: Activation, y: BufferResource, z: BufferResource | undefined, what: string): BufferResource {
  if (!slopeNeedsPreActivation(activation)) return y;
  if (!z) throw new ValueError(`${what}: the derivative of '${activation}' needs the pre-activations (z); none given.`);
  return z;
}

/** dZprev = (dZ · Wᵀ) ⊙ act_prev'(Yprev); with a linear previous activation, dX = dZ · Wᵀ. */
export function denseBackwardData(
  ctx: GpuContext,
  shape: DenseShape,
  buffers: DenseBackwardDataBuffers,
  options: { previousActivation: Activation; previousAlpha?: number; slots?: number },
): DenseDispatch {
  const { previousActivation } = options;
  const yPrev = slopeInput(previousActivation, buffers.yPrev, buffers.zPrev, 'denseBackwardData');
  const resources = { weights: buffers.weights, dz: buffers.dz, y_prev: yPrev, dz_prev: buffers.dzPrev };
  const overrides = {
    PREV_ACTIVATION: activationCode(previousActivation),
    PREV_ACTIVATION_ALPHA: resolveAlpha(previousActivation, options.previousAlpha),
  };
  return prepare(ctx, 'backward_data', overrides, undefined, shape.inputs, shape, resources, options.slots ?? 1);
}

export interface DenseBackwardWeightsBuffers {
  readonly x: BufferResource;
  readonly dz: BufferResource;
  readonly dWeights: BufferResource;
  /** Written only with useBias (any buffer otherwise). */
  readonly dBias: BufferResource;
}

/** dW = Xᵀ · dZ and db = Σ_rows dZ, written (not accumulated). */
export function denseBackwardWeights(
  ctx: GpuContext,
  shape: DenseShape,
  buffers: DenseBackwardWeightsBuffers,
  options: { useBias?: boolean; slots?: number } = {},
): DenseDispatch {
  const resources = { x: buffers.x, dz: buffers.dz, d_weights: buffers.dWeights, d_bias: buffers.dBias };
  const overrides = { USE_BIAS: options.useBias === false ? 0 : 1 };
  return prepare(ctx, 'backward_weights', overrides, shape.inputs, shape.units, shape, resources, options.slots ?? 1);
}
