import { GpuError, UnsupportedError, ValueError } from '../errors.js';
import {
  workgroupSizeOf,
  type EntryPointName,
  type EntryPointSpec,
  type KernelSpec,
  type OverrideValues,
  type UniformLayout,
} from './kernel-spec.js';

/**
 * How a registry creates pipelines: `sync` (createComputePipeline, ready on return) or `async`
 * (createComputePipelineAsync: handed out at once, compiled in the background, awaited with
 * `ready()` before the first encode).
 */
export type PipelineCompilation = 'sync' | 'async';

/** A compiled entry point with its explicit bind-group layout and the facts needed to bind it. */
export interface KernelPipeline {
  readonly spec: KernelSpec;
  readonly entryPoint: string;
  /** The compiled pipeline; throws a GpuError while it is still compiling or if it failed (see KernelRegistry.ready). */
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly uniform: UniformLayout;
  readonly workgroupSize: readonly [number, number, number];
  /** Binding numbers by name, for exactly the bindings this entry point uses. */
  readonly bindings: ReadonlyMap<string, number>;
  readonly label: string;
}

/**
 * A KernelPipeline whose GPUComputePipeline may not exist yet: everything a bind group needs
 * (the explicit layout) is there at once, so plans are built while the pipeline compiles.
 */
class PendingPipeline implements KernelPipeline {
  private compiled: GPUComputePipeline | undefined;
  private failure: GpuError | undefined;

  constructor(
    readonly spec: KernelSpec,
    readonly entryPoint: string,
    readonly layout: GPUBindGroupLayout,
    readonly workgroupSize: readonly [number, number, number],
    readonly bindings: ReadonlyMap<string, number>,
    readonly label: string,
  ) {}

  get uniform(): UniformLayout {
    return this.spec.uniform;
  }

  get pipeline(): GPUComputePipeline {
    if (this.failure) throw this.failure;
    if (!this.compiled) throw new GpuError(`Pipeline '${this.label}' is still compiling (await ready()).`);
    return this.compiled;
  }

  settle(pipeline: GPUComputePipeline | undefined, failure?: GpuError): void {
    this.compiled = pipeline;
    this.failure = failure;
  }
}

/**
 * Compiles kernels for one device and caches them by (kernel, entry point, override values).
 * Layouts are explicit, built from the kernel's spec (reflected from the WGSL at build time),
 * never `layout: 'auto'`, so bind groups are stable and shareable. The uniform binding always
 * takes a dynamic offset: one bind group serves every slot of a UniformTable.
 * With a generated spec, entry point and override names are checked by the compiler too.
 *
 * Pipelines are created synchronously or, in `async` compilation, with
 * createComputePipelineAsync: each is handed out at once and compiles in the background, in
 * parallel with the others where the implementation can; `ready()` waits for them. Whoever
 * encodes a plan awaits `ready()` first (GpuContext.pipelinesReady, for the engine's plans).
 */
export class KernelRegistry {
  private readonly modules = new Map<KernelSpec, GPUShaderModule>();
  private readonly pipelines = new Map<string, PendingPipeline>();
  /** Background compilations not yet settled; each resolves to a GpuError naming its kernel on failure. */
  private readonly compiling = new Set<Promise<GpuError | undefined>>();
  private settledCompileMs = 0;
  /** When the current stretch of background compilation began (while `compiling` is not empty). */
  private busySince = 0;

  constructor(
    private readonly device: GPUDevice,
    /** How `pipeline()` creates pipelines. */
    readonly compilation: PipelineCompilation = 'sync',
  ) {}

