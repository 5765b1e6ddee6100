import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResidentDataset } from '../../src/engine/dataset.js';
import { EvaluationPlan, PredictionPlan } from '../../src/engine/evaluation.js';
import { MetricsBuffer, meanMetrics } from '../../src/engine/metrics.js';
import type { NetworkShape } from '../../src/spec/network.js';
import { ParameterBuffers } from '../../src/engine/parameters.js';
import { TrainingPlan } from '../../src/engine/training.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { ADAM_DEFAULTS } from '../../src/spec/optimizer.js';
import * as ref from '../../src/reference/index.js';
import { type MlpSpec, mlpForward, mlpLayout, mlpLossAndGradient, mlpTrainStep } from '../helpers/mlp.js';
import { useGpu } from '../helpers/gpu.js';
import { KERNEL_PATHS, useKernelPath } from '../helpers/kernel-paths.js';
import type { KernelPath } from '../../src/engine/kernel-choice.js';
import { expectClose, f32, numericGradient, randomArray, seededUniform } from '../helpers/numeric.js';

const gpu = useGpu();

/** The 2→8→8→1 MLP of the acceptance criteria: relu, tanh hidden layers, sigmoid output. */
const SPEC: MlpSpec = {
  inputs: 2,
  hidden: [
    { units: 8, activation: 'relu' },
    { units: 8, activation: 'tanh' },
  ],
};

function networkOf(spec: MlpSpec): NetworkShape {
  return { layers: mlpLayout(spec).layers.map((l) => ({ inputs: l.inputs, units: l.units, activation: l.activation, useBias: true })) };
}

/** Splits a flat reference parameter vector into Keras-order tensors (W0, b0, W1, b1, ...). */
function tensorsOf(spec: MlpSpec, flat: ArrayLike<number>): Float64Array[] {
  return mlpLayout(spec).layers.flatMap((l) => [
    Float64Array.from({ length: l.inputs * l.units }, (_, i) => flat[l.weightsOffset + i]!),
    Float64Array.from({ length: l.units }, (_, i) => flat[l.biasOffset + i]!),
  ]);
}

function flatOf(tensors: readonly ArrayLike<number>[]): Float64Array {
  return Float64Array.from(tensors.flatMap((t) => Array.from(t)));
}

/** Two interleaved blobs: a learnable, deterministic binary problem. */
function problem(rows: number, seed: number): { x: Float64Array; y: Float64Array } {
  const next = seededUniform(seed);
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = r % 2;
    y[r] = label;
    x[r * 2] = (label ? 0.6 : -0.6) + next(-0.5, 0.5);
    x[r * 2 + 1] = (label ? -0.3 : 0.3) + next(-0.5, 0.5);
  }
  return { x: f32(x), y };
}

function initialParameters(spec: MlpSpec, seed: number): Float64Array {
  return f32(randomArray(mlpLayout(spec).count, seed, -0.7, 0.7));
}

interface Harness {
  readonly parameters: ParameterBuffers;
  readonly data: ResidentDataset;
  readonly plan: TrainingPlan;
  dispose(): void;
}

function harness(
  ctx: GpuContext,
  spec: MlpSpec,
  x: Float64Array,
  y: Float64Array,
  batchSize: number,
  learningRate: number,
  theta: Float64Array,
): Harness {
  const network = networkOf(spec);
  const parameters = new ParameterBuffers(ctx, network);
  parameters.write(tensorsOf(spec, theta));
  const data = new ResidentDataset(ctx, 'train', y.length, spec.inputs, Float32Array.from(x), Float32Array.from(y));
  const plan = new TrainingPlan(ctx, network, parameters, data, {
    batchSize,
    optimizer: { ...ADAM_DEFAULTS, learningRate },
    lossForm: 'logits',
    lossKind: 'binary_crossentropy',
  });
  return {
    parameters,
    data,
    plan,
    dispose() {
      plan.dispose();
      data.dispose();
      parameters.dispose();
    },
  };
}

for (const path of KERNEL_PATHS)
  describe(`${path} kernels`, () => {
    useKernelPath(gpu, path);
    trainingTests(path);
  });

