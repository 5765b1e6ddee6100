/**
 * Untrusted JSON: bounded nesting, and the checked reads every part of the model-file reader
 * shares. Text is scanned for its depth before JSON.parse (a parser may recurse, as may anything
 * that later walks the value), and a value handed over in memory is walked without recursion for
 * the same bound, which also catches cycles. Reads take own properties only, and each check
 * throws a ValueError naming the field and showing what it got.
 */
import { ValueError } from '../../errors.js';
import { MODEL_LIMITS } from './limits.js';

/** The error for `what` nesting deeper than MODEL_LIMITS.jsonDepth. */
export function tooDeep(what: string): ValueError {
  return new ValueError(
    `${what} is nested more than ${MODEL_LIMITS.jsonDepth} levels deep (objects and arrays); model files nest about 10.`,
  );
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** Throws when JSON text nests deeper than the limit; brackets inside strings are text. Malformed text is left to JSON.parse. */
function checkTextDepth(text: string, what: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++depth > MODEL_LIMITS.jsonDepth) throw tooDeep(what);
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) depth--;
  }
}

/** Parses untrusted JSON text: its length and nesting are checked first; any failure is a ValueError naming `what`. */
export function parseJsonText(text: string, what: string): unknown {
  if (text.length > MODEL_LIMITS.modelJsonBytes) {
    throw new ValueError(`${what} has ${text.length} characters, over the limit of ${MODEL_LIMITS.modelJsonBytes}.`);
  }
  checkTextDepth(text, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValueError(`${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const isContainer = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value);

/**
 * Throws when a value handed over in memory nests objects and arrays deeper than the limit (a
 * cycle nests without end). Binary data (ArrayBuffers and their views) is a leaf. The walk keeps
 * one frame per level, so its memory is bounded by the limit too, however wide the value.
 */
export function checkNesting(value: unknown, what: string): void {
  const path: { readonly children: readonly unknown[]; next: number }[] = [];
  let item: unknown = value;
  for (;;) {
    if (isContainer(item)) {
      if (path.length === MODEL_LIMITS.jsonDepth) throw tooDeep(what);
      path.push({ children: Array.isArray(item) ? item : Object.values(item), next: 0 });
    }
    let frame = path[path.length - 1];
    while (frame && frame.next === frame.children.length) {
      path.pop();
      frame = path[path.length - 1];
    }
    if (!frame) return;
    item = frame.children[frame.next++];
  }
}

/** A short rendering of an untrusted value for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export type Dict = { readonly [key: string]: unknown };

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a parsed file's `__proto__` or `constructor` key is data, never inherited. */
export function get(dict: Dict, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

/** Whether `key` holds a value (neither missing, undefined nor null). */
export function present(dict: Dict, key: string): boolean {
  const value = get(dict, key);
  return value !== undefined && value !== null;
}

export function dict(value: unknown, what: string): Dict {
  if (!isDict(value)) throw new ValueError(`${what} must be an object, got ${describe(value)}.`);
  return value;
}

/** A positive integer ≤ limit (units, features). */
export function size(value: unknown, what: string, limit: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${what} must be a positive integer, got ${describe(value)}.`);
  }
  if (value > limit) throw new ValueError(`${what} is ${value}, over the limit of ${limit.toLocaleString('en-US')}.`);
  return value;
}

export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ValueError(`${what} must be a finite number, got ${describe(value)}.`);
  return value;
}

/** snake_case, camelCase or PascalCase → lower case without separators: `binary_crossentropy` ≡ `binaryCrossentropy`. */
export function loose(identifier: string): string {
  return identifier.replace(/_/g, '').toLowerCase();
}
