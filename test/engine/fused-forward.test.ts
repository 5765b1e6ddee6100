/**
 * The fused forward pass (shaders/fused_mlp.wgsl's predict entry) as predict and evaluate run it:
 * the kernel against the float64 reference on awkward widths and rows (several tiles, several
 * workgroups, windows at row offsets), the plans on both kernel paths (values, which path ran,
 * dispatch counts), and the model's predict, predictLayers and evaluate equal on both paths.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResidentDataset } from '../../src/engine/dataset.js';
import { PredictionPlan } from '../../src/engine/evaluation.js';
import { fusedLayout, fusedPredictWorkgroups, preferKernels, type KernelPath } from '../../src/engine/kernel-choice.js';
import { ParameterBuffers } from '../../src/engine/parameters.js';
import { runKernels } from '../../src/gpu/dispatch.js';
import { FusedMlpDispatch } from '../../src/kernels/fused-mlp.js';
import * as ref from '../../src/reference/index.js';
import type { Activation } from '../../src/spec/activations.js';
import type { DenseLayerShape, LayerActivation, NetworkShape } from '../../src/spec/network.js';
import { Dense, Sequential } from '../../src/index.js';
import { upload, useGpu, zeros } from '../helpers/gpu.js';
import { KERNEL_PATHS, useKernelPath } from '../helpers/kernel-paths.js';
import { tensorsFor } from '../helpers/network-tensors.js';
import { expectClose, f32, randomArray, seededUniform } from '../helpers/numeric.js';

const gpu = useGpu();

/** f32 sums of up to ~130 terms of size ~1 through three layers (as test/gpu/fused-mlp.test.ts). */
const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };
/** The two paths sum in different orders: each differs from the reference by up to TOLERANCE. */
const PATH_TOLERANCE = { rtol: 2e-4, atol: 4e-5 };

/** Activations a forward pass fuses as the last layer's (softmax runs as a pass of its own). */
const OUTPUT_ACTIVATIONS: readonly Activation[] = ['linear', 'sigmoid', 'relu', 'tanh', 'leaky_relu', 'elu', 'gelu', 'softplus', 'swish'];

function network(widths: readonly number[], hidden: readonly Activation[], output: LayerActivation): NetworkShape {
  const layers: DenseLayerShape[] = widths.slice(1).map((units, i) => ({
    inputs: widths[i]!,
    units,
    activation: i === widths.length - 2 ? output : hidden[i % hidden.length]!,
    useBias: i !== 1,
  }));
  return { layers };
}

