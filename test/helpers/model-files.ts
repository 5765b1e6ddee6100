/** Shared by the model-file tests: typed-error assertions, the TF.js fixture and its weights, JSON accessors. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACTIVATIONS } from '../../src/spec/activations.js';
import { INITIALIZERS } from '../../src/model/initializers.js';
import { Dense, Dropout } from '../../src/model/layers.js';
import { BinaryCrossentropy } from '../../src/model/losses.js';
import { Adam, SGD } from '../../src/model/optimizers.js';
import { L1L2 } from '../../src/model/regularizers.js';
import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay, type LearningRateSchedule } from '../../src/model/schedules.js';
import { Sequential, type CompileOptions } from '../../src/model/sequential.js';
import { MODEL_LIMITS, saveModel, type ModelArtifact } from '../../src/model/serialization.js';

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

/** One of each learning-rate schedule a model file can carry. */
export const scheduleSamples = (): LearningRateSchedule[] => [
  new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }),
  new PiecewiseConstantDecay({ boundaries: [10, 20], values: [0.1, 0.01, 0.001] }),
  new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }),
];

/** A compiled CPU model with every part a model file holds: dropout, an alpha, a regularizer, softmax, SGD under `schedule`. */
export function everyPartModel(schedule: LearningRateSchedule): Sequential {
  const model = new Sequential({ backend: 'cpu', seed: 1 });
  model.add(new Dropout({ rate: 0.1, seed: 3 }));
  model.add(new Dense({ units: 3, activation: 'leaky_relu', alpha: 0.3, inputDim: 2, kernelRegularizer: new L1L2({ l1: 0.1, l2: 0.2 }) }));
  model.add(new Dense({ units: 2, activation: 'softmax' }));
  model.compile({
    optimizer: new SGD({ learningRate: schedule, momentum: 0.5 }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export const fixture = async (file: string): Promise<Json> =>
  JSON.parse(await readFile(join('test/fixtures/models', file), 'utf8')) as Json;

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

// Random valid models (seeded), for round trips and as the originals that fuzz tests mutate.

/** A small seeded generator (LCG), so a failing case can be replayed. */
export function randomSource(seed: number): { next(): number; int(below: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}

export type Random = ReturnType<typeof randomSource>;

/** Characters a name may hold: separators, escapes and non-BMP characters are still names. */
export const NAME_CHARACTERS = ['a', 'Z', '_', '-', '.', '/', ' ', '0', '9', ':', '%', '?', '#', '\\', '[', '"', 'é', '字', '😀'];

export function randomName(random: Random, maxLength: number): string {
  const target = random.next() < 0.1 ? maxLength - random.int(8) : 1 + random.int(12);
  let name = '';
  while (name.length < target) {
    const next = random.pick(NAME_CHARACTERS);
    if (name.length + next.length > maxLength) break;
    name += next;
  }
  return name || 'x';
}

/** The longest layer name whose weight names (`name/kernel`) stay within the name limit. */
export const LONGEST_LAYER_NAME = MODEL_LIMITS.nameLength - '/kernel'.length;

export function randomModel(random: Random): Sequential {
  const model = new Sequential({ backend: 'cpu', seed: random.int(1000), name: randomName(random, MODEL_LIMITS.nameLength) });
  const names = new Set<string>();
  const uniqueName = (): string | undefined => {
    if (random.next() < 0.3) return undefined; // the model's default name
    let name = randomName(random, LONGEST_LAYER_NAME);
    while (names.has(name) || /^(dense|dropout)(_\d+)?$/.test(name)) name += 'x';
    names.add(name);
    return name;
  };
  const hidden = random.int(3);
  const head = random.pick(['binary', 'logits', 'regression', 'multiclass'] as const);
  for (let i = 0; i <= hidden; i++) {
    const last = i === hidden;
    if (random.next() < 0.3)
      model.add(
        new Dropout({ rate: random.next() * 0.9, name: uniqueName(), ...(random.next() < 0.5 ? { seed: random.int(2 ** 32) } : {}) }),
      );
    const activation = last
      ? { binary: 'sigmoid', logits: 'linear', regression: 'linear', multiclass: 'softmax' }[head]
      : random.pick(ACTIVATIONS);
    const units = last ? (head === 'binary' || head === 'logits' ? 1 : 2 + random.int(3)) : 1 + random.int(5);
    model.add(
      new Dense({
        units,
        activation: activation as Dense['activation'],
        ...((activation === 'leaky_relu' || activation === 'elu') && random.next() < 0.5 ? { alpha: random.next() } : {}),
        useBias: random.next() < 0.8,
        kernelInitializer: random.pick(INITIALIZERS),
        biasInitializer: random.pick(INITIALIZERS),
        ...(random.next() < 0.3 ? { kernelRegularizer: new L1L2({ l1: random.next() / 10, l2: random.next() / 10 }) } : {}),
        ...(i === 0 ? { inputDim: 1 + random.int(4) } : {}),
        name: uniqueName(),
      }),
    );
  }
  if (random.next() < 0.8) {
    const optimizers: readonly (() => CompileOptions['optimizer'])[] = [
      () => random.pick(['sgd', 'rmsprop', 'adagrad', 'adam', 'adamw'] as const),
      () => new SGD({ learningRate: random.next(), momentum: random.next() }),
      () => new Adam({ learningRate: random.next() }),
    ];
    const optimizer = random.pick(optimizers)();
    const compile: Record<typeof head, CompileOptions> = {
      binary: { optimizer, loss: 'binary_crossentropy', metrics: ['accuracy'] },
      logits: { optimizer, loss: new BinaryCrossentropy({ fromLogits: true }), metrics: ['accuracy'] },
      regression: { optimizer, loss: 'mean_squared_error', metrics: ['mae'] },
      multiclass: { optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] },
    };
    model.compile(compile[head]);
  }
  return model;
}

/** Saves through a handler that keeps the artifact (and counts that it was called). */
export async function saveToMemory(model: Sequential): Promise<ModelArtifact> {
  let saved: ModelArtifact | undefined;
  await saveModel(model, {
    save: async (artifact) => {
      saved = artifact;
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: 0,
          weightSpecsBytes: 0,
          weightDataBytes: 0,
        },
      };
    },
  });
  return saved!;
}

export async function assertFixtureWeights(model: Sequential): Promise<void> {
  const weights = await model.getWeights();
  assert.deepEqual(
    weights.map((w) => Array.from(w)),
    [W0, B0, W1, B1].map((w) => Array.from(Float32Array.from(w))),
  );
}
