/**
 * The activations added after the tutorial's four (leaky_relu, elu, gelu, softplus, swish) and
 * their parameter alpha, through every kernel that applies or differentiates them. The generic
 * loops of elementwise/dense/output-head tests cover every activation at its default alpha;
 * here: extreme inputs, the accuracy of the WGSL erf behind gelu, non-default alphas, the
 * pre-activations a gelu/swish layer keeps for its backward pass, and training end to end.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { preferKernels } from '../../src/engine/kernel-choice.js';
import { ValueError } from '../../src/errors.js';
import { runKernels } from '../../src/gpu/dispatch.js';
import { slopeNeedsPreActivation, type Activation } from '../../src/spec/activations.js';
import { decodeMetrics, METRICS_BYTES } from '../../src/kernels/binary-crossentropy.js';
import { denseBackwardData, denseForward, preActivationOffset } from '../../src/kernels/dense.js';
import { activationApply, activationGradient } from '../../src/kernels/elementwise.js';
import { OutputHeadDispatch } from '../../src/kernels/output-head.js';
import { Dense, makeCircles, Sequential, type MatrixLike } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { shapeActivationGrid } from '../helpers/grid.js';
import { dot, expectClose, f32, numericGradient, randomArray, seededUniform, type Tolerance } from '../helpers/numeric.js';

const gpu = useGpu();

/** An activation with a given alpha (undefined: its default / none). */
interface Variant {
  readonly activation: Activation;
  readonly alpha?: number;
}
const label = (v: Variant) => (v.alpha === undefined ? v.activation : `${v.activation}(alpha=${v.alpha})`);

const NEW: readonly Variant[] = [
  { activation: 'leaky_relu' },
  { activation: 'leaky_relu', alpha: 0 },
  { activation: 'leaky_relu', alpha: 0.01 },
  { activation: 'leaky_relu', alpha: 1.5 },
  { activation: 'elu' },
  { activation: 'elu', alpha: 0 },
  { activation: 'elu', alpha: 0.5 },
  { activation: 'elu', alpha: 2 },
  { activation: 'gelu' },
  { activation: 'softplus' },
  { activation: 'swish' },
];

/** The exact derivative in float64 (the reference's formulas fed with exact y and z). */
function exactSlope(v: Variant, z: number): number {
  return ref.activationSlope(v.activation, ref.activate(v.activation, z, v.alpha), v.alpha, z);
}

// f32 inputs, values to a few ulp: WGSL's exp is accurate to 3 + 2·|x| ULP; 1e-5 relative
// with a 1e-6 floor covers that on [-8, 8] (and the tiny values of saturated tails).
const TOLERANCE: Tolerance = { rtol: 1e-5, atol: 1e-6 };

async function applyOnGpu(v: Variant, z: ArrayLike<number>): Promise<Float32Array> {
  const ctx = gpu();
  const y = zeros(ctx, 'y', z.length);
  await runKernels(ctx, 'apply', [activationApply(ctx, v.activation, z.length, { z: upload(ctx, 'z', z), y }, 1, v.alpha)]);
  return ctx.readFloats(y);
}

async function slopeOnGpu(v: Variant, z: Float64Array): Promise<Float32Array> {
  const ctx = gpu();
  const dz = zeros(ctx, 'dz', z.length);
  const y = f32(ref.activateAll(v.activation, z, v.alpha));
  const buffers = { y: upload(ctx, 'y', y), z: upload(ctx, 'z', z), dy: upload(ctx, 'ones', new Array(z.length).fill(1)), dz };
  await runKernels(ctx, 'gradient', [activationGradient(ctx, v.activation, z.length, buffers, 1, v.alpha)]);
  return ctx.readFloats(dz);
}

