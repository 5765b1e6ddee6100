import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COOLWARM, MAP_ALPHA, PALETTE, VIRIDIS, classRgb, valueIndex } from '../../src/components/lib/colors.js';
import { argmaxRow, confidence, paintMap } from '../../src/components/lib/map-render.js';
import { valueRangeOf } from '../../src/components/lib/data.js';

const pixel = (out: Uint8ClampedArray, i: number): number[] => [...out.subarray(4 * i, 4 * i + 4)];
const blend = (rgb: readonly number[], alpha: number): number[] => [...rgb.map((c) => Math.round(255 * (1 - alpha) + alpha * c)), 255];

test('palette: distinct colours for up to 6 classes; two classes keep coolwarm', () => {
  assert.equal(new Set(PALETTE.map((c) => c.join())).size, 6);
  assert.deepEqual(classRgb(0, 2), [COOLWARM[0], COOLWARM[1], COOLWARM[2]]);
  assert.deepEqual(classRgb(1, 2), [COOLWARM[765], COOLWARM[766], COOLWARM[767]]);
  assert.deepEqual(classRgb(2, 3), PALETTE[2]);
});

test('confidence rescales the max probability from 1/k … 1 to 0 … 1', () => {
  assert.equal(confidence(1 / 3, 3), 0);
  assert.equal(confidence(1, 3), 1);
  assert.ok(Math.abs(confidence(0.5, 4) - 1 / 3) < 1e-12);
  assert.equal(confidence(0.1, 3), 0);
  assert.equal(confidence(Number.NaN, 3), 0);
  assert.deepEqual(argmaxRow([0.1, 0.2, 0.7, 0.5, 0.3, 0.2], 1, 3), { index: 0, value: 0.5 });
});

test('k-class map: argmax colour, paler where unsure, full colour when discretized', () => {
  const probs = Float32Array.from([1, 0, 0, 0, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3, 0.1, 0.2, 0.7]);
  const out = paintMap(probs, { task: 'multiclass', classes: 3, discretize: false }, new Uint8ClampedArray(16));
  assert.deepEqual(pixel(out, 0), blend(PALETTE[0]!, MAP_ALPHA)); // certain: the full map colour
  assert.deepEqual(pixel(out, 1), blend(PALETTE[1]!, MAP_ALPHA * (0.12 + 0.88 * 0.25))); // tie → first class, c = 0.25
  assert.deepEqual(pixel(out, 2), blend(PALETTE[0]!, MAP_ALPHA * 0.12)); // a pure guess: nearly white
  const sat = (p: number[]): number => Math.max(...p.slice(0, 3)) - Math.min(...p.slice(0, 3));
  assert.ok(sat(pixel(out, 0)) > sat(pixel(out, 1)) && sat(pixel(out, 1)) > sat(pixel(out, 2)));
  const flat = paintMap(probs, { task: 'multiclass', classes: 3, discretize: true }, new Uint8ClampedArray(16));
  assert.deepEqual(pixel(flat, 2), blend(PALETTE[0]!, MAP_ALPHA));
  assert.deepEqual(pixel(flat, 3), blend(PALETTE[2]!, MAP_ALPHA));
  assert.throws(() => paintMap(probs, { task: 'multiclass', classes: 4, discretize: false }, new Uint8ClampedArray(16)), RangeError);
});

test('regression map: viridis over the value range, clamped', () => {
  const values = Float32Array.from([-2, -1, 0, 1, 5]);
  const out = paintMap(values, { task: 'regression', min: -1, max: 1 }, new Uint8ClampedArray(20));
  const viridis = (i: number): number[] => [VIRIDIS[3 * i]!, VIRIDIS[3 * i + 1]!, VIRIDIS[3 * i + 2]!];
  assert.deepEqual(pixel(out, 0), blend(viridis(0), MAP_ALPHA));
  assert.deepEqual(pixel(out, 1), blend(viridis(0), MAP_ALPHA));
  assert.deepEqual(pixel(out, 2), blend(viridis(128), MAP_ALPHA));
  assert.deepEqual(pixel(out, 4), blend(viridis(255), MAP_ALPHA));
  assert.deepEqual(viridis(0), [68, 1, 84]);
  assert.deepEqual(viridis(255), [253, 231, 37]);
  assert.equal(valueIndex(Number.NaN, 0, 1), 128);
  assert.equal(valueIndex(3, 3, 3), 128);
});

test('binary map is coolwarm as before (continuous and split at the threshold)', () => {
  const values = Float32Array.from([0, 0.5, 1, 0.45]);
  const out = paintMap(values, { task: 'binary', discretize: false, threshold: 0.5 }, new Uint8ClampedArray(16));
  const cw = (i: number): number[] => [COOLWARM[3 * i]!, COOLWARM[3 * i + 1]!, COOLWARM[3 * i + 2]!];
  const exact = (rgb: number[]): number[] => [...rgb.map((c) => Math.round(255 * (1 - MAP_ALPHA) + MAP_ALPHA * c)), 255];
  assert.deepEqual(pixel(out, 0), exact(cw(0)));
  assert.deepEqual(pixel(out, 2), exact(cw(255)));
  const split = paintMap(values, { task: 'binary', discretize: true, threshold: 0.4 }, new Uint8ClampedArray(16));
  assert.deepEqual(pixel(split, 3), exact(cw(255)));
});

test('value ranges: symmetric around 0 when the targets straddle it', () => {
  assert.deepEqual(valueRangeOf([-0.5, 0.9, 0.1]), { min: -0.9, max: 0.9 });
  assert.deepEqual(valueRangeOf([2, 5]), { min: 2, max: 5 });
  assert.deepEqual(valueRangeOf([3, 3]), { min: 2, max: 4 });
  assert.deepEqual(valueRangeOf([]), { min: -1, max: 1 });
});
