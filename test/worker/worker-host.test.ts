/**
 * One worker serving several models (what WorkerHost does in a browser): the page sends
 * `connect` notices, each carrying a port on which the worker serves one more model. Here the
 * "worker" is serveModel on a MessageChannel in this thread, on WebGPU (the process's default
 * GPU, as a worker's models share theirs): pipelines compiled for one model (by warm) serve the
 * next. The browser with a real Worker is e2e/worker.spec.ts and the playground's e2e.
 */
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { after, describe, test } from 'node:test';
import {
  Dense,
  makeCircles,
  Sequential,
  serveModel,
  UnsupportedError,
  WorkerHost,
  WorkerModel,
  type MatrixLike,
  type MessageEndpoint,
} from '../../src/index.js';
import { defaultGpu } from '../../src/gpu/default.js';
import type { Notice } from '../../src/worker/protocol.js';

type Port = MessageEndpoint & { start(): void; close(): void };
const asPort = (port: MessagePort): Port => port as unknown as Port;

const circles = makeCircles({ nSamples: 120, factor: 0.3, noise: 0.05, randomState: 5 });
const x: MatrixLike = { data: circles.x, shape: [circles.nSamples, 2] };

function build(seed: number, units: number): Sequential {
  const model = new Sequential({ seed, backend: 'cpu' });
  model.add(new Dense({ units, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe('one worker, several models', () => {
  // The worker's global scope: serveModel on one end of a channel; `connect` notices go to the other end.
  const scope = new MessageChannel();
  serveModel(asPort(scope.port2));
  after(async () => {
    scope.port1.close();
    scope.port2.close();
    (await defaultGpu()).dispose(); // the worker side's device: the process exits without it
  });

  /** What WorkerHost.connect does: a new channel, one end sent to the worker in a `connect` notice. */
  function connect(): Port {
    const channel = new MessageChannel();
    const notice: Notice = { kind: 'connect', port: asPort(channel.port2) };
    scope.port1.postMessage(notice, [channel.port2]);
    return asPort(channel.port1);
  }

  test('models on connected ports share the device: pipelines warmed for one serve the next', async () => {
    const first = await WorkerModel.create(build(1, 16), { worker: connect(), backend: 'webgpu' });
    first.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    await first.warm();
    const warmed = first.stats().pipelines;
    assert.ok(warmed > 0, 'the worker compiled pipelines');
    assert.equal(first.backend, 'webgpu');
    first.dispose();

    // Other weights, the same kernels (a width with the same tiles): nothing left to compile on the shared device.
    const second = await WorkerModel.create(build(2, 16), { worker: connect(), backend: 'webgpu' });
    second.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await second.fit(x, circles.y, { epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.2 });
    assert.equal(history.history['loss']!.length, 2);
    assert.equal(second.stats().compileMs, 0, 'the first epoch did not compile');
    assert.equal(second.stats().pipelines, warmed, 'no new pipeline');
    second.dispose();
  });

  test('two models served at once answer independently', async () => {
    const [a, b] = await Promise.all([
      WorkerModel.create(build(3, 4), { worker: connect(), backend: 'cpu' }),
      WorkerModel.create(build(4, 6), { worker: connect(), backend: 'cpu' }),
    ]);
    assert.equal(a.countParams(), 4 * 3 + 5);
    const [pa, pb] = await Promise.all([a.predict(x), b.predict(x)]);
    assert.equal(pa.length, circles.nSamples);
    assert.notDeepEqual([...pa], [...pb], 'different models');
    a.dispose();
    assert.equal((await b.predict(x)).length, circles.nSamples, 'disposing one leaves the other served');
    b.dispose();
  });

  test('WorkerModel.warm checks its options', async () => {
    const model = await WorkerModel.create(build(5, 4), { worker: connect(), backend: 'cpu' });
    await assert.rejects(model.warm({ sampleWeight: 1 as unknown as boolean }), /sampleWeight must be true or false/);
    model.dispose();
  });
});

test('WorkerHost needs Web Workers (Node has none): a typed error', () => {
  assert.throws(() => WorkerHost.start(), UnsupportedError);
});
