/**
 * A user-given value for an error message: strings quoted, arrays by their first items, objects
 * by their keys. It never throws: `String()` throws on a symbol inside an array and on an object
 * without a prototype, and an array can contain itself. (Values from model files are shown as
 * JSON excerpts instead: model/io/untrusted-json.ts.)
 * @internal
 */
export function show(value: unknown, depth = 0): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    // Nested arrays are shown two levels deep (a pair, rows of centres), then summarised.
    if (depth >= 2) return 'an array';
    const items = value.slice(0, 8).map((item: unknown) => show(item, depth + 1));
    return `[${items.join(', ')}${value.length > 8 ? ', …' : ''}]`;
  }
  if (ArrayBuffer.isView(value)) return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
  }
  return String(value);
}
