/**
 * The property-based fuzzing harness (fast-check) of test/fuzz/. Every case runs through
 * `outcome()`, which holds the invariant of the public API: a result or a `ShadernetError`,
 * never another exception, never a hang, no allocation beyond the limits, Object.prototype
 * untouched. `fuzz()` runs a property and reports its case count, time and seed.
 *
 * SHADERNET_FUZZ_RUNS=N runs N cases per CPU property (N/10 per GPU property) instead of the
 * defaults; SHADERNET_FUZZ_SEED=S replays a run (every property takes seed S).
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import { ShadernetError } from '../../src/errors.js';
import { Dense } from '../../src/model/layers.js';
import { Sequential } from '../../src/model/sequential.js';
import type { GpuContext } from '../../src/gpu/context.js';

function envInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got '${text}'.`);
  return value;
}

const RUNS = envInteger('SHADERNET_FUZZ_RUNS');
const SEED = envInteger('SHADERNET_FUZZ_SEED');

/** Cases of a property: its default, or SHADERNET_FUZZ_RUNS (a tenth of it on the GPU, whose cases cost ~100× more). */
export function runs(defaultRuns: number, engine: 'cpu' | 'gpu' = 'cpu'): number {
  if (RUNS === undefined) return defaultRuns;
  return Math.max(1, engine === 'gpu' ? Math.ceil(RUNS / 10) : RUNS);
}

/**
 * Thrown by the functions the generators hand to the library (callbacks, handlers, fetch): the
 * caller's own error, which the library may pass through; never one of the library's faults.
 */
export class CallerError extends Error {
  override name = 'CallerError';
}

/**
 * Checks a property with fast-check and reports `name: N cases, seed S, T ms` as a test
 * diagnostic. A failure throws fast-check's report (the shrunk counterexample, seed and path)
 * with the line that replays it.
 */
export async function fuzz<T>(
  t: TestContext,
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void> | void,
  numRuns: number,
): Promise<void> {
  const seed = SEED ?? Math.floor(Math.random() * 2 ** 31);
  tally.returned = tally.refused = 0;
  const started = performance.now();
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      await predicate(value);
    }),
    { numRuns, seed },
  );
  const ms = Math.round(performance.now() - started);
  const summary = `${name}: ${details.numRuns} cases (calls: ${tally.returned} returned, ${tally.refused} refused), seed ${seed}, ${ms} ms`;
  t.diagnostic(summary);
  if (details.failed) {
    const report = await fc.asyncDefaultReportMessage(details);
    const error = details.errorInstance;
    // The harness's own AssertionErrors say everything in their message; anything else needs its stack.
    const cause =
      error instanceof assert.AssertionError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new assert.AssertionError({ message: `${summary}\n${cause}\n${report}\nReplay: SHADERNET_FUZZ_SEED=${seed}` });
  }
}

/** A value as fast-check prints it, cut short for a case's label. */
export function shortly(value: unknown, length = 300): string {
  const printed: unknown = fc.stringify(value);
  // fast-check prints what a value's own toString says, which a generated value may not make a string.
  const text = typeof printed === 'string' ? printed : Object.prototype.toString.call(value);
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// One case's invariant

/** Prototypes whose own properties no call may add, remove or replace. */
const WATCHED_PROTOTYPES: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
];

type Snapshot = readonly (readonly [string, PropertyKey, unknown])[];

function prototypeSnapshot(): Snapshot {
  return WATCHED_PROTOTYPES.flatMap(([owner, proto]) =>
    Reflect.ownKeys(proto).map((key): readonly [string, PropertyKey, unknown] => {
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      return [owner, key, d.value ?? d.get];
    }),
  );
}

/** The first difference between two snapshots, as a sentence; undefined when equal. */
function prototypeChange(before: Snapshot, after: Snapshot): string | undefined {
  const key = ([owner, name]: readonly [string, PropertyKey, unknown]): string => `${owner}.${String(name)}`;
  const old = new Map(before.map((entry) => [key(entry), entry[2]]));
  const now = new Map(after.map((entry) => [key(entry), entry[2]]));
  for (const [name, value] of now) {
    if (!old.has(name)) return `${name} was added`;
    if (old.get(name) !== value) return `${name} was replaced`;
  }
  for (const name of old.keys()) if (!now.has(name)) return `${name} was deleted`;
  return undefined;
}

/**
 * Console and stdout writes made by a case (fit's progress bar, one-time notices) are dropped.
 * `process.stdout` itself is swapped, not its write method: the test runner writes its own
 * reports through the stream object it holds, and those must get through.
 */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const { log, warn, info } = console;
  const stdout = Object.getOwnPropertyDescriptor(process, 'stdout')!;
  const sink = { write: () => true, isTTY: false };
  console.log = console.warn = console.info = () => undefined;
  Object.defineProperty(process, 'stdout', { value: sink, configurable: true, writable: true });
  try {
    return await run();
  } finally {
    Object.assign(console, { log, warn, info });
    Object.defineProperty(process, 'stdout', stdout);
  }
}

