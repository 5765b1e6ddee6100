import {
  ArrayInfo,
  TemplateInfo,
  WgslReflect,
  type FunctionInfo,
  type TypeInfo,
  type VariableInfo,
} from 'wgsl_reflect/wgsl_reflect.module.js';
import { workgroupSizeOf, type BindingAccess, type KernelSpec } from '../../src/gpu/kernel-spec.js';

// A second reflection of a WGSL module, written apart from scripts/kernels/reflect.mjs (defaults
// read from the text, sizes evaluated by wgsl_reflect), to check the generated specs against
// their shaders: the same bug in both would have to be written twice.

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

/** `override NAME: T = literal;` defaults, read from the text (bool as 0/1). */
function textDefaults(source: string): Map<string, number> {
  const defaults = new Map<string, number>();
  for (const m of source.matchAll(/override\s+(\w+)\s*:\s*\w+\s*=\s*([^;]+);/g)) {
    const literal = (m[2] ?? '').trim();
    defaults.set(m[1] ?? '', literal === 'true' ? 1 : literal === 'false' ? 0 : Number.parseFloat(literal.replace(/[iuf]$/, '')));
  }
  return defaults;
}

function describeBinding(b: { binding: number; name: string; access: string; type?: string }): string {
  return `@binding(${b.binding}) ${b.name}: ${b.access}${b.type ? ` ${b.type}` : ''}`;
}

const sorted = (names: Iterable<string>): string => [...names].sort().join(', ');

/**
 * Every difference between a kernel spec and a WGSL module: bindings (number, name, access,
 * type), overrides (names, types, defaults), entry points (the bindings and overrides each
 * reaches, the workgroup size with every override at its default) and the uniform layout.
 * An empty list means they agree.
 */
export function findKernelMismatches(spec: KernelSpec, source: string): string[] {
  const problems: string[] = [];
  let reflect: WgslReflect;
  try {
    reflect = new WgslReflect(source);
  } catch (error) {
    return [`WGSL does not parse: ${String(error)}`];
  }

  const shaderBindings = [...reflect.uniforms, ...reflect.storage].map((v) => {
    if (v.group !== 0) problems.push(`${v.name} is in @group(${v.group})`);
    return { binding: v.binding, name: v.name, access: accessOf(v), type: typeName(v.type) };
  });
  const declared = new Map(spec.bindings.map((b) => [b.binding, b]));
  for (const actual of shaderBindings) {
    const mine = declared.get(actual.binding);
    if (!mine) problems.push(`shader declares ${describeBinding(actual)}, the spec does not`);
    else if (mine.name !== actual.name || mine.access !== actual.access) {
      problems.push(`binding ${actual.binding}: shader has ${describeBinding(actual)}, the spec has ${describeBinding(mine)}`);
    }
  }
  for (const mine of spec.bindings) {
    if (!shaderBindings.some((b) => b.binding === mine.binding))
      problems.push(`the spec declares ${describeBinding(mine)}, the shader does not`);
  }

  const defaults = textDefaults(source);
  const shaderOverrides = new Map(reflect.overrides.map((o) => [o.name, o.type?.name ?? '?']));
  for (const [name, type] of shaderOverrides) {
    const mine = spec.overrides[name];
    if (!mine) problems.push(`shader declares override ${name}: ${type}, the spec does not`);
    else {
      if (mine.type !== type) problems.push(`override ${name}: shader type ${type}, the spec ${mine.type}`);
      const wgsl = defaults.get(name);
      if (wgsl === undefined || Math.fround(wgsl) !== Math.fround(mine.default)) {
        problems.push(`override ${name}: shader default ${wgsl ?? 'none'}, the spec ${mine.default}`);
      }
    }
  }
  for (const name of Object.keys(spec.overrides)) {
    if (!shaderOverrides.has(name)) problems.push(`the spec declares override ${name}, the shader does not`);
  }

  const entries = new Map(reflect.entry.compute.map((e) => [e.name, e]));
  for (const name of entries.keys()) {
    if (!spec.entryPoints[name]) problems.push(`shader has entry point ${name}, the spec does not`);
  }
  const defaultValues = Object.fromEntries(Object.entries(spec.overrides).map(([k, o]) => [k, o.default]));
  for (const [name, mine] of Object.entries(spec.entryPoints)) {
    const entry = entries.get(name);
    if (!entry) {
      problems.push(`the spec declares entry point ${name}, the shader has none`);
      continue;
    }
    const used = sorted(new Set(entry.resources.map((r) => r.name)));
    if (used !== sorted(mine.bindings)) problems.push(`entry ${name} uses bindings [${used}], the spec says [${sorted(mine.bindings)}]`);
    const usedOverrides = sorted(overridesReachedFrom(entry));
    if (usedOverrides !== sorted(mine.overrides)) {
      problems.push(`entry ${name} uses overrides [${usedOverrides}], the spec says [${sorted(mine.overrides)}]`);
    }
    const size = workgroupSizeOf(spec, mine, defaultValues).join('x');
    if (entry.workgroupSize && size !== entry.workgroupSize.join('x')) {
      problems.push(`entry ${name}: shader workgroup size ${entry.workgroupSize.join('x')}, the spec ${size}`);
    }
  }

  const uniform = reflect.uniforms[0];
  if (reflect.uniforms.length !== 1 || !uniform) problems.push(`shader declares ${reflect.uniforms.length} uniforms`);
  else {
    const shaderLayout = {
      structName: uniform.type.name,
      size: uniform.size,
      fields: (uniform.members ?? []).map((m) => `${m.name}@${m.offset}: ${m.type.name}`).join(', '),
    };
    const mine = {
      structName: spec.uniform.structName,
      size: spec.uniform.size,
      fields: Object.entries(spec.uniform.fields)
        .map(([n, f]) => `${n}@${f.offset}: ${f.type}`)
        .join(', '),
    };
    if (JSON.stringify(shaderLayout) !== JSON.stringify(mine)) {
      problems.push(`uniform: shader ${JSON.stringify(shaderLayout)}, the spec ${JSON.stringify(mine)}`);
    }
  }
  return problems;
}
