import { ValueError } from '../errors.js';
import { show } from '../show.js';

/** Number of 32-bit words in the MT19937 state. */
const N = 624;
/** MT19937's middle word offset. */
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
/** The largest seed numpy's legacy seeding accepts: 2**32 - 1. */
const MAX_SEED = 0xffffffff;

/**
 * Throws a {@link ValueError} unless `seed` is an integer numpy's `RandomState(seed)` accepts.
 * `what` names the argument in the message (for example `makeCircles: randomState`).
 * @internal
 */
export function assertSeed(seed: unknown, what: string): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ValueError(`${what} must be an integer in [0, 2**32 - 1], got ${show(seed)}.`);
  }
}

/**
 * THE seeded random number generator of shadernet: a faithful port of numpy's legacy
 * `np.random.RandomState(seed)` (Mersenne Twister MT19937) for integer seeds.
 *
 * The same seed gives the same numbers in every browser and in Node, and the same numbers as
 * numpy: `new RandomState(0).randomSample()` is `0.5488135039273248`, as
 * `np.random.RandomState(0).random_sample()`. Every method consumes the stream exactly as its
 * numpy namesake does (draw counts, rejection loops, the cached second Gaussian), which is why
 * the dataset generators built on it reproduce scikit-learn's `make_circles` / `make_moons`
 * sample for sample. All arithmetic is float64; the 32-bit integer maths uses `Math.imul` and
 * `>>> 0` so it wraps exactly as C's `uint32_t`.
 *
 * A `RandomState` is mutable: each draw advances it. Share one instance to continue a stream,
 * create a new one (same seed) to replay it.
 *
 * @example
 * ```ts
 * const rng = new RandomState(42);
 * rng.randomSample();            // float in [0, 1), 53 random bits
 * rng.normal(0, 0.1);            // N(0, 0.1²)
 * const order = rng.permutation(10); // Uint32Array, a shuffle of 0..9
 * ```
 */
export class RandomState {
  private readonly state = new Uint32Array(N);
  private index = N;
  /** Legacy `legacy_gauss` caches the second value of each polar pair. */
  private cachedGauss: number | undefined = undefined;

  /**
   * @param seed An integer in [0, 2**32 - 1]; seeded with numpy's legacy `mt19937_seed`
   *   (Knuth's initialisation). Defaults to 0.
   * @throws ValueError if `seed` is not such an integer.
   */
  constructor(seed = 0) {
    assertSeed(seed, 'RandomState: seed');
    const mt = this.state;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      // key[i] = (1812433253 * (key[i-1] ^ (key[i-1] >> 30)) + i) mod 2**32
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** The next raw 32-bit output of MT19937, an integer in [0, 2**32 - 1]. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    // Tempering.
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A float64 uniformly distributed in [0, 1) with 53 random bits, from two 32-bit outputs
   * (numpy's `random_sample()` / `mt19937_next_double`).
   */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A float64 uniformly distributed in [low, high), computed as numpy does:
   * `low + (high - low) * randomSample()`.
   * @throws ValueError if `low` or `high` is not finite.
   */
  uniform(low = 0, high = 1): number {
    if (!Number.isFinite(low) || !Number.isFinite(high)) {
      throw new ValueError(`RandomState.uniform: low and high must be finite, got low=${low}, high=${high}.`);
    }
    const range = high - low;
    return low + range * this.randomSample();
  }

  /**
   * An integer uniformly distributed in [low, high), as numpy's legacy `randint(low, high)`
   * draws it for ranges up to 2**32: a masked 32-bit draw, rejected until it fits.
   * @throws ValueError unless `low` and `high` are safe integers with 1 ≤ high − low ≤ 2**32.
   */
  randint(low: number, high: number): number {
    const span = high - low;
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || span < 1 || span > 2 ** 32) {
      throw new ValueError(`RandomState.randint: expected integers with 1 <= high - low <= 2**32, got low=${low}, high=${high}.`);
    }
    return low + this.randomInterval(span - 1);
  }

  /**
   * Shuffles `array` in place, drawing exactly as numpy's `RandomState.shuffle` does on a 1-D
   * array: Fisher–Yates from the last element down, each swap partner drawn with
   * `random_interval(i)`.
   */
  shuffle<T>(array: { length: number; [index: number]: T }): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const tmp = array[i] as T;
      array[i] = array[j] as T;
      array[j] = tmp;
    }
  }

  /**
   * A random permutation of 0..n-1: `arange(n)` shuffled with {@link shuffle}, as numpy's
   * `permutation(n)`.
   * @throws ValueError unless `n` is an integer in [0, 2**32 - 1].
   */
  permutation(n: number): Uint32Array {
    if (!Number.isInteger(n) || n < 0 || n > MAX_SEED) {
      throw new ValueError(`RandomState.permutation: n must be an integer in [0, 2**32 - 1], got ${n}.`);
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    this.shuffle(order);
    return order;
  }

  /**
   * A standard normal draw, numpy's `legacy_gauss`: Marsaglia's polar method, which yields two
   * values per accepted pair. The first call returns `f * x2` and caches `f * x1`; the next call
   * returns the cached value without drawing.
   */
  standardNormal(): number {
    if (this.cachedGauss !== undefined) {
      const cached = this.cachedGauss;
      this.cachedGauss = undefined;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }

  /**
   * A normal draw with mean `loc` and standard deviation `scale`: `loc + scale * standardNormal()`,
   * as numpy's legacy `normal(loc, scale)`.
   * @throws ValueError if `scale` is negative or either argument is not finite.
   */
  normal(loc = 0, scale = 1): number {
    if (!Number.isFinite(loc) || !Number.isFinite(scale) || scale < 0) {
      throw new ValueError(`RandomState.normal: expected a finite loc and a finite scale >= 0, got loc=${loc}, scale=${scale}.`);
    }
    return loc + scale * this.standardNormal();
  }

  /**
   * An integer uniformly distributed in [0, max] (inclusive), numpy's `random_interval`: smear
   * `max`'s top bit down into a mask and redraw `next32 & mask` until it is ≤ max. Rejection
   * (not modulo) keeps the draw unbiased; matching it draw for draw keeps shuffles identical.
   */
  private randomInterval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Regenerates the 624 state words (MT19937's "twist"). */
  private twist(): void {
    // Every index below is in [0, N): the state is N words long.
    const mt = this.state;
    let k = 0;
    for (; k < N - M; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[k + 1]! & LOWER_MASK);
      mt[k] = mt[k + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; k < N - 1; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[k + 1]! & LOWER_MASK);
      mt[k] = mt[k + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
    mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }
}
