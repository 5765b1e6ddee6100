import bceWgsl from '../../shaders/binary_crossentropy.wgsl';
import activationLib from '../../shaders/lib/activation.wgsl';
import bceLib from '../../shaders/lib/binary_crossentropy.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';

/** shaders/binary_crossentropy.wgsl: loss gradient and GPU-side loss/accuracy sums. */
export const BCE_KERNEL: KernelSpec = {
  name: 'binary_crossentropy',
  source: composeWgsl(activationLib, bceLib, bceWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'LossParams' },
    { binding: 1, name: 'prediction', access: 'read', type: 'array<f32>' },
    { binding: 2, name: 'labels', access: 'read', type: 'array<f32>' },
    { binding: 3, name: 'gradient', access: 'read_write', type: 'array<f32>' },
    { binding: 4, name: 'metrics', access: 'read_write', type: 'Metrics' },
  ],
  overrides: LINEAR_WORKGROUP_OVERRIDE,
  entryPoints: {
    logits_train: linearEntryPoint(['params', 'prediction', 'labels', 'gradient', 'metrics']),
    logits_eval: linearEntryPoint(['params', 'prediction', 'labels', 'metrics']),
    probs_train: linearEntryPoint(['params', 'prediction', 'labels', 'gradient', 'metrics']),
    probs_eval: linearEntryPoint(['params', 'prediction', 'labels', 'metrics']),
  },
};

/** Bytes of one Metrics record: loss_sum f32, correct u32, seen u32. */
export const METRICS_BYTES = 12;

/** Running sums read back from a Metrics record. */
export interface MetricSums {
  readonly lossSum: number;
  readonly correct: number;
  readonly seen: number;
}

export function decodeMetrics(bytes: ArrayBuffer, byteOffset = 0): MetricSums {
  const view = new DataView(bytes, byteOffset, METRICS_BYTES);
  return { lossSum: view.getFloat32(0, true), correct: view.getUint32(4, true), seen: view.getUint32(8, true) };
}

export interface BceBuffers {
  /** Logits (fromLogits) or probabilities, one per row. */
  readonly prediction: BufferResource;
  readonly labels: BufferResource;
  /** Metrics record (12 bytes) the sums are added to; clear it to start an epoch. */
  readonly metrics: BufferResource;
  /** dL/d(prediction) for the batch mean; required when training. */
  readonly gradient?: BufferResource;
}

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
  const resources: Record<string, BufferResource> = {
    prediction: buffers.prediction,
    labels: buffers.labels,
    metrics: buffers.metrics,
  };
  if (options.train) {
    if (!buffers.gradient) throw new TypeError('binaryCrossentropy: training needs a gradient buffer.');
    resources['gradient'] = buffers.gradient;
  }
  const kernel = new LossDispatch(ctx, ctx.kernels.pipeline(BCE_KERNEL, entry), resources, [1, 1, 1], options.slots ?? 1);
  for (let slot = 0; slot < kernel.uniforms.slots; slot++) kernel.uniforms.set(slot, { rows, label_row_offset: 0 });
  kernel.uniforms.upload();
  return kernel;
}

/** A loss dispatch whose rows and label offset can be set per slot (per training step). */
export class LossDispatch extends BoundKernel {
  /** Writes the rows and label offset of the dispatch recorded at `slot`; upload() sends them. */
  stageWindow(rows: number, labelRowOffset: number, slot = 0): this {
    return this.stageParams({ rows, label_row_offset: labelRowOffset }, slot);
  }

  /** stageWindow() and upload of that slot at once. */
  setWindow(rows: number, labelRowOffset: number, slot = 0): this {
    return this.setParams({ rows, label_row_offset: labelRowOffset }, slot);
  }
}
