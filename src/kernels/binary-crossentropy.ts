import type { GpuContext } from '../gpu/context.js';
import { BINARY_CROSSENTROPY_KERNEL as BCE_KERNEL } from './generated/binary_crossentropy.js';
import { LossDispatch, lossResources, type LossBuffers } from './metrics.js';

// Spec generated from shaders/binary_crossentropy.wgsl: loss gradient and GPU-side loss/accuracy sums.
export { BCE_KERNEL };

export { decodeMetrics, LossDispatch, METRICS_BYTES } from './metrics.js';

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
  const entry = `${options.fromLogits ? 'logits' : 'probs'}_${options.train ? 'train' : 'eval'}` as const;
  const resources = lossResources(buffers, 'prediction', options.train, 'binaryCrossentropy');
  const pipeline = ctx.kernels.pipeline(BCE_KERNEL, entry, { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  const kernel = new LossDispatch(ctx, pipeline, resources, [1, 1, 1], options.slots ?? 1);
  for (let slot = 0; slot < kernel.uniforms.slots; slot++) kernel.stageWindow(rows, 0, slot);
  kernel.upload();
  return kernel;
}
