/** Shared by the model-file fuzz tests (test/fuzz/model-files-*.test.ts): values a file may hold, the http(s) fake server, and loading through each entry point. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { GpuContext } from '../../src/gpu/context.js';
import { Dense } from '../../src/model/layers.js';
import { deserializeModel, loadModel, MODEL_LIMITS } from '../../src/model/serialization.js';
import { outcome } from './fuzz.js';
import { EDGE_NUMBERS, objectFrom, PROTOTYPE_NAMES } from './fuzz-values.js';

// ---------------------------------------------------------------------------------------------
// Values a file may hold anywhere

/** Names for every name position: the valid ones of each kind, prototype names, anything. */
export const VALID_NAMES = [
  'Sequential',
  'Dense',
  'Dropout',
  'InputLayer',
  'float32',
  'int32',
  'relu',
  'sigmoid',
  'softmax',
  'linear',
  'leaky_relu',
  'GlorotUniform',
  'Zeros',
  'VarianceScaling',
  'L1L2',
  'Adam',
  'SGD',
  'RMSprop',
  'ExponentialDecay',
  'CosineDecay',
  'binary_crossentropy',
  'categorical_crossentropy',
  'mse',
  'accuracy',
  'dense',
  'dense_1',
  'layers-model',
  'graph-model',
];
export const fileName: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VALID_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom<string>(...PROTOTYPE_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'n'.repeat(MODEL_LIMITS.nameLength + 1), 'dense/kernel', '__proto__/kernel') },
);

/** Sizes and shapes: valid small ones, and every kind of wrong one (JSON numbers only: no NaN in a file). */
export const fileNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...EDGE_NUMBERS.filter(Number.isFinite), MODEL_LIMITS.units, MODEL_LIMITS.units + 1, 2 ** 53 - 1),
  },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Any JSON, with prototype names among the keys and strings. */
export const json: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fileName },
  { weight: 1, arbitrary: fileNumber },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom<string>(...PROTOTYPE_NAMES), fc.jsonValue({ maxDepth: 1 })), { maxLength: 2 })
      .map((entries) => objectFrom(entries)),
  },
);

/** `inner` inside `depth` arrays or objects, around the nesting limit (64). */
export const deeplyNested = fc.tuple(fc.integer({ min: 55, max: 70 }), fc.boolean(), json).map(([depth, objects, inner]) => {
  let value: unknown = inner;
  for (let i = 0; i < depth; i++) value = objects ? { class_name: value } : [value];
  return value;
});

/** A value that may stand in for anything in a file: mostly JSON, sometimes deep, sometimes not JSON at all (in-memory artifacts). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: json },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, undefined, 1n, new Float32Array(2)) },
);

// ---------------------------------------------------------------------------------------------
// Weights paths for the http(s) transport

export const MODEL_URL = 'https://models.example/a/b/model.json';
export const FOLDER = 'https://models.example/a/b/';

/** Paths built from segments that climb, encode separators, or name other places. */
export const weightsPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('model.weights.bin', './model.weights.bin', 'shards/w.bin', 'w%20x.bin', 'ü.bin') },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '/', '//', './', 'https://evil.example/', 'file:///', 'C:/', '\\\\', 'data:,'),
        fc.array(
          fc.constantFrom(
            '..',
            '.',
            '%2e%2e',
            '%2E.',
            '.%2e',
            '%2e',
            'a',
            'model.weights.bin',
            '',
            '%2f',
            '%2F..%2F',
            '%5c..',
            '\\..',
            '%00',
            '\u0000',
            '%zz',
            '?x=1',
            '#y',
            'é',
            '%20',
            '..;',
          ),
          { minLength: 1, maxLength: 5 },
        ),
        fc.constantFrom('/', '\\'),
      )
      .map(([prefix, segments, separator]) => prefix + segments.join(separator)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A fetch that serves model.json and, for any other URL, the bytes (so an escaping path would load); it records what it was asked. */
export function fakeServer(
  modelJson: string,
  bytes: Uint8Array,
  status: number,
): { fetch: (url: string) => Promise<Response>; requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    fetch: async (url: string) => {
      requested.push(url);
      if (url === MODEL_URL) return new Response(modelJson);
      return new Response(bytes.slice(), { status });
    },
  };
}

/** Every weights URL fetched is inside model.json's folder on its origin. */
export function assertStayedInFolder(requested: readonly string[], what: string): void {
  for (const url of requested.slice(1)) {
    const parsed = new URL(url);
    assert.ok(
      parsed.origin === 'https://models.example' && url.startsWith(FOLDER) && !parsed.pathname.includes('/../'),
      `${what} fetched ${url}, outside ${FOLDER}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Loading, through each entry point

export type Transport = 'deserialize text' | 'deserialize object' | 'LoadHandler' | 'http';
export const TRANSPORTS: readonly Transport[] = ['deserialize text', 'deserialize object', 'LoadHandler', 'http'];

/** The parts of a TF.js artifact, as an IOHandler's load() returns them. */
export function artifactOf(modelJson: unknown, bytes: Uint8Array): unknown {
  const parts = typeof modelJson === 'object' && modelJson !== null ? (modelJson as Record<string, unknown>) : {};
  const manifest = parts['weightsManifest'];
  const weightSpecs = Array.isArray(manifest)
    ? manifest.flatMap((group: unknown) => (group as { weights?: unknown } | null)?.weights ?? [])
    : manifest;
  return {
    modelTopology: parts['modelTopology'],
    weightSpecs,
    weightData: bytes.buffer,
    format: parts['format'],
    trainingConfig: parts['trainingConfig'],
  };
}

export interface LoadCase {
  readonly modelJson: unknown;
  readonly bytes: Uint8Array;
  readonly transport: Transport;
  readonly status?: number;
}

/**
 * Loads one generated file through its transport: a model or a ShadernetError, nothing fetched
 * outside the folder; a loaded model predicts (finite outputs or a typed error) and is disposed.
 */
export async function loadCase(
  what: string,
  { modelJson, bytes, transport, status = 200 }: LoadCase,
  engine: { gpu?: GpuContext },
): Promise<void> {
  const options = engine.gpu ? { gpu: engine.gpu } : { backend: 'cpu' as const };
  let server: ReturnType<typeof fakeServer> | undefined;
  // As text where the value has a JSON text (no BigInts; NaN becomes null, as in a real file).
  let text: string | undefined;
  try {
    text = JSON.stringify(modelJson);
  } catch {
    text = undefined;
  }
  const loaded = await outcome(
    `${transport}: ${what}`,
    async () => {
      switch (transport) {
        case 'deserialize text':
          return deserializeModel(text ?? modelJson, bytes, options);
        case 'deserialize object':
          return deserializeModel(modelJson, bytes, options);
        case 'LoadHandler':
          return loadModel({ load: async () => artifactOf(modelJson, bytes) }, options);
        case 'http': {
          server = fakeServer(text ?? '', bytes, status);
          return loadModel(MODEL_URL, { ...options, fetch: server.fetch });
        }
      }
    },
    engine.gpu ? { gpu: engine.gpu, timeoutMs: 10_000 } : {},
  );
  if (server) assertStayedInFolder(server.requested, what);
  if (!loaded.ok) return;
  const model = loaded.value;
  const inputs = (model.layers[0] as Dense | undefined)?.inputDim ?? (model.layers[1] as Dense | undefined)?.inputDim ?? 1;
  await outcome(
    `predict with the model of ${what}`,
    () => model.predict([new Array<number>(inputs).fill(0.5)]),
    engine.gpu ? { gpu: engine.gpu } : {},
  );
  model.dispose();
}
