// `npm run bench:browser` — serves dist/demo, opens bench.html in headless Chromium (WebGPU on
// SwiftShader when there is no GPU) and runs the shared workloads on shadernet, TF.js (webgpu,
// wasm SIMD, cpu) and jax-js (webgpu, wasm) in that page. Quick mode by default, `-- --full` for
// everything, `-- --engines shadernet,jax-wasm` to pick. Prints ratio and roofline tables; writes
// bench/results/browser-<mode>[-gpu]-<date>.json, .md and .png (the page's charts).
//
// `-- --gpu` (`npm run bench:gpu` = `-- --full --gpu`): a hardware adapter through Vulkan (Linux)
// — no SwiftShader flag, Chrome's GPU flags instead — and the WebGPU peers unbounded. It reads the
// adapter first and exits with code 2, measuring nothing, when the adapter is a software one
// (SwiftShader, llvmpipe, a "CPU" type, a fallback adapter). The whole run, Chromium's start
// included, stays within GPU_BUDGET_MS: the page skips, and reports as skipped, what would start
// after its share of it.
//
// Browser: $PLAYWRIGHT_CHROMIUM_EXECUTABLE, else /usr/bin/chromium, else Playwright's own
// (as in playwright.config.ts; with --gpu its full "chromium" channel: the headless shell has no GPU).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { describeAdapter, softwareAdapterReason, type AdapterInfo } from './lib/adapter-check.js';
import { reportTables } from './lib/report.js';
import type { BenchReport } from './lib/workloads.js';

const args = process.argv.slice(2);
const mode = args.includes('--full') ? 'full' : args.includes('--tiny') ? 'tiny' : 'quick';
const enginesFlag = args.indexOf('--engines');
const engines = enginesFlag >= 0 ? args[enginesFlag + 1] : undefined;
const realGpu = args.includes('--gpu');
const port = Number(process.env['BENCH_PORT'] ?? 4180);
/** The --gpu run's whole budget (issue 15: ≤ 8 minutes), and what the page leaves for writing results. */
const GPU_BUDGET_MS = 8 * 60_000;
const GPU_MARGIN_MS = 60_000;
const launchedAt = Date.now();
const timeoutMs = realGpu ? GPU_BUDGET_MS : { tiny: 120_000, quick: 900_000, full: 1_800_000 }[mode];

/**
 * Chromium's flags. Without a GPU: WebGPU on SwiftShader. With --gpu: Vulkan through ANGLE and Dawn
 * on the system's driver, in new headless mode (Chrome's recipe for WebGPU tests on Linux GPUs),
 * the GPU blocklist ignored (headless servers' drivers are often on it), and the developer
 * features that make GPUAdapterInfo report the adapter's type and backend.
 */
const WEBGPU_FLAGS = realGpu
  ? [
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-angle=vulkan',
      '--disable-vulkan-surface',
      '--ignore-gpu-blocklist',
      '--enable-webgpu-developer-features',
    ]
  : ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

function executablePath(): string | undefined {
  const fromEnv = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'];
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

const jaxVersion = (JSON.parse(readFileSync('node_modules/@jax-js/jax/package.json', 'utf8')) as { version: string }).version;

const server = spawn(process.execPath, ['scripts/serve-static.mjs', 'dist/demo', '--port', String(port)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('serving') && resolve());
  server.on('exit', (code) => reject(new Error(`serve-static exited with ${code}`)));
});

/** The adapter is a software one: --gpu stops before measuring. */
class SoftwareAdapterError extends Error {}

const path = executablePath();
const browser = await chromium.launch({
  headless: true,
  ...(path ? { executablePath: path } : realGpu ? { channel: 'chromium' } : {}),
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    ...WEBGPU_FLAGS,
  ],
});
let exitCode = 0;
let adapter: AdapterInfo = { webgpu: false };
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && console.error(`console: ${message.text()}`));
  // The adapter first: --gpu measures nothing on a software one.
  await page.goto(`http://127.0.0.1:${port}/bench.html`);
  await page.waitForFunction(() => document.body.dataset['benchState'] === 'idle');
  adapter = await page.evaluate(() => window.benchAdapterInfo!());
  console.log(
    `shadernet browser bench (${mode}${realGpu ? ', --gpu' : ''}) — Chromium ${browser.version()}${path ? ` (${path})` : ''}; adapter: ${describeAdapter(adapter)}`,
  );
  const software = realGpu ? softwareAdapterReason(adapter) : undefined;
  if (software) throw new SoftwareAdapterError(software);
  const budgetS = realGpu ? Math.floor((GPU_BUDGET_MS - GPU_MARGIN_MS - (Date.now() - launchedAt)) / 1000) : undefined;
  const query = new URLSearchParams({
    auto: mode,
    ...(engines ? { engines } : {}),
    ...(realGpu ? { gpu: '1', budget: String(budgetS) } : {}),
  });
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${port}/bench.html?${query}`);
  let last = '';
  for (;;) {
    const state = await page.evaluate(() => [document.body.dataset['benchState'], document.body.dataset['progress']] as const);
    if (state[0] === 'done' || state[0] === 'error') break;
    if (state[1] && state[1] !== last) {
      last = state[1];
      console.error(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${last}`);
    }
    if (Date.now() - launchedAt > timeoutMs) throw new Error(`bench did not finish within ${timeoutMs / 1000} s (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const report = await page.evaluate(() => window.shadernetBench);
  if (!report) throw new Error(`bench failed: ${await page.locator('#status').innerText()}`);
  const full: BenchReport = {
    ...report,
    versions: { ...report.versions, chromium: browser.version(), 'jax-js': jaxVersion },
    environment: {
      ...report.environment,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      swiftshader: !realGpu,
      chromiumPath: path ?? 'playwright',
      chromiumFlags: WEBGPU_FLAGS,
    },
  };
  console.log(`\n${reportTables(full)}`);
  for (const line of full.skipped) console.log(`\nskipped: ${line}`);
  console.log(`\n${full.method[0]}`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/browser-${mode}${realGpu ? '-gpu' : ''}-${full.date.replace(/[:.]/g, '-')}`;
  writeFileSync(`${file}.json`, `${JSON.stringify(full, null, 2)}\n`);
  writeFileSync(
    `${file}.md`,
    `Adapter: ${describeAdapter(adapter)}; Chromium ${browser.version()}; ${mode} mode${realGpu ? ', --gpu' : ', SwiftShader'}.\n\n${reportTables(full, true)}\n`,
  );
  await page.screenshot({ path: `${file}.png`, fullPage: true });
  console.log(`\nJSON: ${file}.json (${(full.durationMs / 1000).toFixed(0)} s in the page)`);
  if (full.figures.some((f) => f.error)) exitCode = 1;
} catch (error) {
  if (error instanceof SoftwareAdapterError) {
    console.error(
      `\n--gpu refuses to run: ${error.message}.\nThis adapter is ${describeAdapter(adapter)}.\nOn Linux: install the GPU's Vulkan driver (vulkaninfo --summary should list the GPU, not llvmpipe), and let Chromium see it (no VK_ICD_FILENAMES pointing at SwiftShader; a GPU and /dev/dri or /dev/nvidia* in containers). Without a GPU, run without --gpu: the figures are then SwiftShader's.`,
    );
    exitCode = 2;
  } else {
    console.error(error);
    exitCode = 1;
  }
} finally {
  await browser.close();
  server.kill();
}
process.exit(exitCode);
