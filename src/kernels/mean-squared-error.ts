import type { GpuContext } from '../gpu/context.js';
import { MEAN_SQUARED_ERROR_KERNEL as MSE_KERNEL } from './generated/mean_squared_error.js';
import { LossDispatch, lossResources, type LossBuffers } from './metrics.js';

// Spec generated from shaders/mean_squared_error.wgsl: Keras's mean squared error, its gradient and the metric sums.
export { MSE_KERNEL };

/** Mean squared error of `rows` rows of `units` outputs; when training, writes dL/dprediction. */
export function meanSquaredError(
  ctx: GpuContext,
  rows: number,
  buffers: LossBuffers,
  options: { readonly units: number; readonly train: boolean; readonly slots?: number },
): LossDispatch {
  const resources = lossResources(buffers, 'prediction', options.train, 'meanSquaredError');
  const pipeline = ctx.kernels.pipeline(MSE_KERNEL, options.train ? 'mse_train' : 'mse_eval', { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  const kernel = new LossDispatch(ctx, pipeline, resources, [1, 1, 1], options.slots ?? 1, { units: options.units });
  for (let slot = 0; slot < kernel.uniforms.slots; slot++) kernel.stageWindow(rows, 0, slot);
  kernel.upload();
  return kernel;
}
