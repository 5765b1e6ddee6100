import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fusedLayout, fusedTrainSplit, preferKernels, type KernelPath } from '../../src/engine/kernel-choice.js';
import { ParameterBuffers } from '../../src/engine/parameters.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { runKernels } from '../../src/gpu/dispatch.js';
import { decodeMetrics, METRICS_BYTES } from '../../src/kernels/binary-crossentropy.js';
import { FusedMlpDispatch, fusedTileRows } from '../../src/kernels/fused-mlp.js';
import * as ref from '../../src/reference/index.js';
import type { Activation } from '../../src/spec/activations.js';
import type { LossSpec } from '../../src/spec/loss.js';
import type { DenseLayerShape, NetworkShape } from '../../src/spec/network.js';
import { Dense, Sequential } from '../../src/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { useKernelPath } from '../helpers/kernel-paths.js';
import { tensorsFor } from '../helpers/network-tensors.js';
import { expectClose, f32, numericGradient, randomArray, seededUniform } from '../helpers/numeric.js';

const gpu = useGpu();
const BCE_LOGITS: LossSpec = { kind: 'binary_crossentropy', form: 'logits' };

/** f32 sums of up to ~130 terms of size ~1, and their products through a few layers. */
const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };

function network(inputs: number, hidden: readonly { units: number; activation: Activation }[], useBias = true): NetworkShape {
  const widths = [inputs, ...hidden.map((h) => h.units), 1];
  const layers: DenseLayerShape[] = widths.slice(1).map((units, i) => ({
    inputs: widths[i]!,
    units,
    activation: i < hidden.length ? hidden[i]!.activation : 'sigmoid',
    useBias,
  }));
  return { layers };
}

function batch(rows: number, inputs: number, seed: number): { x: Float64Array; y: Float64Array; weights: Float64Array } {
  const next = seededUniform(seed);
  return {
    x: f32(randomArray(rows * inputs, seed, -1.5, 1.5)),
    y: Float64Array.from({ length: rows }, () => (next(0, 1) < 0.5 ? 0 : 1)),
    weights: f32(Float64Array.from({ length: rows }, () => next(0.2, 2))),
  };
}

interface TrainRun {
  readonly gradients: Float32Array[];
  readonly lossSum: number;
  readonly correct: number;
  readonly seen: number;
}

/** A value no gradient has: slices start with it, so one left unwritten shows. */
const STALE = 7;

/**
 * One dispatch of the train entry over a batch at row `offset` of a dataset (offset rows of
 * padding before it), with `tileRows` overriding the layout's (several tiles per batch) and
 * `workgroups` sharing the tiles (default: the split a training plan makes). The gradient is
 * the sum of the workgroups' slices in order, as the optimizer takes it; the sums those of
 * their metrics slots.
 */
