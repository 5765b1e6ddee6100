import { ShapeError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';

/**
 * A dataset uploaded once and kept on the GPU: features row-major, one target row per sample,
 * and optionally one loss weight per sample (Keras's sample_weight).
 */
export class ResidentDataset {
  readonly x: GPUBuffer;
  readonly y: GPUBuffer | undefined;
  readonly weights: GPUBuffer | undefined;

  constructor(
    private readonly ctx: GpuContext,
    label: string,
    readonly rows: number,
    readonly features: number,
    x: Float32Array<ArrayBuffer>,
    y?: Float32Array<ArrayBuffer>,
    weights?: Float32Array<ArrayBuffer>,
  ) {
    this.x = ctx.createStorage(`${label} x`, x);
    this.y = y ? ctx.createStorage(`${label} y`, y) : undefined;
    this.weights = weights ? ctx.createStorage(`${label} sample weights`, weights) : undefined;
  }

  /** Replaces the contents with data of the same shape (plans built on this dataset stay valid). */
  write(x: Float32Array<ArrayBuffer>, y?: Float32Array<ArrayBuffer>, weights?: Float32Array<ArrayBuffer>): void {
    if (x.length !== this.rows * this.features)
      throw new ShapeError(`Expected ${this.rows}×${this.features} features, got ${x.length} values.`);
    this.ctx.device.queue.writeBuffer(this.x, 0, x);
    if (y) {
      if (!this.y || y.byteLength > this.y.size)
        throw new ShapeError(`Expected at most ${this.y ? this.y.size / 4 : 0} targets, got ${y.length}.`);
      this.ctx.device.queue.writeBuffer(this.y, 0, y);
    }
    if (weights) {
      if (!this.weights || weights.length !== this.rows)
        throw new ShapeError(`Expected ${this.weights ? this.rows : 0} sample weights, got ${weights.length}.`);
      this.ctx.device.queue.writeBuffer(this.weights, 0, weights);
    }
  }

  dispose(): void {
    this.ctx.destroyBuffer(this.x);
    if (this.y) this.ctx.destroyBuffer(this.y);
    if (this.weights) this.ctx.destroyBuffer(this.weights);
  }
}
