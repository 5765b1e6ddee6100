import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import type { OverrideValues } from '../gpu/kernel-spec.js';
import { dropoutScale, dropoutThreshold, type DropoutSpec } from '../spec/dropout.js';
import { activationCode, resolveAlpha, type Activation } from '../spec/activations.js';
import { DROPOUT_KERNEL } from './generated/dropout.js';

// Spec generated from shaders/dropout.wgsl: inverted dropout forward (masked copy) and backward (masked gradient).
export { DROPOUT_KERNEL };

/** Per-dispatch values: the batch window and the optimizer step whose mask applies. */
export interface DropoutWindow {
  readonly rows: number;
  /** 1-based optimizer step. */
  readonly step: number;
  /** First row of the source read (forward only). */
  readonly sourceRowOffset?: number;
}

/** A dropout dispatch over [rows × width] batches; each slot holds one step's window. */
export class DropoutDispatch extends BoundKernel {
  constructor(
    ctx: GpuContext,
    entry: 'forward' | 'backward',
    resources: Readonly<Record<string, BufferResource>>,
    readonly rows: number,
    readonly width: number,
    readonly spec: DropoutSpec,
    slots: number,
    overrides: OverrideValues<typeof DROPOUT_KERNEL, 'forward' | 'backward'> = {},
  ) {
    const pipeline = ctx.kernels.pipeline(DROPOUT_KERNEL, entry, overrides);
    super(ctx, pipeline, resources, linearWorkgroups(rows * width, pipeline.workgroupSize[0], ctx.device), slots);
    for (let slot = 0; slot < slots; slot++) this.stageWindow({ rows, step: 0 }, slot);
    this.upload();
  }

  /** Writes the window of the dispatch recorded at `slot`; upload() sends it. */
  stageWindow(window: DropoutWindow, slot = 0): this {
    return this.stageParams(
      {
        rows: window.rows,
        width: this.width,
        source_row_offset: window.sourceRowOffset ?? 0,
        seed: this.spec.seed >>> 0,
        step: window.step >>> 0,
        threshold: dropoutThreshold(this.spec.rate),
        scale: dropoutScale(this.spec.rate),
      },
      slot,
    );
  }
}

/** dropped = source ⊙ mask over up to `rows` rows of `width` units (source read at a row offset). */
export function dropoutForward(
  ctx: GpuContext,
  rows: number,
  width: number,
  spec: DropoutSpec,
  buffers: { readonly source: BufferResource; readonly dropped: BufferResource },
  slots = 1,
): DropoutDispatch {
  return new DropoutDispatch(ctx, 'forward', { source: buffers.source, dropped: buffers.dropped }, rows, width, spec, slots);
}

/**
 * gradient ⊙= mask ⊙ act_prev'(yPrev), in place: the same mask as dropoutForward's for the same
 * window and step. `previousActivation` (default linear) is for producers that did not apply
 * the previous layer's derivative themselves because they saw only the dropped copy; for gelu
 * and swish, `yPrev` must be that layer's pre-activations (their derivative reads z).
 */
export function dropoutBackward(
  ctx: GpuContext,
  rows: number,
  width: number,
  spec: DropoutSpec,
  buffers: { readonly gradient: BufferResource; readonly yPrev: BufferResource },
  options: { readonly previousActivation?: Activation; readonly previousAlpha?: number; readonly slots?: number } = {},
): DropoutDispatch {
  const previous = options.previousActivation ?? 'linear';
  const overrides = { PREV_ACTIVATION: activationCode(previous), PREV_ACTIVATION_ALPHA: resolveAlpha(previous, options.previousAlpha) };
  return new DropoutDispatch(
    ctx,
    'backward',
    { gradient: buffers.gradient, y_prev: buffers.yPrev },
    rows,
    width,
    spec,
    options.slots ?? 1,
    overrides,
  );
}
