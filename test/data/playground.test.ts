import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import type { Dataset, PlaygroundOptions } from '../../src/data/index.js';
import { gaussian, playgroundCircle, spiral, xor } from '../../src/data/index.js';

const generators = { xor, spiral, gaussian, playgroundCircle };

const ones = (d: Dataset): number => d.y.reduce((s, v) => s + v, 0);
const row = (d: Dataset, i: number): [number, number] => [d.x[2 * i]!, d.x[2 * i + 1]!];

test('defaults: 500 points, 2 features, 0/1 labels, finite coordinates', () => {
  for (const [name, make] of Object.entries(generators)) {
    const d = make();
    assert.equal(d.nSamples, 500, name);
    assert.equal(d.nFeatures, 2, name);
    assert.equal(d.x.length, 1000, name);
    assert.ok(
      d.y.every((v) => v === 0 || v === 1),
      `${name}: labels`,
    );
    assert.ok(d.x.every(Number.isFinite), `${name}: coordinates`);
  }
});

test('determinism: same seed same data, different seed different data, seed is randomState', () => {
  for (const [name, make] of Object.entries(generators)) {
    const opts: PlaygroundOptions = { nSamples: 200, noise: 0.2 };
    assert.deepEqual(make({ ...opts, seed: 3 }), make({ ...opts, seed: 3 }), name);
    assert.deepEqual(make({ ...opts, seed: 3 }), make({ ...opts, randomState: 3 }), name);
    assert.deepEqual(make(opts), make({ ...opts, seed: 0 }), `${name}: default seed`);
    assert.notDeepEqual(make({ ...opts, seed: 3 }).x, make({ ...opts, seed: 4 }).x, name);
  }
});

test('class balance: half per class (the extra point to label 1); xor roughly balanced', () => {
  for (const make of [spiral, gaussian, playgroundCircle]) {
    assert.equal(ones(make({ nSamples: 500, seed: 1 })), 250, make.name);
    assert.equal(ones(make({ nSamples: 501, seed: 1 })), 251, make.name);
    const ordered = make({ nSamples: 7, shuffle: false });
    assert.deepEqual(Array.from(ordered.y), [1, 1, 1, 1, 0, 0, 0], `${make.name}: positives first`);
  }
  const share = ones(xor({ nSamples: 2000, seed: 1 })) / 2000;
  assert.ok(share > 0.45 && share < 0.55, `xor share of label 1: ${share}`);
});

test('xor: |coordinates| in [0.3, 5.3], label = sign of x*y without noise; noise only flips labels', () => {
  const clean = xor({ nSamples: 1000, seed: 2 });
  for (let i = 0; i < 1000; i++) {
    const [px, py] = row(clean, i);
    for (const v of [px, py]) assert.ok(Math.abs(v) >= 0.3 && Math.abs(v) <= 5.3, `row ${i}: ${v}`);
    assert.equal(clean.y[i], px * py >= 0 ? 1 : 0, `row ${i}`);
  }
  const noisy = xor({ nSamples: 1000, seed: 2, noise: 0.5 });
  assert.deepEqual(noisy.x, clean.x, 'the same points');
  assert.notDeepEqual(noisy.y, clean.y, 'some labels flipped');
});

test('playgroundCircle: radius < 2.5 for label 1, in [3.5, 5] for label 0; noise only flips labels', () => {
  const clean = playgroundCircle({ nSamples: 1000, seed: 2 });
  for (let i = 0; i < 1000; i++) {
    const r = Math.hypot(...row(clean, i));
    if (clean.y[i] === 1) assert.ok(r < 2.5, `row ${i}: r=${r}`);
    else assert.ok(r >= 3.5 - 1e-12 && r <= 5 + 1e-12, `row ${i}: r=${r}`);
  }
  const noisy = playgroundCircle({ nSamples: 1000, seed: 2, noise: 0.5 });
  assert.deepEqual(noisy.x, clean.x);
  assert.notDeepEqual(noisy.y, clean.y);
});

test('spiral: points on the arms without noise, noise moves points but not labels', () => {
  const n = 250;
  const clean = spiral({ nSamples: 2 * n, shuffle: false });
  for (let i = 0; i < n; i++) {
    for (const [k, delta] of [
      [i, 0],
      [n + i, Math.PI],
    ] as const) {
      const [px, py] = row(clean, k);
      const r = (i / n) * 5;
      const t = ((1.75 * i) / n) * 2 * Math.PI + delta;
      assert.ok(Math.abs(px - r * Math.sin(t)) < 1e-12 && Math.abs(py - r * Math.cos(t)) < 1e-12, `row ${k}`);
    }
  }
  const noisy = spiral({ nSamples: 2 * n, shuffle: false, noise: 0.5 });
  assert.deepEqual(noisy.y, clean.y);
  let moved = 0;
  for (let k = 0; k < 2 * n; k++) {
    const dx = noisy.x[2 * k]! - clean.x[2 * k]!;
    const dy = noisy.x[2 * k + 1]! - clean.x[2 * k + 1]!;
    assert.ok(Math.abs(dx) <= 0.5 && Math.abs(dy) <= 0.5, `row ${k} moved too far`);
    if (dx !== 0) moved++;
  }
  assert.ok(moved > 2 * n - 5, `only ${moved} points moved`);
});

test('gaussian: centres (2, 2) and (-2, -2), variance 0.5 + 7 * noise', () => {
  for (const noise of [0, 0.5]) {
    const d = gaussian({ nSamples: 40000, noise, seed: 8 });
    for (const label of [1, 0]) {
      const centre = label === 1 ? 2 : -2;
      const values: number[] = [];
      for (let i = 0; i < d.nSamples; i++) if (d.y[i] === label) values.push(...row(d, i));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      const expected = 0.5 + 7 * noise;
      assert.ok(Math.abs(mean - centre) < 0.05, `noise ${noise}, label ${label}: mean ${mean}`);
      assert.ok(Math.abs(variance / expected - 1) < 0.03, `noise ${noise}, label ${label}: variance ${variance}`);
    }
  }
});

test('invalid arguments throw ValueError naming the argument', () => {
  for (const [name, make] of Object.entries(generators)) {
    assert.throws(
      () => make({ noise: 0.6 }),
      (e: unknown) => e instanceof ValueError && e.message.startsWith(`${name}: noise`) && /got 0\.6/.test(e.message),
    );
    assert.throws(() => make({ noise: -0.1 }), ValueError);
    assert.throws(
      () => make({ nSamples: 0 }),
      (e: unknown) => e instanceof ValueError && /nSamples.*got 0/.test(e.message),
    );
    assert.throws(
      () => make({ seed: -2 }),
      (e: unknown) => e instanceof ValueError && /seed.*got -2/.test(e.message),
    );
  }
});
