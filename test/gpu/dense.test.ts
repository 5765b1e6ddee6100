import { describe, test } from 'node:test';
import { runKernels } from '../../src/gpu/dispatch.js';
import { ACTIVATIONS } from '../../src/spec/activations.js';
import { denseBackwardData, denseBackwardWeights, denseForward, denseTile, isAligned } from '../../src/kernels/dense.js';
import { activationGradient } from '../../src/kernels/elementwise.js';
import * as ref from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { shapeActivationGrid } from '../helpers/grid.js';
import { dot, expectClose, f32, numericGradient, randomArray, type Tolerance } from '../helpers/numeric.js';
import assert from 'node:assert/strict';

const gpu = useGpu();

/**
 * (rows, inputs, units): 1, primes, tile ± 1, a tutorial batch, and a larger layer; the last
 * four have inputs and units that are multiples of 4, which run the vec4 (aligned) kernels.
 */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [3, 17, 5],
  [17, 3, 129],
  [32, 2, 128],
  [33, 128, 1],
  [1000, 64, 33],
  [1, 4, 4],
  [33, 8, 12],
  [32, 128, 128],
  [1000, 64, 36],
];

/** Every shape runs with these (a kink, a saturating curve, a slope that reads Z); every activation on the two below. */
const SWEEP_ACTIVATIONS = ['relu', 'sigmoid', 'gelu'] as const;
/** One shape per entry point: generic (17×3 · 3×129) and vec4-aligned (33×8 · 8×12). */
const EVERY_ACTIVATION_ON = [SHAPES[2]!, SHAPES[7]!];
const GRID = shapeActivationGrid(SHAPES, SWEEP_ACTIVATIONS, EVERY_ACTIVATION_ON, ACTIVATIONS);

/**
 * Tolerance for an f32 dot product of n terms bounded by 1 against float64: the classic bound
 * n·ε·Σ|terms| gives atol = n·2⁻²³ ≈ 1.2e-7·n; rtol 1e-4 covers the activation functions
 * (exp/tanh are accurate to a few ULP in WGSL).
 */
function dotTolerance(n: number): Tolerance {
  return { rtol: 1e-4, atol: 1.2e-7 * n + 1e-6 };
}

describe('dense forward: Y = act(X·W + b) vs float64 reference', () => {
  for (const [[rows, inputs, units], activation] of GRID) {
    test(`${rows}×${inputs} · ${inputs}×${units}, ${activation}`, async () => {
      const ctx = gpu();
      const dims = { rows, inputs, units };
      const x = f32(randomArray(rows * inputs, 1));
      const w = f32(randomArray(inputs * units, 2));
      const b = f32(randomArray(units, 3));
      const y = zeros(ctx, 'y', rows * units);
      const kernel = denseForward(
        ctx,
        dims,
        { x: upload(ctx, 'x', x), weights: upload(ctx, 'w', w), bias: upload(ctx, 'b', b), y },
        { activation },
      );
      await runKernels(ctx, 'dense forward', [kernel]);
      const expected = ref.denseForward(dims, x, w, b, activation);
      expectClose(await ctx.readFloats(y), expected, dotTolerance(inputs + 1), `Y ${rows}×${units}`);
    });
  }

  test('without bias, and reading a window of rows at an offset, writing at an offset', async () => {
    const ctx = gpu();
    const dims = { rows: 5, inputs: 7, units: 6 };
    const all = f32(randomArray(20 * 7, 4));
    const w = f32(randomArray(7 * 6, 5));
    const y = zeros(ctx, 'y', 9 * 6);
    const kernel = denseForward(
      ctx,
      dims,
      { x: upload(ctx, 'x', all), weights: upload(ctx, 'w', w), bias: upload(ctx, 'b', [99, 99, 99, 99, 99, 99]), y },
      { activation: 'tanh', useBias: false },
    );
    kernel.setWindow({ rows: 5, xRowOffset: 11, yRowOffset: 4 });
    await runKernels(ctx, 'dense forward window', [kernel]);
    const out = await ctx.readFloats(y);
    const expected = ref.denseForward(dims, all.subarray(11 * 7, 16 * 7), w, undefined, 'tanh');
    expectClose(out.subarray(4 * 6), expected, dotTolerance(8), 'windowed Y');
    assert.deepEqual([...out.subarray(0, 4 * 6)], new Array(24).fill(0), 'rows before the output offset are untouched');
  });
});

