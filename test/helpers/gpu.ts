import { afterEach, before, beforeEach } from 'node:test';
import { GpuContext } from '../../src/gpu/context.js';
import { setDefaultGpu } from '../../src/gpu/default.js';

/**
 * The GPU context of this test process: one device, so one KernelRegistry, whose compiled
 * pipelines every test of every file run in the process shares (`npm run test:unit` runs the
 * GPU test files in one process: see the `tests` target of esbuild.mjs). Models made without a
 * `gpu` option use it too (it is the default GPU). Never disposed: it lives as long as the process.
 */
let shared: Promise<GpuContext> | undefined;
let ready: GpuContext | undefined;

/** What the running test allocated and WebGPU reported, between its beforeEach and afterEach. */
interface TestWatch {
  readonly buffers: GPUBuffer[];
  readonly uncaptured: string[];
  allowed: RegExp | undefined;
}
let watch: TestWatch | undefined;
/** Uncaptured errors raised while no test was running (in a before hook, say): the next test reports them. */
const stray: string[] = [];

function sharedContext(): Promise<GpuContext> {
  // A test that lost or disposed the device takes it from the files after it: they get a new one.
  if (ready && (ready.isLost || ready.isDisposed)) {
    shared = undefined;
    ready = undefined;
  }
  shared ??= GpuContext.create().then((ctx) => {
    // Every buffer goes through createBuffer (createStorage and the library's allocations too):
    // a test's own buffers are recorded, and destroyed after it unless it freed them.
    const createBuffer = ctx.createBuffer.bind(ctx);
    ctx.createBuffer = (label, size, usage) => {
      const buffer = createBuffer(label, size, usage);
      watch?.buffers.push(buffer);
      return buffer;
    };
    ctx.device.addEventListener('uncapturederror', (event) => {
      (watch?.uncaptured ?? stray).push((event as GPUUncapturedErrorEvent).error.message);
    });
    setDefaultGpu(ctx);
    ready = ctx;
    return ctx;
  });
  return shared;
}

/** Resolves once the GPU has run what was submitted and Dawn has delivered its events (uncaptured errors). */
async function settle(ctx: GpuContext): Promise<void> {
  if (ctx.isLost || ctx.isDisposed) return;
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise((resolve) => (timer = setTimeout(resolve, 2000))); // a wedged queue is the test's failure, not the hook's
  await Promise.race([ctx.device.queue.onSubmittedWorkDone().catch(() => undefined), giveUp]);
  clearTimeout(timer);
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The process's GPU context, for the tests of the calling file (or describe block). Around each
 * of its tests: a WebGPU error raised outside any error scope (an uncaptured error, e.g. from a
 * pipeline that failed to compile) fails the test unless it called `allowUncapturedErrors`, and
 * the GPU buffers the test created and did not free are destroyed, so no test sees another's
 * allocations. A missing adapter fails the tests (never skips them): CI installs SwiftShader
 * so there always is one.
 */
export function useGpu(): () => GpuContext {
  before(async () => {
    await sharedContext();
  });
  beforeEach(() => {
    watch = { buffers: [], uncaptured: stray.splice(0), allowed: undefined };
  });
  afterEach(async (t) => {
    const current = watch;
    if (!current || !ready) return;
    await settle(ready);
    watch = undefined;
    for (const buffer of current.buffers) ready.destroyBuffer(buffer);
    const unexpected = current.uncaptured.filter((message) => !current.allowed?.test(message));
    if (unexpected.length > 0) {
      throw new Error(`'${t.name}' raised ${unexpected.length} uncaptured WebGPU error(s):\n  - ${unexpected.join('\n  - ')}`);
    }
  });
  return () => {
    if (!ready) throw new Error('GPU context not ready: call the getter inside a test.');
    return ready;
  };
}

/** Lets the running test raise uncaptured WebGPU errors matching `pattern` (tests of error reporting). */
export function allowUncapturedErrors(pattern: RegExp): void {
  if (!watch) throw new Error('allowUncapturedErrors() is for the body of a test that uses useGpu().');
  watch.allowed = pattern;
}

/** Uploads numbers as an f32 storage buffer. */
export function upload(ctx: GpuContext, label: string, values: ArrayLike<number>): GPUBuffer {
  return ctx.createStorage(label, Float32Array.from(values));
}

/** An f32 storage buffer of `count` zeros. */
export function zeros(ctx: GpuContext, label: string, count: number): GPUBuffer {
  return ctx.createStorage(label, Math.max(1, count));
}
