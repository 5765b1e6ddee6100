/**
 * Number formatting that reproduces Python's `format()` mini-language for the handful of specs
 * Keras uses in its logs and summaries (`{:.4f}`, `{:.4e}`, `{:.0f}`, `{:.2f}`, `{:,}`, `round()`).
 *
 * JavaScript's `toFixed`/`toExponential` are not enough: they round exact ties half-up where
 * Python rounds half-to-even (`0.125` → `'0.13'` in JS, `'0.12'` in Python), `toExponential` writes
 * `1e-4` where Python writes `1e-04`, `toFixed` switches to exponent form at 1e21, and both drop
 * the sign of `-0`. Everything here works from the exact decimal value of the double, so the
 * output is the one CPython prints, digit for digit.
 */

/** The exact value of a finite, non-negative double as `digits × 10^-scale`. */
interface ExactDecimal {
  readonly digits: bigint;
  readonly scale: number;
}

const f64View = new DataView(new ArrayBuffer(8));

/**
 * Decomposes `|x|` (finite) into mantissa and binary exponent and turns `m × 2^e` into a decimal
 * fraction: for e < 0, `m / 2^-e = m × 5^-e / 10^-e`, which is exact with BigInt arithmetic.
 */
function exactDecimal(x: number): ExactDecimal {
  f64View.setFloat64(0, Math.abs(x));
  const hi = f64View.getUint32(0);
  const lo = f64View.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal: no implicit leading bit
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** `value / 10^drop`, rounded half to even (Python's rule for float formatting and `round`). */
function divRoundHalfEven(value: bigint, drop: number): bigint {
  if (drop <= 0) return value * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  let quotient = value / divisor;
  const twiceRemainder = (value % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && (quotient & 1n) === 1n)) quotient += 1n;
  return quotient;
}

/** Python's spelling of the non-finite values (`nan`, `inf`, `-inf`), or undefined for finite x. */
function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** Python keeps the sign of negative zero and of negatives that round to zero (`'-0.0000'`). */
function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/**
 * Python's `f"{x:.{precision}f}"`: fixed point, rounded half to even on the exact value.
 * `pyFixed(0.60491234, 4)` → `'0.6049'`, `pyFixed(2.5, 0)` → `'2'`, `pyFixed(1e21, 1)` →
 * `'1000000000000000000000.0'`.
 *
 * @internal
 */
export function pyFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const { digits, scale } = exactDecimal(x);
  const scaled = divRoundHalfEven(digits, scale - precision)
    .toString()
    .padStart(precision + 1, '0');
  const intPart = scaled.slice(0, scaled.length - precision);
  return precision > 0 ? `${signOf(x)}${intPart}.${scaled.slice(-precision)}` : `${signOf(x)}${intPart}`;
}

/**
 * Python's `f"{x:.{precision}e}"`: one digit, `precision` decimals, and an exponent with a sign
 * and at least two digits. `pyExp(0.0001, 4)` → `'1.0000e-04'`, `pyExp(123456, 4)` → `'1.2346e+05'`.
 *
 * @internal
 */
export function pyExp(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = signOf(x);
  let mantissa: string;
  let exponent: number;
  if (x === 0) {
    mantissa = '0'.repeat(precision + 1);
    exponent = 0;
  } else {
    const { digits, scale } = exactDecimal(x);
    const length = digits.toString().length;
    exponent = length - 1 - scale;
    let rounded = divRoundHalfEven(digits, length - (precision + 1));
    mantissa = rounded.toString();
    if (mantissa.length > precision + 1) {
      // 9.99995 → 10.0000: the carry added a digit, which is a trailing zero we can drop.
      rounded /= 10n;
      mantissa = rounded.toString();
      exponent += 1;
    }
  }
  const head = precision > 0 ? `${mantissa[0]}.${mantissa.slice(1)}` : mantissa;
  const expText = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${sign}${head}e${expText}`;
}

/**
 * Python's `round(x)` for a float: nearest integer, exact ties to even (`round(3.5)` = 4,
 * `round(2.5)` = 2). Rich uses it when it shrinks table columns, so the summary needs it too.
 *
 * @internal
 */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor; // exact: both operands share the binade
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Python's `f"{n:,}"` for an integer: comma thousands separators (`17025` → `'17,025'`).
 * Non-integers are truncated toward zero first, since parameter counts are integers.
 *
 * @internal
 */
export function formatThousands(n: number): string {
  if (!Number.isFinite(n)) return nonFinite(n) ?? String(n);
  const int = Math.trunc(n);
  const text = BigInt(int < 0 ? -int : int).toString(); // BigInt: no exponent form above 1e21
  return `${int < 0 ? '-' : ''}${text.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** Keras 3's memory-size units (`summary_utils.readable_memory_size`). @internal */
export const MEMORY_UNITS_KERAS3: readonly string[] = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
/** tf.keras 2.13+ spells the first unit `Byte` (`layer_utils.readable_memory_size`). @internal */
export const MEMORY_UNITS_KERAS2: readonly string[] = ['Byte', 'KB', 'MB', 'GB', 'TB', 'PB'];

/**
 * Keras' `readable_memory_size`: divide by 1024 until the value is below 1024 (or the units run
 * out), then print with two decimals. `68` → `'68.00 B'`, `68100` → `'66.50 KB'`.
 *
 * @internal
 */
export function readableMemorySize(bytes: number, units: readonly string[] = MEMORY_UNITS_KERAS3): string {
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${pyFixed(size, 2)} ${unit}`;
    size /= 1024;
  }
  return `${pyFixed(size, 2)} ${units[units.length - 1] ?? ''}`;
}