async function trainOnce(
  ctx: GpuContext,
  net: NetworkShape,
  tensors: readonly Float64Array[],
  data: { x: Float64Array; y: Float64Array },
  options: { offset?: number; tileRows?: number; workgroups?: number; weights?: Float64Array } = {},
): Promise<TrainRun> {
  const parameters = new ParameterBuffers(ctx, net);
  try {
    parameters.write(tensors);
    const layout = fusedLayout(ctx, net, parameters, { training: true, loss: BCE_LOGITS, logits: true, outputActivation: 'linear' });
    assert.ok(layout, 'the network is eligible');
    const offset = options.offset ?? 0;
    const inputs = net.layers[0]!.inputs;
    const pad = (values: Float64Array, width: number): Float64Array => {
      const padded = new Float64Array((offset + values.length / width) * width);
      padded.set(values, offset * width);
      return padded;
    };
    const rows = data.y.length;
    const stride = Math.ceil(parameters.length / 4) * 4;
    const split = fusedTrainSplit(layout, rows, stride);
    const workgroups = options.workgroups ?? split.workgroups;
    const tileRows = options.tileRows ?? (options.workgroups === undefined ? split.tileRows : layout.tileRows);
    const metricSlots = zeros(ctx, 'metric slots', (workgroups * METRICS_BYTES) / 4);
    const gradients = upload(ctx, 'gradient slices', new Float32Array(workgroups * stride).fill(STALE));
    const labels = upload(ctx, 'labels', pad(data.y, 1));
    const step = FusedMlpDispatch.train(
      ctx,
      layout.layers,
      {
        x: upload(ctx, 'x', pad(data.x, inputs)),
        labels,
        parameters: parameters.values,
        gradients,
        metricSlots,
        ...(options.weights ? { sampleWeight: upload(ctx, 'weights', pad(options.weights, 1)) } : {}),
      },
      { ...layout, tileRows, workgroups, gradientStride: stride },
    );
    try {
      step.stageWindow({ rows, xRowOffset: offset, labelRowOffset: offset }).upload();
      await runKernels(ctx, 'fused train', [step]);
      const slices = await ctx.readFloats(gradients, 0, workgroups * stride);
      const sum = new Float32Array(stride);
      for (let g = 0; g < workgroups; g++) for (let i = 0; i < stride; i++) sum[i]! += slices[g * stride + i]!;
      const slots = await ctx.read(metricSlots);
      const sums = Array.from({ length: workgroups }, (_, g) => decodeMetrics(slots, g * METRICS_BYTES));
      return {
        gradients: parameters.unpack(sum.subarray(0, parameters.length)),
        lossSum: sums.reduce((total, slot) => total + slot.lossSum, 0),
        correct: sums.reduce((total, slot) => total + slot.correct, 0),
        seen: sums.reduce((total, slot) => total + slot.seen, 0),
      };
    } finally {
      step.dispose();
    }
  } finally {
    parameters.dispose();
  }
}

function checkAgainstReference(
  run: TrainRun,
  net: NetworkShape,
  tensors: readonly Float64Array[],
  data: ReturnType<typeof batch>,
  what: string,
) {
  const expected = ref.networkLossAndGradient(net, tensors, data.x, data.y, BCE_LOGITS);
  assert.equal(run.seen, data.y.length, `${what}: rows seen`);
  expectClose([run.lossSum], [expected.lossSum], { rtol: 1e-4, atol: 1e-4 }, `${what}: loss sum`);
  // A probability within f32 noise of 0.5 may round either way.
  assert.ok(Math.abs(run.correct - expected.correct) <= 1, `${what}: correct ${run.correct}, reference ${expected.correct}`);
  expected.gradients.forEach((g, i) => expectClose(run.gradients[i]!, g, TOLERANCE, `${what}: gradient tensor ${i}`));
}

