import { ArrayInfo, TemplateInfo, WgslReflect, type FunctionInfo, type TypeInfo, type VariableInfo } from 'wgsl_reflect/wgsl_reflect.module.js';
import { GpuError } from '../errors.js';
import type { BindingAccess, KernelSpec } from './kernel-spec.js';

/** One field of a uniform struct, as laid out by WGSL's rules (reflected, never computed by hand). */
export interface UniformField {
  readonly offset: number;
  readonly type: 'u32' | 'i32' | 'f32';
}

export interface UniformLayout {
  readonly structName: string;
  /** Byte size of the struct, padding included. */
  readonly size: number;
  readonly fields: ReadonlyMap<string, UniformField>;
}

export interface ReflectedKernel {
  readonly uniform: UniformLayout;
}

const reflections = new WeakMap<KernelSpec, ReflectedKernel>();

function accessOf(variable: VariableInfo): BindingAccess {
  // ResourceType.Uniform is 0 in wgsl_reflect's enum.
  if (variable.resourceType === 0) return 'uniform';
  return variable.access === 'read_write' ? 'read_write' : 'read';
}

/** A WGSL type as written in source, e.g. `array<vec4<f32>>`, `atomic<u32>`, `DenseParams`. */
function typeName(type: TypeInfo): string {
  if (type instanceof ArrayInfo) return `${type.name}<${typeName(type.format)}>`;
  if (type instanceof TemplateInfo && type.format) return `${type.name}<${typeName(type.format)}>`;
  return type.name;
}

function typeOf(variable: VariableInfo): string {
  return typeName(variable.type);
}

/**
 * Override constants an entry point uses, directly or through the functions it calls
 * (wgsl_reflect lists resources transitively but overrides only per function).
 * Note: wgsl_reflect resolves identifiers by name, so a function parameter or local that
 * shares a binding's name is counted as a use of that binding: shaders avoid such names.
 */
function overridesReachedFrom(entry: FunctionInfo): Set<string> {
  const names = new Set<string>();
  const seen = new Set<FunctionInfo>();
  const visit = (fn: FunctionInfo): void => {
    if (seen.has(fn)) return;
    seen.add(fn);
    for (const o of fn.overrides) names.add(o.name);
    for (const callee of fn.calls) visit(callee);
  };
  visit(entry);
  return names;
}

function describeBinding(b: { binding: number; name: string; access: string; type: string }): string {
  return `@binding(${b.binding}) ${b.name}: ${b.access} ${b.type}`;
}

/**
 * Compares a kernel's TypeScript declaration with its WGSL source and lists every
 * difference: bindings (number, name, access, type), entry points, the bindings and
 * overrides each entry point uses, override names and types, and workgroup sizes.
 * An empty list means the two sides agree.
 */