describe('fused predict entry against the float64 reference', () => {
  useKernelPath(gpu, 'fused');

  /** One dispatch over `rows` rows read from row `xOffset` of x, written from row `yOffset` of y. */
  async function predictOnce(
    net: NetworkShape,
    output: Activation,
    rows: number,
    seed: number,
    options: { xOffset?: number; yOffset?: number; workgroups?: number } = {},
  ): Promise<void> {
    const ctx = gpu();
    const inputs = net.layers[0]!.inputs;
    const units = net.layers[net.layers.length - 1]!.units;
    const tensors = tensorsFor(net, seed);
    const x = f32(randomArray(rows * inputs, seed + 99, -1.5, 1.5));
    const { xOffset = 0, yOffset = 0 } = options;
    const padded = new Float64Array((xOffset + rows) * inputs);
    padded.set(x, xOffset * inputs);
    const parameters = new ParameterBuffers(ctx, net);
    try {
      parameters.write(tensors);
      const layout = fusedLayout(ctx, net, parameters, { training: false, outputActivation: output });
      assert.ok(layout, 'eligible for the fused forward pass');
      const y = zeros(ctx, 'y', (yOffset + rows) * units);
      const workgroups = options.workgroups ?? fusedPredictWorkgroups(layout, rows);
      const dispatch = FusedMlpDispatch.predict(
        ctx,
        layout.layers,
        { x: upload(ctx, 'x', padded), parameters: parameters.values, y },
        rows,
        { ...layout, workgroups },
      );
      try {
        dispatch.stageWindow({ rows, xRowOffset: xOffset, yRowOffset: yOffset }).upload();
        await runKernels(ctx, 'fused predict', [dispatch]);
        const actual = await ctx.readFloats(y, yOffset * units, rows * units);
        const expected = ref.networkForward(net, tensors, x, rows, output);
        expectClose(actual, expected[expected.length - 1]!, TOLERANCE, `${rows} rows, ${workgroups} workgroup(s), ${output}`);
      } finally {
        dispatch.dispose();
      }
    } finally {
      parameters.dispose();
    }
  }

  for (const width of [1, 3, 17, 64, 128]) {
    test(`3→${width}→${width}→2 (relu, tanh; second layer without bias) over 1, 3, 17, 129 and 3,001 rows`, async () => {
      for (const [i, rows] of [1, 3, 17, 129, 3001].entries()) {
        const output = OUTPUT_ACTIVATIONS[(width + i) % OUTPUT_ACTIVATIONS.length]!;
        await predictOnce(network([3, width, width, 2], ['relu', 'tanh'], output), output, rows, 1000 * width + rows);
      }
    });
  }

  test('every output activation the forward pass fuses, 2→17(elu)→5', async () => {
    for (const [i, output] of OUTPUT_ACTIVATIONS.entries()) {
      await predictOnce(network([2, 17, 5], ['elu'], output), output, 67, 300 + i);
    }
  });

  test('tiles dealt unevenly to 1 and 3 workgroups, and to one per tile, in windows at row offsets', async () => {
    const net = network([2, 64, 3, 1], ['swish', 'leaky_relu'], 'sigmoid');
    for (const workgroups of [1, 3, 10_000]) {
      await predictOnce(net, 'sigmoid', 517, 40 + workgroups, { xOffset: 7, yOffset: 11, workgroups });
    }
  });

  test('a forward pass gets more rows per tile than a training step, and few workgroups', () => {
    const ctx = gpu();
    const net = network([2, 128, 128, 1], ['relu'], 'linear');
    const parameters = new ParameterBuffers(ctx, net);
    try {
      const forward = fusedLayout(ctx, net, parameters, { training: false, outputActivation: 'sigmoid' })!;
      const training = fusedLayout(ctx, net, parameters, {
        training: true,
        loss: { kind: 'binary_crossentropy', form: 'logits' },
        logits: true,
        outputActivation: 'linear',
      })!;
      assert.ok(forward.tileRows > training.tileRows, `${forward.tileRows} rows per forward tile, ${training.tileRows} per training tile`);
      assert.equal(fusedPredictWorkgroups(forward, 4096), 16, '4,096 rows × 16,768 multiply-adds: 16 workgroups of ≥ 4M');
      assert.equal(fusedPredictWorkgroups(forward, 1), 1);
    } finally {
      parameters.dispose();
    }
  });
});

