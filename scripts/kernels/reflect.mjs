// Reflects one kernel module with wgsl_reflect into the data its KernelSpec is made of, and
// refuses, with every problem listed, what shadernet's runtime cannot handle.
import { ArrayInfo, TemplateInfo, WgslParser, WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';

const OVERRIDE_TYPES = new Set(['u32', 'i32', 'f32', 'bool']);
const UNIFORM_FIELD_TYPES = new Set(['u32', 'i32', 'f32']);
// wgsl_reflect's ResourceType enum.
const RESOURCE_UNIFORM = 0;
const RESOURCE_STORAGE = 1;

/** A WGSL type as written in source, e.g. `array<vec4<f32>>`, `atomic<u32>`, `DenseParams`. */
function typeName(type) {
  if (type instanceof ArrayInfo) return `${type.name}<${typeName(type.format)}>`;
  if (type instanceof TemplateInfo && type.format) return `${type.name}<${typeName(type.format)}>`;
  return type.name;
}

/** An override's default: a literal in the WGSL (`override WG: u32 = 256u;`), as a number (bool: 0/1). */
function overrideDefault(node, problems) {
  const value = node.value;
  if (!value) {
    problems.push(
      `override ${node.name} has no default; give it one in the WGSL (override ${node.name}: ${node.type?.name ?? 'T'} = ...;)`,
    );
    return undefined;
  }
  if (value.astNodeType !== 'literalExpr' || !value.isScalar) {
    problems.push(`override ${node.name}: the default must be a literal (found ${value.astNodeType})`);
    return undefined;
  }
  return Number(value.scalarValue);
}

/** Functions reachable from `entry` through calls, itself included. */
function reachedFrom(entry) {
  const seen = new Set();
  const visit = (fn) => {
    if (seen.has(fn)) return;
    seen.add(fn);
    for (const callee of fn.calls) visit(callee);
  };
  visit(entry);
  return seen;
}

/** Calls `visit` on `node` and every AST node under it (wgsl_reflect's own search() skips some statements). */
function walk(node, visit, seen = new Set()) {
  if (seen.has(node)) return;
  seen.add(node);
  visit(node);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child !== null && typeof child === 'object' && typeof child.astNodeType === 'string') walk(child, visit, seen);
    }
  }
}

/** `workgroupBarrier()` anywhere under `node`. */
function hasBarrier(node) {
  let found = false;
  walk(node, (n) => {
    if ((n.astNodeType === 'call' || n.astNodeType === 'callExpr') && n.name === 'workgroupBarrier') found = true;
  });
  return found;
}

/** A loop halving its counter around a barrier (`stride /= 2u`, `stride >>= 1u`): a tree reduction over the workgroup. */
function hasTreeReduction(fnNode) {
  let found = false;
  walk(fnNode, (n) => {
    if (n.astNodeType !== 'for' || !n.increment || n.increment.astNodeType !== 'assign') return;
    const { operator, value } = n.increment;
    const step = value?.astNodeType === 'literalExpr' ? Number(value.scalarValue) : NaN;
    if (((operator === '/=' && step === 2) || (operator === '>>=' && step === 1)) && hasBarrier(n)) found = true;
  });
  return found;
}

/**
 * The data of kernel family `name` from its complete WGSL module `source` (includes resolved):
 * bindings, overrides with their defaults, entry points with what each reaches, the uniform
 * struct's layout. Throws an Error listing every problem found.
 */
