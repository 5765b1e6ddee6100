/** Shared by the model-file tests: typed-error assertions, the TF.js fixture and its weights, JSON accessors. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type Json = Record<string, unknown>;
export type ErrorClass = new (...args: never[]) => Error;

/** `run` throws an instance of `kind` whose message matches `pattern`. */
export function expectError(run: () => unknown, kind: ErrorClass, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.match((error as Error).message, pattern);
    return true;
  });
}

/** `run` rejects with an instance of `kind` whose message matches `pattern`. */
export async function expectRejection(run: () => Promise<unknown>, kind: ErrorClass, pattern: RegExp): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.match((error as Error).message, pattern);
    return true;
  });
}

/** Little-endian float32 bytes of the arrays, concatenated. */
export function f32Bytes(...arrays: readonly (readonly number[])[]): ArrayBuffer {
  const values = arrays.flat();
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return view.buffer;
}

export const clone = <T>(value: T): T => structuredClone(value);

export const fixture = async (file: string): Promise<Json> => JSON.parse(await readFile(join('test/fixtures/models', file), 'utf8')) as Json;

export const layersOf = (json: Json): Json[] => {
  let topology = json['modelTopology'] as Json;
  if (topology['model_config']) topology = topology['model_config'] as Json;
  return (topology['config'] as Json)['layers'] as Json[];
};
export const configOf = (json: Json, index: number): Json => layersOf(json)[index]!['config'] as Json;
export const manifestWeights = (json: Json): Json[] => (json['weightsManifest'] as Json[])[0]!['weights'] as Json[];

// The weights of the hand-written fixtures (2 → 4 → 1), in manifest order.
export const W0 = [0.5, -0.25, 1, 0.125, -0.75, 0.5, 0.25, -1];
export const B0 = [0.1, -0.1, 0, 0.2];
export const W1 = [1, -1, 0.5, 2];
export const B1 = [-0.3];
export const FIXTURE_BYTES = f32Bytes(W0, B0, W1, B1);

/** Installs a global (a page's document, localStorage...) for the duration of `run`. */
export async function withGlobal(key: string, value: unknown, run: () => Promise<void>): Promise<void> {
  Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  try {
    await run();
  } finally {
    delete (globalThis as Record<string, unknown>)[key];
  }
}
