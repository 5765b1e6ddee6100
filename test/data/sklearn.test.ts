import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import type { Dataset } from '../../src/data/index.js';
import { RandomState, makeCircles, makeMoons } from '../../src/data/index.js';
import type { SklearnFixture } from './fixtures.js';
import { loadFixture } from './fixtures.js';

/** cos/sin/log may differ by an ulp between numpy and V8; see test/fixtures/sklearn/README.md. */
const TOLERANCE = 1e-12;

/** Labels and order exactly, coordinates within TOLERANCE; names the first differing row. */
function assertMatches(data: Dataset, expected: Pick<SklearnFixture, 'X' | 'y'>): void {
  assert.equal(data.nSamples, expected.y.length);
  assert.equal(data.nFeatures, 2);
  assert.deepEqual(Array.from(data.y), expected.y, 'labels and their order');
  for (let i = 0; i < expected.X.length; i++) {
    for (let j = 0; j < 2; j++) {
      const got = data.x[2 * i + j]!;
      const want = expected.X[i]![j]!;
      assert.ok(Math.abs(got - want) <= TOLERANCE, `X[${i}][${j}]: got ${got}, expected ${want}`);
    }
  }
}

function generate(f: SklearnFixture): Dataset {
  const common = {
    nSamples: f.n_samples,
    shuffle: f.shuffle,
    randomState: f.random_state,
    ...(f.noise === null ? {} : { noise: f.noise }),
  };
  return f.fn === 'make_circles' ? makeCircles({ ...common, factor: f.factor ?? 0.8 }) : makeMoons(common);
}

for (const name of [
  'make_circles_n5000_f0.3_noise0.05_rs0.json',
  'make_circles_n7_f0.5_nonoise_rs1.json',
  'make_moons_n200_noise0.1_rs42.json',
]) {
  test(`reproduces scikit-learn: ${name}`, () => {
    const fixture = loadFixture(name);
    assertMatches(generate(fixture), fixture);
  });
}

test('make_circles(1000, noise=0.1, random_state=1): first rows from the reference notes', () => {
  const data = makeCircles({ nSamples: 1000, noise: 0.1, randomState: 1 });
  assertMatches(takeFirst(data, 3), {
    X: [
      [0.9278774778828033, -0.045217306252341896],
      [-0.5430318242007203, -0.7544467420976401],
      [0.9246533040059183, -0.7149252151787744],
    ],
    y: [1, 1, 0],
  });
});

function takeFirst(data: Dataset, k: number): Dataset {
  return { x: data.x.slice(0, 2 * k), y: data.y.slice(0, k), nSamples: k, nFeatures: 2 };
}

test("unshuffled circles: sklearn's documented make_circles(5, shuffle=False)", () => {
  assertMatches(makeCircles({ nSamples: 5, shuffle: false }), {
    X: [
      [1, 0],
      [-1, 1.2246467991473532e-16],
      [0.8, 0],
      [-0.4, 0.6928203230275509],
      [-0.4, -0.6928203230275509],
    ],
    y: [0, 0, 1, 1, 1],
  });
});

test('odd counts: the inner circle / lower moon gets the extra point', () => {
  for (const make of [makeCircles, makeMoons]) {
    for (const n of [1, 7, 101]) {
      const data = make({ nSamples: n, shuffle: false });
      const ones = data.y.reduce((s, v) => s + v, 0);
      assert.equal(ones, n - Math.floor(n / 2), `${make.name}(${n})`);
      // Unshuffled: all of class 0 first.
      assert.deepEqual(Array.from(data.y), [...Array<number>(n - ones).fill(0), ...Array<number>(ones).fill(1)]);
    }
  }
  // A single point is the inner circle's, at angle 0.
  assert.deepEqual(Array.from(makeCircles({ nSamples: 1, factor: 0.5 }).x), [0.5, 0]);
});

test('a [nOuter, nInner] pair: sizes per class, and [3, 4] equals 7', () => {
  const pair = makeCircles({ nSamples: [2, 5], shuffle: false });
  assert.deepEqual(Array.from(pair.y), [0, 0, 1, 1, 1, 1, 1]);
  assertMatches(makeCircles({ nSamples: [3, 4], factor: 0.5, randomState: 1 }), loadFixture('make_circles_n7_f0.5_nonoise_rs1.json'));
  assert.equal(makeMoons({ nSamples: [0, 3] }).nSamples, 3);
});

