import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generateKernels } from '../../scripts/generate-kernels.mjs';
import { lineOrigin, resolveIncludes, type ResolvedModule } from '../../scripts/kernels/includes.mjs';
import { packKernelData, runtimeBindings } from '../../scripts/kernels/emit.mjs';
import { mangleShaders, unmangle } from '../../scripts/kernels/mangle.mjs';
import { needsProblems } from '../../scripts/kernels/needs.mjs';
import { unpackKernelSpec } from '../../src/gpu/kernel-spec.js';
import { reflectKernel } from '../../scripts/kernels/reflect.mjs';
import type { GpuContext } from '../../src/gpu/context.js';
import { DENSE_KERNEL } from '../../src/kernels/dense.js';

/** resolveIncludes over an in-memory tree of files under /s. */
function resolveIn(files: Record<string, string>, entry: string): ResolvedModule {
  return resolveIncludes(`/s/${entry}`, (path) => {
    const text = files[path.replace(/^\/s\//, '')];
    if (text === undefined) throw new Error('no such file');
    return text;
  });
}

describe('//!include', () => {
  test('includes come first, depth first, once each, paths relative to the including file', () => {
    const files = {
      'k.wgsl': '//!include lib/a.wgsl\n//!include lib/b.wgsl\n// kernel\nfn k() {}',
      'lib/a.wgsl': '// a needs c\n//!include c.wgsl\nfn a() {}',
      'lib/b.wgsl': '//!include c.wgsl\n//!include a.wgsl\nfn b() {}',
      'lib/c.wgsl': 'fn c() {}',
    };
    const module = resolveIn(files, 'k.wgsl');
    assert.deepEqual(module.files, ['/s/lib/c.wgsl', '/s/lib/a.wgsl', '/s/lib/b.wgsl', '/s/k.wgsl']);
    assert.equal(module.source.match(/fn c\(\)/g)?.length, 1);
    // Module lines map back to files (wgsl_reflect's parse errors count lines of the module).
    assert.deepEqual(module.firstLines, [1, 2, 5, 8]);
    assert.match(lineOrigin(module, 10), /k\.wgsl:3$/);
    assert.match(lineOrigin(module, 4), /a\.wgsl:3$/);
  });

  test('a cycle is refused, naming it', () => {
    const files = { 'k.wgsl': '//!include a.wgsl\nfn k() {}', 'a.wgsl': '//!include b.wgsl', 'b.wgsl': '//!include a.wgsl' };
    assert.throws(() => resolveIn(files, 'k.wgsl'), /include cycle: a\.wgsl → b\.wgsl → a\.wgsl/);
  });

  test('a missing file, a directive after code and an unknown directive are refused', () => {
    assert.throws(() => resolveIn({ 'k.wgsl': '//!include nope.wgsl' }, 'k.wgsl'), /cannot read .*nope\.wgsl \(included by .*k\.wgsl\)/);
    assert.throws(
      () => resolveIn({ 'k.wgsl': 'fn k() {}\n//!include a.wgsl', 'a.wgsl': '' }, 'k.wgsl'),
      /must come before the first line of code/,
    );
    assert.throws(() => resolveIn({ 'k.wgsl': '//!includes a.wgsl' }, 'k.wgsl'), /unknown directive/);
    assert.throws(() => resolveIn({ 'k.wgsl': '//!needs a-b' }, 'k.wgsl'), /unknown directive/);
    assert.throws(
      () => resolveIn({ 'k.wgsl': 'fn k() {}\n//!needs WG' }, 'k.wgsl'),
      /'\/\/!needs' must come before the first line of code/,
    );
  });
});

describe('//!needs: what an included file reads of its includer', () => {
  const weight = (needs: string): string =>
    `${needs}\nfn weight(r: u32) -> f32 {\n  if (ON) { return sample[params.offset + r]; }\n  return 1.0;\n}`;
  const kernelWith = (decls: string): string =>
    `//!include lib/w.wgsl\n${decls}\n@compute @workgroup_size(1)\nfn main() { out[0] = weight(0u); }`;
  const complete =
    'struct P { rows: u32, offset: u32 }\noverride ON: bool = true;\n@group(0) @binding(0) var<uniform> params: P;\n@group(0) @binding(1) var<storage, read> sample: array<f32>;\n@group(0) @binding(2) var<storage, read_write> out: array<f32>;';
  const problems = (lib: string, decls: string): string[] =>
    needsProblems(resolveIn({ 'lib/w.wgsl': lib, 'k.wgsl': kernelWith(decls) }, 'k.wgsl'), '/s');

  test('a contract the kernel keeps has no problem', () => {
    assert.deepEqual(problems(weight('//!needs ON sample params.offset'), complete), []);
  });

  test('an unwritten requirement is named, with the line to add', () => {
    assert.deepEqual(problems(weight('//!needs ON'), complete), [
      "lib/w.wgsl reads 'sample' of the file including it without declaring it: add '//!needs sample' to its header",
      "lib/w.wgsl reads 'params.offset' of the file including it without declaring it: add '//!needs params.offset' to its header",
    ]);
  });

  test('a kernel that does not provide a need, or a uniform without the field, is refused', () => {
    const lib = weight('//!needs ON sample params.offset');
    assert.deepEqual(problems(lib, complete.replace('override ON: bool = true;', '')), [
      "lib/w.wgsl needs 'ON', which k.wgsl does not declare",
    ]);
    assert.deepEqual(problems(lib, complete.replace('offset: u32', 'first: u32')), [
      "lib/w.wgsl needs 'params.offset', but params (P) in k.wgsl has no field 'offset'",
    ]);
  });

  test('a need the file does not read, and needs in a kernel, are refused', () => {
    assert.deepEqual(problems(weight('//!needs ON sample params.offset params.rows'), complete), [
      "lib/w.wgsl declares '//!needs params.rows' but does not read it",
    ]);
    const module = resolveIn({ 'k.wgsl': `//!needs ON\n${complete}\n@compute @workgroup_size(1)\nfn main() { out[0] = 1.0; }` }, 'k.wgsl');
    assert.deepEqual(needsProblems(module, '/s'), ['k.wgsl is a kernel; only included files declare //!needs']);
  });

  test("what an include reads of its own includes needs no declaration; a need may be met by an include's includer", () => {
    const files = {
      'lib/reduce.wgsl': '//!needs Partial combine\nfn twice(a: Partial) -> Partial { return combine(a, a); }',
      'lib/sums.wgsl':
        '//!include reduce.wgsl\nalias Partial = f32;\nfn combine(a: f32, b: f32) -> f32 { return a + b; }\nfn four(a: f32) -> f32 { return twice(twice(a)); }',
      'k.wgsl':
        '//!include lib/sums.wgsl\n@group(0) @binding(0) var<storage, read_write> out: array<f32>;\n@compute @workgroup_size(1)\nfn main() { out[0] = four(1.0); }',
    };
    assert.deepEqual(needsProblems(resolveIn(files, 'k.wgsl'), '/s'), []);
  });

  test('the build fails with the message (generateKernels)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shadernet-needs-'));
    try {
      mkdirSync(join(dir, 'shaders/lib'), { recursive: true });
      writeFileSync(join(dir, 'shaders/lib/w.wgsl'), weight('//!needs ON sample params.offset'));
      writeFileSync(join(dir, 'shaders/k.wgsl'), kernelWith(complete.replace('override ON: bool = true;', '')));
      assert.throws(
        () => generateKernels({ shadersDir: join(dir, 'shaders'), outDir: join(dir, 'out') }),
        /k\.wgsl: kernel 'k' breaks the contract of an included file \(\/\/!needs\):\n {2}- lib\/w\.wgsl needs 'ON', which k\.wgsl does not declare/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const kernel = (options: { wg?: string; decls?: string; body?: string } = {}): string => `
struct P { n: u32, scale: f32 }
override WG: u32 = 64u;
override SCALE: f32 = 0.5;
override ON: bool = true;
${options.decls ?? ''}
@group(0) @binding(0) var<uniform> params: P;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> unused: array<u32>;
fn scaled(v: f32) -> f32 { return select(v, v * SCALE, ON); }
@compute @workgroup_size(${options.wg ?? 'WG'})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) { ${options.body ?? 'if (gid.x < params.n) { out[gid.x] = scaled(params.scale); }'} }
@compute @workgroup_size(8, 2)
fn other() { out[0] = 1.0; }
`;

describe('reflectKernel (generation time)', () => {
  test('reflects bindings, defaults, what each entry point reaches (through calls), sizes and the uniform layout', () => {
    const data = reflectKernel('t', kernel());
    assert.deepEqual(
      data.bindings.map((b) => `${b.binding} ${b.name} ${b.access} ${b.type}`),
      ['0 params uniform P', '1 out read_write array<f32>', '2 unused read array<u32>'],
    );
    assert.deepEqual(data.overrides, {
      WG: { type: 'u32', default: 64 },
      SCALE: { type: 'f32', default: 0.5 },
      ON: { type: 'bool', default: 1 },
    });
    assert.deepEqual(data.entryPoints, {
      main: { bindings: ['params', 'out'], overrides: ['WG', 'SCALE', 'ON'], workgroupSize: ['WG', 1, 1] },
      other: { bindings: ['out'], overrides: [], workgroupSize: [8, 2, 1] },
    });
    assert.deepEqual(data.uniform, {
      structName: 'P',
      size: 8,
      fields: { n: { offset: 0, type: 'u32' }, scale: { offset: 4, type: 'f32' } },
    });
  });

  const refusals: [string, string, RegExp][] = [
    [
      'a binding outside group 0',
      kernel({ decls: '@group(1) @binding(0) var<storage, read> far: array<f32>;', body: 'out[0] = far[0];' }),
      /far is in @group\(1\)/,
    ],
    [
      'a second uniform',
      kernel({ decls: '@group(0) @binding(3) var<uniform> more: P;' }),
      /exactly one var<uniform> of a struct type \(found 2\)/,
    ],
    [
      'a uniform field that is not a scalar',
      kernel().replace('scale: f32 }', 'scale: f32, v: vec2<f32> }'),
      /uniform field P\.v is vec2<f32>/,
    ],
    [
      'a workgroup size from a const',
      kernel({ wg: 'K', decls: 'const K = 4u;' }),
      /workgroup size 'K' is neither an integer literal nor an integer override/,
    ],
    ['a workgroup size from an expression', kernel({ wg: 'WG * 2u' }), /does not parse/],
    [
      'an override without a default',
      kernel({ decls: 'override BARE: u32;', body: 'out[0] = f32(BARE);' }),
      /override BARE has no default/,
    ],
    [
      'an override whose default is not a literal',
      kernel({ decls: 'override TWICE: u32 = WG * 2u;', body: 'out[0] = f32(TWICE);' }),
      /override TWICE: the default must be a literal/,
    ],
  ];
  for (const [what, source, message] of refusals) {
    test(`refuses ${what}`, () => assert.throws(() => reflectKernel('t', source), message));
  }

  test('refuses a tree reduction over a workgroup whose size is not a power of two', () => {
    const reduce = (size: string): string =>
      kernel({
        decls: `override N: u32 = ${size};\nvar<workgroup> part: array<f32, N>;
fn total(lid: u32) -> f32 {
  for (var stride = N / 2u; stride > 0u; stride /= 2u) { if (lid < stride) { part[lid] += part[lid + stride]; } workgroupBarrier(); }
  return part[0];
}`,
        wg: 'N',
        body: 'out[0] = total(0u);',
      });
    assert.doesNotThrow(() => reflectKernel('t', reduce('128u')));
    assert.throws(
      () => reflectKernel('t', reduce('96u')),
      /entry main tree-reduces over its workgroup, whose size N = 96 is not a power of two/,
    );
  });

  test("refuses shaders/lib/workgroup_reduce.wgsl's reduction over a workgroup whose size is not a power of two", () => {
    const lib = readFileSync(join(process.cwd(), 'shaders/lib/workgroup_reduce.wgsl'), 'utf8');
    const user = (size: string): string => `${lib}
alias Partial = f32;
fn combine(a: f32, b: f32) -> f32 { return a + b; }
override WG: u32 = ${size};
struct P { n: u32 }
@group(0) @binding(0) var<uniform> params: P;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(WG)
fn total(@builtin(local_invocation_index) lid: u32) { out[0] = workgroup_reduce(lid, 1.0); }
@compute @workgroup_size(WG)
fn plain(@builtin(local_invocation_index) lid: u32) { out[lid] = 1.0; }`;
    assert.doesNotThrow(() => reflectKernel('t', user('256u')));
    assert.throws(
      () => reflectKernel('t', user('192u')),
      (e: Error) =>
        /entry total tree-reduces over its workgroup, whose size WG = 192 is not a power of two/.test(e.message) &&
        !/entry plain/.test(e.message),
    );
  });
});

describe('generateKernels', () => {
  test('writes one module per kernel, one per included file, and an index; drops stale ones; writes nothing when a kernel is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shadernet-gen-'));
    try {
      const shaders = join(dir, 'shaders');
      const out = join(dir, 'generated');
      mkdirSync(join(shaders, 'lib'), { recursive: true });
      mkdirSync(out);
      const mk = (name: string, text: string): void => writeFileSync(join(shaders, name), text);
      mk('lib/scale.wgsl', '//!needs SCALE ON\nfn scaled(v: f32) -> f32 { return select(v, v * SCALE, ON); }');
      mk('one.wgsl', `//!include lib/scale.wgsl\n${kernel().replace(/fn scaled.*\n/, '')}`);
      writeFileSync(join(out, 'gone.ts'), '// a family whose shader was removed');

      const first = generateKernels({ shadersDir: shaders, outDir: out });
      assert.deepEqual(first.families, ['one']);
      assert.deepEqual(readdirSync(out).sort(), ['index.ts', 'lib', 'one.ts']);
      assert.deepEqual(readdirSync(join(out, 'lib')), ['scale.ts']);
      const module = readFileSync(join(out, 'one.ts'), 'utf8');
      assert.match(module, /export type OneKernel = \{\n {2}name: 'one',/);
      assert.match(module, /export const ONE_KERNEL = unpackKernelSpec<OneKernel>\('one', /);
      assert.match(module, /import \{ SCALE_WGSL \} from '\.\/lib\/scale\.js';/);
      assert.match(module, /unpackKernelSpec<OneKernel>\('one', \[SCALE_WGSL, '/);
      assert.match(readFileSync(join(out, 'lib/scale.ts'), 'utf8'), /export const SCALE_WGSL = 'fn \w+\(\w+:f32\)->f32\{/);
      assert.equal(generateKernels({ shadersDir: shaders, outDir: out }).written, 0, 'unchanged modules are not rewritten');

      mk('two.wgsl', kernel({ decls: '@group(1) @binding(0) var<storage, read> far: array<f32>;', body: 'out[0] = far[0];' }));
      assert.throws(() => generateKernels({ shadersDir: shaders, outDir: out }), /two\.wgsl: kernel 'two' cannot be generated/);
      assert.deepEqual(readdirSync(out).sort(), ['index.ts', 'lib', 'one.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('entry point and override names of generated specs are literal types', () => {
  // Never called: tsc checks it (npm run typecheck); each line below must fail to compile.
  const misuse = (ctx: GpuContext): void => {
    // @ts-expect-error: dense has no entry point 'forwrd'
    ctx.kernels.pipeline(DENSE_KERNEL, 'forwrd');
    // @ts-expect-error: forward has no override 'PREV_ACTIVATION'
    ctx.kernels.pipeline(DENSE_KERNEL, 'forward', { PREV_ACTIVATION: 1 });
    // @ts-expect-error: no override 'WG' in any dense entry point
    ctx.kernels.pipeline(DENSE_KERNEL, 'backward_data', { WG: 64 });
  };
  assert.equal(typeof misuse, 'function');
});

describe('mangleShaders', () => {
  const lib = 'fn scaled(value:f32)->f32{let twice=value*2.0;return max(twice,SCALE);}';
  const one =
    'struct P{rows:u32,}override SCALE:f32=1.0;@group(0)@binding(0)var<uniform>params:P;@group(0)@binding(1)var<storage,read_write>out:array<f32>;@compute@workgroup_size(64)fn main(@builtin(global_invocation_id)gid:vec3<u32>){let rows=params.rows;if(gid.x<rows){out[gid.x]=scaled(f32(gid.x));}}';

  test('renames what the shaders declare, once for every file; keeps entry points, overrides, builtins, attributes and swizzles', () => {
    const { mangled, mapping } = mangleShaders(
      new Map([
        ['lib/s.wgsl', lib],
        ['one.wgsl', one],
      ]),
      [['lib/s.wgsl', 'one.wgsl']],
      ['main', 'SCALE'],
    );
    for (const name of ['scaled', 'value', 'twice', 'P', 'rows', 'params', 'out', 'gid'])
      assert.ok(mapping.has(name), `${name} is renamed`);
    for (const name of [
      'main',
      'SCALE',
      'max',
      'f32',
      'u32',
      'vec3',
      'array',
      'x',
      'global_invocation_id',
      'workgroup_size',
      'storage',
      'read_write',
    ]) {
      assert.ok(!mapping.has(name), `${name} keeps its spelling`);
    }
    const text = mangled.get('one.wgsl') ?? '';
    assert.match(text, /fn main\(@builtin\(global_invocation_id\)/);
    assert.match(text, /\.x</);
    assert.ok(!/\bscaled\b|\brows\b|\bparams\b/.test(text), text);
    // The include's module and its call site agree on the new name.
    assert.ok(text.includes(`${mapping.get('scaled')}(f32(`));
    assert.ok((mangled.get('lib/s.wgsl') ?? '').startsWith(`fn ${mapping.get('scaled')}(`));
    assert.equal(unmangle(text, mapping), one);
  });

  test('a name some module uses without declaring it (a builtin) is never renamed, even where another declares it', () => {
    const declaresMax = 'fn max2(a:f32)->f32{let max=a;return max;}';
    const usesMax = 'fn g(a:f32,b:f32)->f32{return max(a,b);}';
    const { mapping } = mangleShaders(
      new Map([
        ['a.wgsl', declaresMax],
        ['b.wgsl', usesMax],
      ]),
      [['a.wgsl'], ['b.wgsl']],
      [],
    );
    assert.ok(!mapping.has('max'));
    assert.ok(mapping.has('max2'));
  });
});

test('packed spec data unpacks to the reflected data, and names that could not be packed are refused', () => {
  const data = reflectKernel('dense', resolveIncludes(`${process.cwd()}/shaders/dense.wgsl`).source);
  const unpacked = unpackKernelSpec('dense', 'source', packKernelData(data));
  // Bindings keep number, name and access at run time (their WGSL type is a build-time fact).
  assert.deepEqual({ ...unpacked, source: undefined }, { ...data, bindings: runtimeBindings(data), source: undefined });
  // What the generated module unpacks is that same data.
  assert.deepEqual(unpacked, { ...DENSE_KERNEL, source: 'source' });
  assert.throws(
    () => packKernelData({ ...data, bindings: [{ binding: 0, name: 'a b', access: 'read', type: 'array<f32>' }] }),
    /cannot pack the name 'a b'/,
  );
});