describe('fused MLP train entry against the float64 reference', () => {
  useKernelPath(gpu, 'fused');
  for (const width of [1, 3, 17, 64, 128]) {
    for (const rows of [1, 31, 32, 33]) {
      test(`2→${width}(relu)→${width}(tanh)→1, batch ${rows}: loss, accuracy and every dW, db (the plan's split, and one workgroup)`, async () => {
        const net = network(2, [
          { units: width, activation: 'relu' },
          { units: width, activation: 'tanh' },
        ]);
        const tensors = tensorsFor(net, width * 100 + rows);
        const data = batch(rows, 2, rows + width);
        checkAgainstReference(await trainOnce(gpu(), net, tensors, data), net, tensors, data, `width ${width}, batch ${rows}`);
        const single = await trainOnce(gpu(), net, tensors, data, { workgroups: 1 });
        checkAgainstReference(single, net, tensors, data, `width ${width}, batch ${rows}, one workgroup`);
      });
    }
  }

  test('every eligible activation, no bias, 5 inputs, a window at row offset 7, tiles of 3 rows (ragged last tile)', async () => {
    const activations: Activation[] = ['linear', 'sigmoid', 'leaky_relu', 'elu', 'softplus'];
    const net = network(
      5,
      activations.map((activation, i) => ({ units: 3 + 2 * i, activation })),
      false,
    );
    const tensors = tensorsFor(net, 71);
    const data = batch(17, 5, 72);
    const run = await trainOnce(gpu(), net, tensors, data, { offset: 7, tileRows: 3 });
    checkAgainstReference(run, net, tensors, data, 'five activations');
  });

  test('a one-layer model (logistic regression) in tiles of 4', async () => {
    const net = network(3, []);
    const tensors = tensorsFor(net, 81);
    const data = batch(33, 3, 82);
    checkAgainstReference(await trainOnce(gpu(), net, tensors, data, { tileRows: 4 }), net, tensors, data, 'logistic regression');
  });

  test('workgroups share the batch: more workgroups than tiles (idle ones zero their slice), fewer (each takes every G-th tile)', async () => {
    const net = network(3, [
      { units: 17, activation: 'relu' },
      { units: 5, activation: 'tanh' },
    ]);
    const tensors = tensorsFor(net, 111);
    const short = batch(5, 3, 112);
    checkAgainstReference(
      await trainOnce(gpu(), net, tensors, short, { tileRows: 4, workgroups: 4 }),
      net,
      tensors,
      short,
      '5 rows, 4 workgroups',
    );
    const long = batch(33, 3, 113);
    checkAgainstReference(
      await trainOnce(gpu(), net, tensors, long, { tileRows: 4, workgroups: 3, offset: 3 }),
      net,
      tensors,
      long,
      '33 rows, 3 workgroups',
    );
  });

  test('the plan deals a batch to equal tiles, a workgroup each where the work pays for it; limits hold', () => {
    const layer = (inputs: number, units: number) => ({ inputs, units, activation: 'relu' as const, weightsOffset: 0, biasOffset: 0 });
    // 2→128→128→1: 16,768 multiply-adds per row; 2→5→1: 15.
    const wide = { tileRows: 12, tileFloats: 3840, layers: [layer(2, 128), layer(128, 128), layer(128, 1)] };
    const narrow = { tileRows: 84, tileFloats: 768, layers: [layer(2, 5), layer(5, 1)] };
    assert.deepEqual(fusedTrainSplit(wide, 32, 17_000), { tileRows: 12, workgroups: 1 }, '536k multiply-adds: one workgroup');
    assert.deepEqual(
      fusedTrainSplit(wide, 256, 17_000),
      { tileRows: 12, workgroups: 4 },
      '4.3M: 4 workgroups, each looping over its tiles',
    );
    assert.deepEqual(fusedTrainSplit(wide, 129, 17_000), { tileRows: 12, workgroups: 2 }, '2.2M: 2 workgroups');
    assert.deepEqual(fusedTrainSplit(wide, 33, 17_000, 5), { tileRows: 8, workgroups: 5 }, 'forced: tiles in whole blocks of 4');
    assert.deepEqual(fusedTrainSplit(wide, 5, 17_000, 4), { tileRows: 3, workgroups: 2 }, 'forced: no more workgroups than 4-row tiles');
    assert.deepEqual(fusedTrainSplit(wide, 1, 17_000), { tileRows: 1, workgroups: 1 });
    assert.deepEqual(fusedTrainSplit(narrow, 32, 100), { tileRows: 32, workgroups: 1 }, 'too little work to split');
    assert.deepEqual(fusedTrainSplit(narrow, 8192, 100), { tileRows: 84, workgroups: 1 }, '15 × 8,192 multiply-adds: one workgroup');
    assert.deepEqual(
      fusedTrainSplit(wide, 1 << 16, 17_000),
      { tileRows: 12, workgroups: 64 },
      'at most 64 workgroups, tiles within the layout',
    );
    assert.equal(fusedTrainSplit(wide, 1 << 16, 1 << 21).workgroups, 2, 'gradient slices within their memory cap');
  });

  test('sample weights scale each row’s loss and gradient (the accuracy stays unweighted)', async () => {
    const net = network(2, [{ units: 17, activation: 'relu' }]);
    const tensors = tensorsFor(net, 91);
    const data = batch(31, 2, 92);
    const run = await trainOnce(gpu(), net, tensors, data, { tileRows: 8 });
    const weighted = await trainOnce(gpu(), net, tensors, data, { tileRows: 8 });
    assert.deepEqual(weighted.gradients, run.gradients, 'a repeated step gives the same gradients (written, not accumulated)');
    const withWeights = await trainOnce(gpu(), net, tensors, data, { weights: data.weights, offset: 2 });
    const expected = ref.networkLossAndGradient(net, tensors, data.x, data.y, BCE_LOGITS, data.weights);
    expectClose([withWeights.lossSum], [expected.lossSum], { rtol: 1e-4, atol: 1e-4 }, 'weighted loss sum');
    expected.gradients.forEach((g, i) => expectClose(withWeights.gradients[i]!, g, TOLERANCE, `weighted gradient tensor ${i}`));
  });

  test('the gradients match finite differences of the float64 loss', async () => {
    const net = network(3, [
      { units: 5, activation: 'tanh' },
      { units: 4, activation: 'sigmoid' },
    ]);
    const tensors = tensorsFor(net, 101);
    const data = batch(9, 3, 102);
    const run = await trainOnce(gpu(), net, tensors, data, { tileRows: 4 });
    const flat = Float64Array.from(tensors.flatMap((t) => Array.from(t)));
    const split = (values: Float64Array): Float64Array[] => {
      let at = 0;
      return tensors.map((t) => values.slice(at, (at += t.length)));
    };
    // The summed loss: the kernel's gradient is that of the batch mean, so scale by the rows.
    const numeric = numericGradient((p) => ref.networkLossAndGradient(net, split(p), data.x, data.y, BCE_LOGITS).lossSum / 9, flat);
    const gpuFlat = Float64Array.from(run.gradients.flatMap((g) => Array.from(g)));
    expectClose(gpuFlat, numeric, { rtol: 1e-3, atol: 2e-5 }, 'GPU gradient vs finite differences');
  });
});

