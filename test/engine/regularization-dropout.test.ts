import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResidentDataset } from '../../src/engine/dataset.js';
import { EvaluationPlan } from '../../src/engine/evaluation.js';
import type { LossForm, LossSpec } from '../../src/spec/loss.js';
import { MetricsBuffer, meanMetrics } from '../../src/engine/metrics.js';
import type { NetworkShape } from '../../src/spec/network.js';
import { ParameterBuffers } from '../../src/engine/parameters.js';
import { TrainingPlan } from '../../src/engine/training.js';
import { preferFusedWorkgroups, preferKernels } from '../../src/engine/kernel-choice.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { ADAM_DEFAULTS } from '../../src/spec/optimizer.js';
import * as ref from '../../src/reference/index.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose, f32, numericGradient, randomArray, seededUniform } from '../helpers/numeric.js';

const BCE_LOGITS: LossSpec = { kind: 'binary_crossentropy', form: 'logits' };
const gpu = useGpu();

/**
 * 3 → 17 (relu) → 5 (tanh) → 1 (sigmoid): dropout on the inputs, between the hidden layers and
 * before the output layer (the fused head's input); L2 on the first kernel, L1+L2 on the last.
 */
const NETWORK: NetworkShape = {
  layers: [
    {
      inputs: 3,
      units: 17,
      activation: 'relu',
      useBias: true,
      kernelRegularizer: { l1: 0, l2: 0.01 },
      inputDropout: { rate: 0.2, seed: 11 },
    },
    { inputs: 17, units: 5, activation: 'tanh', useBias: true, inputDropout: { rate: 0.3, seed: 22 } },
    {
      inputs: 5,
      units: 1,
      activation: 'sigmoid',
      useBias: true,
      kernelRegularizer: { l1: 0.002, l2: 0.01 },
      inputDropout: { rate: 0.25, seed: 33 },
    },
  ],
};
/** NETWORK's regularizers without its dropout: a network the fused kernel trains. */
const REGULARIZED: NetworkShape = {
  layers: NETWORK.layers.map(({ inputDropout: _dropout, ...layer }) => layer),
};
const PLAIN: NetworkShape = {
  layers: NETWORK.layers.map(({ inputs, units, activation, useBias }) => ({ inputs, units, activation, useBias })),
};

function problem(rows: number, seed: number): { x: Float64Array; y: Float64Array } {
  const next = seededUniform(seed);
  const x = new Float64Array(rows * 3);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % 2;
    for (let c = 0; c < 3; c++) x[r * 3 + c] = (y[r] ? 0.5 : -0.5) * (c - 1) + next(-0.6, 0.6);
  }
  return { x: f32(x), y };
}

function initialTensors(network: NetworkShape, seed: number): Float64Array[] {
  return network.layers.flatMap((l, i) => [
    f32(randomArray(l.inputs * l.units, seed + i, -0.8, 0.8)),
    f32(randomArray(l.units, seed + 10 + i, -0.2, 0.2)),
  ]);
}

const flat = (tensors: readonly ArrayLike<number>[]): Float64Array => Float64Array.from(tensors.flatMap((t) => Array.from(t)));

function unflat(network: NetworkShape, values: Float64Array): Float64Array[] {
  const out: Float64Array[] = [];
  let at = 0;
  for (const l of network.layers) {
    for (const n of [l.inputs * l.units, l.units]) {
      out.push(values.subarray(at, at + n));
      at += n;
    }
  }
  return out;
}

function plan(
  ctx: GpuContext,
  network: NetworkShape,
  tensors: readonly Float64Array[],
  x: Float64Array,
  y: Float64Array,
  batchSize: number,
  learningRate: number,
  lossForm: LossForm,
) {
  const parameters = new ParameterBuffers(ctx, network);
  parameters.write(tensors);
  const data = new ResidentDataset(ctx, 'train', y.length, 3, Float32Array.from(x), Float32Array.from(y));
  const training = new TrainingPlan(ctx, network, parameters, data, {
    batchSize,
    optimizer: { ...ADAM_DEFAULTS, learningRate },
    lossForm,
    lossKind: 'binary_crossentropy',
  });
  return {
    parameters,
    data,
    plan: training,
    dispose() {
      training.dispose();
      data.dispose();
      parameters.dispose();
    },
  };
}

