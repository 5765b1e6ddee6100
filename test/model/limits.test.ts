/**
 * Size limits apply on both engines and are checked before anything is allocated: a Dense of a
 * billion units on the CPU engine used to try to allocate ~8 GB.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Dense, Dropout, MODEL_LIMITS, Sequential } from '../../src/index.js';
import { SIZE_LIMITS } from '../../src/model/limits.js';
import { useGpu } from '../helpers/gpu.js';

const gpu = useGpu();

for (const backend of ['cpu', 'webgpu'] as const) {
  describe(`size limits on the ${backend} engine`, () => {
    const create = (): Sequential => new Sequential({ backend, seed: 1, ...(backend === 'webgpu' ? { gpu: gpu() } : {}) });
    const memory = () => (backend === 'webgpu' ? gpu().memory() : undefined);

    test('units and inputDim beyond MODEL_LIMITS.units are refused by the Dense constructor', () => {
      assert.equal(SIZE_LIMITS.units, MODEL_LIMITS.units);
      assert.throws(() => new Dense({ units: 1e9 }), {
        name: 'ValueError',
        message: /Dense units is 1000000000, over the limit of 65,536/,
      });
      assert.throws(() => new Dense({ units: 1, inputDim: 70_000 }), {
        name: 'ValueError',
        message: /Dense inputDim is 70000, over the limit of 65,536/,
      });
      assert.throws(() => new Dense({ units: 1, inputShape: [70_000] }), {
        name: 'ValueError',
        message: /Dense inputShape\[0\] is 70000, over the limit of 65,536/,
      });
      assert.ok(new Dense({ units: MODEL_LIMITS.units }).units === MODEL_LIMITS.units);
    });

    test('a model of more parameters than a model file may hold is refused at add(), before any allocation', () => {
      const before = memory();
      const model = create();
      model.add(new Dense({ units: 65_536, inputDim: 1024, activation: 'relu' })); // 67 million parameters: allowed
      assert.throws(() => model.add(new Dense({ units: 65_536 })), {
        name: 'ValueError',
        message: /The model would have 4,362,207,232 parameters \(17448828928 bytes\), over the limit of 536870912 bytes/,
      });
      assert.equal(model.layers.length, 1, 'the refused layer was not added');
      assert.deepEqual(memory(), before);
      model.dispose();
    });

    test('the parameter limit also holds when fit or predict infers the input width from the data', async () => {
      const before = memory();
      const model = create();
      model.add(new Dense({ units: 60_000 }));
      model.add(new Dense({ units: 1, activation: 'sigmoid' }));
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
      const wide = { data: new Float32Array(3000), shape: [1, 3000] as const };
      const refusal = {
        name: 'ValueError',
        message: /The model would have 180,120,001 parameters \(720480004 bytes\), over the limit of 536870912 bytes/,
      };
      await assert.rejects(model.fit(wide, [1], { verbose: 0 }), refusal);
      await assert.rejects(model.predict(wide), refusal);
      assert.deepEqual(memory(), before);
      // Data of another width still fits the model.
      assert.equal((await model.predict([[1, 2]])).length, 1);
      model.dispose();
    });

    test(`more than ${MODEL_LIMITS.layers} layers are refused`, () => {
      const model = create();
      model.add(new Dense({ units: 1, inputDim: 1 }));
      for (let i = 1; i < MODEL_LIMITS.layers; i++) model.add(i % 2 ? new Dropout({ rate: 0 }) : new Dense({ units: 1 }));
      assert.throws(() => model.add(new Dense({ units: 1 })), { name: 'ValueError', message: /already has 1000 layers, the limit/ });
      model.dispose();
    });

    test('a training batch whose activations exceed the limit is refused before allocating', async () => {
      const before = memory();
      const model = create();
      model.add(new Dense({ units: 65_536, inputDim: 1, activation: 'relu' }));
      model.add(new Dense({ units: 1, activation: 'sigmoid' }));
      model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
      const rows = 2048;
      const xs = { data: new Float32Array(rows), shape: [rows, 1] as const };
      const ys = new Float32Array(rows);
      await assert.rejects(model.fit(xs, ys, { batchSize: rows, verbose: 0 }), {
        name: 'ValueError',
        message:
          /batchSize 2048: one batch's activations \(2,048 rows × 65,538 values\) exceed the limit of 67,108,864 values; use a smaller batchSize/,
      });
      assert.deepEqual(memory(), before);
      model.dispose();
    });

    test('predict refuses an output larger than the data limit before computing it', async () => {
      const model = create();
      model.add(new Dense({ units: 65_536, inputDim: 1 }));
      const rows = Math.ceil(SIZE_LIMITS.dataValues / 65_536) + 1;
      await assert.rejects(model.predict(new Float32Array(rows)), {
        name: 'ValueError',
        message: /predict output of 4,097 rows × 65,536 units .* over the limit of 268,435,456 values/,
      });
      model.dispose();
    });

    test('evaluate and predict on many rows of a wide layer run in chunks: same values as row by row', async () => {
      const model = create();
      model.add(new Dense({ units: 600, inputDim: 2, activation: 'tanh' }));
      model.add(new Dense({ units: 1, activation: 'sigmoid' }));
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
      const rows = 300;
      const xs = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i));
      const ys = Float32Array.from({ length: rows }, (_, i) => i % 2);
      const whole = await model.predict(xs);
      const chunked = await model.predict(xs, { batchSize: 7 });
      assert.deepEqual(chunked, whole);
      const a = await model.evaluate(xs, ys);
      const b = await model.evaluate(xs, ys, { batchSize: 7 });
      assert.ok(Math.abs(a.loss - b.loss) < 1e-6, `${a.loss} vs ${b.loss}`);
      model.dispose();
    });
  });
}
