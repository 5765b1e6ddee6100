import finiteWgsl from '../../shaders/finite_check.wgsl';
import gridLib from '../../shaders/lib/grid.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';

/** shaders/finite_check.wgsl: index of the first NaN/±Inf of a buffer. */
export const FINITE_CHECK_KERNEL: KernelSpec = {
  name: 'finite_check',
  source: composeWgsl(gridLib, finiteWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'FiniteParams' },
    // The floats' bit patterns: the test is on the bits, never on an f32 assumed finite.
    { binding: 1, name: 'values', access: 'read', type: 'array<u32>' },
    { binding: 2, name: 'first_bad', access: 'read_write', type: 'atomic<u32>' },
  ],
  overrides: LINEAR_WORKGROUP_OVERRIDE,
  entryPoints: { find_nonfinite: linearEntryPoint(['params', 'values', 'first_bad']) },
};

/**
 * Marks the first non-finite value among `count` floats: `result` (one u32, cleared to 0
 * beforehand) ends as count − index of it, or 0 when all are finite. See decodeFirstNonFinite.
 */
export function findNonFinite(ctx: GpuContext, count: number, buffers: { values: BufferResource; result: BufferResource }): BoundKernel {
  const pipeline = ctx.kernels.pipeline(FINITE_CHECK_KERNEL, 'find_nonfinite');
  const kernel = new BoundKernel(ctx, pipeline, { values: buffers.values, first_bad: buffers.result }, linearWorkgroups(count, LINEAR_WORKGROUP, ctx.device));
  return kernel.setParams({ count });
}

/** The index of the first non-finite value from the kernel's result, or undefined. */
export function decodeFirstNonFinite(result: number, count: number): number | undefined {
  return result === 0 ? undefined : count - result;
}
