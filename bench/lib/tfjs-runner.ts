// Runs the shared workloads (workloads.ts) on TF.js (a dev-only comparison; never imported by
// src/): the same data, model shapes, batch size, epochs and timing as shadernet-runner.ts.
import type * as TF from '@tensorflow/tfjs';
import {
  dispatchesFor,
  estimateMs,
  kernelRates,
  lastEpoch,
  gridPoints,
  median,
  repeatsFor,
  engineFigure,
  timeRuns,
  trainingData,
  trainingTimes,
  uniformData,
  type BenchConfig,
  type Engine,
  type Figure,
  type KernelWorkload,
  type PredictWorkload,
  type TrainingWorkload,
  type Workload,
} from './workloads.js';

type Tf = typeof TF;

export function buildTfjsModel(tf: Tf, hidden: readonly number[]): TF.Sequential {
  const model = tf.sequential();
  hidden.forEach((units, i) => model.add(tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [2] } : {}) })));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', ...(hidden.length === 0 ? { inputShape: [2] } : {}) }));
  model.compile({ optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Reads one element of `t` (forces every queued op before it to finish) and disposes it. */
async function settle(tf: Tf, t: TF.Tensor): Promise<void> {
  const one = tf.tidy(() => t.reshape([-1]).slice(0, 1));
  await one.data();
  one.dispose();
}

async function kernelFigure(tf: Tf, engine: Engine, w: KernelWorkload, config: BenchConfig): Promise<Figure> {
  const { rows, inputs, units } = w;
  const x = tf.tensor2d(uniformData(rows * inputs, 1), [rows, inputs]);
  const weights = tf.tensor2d(uniformData(inputs * units, 2), [inputs, units]);
  const bias = tf.tensor1d(uniformData(units, 3));
  const dz = tf.tensor2d(uniformData(rows * units, 5), [rows, units]);
  // What TF.js's own dense layer and its gradients run for each op.
  const op = (): TF.Tensor => {
    switch (w.op) {
      case 'matmul':
        return tf.matMul(x, weights);
      case 'forward':
        return tf.fused.matMul({ a: x, b: weights, bias, activation: 'relu' });
      case 'backward_data':
        return tf.mul(tf.matMul(dz, weights, false, true), tf.step(x));
      case 'backward_weights': {
        const dW = tf.matMul(x, dz, true, false);
        tf.sum(dz, 0);
        return dW;
      }
    }
  };
  const dispatches = dispatchesFor(w, engine, config);
  const repeats = repeatsFor(config.bounds[engine], estimateMs(w) * dispatches);
  try {
    const runs = await timeRuns(repeats, async () => {
      const last = tf.tidy(() => {
        let out: TF.Tensor | undefined;
        for (let i = 0; i < dispatches; i++) out = op();
        return out!;
      });
      await settle(tf, last);
      last.dispose();
    });
    const ms = median(runs);
    return { engine, workload: w.id, kind: 'kernel', ms, runs, repeats, dispatches, ...kernelRates(w, dispatches, ms) };
  } finally {
    tf.dispose([x, weights, bias, dz]);
  }
}

async function trainingFigure(tf: Tf, engine: Engine, w: TrainingWorkload, config: BenchConfig): Promise<Figure> {
  const bounds = config.bounds[engine];
  const data = trainingData(w, bounds.maxTrainRows);
  const repeats = repeatsFor(bounds, estimateMs(w, data.rows) * (engine === 'tfjs-cpu' ? 3 : 1));
  const model = buildTfjsModel(tf, w.hidden);
  const x = tf.tensor2d(data.x, [data.rows, 2]);
  const y = tf.tensor2d(data.y, [data.rows, 1]);
  const val = data.valX && data.valY ? [tf.tensor2d(data.valX, [data.valRows, 2]), tf.tensor2d(data.valY, [data.valRows, 1])] : undefined;
  try {
    let warmUp = true;
    if (estimateMs(w, data.rows) > 20_000) {
      // Warm up on a 10-step prefix (shader compilation), as shadernet-runner does.
      const n = w.batchSize * 10;
      await model.fit(x.slice(0, n), y.slice(0, n), { epochs: 1, batchSize: w.batchSize, verbose: 0, yieldEvery: 'never' });
      warmUp = false;
    }
    let history: Record<string, readonly number[]> = {};
    const runs = await timeRuns(
      repeats,
      async () => {
        const result = await model.fit(x, y, {
          epochs: w.epochs,
          batchSize: w.batchSize,
          verbose: 0,
          yieldEvery: 'never',
          shuffle: true,
          ...(val ? { validationData: [val[0]!, val[1]!] as [TF.Tensor, TF.Tensor] } : {}),
        });
        history = result.history as Record<string, number[]>;
      },
      warmUp,
    );
    return { ...trainingTimes(engine, w, data, runs, repeats), ...lastEpoch(history, 'val_acc') };
  } finally {
    tf.dispose([x, y, ...(val ?? [])]);
    model.dispose();
  }
}

async function predictFigure(tf: Tf, engine: Engine, w: PredictWorkload, config: BenchConfig): Promise<Figure> {
  const rows = w.grid * w.grid;
  const model = buildTfjsModel(tf, w.hidden);
  const points = tf.tensor2d(gridPoints(w.grid), [rows, 2]);
  try {
    const repeats = repeatsFor(config.bounds[engine], estimateMs(w) * (engine === 'tfjs-cpu' ? 3 : 1));
    let checksum = 0;
    const runs = await timeRuns(repeats, async () => {
      const out = model.predict(points, { batchSize: Math.min(rows, 40_000) }) as TF.Tensor;
      const values = await out.data();
      out.dispose();
      checksum = values[rows >> 1]!;
    });
    if (!Number.isFinite(checksum)) throw new Error(`predict returned ${checksum}`);
    const ms = median(runs);
    return { engine, workload: w.id, kind: 'predict', ms, runs, repeats, rows, pointsPerSecond: rows / (ms / 1000) };
  } finally {
    points.dispose();
    model.dispose();
  }
}

/** Runs one workload on TF.js with the backend already set; failures become a figure with `error`. */
export async function runTfjs(tf: Tf, engine: Engine, workload: Workload, config: BenchConfig): Promise<Figure> {
  return engineFigure(workload, engine, config, () => {
    switch (workload.kind) {
      case 'kernel':
        return kernelFigure(tf, engine, workload, config);
      case 'training':
        return trainingFigure(tf, engine, workload, config);
      case 'predict':
        return predictFigure(tf, engine, workload, config);
    }
  });
}
