/**
 * Models on one device that fit on equal data share one resident copy of it (engine/shared-datasets.ts):
 * one upload for many models, reference-counted so that it outlives any one of them, never written
 * while another model reads it, and training exactly as it does unshared.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Dense, makeCircles, Sequential, type MatrixLike } from '../../src/index.js';
import { sharedDataReport } from '../../src/engine/shared-datasets.js';
import { useGpu } from '../helpers/gpu.js';

const gpu = useGpu();
const ROWS = 96;
const VALIDATION_ROWS = 32;
const circles = makeCircles({ nSamples: ROWS + VALIDATION_ROWS, factor: 0.4, noise: 0.1, randomState: 7 });
const x: MatrixLike = { data: circles.x.slice(0, ROWS * 2), shape: [ROWS, 2] };
const y = circles.y.slice(0, ROWS);
const validationData = [{ data: circles.x.slice(ROWS * 2), shape: [VALIDATION_ROWS, 2] }, circles.y.slice(ROWS)] as const;
/** Bytes of one copy: x (2 floats a row) and y (1), training and validation. */
const DATA_BYTES = (ROWS + VALIDATION_ROWS) * 3 * 4;

/** The same points with one feature nudged: equal shapes, other values. */
function edited(data: MatrixLike): MatrixLike {
  const values = Float64Array.from(data.data);
  values[0] = values[0]! + 0.25;
  return { data: values, shape: data.shape };
}

