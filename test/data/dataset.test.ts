import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { makeCircles, takeRows, toFloat32, trainValidationSplit } from '../../src/data/index.js';

test('the tutorial: make_circles(5000, factor .3, noise .05), validation_split 0.2 → 4000 / 1000', () => {
  const data = makeCircles({ nSamples: 5000, factor: 0.3, noise: 0.05, randomState: 0 });
  const { train, validation } = trainValidationSplit(data, 0.2);
  assert.equal(train.nSamples, 4000);
  assert.equal(validation.nSamples, 1000);
  assert.equal(train.x.length, 8000);
  assert.equal(validation.x.length, 2000);
  // The first rows train, the last rows validate, in order.
  assert.deepEqual(train.x, data.x.slice(0, 8000));
  assert.deepEqual(train.y, data.y.slice(0, 4000));
  assert.deepEqual(validation.x, data.x.slice(8000));
  assert.deepEqual(validation.y, data.y.slice(4000));
});

test('Keras split sizes: train = floor(n * (1 - f)), validation = the rest', () => {
  const sizes = (n: number, f: number): [number, number] => {
    const { train, validation } = trainValidationSplit(makeCircles({ nSamples: n }), f);
    return [train.nSamples, validation.nSamples];
  };
  assert.deepEqual(sizes(7, 0.3), [4, 3]); // 7 * 0.7 = 4.8999999999999995
  assert.deepEqual(sizes(10, 0.1), [9, 1]);
  assert.deepEqual(sizes(3, 0.5), [1, 2]);
  assert.deepEqual(sizes(101, 0.25), [75, 26]);
});

test('trainValidationSplit rejects fractions outside (0, 1) and empty parts', () => {
  const data = makeCircles({ nSamples: 10 });
  for (const f of [0, 1, -0.1, 1.5, Number.NaN]) {
    assert.throws(
      () => trainValidationSplit(data, f),
      (e: unknown) => e instanceof ValueError && /validationSplit must be in \(0, 1\)/.test(e.message),
    );
  }
  assert.throws(() => trainValidationSplit(makeCircles({ nSamples: 1 }), 0.5), /training part would be empty/);
  // 1 - 1e-17 rounds to 1, so every sample would train.
  assert.throws(() => trainValidationSplit(data, 1e-17), /validation part would be empty/);
});

test('takeRows copies a row range and checks its bounds', () => {
  const data = makeCircles({ nSamples: 6, shuffle: false });
  const part = takeRows(data, 2, 5);
  assert.equal(part.nSamples, 3);
  assert.deepEqual(part.x, data.x.slice(4, 10));
  assert.deepEqual(part.y, data.y.slice(2, 5));
  part.x[0] = 42;
  assert.notEqual(data.x[4], 42, 'a copy, not a view');
  assert.equal(takeRows(data, 6).nSamples, 0);
  for (const [start, end] of [
    [-1, 2],
    [3, 2],
    [0, 7],
    [0.5, 2],
  ] as const) {
    assert.throws(() => takeRows(data, start, end), ValueError);
  }
});

test('toFloat32 rounds every value to float32', () => {
  const data = makeCircles({ nSamples: 9, noise: 0.1 });
  const f32 = toFloat32(data);
  assert.ok(f32.x instanceof Float32Array && f32.y instanceof Float32Array);
  assert.deepEqual(Array.from(f32.x), Array.from(data.x, Math.fround));
  assert.deepEqual(Array.from(f32.y), Array.from(data.y));
  assert.equal(f32.nSamples, 9);
  assert.equal(f32.nFeatures, 2);
});
