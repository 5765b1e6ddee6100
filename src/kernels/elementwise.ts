import activationWgsl from '../../shaders/activation.wgsl';
import activationLib from '../../shaders/lib/activation.wgsl';
import gridLib from '../../shaders/lib/grid.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';
import { activationCode, type Activation } from './activations.js';


/** shaders/activation.wgsl: element-wise activation and its gradient. */
export const ACTIVATION_KERNEL: KernelSpec = {
  name: 'activation',
  source: composeWgsl(activationLib, gridLib, activationWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'ElementwiseParams' },
    { binding: 1, name: 'z', access: 'read', type: 'array<f32>' },
    { binding: 2, name: 'y_out', access: 'read_write', type: 'array<f32>' },
    { binding: 3, name: 'y', access: 'read', type: 'array<f32>' },
    { binding: 4, name: 'dy', access: 'read', type: 'array<f32>' },
    { binding: 5, name: 'dz_out', access: 'read_write', type: 'array<f32>' },
  ],
  overrides: { ACTIVATION: { type: 'u32', default: 0 }, ...LINEAR_WORKGROUP_OVERRIDE },
  entryPoints: {
    apply: linearEntryPoint(['params', 'z', 'y_out'], ['ACTIVATION']),
    gradient: linearEntryPoint(['params', 'y', 'dy', 'dz_out'], ['ACTIVATION']),
  },
};

function prepare(
  ctx: GpuContext,
  entry: 'apply' | 'gradient',
  activation: Activation,
  count: number,
  resources: Record<string, BufferResource>,
  slots: number,
): BoundKernel {
  const pipeline = ctx.kernels.pipeline(ACTIVATION_KERNEL, entry, { ACTIVATION: activationCode(activation) });
  const kernel = new BoundKernel(ctx, pipeline, resources, linearWorkgroups(count, LINEAR_WORKGROUP, ctx.device), slots);
  for (let slot = 0; slot < slots; slot++) kernel.stageParams({ count }, slot);
  kernel.upload();
  return kernel;
}

/** y = act(z) over (up to) `count` elements; `slots` uniform slots, each set to `count`. */
export function activationApply(
  ctx: GpuContext,
  activation: Activation,
  count: number,
  buffers: { z: BufferResource; y: BufferResource },
  slots = 1,
): BoundKernel {
  return prepare(ctx, 'apply', activation, count, { z: buffers.z, y_out: buffers.y }, slots);
}

/** dz = dy ⊙ act'(y) over (up to) `count` elements, from the activation's output y. */
export function activationGradient(
  ctx: GpuContext,
  activation: Activation,
  count: number,
  buffers: { y: BufferResource; dy: BufferResource; dz: BufferResource },
  slots = 1,
): BoundKernel {
  return prepare(ctx, 'gradient', activation, count, { y: buffers.y, dy: buffers.dy, dz_out: buffers.dz }, slots);
}
