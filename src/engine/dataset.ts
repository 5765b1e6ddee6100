import type { GpuContext } from '../gpu/context.js';

/** A dataset uploaded once and kept on the GPU: features row-major, one target row per sample. */
export class ResidentDataset {
  readonly x: GPUBuffer;
  readonly y: GPUBuffer | undefined;

  constructor(
    private readonly ctx: GpuContext,
    label: string,
    readonly rows: number,
    readonly features: number,
    x: Float32Array<ArrayBuffer>,
    y?: Float32Array<ArrayBuffer>,
  ) {
    this.x = ctx.createStorage(`${label} x`, x);
    this.y = y ? ctx.createStorage(`${label} y`, y) : undefined;
  }

  dispose(): void {
    this.ctx.destroyBuffer(this.x);
    if (this.y) this.ctx.destroyBuffer(this.y);
  }
}