describe('dense backward vs float64 reference', () => {
  for (const [[rows, inputs, units], previous] of GRID) {
    test(`dZprev = (dZ·Wᵀ) ⊙ ${previous}'(Yprev), ${rows}×${units} · (${inputs}×${units})ᵀ`, async () => {
      const ctx = gpu();
      const dims = { rows, inputs, units };
      const dz = f32(randomArray(rows * units, 6));
      const w = f32(randomArray(inputs * units, 7));
      // A plausible previous-layer output: its activation applied to random pre-activations.
      const zPrev = f32(randomArray(rows * inputs, 8, -2, 2));
      const yPrev = f32(ref.activateAll(previous, zPrev));
      const dzPrev = zeros(ctx, 'dzPrev', rows * inputs);
      const kernel = denseBackwardData(
        ctx,
        dims,
        // zPrev is read instead of yPrev for gelu and swish only.
        {
          weights: upload(ctx, 'w', w),
          dz: upload(ctx, 'dz', dz),
          yPrev: upload(ctx, 'yPrev', yPrev),
          zPrev: upload(ctx, 'zPrev', zPrev),
          dzPrev,
        },
        { previousActivation: previous },
      );
      await runKernels(ctx, 'dense backward_data', [kernel]);
      const expected = ref.denseBackwardData(dims, dz, w, yPrev, previous, undefined, zPrev);
      expectClose(await ctx.readFloats(dzPrev), expected, dotTolerance(units), 'dZprev');
    });
  }

  for (const [rows, inputs, units] of SHAPES) {
    test(`dW = Xᵀ·dZ and db = Σ dZ, ${rows}×${inputs}, ${rows}×${units}`, async () => {
      const ctx = gpu();
      const dims = { rows, inputs, units };
      const x = f32(randomArray(rows * inputs, 9));
      const dz = f32(randomArray(rows * units, 10));
      const dWeights = zeros(ctx, 'dW', inputs * units);
      const dBias = zeros(ctx, 'db', units);
      const kernel = denseBackwardWeights(ctx, dims, { x: upload(ctx, 'x', x), dz: upload(ctx, 'dz', dz), dWeights, dBias });
      await runKernels(ctx, 'dense backward_weights', [kernel]);
      const expected = ref.denseBackwardWeights(dims, x, dz);
      expectClose(await ctx.readFloats(dWeights), expected.dWeights, dotTolerance(rows), 'dW');
      expectClose(await ctx.readFloats(dBias), expected.dBias, dotTolerance(rows), 'db');
    });
  }

  test('gradients are written, not accumulated: running the step twice gives the same result', async () => {
    const ctx = gpu();
    const dims = { rows: 9, inputs: 5, units: 7 };
    const dWeights = zeros(ctx, 'dW', 35);
    const dBias = zeros(ctx, 'db', 7);
    const kernel = denseBackwardWeights(ctx, dims, {
      x: upload(ctx, 'x', randomArray(45, 11)),
      dz: upload(ctx, 'dz', randomArray(63, 12)),
      dWeights,
      dBias,
    });
    await runKernels(ctx, 'first', [kernel]);
    const first = await ctx.readFloats(dWeights);
    await runKernels(ctx, 'second', [kernel]);
    assert.deepEqual(await ctx.readFloats(dWeights), first);
  });
});