describe('fused MLP predict entry', () => {
  useKernelPath(gpu, 'fused');
  for (const rows of [1, 31, 33, 129]) {
    test(`2→17(relu)→64(elu)→1(sigmoid) over ${rows} rows at an output offset, one workgroup per tile`, async () => {
      const ctx = gpu();
      const net = network(2, [
        { units: 17, activation: 'relu' },
        { units: 64, activation: 'elu' },
      ]);
      const tensors = tensorsFor(net, 111 + rows);
      const data = batch(rows, 2, 112);
      const parameters = new ParameterBuffers(ctx, net);
      parameters.write(tensors);
      const layout = fusedLayout(ctx, net, parameters, { training: false, outputActivation: 'sigmoid' });
      assert.ok(layout);
      const y = zeros(ctx, 'y', rows + 5);
      const step = FusedMlpDispatch.predict(
        ctx,
        layout.layers,
        { x: upload(ctx, 'x', data.x), parameters: parameters.values, y },
        rows,
        layout,
      );
      try {
        step.stageWindow({ rows, xRowOffset: 0, yRowOffset: 5 }).upload();
        await runKernels(ctx, 'fused predict', [step]);
        const actual = await ctx.readFloats(y, 5, rows);
        const expected = ref.networkForward(net, tensors, data.x, rows, 'sigmoid');
        expectClose(actual, expected[expected.length - 1]!, TOLERANCE, 'predictions');
      } finally {
        step.dispose();
        parameters.dispose();
      }
    });
  }
});