  pipeline<S extends KernelSpec, E extends EntryPointName<S>>(
    spec: S,
    entryPoint: E,
    overrides: OverrideValues<S, E> = {},
  ): KernelPipeline {
    const entry: EntryPointSpec | undefined = spec.entryPoints[entryPoint];
    if (!entry) {
      throw new ValueError(`Kernel '${spec.name}' has no entry point '${entryPoint}' (has: ${Object.keys(spec.entryPoints).join(', ')}).`);
    }
    const given: Readonly<Record<string, number | undefined>> = overrides;
    const constants: Record<string, number> = {};
    for (const name of entry.overrides) {
      const override = spec.overrides[name];
      if (override) constants[name] = given[name] ?? override.default;
    }
    for (const name of Object.keys(given)) {
      if (!entry.overrides.includes(name)) {
        throw new ValueError(`Kernel '${spec.name}.${entryPoint}' has no override '${name}' (has: ${entry.overrides.join(', ')}).`);
      }
    }
    const key = `${spec.name}:${entryPoint}:${JSON.stringify(constants)}`;
    const cached = this.pipelines.get(key);
    if (cached?.spec === spec) return cached;

    const workgroupSize = workgroupSizeOf(spec, entry, constants);
    const limits = this.device.limits;
    const invocations = workgroupSize[0] * workgroupSize[1] * workgroupSize[2];
    if (invocations > limits.maxComputeInvocationsPerWorkgroup || workgroupSize[0] > limits.maxComputeWorkgroupSizeX) {
      throw new UnsupportedError(
        `Kernel '${spec.name}.${entryPoint}' wants workgroup ${workgroupSize.join('x')}; this device allows ` +
          `${limits.maxComputeInvocationsPerWorkgroup} invocations and x ≤ ${limits.maxComputeWorkgroupSizeX}.`,
      );
    }
    const label = `${spec.name}.${entryPoint}`;
    const used = spec.bindings.filter((b) => entry.bindings.includes(b.name));
    const layout = this.device.createBindGroupLayout({
      label,
      entries: used.map((b) => ({
        binding: b.binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer:
          b.access === 'uniform'
            ? { type: 'uniform', hasDynamicOffset: true }
            : { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
      })),
    });
    const kernel = new PendingPipeline(spec, entryPoint, layout, workgroupSize, new Map(used.map((b) => [b.name, b.binding])), label);
    const descriptor: GPUComputePipelineDescriptor = {
      label,
      layout: this.device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
      compute: { module: this.module(spec), entryPoint, constants },
    };
    this.pipelines.set(key, kernel);
    if (this.compilation === 'async') this.compileInBackground(key, kernel, descriptor);
    else {
      const started = performance.now();
      kernel.settle(this.device.createComputePipeline(descriptor));
      this.settledCompileMs += performance.now() - started;
    }
    return kernel;
  }

  private compileInBackground(key: string, kernel: PendingPipeline, descriptor: GPUComputePipelineDescriptor): void {
    if (this.compiling.size === 0) this.busySince = performance.now();
    const job = this.device.createComputePipelineAsync(descriptor).then(
      (pipeline) => {
        kernel.settle(pipeline);
        return undefined;
      },
      (error: unknown) => {
        const failure = new GpuError(`Pipeline '${kernel.label}' failed to compile: ${(error as Error)?.message ?? error}`);
        kernel.settle(undefined, failure);
        // A later request compiles it again rather than handing out the failure forever.
        if (this.pipelines.get(key) === kernel) this.pipelines.delete(key);
        return failure;
      },
    );
    this.compiling.add(job);
    // After clear() the job is no longer in the set: it ends unseen.
    void job.then(() => {
      if (this.compiling.delete(job) && this.compiling.size === 0) this.settledCompileMs += performance.now() - this.busySince;
    });
  }

  /**
   * Resolves once every pipeline requested so far has compiled; rejects with the GpuError of
   * the first that failed (naming its kernel and entry point). Immediate when nothing compiles.
   */
  async ready(): Promise<void> {
    while (this.compiling.size > 0) {
      const failure = (await Promise.all([...this.compiling])).find((f) => f !== undefined);
      if (failure) throw failure;
    }
  }

  /** Pipelines still compiling in the background. */
  get pendingCount(): number {
    return this.compiling.size;
  }

  /**
   * Pipelines compiled (or compiling) so far, one per (kernel, entry point, override values).
   * No override depends on a batch's rows, so this stays put as a model meets new batch sizes.
   */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /**
   * Milliseconds spent compiling so far: synchronous creations, plus the wall time during
   * which at least one background compilation ran (they overlap, so their sum would overstate).
   */
  get compileMs(): number {
    return this.settledCompileMs + (this.compiling.size > 0 ? performance.now() - this.busySince : 0);
  }

  private module(spec: KernelSpec): GPUShaderModule {
    let module = this.modules.get(spec);
    if (!module) {
      module = this.device.createShaderModule({ label: spec.name, code: spec.source });
      this.modules.set(spec, module);
    }
    return module;
  }

  /** Forgets every pipeline; background compilations still running are abandoned (their results dropped). */
  clear(): void {
    this.compiling.clear();
    this.pipelines.clear();
    this.modules.clear();
  }
}