describe('dense gradients vs finite differences', () => {
  // Scalar objective L = Σ G ⊙ act(X·W + b) for a fixed random G; its exact gradients are what
  // the backward kernels compute from dZ = G ⊙ act'(Y). Finite differences run on the float64
  // reference, so they are accurate to ~1e-9 and the tolerance is the GPU's f32 error.
  const gradTolerance: Tolerance = { rtol: 1e-3, atol: 1e-4 };
  for (const activation of ACTIVATIONS) {
    test(`dW, db, dX of Σ G ⊙ ${activation}(X·W + b), 6×5 · 5×7`, async () => {
      const ctx = gpu();
      const dims = { rows: 6, inputs: 5, units: 7 };
      const x = f32(randomArray(30, 13));
      const w = f32(randomArray(35, 14));
      const b = f32(randomArray(7, 15));
      const g = f32(randomArray(42, 16));
      const y = ref.denseForward(dims, x, w, b, activation);
      // ReLU has a kink at 0: finite differences across it are meaningless, so keep away.
      if (activation === 'relu') {
        const z = ref.denseForward(dims, x, w, b, 'linear');
        assert.ok(
          z.every((v) => Math.abs(v) > 1e-3),
          'test data must keep pre-activations away from the ReLU kink',
        );
      }
      const yBuffer = upload(ctx, 'y', y);
      const dzBuffer = zeros(ctx, 'dz', 42);
      const dWeights = zeros(ctx, 'dW', 35);
      const dBias = zeros(ctx, 'db', 7);
      const dx = zeros(ctx, 'dx', 30);
      const wBuffer = upload(ctx, 'w', w);
      await runKernels(ctx, 'dense grads', [
        activationGradient(ctx, activation, 42, {
          y: yBuffer,
          z: upload(ctx, 'z', ref.densePreActivation(dims, x, w, b)),
          dy: upload(ctx, 'g', g),
          dz: dzBuffer,
        }),
        denseBackwardWeights(ctx, dims, { x: upload(ctx, 'x', x), dz: dzBuffer, dWeights, dBias }),
        // yPrev is not read with a linear previous activation, but must be a distinct buffer.
        denseBackwardData(
          ctx,
          dims,
          { weights: wBuffer, dz: dzBuffer, yPrev: zeros(ctx, 'unused', 1), dzPrev: dx },
          { previousActivation: 'linear' },
        ),
      ]);
      const objective = (xs: Float64Array, ws: Float64Array, bs: Float64Array) => dot(g, ref.denseForward(dims, xs, ws, bs, activation));
      expectClose(
        await ctx.readFloats(dWeights),
        numericGradient((ws) => objective(x, ws, b), w),
        gradTolerance,
        'dW vs finite differences',
      );
      expectClose(
        await ctx.readFloats(dBias),
        numericGradient((bs) => objective(x, w, bs), b),
        gradTolerance,
        'db vs finite differences',
      );
      expectClose(
        await ctx.readFloats(dx),
        numericGradient((xs) => objective(xs, w, b), x),
        gradTolerance,
        'dX vs finite differences',
      );
    });
  }

  for (const previous of ACTIVATIONS) {
    test(`fused dZprev = dL/dZprev through ${previous}, L = Σ G ⊙ (${previous}(Zprev)·W)`, async () => {
      const ctx = gpu();
      const dims = { rows: 4, inputs: 6, units: 3 };
      // Pre-activations away from ReLU's kink at 0.
      const zPrev = f32(randomArray(24, 17).map((v) => (v >= 0 ? v + 0.1 : v - 0.1)));
      const w = f32(randomArray(18, 18));
      const g = f32(randomArray(12, 19));
      const yPrev = ref.activateAll(previous, zPrev);
      const dzPrev = zeros(ctx, 'dzPrev', 24);
      await runKernels(ctx, 'fused backward', [
        denseBackwardData(
          ctx,
          dims,
          {
            weights: upload(ctx, 'w', w),
            dz: upload(ctx, 'g', g),
            yPrev: upload(ctx, 'yPrev', yPrev),
            zPrev: upload(ctx, 'zPrev', zPrev),
            dzPrev,
          },
          { previousActivation: previous },
        ),
      ]);
      const objective = (z: Float64Array) => dot(g, ref.denseForward(dims, ref.activateAll(previous, z), w, undefined, 'linear'));
      expectClose(await ctx.readFloats(dzPrev), numericGradient(objective, zPrev), gradTolerance, 'dZprev vs finite differences');
    });
  }
});

test('aligned shapes (inputs and units multiples of 4) compile to the vec4 entry points', () => {
  const aligned = SHAPES.filter(([rows, inputs, units]) => isAligned({ rows, inputs, units }));
  assert.equal(aligned.length, 4);
  const [rows, inputs, units] = aligned[2]!;
  const ctx = gpu();
  const kernel = denseForward(
    ctx,
    { rows, inputs, units },
    {
      x: zeros(ctx, 'x', rows * inputs),
      weights: zeros(ctx, 'w', inputs * units),
      bias: zeros(ctx, 'b', units),
      y: zeros(ctx, 'y', rows * units),
    },
    { activation: 'relu' },
  );
  assert.equal(kernel.kernel.label, 'dense.forward_aligned');
});

test('tile choice: at most 64 invocations, no idle columns, no rows past the output', () => {
  assert.deepEqual(denseTile(32, 1), { WG_X: 1, WG_Y: 8 });
  assert.deepEqual(denseTile(4000, 1), { WG_X: 1, WG_Y: 64 });
  assert.deepEqual(denseTile(32, 128), { WG_X: 8, WG_Y: 8 });
  assert.deepEqual(denseTile(1000, 33), { WG_X: 8, WG_Y: 8 });
  assert.deepEqual(denseTile(2, 5), { WG_X: 2, WG_Y: 1 });
  // Rows undefined (a batch's): the full height whatever the batch, so one pipeline for all.
  assert.deepEqual(denseTile(undefined, 1), { WG_X: 1, WG_Y: 64 });
  assert.deepEqual(denseTile(undefined, 128), { WG_X: 8, WG_Y: 8 });
});
