import { UnsupportedError, ValueError } from '../errors.js';
import {
  workgroupSizeOf,
  type EntryPointName,
  type EntryPointSpec,
  type KernelSpec,
  type OverrideValues,
  type UniformLayout,
} from './kernel-spec.js';

/** A compiled entry point with its explicit bind-group layout and the facts needed to bind it. */
export interface KernelPipeline {
  readonly spec: KernelSpec;
  readonly entryPoint: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly uniform: UniformLayout;
  readonly workgroupSize: readonly [number, number, number];
  /** Binding numbers by name, for exactly the bindings this entry point uses. */
  readonly bindings: ReadonlyMap<string, number>;
  readonly label: string;
}

/**
 * Compiles kernels for one device and caches them by (kernel, entry point, override values).
 * Layouts are explicit, built from the kernel's spec (reflected from the WGSL at build time),
 * never `layout: 'auto'`, so bind groups are stable and shareable. The uniform binding always
 * takes a dynamic offset: one bind group serves every slot of a UniformTable.
 * With a generated spec, entry point and override names are checked by the compiler too.
 */
export class KernelRegistry {
  private readonly modules = new Map<KernelSpec, GPUShaderModule>();
  private readonly pipelines = new Map<string, KernelPipeline>();

  constructor(private readonly device: GPUDevice) {}

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

    const { uniform } = spec;
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
    const pipeline = this.device.createComputePipeline({
      label,
      layout: this.device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
      compute: { module: this.module(spec), entryPoint, constants },
    });
    const compiled: KernelPipeline = {
      spec,
      entryPoint,
      pipeline,
      layout,
      uniform,
      workgroupSize,
      bindings: new Map(used.map((b) => [b.name, b.binding])),
      label,
    };
    this.pipelines.set(key, compiled);
    return compiled;
  }

  /**
   * Pipelines compiled so far, one per (kernel, entry point, override values). No override
   * depends on a batch's rows, so this stays put as a model meets new batch sizes.
   */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  private module(spec: KernelSpec): GPUShaderModule {
    let module = this.modules.get(spec);
    if (!module) {
      module = this.device.createShaderModule({ label: spec.name, code: spec.source });
      this.modules.set(spec, module);
    }
    return module;
  }

  clear(): void {
    this.pipelines.clear();
    this.modules.clear();
  }
}
