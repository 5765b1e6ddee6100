// The bench page (demo/bench.html): the shared workloads (bench/lib/workloads.ts) on shadernet,
// TF.js (webgpu, wasm SIMD, cpu) and jax-js (webgpu, wasm) in this page, on the visitor's GPU, as
// bar charts, a roofline chart and JSON. `?auto=quick|full|tiny` starts a run at load (what
// `npm run bench:browser` and the e2e test use); `&engines=shadernet,tfjs-cpu` picks engines;
// `&gpu=1` lifts the SwiftShader bounds of the WebGPU peers (a hardware adapter); `&budget=S`
// skips what would start after S seconds. The finished report is `window.shadernetBench` and
// `<body data-bench-state="done">`; `window.benchAdapterInfo()` describes the adapter.
import * as jax from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { AdapterInfo } from '../bench/lib/adapter-check.js';
import { calibrate, type Calibration } from '../bench/lib/calibration.js';
import { measureColdStart, type ColdStartFigure } from '../bench/lib/cold-start.js';
import { jaxDevice, runJax } from '../bench/lib/jax-runner.js';
import { reportTables } from '../bench/lib/report.js';
import { runShadernet } from '../bench/lib/shadernet-runner.js';
import { runTfjs } from '../bench/lib/tfjs-runner.js';
import {
  benchConfig,
  describeBounds,
  ENGINES,
  JAX_ENGINES,
  SHADERNET_ENGINES,
  METHOD,
  noFigure,
  type BenchReport,
  type Engine,
  type Figure,
  type Mode,
} from '../bench/lib/workloads.js';
import { requestGpu, SHADERNET_VERSION, type GpuContext } from '../src/index.js';
import './bench-chart.js';
import type { SnBenchChart } from './bench-chart.js';
import './bench-roofline.js';
import type { SnBenchRoofline } from './bench-roofline.js';

/** jax-js's version, defined by esbuild.mjs from its package.json. */
declare const JAX_JS_VERSION: string;

declare global {
  interface Window {
    shadernetBench?: BenchReport;
    benchAdapterInfo?: () => Promise<AdapterInfo>;
  }
}

// The .wasm files are copied next to the page by esbuild.mjs (dist/demo/tfjs/).
setWasmPaths(new URL('./tfjs/', location.href).href);

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;
const status = $<HTMLElement>('#status');
const progress = $<HTMLProgressElement>('#progress');
const buttons = [...document.querySelectorAll<HTMLButtonElement>('button[data-mode]')];
const copyButton = $<HTMLButtonElement>('#copy');
const charts = [...document.querySelectorAll<SnBenchChart>('sn-bench-chart')];
const tables = $<HTMLPreElement>('#tables');
const roofline = $<SnBenchRoofline>('sn-bench-roofline');

let report: BenchReport | undefined;

function setState(state: 'idle' | 'running' | 'done' | 'error', text: string): void {
  document.body.dataset['benchState'] = state;
  status.textContent = text;
}

function show(figures: readonly Figure[], calibration?: Calibration, coldStart?: readonly ColdStartFigure[]): void {
  for (const chart of charts) chart.figures = [...figures]; // a new array: Lit compares by identity
  roofline.figures = [...figures];
  roofline.calibration = calibration;
  tables.textContent = figures.length
    ? reportTables({ figures, ...(calibration ? { calibration } : {}), ...(coldStart ? { coldStart } : {}) })
    : '';
}

async function adapterInfo(): Promise<AdapterInfo> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return { webgpu: false };
  // type, backend and driver: Chrome's developer-feature fields (--enable-webgpu-developer-features).
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean; type?: string; backend?: string; driver?: string };
  const { vendor, architecture, device, description, isFallbackAdapter, type, backend, driver } = info;
  return {
    webgpu: true,
    vendor,
    architecture,
    device,
    description,
    isFallbackAdapter,
    ...(type ? { type } : {}),
    ...(backend ? { backend } : {}),
    ...(driver ? { driver } : {}),
  };
}
window.benchAdapterInfo = adapterInfo;

/** Makes an engine's backend current; an error message when it is unavailable here. */
async function setUp(engine: Engine): Promise<string | undefined> {
  if (JAX_ENGINES.includes(engine)) {
    const device = jaxDevice(engine);
    if (!(await jax.init(device)).includes(device)) return `jax-js device ${device} is unavailable here`;
    jax.defaultDevice(device);
    return undefined;
  }
  if (!(await tf.setBackend(engine.replace('tfjs-', '')))) return `TF.js backend ${engine} is unavailable here`;
  await tf.ready();
  return undefined;
}

