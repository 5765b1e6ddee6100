/** Weights never come from outside model.json's folder, and file:// errors are typed and name the path (CPU backend). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { Dense } from '../../src/model/layers.js';
import { Sequential } from '../../src/model/sequential.js';
import { loadModel } from '../../src/model/serialization.js';
import { clone, expectRejection, fixture, FIXTURE_BYTES, type Json } from '../helpers/model-files.js';
import { assertFixtureWeights } from '../helpers/model-files.js';

let json: Json;
before(async () => {
  json = await fixture('tfjs-4.22-dense.json');
});

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------

/** Paths that leave model.json's folder, or could mean different files to different resolvers. */
const ESCAPING_PATHS = [
  '../../secret.bin',
  '../secret.bin',
  '%2e%2e/%2e%2e/secret.bin',
  '.%2E/secret.bin',
  '%2E./secret.bin',
  'shards/../../secret.bin',
  'shards/%2e%2e/%2e%2e/secret.bin',
  'shards%2F..%2F..%2Fsecret.bin',
  '..\\secret.bin',
  'shards\\w.bin',
  '%5C..%5Csecret.bin',
  '/secret.bin',
  '//evil.example/secret.bin',
  'https://models.example/secret.bin',
  'C:/secret.bin',
  'file:///etc/passwd',
  'shards//w.bin',
  'shards/./w.bin',
  'shards/',
  '.',
  'w.bin?x=1',
  'w.bin#x',
  'w.bin\u0000.txt',
  'w.bin%00',
  'w%zz.bin',
];

describe('weights paths stay beside model.json', () => {
  const MODEL_URL = 'https://models.example/a/b/model.json';

  /** A fetch that serves the model and, for any other URL, the fixture's bytes (so an escape would load). */
  function fakeServer(modelJson: Json): { fetch: (input: string) => Promise<Response>; requested: string[] } {
    const requested: string[] = [];
    return {
      requested,
      fetch: async (input: string) => {
        requested.push(input);
        return new Response(input === MODEL_URL ? JSON.stringify(modelJson) : new Uint8Array(FIXTURE_BYTES));
      },
    };
  }
  const withPaths = (paths: readonly string[]): Json => {
    const j = clone(json);
    (j['weightsManifest'] as Json[])[0]!['paths'] = [...paths];
    return j;
  };

  test('http(s): escaping paths are refused before anything is fetched', async () => {
    for (const path of ESCAPING_PATHS) {
      const server = fakeServer(withPaths([path]));
      await expectRejection(() => loadModel(MODEL_URL, { fetch: server.fetch, backend: 'cpu' }), ValueError, /weights path/);
      assert.deepEqual(server.requested, [MODEL_URL], `only model.json was fetched for '${path}'`);
    }
  });

  test("http(s): plain names and subfolders load from model.json's folder", async () => {
    const cases: readonly [string, string][] = [
      ['model.weights.bin', 'https://models.example/a/b/model.weights.bin'],
      ['./model.weights.bin', 'https://models.example/a/b/model.weights.bin'],
      ['shards/group1-shard1of1.bin', 'https://models.example/a/b/shards/group1-shard1of1.bin'],
      ['my%20weights.bin', 'https://models.example/a/b/my%20weights.bin'],
      ['my weights.bin', 'https://models.example/a/b/my%20weights.bin'],
      ['gewichte-ü.bin', 'https://models.example/a/b/gewichte-%C3%BC.bin'],
    ];
    for (const [path, url] of cases) {
      const server = fakeServer(withPaths([path]));
      const model = await loadModel(MODEL_URL, { fetch: server.fetch, backend: 'cpu' });
      await assertFixtureWeights(model);
      model.dispose();
      assert.deepEqual(server.requested, [MODEL_URL, url]);
    }
  });

  test('http(s): a weights response redirected to another origin is refused; a same-origin redirect loads', async () => {
    /** A fetch whose weights response reports `finalUrl` as where it came from (fetch follows redirects). */
    const redirectingFetch =
      (finalUrl: string) =>
      async (input: string): Promise<Response> => {
        if (input === MODEL_URL) return new Response(JSON.stringify(json));
        const response = new Response(new Uint8Array(FIXTURE_BYTES));
        Object.defineProperty(response, 'url', { value: finalUrl });
        return response;
      };
    await expectRejection(
      () => loadModel(MODEL_URL, { fetch: redirectingFetch('https://elsewhere.example/a/b/model.weights.bin'), backend: 'cpu' }),
      ValueError,
      /was redirected to https:\/\/elsewhere\.example\/a\/b\/model\.weights\.bin, on another origin than model\.json \(https:\/\/models\.example\)/,
    );
    await expectRejection(
      () => loadModel(MODEL_URL, { fetch: redirectingFetch('http://models.example/a/b/model.weights.bin'), backend: 'cpu' }),
      ValueError,
      /another origin/,
    );
    const model = await loadModel(MODEL_URL, {
      fetch: redirectingFetch('https://models.example/cdn/v2/model.weights.bin'),
      backend: 'cpu',
    });
    await assertFixtureWeights(model);
    model.dispose();
  });

  describe('file://', () => {
    let root: string;
    let modelDir: string;
    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'shadernet-paths-'));
      modelDir = join(root, 'model');
      await mkdir(join(root, 'outside'), { recursive: true });
      await mkdir(join(modelDir, 'shards'), { recursive: true });
      // Outside files hold valid weights, so following a link out would load without error.
      await writeFile(join(root, 'secret.bin'), new Uint8Array(FIXTURE_BYTES));
      await writeFile(join(root, 'outside', 'w.bin'), new Uint8Array(FIXTURE_BYTES));
      await writeFile(join(modelDir, 'model.weights.bin'), new Uint8Array(FIXTURE_BYTES));
      await writeFile(join(modelDir, 'shards', 'w.bin'), new Uint8Array(FIXTURE_BYTES));
      await symlink(join(root, 'secret.bin'), join(modelDir, 'link.bin'));
      await symlink('../secret.bin', join(modelDir, 'relative-link.bin'));
      await symlink(join(root, 'outside'), join(modelDir, 'linked-dir'));
      await symlink('model.weights.bin', join(modelDir, 'alias.bin'));
      await symlink(modelDir, join(root, 'model-link'));
    });
    after(async () => {
      await rm(root, { recursive: true, force: true });
    });
    const writeModel = (paths: readonly string[]): Promise<void> =>
      writeFile(join(modelDir, 'model.json'), JSON.stringify(withPaths(paths)));

    test("symlinks to a file or a folder outside the model's folder are refused", async () => {
      for (const path of ['link.bin', 'relative-link.bin', 'linked-dir/w.bin']) {
        await writeModel([path]);
        await expectRejection(
          () => loadModel(`file://${modelDir}`, { backend: 'cpu' }),
          ValueError,
          new RegExp(`weights path '${path}'.*outside`),
        );
      }
    });

    test('escaping paths are refused by the same rule as for http(s)', async () => {
      for (const path of ESCAPING_PATHS) {
        await writeModel([path]);
        await expectRejection(() => loadModel(`file://${modelDir}`, { backend: 'cpu' }), ValueError, /weights path/);
      }
    });

    test('plain names, subfolders, links inside the folder and a linked model folder load', async () => {
      for (const path of ['model.weights.bin', './model.weights.bin', 'shards/w.bin', 'alias.bin']) {
        await writeModel([path]);
        for (const location of [modelDir, join(root, 'model-link'), join(root, 'model-link', 'model.json')]) {
          const model = await loadModel(`file://${location}`, { backend: 'cpu' });
          await assertFixtureWeights(model);
          model.dispose();
        }
      }
    });
  });

  test('picked files: the same rule (a path naming another folder is refused even if its base name was picked)', async () => {
    const picked = (name: string, bytes: Uint8Array | string) => ({
      name,
      size: typeof bytes === 'string' ? bytes.length : bytes.byteLength,
      text: async () => (typeof bytes === 'string' ? bytes : ''),
      arrayBuffer: async () => (typeof bytes === 'string' ? new ArrayBuffer(0) : bytes.slice().buffer),
    });
    for (const path of ['../secret.bin', 'C:/secret.bin', '%2e%2e/secret.bin']) {
      const files = [picked('model.json', JSON.stringify(withPaths([path]))), picked('secret.bin', new Uint8Array(FIXTURE_BYTES))];
      await expectRejection(() => loadModel(files, { backend: 'cpu' }), ValueError, /weights path/);
    }
    const files = [
      picked('model.json', JSON.stringify(withPaths(['./model.weights.bin']))),
      picked('model.weights.bin', new Uint8Array(FIXTURE_BYTES)),
    ];
    const model = await loadModel(files, { backend: 'cpu' });
    await assertFixtureWeights(model);
    model.dispose();
  });
});

