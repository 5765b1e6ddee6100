// Runs the shared workloads (workloads.ts) on shadernet: the same code in Node (Dawn) and in
// the browser (navigator.gpu). Training and predict go through the public Keras-style API;
// kernel throughput through the dense kernels the engine records (src/kernels/dense.ts).
import { Dense, Sequential, type GpuContext } from '../../src/index.js';
import { preferKernels } from '../../src/engine/kernel-choice.js';
import { denseBackwardData, denseBackwardWeights, denseForward, type DenseDispatch } from '../../src/kernels/dense.js';
import {
  dispatchesFor,
  engineFigure,
  estimateMs,
  forcedKernelPath,
  kernelRates,
  lastEpoch,
  gridPoints,
  median,
  repeatsFor,
  timeRuns,
  trainingData,
  trainingTimes,
  uniformData,
  type BenchConfig,
  type Engine,
  type Figure,
  type KernelWorkload,
  type PredictWorkload,
  type TrainingData,
  type TrainingWorkload,
  type Workload,
} from './workloads.js';

export function buildShadernetModel(hidden: readonly number[], gpu: GpuContext): Sequential {
  const model = new Sequential({ seed: 0, gpu, backend: 'webgpu' });
  hidden.forEach((units, i) => model.add(new Dense({ units, activation: 'relu', ...(i === 0 ? { inputDim: 2 } : {}) })));
  model.add(new Dense({ units: 1, activation: 'sigmoid', ...(hidden.length === 0 ? { inputDim: 2 } : {}) }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

async function kernelFigure(ctx: GpuContext, w: KernelWorkload, config: BenchConfig): Promise<Figure> {
  const { rows, inputs, units } = w;
  const x = ctx.createStorage('bench x', uniformData(rows * inputs, 1));
  const weights = ctx.createStorage('bench w', uniformData(inputs * units, 2));
  const bias = ctx.createStorage('bench b', uniformData(units, 3));
  const y = ctx.createStorage('bench y', uniformData(rows * units, 4));
  const dz = ctx.createStorage('bench dz', uniformData(rows * units, 5));
  const dzPrev = ctx.createStorage('bench dzPrev', rows * inputs);
  const dWeights = ctx.createStorage('bench dW', inputs * units);
  const dBias = ctx.createStorage('bench db', units);
  const shape = { rows, inputs, units };
  let kernel: DenseDispatch;
  switch (w.op) {
    case 'matmul':
      kernel = denseForward(ctx, shape, { x, weights, bias, y }, { activation: 'linear', useBias: false });
      break;
    case 'forward':
      kernel = denseForward(ctx, shape, { x, weights, bias, y }, { activation: 'relu', useBias: true });
      break;
    case 'backward_data':
      kernel = denseBackwardData(ctx, shape, { weights, dz, yPrev: x, dzPrev }, { previousActivation: 'relu' });
      break;
    case 'backward_weights':
      kernel = denseBackwardWeights(ctx, shape, { x, dz, dWeights, dBias }, { useBias: true });
      break;
  }
  await ctx.pipelinesReady(); // compiled in the background in browsers: ready before the first encode
  const dispatches = dispatchesFor(w, 'shadernet', config);
  const repeats = repeatsFor(config.bounds.shadernet, (estimateMs(w) * dispatches) / 1);
  try {
    const runs = await timeRuns(repeats, async () => {
      const encoder = ctx.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      for (let i = 0; i < dispatches; i++) kernel.encode(pass);
      pass.end();
      ctx.device.queue.submit([encoder.finish()]);
      await ctx.finish();
    });
    const ms = median(runs);
    return { engine: 'shadernet', workload: w.id, kind: 'kernel', ms, runs, repeats, dispatches, ...kernelRates(w, dispatches, ms) };
  } finally {
    kernel.dispose();
    for (const buffer of [x, weights, bias, y, dz, dzPrev, dWeights, dBias]) ctx.destroyBuffer(buffer);
  }
}

/** The input and fit options of one epoch of a tutorial workload with its validation split. */
export function tutorialEpoch(data: TrainingData, batchSize: number) {
  return {
    x: { data: data.x, shape: [data.rows, 2] as [number, number] },
    options: {
      epochs: 1,
      batchSize,
      verbose: 0 as const,
      validationData: [{ data: data.valX!, shape: [data.valRows, 2] as [number, number] }, data.valY!] as const,
    },
  };
}

async function trainingFigure(ctx: GpuContext, w: TrainingWorkload, config: BenchConfig, engine: Engine): Promise<Figure> {
  const bounds = config.bounds.shadernet;
  const data = trainingData(w, bounds.maxTrainRows);
  const estimate = estimateMs(w, data.rows);
  const repeats = repeatsFor(bounds, estimate);
  const model = buildShadernetModel(w.hidden, ctx);
  try {
    const x = { data: data.x, shape: [data.rows, 2] as [number, number] };
    const fitOptions = {
      epochs: w.epochs,
      batchSize: w.batchSize,
      verbose: 0 as const,
      ...(data.valX && data.valY
        ? { validationData: [{ data: data.valX, shape: [data.valRows, 2] as [number, number] }, data.valY] as const }
        : {}),
    };
    let warmUp = true;
    if (estimate > 20_000) {
      // A long epoch: warm up (pipelines, plans) on a 10-step prefix with a model of the same shape.
      const small = trainingData(w, w.batchSize * 10);
      const warm = buildShadernetModel(w.hidden, ctx);
      await warm.fit({ data: small.x, shape: [small.rows, 2] }, small.y, { ...fitOptions, epochs: 1 });
      warm.dispose();
      warmUp = false;
    }
    const engineMs: number[] = [];
    let history: Record<string, readonly number[]> = {};
    const runs = await timeRuns(
      repeats,
      async () => {
        history = (await model.fit(x, data.y, fitOptions)).history;
        engineMs.push(model.stats().epochMs);
      },
      warmUp,
    );
    const stats = model.stats();
    return {
      ...trainingTimes(engine, w, data, runs, repeats),
      engineEpochMs: median(engineMs.slice(warmUp ? 1 : 0)),
      dispatchesPerStep: stats.dispatchesPerStep,
      submitsPerEpoch: stats.submitsPerEpoch,
      readsPerEpoch: stats.readsPerEpoch,
      kernels: stats.kernels,
      ...lastEpoch(history),
    };
  } finally {
    model.dispose();
  }
}

async function predictFigure(ctx: GpuContext, w: PredictWorkload, config: BenchConfig, engine: Engine): Promise<Figure> {
  const points = gridPoints(w.grid);
  const rows = w.grid * w.grid;
  const model = buildShadernetModel(w.hidden, ctx);
  try {
    const repeats = repeatsFor(config.bounds.shadernet, estimateMs(w));
    let checksum = 0;
    const runs = await timeRuns(repeats, async () => {
      const p = await model.predict({ data: points, shape: [rows, 2] });
      checksum = p[rows >> 1]!;
    });
    if (!Number.isFinite(checksum)) throw new Error(`predict returned ${checksum}`);
    const ms = median(runs);
    const kernels = model.stats().forwardKernels;
    return { engine, workload: w.id, kind: 'predict', ms, runs, repeats, rows, pointsPerSecond: rows / (ms / 1000), kernels };
  } finally {
    model.dispose();
  }
}

/**
 * Runs one workload on shadernet (`engine`: as users get it, or with one kernel path forced, for
 * the models and plans built meanwhile); failures become a figure with `error`, not an exception.
 */
export async function runShadernet(
  ctx: GpuContext,
  workload: Workload,
  config: BenchConfig,
  engine: Engine = 'shadernet',
): Promise<Figure> {
  preferKernels(ctx.device, forcedKernelPath(engine));
  try {
    return await engineFigure(workload, engine, config, () => {
      switch (workload.kind) {
        case 'kernel':
          return kernelFigure(ctx, workload, config);
        case 'training':
          return trainingFigure(ctx, workload, config, engine);
        case 'predict':
          return predictFigure(ctx, workload, config, engine);
      }
    });
  } finally {
    preferKernels(ctx.device, undefined);
  }
}
