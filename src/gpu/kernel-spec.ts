/**
 * The TypeScript side of a WGSL kernel family: what a `.wgsl` file declares, written out so
 * that TypeScript can build bind-group layouts and uniform writes without guessing, and so
 * that `reflection.ts` can prove the two sides agree.
 */

/** How a binding is accessed: a uniform buffer, or a storage buffer read-only or read-write. */
export type BindingAccess = 'uniform' | 'read' | 'read_write';

export interface BindingSpec {
  /** `@binding(n)` in `@group(0)`; shadernet kernels use group 0 only. */
  readonly binding: number;
  /** The WGSL variable name; resources are passed by this name. */
  readonly name: string;
  readonly access: BindingAccess;
  /** WGSL type as reflected: `array<f32>`, `array<u32>`, or the uniform struct's name. */
  readonly type: string;
}

export type OverrideType = 'u32' | 'i32' | 'f32' | 'bool';

export interface OverrideSpec {
  readonly type: OverrideType;
  /** The value shadernet uses when a caller gives none (always passed explicitly to WebGPU). */
  readonly default: number;
}

export interface EntryPointSpec {
  /** Names of the bindings this entry point statically uses. */
  readonly bindings: readonly string[];
  /** Names of the override constants it uses. */
  readonly overrides: readonly string[];
  /** Workgroup size as a function of the override values (TypeScript plans dispatches with it). */
  readonly workgroupSize: (overrides: Readonly<Record<string, number>>) => readonly [number, number, number];
}

export interface KernelSpec {
  /** Family name, used in labels and error messages (e.g. `dense`). */
  readonly name: string;
  /** The complete WGSL module text (shared helpers included first). */
  readonly source: string;
  readonly bindings: readonly BindingSpec[];
  readonly overrides: Readonly<Record<string, OverrideSpec>>;
  readonly entryPoints: Readonly<Record<string, EntryPointSpec>>;
}

/** Joins shared WGSL helper files and a kernel file into one module, in order. */
export function composeWgsl(...parts: readonly string[]): string {
  return parts.join('\n');
}

/** Invocations per workgroup of shadernet's 1-D kernels (the `WG` override's default). */
export const LINEAR_WORKGROUP = 256;

/** The `WG` override every 1-D kernel declares. */
export const LINEAR_WORKGROUP_OVERRIDE: Readonly<Record<string, OverrideSpec>> = {
  WG: { type: 'u32', default: LINEAR_WORKGROUP },
};

/** An entry point of a 1-D kernel: `@workgroup_size(WG)`, plus any other overrides it uses. */
export function linearEntryPoint(bindings: readonly string[], overrides: readonly string[] = []): EntryPointSpec {
  return {
    bindings,
    overrides: [...overrides, 'WG'],
    workgroupSize: (o) => [o['WG'] ?? LINEAR_WORKGROUP, 1, 1],
  };
}
