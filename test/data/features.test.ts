import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShapeError, ValueError } from '../../src/errors.js';
import {
  FEATURE_NAMES,
  canonicalFeatures,
  expandFeatures,
  featureLabels,
  isFeatureName,
  isRawInput,
  type FeatureName,
} from '../../src/data/features.js';

// Two points, by hand: (0.5, -2) and (π/2, 0).
const points = new Float64Array([0.5, -2, Math.PI / 2, 0]);

test('every feature of two points, computed by hand, in canonical order', () => {
  const all = expandFeatures(points, 2, [...FEATURE_NAMES]);
  // x1, x2, x1², x2², x1·x2, sin x1, sin x2
  const expected = [
    [0.5, -2, 0.25, 4, -1, Math.sin(0.5), Math.sin(-2)],
    [Math.PI / 2, 0, Math.PI ** 2 / 4, 0, 0, 1, 0],
  ].flat();
  assert.ok(all instanceof Float64Array);
  assert.equal(all.length, 14);
  expected.forEach((v, i) => assert.ok(Math.abs(all[i]! - v) <= 1e-15, `value ${i}: ${all[i]} vs ${v}`));
});

test('a selection in any order gives the canonical column order; the array type follows the input', () => {
  const shuffled: FeatureName[] = ['sin_x2', 'x1_x2', 'x1'];
  assert.deepEqual(canonicalFeatures(shuffled), ['x1', 'x1_x2', 'sin_x2']);
  const x32 = new Float32Array(points);
  const out = expandFeatures(x32, 2, shuffled);
  assert.ok(out instanceof Float32Array);
  assert.deepEqual([...out], [...new Float32Array([0.5, -1, Math.sin(-2), Math.PI / 2, 0, 0])]);
});

test('x1, x2 alone is the input unchanged; zero rows give an empty matrix', () => {
  assert.deepEqual([...expandFeatures(points, 2, ['x2', 'x1'])], [...points]);
  assert.equal(expandFeatures(new Float64Array(0), 0, ['sin_x1']).length, 0);
  assert.ok(isRawInput(['x2', 'x1']));
  assert.ok(!isRawInput(['x1', 'x2', 'sin_x1']));
  assert.equal(featureLabels(['sin_x1', 'x1']), 'x₁, sin(x₁)');
});

test('unknown names (own keys only), duplicates and empty selections are ValueErrors naming the problem', () => {
  for (const name of ['x3', 'toString', '__proto__', 'constructor', 'X1', '']) {
    assert.equal(isFeatureName(name), false, name);
    assert.throws(
      () => expandFeatures(points, 2, [name as FeatureName]),
      (e: unknown) => e instanceof ValueError && e.message.includes('Unknown feature') && e.message.includes(`'${name}'`),
      name,
    );
  }
  assert.throws(
    () => canonicalFeatures([1 as unknown as FeatureName]),
    (e: unknown) => e instanceof ValueError && /Unknown feature number/.test(e.message),
  );
  assert.throws(
    () => expandFeatures(points, 2, []),
    (e: unknown) => e instanceof ValueError && /empty/.test(e.message),
  );
  assert.throws(
    () => expandFeatures(points, 2, ['x1', 'x1']),
    (e: unknown) => e instanceof ValueError && /'x1' is selected twice/.test(e.message),
  );
  assert.throws(() => canonicalFeatures('x1' as unknown as FeatureName[]), ValueError);
});

test('x must hold rows pairs: a ShapeError otherwise', () => {
  assert.throws(
    () => expandFeatures(points, 3, ['x1']),
    (e: unknown) => e instanceof ShapeError && /6 values, got 4/.test(e.message),
  );
  assert.throws(() => expandFeatures(new Float64Array(3), 1.5, ['x1']), ShapeError);
  assert.throws(() => expandFeatures(points, -2, ['x1']), ShapeError);
});