export function findKernelMismatches(spec: KernelSpec): string[] {
  const problems: string[] = [];
  let reflect: WgslReflect;
  try {
    reflect = new WgslReflect(spec.source);
  } catch (error) {
    return [`WGSL does not parse: ${String(error)}`];
  }

  const shaderBindings = [...reflect.uniforms, ...reflect.storage].map((v) => {
    if (v.group !== 0) problems.push(`${v.name} is in @group(${v.group}); shadernet kernels use group 0 only`);
    return { binding: v.binding, name: v.name, access: accessOf(v), type: typeOf(v) };
  });
  const declared = new Map(spec.bindings.map((b) => [b.binding, b]));
  for (const actual of shaderBindings) {
    const mine = declared.get(actual.binding);
    if (!mine) problems.push(`shader declares ${describeBinding(actual)}, TypeScript does not`);
    else if (describeBinding(mine) !== describeBinding(actual)) {
      problems.push(`binding ${actual.binding}: shader has ${describeBinding(actual)}, TypeScript has ${describeBinding(mine)}`);
    }
  }
  for (const mine of spec.bindings) {
    if (!shaderBindings.some((b) => b.binding === mine.binding)) {
      problems.push(`TypeScript declares ${describeBinding(mine)}, the shader does not`);
    }
  }

  const shaderOverrides = new Map(reflect.overrides.map((o) => [o.name, o.type?.name ?? '?']));
  for (const [name, type] of shaderOverrides) {
    const mine = spec.overrides[name];
    if (!mine) problems.push(`shader declares override ${name}: ${type}, TypeScript does not`);
    else if (mine.type !== type) problems.push(`override ${name}: shader type ${type}, TypeScript ${mine.type}`);
  }
  for (const name of Object.keys(spec.overrides)) {
    if (!shaderOverrides.has(name)) problems.push(`TypeScript declares override ${name}, the shader does not`);
  }

  const entries = new Map(reflect.entry.compute.map((e) => [e.name, e]));
  for (const name of entries.keys()) {
    if (!spec.entryPoints[name]) problems.push(`shader has entry point ${name}, TypeScript does not`);
  }
  for (const [name, mine] of Object.entries(spec.entryPoints)) {
    const entry = entries.get(name);
    if (!entry) {
      problems.push(`TypeScript declares entry point ${name}, the shader has none`);
      continue;
    }
    const used = [...new Set(entry.resources.map((r) => r.name))].sort();
    const claimed = [...mine.bindings].sort();
    if (used.join(',') !== claimed.join(',')) {
      problems.push(`entry ${name} uses bindings [${used.join(', ')}], TypeScript says [${claimed.join(', ')}]`);
    }
    const usedOverrides = [...overridesReachedFrom(entry)].sort();
    const claimedOverrides = [...mine.overrides].sort();
    if (usedOverrides.join(',') !== claimedOverrides.join(',')) {
      problems.push(
        `entry ${name} uses overrides [${usedOverrides.join(', ')}], TypeScript says [${claimedOverrides.join(', ')}]`,
      );
    }
    // With every override at its default, the shader's reflected size must match TypeScript's formula.
    const defaults = Object.fromEntries(Object.entries(spec.overrides).map(([k, o]) => [k, o.default]));
    const size = mine.workgroupSize(defaults);
    if (entry.workgroupSize && size.join('x') !== entry.workgroupSize.join('x')) {
      problems.push(`entry ${name}: shader workgroup size ${entry.workgroupSize.join('x')}, TypeScript ${size.join('x')}`);
    }
  }
  return problems;
}

function reflectUniform(spec: KernelSpec, reflect: WgslReflect): UniformLayout {
  const uniforms = reflect.uniforms;
  const uniform = uniforms[0];
  if (uniforms.length !== 1 || !uniform || !uniform.isStruct) {
    throw new GpuError(`Kernel '${spec.name}' must declare exactly one uniform struct (found ${uniforms.length}).`);
  }
  const fields = new Map<string, UniformField>();
  for (const member of uniform.members ?? []) {
    const type = member.type.name;
    if (type !== 'u32' && type !== 'i32' && type !== 'f32') {
      throw new GpuError(`Kernel '${spec.name}': uniform field ${member.name} is ${type}; only scalars are supported.`);
    }
    fields.set(member.name, { offset: member.offset, type });
  }
  return { structName: uniform.type.name, size: uniform.size, fields };
}

/**
 * Reflects a kernel once, throwing a `GpuError` listing every mismatch between its WGSL and
 * its TypeScript declaration. Cached per spec object.
 */
export function reflectKernel(spec: KernelSpec): ReflectedKernel {
  const cached = reflections.get(spec);
  if (cached) return cached;
  const problems = findKernelMismatches(spec);
  if (problems.length > 0) {
    throw new GpuError(`Kernel '${spec.name}' does not match its WGSL:\n  - ${problems.join('\n  - ')}`);
  }
  const reflected = { uniform: reflectUniform(spec, new WgslReflect(spec.source)) };
  reflections.set(spec, reflected);
  return reflected;
}
