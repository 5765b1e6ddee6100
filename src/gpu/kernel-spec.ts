/**
 * What a WGSL kernel family declares, as data: bindings, overrides, entry points and the uniform
 * struct's layout. shadernet's own specs are generated at build time from shaders/ by
 * scripts/generate-kernels.mjs (src/kernels/generated/, `as const`, so entry point and override
 * names are literal types); the runtime never parses WGSL.
 */

/** How a binding is accessed: a uniform buffer, or a storage buffer read-only or read-write. */
export type BindingAccess = 'uniform' | 'read' | 'read_write';

export interface BindingSpec {
  /** `@binding(n)` in `@group(0)`; shadernet kernels use group 0 only. */
  readonly binding: number;
  /** The WGSL variable name; resources are passed by this name. */
  readonly name: string;
  readonly access: BindingAccess;
}

export type OverrideType = 'u32' | 'i32' | 'f32' | 'bool';

export interface OverrideSpec {
  readonly type: OverrideType;
  /** The WGSL default (bool: 0 or 1); always passed explicitly to WebGPU when a caller gives none. */
  readonly default: number;
}

/** One dimension of `@workgroup_size`: a literal, or the name of the override that sets it. */
export type WorkgroupDimension = number | string;

export interface EntryPointSpec {
  /** Names of the bindings this entry point statically uses. */
  readonly bindings: readonly string[];
  /** Names of the override constants it uses, directly or through the functions it calls. */
  readonly overrides: readonly string[];
  readonly workgroupSize: readonly [WorkgroupDimension, WorkgroupDimension, WorkgroupDimension];
}

/** One field of a uniform struct, laid out by WGSL's rules (reflected, never computed by hand). */
export interface UniformField {
  readonly offset: number;
  readonly type: 'u32' | 'i32' | 'f32';
}

export interface UniformLayout {
  readonly structName: string;
  /** Byte size of the struct, padding included. */
  readonly size: number;
  /** Fields in declaration order. */
  readonly fields: Readonly<Record<string, UniformField>>;
}

export interface KernelSpec {
  /** Family name, used in labels and error messages (e.g. `dense`). */
  readonly name: string;
  /** The complete WGSL module (includes resolved; minified in generated specs). */
  readonly source: string;
  readonly bindings: readonly BindingSpec[];
  readonly overrides: Readonly<Record<string, OverrideSpec>>;
  readonly entryPoints: Readonly<Record<string, EntryPointSpec>>;
  /** The layout of the one `var<uniform>` struct every kernel has. */
  readonly uniform: UniformLayout;
}

/** The entry point names of a spec: literal types for generated specs. */
export type EntryPointName<S extends KernelSpec> = keyof S['entryPoints'] & string;

/** Override values an entry point (or any of a union of entry points) accepts, by name. */
export type OverrideValues<S extends KernelSpec, E extends EntryPointName<S>> = Partial<
  Record<S['entryPoints'][E]['overrides'][number], number>
>;

/**
 * The workgroup size of an entry point given the values of its overrides (`constants` holds
 * every override the entry point uses, defaults filled in).
 */
export function workgroupSizeOf(
  spec: KernelSpec,
  entry: EntryPointSpec,
  constants: Readonly<Record<string, number>>,
): [number, number, number] {
  const size = entry.workgroupSize.map((d) => {
    if (typeof d === 'number') return d;
    const value = constants[d] ?? spec.overrides[d]?.default;
    if (value === undefined) throw new TypeError(`Kernel '${spec.name}': workgroup size names override '${d}', which it does not declare.`);
    return value;
  });
  return [size[0] ?? 1, size[1] ?? 1, size[2] ?? 1];
}

/** Splits a packed list: items by '|', an empty string being the empty list. */
const items = (packed: string): string[] => (packed === '' ? [] : packed.split('|'));
const words = (packed: string): string[] => (packed === '' ? [] : packed.split(' '));

/**
 * A generated spec from the packed strings the generator emits (about half the bytes of object
 * literals in every page). `S` is the spec's literal type, which the generated module declares
 * next to it (a type costs nothing at run time); the tests check the unpacked data against the
 * shader. Lists are separated by '|', fields by ' ', an entry point's parts by ';':
 * - bindings: `binding name access type`;
 * - overrides: `name type default`;
 * - entry points: `name;bindings…;overrides…;x y z` (a dimension is a number or an override's name);
 * - uniform: `StructName size`, then `field type offset` items.
 */
export function unpackKernelSpec<S extends KernelSpec>(
  name: string,
  source: string,
  packed: { readonly bindings: string; readonly overrides: string; readonly entryPoints: string; readonly uniform: string },
): S {
  const bindings = items(packed.bindings).map((item): BindingSpec => {
    const [binding = '', bindingName = '', access = ''] = words(item);
    return { binding: Number(binding), name: bindingName, access: access as BindingAccess };
  });
  const overrides = Object.fromEntries(
    items(packed.overrides).map((item) => {
      const [overrideName = '', type = '', value = ''] = words(item);
      return [overrideName, { type: type as OverrideType, default: Number(value) }];
    }),
  );
  const dimension = (d: string): WorkgroupDimension => (/^\d+$/.test(d) ? Number(d) : d);
  const entryPoints = Object.fromEntries(
    items(packed.entryPoints).map((item) => {
      const [entryName = '', used = '', reached = '', size = ''] = item.split(';');
      const [x = '1', y = '1', z = '1'] = words(size);
      const entry: EntryPointSpec = {
        bindings: words(used),
        overrides: words(reached),
        workgroupSize: [dimension(x), dimension(y), dimension(z)],
      };
      return [entryName, entry];
    }),
  );
  const [head = '', ...fieldItems] = items(packed.uniform);
  const [structName = '', size = ''] = words(head);
  const fields = Object.fromEntries(
    fieldItems.map((item) => {
      const [fieldName = '', type = '', offset = ''] = words(item);
      return [fieldName, { offset: Number(offset), type: type as UniformField['type'] }];
    }),
  );
  const spec: KernelSpec = { name, source, bindings, overrides, entryPoints, uniform: { structName, size: Number(size), fields } };
  return spec as S;
}
