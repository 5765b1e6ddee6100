import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COOLWARM } from '../../src/components/lib/colors.js';
import { activationCentre, edgeStyle, paintUnit, sampleUnit, weightScale } from '../../src/components/lib/network-colors.js';

const rgb = (css: string): number[] => (css.match(/\d+/g) ?? []).map(Number);

test('edge colour follows the sign (blue negative, red positive); width and opacity grow with |w|', () => {
  for (const w of [-3, -0.5, -1e-4]) {
    const [r, , b] = rgb(edgeStyle(w, 3).color);
    assert.ok(b! > r! + 40, `w ${w}: ${edgeStyle(w, 3).color}`);
  }
  for (const w of [3, 0.5, 1e-4]) {
    const [r, , b] = rgb(edgeStyle(w, 3).color);
    assert.ok(r! > b! + 40, `w ${w}: ${edgeStyle(w, 3).color}`);
  }
  assert.deepEqual(rgb(edgeStyle(0, 1).color), [...COOLWARM.subarray(128 * 3, 128 * 3 + 3)]);
  assert.deepEqual(rgb(edgeStyle(-2, 2).color), [...COOLWARM.subarray(0, 3)]); // the largest: coolwarm's end
  assert.deepEqual(rgb(edgeStyle(5, 2).color), [...COOLWARM.subarray(765, 768)]); // clamped
  assert.equal(edgeStyle(0, 1).width, 0.6);
  assert.equal(edgeStyle(1, 1).width, 4.6);
  assert.ok(edgeStyle(0.5, 1).width > edgeStyle(0.1, 1).width && edgeStyle(0.5, 1).opacity > edgeStyle(0.1, 1).opacity);
  // Crowded layers get thinner edges (down to 0.3×), the colour unchanged.
  assert.equal(edgeStyle(1, 1, 4000).width, Math.round(4.6 * 0.3 * 100) / 100);
  assert.equal(edgeStyle(1, 1, 160).width, 2.3);
  assert.equal(edgeStyle(1, 1, 160).color, edgeStyle(1, 1).color);
  assert.equal(edgeStyle(Number.NaN, 1).width, 0.6);
});

test('weightScale: the largest finite |w|, 1 for none', () => {
  assert.equal(weightScale([0.5, -2, 1]), 2);
  assert.equal(weightScale([0, 0]), 1);
  assert.equal(weightScale([Infinity, -0.25, Number.NaN]), 0.25);
});

test('sampleUnit picks one unit of a rows × stride matrix at nearest cells', () => {
  // A 4×4 grid, 2 units per cell: unit 1's value is the cell's index.
  const values = new Float32Array(32);
  for (let i = 0; i < 16; i++) values[2 * i + 1] = i;
  assert.deepEqual([...sampleUnit({ values, stride: 2, unit: 1, resolution: 4 }, 2)], [5, 7, 13, 15]);
  assert.deepEqual([...sampleUnit({ values, stride: 2, unit: 1, resolution: 4 }, 4)], [...Array(16).keys()]);
});

test('paintUnit: white at the activation centre, coolwarm ends at ±scale', () => {
  const pixel = (out: Uint8ClampedArray, i: number) => [...out.subarray(4 * i, 4 * i + 3)];
  const end = (i: number) => [...COOLWARM.subarray(3 * i, 3 * i + 3)];
  // relu/linear: scaled to the largest |v|.
  const linear = paintUnit([-4, 0, 2, Number.NaN], 'relu', new Uint8ClampedArray(16));
  assert.deepEqual([pixel(linear, 0), pixel(linear, 1), pixel(linear, 2), pixel(linear, 3)], [end(0), end(128), end(191), end(128)]);
  // sigmoid: white at 0.5, full at 0 and 1, whatever the values' range.
  const sigmoid = paintUnit([0.5, 1, 0, 0.75], 'sigmoid', new Uint8ClampedArray(16));
  assert.deepEqual([pixel(sigmoid, 0), pixel(sigmoid, 1), pixel(sigmoid, 2), pixel(sigmoid, 3)], [end(128), end(255), end(0), end(191)]);
  // tanh: bounded to ±1, so a small range stays pale.
  const tanh = paintUnit([0.1, -0.1], 'tanh', new Uint8ClampedArray(8));
  assert.deepEqual(pixel(tanh, 0), end(140));
  assert.equal(linear[3], 255);
  assert.deepEqual(activationCentre('softmax'), { centre: 0.5, bound: 0.5 });
  // All zero: no division by zero, all white.
  assert.deepEqual(pixel(paintUnit([0, 0], 'linear', new Uint8ClampedArray(8)), 1), end(128));
});
