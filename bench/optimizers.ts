// Per-dispatch cost of every optimizer entry point (shaders/optimizers.wgsl) in Node (Dawn):
//   node esbuild.mjs bench && node .build/bench/optimizers.mjs [baseline.wgsl]
// Each figure: one submit of 100 steps (one uniform slot each, as an epoch records them) over
// one flat buffer of PARAMS parameters, median of interleaved rounds. With a baseline file (a
// kernel with adam.wgsl's old interface: AdamParams { count, alpha, beta1, beta2, epsilon } and
// entry `step`, e.g. `git show 8dbb276:shaders/adam.wgsl > /tmp/adam.wgsl`) it is measured in
// the same run, interleaved with the others: a same-run A/B.
import { readFileSync } from 'node:fs';
import {
  ADAM_DEFAULTS,
  ADAGRAD_DEFAULTS,
  ADAMW_DEFAULTS,
  adamAlpha,
  RMSPROP_DEFAULTS,
  SGD_DEFAULTS,
  type OptimizerConfig,
} from '../src/spec/optimizer.js';
import { BoundKernel, linearWorkgroups } from '../src/gpu/dispatch.js';
import type { KernelSpec } from '../src/gpu/kernel-spec.js';
import { requestGpu } from '../src/index.js';
import { OptimizerDispatch } from '../src/kernels/optimizers.js';
import gridLib from '../shaders/lib/grid.wgsl';
// The baseline file is reflected here, as the build reflects shaders/ (wgsl_reflect is a devDependency).
import { reflectKernel } from '../scripts/kernels/reflect.mjs';

const PARAMS = Number(process.env['PARAMS'] ?? 65_536);
const STEPS = 100;
const ROUNDS = Number(process.env['ROUNDS'] ?? 9);

const ctx = await requestGpu();
const groups = Math.ceil(PARAMS / 4);
const buffer = (label: string): GPUBuffer => ctx.createStorage(label, groups * 4);
const buffers = { theta: buffer('theta'), grad: buffer('grad'), m: buffer('m'), v: buffer('v') };
ctx.device.queue.writeBuffer(
  buffers.grad,
  0,
  Float32Array.from({ length: groups * 4 }, (_, i) => Math.sin(i) * 0.01),
);

const variants: [string, BoundKernel][] = [];
const baselinePath = process.argv[2];
if (baselinePath) {
  const source = `${gridLib}\n${readFileSync(baselinePath, 'utf8')}`;
  const spec: KernelSpec = { ...reflectKernel('adam-baseline', source), source };
  const pipeline = ctx.kernels.pipeline(spec, 'step');
  const kernel = new BoundKernel(ctx, pipeline, buffers, linearWorkgroups(groups, pipeline.workgroupSize[0], ctx.device), STEPS);
  for (let t = 1; t <= STEPS; t++) {
    kernel.stageParams({ count: groups, alpha: adamAlpha(ADAM_DEFAULTS, t), beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, t - 1);
  }
  kernel.upload();
  variants.push(['adam (baseline file)', kernel]);
}
const configs: [string, OptimizerConfig][] = [
  ['adam', ADAM_DEFAULTS],
  ['adamw', ADAMW_DEFAULTS],
  ['sgd', SGD_DEFAULTS],
  ['sgd_momentum', { ...SGD_DEFAULTS, momentum: 0.9 }],
  ['sgd_nesterov', { ...SGD_DEFAULTS, momentum: 0.9, nesterov: true }],
  ['rmsprop', RMSPROP_DEFAULTS],
  ['rmsprop_momentum', { ...RMSPROP_DEFAULTS, momentum: 0.9 }],
  ['rmsprop_centered', { ...RMSPROP_DEFAULTS, centered: true }],
  ['adagrad', ADAGRAD_DEFAULTS],
];
for (const [label, config] of configs) {
  const dispatch = new OptimizerDispatch(ctx, PARAMS, buffers, config, STEPS);
  for (let t = 1; t <= STEPS; t++) dispatch.stageStep(t, t - 1);
  dispatch.upload();
  variants.push([label, dispatch]);
}

async function time(kernel: BoundKernel): Promise<number> {
  const encoder = ctx.device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  for (let slot = 0; slot < STEPS; slot++) kernel.encode(pass, slot);
  pass.end();
  const started = performance.now();
  ctx.device.queue.submit([encoder.finish()]);
  await ctx.device.queue.onSubmittedWorkDone();
  return (performance.now() - started) / STEPS;
}

const samples = new Map<string, number[]>(variants.map(([label]) => [label, []]));
for (const [, kernel] of variants) await time(kernel); // warm-up: pipeline compilation
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order every round so no variant always follows the same neighbour.
  for (let k = 0; k < variants.length; k++) {
    const [label, kernel] = variants[(k + round) % variants.length]!;
    samples.get(label)!.push(await time(kernel));
  }
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const reference = median(samples.get(variants[0]![0])!);
console.log(`${PARAMS} parameters, ${STEPS} dispatches per submit, median of ${ROUNDS} rounds (${ctx.adapter.description})`);
for (const [label] of variants) {
  const ms = median(samples.get(label)!);
  console.log(`${label.padEnd(22)} ${ms.toFixed(3)} ms/dispatch  ×${(ms / reference).toFixed(2)} vs ${variants[0]![0]}`);
}
ctx.dispose();