// ---------------------------------------------------------------------------------------------

describe('file:// errors are typed and name the path', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shadernet-fs-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const smallModel = (): Sequential => {
    const model = new Sequential({ backend: 'cpu', seed: 1 });
    model.add(new Dense({ units: 1, inputDim: 2 }));
    return model;
  };

  test('saving onto an existing file, or below one', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const model = smallModel();
    try {
      await expectRejection(() => model.save(`file://${file}`), ValueError, new RegExp(`Cannot save to file://${file}: .*not a directory`));
      await expectRejection(() => model.save(`file://${join(file, 'sub')}`), ValueError, new RegExp(`file://${file}.*not a directory`));
    } finally {
      model.dispose();
    }
  });

  test('loading a weights path that is a folder or a FIFO (refused at once, not waited on)', async () => {
    const modelDir = join(dir, 'folder-weights');
    await mkdir(join(modelDir, 'model.weights.bin'), { recursive: true });
    await writeFile(join(modelDir, 'model.json'), JSON.stringify(json));
    await expectRejection(() => loadModel(`file://${modelDir}`, { backend: 'cpu' }), ValueError, /model.weights.bin.*not a regular file/);
    if (process.platform === 'win32') return;
    await rm(join(modelDir, 'model.weights.bin'), { recursive: true });
    execFileSync('mkfifo', [join(modelDir, 'model.weights.bin')]);
    await expectRejection(() => loadModel(`file://${modelDir}`, { backend: 'cpu' }), ValueError, /model.weights.bin.*not a regular file/);
  });
});
