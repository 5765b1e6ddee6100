import mseWgsl from '../../shaders/mean_squared_error.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { composeWgsl, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';
import { LossDispatch, lossResources, METRICS_LIB, SAMPLE_WEIGHT_LIB, type LossBuffers } from './metrics.js';

const BINDINGS = ['params', 'prediction', 'labels', 'metrics', 'sample_weight'];

/** shaders/mean_squared_error.wgsl: Keras's mean squared error, its gradient and the metric sums. */
export const MSE_KERNEL: KernelSpec = {
  name: 'mean_squared_error',
  source: composeWgsl(METRICS_LIB, SAMPLE_WEIGHT_LIB, mseWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'MseParams' },
    { binding: 1, name: 'prediction', access: 'read', type: 'array<f32>' },
    { binding: 2, name: 'labels', access: 'read', type: 'array<f32>' },
    { binding: 3, name: 'gradient', access: 'read_write', type: 'array<f32>' },
    { binding: 4, name: 'metrics', access: 'read_write', type: 'Metrics' },
    { binding: 5, name: 'sample_weight', access: 'read', type: 'array<f32>' },
  ],
  overrides: { WEIGHTED: { type: 'bool', default: 0 }, ...LINEAR_WORKGROUP_OVERRIDE },
  entryPoints: {
    mse_train: linearEntryPoint([...BINDINGS, 'gradient'], ['WEIGHTED']),
    mse_eval: linearEntryPoint(BINDINGS, ['WEIGHTED']),
  },
};

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