describe('new activations: values and derivatives vs float64, extreme inputs included', () => {
  const extremes = f32([0, -0, 1e-8, -1e-8, 1e-3, -1e-3, 0.05, -0.05, 0.7, -0.7, 3, -3, 20, -20, 90, -90, 1e30, -1e30]);
  const regular = f32(randomArray(129, 7, -8, 8));
  for (const v of NEW) {
    test(`${label(v)}: act(z) and act'(z) over ±0, ±1e-8, ±20, ±90, ±1e30 and 129 values in [-8, 8]`, async () => {
      const z = Float64Array.from([...extremes, ...regular]);
      const y = await applyOnGpu(v, z);
      assert.ok(y.every(Number.isFinite), `${label(v)} produced a non-finite value`);
      expectClose(y, ref.activateAll(v.activation, z, v.alpha), TOLERANCE, `${label(v)}(z)`);
      // The kernel's derivative (from f32 y, or z) vs the exact one from z in float64; at the
      // kink z = 0, leaky_relu and elu take TF's convention, slope alpha (the reference's too).
      const slope = await slopeOnGpu(v, z);
      assert.ok(slope.every(Number.isFinite), `${label(v)}' produced a non-finite value`);
      expectClose(
        slope,
        Array.from(z, (value) => exactSlope(v, value)),
        TOLERANCE,
        `${label(v)}'(z)`,
      );
    });
  }

  test('gelu is exact (erf form, not the tanh approximation): Φ = gelu(z)/z within 5e-7 on [-8, 8], 1e-4 relative in the tail', async () => {
    // 1601 points, step 0.01; z near 0 is left out (gelu(z)/z there is Φ(0) = 0.5 divided by rounding).
    const z = f32(Array.from({ length: 1601 }, (_, i) => -8 + i * 0.01).filter((value) => Math.abs(value) > 0.02));
    const y = await applyOnGpu({ activation: 'gelu' }, z);
    let worstAbsolute = 0;
    let worstTailRelative = 0;
    z.forEach((value, i) => {
      const phi = ref.normalCdf(value);
      const measured = y[i]! / value;
      worstAbsolute = Math.max(worstAbsolute, Math.abs(measured - phi));
      if (value < -1) worstTailRelative = Math.max(worstTailRelative, Math.abs(measured - phi) / phi);
    });
    assert.ok(worstAbsolute <= 5e-7, `max |Φ error| ${worstAbsolute.toExponential(2)} (erfc fit: 1.2e-7 relative, plus f32 rounding)`);
    assert.ok(worstTailRelative <= 1e-4, `max relative Φ error for z < -1: ${worstTailRelative.toExponential(2)}`);
    // The tanh approximation differs from the erf form by up to ~5e-4 near |z| = 2: far outside.
    const tanhForm = (value: number) => 0.5 * value * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (value + 0.044715 * value ** 3)));
    assert.ok(Math.max(...Array.from(z, (value, i) => Math.abs(y[i]! - tanhForm(value)))) > 1e-4, 'gelu is not the tanh approximation');
  });

  test('an alpha for an activation without one, or a negative one, is a ValueError', () => {
    const ctx = gpu();
    const buffers = { z: zeros(ctx, 'z', 1), y: zeros(ctx, 'y', 1) };
    assert.throws(() => activationApply(ctx, 'relu', 1, buffers, 1, 0.1), ValueError);
    assert.throws(() => activationApply(ctx, 'leaky_relu', 1, buffers, 1, -0.1), ValueError);
    assert.throws(
      () => activationGradient(ctx, 'gelu', 1, { y: zeros(ctx, 'y', 1), dy: zeros(ctx, 'dy', 1), dz: zeros(ctx, 'dz', 1) }),
      /needs the pre-activations/,
    );
  });
});

/** Loose f32 tolerance for sums of n terms of magnitude ~1 (as dense.test's). */
const dotTolerance = (n: number): Tolerance => ({ rtol: 1e-4, atol: 1.2e-7 * n + 1e-6 });

/** Generic entry points (first two) and aligned ones (inputs and units multiples of 4). */
const SHAPES = [
  [3, 17, 5],
  [17, 3, 129],
  [33, 8, 12],
  [1, 4, 4],
] as const;

/** Every shape runs gelu and swish (which store Z); every variant runs on 17×3 · 3×129. */
const GRID = shapeActivationGrid<readonly [number, number, number], Variant>(
  SHAPES,
  [{ activation: 'gelu' }, { activation: 'swish' }],
  [SHAPES[1]],
  NEW,
);

