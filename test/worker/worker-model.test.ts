/**
 * WorkerModel's protocol and compile-config transport, in Node: the page side (WorkerModel) and
 * the worker side (serveModel) talk through a real MessageChannel (structured clone and transfers
 * as between threads), the model runs on the CPU engine. The browser with a real Worker and
 * WebGPU is e2e/worker.spec.ts.
 */
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { describe, test } from 'node:test';
import {
  Adam,
  BinaryCrossentropy,
  Dense,
  DeviceLostError,
  EarlyStopping,
  ExponentialDecay,
  ReduceLROnPlateau,
  SGD,
  makeCircles,
  NonFiniteError,
  Sequential,
  serveModel,
  ShapeError,
  StateError,
  trainValidationSplit,
  UnsupportedError,
  ValueError,
  WebGPUUnavailableError,
  WorkerModel,
  type MatrixLike,
  type MessageEndpoint,
} from '../../src/index.js';
import { compileConfigOf, compileFromConfig } from '../../src/model/compile-config.js';
import { fromWireError, toWireError } from '../../src/worker/protocol.js';

const circles = makeCircles({ nSamples: 200, factor: 0.3, noise: 0.05, randomState: 2 });
const x: MatrixLike = { data: circles.x, shape: [circles.nSamples, 2] };

