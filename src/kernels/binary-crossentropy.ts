import type { GpuContext } from '../gpu/context.js';
import { BINARY_CROSSENTROPY_KERNEL as BCE_KERNEL } from './generated/binary_crossentropy.js';
import { lossDispatch, type LossBuffers, type LossDispatch, type LossOptions } from './metrics.js';

// Spec generated from shaders/binary_crossentropy.wgsl: loss gradient and GPU-side loss/accuracy sums.
export { BCE_KERNEL };

export { decodeMetrics, LossDispatch, METRICS_BYTES } from './metrics.js';

/** Buffers of binaryCrossentropy: predictions are logits (fromLogits) or probabilities, one per row. */
export type BceBuffers = LossBuffers;

export interface BceOptions extends LossOptions {
  /** True: predictions are logits (stable fused form). False: probabilities (clipped form). */
  readonly fromLogits: boolean;
}

/** Binary cross-entropy over `rows` predictions; see shaders/binary_crossentropy.wgsl. */
export function binaryCrossentropy(ctx: GpuContext, rows: number, buffers: BceBuffers, options: BceOptions): LossDispatch {
  const entry = `${options.fromLogits ? 'logits' : 'probs'}_${options.train ? 'train' : 'eval'}` as const;
  const pipeline = ctx.kernels.pipeline(BCE_KERNEL, entry, { WEIGHTED: buffers.sampleWeight ? 1 : 0 });
  return lossDispatch(ctx, pipeline, 'prediction', rows, buffers, options);
}