describe('dense with the new activations: alpha and stored pre-activations', () => {
  for (const [[rows, inputs, units], v] of GRID) {
    test(`forward writes Y and, for training, Z at preOffset; backward_data reads Z or Y: ${rows}×${inputs}·${inputs}×${units}, ${label(v)}`, async () => {
      const ctx = gpu();
      const dims = { rows, inputs, units };
      const x = f32(randomArray(rows * inputs, 21, -1.5, 1.5));
      const w = f32(randomArray(inputs * units, 22));
      const b = f32(randomArray(units, 23));
      const store = slopeNeedsPreActivation(v.activation);
      const preOffset = preActivationOffset(rows, units);
      const out = zeros(ctx, 'y', preOffset + rows * units);
      const options = { activation: v.activation, ...(v.alpha === undefined ? {} : { alpha: v.alpha }), ...(store ? { preOffset } : {}) };
      await runKernels(ctx, 'forward', [
        denseForward(ctx, dims, { x: upload(ctx, 'x', x), weights: upload(ctx, 'w', w), bias: upload(ctx, 'b', b), y: out }, options),
      ]);
      const all = await ctx.readFloats(out);
      const z = ref.densePreActivation(dims, x, w, b);
      expectClose(all.subarray(0, rows * units), ref.denseForward(dims, x, w, b, v.activation, v.alpha), dotTolerance(inputs + 1), 'Y');
      if (store) expectClose(all.subarray(preOffset), z, dotTolerance(inputs + 1), 'Z');
      else
        assert.ok(
          all.subarray(rows * units).every((value) => value === 0),
          'no Z written for an activation that does not need it',
        );

      // The next layer's backward_data, with this layer as its previous one: Y, and Z as
      // the training plan binds it (a range of the same buffer).
      const next = { rows, inputs: units, units: 7 };
      const dz = f32(randomArray(rows * 7, 24));
      const w2 = f32(randomArray(units * 7, 25));
      const dzPrev = zeros(ctx, 'dzPrev', rows * units);
      const zRange = { buffer: out, offset: preOffset * 4, size: rows * units * 4 };
      await runKernels(ctx, 'backward_data', [
        denseBackwardData(
          ctx,
          next,
          { weights: upload(ctx, 'w2', w2), dz: upload(ctx, 'dz', dz), yPrev: out, zPrev: zRange, dzPrev },
          { previousActivation: v.activation, ...(v.alpha === undefined ? {} : { previousAlpha: v.alpha }) },
        ),
      ]);
      const yPrev = f32(all.subarray(0, rows * units));
      const expected = ref.denseBackwardData(next, dz, w2, yPrev, v.activation, v.alpha, f32(all.subarray(preOffset)));
      expectClose(await ctx.readFloats(dzPrev), expected, dotTolerance(7), 'dZprev');
    });
  }

  test('preOffset must be a multiple of 64 past the outputs', () => {
    const ctx = gpu();
    const buffers = { x: zeros(ctx, 'x', 6), weights: zeros(ctx, 'w', 6), bias: zeros(ctx, 'b', 3), y: zeros(ctx, 'y', 128) };
    assert.throws(() => denseForward(ctx, { rows: 2, inputs: 3, units: 3 }, buffers, { activation: 'gelu', preOffset: 6 }), ValueError);
    assert.throws(
      () =>
        denseBackwardData(
          ctx,
          { rows: 2, inputs: 3, units: 3 },
          { weights: buffers.weights, dz: buffers.x, yPrev: buffers.y, dzPrev: zeros(ctx, 'd', 6) },
          { previousActivation: 'swish' },
        ),
      /needs the pre-activations/,
    );
  });

  // L = Σ G ⊙ (act(Zprev)·W): its gradient w.r.t. Zprev, by finite differences on the float64
  // reference, vs forward (storing Z) + backward_data on the GPU. Pre-activations are kept
  // away from the kinks of leaky_relu and elu at 0.
  // Each variant on one of the two shapes, in turn: both entry points, every variant.
  for (const [index, v] of NEW.entries()) {
    const [rows, inputs, units] = (
      [
        [5, 6, 3],
        [4, 8, 8],
      ] as const
    )[index % 2]!;
    test(`finite differences through forward + backward_data, ${label(v)}, ${rows}×${inputs}·${inputs}×${units}${inputs % 4 === 0 && units % 4 === 0 ? ' (aligned)' : ''}`, async () => {
      const ctx = gpu();
      const zPrev = f32(randomArray(rows * inputs, 31, -3, 3).map((value) => (value >= 0 ? value + 0.1 : value - 0.1)));
      const w = f32(randomArray(inputs * units, 32));
      const g = f32(randomArray(rows * units, 33));
      // The previous layer as an identity dense layer (X = Zprev, W = I, no bias) so its
      // forward kernel writes Y and Z exactly as in training.
      const identity = Float64Array.from({ length: inputs * inputs }, (_, k) => (k % (inputs + 1) === 0 ? 1 : 0));
      const preOffset = preActivationOffset(rows, inputs);
      const out = zeros(ctx, 'prev out', preOffset + rows * inputs);
      const dzPrev = zeros(ctx, 'dzPrev', rows * inputs);
      const alpha = v.alpha === undefined ? {} : { alpha: v.alpha };
      await runKernels(ctx, 'forward + backward', [
        denseForward(
          ctx,
          { rows, inputs, units: inputs },
          { x: upload(ctx, 'zPrev', zPrev), weights: upload(ctx, 'I', identity), bias: zeros(ctx, 'b', inputs), y: out },
          { activation: v.activation, useBias: false, ...alpha, ...(slopeNeedsPreActivation(v.activation) ? { preOffset } : {}) },
        ),
        denseBackwardData(
          ctx,
          { rows, inputs, units },
          {
            weights: upload(ctx, 'w', w),
            dz: upload(ctx, 'g', g),
            yPrev: out,
            zPrev: { buffer: out, offset: preOffset * 4, size: rows * inputs * 4 },
            dzPrev,
          },
          { previousActivation: v.activation, ...(v.alpha === undefined ? {} : { previousAlpha: v.alpha }) },
        ),
      ]);
      const dims = { rows, inputs, units };
      const objective = (zs: Float64Array) =>
        dot(g, ref.denseForward(dims, ref.activateAll(v.activation, zs, v.alpha), w, undefined, 'linear'));
      expectClose(
        await ctx.readFloats(dzPrev),
        numericGradient(objective, zPrev),
        { rtol: 1e-3, atol: 1e-4 },
        'dZprev vs finite differences',
      );
    });
  }
});

