/**
 * Bugs the fuzz tests of this folder found, one plain test each: every input here used to throw
 * a TypeError or RangeError (or was silently accepted) instead of a typed error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Dense,
  deserializeModel,
  Dropout,
  loadModel,
  makeBlobs,
  makeCircles,
  makeMoons,
  makeSpirals,
  RandomState,
  Sequential,
  serializeModel,
  setDefaultGpu,
  takeRows,
  toFloat32,
  trainValidationSplit,
  ValueError,
  xor,
} from '../../src/index.js';
import { GENERATOR_LIMITS } from '../../src/data/dataset.js';
import { SIZE_LIMITS } from '../../src/model/limits.js';
import { MODEL_LIMITS } from '../../src/model/io/limits.js';

const bare = (): object => Object.create(null) as object;

test('seeds that String() cannot render (no prototype, a symbol in an array) are ValueErrors', () => {
  for (const seed of [bare(), [Symbol('s')], { toString: false }]) {
    assert.throws(() => new RandomState(seed as never), ValueError);
    assert.throws(() => new Sequential({ seed: seed as never }), ValueError);
    assert.throws(() => new Dropout({ rate: 0.1, seed: seed as never }), ValueError);
    assert.throws(() => makeCircles({ randomState: seed as never }), ValueError);
  }
  assert.throws(() => makeMoons({ nSamples: bare() as never }), /nSamples as a pair must be \[nOuter, nInner\].*got an empty object/);
});

test('Dense: an inputShape holding a BigInt and an alpha without a prototype are typed errors', () => {
  assert.throws(() => new Dense({ units: 1, inputShape: [1n, 2] as never }), {
    name: 'ShapeError',
    message: /inputShape must be \[features\].*got \[1n, 2\]/,
  });
  assert.throws(() => new Dense({ units: 1, activation: 'elu', alpha: bare() as never }), ValueError);
});

test('takeRows, trainValidationSplit and toFloat32 check their dataset and split', () => {
  const data = makeMoons({ nSamples: 8 });
  for (const bad of [null, 1, {}, { ...data, nSamples: 9 }, { ...data, y: 'abc' }, { ...data, nFeatures: 0.5 }]) {
    assert.throws(() => takeRows(bad as never, 0, 1), /takeRows: expected a Dataset/);
    assert.throws(() => trainValidationSplit(bad as never, 0.5), /trainValidationSplit: expected a Dataset/);
    assert.throws(() => toFloat32(bad as never), /toFloat32: expected a Dataset/);
  }
  assert.throws(() => trainValidationSplit(data, Symbol('x') as never), ValueError);
  assert.equal(takeRows(data, 2).nSamples, 6);
});

test('dataset generators: null options, sizes past the limits and malformed centres are ValueErrors, before any allocation', () => {
  assert.equal(GENERATOR_LIMITS.values, SIZE_LIMITS.dataValues);
  assert.equal(GENERATOR_LIMITS.classes, MODEL_LIMITS.units);
  for (const generate of [makeCircles, makeMoons, makeBlobs, makeSpirals, xor] as ((options: unknown) => unknown)[]) {
    assert.throws(() => generate(null), /options must be an object, got null/);
    // 2^31 samples of 2 features would be 32 GB of float64: it used to be a RangeError (or the memory).
    assert.throws(() => generate({ nSamples: 2 ** 31 }), /over the limit of 268435456 values/);
  }
  assert.throws(() => makeSpirals({ nSamples: 10, classes: 2 ** 40 }), /classes \(or centres\) is over the limit of 65536/);
  assert.throws(() => makeBlobs({ nSamples: 10, centers: 2 ** 20, nFeatures: 2 ** 20 }), /over the limit/);
  assert.throws(() => makeBlobs({ centers: [null] as never }), /every centre needs the same number/);
  assert.throws(() => makeBlobs({ clusterStd: {} as never }), /clusterStd must be a number or one number per centre/);
});

test('serializeModel, deserializeModel and loadModel check their options by type', async () => {
  const model = new Sequential({ backend: 'cpu', seed: 1 });
  model.add(new Dense({ units: 1, inputDim: 2 }));
  await assert.rejects(
    serializeModel(model, { includeTrainingConfig: 'no' as never }),
    /serializeModel includeTrainingConfig must be true or false/,
  );
  const { modelJson, weightData } = await serializeModel(model);
  assert.throws(() => deserializeModel(modelJson, weightData, { compile: 0 as never }), /deserializeModel compile must be true or false/);
  assert.throws(() => deserializeModel(modelJson, weightData, null as never), /deserializeModel options must be an object/);
  await assert.rejects(loadModel({ modelJson, weightData }, { compile: 'false' as never }), /loadModel compile must be true or false/);
  await assert.rejects(loadModel({ modelJson, weightData }, null as never), /loadModel options must be an object/);
  await assert.rejects(loadModel('https://example.com/model.json', { fetch: 'fetch' as never }), /loadModel fetch must be a function/);
  model.dispose();
});

test('a fetch that rejects with null or a prototype-less object gives a ValueError', async () => {
  for (const reason of [null, undefined, bare(), 'offline']) {
    await assert.rejects(
      loadModel('https://example.com/model.json', { fetch: () => Promise.reject(reason), backend: 'cpu' }),
      (error: unknown) => {
        assert.ok(error instanceof ValueError, String(error));
        assert.match(error.message, /Fetching https:\/\/example.com\/model.json failed/);
        return true;
      },
    );
  }
});

test('setDefaultGpu refuses what is not a GpuContext', () => {
  for (const value of [undefined, null, {}, 'gpu']) assert.throws(() => setDefaultGpu(value as never), ValueError);
});