export function reflectKernel(name, source) {
  let ast;
  try {
    ast = new WgslParser().parse(source);
  } catch (error) {
    throw new Error(`kernel '${name}': WGSL does not parse: ${error.message ?? String(error)}`, { cause: error });
  }
  const reflect = new WgslReflect();
  reflect.updateAST(ast);
  const problems = [];

  const resources = [...reflect.uniforms, ...reflect.storage].sort((a, b) => a.binding - b.binding);
  for (const other of [...reflect.textures, ...reflect.samplers, ...(reflect.immediates ?? [])]) {
    problems.push(`binding ${other.name} is a texture, sampler or immediate; shadernet binds buffers only`);
  }
  const bindings = [];
  for (const v of resources) {
    if (v.group !== 0) problems.push(`${v.name} is in @group(${v.group}); shadernet kernels use group 0 only`);
    const access = v.resourceType === RESOURCE_UNIFORM ? 'uniform' : v.access === 'read_write' ? 'read_write' : 'read';
    if (v.resourceType !== RESOURCE_UNIFORM && v.resourceType !== RESOURCE_STORAGE) problems.push(`${v.name}: unsupported resource`);
    bindings.push({ binding: v.binding, name: v.name, access, type: typeName(v.type) });
  }
  const numbers = bindings.map((b) => b.binding);
  for (const n of new Set(numbers)) {
    if (numbers.filter((m) => m === n).length > 1) problems.push(`@binding(${n}) is declared more than once`);
  }

  const overrides = {};
  for (const node of ast.filter((n) => n.astNodeType === 'override')) {
    const type = node.type?.name ?? '?';
    if (!OVERRIDE_TYPES.has(type)) problems.push(`override ${node.name} is ${type}; supported: ${[...OVERRIDE_TYPES].join(', ')}`);
    const value = overrideDefault(node, problems);
    if (value !== undefined) overrides[node.name] = { type, default: value };
  }
  const overrideOrder = Object.keys(overrides);

  let uniform;
  const uniforms = reflect.uniforms;
  if (uniforms.length !== 1 || !uniforms[0].isStruct) {
    problems.push(
      `a kernel declares exactly one var<uniform> of a struct type (found ${uniforms.length}${uniforms.length === 1 ? ', not a struct' : ''})`,
    );
  } else {
    const u = uniforms[0];
    const fields = {};
    for (const member of u.members ?? []) {
      const type = member.type.name;
      if (!UNIFORM_FIELD_TYPES.has(type))
        problems.push(`uniform field ${u.type.name}.${member.name} is ${typeName(member.type)}; only u32, i32 and f32 are supported`);
      fields[member.name] = { offset: member.offset, type };
    }
    uniform = { structName: u.type.name, size: u.size, fields };
  }

  const functionNodes = new Map(ast.filter((n) => n.astNodeType === 'function').map((n) => [n.name, n]));
  for (const stage of ['vertex', 'fragment']) {
    for (const e of reflect.entry[stage]) problems.push(`entry point ${e.name} is a ${stage} shader; shadernet runs compute shaders only`);
  }
  const entryPoints = {};
  for (const entry of reflect.entry.compute) {
    const reached = reachedFrom(entry);
    // wgsl_reflect resolves identifiers by name: a parameter or local named like a binding counts
    // as a use of it (shaders avoid such names). Resources it lists transitively already.
    const used = new Set(entry.resources.map((r) => r.name));
    // Overrides it lists per function only: gather them over every function reached.
    const usedOverrides = new Set([...reached].flatMap((fn) => fn.overrides.map((o) => o.name)));
    const attribute = entry.attributes?.find((a) => a.name === 'workgroup_size');
    const args = attribute ? (Array.isArray(attribute.value) ? attribute.value : [attribute.value]) : [];
    const workgroupSize = [1, 1, 1];
    args.forEach((raw, i) => {
      const arg = String(raw).trim();
      if (/^[0-9]+[iu]?$/.test(arg)) workgroupSize[i] = Number.parseInt(arg, 10);
      else if (overrides[arg] && overrides[arg].type !== 'f32' && overrides[arg].type !== 'bool') {
        workgroupSize[i] = arg;
        usedOverrides.add(arg);
      } else problems.push(`entry ${entry.name}: workgroup size '${arg}' is neither an integer literal nor an integer override`);
    });
    if (!attribute) problems.push(`entry ${entry.name} has no @workgroup_size`);

    const reduces = [...reached].some((fn) => {
      const node = functionNodes.get(fn.name);
      return node !== undefined && hasTreeReduction(node);
    });
    if (reduces) {
      const [x] = workgroupSize;
      const size = typeof x === 'number' ? x : overrides[x]?.default;
      if (size !== undefined && (size < 1 || (size & (size - 1)) !== 0)) {
        problems.push(
          `entry ${entry.name} tree-reduces over its workgroup, whose size ${typeof x === 'number' ? x : `${x} = ${size}`} is not a power of two`,
        );
      }
    }
    entryPoints[entry.name] = {
      bindings: bindings.filter((b) => used.has(b.name)).map((b) => b.name),
      overrides: overrideOrder.filter((o) => usedOverrides.has(o)),
      workgroupSize,
    };
  }
  if (reflect.entry.compute.length === 0) problems.push('no @compute entry point');

  if (problems.length > 0) throw new Error(`kernel '${name}' cannot be generated:\n  - ${problems.join('\n  - ')}`);
  return { name, bindings, overrides, entryPoints, uniform };
}