function trainingTests(path: KernelPath): void {
  describe('whole-network gradients (2→8→8→1, relu/tanh, sigmoid + BCE from logits)', () => {
    test('reference backprop matches finite differences of the reference loss', () => {
      const { x, y } = problem(16, 1);
      const theta = initialParameters(SPEC, 2);
      const analytic = mlpLossAndGradient(SPEC, theta, x, y).gradient;
      const numeric = numericGradient((p) => mlpLossAndGradient(SPEC, p, x, y).loss, theta);
      expectClose(analytic, numeric, { rtol: 1e-5, atol: 1e-8 }, 'reference gradient vs finite differences');
    });

    test('GPU gradients after one step match finite differences of the loss', async () => {
      const ctx = gpu();
      const { x, y } = problem(16, 3);
      const theta = initialParameters(SPEC, 4);
      // Learning rate 0: the step leaves θ alone, so the gradient buffer is dL/dθ at θ.
      const h = harness(ctx, SPEC, x, y, 16, 0, theta);
      try {
        await h.plan.runEpoch(
          Uint32Array.from({ length: 16 }, (_, i) => i),
          0,
        );
        const gpuGradient = flatOf(await h.plan.readGradients());
        const numeric = numericGradient((p) => mlpLossAndGradient(SPEC, p, x, y).loss, theta);
        expectClose(gpuGradient, numeric, { rtol: 1e-3, atol: 2e-5 }, 'GPU gradient vs finite differences');
        expectClose(flatOf(await h.parameters.read()), theta, { rtol: 0, atol: 0 }, 'θ unchanged at learning rate 0');
      } finally {
        h.dispose();
      }
    });
  });

  describe('training parity with the float64 reference', () => {
    test('2→8→8→1, 250 samples, batch 32 (7 full + a partial batch of 26), 3 epochs, fixed init and permutations', async () => {
      const ctx = gpu();
      const rows = 250;
      const batchSize = 32;
      const { x, y } = problem(rows, 5);
      const theta0 = initialParameters(SPEC, 6);
      const config = { ...ADAM_DEFAULTS, learningRate: 0.01 };
      const h = harness(ctx, SPEC, x, y, batchSize, config.learningRate, theta0);
      const reference = Float64Array.from(theta0);
      const state = ref.createOptimizerState(reference.length);
      const next = seededUniform(7);
      let steps = 0;
      try {
        for (let epoch = 0; epoch < 3; epoch++) {
          const permutation = Uint32Array.from({ length: rows }, (_, i) => i);
          for (let i = rows - 1; i > 0; i--) {
            const j = Math.floor(next(0, 1) * (i + 1));
            [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
          }
          // Reference epoch: the same batches, in the same order, one Adam step each.
          let lossSum = 0;
          let correct = 0;
          const xs = ref.gatherRows(x, permutation, 2);
          const ys = ref.gatherRows(y, permutation, 1);
          for (let start = 0; start < rows; start += batchSize) {
            const end = Math.min(rows, start + batchSize);
            const result = mlpTrainStep(SPEC, reference, state, config, ++steps, xs.subarray(start * 2, end * 2), ys.subarray(start, end));
            lossSum += result.loss * (end - start);
            correct += result.correct;
          }
          const result = await h.plan.runEpoch(permutation, epoch * h.plan.stepsPerEpoch);
          const gpuEpoch = meanMetrics(result.train);
          assert.equal(result.train.seen, rows);
          expectClose([gpuEpoch.loss], [lossSum / rows], { rtol: 0, atol: 1e-4 }, `epoch ${epoch + 1} loss`);
          // Accuracy counts can differ only where a probability sits within f32 noise of 0.5.
          assert.ok(
            Math.abs(result.train.correct - correct) <= 1,
            `epoch ${epoch + 1} correct: GPU ${result.train.correct}, reference ${correct}`,
          );
          assert.equal(result.submits, 1, 'one submit per epoch');
          assert.equal(result.reads, 1, 'one read per epoch');
        }
        expectClose(flatOf(await h.parameters.read()), reference, { rtol: 1e-3, atol: 1e-5 }, 'weights after 3 epochs');
      } finally {
        h.dispose();
      }
    });

    test('epochs longer than one submit split into several, with identical results', async () => {
      const ctx = gpu();
      const rows = 100;
      const { x, y } = problem(rows, 8);
      const theta = initialParameters(SPEC, 9);
      const permutation = Uint32Array.from({ length: rows }, (_, i) => (i * 37) % rows);
      const outcomes: Float64Array[] = [];
      for (const maxStepsPerSubmit of [undefined, 3]) {
        const network = networkOf(SPEC);
        const parameters = new ParameterBuffers(ctx, network);
        parameters.write(tensorsOf(SPEC, theta));
        const data = new ResidentDataset(ctx, 'train', rows, 2, Float32Array.from(x), Float32Array.from(y));
        const plan = new TrainingPlan(ctx, network, parameters, data, {
          batchSize: 10,
          optimizer: { ...ADAM_DEFAULTS, learningRate: 0.01 },
          lossForm: 'logits',
          lossKind: 'binary_crossentropy',
          ...(maxStepsPerSubmit === undefined ? {} : { maxStepsPerSubmit }),
        });
        const result = await plan.runEpoch(permutation, 0);
        assert.equal(result.submits, maxStepsPerSubmit === undefined ? 1 : 4);
        assert.equal(result.dispatches, 2 + 10 * plan.dispatchesPerStep + 1, 'two gathers, every step, the finite-weights check');
        outcomes.push(flatOf(await parameters.read()));
        plan.dispose();
        data.dispose();
        parameters.dispose();
      }
      assert.deepEqual(outcomes[1], outcomes[0]);
    });

    const counted =
      path === 'fused'
        ? 'dispatches per step: the fused network 1, Adam 1'
        : 'dispatches per step: forward L − 1, the fused output head 1, backward 2(L − 1) − 1, Adam 1';
    test(counted, async () => {
      const ctx = gpu();
      const { x, y } = problem(8, 10);
      const h = harness(ctx, SPEC, x, y, 4, 0.01, initialParameters(SPEC, 11));
      try {
        assert.equal(h.plan.kernels, path);
        assert.equal(h.plan.dispatchesPerStep, path === 'fused' ? 2 : 2 + 1 + 3 + 1);
        assert.equal(h.plan.stepsPerEpoch, 2);
      } finally {
        h.dispose();
      }
    });
  });
}

describe('evaluation and prediction plans', () => {
  for (const chunkRows of [4096, 7]) {
    test(`loss/accuracy and predictions over 50 rows match the reference (chunks of ${chunkRows})`, async () => {
      const ctx = gpu();
      const rows = 50;
      const { x, y } = problem(rows, 12);
      const theta = initialParameters(SPEC, 13);
      const network = networkOf(SPEC);
      const parameters = new ParameterBuffers(ctx, network);
      parameters.write(tensorsOf(SPEC, theta));
      const data = new ResidentDataset(ctx, 'eval', rows, 2, Float32Array.from(x), Float32Array.from(y));
      const metrics = new MetricsBuffer(ctx, 1);
      const evaluation = new EvaluationPlan(
        ctx,
        network,
        parameters,
        data,
        metrics.record(0),
        { kind: 'binary_crossentropy', form: 'logits' },
        chunkRows,
      );
      const prediction = new PredictionPlan(ctx, network, parameters, data, chunkRows);
      try {
        const encoder = ctx.device.createCommandEncoder();
        metrics.clear(encoder);
        const pass = encoder.beginComputePass();
        evaluation.encode(pass);
        prediction.encode(pass);
        pass.end();
        metrics.copyOut(encoder);
        ctx.device.queue.submit([encoder.finish()]);
        const [sums] = await metrics.read();
        const expected = mlpLossAndGradient(SPEC, theta, x, y);
        expectClose([meanMetrics(sums!).loss], [expected.loss], { rtol: 1e-5, atol: 1e-6 }, 'evaluation loss');
        assert.equal(sums!.correct, expected.correct);
        const logits = mlpForward(SPEC, theta, x, rows).at(-1)!;
        expectClose(await ctx.readFloats(prediction.output), ref.activateAll('sigmoid', logits), { rtol: 1e-5, atol: 1e-6 }, 'predictions');
      } finally {
        evaluation.dispose();
        prediction.dispose();
        metrics.dispose();
        data.dispose();
        parameters.dispose();
      }
    });
  }
});
