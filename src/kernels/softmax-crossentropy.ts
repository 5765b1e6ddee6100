import type { GpuContext } from '../gpu/context.js';
import { linearWorkgroups, BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import { SOFTMAX_CROSSENTROPY_KERNEL } from './generated/softmax_crossentropy.js';
import { lossDispatch, type LossBuffers, type LossDispatch, type LossOptions } from './metrics.js';

// Spec generated from shaders/softmax_crossentropy.wgsl: softmax fused into (sparse) categorical cross-entropy, and softmax alone.
export { SOFTMAX_CROSSENTROPY_KERNEL };

export interface SoftmaxCrossentropyOptions extends LossOptions {
  /** Logits per row (k ≥ 2). */
  readonly classes: number;
  /** True: one integer label per row (sparse); false: `classes` targets per row. */
  readonly sparse: boolean;
}

/**
 * (Sparse) categorical cross-entropy from the logits of `rows` rows (`buffers.prediction`);
 * when training, writes dL/dlogits into `buffers.gradient`.
 */
export function softmaxCrossentropy(
  ctx: GpuContext,
  rows: number,
  buffers: LossBuffers,
  options: SoftmaxCrossentropyOptions,
): LossDispatch {
  const entry = `${options.sparse ? 'sparse' : 'categorical'}_${options.train ? 'train' : 'eval'}` as const;
  const pipeline = ctx.kernels.pipeline(SOFTMAX_CROSSENTROPY_KERNEL, entry, { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  return lossDispatch(ctx, pipeline, 'logits', rows, buffers, options, { classes: options.classes });
}

/** Row-wise softmax, in place, of rows [firstRow, firstRow + rows) of a rows × classes matrix. */
export function softmaxRows(ctx: GpuContext, values: BufferResource, rows: number, classes: number, firstRow = 0): BoundKernel {
  const pipeline = ctx.kernels.pipeline(SOFTMAX_CROSSENTROPY_KERNEL, 'softmax');
  const kernel = new BoundKernel(ctx, pipeline, { values }, linearWorkgroups(rows, pipeline.workgroupSize[0], ctx.device));
  kernel.setParams({ rows, classes, label_row_offset: firstRow });
  return kernel;
}
