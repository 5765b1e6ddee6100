import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { Dense } from '../../src/model/layers.js';
import { Sequential } from '../../src/model/sequential.js';
import { deserializeModel, loadModel, serializeModel } from '../../src/model/serialization.js';

/** A small built model on the CPU engine (no GPU needed: saving reads its weights). */
function smallModel(compiled: boolean): Sequential {
  const model = new Sequential({ backend: 'cpu', seed: 1 });
  model.add(new Dense({ units: 3, activation: 'tanh', inputDim: 7 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  if (compiled) model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  return model;
}

const features = ['x1', 'x2', 'x1_sq', 'x2_sq', 'x1_x2', 'sin_x1', 'sin_x2'];

test('metadata round trip: model.save(dest, { metadata }) → model.json userDefinedMetadata → loadModel → model.metadata', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shadernet-metadata-'));
  const model = smallModel(true);
  try {
    const metadata = { features, note: 'ünïcode', nested: { n: 1.5, flags: [true, false, null] } };
    await model.save(`file://${dir}`, { metadata });
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { userDefinedMetadata: Record<string, unknown> };
    // TF.js's field, the user's keys beside shadernet's own.
    assert.deepEqual(json.userDefinedMetadata, { ...metadata, shadernet: { fromLogits: false } });
    const loaded = await loadModel(`file://${dir}`, { backend: 'cpu' });
    try {
      assert.deepEqual(loaded.metadata, metadata, 'shadernet key left out');
      assert.equal((await loaded.getWeights())[0]!.length, 21, '7 inputs × 3 units');
      // Saved again without options: the loaded model's metadata travels on.
      const again = await serializeModel(loaded);
      assert.deepEqual(again.modelJson.userDefinedMetadata, json.userDefinedMetadata);
    } finally {
      loaded.dispose();
    }
  } finally {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test('no metadata: files stay as they were (none for an uncompiled model), model.metadata is undefined', async () => {
  const model = smallModel(false);
  try {
    const artifact = await serializeModel(model);
    assert.equal('userDefinedMetadata' in artifact.modelJson, false);
    const withMeta = await serializeModel(model, { metadata: { features: ['x1'] } });
    assert.deepEqual(withMeta.modelJson.userDefinedMetadata, { features: ['x1'] });
    const loaded = deserializeModel(artifact.modelJson, artifact.weightData, { backend: 'cpu' });
    assert.equal(loaded.metadata, undefined);
    loaded.dispose();
  } finally {
    model.dispose();
  }
});

test('save refuses metadata that is not a JSON object within the limits, with a ValueError, and the model stays usable', async () => {
  const model = smallModel(true);
  try {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: unknown[] = [
      [1, 2],
      'features',
      3,
      () => 1,
      cyclic,
      { big: 10n },
      { shadernet: { fromLogits: true } },
      { text: 'x'.repeat(2 ** 20) },
    ];
    for (const metadata of bad) {
      await assert.rejects(
        serializeModel(model, { metadata: metadata as Record<string, never> }),
        (e: unknown) => e instanceof ValueError && /metadata must be a JSON object/.test(e.message),
      );
    }
    // JSON's rules for the rest: a Date is its ISO text, NaN is null, functions are left out.
    const coerced = await serializeModel(model, {
      metadata: { when: new Date(0), nan: Number.NaN, f: () => 1 } as unknown as Record<string, never>,
    });
    assert.deepEqual(coerced.modelJson.userDefinedMetadata, {
      when: '1970-01-01T00:00:00.000Z',
      nan: null,
      shadernet: { fromLogits: false },
    });
    assert.equal((await model.predict([[1, 2, 3, 4, 5, 6, 7]])).length, 1);
  } finally {
    model.dispose();
  }
});

test('loading refuses metadata that is not JSON data (own keys), over 1 MiB, or not an object, with a ValueError', async () => {
  const model = smallModel(true);
  try {
    const artifact = await serializeModel(model);
    // In memory (a LoadHandler's artifacts), anything can come: only JSON data passes.
    const { modelJson: _json, ...parts } = artifact; // TF.js ModelArtifacts: the parts without model.json
    const load = (userDefinedMetadata: unknown) =>
      loadModel({ load: () => Promise.resolve({ ...parts, userDefinedMetadata }) }, { backend: 'cpu' });
    await assert.rejects(
      load({ features: [new Map()] }),
      (e: unknown) => e instanceof ValueError && /userDefinedMetadata\.features\[0\] must be JSON data/.test(e.message),
    );
    await assert.rejects(
      load({ f: () => 1 }),
      (e: unknown) => e instanceof ValueError && /userDefinedMetadata\.f must be JSON data/.test(e.message),
    );
    await assert.rejects(load({ n: Infinity }), ValueError);
    await assert.rejects(load(['x1']), ValueError);
    await assert.rejects(load('x1'), ValueError);
    await assert.rejects(load({ text: 'x'.repeat(2 ** 20) }), (e: unknown) => e instanceof ValueError && /1 MiB/.test(e.message));
    // Inherited keys are not read; a '__proto__' key from JSON text is data.
    const inherited = Object.create({ features: ['x1'] }) as Record<string, unknown>;
    const loaded = await load(inherited);
    assert.equal(loaded.metadata, undefined);
    loaded.dispose();
    const text = JSON.stringify(artifact.modelJson).replace(
      '"userDefinedMetadata":{',
      '"userDefinedMetadata":{"__proto__":{"polluted":1},"features":["x1"],',
    );
    const fromText = deserializeModel(text, artifact.weightData, { backend: 'cpu' });
    assert.deepEqual(Object.keys(fromText.metadata!), ['__proto__', 'features']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    fromText.dispose();
  } finally {
    model.dispose();
  }
});
