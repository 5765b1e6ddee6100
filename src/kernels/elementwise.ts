import activationWgsl from '../../shaders/activation.wgsl';
import activationLib from '../../shaders/lib/activation.wgsl';
import gridLib from '../../shaders/lib/grid.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';
import { activationCode, resolveAlpha, type Activation } from './activations.js';
import { slopeInput } from './dense.js';


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
  overrides: { ACTIVATION: { type: 'u32', default: 0 }, ACTIVATION_ALPHA: { type: 'f32', default: 0 }, ...LINEAR_WORKGROUP_OVERRIDE },
  entryPoints: {
    apply: linearEntryPoint(['params', 'z', 'y_out'], ['ACTIVATION', 'ACTIVATION_ALPHA']),
    gradient: linearEntryPoint(['params', 'y', 'dy', 'dz_out'], ['ACTIVATION', 'ACTIVATION_ALPHA']),
  },
};

function prepare(
  ctx: GpuContext,
  entry: 'apply' | 'gradient',
  activation: Activation,
  count: number,
  resources: Record<string, BufferResource>,
  slots: number,
  alpha: number | undefined,
): BoundKernel {
  const pipeline = ctx.kernels.pipeline(ACTIVATION_KERNEL, entry, { ACTIVATION: activationCode(activation), ACTIVATION_ALPHA: resolveAlpha(activation, alpha) });
  const kernel = new BoundKernel(ctx, pipeline, resources, linearWorkgroups(count, LINEAR_WORKGROUP, ctx.device), slots);
  for (let slot = 0; slot < slots; slot++) kernel.stageParams({ count }, slot);
  kernel.upload();
  return kernel;
}

/**
 * y = act(z) over (up to) `count` elements; `slots` uniform slots, each set to `count`.
 * `alpha`: leaky_relu's / elu's parameter (their Keras default when omitted).
 */
export function activationApply(
  ctx: GpuContext,
  activation: Activation,
  count: number,
  buffers: { z: BufferResource; y: BufferResource },
  slots = 1,
  alpha?: number,
): BoundKernel {
  return prepare(ctx, 'apply', activation, count, { z: buffers.z, y_out: buffers.y }, slots, alpha);
}

/**
 * dz = dy ⊙ act'(z) over (up to) `count` elements, from the activation's output y — or, for
 * gelu and swish, from its input z (`z` is then required; see slopeNeedsPreActivation).
 */
export function activationGradient(
  ctx: GpuContext,
  activation: Activation,
  count: number,
  buffers: { y: BufferResource; z?: BufferResource; dy: BufferResource; dz: BufferResource },
  slots = 1,
  alpha?: number,
): BoundKernel {
  const saved = slopeInput(activation, buffers.y, buffers.z, 'activationGradient');
  return prepare(ctx, 'gradient', activation, count, { y: saved, dy: buffers.dy, dz_out: buffers.dz }, slots, alpha);
}
