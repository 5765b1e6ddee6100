import { DeviceLostError, GpuError, StateError } from '../errors.js';
import { isNode } from '../runtime.js';
import { acquireAdapter, type AdapterReport, type AdapterRequest } from './adapter.js';
import { KernelRegistry, type PipelineCompilation } from './registry.js';
import type { WebGpuDevice, WebGpuSupportedLimits } from './webgpu-types.js';

/** Uncaptured errors kept for later error messages. */
const MAX_UNCAPTURED = 5;

/** How long a failed GPU wait waits for the device-lost event that may explain it. */
const LOSS_GRACE_MS = 250;

/** Live GPU memory owned through one context: what `dispose()` must bring back to zero. */
export interface GpuMemoryReport {
  readonly buffers: number;
  readonly bytes: number;
}

export interface GpuContextOptions extends AdapterRequest {
  /** Use this device instead of requesting one (its owner keeps the right to destroy it). */
  readonly device?: WebGpuDevice;
  /**
   * How pipelines are created when a plan first needs them: `async` (createComputePipelineAsync,
   * in the background and in parallel, awaited before the first submit) or `sync`. Default:
   * `async` in browsers, `sync` in Node, where Dawn compiles async ones no faster (README,
   * "Cold start"). `model.warm()` compiles ahead either way.
   */
  readonly pipelineCompilation?: PipelineCompilation;
}

/** The default of GpuContextOptions.pipelineCompilation for this runtime. */
function defaultCompilation(): PipelineCompilation {
  return isNode() ? 'sync' : 'async';
}

/**
 * One WebGPU device and everything shadernet keeps per device: the kernel registry
 * (pipelines, layouts), the buffers it allocated, and the device-loss watch.
 *
 * Every wait on the GPU goes through `guard()`, which rejects with `DeviceLostError` as soon
 * as the device is lost, so a lost device never turns into a hung promise.
 */
export class GpuContext {
  /** @internal */
  readonly kernels: KernelRegistry;
  /** The device's limits. */
  readonly limits: WebGpuSupportedLimits;
  private readonly liveBuffers = new Map<GPUBuffer, number>();
  private lostError: DeviceLostError | undefined;
  /** Errors WebGPU raised outside any error scope (e.g. while creating a pipeline), newest last. */
  private readonly uncaptured: string[] = [];
  private readonly lost: Promise<never>;
  private disposed = false;

  private constructor(
    /** The WebGPU device, for WebGPU work of your own beside shadernet's. */
    readonly device: WebGpuDevice,
    readonly adapter: AdapterReport,
    private readonly ownsDevice: boolean,
    /** Holds the Node `GPU` instance alive while the device is in use. */
    private readonly keepAlive: unknown,
    compilation: PipelineCompilation,
  ) {
    this.limits = device.limits;
    this.lost = device.lost.then((info) => {
      this.lostError = new DeviceLostError(`The GPU device was lost (${info.reason}): ${info.message || 'no message'}.`, info.reason);
      throw this.lostError;
    });
    // Nobody may be waiting when the device goes; the rejection is still observed via guard().
    this.lost.catch(() => undefined);
    this.kernels = new KernelRegistry(device, compilation);
    // Pipeline and layout creation report their errors here; later failures quote them, since
    // WebGPU itself only says "invalid due to a previous error".
    device.addEventListener('uncapturederror', (event) => {
      this.uncaptured.push((event as GPUUncapturedErrorEvent).error.message);
      if (this.uncaptured.length > MAX_UNCAPTURED) this.uncaptured.shift();
    });
  }

  /** Recent WebGPU errors raised outside error scopes (at most the last few). */
  get uncapturedErrors(): readonly string[] {
    return this.uncaptured;
  }

  /** Requests an adapter and a device with the adapter's full storage limits. */
  static async create(options: GpuContextOptions = {}): Promise<GpuContext> {
    const compilation = options.pipelineCompilation ?? defaultCompilation();
    if (options.device) return new GpuContext(options.device, externalReport(), false, undefined, compilation);
    const { adapter, report, owner } = await acquireAdapter(options);
    const wanted: Record<string, number> = {};
    // Datasets and weights live on the GPU: ask for as much buffer space as the adapter has;
    // fused MLP kernels keep a tile's activations in workgroup memory: as much of that too.
    for (const name of ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize'] as const) {
      wanted[name] = adapter.limits[name];
    }
    const device = await adapter.requestDevice({ requiredLimits: wanted, label: 'shadernet' });
    return new GpuContext(device, report, true, owner, compilation);
  }