export interface CaseLimits {
  /** The case must settle within this many milliseconds (default 5 s: cases take milliseconds). */
  readonly timeoutMs?: number;
  /** External (ArrayBuffer) memory a case may leave allocated (default 256 MiB). */
  readonly arrayBufferBytes?: number;
  /** The GPU whose live bytes must stay under `gpuBytes` (default 64 MiB). */
  readonly gpu?: GpuContext;
  readonly gpuBytes?: number;
}

/** Calls checked by outcome() since the current property started. */
const tally = { returned: 0, refused: 0 };

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ShadernetError | CallerError };

const MiB = 2 ** 20;

/**
 * Runs one call of the public API and checks the invariant: it returns, or throws a
 * ShadernetError (or the CallerError of a generated function, passed through), within the time
 * limit; it leaves the watched prototypes as they were; it allocates within the limits. Any
 * other outcome fails with an AssertionError naming `what` and the problem.
 */
export async function outcome<T>(what: string, run: () => T | Promise<T>, limits: CaseLimits = {}): Promise<Outcome<Awaited<T>>> {
  const { timeoutMs = 5000, arrayBufferBytes = 256 * MiB, gpu, gpuBytes = 64 * MiB } = limits;
  const before = prototypeSnapshot();
  const buffersBefore = process.memoryUsage().arrayBuffers;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutMs);
  });
  let result: Outcome<Awaited<T>> | 'hang';
  try {
    result = await quietly(() =>
      Promise.race([
        (async (): Promise<Outcome<Awaited<T>>> => {
          try {
            return { ok: true, value: await run() };
          } catch (error) {
            if (error instanceof ShadernetError || error instanceof CallerError) return { ok: false, error };
            const text =
              error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : `a non-Error value: ${String(error)}`;
            throw new assert.AssertionError({ message: `${what} threw something other than a ShadernetError: ${text}` });
          }
        })(),
        hang,
      ]),
    );
  } finally {
    clearTimeout(timer);
  }
  const elapsed = performance.now() - started;
  // A synchronous call cannot be interrupted by the timer: its duration is checked after it.
  if (result === 'hang' || elapsed > timeoutMs)
    throw new assert.AssertionError({ message: `${what} did not settle within ${timeoutMs} ms (a hang?)` });
  const change = prototypeChange(before, prototypeSnapshot());
  if (change) throw new assert.AssertionError({ message: `${what} changed a built-in prototype: ${change}` });
  const grown = process.memoryUsage().arrayBuffers - buffersBefore;
  if (grown > arrayBufferBytes)
    throw new assert.AssertionError({
      message: `${what} left ${Math.round(grown / MiB)} MiB of ArrayBuffers allocated (limit ${arrayBufferBytes / MiB} MiB)`,
    });
  if (gpu && gpu.memory().bytes > gpuBytes) {
    throw new assert.AssertionError({
      message: `${what} left ${Math.round(gpu.memory().bytes / MiB)} MiB allocated on the GPU (limit ${gpuBytes / MiB} MiB)`,
    });
  }
  if (result.ok) tally.returned++;
  else tally.refused++;
  if (!result.ok && process.env['SHADERNET_FUZZ_VERBOSE']) process.stderr.write(`refused: ${result.error.message.slice(0, 160)}\n`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Does the library still train afterwards?

/** 32 points of two classes separated by the line x1 + x2 = 0, none near it. */
export const SEPARABLE = (() => {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 32; i++) {
    const angle = (i / 32) * 2 * Math.PI;
    const label = i % 2;
    const side = label ? 1 : -1;
    rows.push([Math.cos(angle) * 0.4 + side * 0.8, Math.sin(angle) * 0.4 + side * 0.8]);
    labels.push(label);
  }
  return { x: rows, y: labels };
})();

/** A 2 → 4 → 1 classifier, as every property's shared model and the final fresh one. */
export function smallClassifier(engine: { readonly gpu: GpuContext } | { readonly backend: 'cpu' }, seed = 1): Sequential {
  const model = new Sequential({ ...engine, seed });
  model.add(new Dense({ units: 4, activation: 'tanh', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * The model learns SEPARABLE: compiled afresh (Adam 0.05) from `weights` (or its current ones),
 * its loss falls and its accuracy reaches 1. A model left busy, half-compiled or with broken
 * state by the fuzz cases fails here.
 */
export async function assertTrains(model: Sequential, weights?: readonly Float32Array[]): Promise<void> {
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  model.optimizer!.learningRate = 0.05;
  if (weights) model.setWeights(weights);
  const before = await model.evaluate(SEPARABLE.x, SEPARABLE.y);
  await model.fit(SEPARABLE.x, SEPARABLE.y, { epochs: 40, batchSize: 8, verbose: 0, seed: 1 });
  const after = await model.evaluate(SEPARABLE.x, SEPARABLE.y);
  assert.ok(after.loss < before.loss / 2, `loss fell from ${before.loss} to ${after.loss}`);
  assert.equal(after['accuracy'], 1, `accuracy ${after['accuracy']}`);
}
