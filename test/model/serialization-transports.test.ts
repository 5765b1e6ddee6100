/** saveModel / loadModel transports: file://, http(s), the browser handlers (localStorage, IndexedDB, downloads), custom handlers. */
import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UnsupportedError, ValueError } from '../../src/errors.js';
import { Dense } from '../../src/model/layers.js';
import { Sequential } from '../../src/model/sequential.js';
import { loadModel, MODEL_LIMITS, saveModel, type ModelArtifact, type SaveResult } from '../../src/model/serialization.js';
import { useGpu } from '../helpers/gpu.js';
import { clone, expectRejection, fixture, FIXTURE_BYTES, withGlobal, type Json } from '../helpers/model-files.js';
import { assertBitwiseEqual, circlesModels, circlesX, expectFixturePredictions, relu } from '../helpers/serialization.js';

const gpu = useGpu();
const { trainedModel } = circlesModels(gpu);

// ---------------------------------------------------------------------------------------------

describe('file:// (Node)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shadernet-save-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('saves model.json + model.weights.bin and loads them back (file or directory path)', async () => {
    const model = await trainedModel();
    try {
      const target = join(dir, 'nested', 'circles');
      const result = await saveModel(model, `file://${target}`);
      assert.deepEqual((await readdir(target)).sort(), ['model.json', 'model.weights.bin']);
      assert.deepEqual(result.files, [join(target, 'model.json'), join(target, 'model.weights.bin')]);
      assert.equal(result.modelArtifactsInfo.weightDataBytes, 4 * model.countParams());
      const onDisk = JSON.parse(await readFile(join(target, 'model.json'), 'utf8')) as Json;
      assert.deepEqual((onDisk['weightsManifest'] as Json[])[0]!['paths'], ['model.weights.bin']);
      const expected = await model.predict(circlesX);
      for (const source of [`file://${join(target, 'model.json')}`, `file://${target}`]) {
        const loaded = await loadModel(source, { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [expected], `predictions from ${source}`);
        assert.equal(loaded.optimizer?.learningRate, 0.01);
        loaded.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  test('model.save() is saveModel(): the public method writes the same artifact', async () => {
    const model = await trainedModel();
    try {
      const target = join(dir, 'via-method');
      await model.save(`file://${target}`);
      const loaded = await loadModel(`file://${target}`, { gpu: gpu() });
      assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions after model.save');
      loaded.dispose();
    } finally {
      model.dispose();
    }
  });

  test('TF.js-converter shards are concatenated; missing files and escaping paths are refused', async () => {
    const json = await fixture('tfjs-4.22-dense.json');
    const sharded = clone(json);
    (sharded['weightsManifest'] as Json[])[0]!['paths'] = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    const shardDir = join(dir, 'sharded');
    await rm(shardDir, { recursive: true, force: true });
    await mkdir(shardDir);
    await writeFile(join(shardDir, 'model.json'), JSON.stringify(sharded));
    await writeFile(join(shardDir, 'group1-shard1of2.bin'), new Uint8Array(FIXTURE_BYTES.slice(0, 40)));
    await writeFile(join(shardDir, 'group1-shard2of2.bin'), new Uint8Array(FIXTURE_BYTES.slice(40)));
    const model = await loadModel(`file://${shardDir}/model.json`, { gpu: gpu() });
    await expectFixturePredictions(model, relu);
    model.dispose();

    await rm(join(shardDir, 'group1-shard2of2.bin'));
    await expectRejection(() => loadModel(`file://${shardDir}`, { gpu: gpu() }), ValueError, /group1-shard2of2.bin.*not found/);
    const escaping = clone(json);
    (escaping['weightsManifest'] as Json[])[0]!['paths'] = ['../secret.bin'];
    await writeFile(join(shardDir, 'model.json'), JSON.stringify(escaping));
    await expectRejection(() => loadModel(`file://${shardDir}`, { gpu: gpu() }), ValueError, /'..\/secret.bin'.*without '..'/);
    await expectRejection(() => loadModel(`file://${join(dir, 'absent')}`, { gpu: gpu() }), ValueError, /absent: not found/);
    await writeFile(join(shardDir, 'model.json'), 'not json');
    await expectRejection(() => loadModel(`file://${shardDir}`, { gpu: gpu() }), ValueError, /not valid JSON/);
  });
});

describe('http(s) URLs', () => {
  let server: Server;
  let origin: string;
  const files = new Map<string, Uint8Array | string>();
  before(async () => {
    server = createServer((request, response) => {
      const body = files.get(request.url ?? '');
      if (body === undefined) {
        response.writeHead(404, 'Not Found').end();
        return;
      }
      response.writeHead(200, { 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('model.json by URL, weights fetched relative to it', async () => {
    const json = await fixture('tfjs-4.22-dense.json');
    files.set('/models/net/model.json', JSON.stringify(json));
    files.set('/models/net/model.weights.bin', new Uint8Array(FIXTURE_BYTES));
    const model = await loadModel(`${origin}/models/net/model.json`, { gpu: gpu() });
    await expectFixturePredictions(model, relu);
    model.dispose();
    await expectRejection(() => loadModel(`${origin}/models/none/model.json`, { gpu: gpu() }), ValueError, /HTTP 404/);
    const foreign = clone(json);
    (foreign['weightsManifest'] as Json[])[0]!['paths'] = ['https://elsewhere.example/w.bin'];
    files.set('/models/foreign/model.json', JSON.stringify(foreign));
    await expectRejection(() => loadModel(`${origin}/models/foreign/model.json`, { gpu: gpu() }), ValueError, /another origin/);
    files.set('/models/big/model.json', ' '.repeat(MODEL_LIMITS.modelJsonBytes + 10));
    await expectRejection(
      () => loadModel(`${origin}/models/big/model.json`, { gpu: gpu() }),
      ValueError,
      /over the limit of 10485760 bytes/,
    );
  });
});

describe('browser handlers', () => {
  test('in Node they refuse with an UnsupportedError', async () => {
    const model = new Sequential({ gpu: gpu(), seed: 1 });
    model.add(new Dense({ units: 1, inputDim: 2 }));
    try {
      await expectRejection(() => saveModel(model, 'localstorage://m'), UnsupportedError, /localStorage/);
      await expectRejection(() => saveModel(model, 'indexeddb://m'), UnsupportedError, /IndexedDB/);
      await expectRejection(() => saveModel(model, 'downloads://m'), UnsupportedError, /browser page/);
      await expectRejection(() => loadModel('localstorage://m'), UnsupportedError, /localStorage/);
      await expectRejection(() => loadModel('indexeddb://m'), UnsupportedError, /IndexedDB/);
      await expectRejection(() => saveModel(model, 'https://example.com/upload'), UnsupportedError, /SaveHandler/);
      await expectRejection(() => saveModel(model, 'ftp://x'), ValueError, /Unknown save destination/);
      await expectRejection(() => loadModel('model.json'), ValueError, /Unknown model source/);
    } finally {
      model.dispose();
    }
  });

  class MemoryStorage {
    readonly items = new Map<string, string>();
    quota = Number.POSITIVE_INFINITY;
    get length(): number {
      return this.items.size;
    }
    key(i: number): string | null {
      return [...this.items.keys()][i] ?? null;
    }
    getItem(k: string): string | null {
      return this.items.get(k) ?? null;
    }
    setItem(k: string, v: string): void {
      if (v.length > this.quota) throw new Error('QuotaExceededError');
      this.items.set(k, String(v));
    }
    removeItem(k: string): void {
      this.items.delete(k);
    }
    clear(): void {
      this.items.clear();
    }
  }

  test("localstorage:// round trip in TF.js's key layout; quota errors clean up", async () => {
    const storage = new MemoryStorage();
    const model = await trainedModel();
    try {
      await withGlobal('localStorage', storage, async () => {
        await saveModel(model, 'localstorage://demo/circles');
        assert.deepEqual([...storage.items.keys()].sort(), [
          'tensorflowjs_models/demo/circles/info',
          'tensorflowjs_models/demo/circles/model_metadata',
          'tensorflowjs_models/demo/circles/model_topology',
          'tensorflowjs_models/demo/circles/weight_data',
          'tensorflowjs_models/demo/circles/weight_specs',
        ]);
        const loaded = await loadModel('localstorage://demo/circles', { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions');
        assert.equal(loaded.optimizer?.learningRate, 0.01);
        loaded.dispose();
        await expectRejection(
          () => loadModel('localstorage://nothing', { gpu: gpu() }),
          ValueError,
          /no model at localstorage:\/\/nothing/,
        );
        storage.setItem('tensorflowjs_models/demo/circles/weight_data', '!!!');
        await expectRejection(() => loadModel('localstorage://demo/circles', { gpu: gpu() }), ValueError, /not valid base64/);
        storage.clear();
        storage.quota = 100;
        await expectRejection(() => saveModel(model, 'localstorage://big'), UnsupportedError, /use indexeddb:\/\/big/);
        assert.equal(storage.length, 0, 'a failed save leaves nothing behind');
      });
    } finally {
      model.dispose();
    }
  });

  test('indexeddb:// round trip (a minimal in-memory IndexedDB)', async () => {
    const model = await trainedModel();
    const databases = new Map<string, Map<string, Map<unknown, unknown>>>();
    const later = (f: () => void): void => void setTimeout(f, 0);
    const factory = {
      open(name: string) {
        const request: Record<string, unknown> = { result: undefined, error: null };
        later(() => {
          const fresh = !databases.has(name);
          const stores = databases.get(name) ?? new Map<string, Map<unknown, unknown>>();
          databases.set(name, stores);
          const keyPaths = new Map<string, string>();
          const db = {
            objectStoreNames: { contains: (s: string) => stores.has(s) },
            createObjectStore: (s: string, options: { keyPath: string }) => {
              stores.set(s, new Map());
              keyPaths.set(s, options.keyPath);
            },
            transaction: () => {
              const tx: Record<string, unknown> = { error: null };
              later(() => (tx['oncomplete'] as () => void)());
              tx['objectStore'] = (s: string) => ({
                put: (value: Record<string, unknown>) => stores.get(s)!.set(value[keyPaths.get(s) ?? 'modelPath'], structuredClone(value)),
                get: (key: unknown) => ({ result: structuredClone(stores.get(s)!.get(key)) }),
              });
              return tx;
            },
            close: () => undefined,
          };
          for (const s of stores.keys()) keyPaths.set(s, 'modelPath');
          request['result'] = db;
          if (fresh) (request['onupgradeneeded'] as () => void)();
          (request['onsuccess'] as () => void)();
        });
        return request;
      },
    };
    try {
      await withGlobal('indexedDB', factory, async () => {
        const saved: SaveResult = await saveModel(model, 'indexeddb://circles');
        assert.equal(saved.modelArtifactsInfo.modelTopologyType, 'JSON');
        assert.deepEqual([...databases.get('tensorflowjs')!.keys()].sort(), ['model_info_store', 'models_store']);
        const loaded = await loadModel('indexeddb://circles', { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions');
        loaded.dispose();
        await expectRejection(() => loadModel('indexeddb://other', { gpu: gpu() }), ValueError, /no model at indexeddb:\/\/other/);
      });
    } finally {
      model.dispose();
    }
  });

  test('downloads:// makes two downloads that load back as user-picked files', async () => {
    const model = await trainedModel();
    const clicks: { download: string; href: string }[] = [];
    const document = {
      createElement: () => {
        const anchor = {
          download: '',
          href: '',
          click: () => clicks.push({ download: anchor.download, href: anchor.href }),
          remove: () => undefined,
        };
        return anchor;
      },
      body: { appendChild: () => undefined },
    };
    try {
      await withGlobal('document', document, async () => {
        await saveModel(model, 'downloads://circles-net');
      });
      assert.deepEqual(
        clicks.map((c) => c.download),
        ['circles-net.json', 'circles-net.weights.bin'],
      );
      const blobs = clicks.map((c) => resolveObjectURL(c.href));
      assert.ok(blobs[0] && blobs[1], 'the Blob URLs are alive');
      const jsonText = await blobs[0].text();
      assert.deepEqual(((JSON.parse(jsonText) as Json)['weightsManifest'] as Json[])[0]!['paths'], ['./circles-net.weights.bin']);
      const picked = [new File([await blobs[1].arrayBuffer()], 'circles-net.weights.bin'), new File([jsonText], 'circles-net.json')];
      const loaded = await loadModel(picked, { gpu: gpu() });
      assertBitwiseEqual([await loaded.predict(circlesX)], [await model.predict(circlesX)], 'predictions');
      loaded.dispose();
      await expectRejection(
        () => loadModel([picked[1]!], { gpu: gpu() }),
        ValueError,
        /'circles-net.weights.bin' named in circles-net.json is not among the chosen files/,
      );
      await expectRejection(() => loadModel([picked[0]!], { gpu: gpu() }), ValueError, /is a model.json/);
    } finally {
      model.dispose();
    }
  });
});

describe('custom handlers and in-memory sources', () => {
  test('a SaveHandler receives TF.js-shaped artifacts; a LoadHandler may return TF.js ModelArtifacts', async () => {
    const model = await trainedModel();
    let captured: ModelArtifact | undefined;
    try {
      const result = await saveModel(model, {
        save: async (artifact) => {
          captured = artifact;
          return {
            modelArtifactsInfo: {
              dateSaved: new Date(),
              modelTopologyType: 'JSON',
              modelTopologyBytes: 0,
              weightSpecsBytes: 0,
              weightDataBytes: artifact.weightData.byteLength,
            },
          };
        },
      });
      assert.equal(result.modelArtifactsInfo.weightDataBytes, 4 * model.countParams());
      const artifact = captured!;
      assert.equal(artifact.format, 'layers-model');
      assert.equal(artifact.modelTopology, artifact.modelJson.modelTopology);
      assert.deepEqual(artifact.weightSpecs, artifact.modelJson.weightsManifest[0]!.weights);
      // TF.js ModelArtifacts, weightData split in two buffers as TF.js 4.x may hand it.
      const tfjsArtifacts = {
        modelTopology: JSON.parse(JSON.stringify(artifact.modelTopology)) as unknown,
        weightSpecs: artifact.weightSpecs,
        weightData: [artifact.weightData.slice(0, 20), artifact.weightData.slice(20)],
        format: 'layers-model',
        trainingConfig: artifact.trainingConfig,
      };
      const expected = await model.predict(circlesX);
      for (const source of [
        { load: async () => tfjsArtifacts },
        { load: async () => artifact },
        { modelJson: artifact.modelJson, weightData: artifact.weightData },
      ]) {
        const loaded = await loadModel(source, { gpu: gpu() });
        assertBitwiseEqual([await loaded.predict(circlesX)], [expected], 'predictions');
        loaded.dispose();
      }
      await expectRejection(
        () => loadModel({ load: async () => ({ modelTopology: artifact.modelTopology }) }, { gpu: gpu() }),
        ValueError,
        /no weights/,
      );
      await expectRejection(() => loadModel(42 as unknown as string), ValueError, /loadModel source must be/);
    } finally {
      model.dispose();
    }
  });
});
