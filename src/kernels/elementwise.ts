import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { activationCode, resolveAlpha, type Activation } from '../spec/activations.js';
import { slopeInput } from './dense.js';
import { ELEMENTWISE_KERNEL } from './generated/elementwise.js';

// Spec generated from shaders/elementwise.wgsl: element-wise activation and its gradient.
export { ELEMENTWISE_KERNEL };

function prepare(
  ctx: GpuContext,
  entry: 'apply' | 'gradient',
  activation: Activation,
  count: number,
  resources: Record<string, BufferResource>,
  slots: number,
  alpha: number | undefined,
): BoundKernel {
  const pipeline = ctx.kernels.pipeline(ELEMENTWISE_KERNEL, entry, {
    ACTIVATION: activationCode(activation),
    ACTIVATION_ALPHA: resolveAlpha(activation, alpha),
  });
  const kernel = new BoundKernel(ctx, pipeline, resources, linearWorkgroups(count, pipeline.workgroupSize[0], ctx.device), slots);
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