async function run(mode: Mode, engines: readonly Engine[]): Promise<void> {
  const config = benchConfig(mode, 'browser', { realGpu });
  const started = performance.now();
  const figures: Figure[] = [];
  let calibration: Calibration | undefined;
  let calibrationError: string | undefined;
  const total = config.workloads.length * engines.length;
  buttons.forEach((b) => (b.disabled = true));
  copyButton.disabled = true;
  progress.max = total;
  progress.value = 0;
  show(figures);
  setState('running', `Running ${mode}…`);
  let ctx: GpuContext | undefined;
  let coldStart: ColdStartFigure[] | undefined;
  try {
    if (engines.includes('shadernet')) {
      // First, before anything compiles: the first model's first epoch on fresh devices (pipelines created async in browsers).
      document.body.dataset['progress'] = 'cold start';
      coldStart = await measureColdStart(() => requestGpu()).catch(() => undefined);
    }
    for (const engine of engines) {
      let setupError: string | undefined;
      try {
        if (SHADERNET_ENGINES.includes(engine)) ctx = await requestGpu();
        else setupError = await setUp(engine);
      } catch (error) {
        setupError = String((error as Error)?.message ?? error);
      }
      if (ctx && engine === 'shadernet') {
        // The roofline's ceilings; a failure leaves the figures without it, and says why.
        document.body.dataset['progress'] = `calibrating the adapter's peaks`;
        calibration = await calibrate(ctx.device, mode === 'full' ? 100 : 30).catch((error: unknown) => {
          calibrationError = String((error as Error)?.message ?? error);
          return undefined;
        });
      }
      for (const workload of config.workloads) {
        const step = `${engine} · ${workload.id}`;
        status.textContent = `Running ${mode}: ${step} (${figures.length + 1}/${total})`;
        document.body.dataset['progress'] = `${figures.length + 1}/${total} ${step}`;
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the page paint
        const overBudget = budgetS !== undefined && performance.now() - started > budgetS * 1000;
        const figure: Figure = overBudget
          ? noFigure(engine, workload, { skipped: `the ${budgetS} s time budget was spent` })
          : setupError
            ? noFigure(engine, workload, { error: setupError })
            : SHADERNET_ENGINES.includes(engine)
              ? await runShadernet(ctx!, workload, config, engine)
              : JAX_ENGINES.includes(engine)
                ? await runJax(jax, engine, workload, config)
                : await runTfjs(tf, engine, workload, config);
        figures.push(figure);
        progress.value = figures.length;
        show(figures, calibration, coldStart);
      }
      if (SHADERNET_ENGINES.includes(engine)) ctx?.dispose();
    }
    report = {
      tool: 'shadernet-bench',
      runner: 'browser',
      mode,
      date: new Date().toISOString(),
      durationMs: performance.now() - started,
      versions: {
        shadernet: SHADERNET_VERSION,
        tfjs: tf.version.tfjs,
        'tfjs-backend-webgpu': tf.version.tfjs,
        'tfjs-backend-wasm': tf.version.tfjs,
        'jax-js': JAX_JS_VERSION,
      },
      environment: {
        userAgent: navigator.userAgent,
        hardwareConcurrency: navigator.hardwareConcurrency,
        crossOriginIsolated,
        adapter: await adapterInfo(),
        engines,
        realGpu,
        ...(budgetS !== undefined ? { budgetS } : {}),
        ...(calibrationError ? { calibrationError } : {}),
      },
      method: [...METHOD, 'TF.js wasm runs single-threaded SIMD unless the page is cross-origin isolated.'],
      skipped: [...config.skipped, ...describeBounds(config, engines)],
      figures,
      ...(calibration ? { calibration } : {}),
      ...(coldStart ? { coldStart } : {}),
    };
    window.shadernetBench = report;
    const errors = figures.filter((f) => f.error).length;
    setState('done', `Done in ${(report.durationMs / 1000).toFixed(0)} s${errors ? `, ${errors} errors (see the table)` : ''}.`);
  } catch (error) {
    setState('error', `Failed: ${String((error as Error)?.message ?? error)}`);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
    copyButton.disabled = !report;
  }
}

const params = new URLSearchParams(location.search);
const realGpu = params.get('gpu') === '1';
const budgetS = params.has('budget') ? Number(params.get('budget')) : undefined;
const engineParam = params.get('engines');
const engines = engineParam ? ENGINES.filter((e) => engineParam.split(',').includes(e)) : ENGINES;

for (const button of buttons) button.addEventListener('click', () => void run(button.dataset['mode'] as Mode, engines));
copyButton.addEventListener('click', async () => {
  if (!report) return;
  const json = JSON.stringify(report, null, 2);
  try {
    await navigator.clipboard.writeText(json);
    status.textContent = 'JSON copied to the clipboard.';
  } catch {
    tables.textContent = json; // no clipboard permission: show it to copy by hand
  }
});

setState(
  'idle',
  navigator.gpu
    ? 'Ready. Quick takes a few minutes on a software GPU, seconds on a real one.'
    : 'This browser has no WebGPU: only the TF.js and jax-js wasm and cpu figures will run.',
);
const auto = params.get('auto');
if (auto === 'quick' || auto === 'full' || auto === 'tiny') void run(auto, engines);
