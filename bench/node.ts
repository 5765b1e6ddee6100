// `npm run bench` — the shared workloads (bench/lib/workloads.ts) on shadernet in Node (Dawn).
// Quick mode by default; `npm run bench -- --full` adds n = 1024/2048, dense fwd/bwd at 512/1024,
// the 2→512→512→1 model on 100,000 points and the 1000×1000 grid. Prints tables and writes
// bench/results/node-<mode>-<date>.json (+ .md). TF.js is compared in the browser runner
// (`npm run bench:browser`), which runs these same workloads.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { requestGpu, SHADERNET_VERSION } from '../src/index.js';
import { calibrate } from './lib/calibration.js';
import { measureColdStart } from './lib/cold-start.js';
import { reportTables } from './lib/report.js';
import { runShadernet } from './lib/shadernet-runner.js';
import { benchConfig, describeBounds, METHOD, type BenchReport, type Figure } from './lib/workloads.js';

const mode = process.argv.includes('--full') ? 'full' : process.argv.includes('--tiny') ? 'tiny' : 'quick';
const config = benchConfig(mode, 'node');
const started = performance.now();
// First, before anything compiles: the first model's first epoch on fresh devices (Dawn creates pipelines synchronously in Node).
const coldStart = await measureColdStart(() => requestGpu()).catch((error: unknown) => {
  console.error(`  cold start failed: ${String((error as Error)?.message ?? error)}`);
  return undefined;
});
const ctx = await requestGpu();
const webgpuVersion = (JSON.parse(readFileSync('node_modules/webgpu/package.json', 'utf8')) as { version: string }).version;
console.log(
  `shadernet bench (${mode}) — ${ctx.adapter.vendor} ${ctx.adapter.architecture} ${ctx.adapter.description} (${ctx.adapter.runtime}, fallback adapter: ${ctx.adapter.isFallbackAdapter})`,
);
for (const line of config.skipped) console.log(`skipped: ${line}`);

// The roofline's ceilings; a failure leaves the report without them.
const calibration = await calibrate(ctx.device, mode === 'full' ? 100 : 30).catch((error: unknown) => {
  console.error(`  calibration failed: ${String((error as Error)?.message ?? error)}`);
  return undefined;
});
if (calibration)
  console.error(`  calibration: ${calibration.peakGflops.toFixed(1)} GFLOP/s (FMA), ${calibration.peakGBs.toFixed(1)} GB/s (copy)`);
const figures: Figure[] = [];
for (const workload of config.workloads) {
  const t0 = performance.now();
  const figure = await runShadernet(ctx, workload, config);
  figures.push(figure);
  console.error(`  ${workload.id}: ${((performance.now() - t0) / 1000).toFixed(1)} s${figure.error ? ` ERROR ${figure.error}` : ''}`);
}

const report: BenchReport = {
  tool: 'shadernet-bench',
  runner: 'node',
  mode,
  date: new Date().toISOString(),
  durationMs: performance.now() - started,
  versions: { shadernet: SHADERNET_VERSION, node: process.version, webgpu: webgpuVersion },
  environment: { adapter: ctx.adapter, cpus: cpus().length, cpuModel: cpus()[0]?.model, platform: process.platform },
  method: METHOD,
  skipped: [...config.skipped, ...describeBounds(config, ['shadernet'])],
  figures,
  ...(calibration ? { calibration } : {}),
  ...(coldStart ? { coldStart } : {}),
};
console.log(`\n${reportTables(report)}`);
console.log(`\n${METHOD[0]}`);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/node-${mode}-${report.date.replace(/[:.]/g, '-')}`;
writeFileSync(`${file}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${file}.md`, `${reportTables(report, true)}\n`);
console.log(`\nJSON: ${file}.json (${(report.durationMs / 1000).toFixed(0)} s)`);
ctx.dispose();
process.exit(figures.some((f) => f.error) ? 1 : 0);
