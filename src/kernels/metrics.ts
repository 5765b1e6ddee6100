import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import type { KernelPipeline } from '../gpu/registry.js';
import type { UniformValues } from '../gpu/uniforms.js';
import type { MetricSums } from '../spec/metrics.js';

/**
 * Bytes of one Metrics record: loss_sum f32 (first, by contract: other kernels add to it),
 * correct u32, seen u32, squared_error f32, absolute_error f32.
 */
export const METRICS_BYTES = 20;

export function decodeMetrics(bytes: ArrayBuffer, byteOffset = 0): MetricSums {
  const view = new DataView(bytes, byteOffset, METRICS_BYTES);
  return {
    lossSum: view.getFloat32(0, true),
    correct: view.getUint32(4, true),
    seen: view.getUint32(8, true),
    squaredError: view.getFloat32(12, true),
    absoluteError: view.getFloat32(16, true),
  };
}

/** The buffers of a loss dispatch, by the names the loss kernels share. */
export interface LossBuffers {
  /** The output layer's output: logits or probabilities, rows × units. */
  readonly prediction: BufferResource;
  readonly labels: BufferResource;
  /** Metrics record the sums are added to; clear it to start an epoch. */
  readonly metrics: BufferResource;
  /** dL/d(prediction) of the batch loss; required when training. */
  readonly gradient?: BufferResource;
  /** One weight per label row (Keras's sample_weight); none: every weight is 1. */
  readonly sampleWeight?: BufferResource;
}

/**
 * Binds a loss kernel's buffers (WGSL names); without sample weights the `sample_weight`
 * binding, never read then (WEIGHTED = false), gets the labels buffer as a stand-in.
 */
function lossResources(buffers: LossBuffers, predictionName: string, train: boolean, what: string): Record<string, BufferResource> {
  const resources: Record<string, BufferResource> = {
    [predictionName]: buffers.prediction,
    labels: buffers.labels,
    metrics: buffers.metrics,
    sample_weight: buffers.sampleWeight ?? buffers.labels,
  };
  if (train) {
    if (!buffers.gradient) throw new TypeError(`${what}: training needs a gradient buffer.`);
    resources['gradient'] = buffers.gradient;
  }
  return resources;
}

/**
 * A loss dispatch whose rows and label offset can be set per slot (per training step). One
 * workgroup reduces the whole batch (lib/metrics.wgsl). Every slot starts as `rows` rows from
 * label row 0.
 */
export class LossDispatch extends BoundKernel {
  constructor(
    ctx: GpuContext,
    kernel: KernelPipeline,
    resources: Readonly<Record<string, BufferResource>>,
    rows: number,
    slots: number,
    /** Uniform fields that never change (e.g. the number of classes). */
    private readonly fixed: UniformValues = {},
  ) {
    super(ctx, kernel, resources, [1, 1, 1], slots);
    for (let slot = 0; slot < slots; slot++) this.stageWindow(rows, 0, slot);
    this.upload();
  }

  /** Writes the rows and label offset of the dispatch recorded at `slot`; upload() sends them. */
  stageWindow(rows: number, labelRowOffset: number, slot = 0): this {
    return this.stageParams({ ...this.fixed, rows, label_row_offset: labelRowOffset }, slot);
  }

  /** stageWindow() and upload of that slot at once. */
  setWindow(rows: number, labelRowOffset: number, slot = 0): this {
    return this.setParams({ ...this.fixed, rows, label_row_offset: labelRowOffset }, slot);
  }
}

/** What a loss dispatch is made of besides its pipeline, shared by every loss kernel. */
export interface LossOptions {
  /** False: accumulate the sums only (evaluation; no gradient binding). */
  readonly train: boolean;
  readonly slots?: number;
}

/**
 * The one body of every loss factory: `pipeline` (an entry point of a loss kernel) over batches
 * of up to `rows` rows, its prediction bound under `predictionName`, `fixed` uniform fields set
 * in every slot.
 */
export function lossDispatch(
  ctx: GpuContext,
  pipeline: KernelPipeline,
  predictionName: string,
  rows: number,
  buffers: LossBuffers,
  options: LossOptions,
  fixed: UniformValues = {},
): LossDispatch {
  const resources = lossResources(buffers, predictionName, options.train, pipeline.label);
  return new LossDispatch(ctx, pipeline, resources, rows, options.slots ?? 1, fixed);
}
