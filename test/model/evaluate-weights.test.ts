import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dense, makeBlobs, Sequential, ShapeError, ValueError, type MatrixLike } from '../../src/index.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose, randomArray } from '../helpers/numeric.js';

const gpu = useGpu();
const blobs = makeBlobs({ nSamples: 40, centers: 3, clusterStd: 3, randomState: 2 });
const x: MatrixLike = { data: blobs.x, shape: [blobs.nSamples, 2] };
const weights = Float32Array.from(randomArray(blobs.nSamples, 5, 0, 2));

function model(backend: 'webgpu' | 'cpu'): Sequential {
  const m = new Sequential({ seed: 3, backend, ...(backend === 'webgpu' ? { gpu: gpu() } : {}) });
  m.add(new Dense({ units: 6, activation: 'tanh', inputDim: 2 }));
  m.add(new Dense({ units: 3, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

for (const backend of ['webgpu', 'cpu'] as const) {
  test(`evaluate with sampleWeight (${backend}): loss = Σ w·loss_i / rows, accuracy unweighted`, async () => {
    const m = model(backend);
    try {
      // Each sample's own loss, from evaluating it alone.
      const perSample: number[] = [];
      for (let i = 0; i < blobs.nSamples; i++) {
        const row: MatrixLike = { data: blobs.x.subarray(2 * i, 2 * i + 2), shape: [1, 2] };
        perSample.push((await m.evaluate(row, [blobs.y[i]!])).loss);
      }
      const expected = perSample.reduce((sum, loss, i) => sum + weights[i]! * loss, 0) / blobs.nSamples;
      const plain = await m.evaluate(x, blobs.y);
      const weighted = await m.evaluate(x, blobs.y, { sampleWeight: weights });
      expectClose([weighted.loss], [expected], { rtol: 1e-5, atol: 1e-6 }, 'weighted loss');
      assert.notEqual(weighted.loss, plain.loss);
      assert.equal(weighted['accuracy'], plain['accuracy']);
      await assert.rejects(m.evaluate(x, blobs.y, { sampleWeight: weights.subarray(1) }), ShapeError);
      await assert.rejects(
        m.evaluate(x, blobs.y, { sampleWeight: Float32Array.from(weights, (w, i) => (i === 3 ? Number.NaN : w)) }),
        ValueError,
      );
      // The model still works after bad input.
      assert.equal((await m.evaluate(x, blobs.y, { sampleWeight: weights })).loss, weighted.loss);
    } finally {
      m.dispose();
    }
  });
}
