// Kernel and training-step throughput in Node (Dawn). Prints a table and writes JSON to
// bench/results/. Figures are medians of repeated timed runs after a warm-up run; on
// SwiftShader (a CPU emulation) only ratios measured in the same run mean anything.
import { mkdirSync, writeFileSync } from 'node:fs';
import { ResidentDataset } from '../src/engine/dataset.js';
import type { NetworkShape } from '../src/engine/network.js';
import { ParameterBuffers } from '../src/engine/parameters.js';
import { TrainingPlan } from '../src/engine/training.js';
import { GpuContext } from '../src/gpu/context.js';
import { ADAM_DEFAULTS } from '../src/kernels/adam.js';
import { denseForward } from '../src/kernels/dense.js';

const quick = process.argv.includes('--quick');
const REPEATS = quick ? 3 : 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeIt(run: () => Promise<void>): Promise<number> {
  await run(); // warm-up: pipeline compilation and first-use costs are excluded
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

function uniformData(count: number, seed: number): Float32Array<ArrayBuffer> {
  let state = seed;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

interface MatmulResult {
  readonly n: number;
  readonly ms: number;
  readonly gflops: number;
}

/** n×n · n×n through the dense forward kernel (linear, no bias): 2n³ FLOPs per dispatch. */
async function matmul(ctx: GpuContext, n: number): Promise<MatmulResult> {
  const x = ctx.createStorage('x', uniformData(n * n, 1));
  const w = ctx.createStorage('w', uniformData(n * n, 2));
  const y = ctx.createStorage('y', n * n);
  const kernel = denseForward(ctx, { rows: n, inputs: n, units: n }, { x, weights: w, bias: w, y }, { activation: 'linear', useBias: false });
  // Enough dispatches per submit that the ~3 ms submit round trip is noise.
  const dispatches = Math.max(1, Math.round(2e8 / (n * n * n)));
  const ms = await timeIt(async () => {
    const encoder = ctx.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (let i = 0; i < dispatches; i++) kernel.encode(pass);
    pass.end();
    ctx.device.queue.submit([encoder.finish()]);
    await ctx.finish();
  });
  kernel.dispose();
  for (const buffer of [x, w, y]) ctx.destroyBuffer(buffer);
  const perDispatch = ms / dispatches;
  return { n, ms: perDispatch, gflops: (2 * n ** 3) / (perDispatch * 1e6) };
}

interface TrainingResult {
  readonly model: string;
  readonly rows: number;
  readonly batchSize: number;
  readonly msPerEpoch: number;
  readonly msPerStep: number;
  readonly samplesPerSecond: number;
  readonly dispatchesPerStep: number;
  readonly submitsPerEpoch: number;
  readonly readsPerEpoch: number;
}

function mlp(hidden: readonly number[]): NetworkShape {
  const layers = [...hidden, 1].map((units, i, all) => ({
    inputs: i === 0 ? 2 : all[i - 1]!,
    units,
    activation: i === all.length - 1 ? ('sigmoid' as const) : ('relu' as const),
    useBias: true,
  }));
  return { layers };
}

/** One epoch of training (forward, BCE, backward, Adam per step), timed end to end. */
async function training(ctx: GpuContext, name: string, hidden: readonly number[], rows: number, batchSize: number): Promise<TrainingResult> {
  const network = mlp(hidden);
  const parameters = new ParameterBuffers(ctx, network);
  parameters.write(parameters.tensors.map((t, i) => uniformData(t.length, 10 + i).map((v) => v * 0.5)));
  const labels = Float32Array.from({ length: rows }, (_, i) => i % 2);
  const data = new ResidentDataset(ctx, 'bench', rows, 2, uniformData(rows * 2, 3), labels);
  const plan = new TrainingPlan(ctx, network, parameters, data, { batchSize, optimizer: ADAM_DEFAULTS, lossForm: 'logits' });
  const permutation = Uint32Array.from({ length: rows }, (_, i) => (i * 7919) % rows);
  let steps = 0;
  let last = { submits: 0, reads: 0 };
  const ms = await timeIt(async () => {
    const result = await plan.runEpoch(permutation, steps);
    steps += plan.stepsPerEpoch;
    last = { submits: result.submits, reads: result.reads };
  });
  plan.dispose();
  data.dispose();
  parameters.dispose();
  return {
    model: name,
    rows,
    batchSize,
    msPerEpoch: ms,
    msPerStep: ms / plan.stepsPerEpoch,
    samplesPerSecond: rows / (ms / 1000),
    dispatchesPerStep: plan.dispatchesPerStep,
    submitsPerEpoch: last.submits,
    readsPerEpoch: last.reads,
  };
}

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r: readonly (string | number)[]) => r.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

const ctx = await GpuContext.create();
console.log(`shadernet bench — ${ctx.adapter.vendor} ${ctx.adapter.architecture} (${ctx.adapter.runtime}, fallback: ${ctx.adapter.isFallbackAdapter})`);

const matmuls: MatmulResult[] = [];
for (const n of quick ? [256, 512] : [256, 512, 1024]) matmuls.push(await matmul(ctx, n));
console.log('\nMatmul (dense forward kernel, linear, no bias), n×n · n×n');
console.log(table(['n', 'ms/dispatch', 'GFLOP/s'], matmuls.map((m) => [m.n, m.ms, m.gflops])));

const tutorial = [
  ['logreg 2→1', []],
  ['2→5→1', [5]],
  ['2→128→1', [128]],
  ['2→128→128→1', [128, 128]],
] as const;
const trainings: TrainingResult[] = [];
for (const [name, hidden] of tutorial) trainings.push(await training(ctx, name, hidden, 4000, 32));
console.log('\nTraining, tutorial workload (4,000 rows, batch 32, Adam, BCE from logits), one epoch per run');
console.log(
  table(
    ['model', 'ms/epoch', 'ms/step', 'samples/s', 'dispatches/step', 'submits/epoch', 'reads/epoch'],
    trainings.map((t) => [t.model, t.msPerEpoch, t.msPerStep, t.samplesPerSecond, t.dispatchesPerStep, t.submitsPerEpoch, t.readsPerEpoch]),
  ),
);

const report = {
  date: new Date().toISOString(),
  adapter: ctx.adapter,
  node: process.version,
  repeats: REPEATS,
  note: 'medians after one warm-up run; SwiftShader figures are CPU emulation: compare ratios within a run',
  matmul: matmuls,
  training: trainings,
};
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/node-${report.date.replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nJSON: ${file}`);
ctx.dispose();
