import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { GATHER_KERNEL } from './generated/gather.js';

// Spec generated from shaders/gather.wgsl: destination[r, :] = source[indices[r], :].
export { GATHER_KERNEL };

/** Gathers `rows` rows of `width` floats by index (indices must be < the source's rows). */
export function gatherRows(
  ctx: GpuContext,
  rows: number,
  width: number,
  buffers: { indices: BufferResource; source: BufferResource; destination: BufferResource },
): BoundKernel {
  const pipeline = ctx.kernels.pipeline(GATHER_KERNEL, 'gather_rows');
  const kernel = new BoundKernel(ctx, pipeline, { ...buffers }, linearWorkgroups(rows * width, pipeline.workgroupSize[0], ctx.device));
  return kernel.setParams({ rows, width });
}
