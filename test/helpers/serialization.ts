/** Shared by the serialization tests: bitwise comparisons, the hand-written fixtures' reference forward pass, circles models. */
import assert from 'node:assert/strict';
import { Dense } from '../../src/model/layers.js';
import { Adam } from '../../src/model/optimizers.js';
import { Sequential } from '../../src/model/sequential.js';
import { makeCircles } from '../../src/data/index.js';
import { B0, B1, W0, W1 } from '../helpers/model-files.js';
import type { GpuContext } from '../../src/gpu/context.js';

/** The Dense layers of a model (its layers list also holds Dropouts). */
export const denseLayers = (model: Sequential): Dense[] => model.layers.filter((l): l is Dense => l instanceof Dense);

// The bitwise comparison of weights and predictions.

export const bits = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);

export function assertBitwiseEqual(actual: readonly Float32Array[], expected: readonly Float32Array[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: array count`);
  actual.forEach((a, i) => assert.deepEqual(bits(a), bits(expected[i]!), `${what} ${i} differs bitwise`));
}

// The float64 forward pass of the hand-written fixtures (2 → 4 → 1).
export const INPUTS = [
  [0, 0],
  [1, 2],
  [-1.5, 0.5],
  [0.3, -0.7],
  [2, -2],
];

export function reference(hidden: (z: number) => number, x: readonly number[]): number {
  let out = B1[0]!;
  for (let j = 0; j < 4; j++) {
    const z = x[0]! * W0[j]! + x[1]! * W0[4 + j]! + B0[j]!;
    out += hidden(z) * W1[j]!;
  }
  return 1 / (1 + Math.exp(-out));
}

export async function expectFixturePredictions(model: Sequential, hidden: (z: number) => number): Promise<void> {
  const predictions = await model.predict(INPUTS);
  INPUTS.forEach((x, i) => {
    const expected = reference(hidden, x);
    assert.ok(Math.abs(predictions[i]! - expected) <= 1e-5, `prediction ${i}: ${predictions[i]} vs ${expected}`);
  });
}

export const relu = (z: number): number => Math.max(0, z);

// A small model on the circles data set, on the test file's GPU.

export const circles = makeCircles({ nSamples: 300, factor: 0.3, noise: 0.05, randomState: 3 });
export const circlesX = { data: circles.x, shape: [300, 2] as [number, number] };

/** `circlesModel(seed)`, and `trainedModel()` (a circlesModel(7) trained for 3 epochs), on `gpu()`. */
export function circlesModels(gpu: () => GpuContext): {
  circlesModel: (seed: number) => Sequential;
  trainedModel: () => Promise<Sequential>;
} {
  function circlesModel(seed: number): Sequential {
    const model = new Sequential({ gpu: gpu(), seed, name: 'circles_net' });
    model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
    model.add(new Dense({ units: 8, activation: 'tanh', kernelInitializer: 'heNormal', biasInitializer: 'ones' }));
    model.add(new Dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'lecunUniform' }));
    return model;
  }

  async function trainedModel(): Promise<Sequential> {
    const model = circlesModel(7);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    await model.fit(circlesX, circles.y, { epochs: 3, batchSize: 32, verbose: 0, seed: 1 });
    return model;
  }

  return { circlesModel, trainedModel };
}
