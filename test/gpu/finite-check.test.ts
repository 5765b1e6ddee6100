import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runKernels } from '../../src/gpu/dispatch.js';
import { decodeFirstNonFinite, findNonFinite, FINITE_CHECK_KERNEL } from '../../src/kernels/finite-check.js';
import { resolveIncludes } from '../../scripts/kernels/includes.mjs';
import { reflectKernel } from '../../scripts/kernels/reflect.mjs';
import { useGpu } from '../helpers/gpu.js';

const gpu = useGpu();

/** Bit patterns of float32 values: every class of finite value, and every class of non-finite one. */
const FINITE_BITS = [
  0x00000000, // +0
  0x80000000, // −0
  0x00000001, // smallest subnormal
  0x807fffff, // largest negative subnormal
  0x00800000, // smallest normal
  0x3f800000, // 1
  0x7f7fffff, // largest finite
  0xff7fffff, // most negative finite
];
const NON_FINITE_BITS = [
  0x7f800000, // +Infinity
  0xff800000, // −Infinity
  0x7fc00000, // quiet NaN
  0x7f800001, // signalling NaN (a value an f32 load may quieten or trap on)
  0xffffffff, // negative NaN, all payload bits
];

async function firstNonFinite(bits: readonly number[]): Promise<number | undefined> {
  const ctx = gpu();
  const values = ctx.createStorage('values', Uint32Array.from(bits));
  const result = ctx.createStorage('result', 1);
  await runKernels(ctx, 'finite check', [findNonFinite(ctx, bits.length, { values, result })]);
  const word = new Uint32Array(await ctx.read(result))[0]!;
  ctx.destroyBuffer(values);
  ctx.destroyBuffer(result);
  return decodeFirstNonFinite(word, bits.length);
}

describe('finite check (shaders/finite_check.wgsl)', () => {
  test('binds the values as array<u32>: the test is on the bits, never on an f32 the compiler may assume finite', () => {
    const values = reflectKernel('finite_check', resolveIncludes(`${process.cwd()}/shaders/finite_check.wgsl`).source).bindings.find(
      (b) => b.name === 'values',
    );
    assert.equal(values?.type, 'array<u32>');
    assert.doesNotMatch(FINITE_CHECK_KERNEL.source, /bitcast<u32>/);
  });

  test('every finite class passes: zeros, subnormals, the largest finite values', async () => {
    assert.equal(await firstNonFinite(FINITE_BITS), undefined);
  });

  for (const bad of NON_FINITE_BITS) {
    test(`0x${bad.toString(16).padStart(8, '0')} is found, at the first index among several`, async () => {
      assert.equal(await firstNonFinite([...FINITE_BITS, bad]), FINITE_BITS.length);
      assert.equal(await firstNonFinite([bad, ...FINITE_BITS, bad]), 0, 'the lowest index wins');
    });
  }

  test('in a long buffer (several workgroups), the first of two bad values', async () => {
    const bits = new Array<number>(70_000).fill(0x3f800000);
    bits[40_000] = 0x7fc00000;
    bits[60_123] = 0x7f800000;
    assert.equal(await firstNonFinite(bits), 40_000);
  });
});