function build(seed: number, compile = true): Sequential {
  const model = new Sequential({ seed, backend: 'cpu', name: 'mlp' });
  model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  if (compile) model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** A WorkerModel whose "worker" is serveModel on the other port of a MessageChannel, in this thread. */
async function inChannel(source: Sequential): Promise<{ model: WorkerModel; serverPort: MessagePort }> {
  const { port1, port2 } = new MessageChannel();
  serveModel(port2 as unknown as MessageEndpoint & { close(): void });
  (port2 as unknown as { start(): void }).start();
  const model = await WorkerModel.create(source, { worker: port1 as unknown as MessageEndpoint & { close(): void }, backend: 'cpu' });
  return { model, serverPort: port2 as unknown as MessagePort };
}

describe('compile config (de)serialization', () => {
  test('round-trips optimizer hyperparameters, loss form and metrics', () => {
    const source = build(1, false);
    source.compile({
      optimizer: new Adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 }),
      loss: new BinaryCrossentropy({ fromLogits: false }),
      metrics: ['acc', 'binary_accuracy'],
    });
    const config = compileConfigOf(source)!;
    // Through structured clone, as it travels.
    const copy = structuredClone(config);
    const target = build(2, false);
    compileFromConfig(target, copy);
    assert.deepEqual(target.compileConfig!.optimizer.hyperparameters, {
      name: 'adam',
      learningRate: 0.02,
      beta1: 0.8,
      beta2: 0.95,
      epsilon: 1e-6,
    });
    assert.deepEqual(target.compileConfig!.metrics, ['acc', 'binary_accuracy']);
    assert.equal(target.compileConfig!.loss.fromLogits, false);
  });

  test('fromLogits survives (a linear output trained on logits)', () => {
    const source = new Sequential({ backend: 'cpu' });
    source.add(new Dense({ units: 1, activation: 'linear', inputDim: 2 }));
    source.compile({ optimizer: 'adam', loss: new BinaryCrossentropy({ fromLogits: true }) });
    const target = new Sequential({ backend: 'cpu' });
    target.add(new Dense({ units: 1, activation: 'linear', inputDim: 2 }));
    compileFromConfig(target, structuredClone(compileConfigOf(source)!));
    assert.equal(target.compileConfig!.loss.fromLogits, true);
  });

  test('an uncompiled model has none; a config that does not fit the model is a typed error', () => {
    assert.equal(compileConfigOf(build(1, false)), undefined);
    const config = compileConfigOf(build(1))!;
    const wide = new Sequential({ backend: 'cpu' });
    wide.add(new Dense({ units: 3, inputDim: 2 }));
    assert.throws(() => compileFromConfig(wide, config), UnsupportedError);
    const broken = {
      ...config,
      trainingConfig: {
        ...config.trainingConfig,
        optimizer_config: { class_name: 'Adam', config: { learningRate: -1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
      },
    };
    assert.throws(() => compileFromConfig(build(1, false), broken as never), ValueError);
  });
});

describe('error transport', () => {
  test('shadernet errors come back as the same classes with their fields', () => {
    const cases: Error[] = [
      new ShapeError('bad shape'),
      new ValueError('bad value'),
      new StateError('bad state'),
      new UnsupportedError('nope'),
      new WebGPUUnavailableError('no gpu'),
      new NonFiniteError('nan', 4, 'dense_1'),
      new DeviceLostError('lost', 'destroyed'),
    ];
    for (const error of cases) {
      const back = fromWireError(structuredClone(toWireError(error)));
      assert.equal(back.constructor, error.constructor, error.name);
      assert.equal(back.name, error.name);
      assert.equal(back.message, error.message);
    }
    const nonFinite = fromWireError(toWireError(new NonFiniteError('nan', 4, 'dense_1'))) as NonFiniteError;
    assert.equal(nonFinite.epoch, 4);
    assert.equal(nonFinite.layer, 'dense_1');
    assert.equal((fromWireError(toWireError(new DeviceLostError('lost', 'destroyed'))) as DeviceLostError).reason, 'destroyed');
    const other = fromWireError(toWireError(new RangeError('out of range')));
    assert.equal(other.name, 'RangeError');
    assert.equal(other.message, 'out of range');
  });
});

describe('WorkerModel over a MessageChannel (CPU engine)', () => {
  test('Node without an explicit worker: a typed error', async () => {
    await assert.rejects(WorkerModel.create(build(1)), UnsupportedError);
  });

  test('fit, evaluate, predict, getWeights match the same model trained here, exactly', async () => {
    const here = build(7);
    const { model } = await inChannel(build(7));
    try {
      assert.equal(model.countParams(), here.countParams());
      const options = { epochs: 3, batchSize: 16, seed: 5, verbose: 0 as const, validationSplit: 0.2 };
      const expected = await here.fit(x, circles.y, options);
      const history = await model.fit(x, circles.y, options);
      assert.deepEqual(history.history, expected.history);
      assert.deepEqual(history.epoch, [0, 1, 2]);
      assert.deepEqual(history.params, expected.params);
      assert.equal(model.backend, 'cpu');
      assert.equal(model.stats().steps, here.stats().steps);
      assert.deepEqual(await model.evaluate(x, circles.y), await here.evaluate(x, circles.y));
      assert.deepEqual(await model.evaluate(x, circles.y, { returnDict: false }), await here.evaluate(x, circles.y, { returnDict: false }));
      assert.deepEqual(await model.predict(x), await here.predict(x));
      assert.deepEqual(await model.predictLayers(x), await here.predictLayers(x));
      assert.deepEqual(await model.getWeights(), await here.getWeights());
      assert.equal(await model.summary({ print: () => {} }), here.summary({ print: () => {} }));
    } finally {
      model.dispose();
      here.dispose();
    }
  });

  test('ReduceLROnPlateau across the boundary: the same rates reach the worker, History records learning_rate', async () => {
    const here = build(12);
    const { model } = await inChannel(build(12));
    try {
      const options = () => ({
        epochs: 3,
        batchSize: 16,
        seed: 6,
        verbose: 0 as const,
        callbacks: [new ReduceLROnPlateau({ monitor: 'loss', patience: 1, minDelta: 10 })],
      });
      const expected = await here.fit(x, circles.y, options());
      const history = await model.fit(x, circles.y, options());
      assert.deepEqual(history.history, expected.history);
      assert.equal(history.history['learning_rate']!.length, 3);
      assert.deepEqual(await model.getWeights(), await here.getWeights());
    } finally {
      model.dispose();
      here.dispose();
    }
  });

  test('an optimizer with a learning-rate schedule trains in the worker exactly as here', async () => {
    const compileWith = (model: Sequential) =>
      model.compile({
        optimizer: new SGD({
          learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5 }),
          momentum: 0.9,
        }),
        loss: 'binary_crossentropy',
        metrics: ['accuracy'],
      });
    const here = build(11, false);
    compileWith(here);
    const source = build(11, false);
    compileWith(source);
    const { model } = await inChannel(source);
    try {
      const options = { epochs: 3, batchSize: 16, seed: 4, verbose: 0 as const };
      const expected = await here.fit(x, circles.y, options);
      const history = await model.fit(x, circles.y, options);
      assert.deepEqual(history.history, expected.history);
      assert.deepEqual(await model.getWeights(), await here.getWeights());
    } finally {
      model.dispose();
      here.dispose();
    }
  });

  test('EarlyStopping with restoreBestWeights works across the boundary as it does here', async () => {
    const here = build(9);
    const { model } = await inChannel(build(9));
    try {
      const options = (stopper: EarlyStopping) => ({
        epochs: 12,
        batchSize: 16,
        seed: 3,
        verbose: 0 as const,
        validationSplit: 0.25,
        callbacks: [stopper],
      });
      const stopHere = new EarlyStopping({ patience: 1, restoreBestWeights: true });
      const stopThere = new EarlyStopping({ patience: 1, restoreBestWeights: true });
      const expected = await here.fit(x, circles.y, options(stopHere));
      const history = await model.fit(x, circles.y, options(stopThere));
      assert.deepEqual(history.epoch, expected.epoch);
      assert.equal(stopThere.bestEpoch, stopHere.bestEpoch);
      assert.deepEqual(await model.getWeights(), await here.getWeights());
    } finally {
      model.dispose();
      here.dispose();
    }
  });

  test('callbacks run on this side in order with their logs; stopTraining from onBatchEnd stops after that batch', async () => {
    const { model } = await inChannel(build(3));
    try {
      const calls: string[] = [];
      let lastBatch = -1;
      const history = await model.fit(x, circles.y, {
        epochs: 3,
        batchSize: 50,
        seed: 1,
        verbose: 0,
        callbacks: [
          {
            onTrainBegin: () => void calls.push('trainBegin'),
            onEpochBegin: (epoch) => void calls.push(`epochBegin ${epoch}`),
            onEpochEnd: (epoch, logs) => void calls.push(`epochEnd ${epoch} ${Object.keys(logs).join(',')}`),
            onTrainEnd: () => void calls.push('trainEnd'),
          },
          {
            onBatchEnd: async (batch) => {
              lastBatch = batch;
              await new Promise((resolve) => setTimeout(resolve, 1));
              if (batch === 1) model.stopTraining = true;
            },
          },
        ],
      });
      assert.equal(lastBatch, 1, 'the worker waited for the page before training batch 2');
      assert.deepEqual(calls, ['trainBegin', 'epochBegin 0', 'epochEnd 0 accuracy,loss', 'trainEnd']);
      assert.equal(history.epoch.length, 1);
      assert.equal(model.stats().steps, 2);
    } finally {
      model.dispose();
    }
  });

  test('epochPredictions arrive after each epoch as transferred Float32Arrays; stopTraining from onEpochEnd', async () => {
    const { model } = await inChannel(build(4));
    const here = build(4);
    try {
      const grid: MatrixLike = { data: new Float32Array([0, 0, 0.5, 0.5, -1, 1]), shape: [3, 2] };
      const seen: { epoch: number; outputs: Float32Array[] }[] = [];
      await model.fit(x, circles.y, {
        epochs: 5,
        seed: 2,
        verbose: 0,
        epochPredictions: { x: grid, layers: 'all', onPredictions: (epoch, outputs) => void seen.push({ epoch, outputs }) },
        callbacks: { onEpochEnd: (epoch) => void (epoch === 1 && (model.stopTraining = true)) },
      });
      assert.deepEqual(
        seen.map((s) => s.epoch),
        [0, 1],
      );
      assert.equal(seen[1]!.outputs.length, 2);
      assert.ok(seen[1]!.outputs.every((o) => o instanceof Float32Array));
      await here.fit(x, circles.y, { epochs: 2, seed: 2, verbose: 0 });
      assert.deepEqual(seen[1]!.outputs, await here.predictLayers(grid));
    } finally {
      model.dispose();
      here.dispose();
    }
  });

  test('learning-rate changes from a callback reach the worker from the next epoch', async () => {
    const { model } = await inChannel(build(5));
    const here = build(5);
    try {
      const lower = (m: { optimizer: Sequential['optimizer'] }) => ({
        onEpochEnd: () => void (m.optimizer!.learningRate = m.optimizer!.learningRate / 10),
      });
      const a = await model.fit(x, circles.y, { epochs: 3, seed: 9, verbose: 0, callbacks: lower(model) });
      const b = await here.fit(x, circles.y, { epochs: 3, seed: 9, verbose: 0, callbacks: lower(here) });
      assert.deepEqual(a.history, b.history);
      assert.deepEqual(await model.getWeights(), await here.getWeights());
    } finally {
      model.dispose();
      here.dispose();
    }
  });

  test('typed errors cross: validation here, engine errors from the worker, a callback error is rethrown as is', async () => {
    const { model } = await inChannel(build(6, false));
    try {
      await assert.rejects(model.fit(x, circles.y), StateError); // not compiled (the worker says so)
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
      assert.throws(() => model.compile({ optimizer: 'nadam' as never, loss: 'binary_crossentropy' }), ValueError);
      await assert.rejects(model.fit({ data: new Float32Array(9), shape: [3, 3] }, [0, 1, 0]), ShapeError);
      assert.throws(() => model.setWeights([new Float32Array(3)]), ShapeError);
      await assert.rejects(model.predict([[0, Number.NaN]]), ValueError);
      await assert.rejects(model.fit(x, circles.y, { epochs: 0 }), ValueError);
      await assert.rejects(
        model.fit(x, circles.y, { callbacks: { onEpochBegin: () => {}, nope: () => 1 } as never, sampleWeight: () => 1 } as never),
        ValueError,
      );
      const mine = new RangeError('from my callback');
      await assert.rejects(
        model.fit(x, circles.y, {
          epochs: 3,
          verbose: 0,
          callbacks: {
            onEpochEnd: () => {
              throw mine;
            },
          },
        }),
        (error) => error === mine,
      );
      // Still usable afterwards, and setWeights reaches the worker before the next call.
      const weights = await model.getWeights();
      await model.setWeights(weights.map((w) => w.map(() => 0.5)));
      assert.ok((await model.getWeights()).every((w) => w.every((v) => v === 0.5)));
      // A huge learning rate (set live, on the page) overflows the CPU engine's float64 weights: NonFiniteError with its fields.
      model.optimizer!.learningRate = 1e300;
      await assert.rejects(
        model.fit(x, circles.y, { epochs: 2, verbose: 0 }),
        (error: unknown) => error instanceof NonFiniteError && error.epoch === 0 && /epoch 1/.test(error.message),
      );
    } finally {
      model.dispose();
    }
  });

  test('dispose rejects calls in flight, frees the served model and later use is a StateError', async () => {
    const { model } = await inChannel(build(8));
    const training = model.fit(x, circles.y, { epochs: 50, verbose: 0 });
    const predicting = model.predict(x);
    model.dispose();
    await assert.rejects(training, { name: 'StateError', message: /Model 'mlp' was disposed during fit\(\)/ });
    await assert.rejects(predicting, { name: 'StateError', message: /disposed during predict\(\)/ });
    assert.throws(() => model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' }), StateError);
    await assert.rejects(model.predict(x), StateError);
    model.dispose(); // twice is fine
  });

  test('dispose() from a callback on the page while the worker waits for it: fit rejects with StateError, nothing hangs', async () => {
    const { model } = await inChannel(build(8));
    const epochs: number[] = [];
    await assert.rejects(
      model.fit(x, circles.y, {
        epochs: 20,
        verbose: 0,
        callbacks: { onEpochEnd: (epoch) => void (epochs.push(epoch), epoch === 1 && model.dispose()) },
      }),
      { name: 'StateError', message: /disposed during fit\(\)/ },
    );
    assert.deepEqual(epochs, [0, 1]);
    assert.equal(model.isDisposed, true);
  });

  test('Datasets go through as they do to Sequential: fit(dataset) with validationData, evaluate, predict, epochPredictions', async () => {
    const { train, validation } = trainValidationSplit(circles, 0.25);
    const here = build(10);
    const { model } = await inChannel(build(10));
    try {
      const grids: number[] = [];
      const options = { epochs: 2, seed: 3, verbose: 0 as const, validationData: validation };
      const history = await model.fit(train, {
        ...options,
        epochPredictions: { x: validation, onPredictions: (_epoch, [p]) => void grids.push(p!.length) },
      });
      assert.deepEqual(history.history, (await here.fit(train, options)).history);
      assert.deepEqual(grids, [validation.nSamples, validation.nSamples]);
      assert.deepEqual(await model.evaluate(validation), await here.evaluate(validation));
      assert.deepEqual(await model.evaluate(validation, { returnDict: false }), await here.evaluate(validation, { returnDict: false }));
      assert.deepEqual(await model.predict(validation), await here.predict(validation));
      await assert.rejects(model.fit(train, train.y as never), { name: 'ValueError', message: /takes x and y from the Dataset/ });
    } finally {
      model.dispose();
      here.dispose();
    }
  });

  test('toSequential brings the trained model back to this thread', async () => {
    const { model } = await inChannel(build(9));
    try {
      await model.fit(x, circles.y, { epochs: 2, seed: 1, verbose: 0 });
      const back = await model.toSequential({ backend: 'cpu' });
      assert.deepEqual(await back.getWeights(), await model.getWeights());
      assert.equal(back.compileConfig!.optimizer.learningRate, 0.01);
      back.dispose();
    } finally {
      model.dispose();
    }
  });
});
