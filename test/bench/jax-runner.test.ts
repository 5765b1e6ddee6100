import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as jax from '@jax-js/jax';
import { ADAM, JaxTrainer } from '../../bench/lib/jax-runner.js';
import { trainingData, tutorialTraining, TUTORIAL_MODELS, type TrainingData } from '../../bench/lib/workloads.js';
import { adamStep, createOptimizerState } from '../../src/reference/optimizers.js';
import { mlpLossAndGradient } from '../helpers/mlp.js';

// The jax-js peer of the browser bench, on its wasm device (jax-js runs wasm in Node): its training
// step must be the Keras step shadernet takes (BCE from logits, Adam with Keras's settings), or
// the bench's ratios compare different work.
await jax.init('wasm');
jax.defaultDevice('wasm');

const flat = (tensors: readonly Float32Array[]) => Float64Array.from(tensors.flatMap((t) => [...t]));

test('three jax-js Adam steps on one batch match the float64 reference (2→5→1, batch 17)', async () => {
  const full = trainingData(tutorialTraining(TUTORIAL_MODELS[1]), 17);
  const batch: TrainingData = { x: full.x, y: full.y, rows: 17, valRows: 0 };
  const trainer = new JaxTrainer(jax, [5], 17);
  try {
    const theta = flat(await trainer.parameters());
    const state = createOptimizerState(theta.length);
    const spec = { inputs: 2, hidden: [{ units: 5, activation: 'relu' as const }] };
    for (let t = 1; t <= 3; t++) {
      const { loss, gradient } = mlpLossAndGradient(spec, theta, batch.x, batch.y);
      const result = await trainer.fitEpoch(batch); // one epoch of one batch: one step, order irrelevant to the mean
      assert.ok(Math.abs(result.loss - loss) <= 1e-5 + 1e-5 * loss, `step ${t}: loss ${result.loss} vs reference ${loss}`);
      adamStep(theta, gradient, state, ADAM, t);
    }
    const got = flat(await trainer.parameters());
    for (let i = 0; i < theta.length; i++)
      assert.ok(Math.abs(got[i]! - theta[i]!) <= 2e-5 + 1e-4 * Math.abs(theta[i]!), `parameter ${i}: ${got[i]} vs ${theta[i]}`);
  } finally {
    trainer.dispose();
  }
});

test('the jax-js tutorial MLP separates make_circles as shadernet does (2→128→1, 3 epochs)', async () => {
  const data = trainingData(tutorialTraining(TUTORIAL_MODELS[2]));
  const trainer = new JaxTrainer(jax, [128], 32);
  try {
    const losses: number[] = [];
    let last;
    for (let epoch = 0; epoch < 3; epoch++) losses.push((last = await trainer.fitEpoch(data)).loss);
    assert.ok(losses[2]! < losses[0]!, `losses ${losses}`);
    assert.ok(last!.valAccuracy! >= 0.95, `validation accuracy ${last!.valAccuracy}`);
  } finally {
    trainer.dispose();
  }
});
