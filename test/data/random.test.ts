import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { RandomState } from '../../src/data/random.js';

// Expected values below were printed by numpy 2.4 / 1.24 `np.random.RandomState(seed)`.

test('MT19937 raw outputs for seed 5489 match the reference generator', () => {
  const rng = new RandomState(5489);
  const out: number[] = [];
  for (let i = 0; i < 10000; i++) out.push(rng.nextUint32());
  assert.deepEqual(out.slice(0, 3), [3499211612, 581869302, 3890346734]);
  // 623/624 straddle the first regeneration of the state; 9999 is the classic 10000th output.
  assert.equal(out[623], 4020325887);
  assert.equal(out[624], 4178893912);
  assert.equal(out[9999], 4123659995);
});

test('seeds at the ends of the range: 0 and 2**32 - 1', () => {
  assert.deepEqual([new RandomState(4294967295).nextUint32(), new RandomState(4294967295).randomSample()], [419326371, 0.0976320289940138]);
  const rng = new RandomState(0);
  assert.deepEqual(
    [rng.randomSample(), rng.randomSample(), rng.randomSample()],
    [0.5488135039273248, 0.7151893663724195, 0.6027633760716439],
  );
  assert.equal(new RandomState().randomSample(), 0.5488135039273248, 'the default seed is 0');
});

test('normal() is legacy_gauss: the second value of each pair is cached', () => {
  const rng = new RandomState(0);
  assert.deepEqual(
    [rng.normal(), rng.normal(), rng.normal(), rng.normal()],
    [1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458],
  );
  // A uniform draw between the two halves of a pair does not disturb the cache.
  const mixed = new RandomState(0);
  mixed.randomSample();
  assert.deepEqual([mixed.normal(), mixed.normal(), mixed.randomSample()], [0.7415917408091613, 1.5529137219128164, 0.5448831829968969]);
  const scaled = new RandomState(7);
  assert.deepEqual(
    [scaled.normal(1.5, 2), scaled.normal(1.5, 2), scaled.normal(1.5, 2)],
    [4.881051407600712, 0.5681252589183344, 1.5656403273571688],
  );
});

test('uniform(low, high) is low + (high - low) * randomSample()', () => {
  const rng = new RandomState(3);
  assert.deepEqual(
    [rng.uniform(-2, 3), rng.uniform(-2, 3), rng.uniform(-2, 3)],
    [0.7539895128728773, 1.540739113090524, -0.5454763054352783],
  );
});

test('randint matches numpy legacy randint (masked rejection)', () => {
  const a = new RandomState(42);
  const draws = (rng: RandomState, k: number, low: number, high: number): number[] =>
    Array.from({ length: k }, () => rng.randint(low, high));
  assert.deepEqual(draws(a, 10, 0, 10), [6, 3, 7, 4, 6, 9, 2, 6, 7, 4]);
  assert.deepEqual(draws(a, 3, 5, 6), [5, 5, 5]);
  assert.deepEqual(draws(a, 5, 0, 1000), [99, 871, 663, 130, 661]);
  assert.deepEqual(draws(new RandomState(42), 3, 0, 2 ** 31), [1608637542, 1273642419, 1935803228]);
  const b = new RandomState(123);
  assert.deepEqual(draws(b, 3, 0, 2 ** 32), [2991312382, 3062119789, 1228959102]);
  assert.deepEqual(draws(b, 5, -3, 3), [-1, 1, -1, -2, 0]);
  assert.throws(() => a.randint(3, 3), ValueError);
  assert.throws(() => a.randint(0, 2 ** 32 + 1), ValueError);
  assert.throws(() => a.randint(0.5, 4), ValueError);
});

test('shuffle and permutation match numpy, and agree with each other', () => {
  assert.deepEqual(Array.from(new RandomState(1).permutation(10)), [2, 9, 6, 4, 0, 3, 1, 7, 8, 5]);
  const plain = Array.from({ length: 10 }, (_, i) => i);
  new RandomState(1).shuffle(plain);
  assert.deepEqual(plain, [2, 9, 6, 4, 0, 3, 1, 7, 8, 5]);

  const rng = new RandomState(9);
  const big = Array.from({ length: 1000 }, (_, i) => i);
  rng.shuffle(big);
  assert.deepEqual(big.slice(0, 8), [2, 879, 57, 496, 611, 45, 200, 665]);
  assert.equal(rng.randomSample(), 0.1979560063127791, "the shuffle consumed exactly numpy's draws");
  assert.deepEqual(
    [...big].sort((p, q) => p - q),
    Array.from({ length: 1000 }, (_, i) => i),
  );
});

test('shuffling 0 or 1 elements draws nothing', () => {
  const rng = new RandomState(2024);
  assert.deepEqual(Array.from(rng.permutation(0)), []);
  assert.deepEqual(Array.from(rng.permutation(1)), [0]);
  assert.equal(rng.randomSample(), 0.5880145188953979);
});

test('invalid seeds and arguments throw ValueError naming the argument', () => {
  for (const seed of [-1, 2 ** 32, 1.5, Number.NaN]) {
    assert.throws(
      () => new RandomState(seed),
      (e: unknown) => e instanceof ValueError && /seed.*got/.test(e.message),
    );
  }
  const rng = new RandomState(0);
  assert.throws(() => rng.normal(0, -1), ValueError);
  assert.throws(() => rng.uniform(0, Number.POSITIVE_INFINITY), ValueError);
  assert.throws(() => rng.permutation(-1), ValueError);
});