test('geometry: circle radii and moon endpoints', () => {
  const circles = makeCircles({ nSamples: 200, factor: 0.3, randomState: 4 });
  for (let i = 0; i < 200; i++) {
    const r = Math.hypot(circles.x[2 * i]!, circles.x[2 * i + 1]!);
    assert.ok(Math.abs(r - (circles.y[i] === 1 ? 0.3 : 1)) < 1e-15, `row ${i}: radius ${r}`);
  }
  // make_moons' linspace includes both ends: t = 0 and t = π on each moon.
  const moons = makeMoons({ nSamples: 6, shuffle: false });
  const rows = Array.from({ length: 6 }, (_, i) => [moons.x[2 * i]!, moons.x[2 * i + 1]!]);
  assert.deepEqual(rows[0], [1, 0]);
  assert.ok(Math.abs(rows[2]![0]! + 1) < 1e-15 && Math.abs(rows[2]![1]!) < 1e-15);
  assert.deepEqual(rows[3], [0, 0.5]);
  assert.ok(Math.abs(rows[5]![0]! - 2) < 1e-15 && Math.abs(rows[5]![1]! - 0.5) < 1e-15);
});

test('random draws: the shuffle is a permutation of arange(n), noise comes after it in C order', () => {
  // Without noise, exactly one permutation's worth of draws is consumed.
  const used = new RandomState(11);
  const data = makeCircles({ nSamples: 10, randomState: used });
  const replay = new RandomState(11);
  const order = replay.permutation(10);
  const clean = makeCircles({ nSamples: 10, shuffle: false });
  assert.deepEqual(
    Array.from(data.y),
    Array.from(order, (k) => clean.y[k]),
  );
  assert.equal(used.randomSample(), replay.randomSample());

  // With noise and no shuffle: x[i] = clean[i] + normal(0, noise), drawn in C order.
  const noisy = makeMoons({ nSamples: 9, shuffle: false, noise: 0.2, randomState: 3 });
  const reference = makeMoons({ nSamples: 9, shuffle: false });
  const rng = new RandomState(3);
  assert.deepEqual(
    Array.from(noisy.x),
    Array.from(reference.x, (v) => v + rng.normal(0, 0.2)),
  );
});

test('determinism: same seed same data, different seed different data, seed is randomState', () => {
  const a = makeCircles({ nSamples: 300, noise: 0.1, randomState: 5 });
  const b = makeCircles({ nSamples: 300, noise: 0.1, randomState: 5 });
  const c = makeCircles({ nSamples: 300, noise: 0.1, randomState: 6 });
  const d = makeCircles({ nSamples: 300, noise: 0.1, seed: 5 });
  assert.deepEqual(a, b);
  assert.deepEqual(a, d);
  assert.notDeepEqual(a.x, c.x);
  assert.notDeepEqual(a.y, c.y);
  // Omitted: seed 0, not a random one.
  assert.deepEqual(makeMoons({ noise: 0.1 }), makeMoons({ noise: 0.1, randomState: 0 }));
});

test('invalid arguments throw ValueError naming the argument and the value', () => {
  const rejects = (call: () => unknown, pattern: RegExp): void => {
    assert.throws(call, (e: unknown) => e instanceof ValueError && pattern.test(e.message), String(pattern));
  };
  rejects(() => makeCircles({ factor: 1 }), /makeCircles: factor must be .*\[0, 1\), got 1\./);
  rejects(() => makeCircles({ factor: -0.1 }), /factor.*got -0\.1/);
  rejects(() => makeCircles({ factor: Number.NaN }), /factor.*got NaN/);
  rejects(() => makeCircles({ nSamples: 0 }), /nSamples must be an integer >= 1.*got 0/);
  rejects(() => makeMoons({ nSamples: 2.5 }), /makeMoons: nSamples.*got 2\.5/);
  rejects(() => makeMoons({ nSamples: [1, -1] }), /nSamples as a pair.*got \[1, -1\]/);
  rejects(() => makeMoons({ nSamples: [0, 0] }), /nSamples as a pair/);
  rejects(() => makeCircles({ noise: -0.1 }), /noise must be a finite number >= 0.*got -0\.1/);
  rejects(() => makeMoons({ noise: Number.POSITIVE_INFINITY }), /noise.*got Infinity/);
  rejects(() => makeCircles({ randomState: -1 }), /makeCircles: randomState must be an integer.*got -1/);
  rejects(() => makeCircles({ seed: 2 ** 32 }), /makeCircles: seed must be an integer.*got 4294967296/);
  rejects(() => makeCircles({ seed: 1, randomState: 2 }), /aliases/);
});
