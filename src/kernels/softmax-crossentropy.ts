import type { GpuContext } from '../gpu/context.js';
import { linearWorkgroups, BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import { SOFTMAX_CROSSENTROPY_KERNEL } from './generated/softmax_crossentropy.js';
import { LossDispatch, lossResources, type LossBuffers } from './metrics.js';

// Spec generated from shaders/softmax_crossentropy.wgsl: softmax fused into (sparse) categorical cross-entropy, and softmax alone.
export { SOFTMAX_CROSSENTROPY_KERNEL };

export interface SoftmaxCrossentropyOptions {
  /** Logits per row (k ≥ 2). */
  readonly classes: number;
  /** True: one integer label per row (sparse); false: `classes` targets per row. */
  readonly sparse: boolean;
  /** False: accumulate the sums only (evaluation). */
  readonly train: boolean;
  readonly slots?: number;
}

/**
 * (Sparse) categorical cross-entropy from the logits of `rows` rows (`buffers.prediction`);
 * when training, writes dL/dlogits into `buffers.gradient`.
 */
export function softmaxCrossentropy(ctx: GpuContext, rows: number, buffers: LossBuffers, options: SoftmaxCrossentropyOptions): LossDispatch {
  const entry = `${options.sparse ? 'sparse' : 'categorical'}_${options.train ? 'train' : 'eval'}` as const;
  const resources = lossResources(buffers, 'logits', options.train, 'softmaxCrossentropy');
  const pipeline = ctx.kernels.pipeline(SOFTMAX_CROSSENTROPY_KERNEL, entry, { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  const kernel = new LossDispatch(ctx, pipeline, resources, [1, 1, 1], options.slots ?? 1, { classes: options.classes });
  for (let slot = 0; slot < kernel.uniforms.slots; slot++) kernel.stageWindow(rows, 0, slot);
  kernel.upload();
  return kernel;
}

/** Row-wise softmax, in place, of rows [firstRow, firstRow + rows) of a rows × classes matrix. */
export function softmaxRows(ctx: GpuContext, values: BufferResource, rows: number, classes: number, firstRow = 0): BoundKernel {
  const pipeline = ctx.kernels.pipeline(SOFTMAX_CROSSENTROPY_KERNEL, 'softmax');
  const kernel = new BoundKernel(ctx, pipeline, { values }, linearWorkgroups(rows, pipeline.workgroupSize[0], ctx.device));
  kernel.setParams({ rows, classes, label_row_offset: firstRow });
  return kernel;
}
