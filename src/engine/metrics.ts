import type { GpuContext } from '../gpu/context.js';
import { decodeMetrics, METRICS_BYTES } from '../kernels/metrics.js';
import type { MetricSums } from '../spec/metrics.js';

/**
 * GPU-side loss/accuracy accumulators (one Metrics record per purpose, e.g. training and
 * validation) and the staging buffer they are read through: cleared at the start of an epoch
 * in the same command buffer, copied once at its end, read with one map.
 */
export class MetricsBuffer {
  readonly buffer: GPUBuffer;
  private readonly staging: GPUBuffer;
  private readonly stride: number;

  constructor(
    private readonly ctx: GpuContext,
    readonly records: number,
  ) {
    this.stride = Math.max(ctx.limits.minStorageBufferOffsetAlignment, METRICS_BYTES);
    this.buffer = ctx.createStorage('metrics', (this.stride * records) / 4);
    this.staging = ctx.createBuffer('metrics staging', this.stride * records, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /** The binding of record `index` (what a loss kernel accumulates into). */
  record(index: number): GPUBufferBinding {
    return { buffer: this.buffer, offset: index * this.stride, size: METRICS_BYTES };
  }

  clear(encoder: GPUCommandEncoder): void {
    encoder.clearBuffer(this.buffer);
  }

  /** Records the copy that read() will map; encode it last in the command buffer. */
  copyOut(encoder: GPUCommandEncoder): void {
    encoder.copyBufferToBuffer(this.buffer, 0, this.staging, 0, this.stride * this.records);
  }

  /** Maps the staging copy (one round trip, after the submit that holds copyOut). */
  async read(): Promise<MetricSums[]> {
    return (await this.readAll()).sums;
  }

  /** Like read(), plus the first 32-bit word of every record (for records used as flags). */
  async readAll(): Promise<{ readonly sums: MetricSums[]; readonly words: number[] }> {
    await this.ctx.guard(this.staging.mapAsync(GPUMapMode.READ));
    try {
      const bytes = this.staging.getMappedRange().slice(0);
      const records = Array.from({ length: this.records }, (_, i) => i * this.stride);
      return {
        sums: records.map((offset) => decodeMetrics(bytes, offset)),
        words: records.map((offset) => new DataView(bytes).getUint32(offset, true)),
      };
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
