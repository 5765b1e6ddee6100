import { ValueError } from '../errors.js';
import { GpuContext } from './context.js';

let shared: Promise<GpuContext> | undefined;

/**
 * The GPU that models use unless given one: requested on first use and shared by every model,
 * replaced by a fresh one if it was lost or disposed.
 */
export async function defaultGpu(): Promise<GpuContext> {
  if (shared) {
    const ctx = await shared.catch(() => undefined);
    if (ctx && !ctx.isLost && !ctx.isDisposed) return ctx;
  }
  shared = GpuContext.create();
  return shared;
}

/** Makes `ctx` the GPU that models use by default. */
export function setDefaultGpu(ctx: GpuContext): void {
  // Checked here: a wrong value would only fail later, in whichever model first used it.
  if (!(ctx instanceof GpuContext)) throw new ValueError('setDefaultGpu takes a GpuContext (from requestGpu()).');
  shared = Promise.resolve(ctx);
}