describe('fused output head with a new previous activation', () => {
  const labels = (count: number, seed: number) => {
    const next = seededUniform(seed);
    return Float64Array.from({ length: count }, () => (next(0, 1) < 0.5 ? 0 : 1));
  };
  const cases = [
    { rows: 3, inputs: 17, previous: { activation: 'gelu' } },
    { rows: 17, inputs: 3, previous: { activation: 'swish' } },
    { rows: 33, inputs: 129, previous: { activation: 'leaky_relu', alpha: 0.05 } },
    { rows: 9, inputs: 5, previous: { activation: 'elu', alpha: 0.5 } },
    { rows: 32, inputs: 8, previous: { activation: 'softplus' } },
  ] as const satisfies readonly { rows: number; inputs: number; previous: Variant }[];
  for (const c of cases) {
    const v: Variant = c.previous;
    test(`dZprev vs float64${c.rows * c.inputs > 300 ? '' : ' and vs finite differences of the mean loss'}, ${c.rows}×${c.inputs}, previous ${label(v)}`, async () => {
      const ctx = gpu();
      const zPrev = f32(randomArray(c.rows * c.inputs, c.rows + 60, -2, 2).map((value) => (value >= 0 ? value + 0.1 : value - 0.1)));
      const x = f32(ref.activateAll(v.activation, zPrev, v.alpha));
      const w = f32(randomArray(c.inputs, c.inputs + 61));
      const t = labels(c.rows, c.rows + 62);
      // x's buffer as ForwardChain lays out a training output: Y, then Z at preActivationOffset.
      const preOffset = preActivationOffset(c.rows, c.inputs);
      const xs = new Float64Array(preOffset + zPrev.length);
      xs.set(x);
      xs.set(zPrev, preOffset);
      const biasOffset = Math.ceil(c.inputs / 64) * 64;
      const flat = new Float64Array(biasOffset + 64);
      flat.set(w);
      flat[biasOffset] = 0.2;
      const metrics = zeros(ctx, 'metrics', METRICS_BYTES / 4);
      const gradients = zeros(ctx, 'gradients', flat.length);
      const dzPrev = zeros(ctx, 'dzPrev', c.rows * c.inputs);
      const head = new OutputHeadDispatch(
        ctx,
        {
          x: upload(ctx, 'x', xs),
          parameters: upload(ctx, 'params', flat),
          gradients,
          labels: upload(ctx, 't', t),
          metrics,
          dz: zeros(ctx, 'dz', c.rows),
          dzPrev,
        },
        {
          inputs: c.inputs,
          weightsOffset: 0,
          biasOffset,
          useBias: true,
          previousActivation: v.activation,
          ...(v.alpha === undefined ? {} : { previousAlpha: v.alpha }),
          previousPreOffset: preOffset,
        },
      );
      head.stageWindow(c.rows, 0, 0).upload();
      await runKernels(ctx, 'head', [head]);
      const dims = { rows: c.rows, inputs: c.inputs, units: 1 };
      const logits = ref.denseForward(dims, x, w, [0.2], 'linear');
      const loss = ref.bceFromLogits(logits, t);
      expectClose([decodeMetrics(await ctx.read(metrics)).lossSum], [loss.lossSum], { rtol: 1e-5, atol: 1e-5 }, 'loss sum');
      const measured = await ctx.readFloats(dzPrev);
      expectClose(
        measured,
        ref.denseBackwardData(dims, loss.gradient, w, x, v.activation, v.alpha, zPrev),
        { rtol: 1e-4, atol: 1e-7 },
        'dZprev',
      );
      // Finite differences cost a forward pass per entry: the smaller cases only.
      if (zPrev.length > 300) return;
      const meanLoss = (zs: Float64Array) =>
        ref.bceFromLogits(ref.denseForward(dims, ref.activateAll(v.activation, zs, v.alpha), w, [0.2], 'linear'), t).loss;
      expectClose(measured, numericGradient(meanLoss, zPrev), { rtol: 1e-3, atol: 1e-5 }, 'dZprev vs finite differences');
    });
  }

  test('a gelu or swish previous layer without previousPreOffset is refused', () => {
    const ctx = gpu();
    const b = () => zeros(ctx, 'b', 4);
    const buffers = { x: b(), parameters: b(), gradients: b(), labels: b(), metrics: zeros(ctx, 'm', 3), dz: b(), dzPrev: b() };
    assert.throws(
      () => new OutputHeadDispatch(ctx, buffers, { inputs: 2, weightsOffset: 0, biasOffset: 2, useBias: true, previousActivation: 'gelu' }),
      ValueError,
    );
  });
});

