import bceWgsl from '../../shaders/binary_crossentropy.wgsl';
import activationLib from '../../shaders/lib/activation.wgsl';
import bceLib from '../../shaders/lib/binary_crossentropy.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { composeWgsl, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';
import { LossDispatch, lossResources, METRICS_LIB, SAMPLE_WEIGHT_LIB, type LossBuffers } from './metrics.js';

/** shaders/binary_crossentropy.wgsl: loss gradient and GPU-side loss/accuracy sums. */
export const BCE_KERNEL: KernelSpec = {
  name: 'binary_crossentropy',
  source: composeWgsl(activationLib, METRICS_LIB, SAMPLE_WEIGHT_LIB, bceLib, bceWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'LossParams' },
    { binding: 1, name: 'prediction', access: 'read', type: 'array<f32>' },
    { binding: 2, name: 'labels', access: 'read', type: 'array<f32>' },
    { binding: 3, name: 'gradient', access: 'read_write', type: 'array<f32>' },
    { binding: 4, name: 'metrics', access: 'read_write', type: 'Metrics' },
    { binding: 5, name: 'sample_weight', access: 'read', type: 'array<f32>' },
  ],
  overrides: { WEIGHTED: { type: 'bool', default: 0 }, ...LINEAR_WORKGROUP_OVERRIDE },
  entryPoints: {
    logits_train: linearEntryPoint(['params', 'prediction', 'labels', 'gradient', 'metrics', 'sample_weight'], ['WEIGHTED']),
    logits_eval: linearEntryPoint(['params', 'prediction', 'labels', 'metrics', 'sample_weight'], ['WEIGHTED']),
    probs_train: linearEntryPoint(['params', 'prediction', 'labels', 'gradient', 'metrics', 'sample_weight'], ['WEIGHTED']),
    probs_eval: linearEntryPoint(['params', 'prediction', 'labels', 'metrics', 'sample_weight'], ['WEIGHTED']),
  },
};

export { decodeMetrics, LossDispatch, METRICS_BYTES, type MetricSums } from './metrics.js';

/** Buffers of binaryCrossentropy: predictions are logits (fromLogits) or probabilities, one per row. */
export type BceBuffers = LossBuffers;

export interface BceOptions {
  /** True: predictions are logits (stable fused form). False: probabilities (clipped form). */
  readonly fromLogits: boolean;
  /** False: accumulate loss and accuracy only (evaluation). */
  readonly train: boolean;
  readonly slots?: number;
}

/** Binary cross-entropy over `rows` predictions; see shaders/binary_crossentropy.wgsl. */
export function binaryCrossentropy(ctx: GpuContext, rows: number, buffers: BceBuffers, options: BceOptions): LossDispatch {
  const entry = `${options.fromLogits ? 'logits' : 'probs'}_${options.train ? 'train' : 'eval'}`;
  const resources = lossResources(buffers, 'prediction', options.train, 'binaryCrossentropy');
  const pipeline = ctx.kernels.pipeline(BCE_KERNEL, entry, { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  const kernel = new LossDispatch(ctx, pipeline, resources, [1, 1, 1], options.slots ?? 1);
  for (let slot = 0; slot < kernel.uniforms.slots; slot++) kernel.stageWindow(rows, 0, slot);
  kernel.upload();
  return kernel;
}
