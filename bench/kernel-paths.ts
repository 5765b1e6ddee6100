// The fused MLP kernel (shaders/fused_mlp.wgsl) against the layered kernels, same run, same device:
//   npm run bench:kernels            (Node, Dawn; ROUNDS=5 by default)
// For each tutorial model (make_circles, 4,000 train / 1,000 validation, Adam, batch 32, one epoch
// per fit; the training step on each path, validation layered on both as by default), and for predict over the
// decision map's 200×200 grid (40,000 rows, probabilities read back to the CPU, as the playground's map does; the
// forward pass on each path), the two paths alternate round by round so that the machine's load hits both alike;
// each figure is the median of the rounds after one warm-up fit or predict (which builds the plan and compiles its
// pipelines). The path is forced with the engine's internal preference (kernel-choice.ts), as the tests do.
import { Sequential } from '../src/index.js';
import { requestGpu } from '../src/index.js';
import { preferKernels, type KernelPath } from '../src/engine/kernel-choice.js';
import { buildShadernetModel, tutorialEpoch } from './lib/shadernet-runner.js';
import { gridPoints, trainingData, tutorialTraining, TUTORIAL_MODELS } from './lib/workloads.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const PATHS: readonly KernelPath[] = ['layered', 'fused'];
const GRID = 200;
const GRID_POINTS = gridPoints(GRID);
const GRID_INPUT = { data: GRID_POINTS, shape: [GRID * GRID, 2] as [number, number] };

const ctx = await requestGpu();
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

interface PathFigure {
  readonly epochMs: number[];
  readonly predictMs: number[];
  dispatchesPerStep: number;
  kernels: string;
  valAccuracy: number;
}

console.log(`adapter: ${ctx.adapter.description || ctx.adapter.architecture || 'unknown'}; ${ROUNDS} rounds, median`);
console.log(
  '| model | layered ms/epoch | fused ms/epoch | fused ÷ layered speed | dispatches/step (layered, fused) | val. accuracy (layered, fused) ' +
    `| layered ms/predict ${GRID}² | fused ms/predict ${GRID}² | predict fused ÷ layered speed |`,
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const tutorial of TUTORIAL_MODELS) {
  const workload = tutorialTraining(tutorial);
  const data = trainingData(workload, Infinity);
  const { x, options: fitOptions } = tutorialEpoch(data, workload.batchSize);
  const models = new Map<KernelPath, Sequential>();
  const figures = new Map<KernelPath, PathFigure>();
  for (const path of PATHS) {
    // Plans are built (and their path chosen) at a model's first fit, and at its first predict of a grid.
    preferKernels(ctx.device, path, 'layered');
    const model = buildShadernetModel(tutorial.hidden, ctx);
    await model.fit(x, data.y, fitOptions);
    preferKernels(ctx.device, 'layered', path);
    await model.predict(GRID_INPUT);
    if (model.stats().forwardKernels !== path)
      throw new Error(`${tutorial.label}: predict ran ${model.stats().forwardKernels}, not ${path}`);
    models.set(path, model);
    figures.set(path, { epochMs: [], predictMs: [], dispatchesPerStep: 0, kernels: '', valAccuracy: 0 });
  }
  preferKernels(ctx.device, undefined);
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of PATHS) {
      const model = models.get(path)!;
      const figure = figures.get(path)!;
      const started = performance.now();
      const history = await model.fit(x, data.y, fitOptions);
      figure.epochMs.push(performance.now() - started);
      const stats = model.stats();
      figure.dispatchesPerStep = stats.dispatchesPerStep;
      figure.kernels = stats.kernels;
      figure.valAccuracy = history.history['val_accuracy']?.at(-1) ?? NaN;
    }
    for (const path of PATHS) {
      const started = performance.now();
      await models.get(path)!.predict(GRID_INPUT);
      figures.get(path)!.predictMs.push(performance.now() - started);
    }
  }
  const layered = figures.get('layered')!;
  const fused = figures.get('fused')!;
  const [lMs, fMs] = [median(layered.epochMs), median(fused.epochMs)];
  const [lPredict, fPredict] = [median(layered.predictMs), median(fused.predictMs)];
  const path = (f: PathFigure) => `${f.dispatchesPerStep}${f.kernels === 'fused' ? ' (fused)' : ''}`;
  console.log(
    `| ${tutorial.label} | ${lMs.toFixed(0)} | ${fMs.toFixed(0)} | ${(lMs / fMs).toFixed(2)}× | ${path(layered)}, ${path(fused)} | ` +
      `${layered.valAccuracy.toFixed(3)}, ${fused.valAccuracy.toFixed(3)} | ` +
      `${lPredict.toFixed(1)} | ${fPredict.toFixed(1)} | ${(lPredict / fPredict).toFixed(2)}× |`,
  );
  for (const model of models.values()) model.dispose();
}
ctx.dispose();