describe('training on the GPU vs the CPU (float64) engine, 2 → 8 → 8 → 1', () => {
  const circles = makeCircles({ nSamples: 200, factor: 0.4, noise: 0.1, randomState: 3 });
  const x: MatrixLike = { data: circles.x, shape: [circles.nSamples, 2] };
  const build = (backend: 'webgpu' | 'cpu', hidden: Variant, output: Activation) => {
    const model = new Sequential(backend === 'webgpu' ? { gpu: gpu(), backend, seed: 9 } : { backend, seed: 9 });
    const alpha = hidden.alpha === undefined ? {} : { alpha: hidden.alpha };
    model.add(new Dense({ units: 8, activation: hidden.activation, inputDim: 2, ...alpha }));
    model.add(new Dense({ units: 8, activation: hidden.activation, ...alpha }));
    model.add(new Dense({ units: 1, activation: output }));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    return model;
  };
  // Sigmoid outputs train through the fused head (previous-activation path); a gelu output
  // through the probability-space loss and the element-wise gradient kernel reading Z.
  const runs: readonly (readonly [Variant, Activation])[] = [
    ...NEW.filter((v) => v.alpha === undefined || v.alpha === 0.5).map((v) => [v, 'sigmoid'] as const),
    [{ activation: 'leaky_relu', alpha: 0.05 }, 'sigmoid'],
    [{ activation: 'swish' }, 'gelu'],
  ];
  for (const [hidden, output] of runs) {
    test(`hidden ${label(hidden)}, output ${output}: losses per epoch within 1e-4, weights within 1e-3`, async () => {
      const onGpu = build('webgpu', hidden, output);
      const onCpu = build('cpu', hidden, output);
      const options = { epochs: 3, batchSize: 32, verbose: 0, seed: 5 } as const;
      const a = await onGpu.fit(x, circles.y, options);
      const b = await onCpu.fit(x, circles.y, options);
      expectClose(a.history['loss']!, b.history['loss']!, { rtol: 0, atol: 1e-4 }, 'loss per epoch');
      const weights = [await onGpu.getWeights(), await onCpu.getWeights()];
      expectClose(
        weights[0]!.flatMap((w) => [...w]),
        weights[1]!.flatMap((w) => [...w]),
        { rtol: 1e-3, atol: 1e-4 },
        'weights after 3 epochs',
      );
      expectClose(await onGpu.predict(x), await onCpu.predict(x), { rtol: 1e-3, atol: 1e-4 }, 'predictions');
      onGpu.dispose();
      onCpu.dispose();
    });
  }

  test('gelu and swish layers cost no extra dispatch per step (layered kernels: their slopes keep them out of the fused step)', async () => {
    preferKernels(gpu().device, 'layered');
    const perStep = async (hidden: Activation) => {
      const model = build('webgpu', { activation: hidden }, 'sigmoid');
      await model.fit(x, circles.y, { epochs: 1, batchSize: 64, verbose: 0 });
      const { dispatchesPerStep } = model.stats();
      model.dispose();
      return dispatchesPerStep;
    };
    try {
      const relu = await perStep('relu');
      assert.equal(await perStep('gelu'), relu);
      assert.equal(await perStep('swish'), relu);
    } finally {
      preferKernels(gpu().device, undefined);
    }
  });
});
