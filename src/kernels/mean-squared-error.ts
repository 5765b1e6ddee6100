import type { GpuContext } from '../gpu/context.js';
import { MEAN_SQUARED_ERROR_KERNEL as MSE_KERNEL } from './generated/mean_squared_error.js';
import { lossDispatch, type LossBuffers, type LossDispatch, type LossOptions } from './metrics.js';

// Spec generated from shaders/mean_squared_error.wgsl: Keras's mean squared error, its gradient and the metric sums.
export { MSE_KERNEL };

/** Mean squared error of `rows` rows of `units` outputs; when training, writes dL/dprediction. */
export function meanSquaredError(
  ctx: GpuContext,
  rows: number,
  buffers: LossBuffers,
  options: LossOptions & { readonly units: number },
): LossDispatch {
  const pipeline = ctx.kernels.pipeline(MSE_KERNEL, options.train ? 'mse_train' : 'mse_eval', { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  return lossDispatch(ctx, pipeline, 'prediction', rows, buffers, options, { units: options.units });
}
