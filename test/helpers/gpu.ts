import { after, before } from 'node:test';
import { GpuContext } from '../../src/gpu/context.js';

/**
 * One GPU context per test file, created before its tests and disposed after them. A missing
 * adapter fails the tests (never skips them): CI installs SwiftShader so there always is one.
 */
export function useGpu(): () => GpuContext {
  let ctx: GpuContext | undefined;
  before(async () => {
    ctx = await GpuContext.create();
  });
  after(() => {
    ctx?.dispose();
  });
  return () => {
    if (!ctx) throw new Error('GPU context not ready: call the getter inside a test.');
    return ctx;
  };
}

/** Uploads numbers as an f32 storage buffer. */
export function upload(ctx: GpuContext, label: string, values: ArrayLike<number>): GPUBuffer {
  return ctx.createStorage(label, Float32Array.from(values));
}

/** An f32 storage buffer of `count` zeros. */
export function zeros(ctx: GpuContext, label: string, count: number): GPUBuffer {
  return ctx.createStorage(label, Math.max(1, count));
}
