import gridLib from '../../shaders/lib/grid.wgsl';
import softmaxWgsl from '../../shaders/softmax_crossentropy.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { linearWorkgroups, BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';
import { LossDispatch, lossResources, METRICS_LIB, SAMPLE_WEIGHT_LIB, type LossBuffers } from './metrics.js';

const LOSS_BINDINGS = ['params', 'logits', 'labels', 'metrics', 'sample_weight'];

/** shaders/softmax_crossentropy.wgsl: softmax fused into (sparse) categorical cross-entropy, and softmax alone. */
export const SOFTMAX_CROSSENTROPY_KERNEL: KernelSpec = {
  name: 'softmax_crossentropy',
  source: composeWgsl(METRICS_LIB, SAMPLE_WEIGHT_LIB, gridLib, softmaxWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'SoftmaxParams' },
    { binding: 1, name: 'logits', access: 'read', type: 'array<f32>' },
    { binding: 2, name: 'labels', access: 'read', type: 'array<f32>' },
    { binding: 3, name: 'gradient', access: 'read_write', type: 'array<f32>' },
    { binding: 4, name: 'metrics', access: 'read_write', type: 'Metrics' },
    { binding: 5, name: 'sample_weight', access: 'read', type: 'array<f32>' },
    { binding: 6, name: 'values', access: 'read_write', type: 'array<f32>' },
  ],
  overrides: { WEIGHTED: { type: 'bool', default: 0 }, ...LINEAR_WORKGROUP_OVERRIDE },
  entryPoints: {
    categorical_train: linearEntryPoint([...LOSS_BINDINGS, 'gradient'], ['WEIGHTED']),
    categorical_eval: linearEntryPoint(LOSS_BINDINGS, ['WEIGHTED']),
    sparse_train: linearEntryPoint([...LOSS_BINDINGS, 'gradient'], ['WEIGHTED']),
    sparse_eval: linearEntryPoint(LOSS_BINDINGS, ['WEIGHTED']),
    softmax: linearEntryPoint(['params', 'values']),
  },
};

export interface SoftmaxCrossentropyOptions {
  /** Logits per row (k ≥ 2). */
  readonly classes: number;
  /** True: one integer label per row (sparse); false: `classes` targets per row. */
  readonly sparse: boolean;
  /** False: accumulate the sums only (evaluation). */
  readonly train: boolean;
  readonly slots?: number;
}

/**
 * (Sparse) categorical cross-entropy from the logits of `rows` rows (`buffers.prediction`);
 * when training, writes dL/dlogits into `buffers.gradient`.
 */
export function softmaxCrossentropy(ctx: GpuContext, rows: number, buffers: LossBuffers, options: SoftmaxCrossentropyOptions): LossDispatch {
  const entry = `${options.sparse ? 'sparse' : 'categorical'}_${options.train ? 'train' : 'eval'}`;
  const resources = lossResources(buffers, 'logits', options.train, 'softmaxCrossentropy');
  const pipeline = ctx.kernels.pipeline(SOFTMAX_CROSSENTROPY_KERNEL, entry, { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  const kernel = new LossDispatch(ctx, pipeline, resources, [1, 1, 1], options.slots ?? 1, { classes: options.classes });
  for (let slot = 0; slot < kernel.uniforms.slots; slot++) kernel.stageWindow(rows, 0, slot);
  kernel.upload();
  return kernel;
}

/** Row-wise softmax, in place, of rows [firstRow, firstRow + rows) of a rows × classes matrix. */
export function softmaxRows(ctx: GpuContext, values: BufferResource, rows: number, classes: number, firstRow = 0): BoundKernel {
  const pipeline = ctx.kernels.pipeline(SOFTMAX_CROSSENTROPY_KERNEL, 'softmax');
  const kernel = new BoundKernel(ctx, pipeline, { values }, linearWorkgroups(rows, LINEAR_WORKGROUP, ctx.device));
  kernel.setParams({ rows, classes, label_row_offset: firstRow });
  return kernel;
}
