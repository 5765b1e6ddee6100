import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { makeBlobs, makeRegressionSurface, makeSpirals, regressionSurface, trainValidationSplit } from '../../src/data/index.js';

/** Fixtures from test/fixtures/data/make_blobs.py (make_blobs transcribed onto numpy's RandomState). */
interface BlobsFixture {
  readonly params: {
    readonly n_samples: number;
    readonly n_features: number;
    readonly centers: number | number[][];
    readonly cluster_std: number | number[];
    readonly center_box: [number, number];
    readonly random_state: number;
  };
  readonly X: number[][];
  readonly y: number[];
  readonly centers: number[][];
}

/** numpy's log may differ from V8's by an ulp inside the Gaussian draws (see test/fixtures/sklearn/README.md). */
const TOLERANCE = 1e-12;

for (const name of ['make_blobs_n300_c4_std1.5_rs0', 'make_blobs_n7_f3_c2_rs42', 'make_blobs_n10_given_centers_rs1']) {
  test(`makeBlobs reproduces numpy's draws for ${name}`, () => {
    const f = JSON.parse(readFileSync(resolve(process.cwd(), `test/fixtures/data/${name}.json`), 'utf8')) as BlobsFixture;
    const p = f.params;
    const blobs = makeBlobs({
      nSamples: p.n_samples,
      nFeatures: p.n_features,
      centers: p.centers,
      clusterStd: p.cluster_std,
      centerBox: p.center_box,
      randomState: p.random_state,
    });
    assert.deepEqual(Array.from(blobs.y), f.y, 'labels and their order');
    assert.equal(blobs.nClasses, f.centers.length);
    f.centers.flat().forEach((want, i) => assert.ok(Math.abs(blobs.centers[i]! - want) <= TOLERANCE, `centre value ${i}`));
    f.X.flat().forEach((want, i) => assert.ok(Math.abs(blobs.x[i]! - want) <= TOLERANCE, `X value ${i}: ${blobs.x[i]} vs ${want}`));
  });
}

test('makeBlobs splits samples like scikit-learn and validates its options', () => {
  const blobs = makeBlobs({ nSamples: 11, centers: 3, shuffle: false, randomState: 5 });
  assert.deepEqual(Array.from(blobs.y), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
  assert.throws(() => makeBlobs({ centers: 0 }), ValueError);
  assert.throws(() => makeBlobs({ clusterStd: -1 }), /clusterStd/);
  assert.throws(() => makeBlobs({ centers: [[0, 0], [1]] }), /same number/);
  assert.throws(() => makeBlobs({ centers: 2, clusterStd: [1, 2, 3] }), /3 values for 2 centres/);
  assert.throws(() => makeBlobs({ centerBox: [1, -1] }), /centerBox/);
});

test('makeSpirals draws k interleaved arms of radius 0 to 1, shuffled, deterministic per seed', () => {
  const spirals = makeSpirals({ nSamples: 301, classes: 3, noise: 0, shuffle: false });
  const counts = [0, 0, 0];
  for (const label of spirals.y) counts[label]! += 1;
  assert.deepEqual(counts, [101, 100, 100]);
  // Without noise, arm j's last point sits at radius 1 and angle 4(j + 1).
  const lastOfArm0 = 100;
  assert.ok(Math.abs(spirals.x[2 * lastOfArm0]! - Math.sin(4)) < 1e-12);
  assert.ok(Math.abs(spirals.x[2 * lastOfArm0 + 1]! - Math.cos(4)) < 1e-12);
  for (let i = 0; i < spirals.nSamples; i++) assert.ok(Math.hypot(spirals.x[2 * i]!, spirals.x[2 * i + 1]!) <= 1 + 1e-12);
  const a = makeSpirals({ nSamples: 90, randomState: 3 });
  const b = makeSpirals({ nSamples: 90, randomState: 3 });
  assert.deepEqual(a, b);
  // Shuffled: a Keras-style split (the last 20 %) holds every class.
  const { validation } = trainValidationSplit(a, 0.2);
  assert.equal(new Set(validation.y).size, 3);
  assert.throws(() => makeSpirals({ classes: 0 }), ValueError);
  assert.throws(() => makeSpirals({ noise: Number.NaN }), /noise/);
});

test('makeRegressionSurface samples sin(πx1)·cos(πx2) on [-1, 1]² plus the stated noise', () => {
  const clean = makeRegressionSurface({ nSamples: 200, noise: 0, randomState: 2 });
  for (let i = 0; i < clean.nSamples; i++) {
    const [x1, x2] = [clean.x[2 * i]!, clean.x[2 * i + 1]!];
    assert.ok(Math.abs(x1) <= 1 && Math.abs(x2) <= 1);
    assert.equal(clean.y[i], regressionSurface(x1, x2));
  }
  const noisy = makeRegressionSurface({ nSamples: 4000, noise: 0.1, randomState: 2 });
  let squares = 0;
  for (let i = 0; i < noisy.nSamples; i++) squares += (noisy.y[i]! - regressionSurface(noisy.x[2 * i]!, noisy.x[2 * i + 1]!)) ** 2;
  const noiseStd = Math.sqrt(squares / noisy.nSamples);
  assert.ok(Math.abs(noiseStd - 0.1) < 0.005, `residual std ${noiseStd}`);
  assert.throws(() => makeRegressionSurface({ nSamples: 0 }), ValueError);
});