describe('prediction plans on both kernel paths', () => {
  const rows = 3001;
  const cases: readonly { readonly label: string; readonly net: NetworkShape }[] = [
    { label: '2→17(relu)→64(tanh)→1 sigmoid', net: network([2, 17, 64, 1], ['relu', 'tanh'], 'sigmoid') },
    { label: '2→3(elu)→3 softmax', net: network([2, 3, 3], ['elu'], 'softmax') },
    { label: '2→128(relu)→1 linear', net: network([2, 128, 1], ['relu'], 'linear') },
  ];

  for (const { label, net } of cases) {
    test(`${label}: fused where preferred (one dispatch per chunk, plus softmax), layered otherwise, both equal to the reference`, async () => {
      const ctx = gpu();
      const tensors = tensorsFor(net, 77);
      const x = f32(randomArray(rows * 2, 78, -2, 2));
      const last = net.layers[net.layers.length - 1]!;
      const expected = ref.networkForward(net, tensors, x, rows, last.activation);
      const parameters = new ParameterBuffers(ctx, net);
      const data = new ResidentDataset(ctx, 'x', rows, 2, Float32Array.from(x));
      try {
        parameters.write(tensors);
        for (const path of KERNEL_PATHS) {
          preferKernels(ctx.device, path);
          const plan = new PredictionPlan(ctx, net, parameters, data, 1000);
          try {
            assert.equal(plan.kernels, path);
            const encoder = ctx.device.createCommandEncoder();
            const pass = encoder.beginComputePass();
            const dispatches = plan.encode(pass);
            pass.end();
            ctx.device.queue.submit([encoder.finish()]);
            const perChunk = path === 'fused' ? 1 : net.layers.length;
            assert.equal(dispatches, 4 * perChunk + (last.activation === 'softmax' ? 1 : 0), `${path}: dispatches`);
            expectClose(await ctx.readFloats(plan.output, 0, rows * last.units), expected[expected.length - 1]!, TOLERANCE, path);
            if (path === 'fused') assert.throws(() => plan.layerOutputs, /every layer/);
          } finally {
            plan.dispose();
            preferKernels(ctx.device, undefined);
          }
        }
      } finally {
        data.dispose();
        parameters.dispose();
      }
    });
  }

  test('a plan for every layer’s output stays layered under a fused preference, its buffers holding all rows', async () => {
    const ctx = gpu();
    const net = cases[0]!.net;
    const tensors = tensorsFor(net, 79);
    const x = f32(randomArray(rows * 2, 80, -2, 2));
    const expected = ref.networkForward(net, tensors, x, rows, 'sigmoid');
    const parameters = new ParameterBuffers(ctx, net);
    const data = new ResidentDataset(ctx, 'x', rows, 2, Float32Array.from(x));
    preferKernels(ctx.device, 'fused');
    const plan = new PredictionPlan(ctx, net, parameters, data, 1000, true);
    try {
      parameters.write(tensors);
      assert.equal(plan.kernels, 'layered');
      const encoder = ctx.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      assert.equal(plan.encode(pass), 3, 'one chunk of all rows, a dispatch per layer');
      pass.end();
      ctx.device.queue.submit([encoder.finish()]);
      for (const [i, buffer] of plan.layerOutputs.entries()) {
        const width = net.layers[i]!.units;
        expectClose(await ctx.readFloats(buffer, 0, rows * width), expected[i]!, TOLERANCE, `layer ${i}`);
      }
    } finally {
      preferKernels(ctx.device, undefined);
      plan.dispose();
      data.dispose();
      parameters.dispose();
    }
  });
});