function classifier(units: number, seed = 3): Sequential {
  const model = new Sequential({ seed, gpu: gpu() });
  model.add(new Dense({ units, activation: 'tanh', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Trains epoch `epoch` only, as the playground and the sweep do (one fit per epoch). */
async function epoch(model: Sequential, epochIndex: number, features: MatrixLike = x): Promise<number> {
  const history = await model.fit(features, y, {
    epochs: epochIndex + 1,
    initialEpoch: epochIndex,
    batchSize: 16,
    seed: 11,
    verbose: 0,
    validationData,
  });
  return history.history.val_loss![0]!;
}

async function trainedAlone(
  units: number,
  epochs: number,
  features: MatrixLike = x,
): Promise<{ weights: Float32Array[]; valLoss: number }> {
  const model = classifier(units);
  let valLoss = NaN;
  for (let e = 0; e < epochs; e++) valLoss = await epoch(model, e, features);
  const weights = await model.getWeights();
  model.dispose();
  return { weights, valLoss };
}

describe('models on one device share equal training data', () => {
  test('four models, one upload of the training and validation data; epochs after the first upload nothing', async () => {
    const before = sharedDataReport(gpu());
    const models = [4, 8, 16, 32].map((units) => classifier(units));
    for (const model of models) await epoch(model, 0);
    const afterFirst = sharedDataReport(gpu());
    assert.equal(afterFirst.datasets - before.datasets, 2, 'one training and one validation dataset on the GPU');
    assert.equal(afterFirst.users - before.users, 8, 'held by four models, twice each');
    assert.equal(afterFirst.uploads - before.uploads, 2);
    assert.equal(afterFirst.uploadedBytes - before.uploadedBytes, DATA_BYTES);
    for (let e = 1; e < 3; e++) for (const model of models) await epoch(model, e);
    assert.equal(sharedDataReport(gpu()).uploads, afterFirst.uploads, 'equal data is not written again');
    for (const model of models) model.dispose();
    assert.deepEqual(sharedDataReport(gpu()), { ...afterFirst, datasets: before.datasets, users: before.users });
  });

  test('a second model on the same data adds its weights and scratch buffers, not a second copy of the data', async () => {
    const ctx = gpu();
    const baseline = ctx.memory();
    const first = classifier(8);
    await epoch(first, 0);
    const withFirst = ctx.memory();
    const second = classifier(8, 4);
    await epoch(second, 0);
    const withBoth = ctx.memory();
    // Same architecture: the second model allocates what the first did, less the data buffers (x and y, twice).
    assert.equal(withBoth.buffers - withFirst.buffers, withFirst.buffers - baseline.buffers - 4);
    assert.equal(withBoth.bytes - withFirst.bytes, withFirst.bytes - baseline.bytes - DATA_BYTES);
    first.dispose();
    second.dispose();
    assert.deepEqual(ctx.memory(), baseline);
  });

  test('shared training gives the results of unshared training, epochs interleaved as in a sweep', async () => {
    const alone = [await trainedAlone(8, 3), await trainedAlone(16, 3)];
    const models = [classifier(8), classifier(16)];
    const valLosses = [NaN, NaN];
    for (let e = 0; e < 3; e++) for (const [i, model] of models.entries()) valLosses[i] = await epoch(model, e);
    for (const [i, model] of models.entries()) {
      assert.deepEqual(await model.getWeights(), alone[i]!.weights, `model ${i}: bit-identical weights`);
      assert.equal(valLosses[i], alone[i]!.valLoss);
      model.dispose();
    }
  });

  test('the data outlives the first model disposed; the last one frees it', async () => {
    const ctx = gpu();
    const baseline = ctx.memory();
    const before = sharedDataReport(ctx);
    const expected = await trainedAlone(8, 2);
    const first = classifier(16);
    const second = classifier(8);
    await epoch(first, 0);
    await epoch(second, 0);
    first.dispose();
    assert.equal(sharedDataReport(ctx).datasets - before.datasets, 2, 'still held by the second model');
    await epoch(second, 1);
    assert.deepEqual(await second.getWeights(), expected.weights);
    second.dispose();
    assert.equal(sharedDataReport(ctx).datasets, before.datasets);
    assert.deepEqual(ctx.memory(), baseline);
  });

  test('edited data: a model moves to a copy of its own and never writes the shared one; the others keep theirs until they follow', async () => {
    const ctx = gpu();
    const before = sharedDataReport(ctx);
    const changed = edited(x);
    const editedAlone = await trainedAlone(8, 2, changed);
    const untouchedAlone = await trainedAlone(16, 2);
    const mover = classifier(8);
    const stayer = classifier(16);
    await epoch(mover, 0, changed);
    await epoch(stayer, 0);
    // The mover's first epoch ran on the edited data from the start; now both have trained one epoch.
    assert.equal(sharedDataReport(ctx).datasets - before.datasets, 3, 'two training copies, one validation copy');
    await epoch(mover, 1, changed);
    await epoch(stayer, 1);
    assert.deepEqual(await mover.getWeights(), editedAlone.weights);
    assert.deepEqual(await stayer.getWeights(), untouchedAlone.weights, 'the edit did not reach a model that was not given it');
    // The stayer follows: it joins the edited copy, and the old one is freed.
    const uploads = sharedDataReport(ctx).uploads;
    await epoch(stayer, 2, changed);
    assert.equal(sharedDataReport(ctx).datasets - before.datasets, 2);
    assert.equal(sharedDataReport(ctx).uploads, uploads, 'joined the copy already on the GPU');
    mover.dispose();
    stayer.dispose();
    assert.equal(sharedDataReport(ctx).datasets, before.datasets);
  });

  test('a model alone on its data writes edits in place, and trains as a fresh model on the edited data', async () => {
    const ctx = gpu();
    const changed = edited(x);
    const model = classifier(8);
    await epoch(model, 0);
    const before = sharedDataReport(ctx);
    const memory = ctx.memory();
    await epoch(model, 1, changed);
    const after = sharedDataReport(ctx);
    assert.equal(after.datasets, before.datasets, 'no new dataset');
    assert.equal(after.uploads - before.uploads, 1, 'one write: the training set (validation unchanged)');
    assert.equal(after.uploadedBytes - before.uploadedBytes, ROWS * 3 * 4);
    assert.deepEqual(ctx.memory(), memory, 'nothing allocated: written in place');
    // Compared with a model trained epoch 0 on x and epoch 1 on the edited x, unshared (alone, in turn).
    const weights = await model.getWeights();
    model.dispose();
    const reference = classifier(8);
    await epoch(reference, 0);
    const referenceWeights = await (async () => {
      // Another model on x, so that the reference's edit moves it to a copy rather than writing in place.
      const bystander = classifier(4);
      await epoch(bystander, 0);
      await epoch(reference, 1, changed);
      bystander.dispose();
      return reference.getWeights();
    })();
    assert.deepEqual(weights, referenceWeights);
    reference.dispose();
  });
});
