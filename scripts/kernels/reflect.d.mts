// Types of reflect.mjs, for the TypeScript that imports it (tests, bench).
import type { BindingSpec, EntryPointSpec, OverrideSpec, UniformLayout } from '../../src/gpu/kernel-spec.js';

/** A binding as reflection finds it: the runtime's facts plus its WGSL type (a build-time fact). */
export interface ReflectedBinding extends BindingSpec {
  /** `array<f32>`, `array<u32>`, or the uniform struct's name. */
  readonly type: string;
}

/** A KernelSpec without its source: what reflection finds in a WGSL module. */
export interface ReflectedKernel {
  readonly name: string;
  readonly bindings: readonly ReflectedBinding[];
  readonly overrides: Readonly<Record<string, OverrideSpec>>;
  readonly entryPoints: Readonly<Record<string, EntryPointSpec>>;
  readonly uniform: UniformLayout;
}

export function reflectKernel(name: string, source: string): ReflectedKernel;
