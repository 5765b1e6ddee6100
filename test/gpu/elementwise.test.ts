import { describe, test } from 'node:test';
import { runKernels } from '../../src/gpu/dispatch.js';
import { ACTIVATIONS } from '../../src/spec/activations.js';
import { activationApply, activationGradient } from '../../src/kernels/elementwise.js';
import * as ref from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { dot, expectClose, f32, numericGradient, randomArray } from '../helpers/numeric.js';

const gpu = useGpu();

// WGSL's exp and tanh are accurate to a few ULP (3 + 2·|x| for exp); 1e-5 relative covers
// them with margin for inputs in [-8, 8].
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

describe('element-wise activation vs float64 reference', () => {
  for (const count of [1, 3, 17, 129, 1000]) {
    for (const activation of ACTIVATIONS) {
      test(`apply ${activation}, ${count} elements`, async () => {
        const ctx = gpu();
        const z = f32(randomArray(count, count, -8, 8));
        const y = zeros(ctx, 'y', count);
        await runKernels(ctx, 'apply', [activationApply(ctx, activation, count, { z: upload(ctx, 'z', z), y })]);
        expectClose(await ctx.readFloats(y), ref.activateAll(activation, z), TOLERANCE, `${activation}(z)`);
      });

      test(`gradient ${activation}, ${count} elements`, async () => {
        const ctx = gpu();
        // gelu and swish take their derivative from z, the others from y.
        const z = f32(randomArray(count, count + 1, -4, 4));
        const y = f32(ref.activateAll(activation, z));
        const dy = f32(randomArray(count, count + 2));
        const dz = zeros(ctx, 'dz', count);
        await runKernels(ctx, 'gradient', [
          activationGradient(ctx, activation, count, { y: upload(ctx, 'y', y), z: upload(ctx, 'z', z), dy: upload(ctx, 'dy', dy), dz }),
        ]);
        expectClose(await ctx.readFloats(dz), ref.activationGradient(activation, y, dy, undefined, z), TOLERANCE, `dz ${activation}`);
      });
    }
  }

  test('saturating inputs stay finite: sigmoid(±100), tanh(±100)', async () => {
    const ctx = gpu();
    const z = [-100, -88.8, 88.8, 100, -1e30, 1e30];
    for (const activation of ['sigmoid', 'tanh'] as const) {
      const y = zeros(ctx, 'y', z.length);
      await runKernels(ctx, 'saturate', [activationApply(ctx, activation, z.length, { z: upload(ctx, 'z', z), y })]);
      expectClose(await ctx.readFloats(y), ref.activateAll(activation, z), { rtol: 0, atol: 1e-7 }, `${activation} saturation`);
    }
  });

  for (const activation of ACTIVATIONS) {
    test(`gradient kernel vs finite differences of Σ G ⊙ ${activation}(z)`, async () => {
      const ctx = gpu();
      const z = f32(randomArray(40, 21, -3, 3).map((v) => (v >= 0 ? v + 0.05 : v - 0.05)));
      const g = f32(randomArray(40, 22));
      const dz = zeros(ctx, 'dz', 40);
      const y = upload(ctx, 'y', ref.activateAll(activation, z));
      await runKernels(ctx, 'gradient', [
        activationGradient(ctx, activation, 40, { y, z: upload(ctx, 'z', z), dy: upload(ctx, 'g', g), dz }),
      ]);
      const numeric = numericGradient((zs) => dot(g, ref.activateAll(activation, zs)), z);
      expectClose(await ctx.readFloats(dz), numeric, { rtol: 1e-4, atol: 1e-5 }, 'dz vs finite differences');
    });
  }
});
