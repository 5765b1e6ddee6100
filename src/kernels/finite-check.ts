import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { FINITE_CHECK_KERNEL } from './generated/finite_check.js';

// Spec generated from shaders/finite_check.wgsl: index of the first NaN/±Inf of a buffer.
export { FINITE_CHECK_KERNEL };

/**
 * Marks the first non-finite value among `count` floats: `result` (one u32, cleared to 0
 * beforehand) ends as count − index of it, or 0 when all are finite. See decodeFirstNonFinite.
 */
export function findNonFinite(ctx: GpuContext, count: number, buffers: { values: BufferResource; result: BufferResource }): BoundKernel {
  const pipeline = ctx.kernels.pipeline(FINITE_CHECK_KERNEL, 'find_nonfinite');
  const kernel = new BoundKernel(
    ctx,
    pipeline,
    { values: buffers.values, first_bad: buffers.result },
    linearWorkgroups(count, pipeline.workgroupSize[0], ctx.device),
  );
  return kernel.setParams({ count });
}

/** The index of the first non-finite value from the kernel's result, or undefined. */
export function decodeFirstNonFinite(result: number, count: number): number | undefined {
  return result === 0 ? undefined : count - result;
}