  /** True once the device is lost. */
  get isLost(): boolean {
    return this.lostError !== undefined;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal Throws the state or device-loss error that makes this context unusable, if any. */
  assertUsable(): void {
    if (this.disposed) throw new StateError('This GpuContext was disposed; create a new one.');
    if (this.lostError) throw this.lostError;
  }

  /** @internal
   * Resolves like `work`, or rejects with `DeviceLostError` the moment the device is lost.
   * Work that fails because the device is going away (a map aborted by destroy(), say) is
   * reported as the loss, not as the secondary error.
   */
  guard<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work.catch((error: unknown) => this.explain(error)), this.lost]);
  }

  private async explain(error: unknown): Promise<never> {
    if (this.lostError) throw this.lostError;
    // The lost promise may settle just after the failure it caused: give it a moment.
    const settled = await Promise.race([
      this.lost.catch((lost: unknown) => lost),
      new Promise((resolve) => setTimeout(resolve, LOSS_GRACE_MS)),
    ]);
    throw settled instanceof DeviceLostError ? settled : error;
  }

  /** @internal */
  createBuffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    this.assertUsable();
    // WebGPU requires 4-byte multiples for copies and writes; zero-size bindings are invalid.
    const bytes = Math.max(4, Math.ceil(size / 4) * 4);
    if (bytes > this.limits.maxBufferSize) {
      throw new GpuError(`Buffer '${label}' needs ${bytes} bytes; this device allows at most ${this.limits.maxBufferSize}.`);
    }
    const buffer = this.device.createBuffer({ label, size: bytes, usage });
    this.liveBuffers.set(buffer, bytes);
    return buffer;
  }

  /** @internal A storage buffer holding `data` (f32 or u32), copyable in both directions. */
  createStorage(label: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | number, extraUsage = 0): GPUBuffer {
    const size = typeof data === 'number' ? data * 4 : data.byteLength;
    const buffer = this.createBuffer(label, size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extraUsage);
    if (typeof data !== 'number' && data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  }

  /** @internal */
  destroyBuffer(buffer: GPUBuffer): void {
    if (this.liveBuffers.delete(buffer)) buffer.destroy();
  }

  /** @internal True while `buffer` was created through this context and not destroyed since. */
  isLive(buffer: GPUBuffer): boolean {
    return this.liveBuffers.has(buffer);
  }

  /** Live GPU buffers and bytes allocated through this context: `dispose()` brings them back to zero. */
  memory(): GpuMemoryReport {
    let bytes = 0;
    for (const size of this.liveBuffers.values()) bytes += size;
    return { buffers: this.liveBuffers.size, bytes };
  }

  /** @internal Copies `byteLength` bytes of `source` to the CPU; one round trip. */
  async read(source: GPUBuffer, byteOffset = 0, byteLength = source.size - byteOffset): Promise<ArrayBuffer> {
    const [bytes] = await this.readRanges([{ buffer: source, offset: byteOffset, size: byteLength }]);
    return bytes!;
  }

  /** @internal */
  async readFloats(source: GPUBuffer, offset = 0, count = source.size / 4 - offset): Promise<Float32Array> {
    return new Float32Array(await this.read(source, offset * 4, count * 4));
  }

  /** @internal
   * Copies several buffer ranges to the CPU with one submit and one map. When `encoder` is
   * given, the copies are appended to it and it is submitted here, so the reads see exactly
   * the work recorded before them in the same command buffer. A WebGPU error in that submit
   * (a destroyed buffer, say) throws a GpuError naming `what` instead of returning zeros.
   */
  async readRanges(ranges: readonly Required<GPUBufferBinding>[], encoder?: GPUCommandEncoder, what = 'read'): Promise<ArrayBuffer[]> {
    this.assertUsable();
    // Each range starts 4-byte aligned in the staging buffer (copy offsets must be multiples of 4).
    const starts: number[] = [];
    let total = 0;
    for (const range of ranges) {
      starts.push(total);
      total += Math.ceil(range.size / 4) * 4;
    }
    const staging = this.createBuffer('read staging', total, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    try {
      const verdict = this.captureErrors(what, () => {
        const commands = encoder ?? this.device.createCommandEncoder({ label: what });
        ranges.forEach((range, i) =>
          commands.copyBufferToBuffer(range.buffer, range.offset, staging, starts[i]!, Math.ceil(range.size / 4) * 4),
        );
        this.device.queue.submit([commands.finish()]);
      });
      await this.guard(staging.mapAsync(GPUMapMode.READ));
      const mapped = staging.getMappedRange();
      const bytes = ranges.map((range, i) => mapped.slice(starts[i]!, starts[i]! + range.size));
      await this.assertNoErrors([verdict]);
      return bytes;
    } finally {
      this.destroyBuffer(staging);
    }
  }

  /** @internal
   * Waits until every pipeline requested so far has compiled (see KernelRegistry.ready): what a
   * plan awaits before its first encode. Rejects with the GpuError of a pipeline that failed,
   * or with the device loss.
   */
  async pipelinesReady(): Promise<void> {
    this.assertUsable();
    if (this.kernels.pendingCount > 0) await this.guard(this.kernels.ready());
  }

  /** @internal Waits until the GPU has finished everything submitted so far. */
  async finish(): Promise<void> {
    this.assertUsable();
    await this.guard(this.device.queue.onSubmittedWorkDone());
  }

  /** @internal
   * Runs `work` (encoding and submitting GPU commands) inside internal, out-of-memory and
   * validation error scopes, pushed and popped in this one synchronous block so that work
   * running concurrently on the device never catches another's errors. Returns the scopes'
   * verdict, to await after the reads that depend on the work (see `assertNoErrors`): a
   * GpuError naming `what`, or undefined. Every submit of shadernet goes through here.
   */
  captureErrors(what: string, work: () => void): Promise<GpuError | undefined> {
    this.device.pushErrorScope('internal');
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    try {
      work();
    } catch (error) {
      void this.popScopes(what).catch(() => undefined); // popped all the same: the scope stack stays balanced
      throw error;
    }
    return this.popScopes(what);
  }

  private popScopes(what: string): Promise<GpuError | undefined> {
    const device = this.device;
    return Promise.all([device.popErrorScope(), device.popErrorScope(), device.popErrorScope()]).then((errors) => {
      const first = errors.find((error) => error !== null);
      return first ? new GpuError(`WebGPU error in ${what}: ${first.message}${this.earlierErrors()}`) : undefined;
    });
  }

  /** @internal Waits for verdicts of captureErrors and throws the first GpuError (or the device loss). */
  async assertNoErrors(verdicts: readonly Promise<GpuError | undefined>[]): Promise<void> {
    const error = (await this.guard(Promise.all(verdicts))).find((e) => e !== undefined);
    if (error) throw error;
  }

  /** @internal Runs `work` in error scopes (captureErrors) and throws a `GpuError` naming `what` if WebGPU reported anything. */
  async checked<T>(what: string, work: () => T): Promise<T> {
    let result: T | undefined;
    const verdict = this.captureErrors(what, () => {
      result = work();
    });
    await this.assertNoErrors([verdict]);
    return result as T;
  }

  /** @internal The uncaptured errors that may have caused a later one, as text to append to a message. */
  earlierErrors(): string {
    return this.uncaptured.length === 0 ? '' : `\nEarlier WebGPU errors:\n  - ${this.uncaptured.join('\n  - ')}`;
  }

  /** Frees every buffer this context created and, if it created the device, the device. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const buffer of this.liveBuffers.keys()) buffer.destroy();
    this.liveBuffers.clear();
    this.kernels.clear();
    if (this.ownsDevice) this.device.destroy();
    void this.keepAlive;
  }
}

function externalReport(): AdapterReport {
  return {
    runtime: globalThis.navigator?.gpu ? 'browser' : 'node',
    vendor: '',
    architecture: '',
    device: '',
    description: 'device supplied by the caller',
    isFallbackAdapter: false,
  };
}

/** Gets a GPU in the browser or in Node; see `acquireAdapter` for how the adapter is chosen. */
export function requestGpu(options: GpuContextOptions = {}): Promise<GpuContext> {
  return GpuContext.create(options);
}
