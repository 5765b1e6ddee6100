import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Dense, makeCircles, Sequential, trainValidationSplit, type MatrixLike } from '../../src/index.js';
import { useGpu } from '../helpers/gpu.js';
import { expectClose } from '../helpers/numeric.js';

const circles = makeCircles({ nSamples: 1000, factor: 0.3, noise: 0.05, randomState: 5 });
const { train, validation } = trainValidationSplit(circles, 0.2);
const xTrain: MatrixLike = { data: train.x, shape: [train.nSamples, 2] };
const xVal: MatrixLike = { data: validation.x, shape: [validation.nSamples, 2] };

function build(options: ConstructorParameters<typeof Sequential>[0]): Sequential {
  const model = new Sequential(options);
  model.add(new Dense({ units: 16, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 8, activation: 'tanh' }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

// Child mode: no Vulkan driver, so WebGPU is unavailable; a default ('auto') model must fall
// back to the CPU engine with a notice and still train.
if (process.env['SHADERNET_TEST_CHILD'] === 'cpu-fallback') {
  const warnings: string[] = [];
  console.warn = (message: string) => void warnings.push(message);
  const model = build({ seed: 1 });
  const history = await model.fit(xTrain, train.y, { epochs: 3, verbose: 0, seed: 1, validationData: [xVal, validation.y] });
  const strict = build({ backend: 'webgpu', seed: 1 });
  const strictError = await strict.predict(xVal).then(
    () => 'none',
    (error: Error) => error.name,
  );
  console.log(JSON.stringify({ backend: model.backend, warnings, valAccuracy: history.history['val_accuracy']!.at(-1), strictError }));
  process.exit(0);
}

const gpu = useGpu();

describe('CPU backend (the float64 reference engine behind the same API)', () => {
  test('same seed, same results as the GPU within float32 tolerance', async () => {
    const onGpu = build({ gpu: gpu(), seed: 3 });
    const onCpu = build({ backend: 'cpu', seed: 3 });
    const options = { epochs: 3, batchSize: 20, verbose: 0, seed: 4, validationData: [xVal, validation.y] } as const;
    const [a, b] = [await onGpu.fit(xTrain, train.y, options), await onCpu.fit(xTrain, train.y, options)];
    assert.equal(onGpu.backend, 'webgpu');
    assert.equal(onCpu.backend, 'cpu');
    for (const key of ['loss', 'val_loss'] as const) expectClose(a.history[key]!, b.history[key]!, { rtol: 0, atol: 1e-4 }, key);
    const weights = [await onGpu.getWeights(), await onCpu.getWeights()];
    expectClose(
      weights[0]!.flatMap((w) => [...w]),
      weights[1]!.flatMap((w) => [...w]),
      { rtol: 1e-3, atol: 1e-4 },
      'weights after 3 epochs',
    );
    expectClose(await onGpu.predict(xVal), await onCpu.predict(xVal), { rtol: 1e-3, atol: 1e-4 }, 'predictions');
    const layers = [await onGpu.predictLayers(xVal), await onCpu.predictLayers(xVal)];
    expectClose(layers[0]![1]!, layers[1]![1]!, { rtol: 1e-3, atol: 1e-4 }, 'hidden layer 2 activations');
    const evaluations = [await onGpu.evaluate(xVal, validation.y), await onCpu.evaluate(xVal, validation.y)];
    expectClose([evaluations[0]!.loss], [evaluations[1]!.loss], { rtol: 0, atol: 1e-4 }, 'evaluate loss');
    const { epochMs, ...counts } = onCpu.stats();
    assert.deepEqual(counts, {
      dispatchesPerStep: 0,
      kernels: 'layered',
      forwardKernels: 'layered',
      dispatchesPerEpoch: 0,
      submitsPerEpoch: 0,
      readsPerEpoch: 0,
      steps: 120,
      pipelines: 0,
      compileMs: 0,
    });
    assert.ok(epochMs > 0);
    onGpu.dispose();
    onCpu.dispose();
  });

  test('a non-sigmoid output trains through the clipped probability form of the loss, the same on both backends', async () => {
    const models = [new Sequential({ gpu: gpu(), seed: 6 }), new Sequential({ backend: 'cpu', seed: 6 })];
    for (const model of models) {
      model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
      model.add(new Dense({ units: 1, activation: 'tanh', biasInitializer: 'ones' }));
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    }
    const options = { epochs: 2, batchSize: 25, verbose: 0, seed: 7 } as const;
    const histories = [await models[0]!.fit(xTrain, train.y, options), await models[1]!.fit(xTrain, train.y, options)];
    expectClose(histories[0]!.history['loss']!, histories[1]!.history['loss']!, { rtol: 0, atol: 1e-4 }, 'loss');
    assert.ok(histories[0]!.history['loss']![1]! < histories[0]!.history['loss']![0]!, 'it learns');
    const weights = [await models[0]!.getWeights(), await models[1]!.getWeights()];
    expectClose(
      weights[0]!.flatMap((w) => [...w]),
      weights[1]!.flatMap((w) => [...w]),
      { rtol: 1e-3, atol: 1e-4 },
      'weights',
    );
    assert.equal(models[0]!.stats().dispatchesPerStep, 2 + 1 + 1 + 3 + 1, 'forward ×2, loss, output gradient, backward ×3, Adam');
    for (const model of models) model.dispose();
  });

  test('the tutorial MLP reaches ≥ 0.99 validation accuracy on the CPU too', async () => {
    const model = new Sequential({ backend: 'cpu', seed: 1 });
    model.add(new Dense({ units: 128, activation: 'relu', inputDim: 2 }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(xTrain, train.y, { epochs: 10, verbose: 0, seed: 2, validationData: [xVal, validation.y] });
    assert.ok(history.history['val_accuracy']!.at(-1)! >= 0.99);
    model.dispose();
  });

  test('without WebGPU, the default backend falls back to the CPU with a notice, and trains', () => {
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, SHADERNET_TEST_CHILD: 'cpu-fallback', VK_ICD_FILENAMES: '/nonexistent/icd.json' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
      backend: string;
      warnings: string[];
      valAccuracy: number;
      strictError: string;
    };
    assert.equal(result.backend, 'cpu');
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /WebGPU is unavailable, so models train on the CPU/);
    assert.ok(result.valAccuracy > 0.5);
    assert.equal(result.strictError, 'WebGPUUnavailableError', "backend: 'webgpu' does not fall back");
  });

  test('an unknown backend name is a ValueError listing the valid ones', () => {
    assert.throws(() => new Sequential({ backend: 'metal' as 'cpu' }), {
      name: 'ValueError',
      message: /Unknown backend 'metal'; expected one of: auto, webgpu, cpu/,
    });
  });
});
