import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSequential } from '../../src/components/lib/build-model.js';
import { modelConfig } from '../../src/components/lib/model-config.js';
import { DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE } from '../../src/components/lib/state.js';
import { TrainingRun } from '../../src/components/lib/training-run.js';
import { makeCircles } from '../../src/index.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose } from '../helpers/numeric.js';

const gpu = useGpu();

// The network view draws a map's hidden-unit thumbnails with the weights of the same moment: the
// weights TrainingRun reads right behind the map's pass, not those of whatever epoch ran since.
test('weightsOfLastMap() gives the weights the last predictLayers() pass saw, after an epoch trained since', async () => {
  const config = modelConfig({
    task: 'binary',
    classes: 2,
    layers: [{ units: 8, activation: 'relu' }],
    learningRate: 0.05,
    optimizer: DEFAULT_OPTIMIZER,
    schedule: DEFAULT_SCHEDULE,
    seed: 1,
  });
  const train = makeCircles({ nSamples: 256, noise: 0.05, factor: 0.3, randomState: 0 });
  const run = new TrainingRun({
    layers: [{ units: 8, activation: 'relu' }],
    config,
    data: { train, validation: undefined },
    gpu: gpu(),
    epochs: 3,
    batchSize: 32,
  });
  const grid = { data: Float32Array.from({ length: 2 * 50 }, (_, i) => Math.sin(i) * 1.4), shape: [50, 2] as [number, number] };
  try {
    const layers = await run.predictLayers(grid);
    await run.trainEpoch();
    const atMap = await run.weightsOfLastMap();
    const now = await run.model.getWeights();
    assert.notDeepEqual(now, atMap, 'the epoch changed the weights');
    const reference = buildSequential(config, { seed: 0, backend: 'cpu' });
    reference.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    reference.setWeights(atMap);
    expectClose(await reference.predict(grid), layers.at(-1)!, { rtol: 1e-4, atol: 1e-5 }, 'the map from the weights read with it');
    reference.dispose();
  } finally {
    await run.dispose();
  }
});
