import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findKernelMismatches } from '../../src/gpu/reflection.js';
import type { KernelSpec } from '../../src/gpu/kernel-spec.js';
import { ALL_KERNELS, DENSE_KERNEL } from '../../src/kernels/index.js';

for (const kernel of ALL_KERNELS) {
  test(`kernel '${kernel.name}': TypeScript declaration matches its WGSL`, () => {
    assert.deepEqual(findKernelMismatches(kernel), []);
  });
}

test('reflection catches a binding added in WGSL but not declared in TypeScript', () => {
  const drifted: KernelSpec = {
    ...DENSE_KERNEL,
    source: `${DENSE_KERNEL.source}\n@group(0) @binding(30) var<storage, read> extra: array<f32>;`,
  };
  const problems = findKernelMismatches(drifted);
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /shader declares @binding\(30\) extra: read array<f32>, TypeScript does not/);
});

test('reflection catches wrong access, wrong type, a missing binding and a wrong entry-point use list', () => {
  const bindings = DENSE_KERNEL.bindings.map((b) =>
    b.name === 'y' ? { ...b, access: 'read' as const } : b.name === 'x' ? { ...b, type: 'array<u32>' } : b,
  );
  const drifted: KernelSpec = {
    ...DENSE_KERNEL,
    bindings: [...bindings, { binding: 31, name: 'ghost', access: 'read', type: 'array<f32>' }],
    entryPoints: {
      ...DENSE_KERNEL.entryPoints,
      forward: { ...DENSE_KERNEL.entryPoints['forward']!, bindings: ['params', 'x', 'weights', 'y'] },
    },
  };
  const problems = findKernelMismatches(drifted).join('\n');
  assert.match(problems, /binding 4: shader has .*y: read_write .*TypeScript has .*y: read /);
  assert.match(problems, /binding 1: shader has .*x: read array<f32>.*TypeScript has .*x: read array<u32>/);
  assert.match(problems, /TypeScript declares @binding\(31\) ghost/);
  assert.match(problems, /entry forward uses bindings \[bias, params, weights, x, y\], TypeScript says \[params, weights, x, y\]/);
});

test('reflection catches overrides and entry points that exist on one side only', () => {
  const drifted: KernelSpec = {
    ...DENSE_KERNEL,
    overrides: { ...DENSE_KERNEL.overrides, PHANTOM: { type: 'u32', default: 0 } },
    entryPoints: { ...DENSE_KERNEL.entryPoints, missing_entry: DENSE_KERNEL.entryPoints['forward']! },
  };
  const problems = findKernelMismatches(drifted).join('\n');
  assert.match(problems, /TypeScript declares override PHANTOM/);
  assert.match(problems, /TypeScript declares entry point missing_entry, the shader has none/);
});

test('reflection reports a workgroup size that disagrees with the TypeScript formula', () => {
  const forward = DENSE_KERNEL.entryPoints['forward']!;
  const drifted: KernelSpec = {
    ...DENSE_KERNEL,
    entryPoints: { ...DENSE_KERNEL.entryPoints, forward: { ...forward, workgroupSize: () => [16, 4, 1] } },
  };
  assert.match(findKernelMismatches(drifted).join('\n'), /entry forward: shader workgroup size 8x8x1, TypeScript 16x4x1/);
});
