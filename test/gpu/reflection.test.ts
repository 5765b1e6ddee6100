import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolve } from 'node:path';
import { resolveIncludes } from '../../scripts/kernels/includes.mjs';
import { buildKernels, kernelFiles } from '../../scripts/generate-kernels.mjs';
import { unmangle } from '../../scripts/kernels/mangle.mjs';
import type { KernelSpec } from '../../src/gpu/kernel-spec.js';
import { ALL_KERNELS, DENSE_KERNEL } from '../../src/kernels/index.js';
import { findKernelMismatches } from '../helpers/kernel-reflection.js';

// The generated specs (src/kernels/generated/, made by every build) against their shaders,
// reflected again here, from the readable sources and from the ones the runtime loads (minified,
// their own names shortened: mapped back for the comparison).

const SHADERS = resolve(process.cwd(), 'shaders');
const { mapping } = buildKernels(SHADERS);
const denseSource = resolveIncludes(resolve(SHADERS, 'dense.wgsl')).source;

test('every top-level shaders/*.wgsl file has a generated kernel spec, and nothing else does', () => {
  assert.deepEqual(
    ALL_KERNELS.map((k) => k.name).sort(),
    kernelFiles(SHADERS).map((f) => f.family),
  );
});

for (const kernel of ALL_KERNELS) {
  const source = resolveIncludes(resolve(SHADERS, `${kernel.name}.wgsl`)).source;
  test(`kernel '${kernel.name}': the generated spec matches its WGSL`, () => {
    assert.deepEqual(findKernelMismatches(kernel, source), []);
  });
  test(`kernel '${kernel.name}': the shipped module (minified, names shortened) reflects as the original does`, () => {
    assert.deepEqual(findKernelMismatches(kernel, unmangle(kernel.source, mapping)), []);
  });
}

test('the comparison catches a binding added in WGSL but not in the spec', () => {
  const problems = findKernelMismatches(DENSE_KERNEL, `${denseSource}\n@group(0) @binding(30) var<storage, read> extra: array<f32>;`);
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /shader declares @binding\(30\) extra: read array<f32>, the spec does not/);
});

test('the comparison catches wrong access, a wrong name, a missing binding and a wrong entry-point use list', () => {
  const bindings = DENSE_KERNEL.bindings.map((b) =>
    b.name === 'y' ? { ...b, access: 'read' as const } : b.name === 'x' ? { ...b, name: 'xs' } : b,
  );
  const drifted: KernelSpec = {
    ...DENSE_KERNEL,
    bindings: [...bindings, { binding: 31, name: 'ghost', access: 'read' }],
    entryPoints: {
      ...DENSE_KERNEL.entryPoints,
      forward: { ...DENSE_KERNEL.entryPoints.forward, bindings: ['params', 'x', 'weights', 'y'] },
    },
  };
  const problems = findKernelMismatches(drifted, denseSource).join('\n');
  assert.match(problems, /binding 4: shader has .*y: read_write .*the spec has .*y: read$/m);
  assert.match(problems, /binding 1: shader has .*x: read array<f32>.*the spec has .*xs: read/);
  assert.match(problems, /the spec declares @binding\(31\) ghost/);
  assert.match(problems, /entry forward uses bindings \[bias, params, weights, x, y\], the spec says \[params, weights, x, y\]/);
});

test('the comparison catches overrides and entry points that exist on one side only, and a changed default', () => {
  const drifted: KernelSpec = {
    ...DENSE_KERNEL,
    overrides: { ...DENSE_KERNEL.overrides, PHANTOM: { type: 'u32', default: 0 } },
    entryPoints: { ...DENSE_KERNEL.entryPoints, missing_entry: DENSE_KERNEL.entryPoints.forward },
  };
  const problems = findKernelMismatches(drifted, denseSource.replace('override WG_X: u32 = 8u;', 'override WG_X: u32 = 16u;')).join('\n');
  assert.match(problems, /the spec declares override PHANTOM/);
  assert.match(problems, /the spec declares entry point missing_entry, the shader has none/);
  assert.match(problems, /override WG_X: shader default 16, the spec 8/);
});

test('the comparison reports a workgroup size and a uniform layout that disagree with the shader', () => {
  const drifted: KernelSpec = {
    ...DENSE_KERNEL,
    entryPoints: { ...DENSE_KERNEL.entryPoints, forward: { ...DENSE_KERNEL.entryPoints.forward, workgroupSize: [16, 4, 1] } },
    uniform: { ...DENSE_KERNEL.uniform, size: 28 },
  };
  const problems = findKernelMismatches(drifted, denseSource).join('\n');
  assert.match(problems, /entry forward: shader workgroup size 8x8x1, the spec 16x4x1/);
  assert.match(problems, /uniform: shader .*"size":24.*the spec .*"size":28/);
});