describe('which models run fused', () => {
  const layoutOf = (net: NetworkShape, use: Parameters<typeof fusedLayout>[3], preference: KernelPath | 'auto' = 'fused') => {
    const ctx = gpu();
    const parameters = new ParameterBuffers(ctx, net);
    preferKernels(ctx.device, preference === 'auto' ? undefined : preference);
    try {
      return fusedLayout(ctx, net, parameters, use);
    } finally {
      preferKernels(ctx.device, undefined);
      parameters.dispose();
    }
  };
  const training = { training: true, loss: BCE_LOGITS, logits: true, outputActivation: 'linear' } as const;

  test('the tutorial MLPs train fused when fusion is preferred; by default only up to 512 multiply-adds per row', () => {
    for (const hidden of [[], [5], [128], [128, 128]]) {
      const net = network(
        2,
        hidden.map((units) => ({ units, activation: 'relu' as const })),
      );
      assert.ok(layoutOf(net, training), `2→${hidden.join('→')}→1`);
      assert.equal(layoutOf(net, training, 'auto') !== undefined, hidden.length < 2, `2→${hidden.join('→')}→1 by default`);
    }
  });

  test('gelu and swish hidden layers, dropout, other losses, several outputs and too-wide layers train layered', () => {
    for (const activation of ['gelu', 'swish'] as const) {
      assert.equal(layoutOf(network(2, [{ units: 8, activation }]), training), undefined, activation);
      // Forward only, their slope is never needed: predict still fuses them.
      assert.ok(
        layoutOf(network(2, [{ units: 8, activation }]), { training: false, outputActivation: 'sigmoid' }),
        `${activation} predict`,
      );
    }
    const dropped = network(2, [{ units: 8, activation: 'relu' }]);
    const withDropout: NetworkShape = { layers: [dropped.layers[0]!, { ...dropped.layers[1]!, inputDropout: { rate: 0.5, seed: 1 } }] };
    assert.equal(layoutOf(withDropout, training), undefined, 'dropout');
    const relu8 = network(2, [{ units: 8, activation: 'relu' }]);
    assert.equal(layoutOf(relu8, { ...training, loss: { kind: 'mean_squared_error', form: 'probabilities' } }), undefined, 'mse');
    assert.equal(layoutOf(relu8, { ...training, logits: false }), undefined, 'BCE from probabilities');
    assert.equal(layoutOf(relu8, { training: false, outputActivation: 'softmax' }), undefined, 'softmax output');
    const wide = network(2, [
      { units: 4096, activation: 'relu' },
      { units: 4096, activation: 'relu' },
    ]);
    assert.equal(layoutOf(wide, training), undefined, 'two layers of 4096 units: not one row fits the tile');
  });

  test('a layered preference on the device turns fusion off', () => {
    assert.equal(layoutOf(network(2, []), training, 'layered'), undefined);
  });

  test('tiles hold whole blocks of 4 rows when 4 or more fit', () => {
    assert.equal(
      fusedTileRows(
        [
          { inputs: 2, units: 128 },
          { inputs: 128, units: 1 },
        ],
        4096,
      ),
      28,
    );
    assert.equal(fusedTileRows([{ inputs: 2, units: 1000 }], 2006), 2);
    assert.equal(fusedTileRows([{ inputs: 2, units: 1000 }], 1000), 0);
  });
});

describe('model.stats() says which kernels ran', () => {
  const fitOnce = async (hidden: readonly number[], preference: KernelPath | undefined) => {
    const ctx = gpu();
    preferKernels(ctx.device, preference);
    const model = new Sequential({ seed: 0, gpu: ctx, backend: 'webgpu' });
    try {
      hidden.forEach((units, i) => model.add(new Dense({ units, activation: 'relu', ...(i === 0 ? { inputDim: 2 } : {}) })));
      model.add(new Dense({ units: 1, activation: 'sigmoid', ...(hidden.length === 0 ? { inputDim: 2 } : {}) }));
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
      const { x, y } = batch(64, 2, 5);
      await model.fit({ data: Float32Array.from(x), shape: [64, 2] }, Float32Array.from(y), { epochs: 1, batchSize: 32, verbose: 0 });
      return model.stats();
    } finally {
      model.dispose();
      preferKernels(ctx.device, undefined);
    }
  };

  test('2→5→1 fuses by default: 2 dispatches per step (fused step, Adam); layered when preferred: 4', async () => {
    const fused = await fitOnce([5], undefined);
    assert.equal(fused.kernels, 'fused');
    assert.equal(fused.dispatchesPerStep, 2);
    const layered = await fitOnce([5], 'layered');
    assert.equal(layered.kernels, 'layered');
    assert.equal(layered.dispatchesPerStep, 4);
  });

  test('2→128→128→1 with fusion preferred: at most 3 dispatches per step (today 2), layered by default: 7', async () => {
    const fused = await fitOnce([128, 128], 'fused');
    assert.equal(fused.kernels, 'fused');
    assert.ok(fused.dispatchesPerStep <= 3, `${fused.dispatchesPerStep} dispatches per step`);
    const layered = await fitOnce([128, 128], undefined);
    assert.equal(layered.kernels, 'layered');
    assert.equal(layered.dispatchesPerStep, 7);
  });
});
