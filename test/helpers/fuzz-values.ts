/**
 * fast-check generators of hostile values for the fuzz tests: what a caller or a file may hand
 * the library in place of an option, a name, a size or a number.
 */
import fc from 'fast-check';
import { Dense, Dropout } from '../../src/model/layers.js';
import { BinaryCrossentropy } from '../../src/model/losses.js';
import { Adam } from '../../src/model/optimizers.js';
import { L1L2 } from '../../src/model/regularizers.js';
import { ExponentialDecay } from '../../src/model/schedules.js';
import { EarlyStopping } from '../../src/model/training-callbacks.js';
import { CallerError } from './fuzz.js';

/** Names every plain object inherits: a table that is not own-key-checked finds them. */
export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  'toLocaleString',
] as const;

/** Numbers at and beyond every boundary the library checks: types' ranges, limits, float32's range. */
export const EDGE_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0.5,
  1.5,
  -1e-300,
  5e-324,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e300,
  3.4028234663852886e38,
  1e39,
  -1e39,
  Number.MAX_VALUE,
  65_537,
  1001,
];

/** Sizes are not drawn beyond this in "valid" positions: larger valid sizes are real work (limits.test.ts covers them). */
export const SMALL = 8;

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 3, arbitrary: fc.integer({ min: -3, max: SMALL }) },
  { weight: 1, arbitrary: fc.double() },
);

export const edgeString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<string>(
      ...PROTOTYPE_NAMES,
      '',
      '1',
      '0.5',
      'NaN',
      'Infinity',
      '1e3',
      ' 2',
      'true',
      'null',
      'x'.repeat(2000),
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 10 }) },
);

/**
 * Functions as a caller's may behave: return, return a promise, throw. Not reject: the library
 * does not await every function it is given (summary's print), and a caller's unhandled
 * rejection is the caller's; fit's awaited callbacks reject in options-methods.test.ts. Not a class
 * either: `typeof` cannot tell it from a function, and calling it is the caller's TypeError.
 */
const functions: fc.Arbitrary<unknown> = fc
  .constantFrom<() => unknown>(
    () => () => undefined,
    () => () => 42,
    () => async () => undefined,
    () => () => {
      throw new CallerError('thrown by a generated function');
    },
  )
  .map((make) => make());

/** `value` as fast-check prints it: a hostile object must not break the report of its own case. */
export function labelled<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => text });
  return value;
}

/**
 * An object whose every read of a named property throws the caller's error (a hostile getter
 * wherever it is read). Symbol keys pass through, which is how fast-check inspects values.
 */
function throwingProxy(): object {
  const guard =
    <A extends unknown[], R>(trap: (target: object, key: PropertyKey, ...rest: A) => R) =>
    (target: object, key: PropertyKey, ...rest: A): R => {
      if (typeof key === 'string') throw new CallerError(`thrown by a Proxy trap reading '${key}'`);
      return trap(target, key, ...rest);
    };
  return new Proxy(labelled({}, 'throwingProxy'), {
    get: guard((target, key) => Reflect.get(target, key)),
    has: guard((target, key) => Reflect.has(target, key)),
    getOwnPropertyDescriptor: guard((target, key) => Reflect.getOwnPropertyDescriptor(target, key)),
  });
}

/** Objects of other kinds, fresh per case (the library could mutate what it is given). */
const oddObjects: fc.Arbitrary<unknown> = fc
  .constantFrom<() => unknown>(
    () => Object.create(null),
    () => new Date(0),
    () => new Map([['units', 1]]),
    () => new Set([1]),
    () => /units/,
    () => new Error('not an option'),
    () => new ArrayBuffer(8),
    () => new DataView(new ArrayBuffer(8)),
    () => ({ length: 2, 0: 1, 1: 2 }),
    () => ({ length: 1e300 }),
    // eslint-disable-next-line no-sparse-arrays -- a hole is the point
    () => [, 1],
    () => Object.freeze([1, 2]),
    () => {
      const cycle: unknown[] = [1];
      cycle.push(cycle);
      return cycle;
    },
    () => {
      const cycle: Record<string, unknown> = { units: 1 };
      cycle['self'] = cycle;
      return cycle;
    },
    () =>
      labelled(
        Object.defineProperty({}, 'units', {
          enumerable: true,
          get: () => {
            throw new CallerError('thrown by a getter');
          },
        }),
        'throwingGetter',
      ),
    throwingProxy,
    () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown,
    // The library's own objects, in the wrong place.
    () => new Adam(),
    () => new Dense({ units: 1 }),
    () => new Dropout({ rate: 0.5 }),
    () => new L1L2({ l1: 0.1 }),
    () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
    () => new BinaryCrossentropy(),
    () => new EarlyStopping(),
  )
  .map((make) => make());

