import type { GpuContext } from '../gpu/context.js';
import { decodeMetrics, METRICS_BYTES } from '../kernels/metrics.js';
import { addMetricSums, type MetricSums } from '../spec/metrics.js';

/**
 * Per-workgroup records that are part of one record's sums: kernels whose workgroups share a
 * batch (the fused MLP step) add to a record each, and read() adds them to `record` in slot
 * order, so the sums need no atomics and no extra dispatch.
 */
export interface MetricSlots {
  readonly record: number;
  readonly slots: number;
}

/**
 * GPU-side loss/accuracy accumulators (one Metrics record per purpose, e.g. training and
 * validation, and any MetricSlots after them) and the staging buffer they are read through:
 * cleared at the start of an epoch in the same command buffer, copied once at its end, read
 * with one map.
 */
export class MetricsBuffer {
  readonly buffer: GPUBuffer;
  private readonly staging: GPUBuffer;
  private readonly stride: number;
  private readonly bytes: number;

  constructor(
    private readonly ctx: GpuContext,
    readonly records: number,
    private readonly slots?: MetricSlots,
  ) {
    this.stride = Math.max(ctx.limits.minStorageBufferOffsetAlignment, METRICS_BYTES);
    // Slot records are packed (an array<Metrics> binding), after the aligned records.
    this.bytes = this.stride * records + (slots?.slots ?? 0) * METRICS_BYTES;
    this.buffer = ctx.createStorage('metrics', Math.ceil(this.bytes / 4));
    this.staging = ctx.createBuffer('metrics staging', Math.ceil(this.bytes / 4) * 4, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /** The binding of record `index` (what a loss kernel accumulates into). */
  record(index: number): GPUBufferBinding {
    return { buffer: this.buffer, offset: index * this.stride, size: METRICS_BYTES };
  }

  /** The binding of the slot records (an array of Metrics); undefined without slots. */
  slotRecords(): GPUBufferBinding | undefined {
    if (!this.slots) return undefined;
    return { buffer: this.buffer, offset: this.records * this.stride, size: this.slots.slots * METRICS_BYTES };
  }

  clear(encoder: GPUCommandEncoder): void {
    encoder.clearBuffer(this.buffer);
  }

  /** Records the copy that read() will map; encode it last in the command buffer. */
  copyOut(encoder: GPUCommandEncoder): void {
    encoder.copyBufferToBuffer(this.buffer, 0, this.staging, 0, this.staging.size);
  }

  /** Maps the staging copy (one round trip, after the submit that holds copyOut). */
  async read(): Promise<MetricSums[]> {
    return (await this.readAll()).sums;
  }

  /**
   * Like read(), plus the first 32-bit word of every record (for records used as flags). The
   * slot records are added into their record's sums.
   */
  async readAll(): Promise<{ readonly sums: MetricSums[]; readonly words: number[] }> {
    await this.ctx.guard(this.staging.mapAsync(GPUMapMode.READ));
    try {
      const bytes = this.staging.getMappedRange().slice(0);
      const records = Array.from({ length: this.records }, (_, i) => i * this.stride);
      const sums = records.map((offset) => decodeMetrics(bytes, offset));
      if (this.slots) {
        const first = this.records * this.stride;
        for (let slot = 0; slot < this.slots.slots; slot++) {
          sums[this.slots.record] = addMetricSums(sums[this.slots.record]!, decodeMetrics(bytes, first + slot * METRICS_BYTES));
        }
      }
      return { sums, words: records.map((offset) => new DataView(bytes).getUint32(offset, true)) };
    } finally {
      this.staging.unmap();
    }
  }

  dispose(): void {
    this.ctx.destroyBuffer(this.buffer);
    this.ctx.destroyBuffer(this.staging);
  }
}

/** Means over the rows seen from GPU sums (NaN when nothing was seen). */
export function meanMetrics(sums: MetricSums): { loss: number; accuracy: number; meanSquaredError: number; meanAbsoluteError: number } {
  return {
    loss: sums.lossSum / sums.seen,
    accuracy: sums.correct / sums.seen,
    meanSquaredError: sums.squaredError / sums.seen,
    meanAbsoluteError: sums.absoluteError / sums.seen,
  };
}