const identity = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

describe('dropout + kernel regularizers in whole-network gradients', () => {
  test('reference backprop under a fixed mask (step 3) matches finite differences of loss + penalty', () => {
    const { x, y } = problem(9, 1);
    const theta = flat(initialTensors(NETWORK, 2));
    const mean = (p: Float64Array) =>
      ref.networkLossAndGradient(NETWORK, unflat(NETWORK, p), x, y, BCE_LOGITS, undefined, 3).lossSum / y.length;
    const result = ref.networkLossAndGradient(NETWORK, unflat(NETWORK, theta), x, y, BCE_LOGITS, undefined, 3);
    assert.ok(result.penalty > 0);
    expectClose(flat(result.gradients), numericGradient(mean, theta), { rtol: 1e-5, atol: 1e-8 }, 'gradient vs finite differences');
    // The mask really is applied: without dropout the gradient differs.
    const plain = ref.networkLossAndGradient(NETWORK, unflat(NETWORK, theta), x, y, BCE_LOGITS);
    assert.notDeepEqual(flat(plain.gradients), flat(result.gradients));
  });

  for (const lossForm of ['logits', 'probabilities'] as const) {
    test(`GPU gradient of step 1 (learning rate 0) == reference with the same masks (${lossForm === 'logits' ? 'fused head' : 'separate loss'}; rtol 1e-4, atol 1e-6)`, async () => {
      const ctx = gpu();
      const { x, y } = problem(13, 3);
      const tensors = initialTensors(NETWORK, 4);
      const h = plan(ctx, NETWORK, tensors, x, y, 13, 0, lossForm);
      try {
        const result = await h.plan.runEpoch(identity(13), 0);
        const want = ref.networkLossAndGradient(NETWORK, tensors, x, y, { kind: 'binary_crossentropy', form: lossForm }, undefined, 1);
        expectClose(flat(await h.plan.readGradients()), flat(want.gradients), { rtol: 1e-4, atol: 1e-6 }, 'gradients');
        expectClose([result.train.lossSum], [want.lossSum], { rtol: 1e-5, atol: 0 }, 'loss sum including 13 × penalty');
      } finally {
        h.dispose();
      }
    });
  }
});