/** Typed arrays of every kind, short, with edge values. */
export const typedArray: fc.Arbitrary<ArrayBufferView> = fc.oneof(
  fc.float32Array({ maxLength: 6 }),
  fc.float64Array({ maxLength: 6 }),
  fc.int8Array({ maxLength: 6 }),
  fc.uint8Array({ maxLength: 6 }),
  fc.uint8ClampedArray({ maxLength: 6 }),
  fc.int16Array({ maxLength: 6 }),
  fc.uint16Array({ maxLength: 6 }),
  fc.int32Array({ maxLength: 6 }),
  fc.uint32Array({ maxLength: 6 }),
  fc.bigInt64Array({ maxLength: 6 }),
  fc.bigUint64Array({ maxLength: 6 }),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: edgeNumber },
  { weight: 3, arbitrary: edgeString },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
  { weight: 1, arbitrary: fc.constantFrom(Symbol('fuzz'), Symbol.iterator, Symbol.toPrimitive) },
  { weight: 1, arbitrary: functions },
  { weight: 1, arbitrary: typedArray },
  { weight: 2, arbitrary: oddObjects },
);

/** Keys of generated objects: the option names in `known`, prototype names, anything. */
export function keyOf(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom<string>(...PROTOTYPE_NAMES, ...known) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
}

/**
 * An object of the given entries, built with defineProperty so that `__proto__` is an own key
 * (as JSON.parse makes it), sometimes without a prototype.
 */
export function objectFrom(entries: readonly (readonly [PropertyKey, unknown])[], nullPrototype = false): Record<PropertyKey, unknown> {
  const target: Record<PropertyKey, unknown> = nullPrototype ? (Object.create(null) as Record<PropertyKey, unknown>) : {};
  for (const [key, value] of entries) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** Any value: leaves, arrays and objects of them, nested a few levels. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(fc.tuple(keyOf(), tie('value')), { maxLength: 4 }), fc.boolean())
        .map(([entries, bare]) => objectFrom(entries, bare)),
    },
  ),
})).value;

/** Marks a field left out of a generated options object. */
const ABSENT = Symbol('absent');

/**
 * An options object for an entry point: each known field absent (unless `required`) or valid
 * (from `fields`), then up to two fields made hostile (so a third of the objects are valid and
 * reach the checks behind the first), sometimes extra keys (prototype names among them),
 * sometimes no object at all (unless `alwaysObject`).
 */
export function optionsObject(
  fields: Readonly<Record<string, fc.Arbitrary<unknown>>>,
  hostile: fc.Arbitrary<unknown> = hostileValue,
  shape: { readonly required?: readonly string[]; readonly alwaysObject?: boolean; readonly rarelySpoiled?: boolean } = {},
): fc.Arbitrary<unknown> {
  const names = Object.keys(fields);
  const valid = fc.tuple(
    ...names.map((name) => (shape.required?.includes(name) ? fields[name]! : fc.oneof(fc.constant<unknown>(ABSENT), fields[name]!))),
  );
  const spoiled = shape.rarelySpoiled
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(names.length - 1), hostile), { minLength: 1, maxLength: 1 }) },
      )
    : fc.array(fc.tuple(fc.nat(names.length - 1), hostile), { maxLength: 2 });
  const extra = fc.array(fc.tuple(keyOf(names), hostile), { maxLength: 2 });
  const object = fc
    .tuple(
      valid,
      spoiled,
      fc.oneof({ weight: shape.rarelySpoiled ? 16 : 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extra }),
      fc.boolean(),
    )
    .map(([values, bad, more, bare]) => {
      const given = [...values];
      for (const [index, value] of bad) given[index] = value;
      const entries: [PropertyKey, unknown][] = [];
      given.forEach((value, i) => {
        if (value !== ABSENT) entries.push([names[i]!, value]);
      });
      return objectFrom([...entries, ...more], bare && more.length > 0);
    });
  if (shape.alwaysObject) return object;
  return fc.oneof({ weight: 12, arbitrary: object }, { weight: 1, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(undefined) });
}
