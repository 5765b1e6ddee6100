/**
 * Pipelines do not depend on batch sizes: no override constant carries a row count (offsets
 * that do are uniforms; dense tiles are chosen from columns only), so a model compiles its
 * pipelines once and a new fit batch size, a partial last batch, or evaluate/predict chunks of
 * any size reuse them. Counted on a device of this file's own (model.stats().pipelines).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Dense, GpuContext, makeCircles, Sequential, type MatrixLike } from '../../src/index.js';

// Not the suite's shared context (useGpu): its registry holds other files' pipelines, so "the
// first round compiles pipelines" would say nothing there.
let device: GpuContext | undefined;
before(async () => {
  device = await GpuContext.create();
});
after(() => device?.dispose());
const gpu = (): GpuContext => {
  if (!device) throw new Error('GPU context not ready');
  return device;
};

const circles = makeCircles({ nSamples: 203, factor: 0.4, noise: 0.1, randomState: 4 });
const x: MatrixLike = { data: circles.x, shape: [circles.nSamples, 2] };
/** The first `rows` rows of the inputs and labels. */
const head = (rows: number): { x: MatrixLike; y: Float64Array } => ({
  x: { data: circles.x.subarray(0, 2 * rows), shape: [rows, 2] },
  y: circles.y.subarray(0, rows),
});

/** One round of fit (batchSize, validation included), evaluate and predict with the given sizes. */
async function round(
  model: Sequential,
  batchSize: number,
  evalRows: number,
  evalBatch: number,
  predictRows: number,
  predictBatch: number,
): Promise<number> {
  const validation = head(evalRows);
  await model.fit(x, circles.y, { epochs: 1, batchSize, verbose: 0, seed: 1, validationData: [validation.x, validation.y] });
  await model.evaluate(validation.x, validation.y, { batchSize: evalBatch });
  await model.predict(head(predictRows).x, { batchSize: predictBatch });
  return model.stats().pipelines;
}

describe('pipelines are shared by every batch size', () => {
  // Per model kind: gelu / swish hidden layers keep their pre-activations at an offset that
  // depends on the batch's rows (dense forward STORE_PRE, the fused head's previous layer).
  const models: readonly [string, (model: Sequential) => void][] = [
    [
      '2 → 16 gelu → 8 swish → 1 sigmoid (fused head), binary cross-entropy',
      (model) => {
        model.add(new Dense({ units: 16, activation: 'gelu', inputDim: 2 }));
        model.add(new Dense({ units: 8, activation: 'swish' }));
        model.add(new Dense({ units: 1, activation: 'sigmoid' }));
        model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
      },
    ],
    [
      '2 → 12 swish → 2 softmax, sparse categorical cross-entropy',
      (model) => {
        model.add(new Dense({ units: 12, activation: 'swish', inputDim: 2 }));
        model.add(new Dense({ units: 2, activation: 'softmax' }));
        model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      },
    ],
    [
      '2 → 8 relu → 1 gelu, mean squared error',
      (model) => {
        model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
        model.add(new Dense({ units: 1, activation: 'gelu' }));
        model.compile({ optimizer: 'adam', loss: 'mse' });
      },
    ],
  ];
  for (const [name, build] of models) {
    test(name, async () => {
      const model = new Sequential({ gpu: gpu(), backend: 'webgpu', seed: 3 });
      build(model);
      const before = gpu().kernels.pipelineCount;
      const first = await round(model, 32, 50, 50, 17, 17);
      assert.ok(first > before, 'the first round compiles pipelines');
      // 203 rows: last batches of 3, 5, 203 % 64 = 11 rows, one batch of all; other chunk sizes.
      for (const [batch, evalRows, evalBatch, predictRows, predictBatch] of [
        [50, 129, 40, 1, 1],
        [7, 3, 1, 129, 64],
        [64, 203, 203, 203, 100],
        [256, 17, 4, 4, 3],
      ] as const) {
        assert.equal(
          await round(model, batch, evalRows, evalBatch, predictRows, predictBatch),
          first,
          `fit batch ${batch}, evaluate ${evalRows}/${evalBatch}, predict ${predictRows}/${predictBatch}`,
        );
      }
      model.dispose();
    });
  }
});
