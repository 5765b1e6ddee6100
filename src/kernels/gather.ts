import gatherWgsl from '../../shaders/gather.wgsl';
import gridLib from '../../shaders/lib/grid.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';

/** shaders/gather.wgsl: destination[r, :] = source[indices[r], :]. */
export const GATHER_KERNEL: KernelSpec = {
  name: 'gather',
  source: composeWgsl(gridLib, gatherWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'GatherParams' },
    { binding: 1, name: 'indices', access: 'read', type: 'array<u32>' },
    { binding: 2, name: 'source', access: 'read', type: 'array<f32>' },
    { binding: 3, name: 'destination', access: 'read_write', type: 'array<f32>' },
  ],
  overrides: LINEAR_WORKGROUP_OVERRIDE,
  entryPoints: { gather_rows: linearEntryPoint(['params', 'indices', 'source', 'destination']) },
};

/** Gathers `rows` rows of `width` floats by index (indices must be < the source's rows). */
export function gatherRows(
  ctx: GpuContext,
  rows: number,
  width: number,
  buffers: { indices: BufferResource; source: BufferResource; destination: BufferResource },
): BoundKernel {
  const pipeline = ctx.kernels.pipeline(GATHER_KERNEL, 'gather_rows');
  const kernel = new BoundKernel(ctx, pipeline, { ...buffers }, linearWorkgroups(rows * width, LINEAR_WORKGROUP, ctx.device));
  return kernel.setParams({ rows, width });
}