describe('training parity with the float64 reference, dropout + L1/L2', () => {
  const cases = [
    { network: NETWORK, lossForm: 'logits', path: 'layered', what: 'logits' },
    { network: NETWORK, lossForm: 'probabilities', path: 'layered', what: 'probabilities' },
    // The regularizer adds to the first of the fused step's gradient slices (batches of 32 over 4 workgroups).
    { network: REGULARIZED, lossForm: 'logits', path: 'fused', what: 'L1/L2 without dropout on the fused kernel' },
  ] as const;
  for (const { network, lossForm, path, what } of cases) {
    test(`${what}: 100 samples, batch 32 (3 full + 4), 3 epochs: epoch losses atol 1e-4, weights rtol 1e-3 atol 1e-5`, async () => {
      const ctx = gpu();
      preferKernels(ctx.device, path);
      preferFusedWorkgroups(ctx.device, 4);
      const rows = 100;
      const batchSize = 32;
      const { x, y } = problem(rows, 5);
      const tensors = initialTensors(network, 6);
      const config = { ...ADAM_DEFAULTS, learningRate: 0.01 };
      const h = plan(ctx, network, tensors, x, y, batchSize, config.learningRate, lossForm);
      const weights = tensors.map((t) => Float64Array.from(t));
      const moments = weights.map((w) => ref.createOptimizerState(w.length));
      let t = 0;
      try {
        for (let epoch = 0; epoch < 3; epoch++) {
          const permutation = Uint32Array.from({ length: rows }, (_, i) => (i * 37 + epoch * 11) % rows);
          const xs = ref.gatherRows(x, permutation, 3);
          const ys = ref.gatherRows(y, permutation, 1);
          let lossSum = 0;
          for (let start = 0; start < rows; start += batchSize) {
            const end = Math.min(rows, start + batchSize);
            const batch = ref.networkLossAndGradient(
              network,
              weights,
              xs.subarray(start * 3, end * 3),
              ys.subarray(start, end),
              { kind: 'binary_crossentropy', form: lossForm },
              undefined,
              ++t,
            );
            weights.forEach((w, i) => ref.adamStep(w, batch.gradients[i]!, moments[i]!, config, t));
            lossSum += batch.lossSum;
          }
          const result = await h.plan.runEpoch(permutation, epoch * h.plan.stepsPerEpoch);
          expectClose([meanMetrics(result.train).loss], [lossSum / rows], { rtol: 0, atol: 1e-4 }, `epoch ${epoch + 1} loss`);
        }
        assert.equal(h.plan.kernels, path);
        assert.equal(h.plan.gradientSlices, path === 'fused' ? 4 : 1);
        expectClose(flat(await h.parameters.read()), flat(weights), { rtol: 1e-3, atol: 1e-5 }, 'weights after 3 epochs');
      } finally {
        preferKernels(ctx.device, undefined);
        preferFusedWorkgroups(ctx.device, undefined);
        h.dispose();
      }
    });
  }

  test('dispatches per step: + one mask per dropped input forward, one per hidden input backward, one regularizer dispatch', async () => {
    const ctx = gpu();
    const { x, y } = problem(8, 7);
    const tensors = initialTensors(NETWORK, 8);
    const counts: number[] = [];
    // The layered kernels (the default would fuse the plain network's step).
    preferKernels(ctx.device, 'layered');
    try {
      for (const network of [PLAIN, NETWORK]) {
        const h = plan(ctx, network, tensors, x, y, 4, 0.01, 'logits');
        counts.push(h.plan.dispatchesPerStep);
        h.dispose();
      }
    } finally {
      preferKernels(ctx.device, undefined);
    }
    // Plain 3-layer: forward 2, fused head 1, backward 2·2 − 1 = 3, Adam 1.
    assert.equal(counts[0], 7);
    // + 3 forward masks (inputs, hidden, head input) + 2 backward masks (hidden, head input) + 1 regularizer.
    assert.equal(counts[1], 7 + 3 + 2 + 1);
  });
});

describe('evaluation with dropout and regularizers', () => {
  test('evaluation ignores dropout and adds rows × penalty to the loss (rtol 1e-5)', async () => {
    const ctx = gpu();
    const rows = 37;
    const { x, y } = problem(rows, 9);
    const tensors = initialTensors(NETWORK, 10);
    const parameters = new ParameterBuffers(ctx, NETWORK);
    parameters.write(tensors);
    const data = new ResidentDataset(ctx, 'eval', rows, 3, Float32Array.from(x), Float32Array.from(y));
    const metrics = new MetricsBuffer(ctx, 1);
    // Chunks of 16 rows: three loss dispatches, one penalty for the whole set.
    const evaluation = new EvaluationPlan(ctx, NETWORK, parameters, data, metrics.record(0), BCE_LOGITS, 16);
    try {
      const encoder = ctx.device.createCommandEncoder();
      metrics.clear(encoder);
      const pass = encoder.beginComputePass();
      assert.equal(evaluation.encode(pass), 3 * 4 + 1);
      pass.end();
      metrics.copyOut(encoder);
      ctx.device.queue.submit([encoder.finish()]);
      const [sums] = await metrics.read();
      const logits = ref.networkForward(NETWORK, tensors, x, rows, 'linear');
      const dataLoss = ref.bceFromLogits(logits[logits.length - 1]!, y).lossSum;
      const penalty = ref.regularizationPenalty(NETWORK, tensors);
      expectClose([sums!.lossSum], [dataLoss + rows * penalty], { rtol: 1e-5, atol: 0 }, 'evaluation loss sum');
      assert.equal(sums!.seen, rows);
    } finally {
      evaluation.dispose();
      metrics.dispose();
      data.dispose();
      parameters.dispose();
    }
  });
});
