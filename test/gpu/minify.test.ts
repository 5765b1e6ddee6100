import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { resolveIncludes } from '../../scripts/kernels/includes.mjs';
import { minifyWgsl } from '../../scripts/kernels/minify.mjs';
import { buildKernels } from '../../scripts/generate-kernels.mjs';
import { ALL_KERNELS } from '../../src/kernels/index.js';
import { useGpu } from '../helpers/gpu.js';

const gpu = useGpu();

/** Compiles `code` on the device; returns its error messages (validation errors and compilation errors). */
async function compileErrors(code: string, label: string): Promise<string[]> {
  const { device } = gpu();
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const error = await device.popErrorScope();
  const messages = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
  return error ? [...messages, error.message] : messages;
}

test('the compile check sees errors', async () => {
  assert.notDeepEqual(await compileErrors('fn f() -> f32 { return 1u; }', 'broken'), []);
});

for (const kernel of ALL_KERNELS) {
  test(`kernel '${kernel.name}': the minified module compiles without errors`, async () => {
    assert.deepEqual(await compileErrors(kernel.source, kernel.name), []);
  });
}

test('minifying is idempotent, and the generated source is the shader minified and mangled', () => {
  const built = new Map(buildKernels(resolve(process.cwd(), 'shaders')).kernels.map((k) => [k.family, k.source]));
  for (const kernel of ALL_KERNELS) {
    const original = resolveIncludes(resolve(process.cwd(), 'shaders', `${kernel.name}.wgsl`)).source;
    const once = minifyWgsl(original);
    assert.equal(built.get(kernel.name), kernel.source, `${kernel.name}: generated source is stale`);
    assert.equal(minifyWgsl(once), once, `${kernel.name}: minify(minify(x)) !== minify(x)`);
    assert.ok(once.length < original.length * 0.75, `${kernel.name}: ${once.length} of ${original.length} bytes`);
    assert.ok(kernel.source.length < once.length * 0.9, `${kernel.name}: mangled ${kernel.source.length} of ${once.length} minified bytes`);
  }
});

const TRICKY = `// leading comment
fn f(p: ptr<function, f32>, a: f32, b: f32) -> f32 {
  let c = a - -b;   /* nested /* comment */ still a comment */
  let d = a / *p;   // a division, then a pointer dereference
  let e = 1e-7 + 0x1p-3f - .5 + 2.e+1;
  var i = - -1;
  return c + d + e + f32(i) - -  1.0;
}
@compute @workgroup_size(1)
fn main() { var x = 1.0; _ = f(&x, 1.0, 2.0); } // trailing, no newline`;

test('tricky snippets: operators that would merge, comments, exponents with signs, short floats', async () => {
  const minified = minifyWgsl(TRICKY);
  assert.equal(
    minified,
    'fn f(p:ptr<function,f32>,a:f32,b:f32)->f32{let c=a- -b;let d=a/ *p;let e=1e-7+0x1p-3f-.5+2.e+1;var i= - -1;' +
      'return c+d+e+f32(i)- -1.;}@compute@workgroup_size(1)fn main(){var x=1.;_=f(&x,1.,2.);}',
  );
  // Decimal floats in their shortest spelling; other numbers as they are.
  assert.equal(minifyWgsl('let a = 0.50 + 10.0 + 2.0f + 0.0 + 1.25 + 100 + 1e-7 + 0x1.8p1;'), 'let a=.5+10.+2.f+0.+1.25+100+1e-7+0x1.8p1;');
  assert.equal(minifyWgsl(minified), minified);
  assert.deepEqual(await compileErrors(TRICKY, 'tricky'), []);
  assert.deepEqual(await compileErrors(minified, 'tricky minified'), []);
  assert.equal(minifyWgsl('a & &b; x = y/**/z; a\n<\n=\nb'), 'a& &b;x=y z;a< =b');
  assert.equal(minifyWgsl('let ünïcode = 1u; // Σ ≤ ∞\n'), 'let ünïcode=1u;');
  assert.throws(() => minifyWgsl('fn f() {} /* /* */'), /unterminated block comment/);
});
