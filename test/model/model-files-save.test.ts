/** save() never writes what loadModel() refuses: random valid models round-trip, and unloadable names are refused at save time (CPU backend). */
import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ShadernetError, ValueError } from '../../src/errors.js';
import { Dense } from '../../src/model/layers.js';
import { Sequential } from '../../src/model/sequential.js';
import { loadModel, MODEL_LIMITS, serializeModel } from '../../src/model/serialization.js';
import {
  clone,
  configOf,
  expectRejection,
  LONGEST_LAYER_NAME,
  manifestWeights,
  randomModel,
  randomSource,
  saveToMemory,
  withGlobal,
  type ErrorClass,
  type Json,
} from '../helpers/model-files.js';

// ---------------------------------------------------------------------------------------------

async function caught(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected an error');
}

describe('save() never writes what loadModel() refuses', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shadernet-names-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('random valid models: save → load gives the same model (and the same file again)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const model = randomModel(randomSource(seed));
      const artifact = await saveToMemory(model);
      const loaded = await loadModel(
        { modelJson: JSON.stringify(artifact.modelJson), weightData: artifact.weightData },
        { backend: 'cpu' },
      );
      const again = await serializeModel(loaded);
      assert.deepEqual(again.modelJson, artifact.modelJson, `seed ${seed}: the reloaded model saves the same model.json`);
      assert.deepEqual(new Uint8Array(again.weightData), new Uint8Array(artifact.weightData), `seed ${seed}: same weight bytes`);
      if (seed % 10 === 0) {
        const target = join(dir, `random-${seed}`);
        await model.save(`file://${target}`);
        const fromFile = await loadModel(`file://${target}`, { backend: 'cpu' });
        assert.deepEqual((await serializeModel(fromFile)).modelJson, artifact.modelJson, `seed ${seed}: file:// round trip`);
        fromFile.dispose();
      }
      model.dispose();
      loaded.dispose();
    }
  });

  const modelNamed = (modelName: unknown, layerName: unknown): Sequential => {
    const model = new Sequential({ backend: 'cpu', seed: 1, name: modelName as string });
    model.add(new Dense({ units: 3, activation: 'relu', inputDim: 2, name: layerName as string }));
    model.add(new Dense({ units: 1, activation: 'sigmoid', name: 'out' }));
    return model;
  };

  test('downloads://: a file name the loader could not read back is refused before anything downloads', async () => {
    const downloads: string[] = [];
    const page = {
      createElement: () => {
        const anchor = { download: '', href: '', click: () => downloads.push(anchor.download), remove: () => undefined };
        return anchor;
      },
      body: { appendChild: () => undefined },
    };
    const model = modelNamed('net', 'hidden');
    try {
      await withGlobal('document', page, async () => {
        for (const prefix of ['50%', 'model#2', 'what?', 'tab\there']) {
          await expectRejection(() => model.save(`downloads://${prefix}`), ValueError, /weights path/);
        }
        assert.deepEqual(downloads, []);
        await model.save('downloads://C:');
        assert.deepEqual(downloads, ['C:.json', 'C:.weights.bin']);
      });
    } finally {
      model.dispose();
    }
  });

  const REFUSED: readonly { readonly what: string; readonly modelName?: unknown; readonly layerName?: unknown }[] = [
    { what: 'a model name over the limit', modelName: 'm'.repeat(MODEL_LIMITS.nameLength + 1) },
    { what: 'a numeric model name', modelName: 42 },
    { what: 'an empty model name', modelName: '' },
    { what: 'a layer name over the limit', layerName: 'd'.repeat(MODEL_LIMITS.nameLength + 1) },
    { what: 'a layer name whose weight names pass the limit', layerName: 'd'.repeat(LONGEST_LAYER_NAME + 1) },
    { what: 'a numeric layer name', layerName: 7 },
    { what: 'an empty layer name', layerName: '' },
  ];

  for (const { what, modelName, layerName } of REFUSED) {
    test(`${what}: refused when the model is made, and by save before any I/O with the error loading such a file gives`, async () => {
      // The constructors check names with the loader's rule: such a model cannot be made.
      assert.throws(() => modelNamed(modelName ?? 'net', layerName ?? 'hidden'), ValueError);
      // A name changed after construction (bypassing that check) is refused by save.
      const target = join(dir, `refused-${what.replace(/\W+/g, '-')}`);
      const model = modelNamed('net', 'hidden');
      if (modelName !== undefined) Object.defineProperty(model, 'name', { value: modelName });
      const first = model.layers[0];
      if (layerName !== undefined && first) Object.defineProperty(first, 'name', { value: layerName });
      const saveError = await caught(() => model.save(`file://${target}`));
      await assert.rejects(access(target), 'nothing was written');
      model.dispose();

      // The same model with valid names, its file edited to hold the refused name.
      const template = modelNamed('net', 'hidden');
      const artifact = await serializeModel(template);
      template.dispose();
      const edited = clone(artifact.modelJson) as unknown as Json;
      if (modelName !== undefined) ((edited['modelTopology'] as Json)['config'] as Json)['name'] = modelName;
      if (layerName !== undefined) {
        configOf(edited, 0)['name'] = layerName;
        for (const weight of manifestWeights(edited)) weight['name'] = String(weight['name']).replace(/^hidden\//, `${String(layerName)}/`);
      }
      const loadError = await caught(() =>
        loadModel({ modelJson: JSON.stringify(edited), weightData: artifact.weightData }, { backend: 'cpu' }),
      );
      assert.ok(loadError instanceof ShadernetError, `load: ${String(loadError)}`);
      assert.equal(saveError.constructor as ErrorClass, loadError.constructor as ErrorClass, `save: ${String(saveError)}`);
      assert.equal(saveError.message, loadError.message);
    });
  }
});