describe('model predict, predictLayers and evaluate equal on both paths', () => {
  const rows = 2500;

  /** A model of `hidden` relu/tanh layers and `output` on one device, built and run under `path`. */
  async function runModel(
    path: KernelPath,
    hidden: readonly number[],
    output: {
      units: number;
      activation: 'sigmoid' | 'softmax' | 'linear';
      loss: 'binary_crossentropy' | 'sparse_categorical_crossentropy' | 'mean_squared_error';
    },
    seed: number,
  ) {
    const ctx = gpu();
    const next = seededUniform(seed);
    const x = Float32Array.from({ length: rows * 2 }, () => next(-2, 2));
    const y = Float32Array.from({ length: rows }, () => Math.floor(next(0, output.units === 1 ? 2 : output.units)));
    preferKernels(ctx.device, path);
    const model = new Sequential({ seed, gpu: ctx, backend: 'webgpu' });
    try {
      hidden.forEach((units, i) =>
        model.add(new Dense({ units, activation: i % 2 === 0 ? 'relu' : 'tanh', ...(i === 0 ? { inputDim: 2 } : {}) })),
      );
      model.add(new Dense({ units: output.units, activation: output.activation, ...(hidden.length === 0 ? { inputDim: 2 } : {}) }));
      model.compile({ optimizer: 'adam', loss: output.loss, metrics: output.loss === 'mean_squared_error' ? ['mse'] : ['accuracy'] });
      const input = { data: x, shape: [rows, 2] as [number, number] };
      const predictions = await model.predict(input, { batchSize: 1000 });
      const predictKernels = model.stats().forwardKernels;
      const evaluation = await model.evaluate(input, y, { batchSize: 700 });
      const evaluateKernels = model.stats().forwardKernels;
      const layers = await model.predictLayers(input);
      const layersKernels = model.stats().forwardKernels;
      return { predictions, evaluation, layers, predictKernels, evaluateKernels, layersKernels };
    } finally {
      model.dispose();
      preferKernels(ctx.device, undefined);
    }
  }

  const models = [
    { hidden: [17, 64], output: { units: 1, activation: 'sigmoid', loss: 'binary_crossentropy' } },
    { hidden: [3], output: { units: 3, activation: 'softmax', loss: 'sparse_categorical_crossentropy' } },
    { hidden: [128, 128], output: { units: 1, activation: 'linear', loss: 'mean_squared_error' } },
  ] as const;

  for (const [i, { hidden, output }] of models.entries()) {
    test(`2→${hidden.join('→')}→${output.units} ${output.activation} (${output.loss})`, async () => {
      const fused = await runModel('fused', hidden, output, 500 + i);
      const layered = await runModel('layered', hidden, output, 500 + i);
      assert.deepEqual([fused.predictKernels, fused.evaluateKernels, fused.layersKernels], ['fused', 'fused', 'layered']);
      assert.deepEqual([layered.predictKernels, layered.evaluateKernels, layered.layersKernels], ['layered', 'layered', 'layered']);
      expectClose(fused.predictions, layered.predictions, PATH_TOLERANCE, 'predictions');
      expectClose(fused.layers.at(-1)!, fused.predictions, PATH_TOLERANCE, 'predictLayers’ last layer vs predict');
      expectClose([fused.evaluation.loss], [layered.evaluation.loss], PATH_TOLERANCE, 'evaluate loss');
      const metric = output.loss === 'mean_squared_error' ? 'mse' : 'accuracy';
      const [fusedMetric, layeredMetric] = [fused.evaluation[metric], layered.evaluation[metric]];
      assert.ok(fusedMetric !== undefined && layeredMetric !== undefined, metric);
      if (metric === 'mse') expectClose([fusedMetric], [layeredMetric], PATH_TOLERANCE, 'evaluate mse');
      // A prediction within rounding of the class threshold may count differently: one row at most.
      else assert.ok(Math.abs(fusedMetric - layeredMetric) <= 1 / rows, `evaluate accuracy ${fusedMetric}, ${layeredMetric}`);
    });
  }

  test('validation inside fit counts its fused forward pass as one dispatch per chunk (2→5→1: 2 layered)', async () => {
    const ctx = gpu();
    const next = seededUniform(9);
    const x = Float32Array.from({ length: 64 * 2 }, () => next(-2, 2));
    const y = Float32Array.from({ length: 64 }, () => (next(0, 1) < 0.5 ? 0 : 1));
    const dispatches = async (forward: KernelPath) => {
      preferKernels(ctx.device, 'fused', forward);
      const model = new Sequential({ seed: 3, gpu: ctx, backend: 'webgpu' });
      try {
        model.add(new Dense({ units: 5, activation: 'relu', inputDim: 2 }));
        model.add(new Dense({ units: 1, activation: 'sigmoid' }));
        model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
        const input = { data: x, shape: [64, 2] as [number, number] };
        await model.fit(input, y, { epochs: 1, batchSize: 32, verbose: 0, validationData: [input, y] });
        return model.stats().dispatchesPerEpoch;
      } finally {
        model.dispose();
        preferKernels(ctx.device, undefined);
      }
    };
    assert.equal(await dispatches('fused'), (await dispatches('layered')) - 1);
  });

  test('by default (no preference) predict and evaluate run layered on every tutorial model', async () => {
    for (const hidden of [[], [5], [128], [128, 128]]) {
      const ctx = gpu();
      const net: NetworkShape = network([2, ...hidden, 1], ['relu'], 'sigmoid');
      const parameters = new ParameterBuffers(ctx, net);
      try {
        assert.equal(
          fusedLayout(ctx, net, parameters, { training: false, outputActivation: 'sigmoid' }),
          undefined,
          `2→${hidden.join('→')}→1`,
        );
      } finally {
        parameters.dispose();
      }
    }
  });
});
