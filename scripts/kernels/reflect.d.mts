// Types of reflect.mjs, for the TypeScript that imports it (tests, bench).
import type { BindingSpec, EntryPointSpec, OverrideSpec, UniformLayout } from '../../src/gpu/kernel-spec.js';

/** A KernelSpec without its source: what reflection finds in a WGSL module. */
export interface ReflectedKernel {
  readonly name: string;
  readonly bindings: readonly BindingSpec[];
  readonly overrides: Readonly<Record<string, OverrideSpec>>;
  readonly entryPoints: Readonly<Record<string, EntryPointSpec>>;
  readonly uniform: UniformLayout;
}

export function reflectKernel(name: string, source: string): ReflectedKernel;
