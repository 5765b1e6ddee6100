import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Adam,
  Dense,
  EarlyStopping,
  makeCircles,
  ReduceLROnPlateau,
  Sequential,
  trainValidationSplit,
  ValueError,
  type Logs,
  type TrainingModel,
} from '../../src/index.js';
import { useGpu } from '../helpers/gpu.js';

const gpu = useGpu();
const circles = makeCircles({ nSamples: 400, factor: 0.3, noise: 0.05, randomState: 0 });
const { train, validation } = trainValidationSplit(circles, 0.25);
const x = { data: train.x, shape: [train.nSamples, 2] as const };
const xVal = { data: validation.x, shape: [validation.nSamples, 2] as const };

function model(backend: 'webgpu' | 'cpu', learningRate: number): Sequential {
  const m = new Sequential({ seed: 3, backend, ...(backend === 'webgpu' ? { gpu: gpu() } : {}) });
  m.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
  m.add(new Dense({ units: 1, activation: 'sigmoid' }));
  m.compile({ optimizer: new Adam({ learningRate }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

/** A stand-in holding only what the callbacks touch, to script exact sequences of logs. */
function scripted(): TrainingModel & { restored: ArrayLike<number>[] | undefined; reads: number } {
  return {
    stopTraining: false,
    restored: undefined,
    reads: 0,
    optimizer: { learningRate: 0.1 },
    async getWeights() {
      this.reads++;
      return [Float32Array.of(this.reads)];
    },
    setWeights(weights) {
      this.restored = [...weights];
    },
  };
}

async function feed(
  callback: EarlyStopping | ReduceLROnPlateau,
  target: TrainingModel,
  key: string,
  values: readonly number[],
): Promise<number> {
  callback.setModel(target);
  callback.onTrainBegin();
  for (let epoch = 0; epoch < values.length; epoch++) {
    await callback.onEpochEnd(epoch, { [key]: values[epoch]! });
    if (target.stopTraining) return epoch;
  }
  return -1;
}

describe('EarlyStopping: Keras 3 decision rules', () => {
  test('patience counts epochs without improvement; minDelta sets what counts; mode auto follows the key', async () => {
    const stopsAt = async (options: ConstructorParameters<typeof EarlyStopping>[0], key: string, values: number[]) =>
      feed(new EarlyStopping(options), scripted(), key, values);
    assert.equal(await stopsAt({ patience: 0 }, 'val_loss', [1, 0.9, 0.95]), 2);
    assert.equal(await stopsAt({ patience: 2 }, 'val_loss', [1, 0.9, 0.95, 0.91, 0.5]), 3);
    // 0.899 is not 0.05 better than 0.9.
    assert.equal(await stopsAt({ patience: 1, minDelta: 0.05 }, 'val_loss', [1, 0.9, 0.899, 0.898]), 2);
    assert.equal(await stopsAt({ patience: 1, minDelta: 0.001 }, 'val_loss', [1, 0.9, 0.898, 0.8975]), 3);
    assert.equal(await stopsAt({ patience: 1, minDelta: -0.05 }, 'val_loss', [1, 0.9, 0.899, 0.898]), 2);
    assert.equal(await stopsAt({ monitor: 'val_accuracy', patience: 1 }, 'val_accuracy', [0.5, 0.6, 0.7, 0.65, 0.6]), 3);
    assert.equal(await stopsAt({ monitor: 'val_accuracy', patience: 1, mode: 'min' }, 'val_accuracy', [0.5, 0.6, 0.7]), 1);
    // Improving epochs never stop training, but while the baseline is not beaten they do not
    // reset the wait either: the first epoch that fails to improve then stops it.
    assert.equal(await stopsAt({ patience: 2, baseline: 0.5 }, 'val_loss', [1, 0.9, 0.8, 0.85]), 3);
    assert.equal(await stopsAt({ patience: 2 }, 'val_loss', [1, 0.9, 0.8, 0.85, 0.84]), 4);
    // Nothing is watched before startFromEpoch.
    assert.equal(await stopsAt({ patience: 0, startFromEpoch: 3 }, 'val_loss', [1, 2, 3, 4, 5]), 4);
  });

  test('restoreBestWeights reads weights on improving epochs only and puts back the best at the end', async () => {
    const target = scripted();
    const stopping = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    assert.equal(await feed(stopping, target, 'val_loss', [1, 0.5, 0.7, 0.8]), 3);
    stopping.onTrainEnd();
    assert.equal(stopping.bestEpoch, 1);
    assert.equal(stopping.stoppedEpoch, 3);
    assert.deepEqual(Array.from(target.restored![0]!), [3]); // reads: first-epoch copy, epoch 0, epoch 1
  });

  test('options are validated with typed errors', () => {
    assert.throws(() => new EarlyStopping({ monitor: 'val_f1' }), /cannot tell whether 'val_f1'/);
    assert.throws(() => new EarlyStopping({ patience: -1 }), ValueError);
    assert.throws(() => new EarlyStopping({ mode: 'up' as 'min' }), /mode/);
    assert.throws(() => new ReduceLROnPlateau({ factor: 1 }), /factor must be in \[0, 1\)/);
    assert.throws(() => new ReduceLROnPlateau({ minLr: -1 }), ValueError);
  });
});

describe('ReduceLROnPlateau: Keras 3 decision rules', () => {
  test('reduces after patience, honours cooldown and minLr', async () => {
    const target = scripted();
    const reduce = new ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, cooldown: 2, minLr: 0.02 });
    reduce.setModel(target);
    reduce.onTrainBegin();
    const rates: number[] = [];
    for (const [epoch, loss] of [1, 1, 1, 1, 1, 1, 1].entries()) {
      const logs: Record<string, number> = { loss };
      reduce.onEpochEnd(epoch, logs as Logs);
      rates.push(logs['learning_rate']!);
    }
    // 0.1 → 0.05 (epoch 1), cooldown epoch 2, → 0.025 (epoch 3), cooldown, → 0.02 = minLr (epoch 5), then stays.
    // (As in Keras, the cooldown counter is decremented before it is tested: cooldown 1 would not pause.)
    assert.deepEqual(rates, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02]);
    assert.equal(target.optimizer!.learningRate, 0.02);
  });
});

for (const backend of ['webgpu', 'cpu'] as const) {
  describe(`callbacks inside fit (${backend})`, () => {
    test('EarlyStopping stops a run whose loss cannot improve after patience + 1 epochs', async () => {
      // A zero learning rate: the loss stays where it starts (up to float32 summation order).
      const m = model(backend, 0);
      const history = await m.fit(x, train.y, {
        epochs: 20,
        verbose: 0,
        seed: 1,
        callbacks: [new EarlyStopping({ monitor: 'loss', patience: 2, minDelta: 1e-4 })],
      });
      assert.equal(history.epoch.length, 3);
      m.dispose();
    });

    test('restoreBestWeights leaves the weights of the epoch with the lowest val_loss', async () => {
      const m = model(backend, 0.05);
      const perEpoch: Float32Array[][] = [];
      const recorder = { onEpochEnd: async () => void perEpoch.push(await m.getWeights()) };
      const history = await m.fit(x, train.y, {
        epochs: 8,
        batchSize: 16,
        verbose: 0,
        seed: 4,
        validationData: [xVal, validation.y],
        callbacks: [recorder, new EarlyStopping({ patience: 100, restoreBestWeights: true })],
      });
      const losses = history.history['val_loss']!;
      const best = losses.indexOf(Math.min(...losses));
      assert.notEqual(best, -1);
      const final = await m.getWeights();
      final.forEach((tensor, i) => assert.deepEqual(Array.from(tensor), Array.from(perEpoch[best]![i]!), `tensor ${i} is epoch ${best}'s`));
      if (best !== losses.length - 1) assert.notDeepEqual(Array.from(final[0]!), Array.from(perEpoch.at(-1)![0]!));
      // The model trains on from the restored weights.
      await m.fit(x, train.y, { epochs: 1, verbose: 0 });
      m.dispose();
    });

    test("ReduceLROnPlateau lowers the compiled optimizer's rate and History records learning_rate", async () => {
      const m = model(backend, 0.01);
      const history = await m.fit(x, train.y, {
        epochs: 3,
        verbose: 0,
        seed: 1,
        callbacks: [new ReduceLROnPlateau({ monitor: 'loss', patience: 1, minDelta: 10 })],
      });
      const rates = history.history['learning_rate']!.map((r) => Number(r.toPrecision(6)));
      assert.deepEqual(rates, [0.01, 0.01, 0.001]);
      assert.ok(Math.abs((m.optimizer!.learningRate as number) - 1e-4) < 1e-12);
      m.dispose();
    });
  });
}
