/**
 * Checks of what users pass in: options by type and range, and names looked up in tables. Each
 * check returns the value with its checked type or throws a ValueError that names the option,
 * says what it must be, and shows what it got. Values are never coerced: "10" is not 10.
 */
import { assertSeed } from '../data/random.js';
import { ValueError } from '../errors.js';
import { show } from '../show.js';

/** What a value is, for "expected a number, got a string"-style messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** The options object of `what` (a plain object, or undefined for none), as given. */
export function optionsOf<T extends object>(value: T | undefined, what: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValueError(`${what} options must be an object, got ${kindOf(value)}.`);
  }
  return value;
}

/** An integer in [min, max] (safe integers only). */
export function integer(value: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? (min === 1 ? 'a positive integer' : `an integer ≥ ${min}`) : `an integer in [${min}, ${max}]`;
    throw new ValueError(`${what} must be ${range}, got ${show(value)}.`);
  }
  return value;
}

/** A positive integer (≥ 1). */
export function positiveInteger(value: unknown, what: string): number {
  return integer(value, what, 1);
}

/** A seed: an integer in [0, 2**32 − 1], what RandomState and the shuffles take. */
export function seed(value: unknown, what: string): number {
  assertSeed(value, what);
  return value;
}

/** Bounds of a number; `open` bounds exclude their end. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
}

function boundsText(bounds: Bounds): string {
  const { min, max, minOpen = false, maxOpen = false } = bounds;
  if (min !== undefined && max !== undefined) return `in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (min !== undefined) return `a finite number ${minOpen ? '>' : '≥'} ${min}`;
  if (max !== undefined) return `a finite number ${maxOpen ? '<' : '≤'} ${max}`;
  return 'a finite number';
}

/** A finite number within `bounds`. */
export function finiteNumber(value: unknown, what: string, bounds: Bounds = {}): number {
  const { min, max, minOpen = false, maxOpen = false } = bounds;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (min === undefined || (minOpen ? value > min : value >= min)) &&
    (max === undefined || (maxOpen ? value < max : value <= max));
  if (!ok) throw new ValueError(`${what} must be ${boundsText(bounds)}, got ${show(value)}.`);
  return value;
}

/** A finite number ≥ 0. */
export function nonNegative(value: unknown, what: string): number {
  return finiteNumber(value, what, { min: 0 });
}

export function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${what} must be true or false, got ${show(value)}.`);
  return value;
}

export function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ValueError(`${what} must be a string, got ${show(value)}.`);
  return value;
}

/** One of a fixed list of values (compared with ===, so never an inherited property). */
export function oneOf<const T extends string | number>(value: unknown, choices: readonly T[], what: string): T {
  if (!(choices as readonly unknown[]).includes(value)) {
    throw new ValueError(`${what} must be one of ${choices.join(', ')}, got ${show(value)}.`);
  }
  return value as T;
}

/** A name in single quotes (as messages quote layer and activation names); other values as show(). */
export function quoted(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : show(value);
}

/**
 * The entry of `table` named `name`. Tables are Maps, so a name like 'constructor' or
 * '__proto__' finds nothing (a plain object would hand back Object.prototype's members).
 * `unknown` words the error from the name given, e.g. `Unknown loss "x"; expected one of: …`.
 */
export function lookup<T>(table: ReadonlyMap<string, T>, name: unknown, unknown: (given: unknown) => string): T {
  const found = typeof name === 'string' ? table.get(name) : undefined;
  if (found === undefined) throw new ValueError(unknown(name));
  return found;
}

/** A function, or undefined. */
export function optionalFunction(value: unknown, what: string): void {
  if (value !== undefined && typeof value !== 'function') throw new ValueError(`${what} must be a function, got ${show(value)}.`);
}
