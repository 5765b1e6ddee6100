// `npm run bench:browser` — serves dist/demo, opens bench.html in headless Chromium (WebGPU on
// SwiftShader when there is no GPU) and runs the shared workloads on shadernet and on TF.js
// (webgpu, wasm SIMD, cpu) in that page. Quick mode by default, `-- --full` for everything,
// `-- --engines shadernet,tfjs-wasm` to pick. Prints ratio tables; writes
// bench/results/browser-<mode>-<date>.json, .md and .png (the page's charts).
//
// Browser: $PLAYWRIGHT_CHROMIUM_EXECUTABLE, else /usr/bin/chromium, else Playwright's own
// (as in playwright.config.ts). `--gpu` drops --use-webgpu-adapter=swiftshader (use the real GPU).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { reportTables } from './lib/report.js';
import type { BenchReport } from './lib/workloads.js';

const args = process.argv.slice(2);
const mode = args.includes('--full') ? 'full' : args.includes('--tiny') ? 'tiny' : 'quick';
const enginesFlag = args.indexOf('--engines');
const engines = enginesFlag >= 0 ? args[enginesFlag + 1] : undefined;
const realGpu = args.includes('--gpu');
const port = Number(process.env['BENCH_PORT'] ?? 4180);
const timeoutMs = { tiny: 120_000, quick: 600_000, full: 1_800_000 }[mode];

function executablePath(): string | undefined {
  const fromEnv = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'];
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

const server = spawn(process.execPath, ['scripts/serve-static.mjs', 'dist/demo', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve, reject) => {
  server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('serving') && resolve());
  server.on('exit', (code) => reject(new Error(`serve-static exited with ${code}`)));
});

const path = executablePath();
const browser = await chromium.launch({
  headless: true,
  ...(path ? { executablePath: path } : {}),
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--enable-unsafe-webgpu',
    ...(realGpu ? [] : ['--use-webgpu-adapter=swiftshader']),
  ],
});
let exitCode = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && console.error(`console: ${message.text()}`));
  const query = new URLSearchParams({ auto: mode, ...(engines ? { engines } : {}) });
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${port}/bench.html?${query}`);
  console.log(`shadernet browser bench (${mode}) — Chromium ${browser.version()}${path ? ` (${path})` : ''}, ${realGpu ? 'system GPU' : 'SwiftShader'}`);
  let last = '';
  for (;;) {
    const state = await page.evaluate(() => [document.body.dataset['benchState'], document.body.dataset['progress']] as const);
    if (state[0] === 'done' || state[0] === 'error') break;
    if (state[1] && state[1] !== last) {
      last = state[1];
      console.error(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${last}`);
    }
    if (Date.now() - started > timeoutMs) throw new Error(`bench did not finish within ${timeoutMs / 1000} s (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const report = await page.evaluate(() => window.shadernetBench);
  if (!report) throw new Error(`bench failed: ${await page.locator('#status').innerText()}`);
  const full: BenchReport = {
    ...report,
    versions: { ...report.versions, chromium: browser.version() },
    environment: { ...report.environment, cpus: cpus().length, cpuModel: cpus()[0]?.model, swiftshader: !realGpu, chromiumPath: path ?? 'playwright' },
  };
  console.log(`\n${reportTables(full)}`);
  for (const line of full.skipped) console.log(`\nskipped: ${line}`);
  console.log(`\n${full.method[0]}`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/browser-${mode}-${full.date.replace(/[:.]/g, '-')}`;
  writeFileSync(`${file}.json`, `${JSON.stringify(full, null, 2)}\n`);
  writeFileSync(`${file}.md`, `${reportTables(full, true)}\n`);
  await page.screenshot({ path: `${file}.png`, fullPage: true });
  console.log(`\nJSON: ${file}.json (${(full.durationMs / 1000).toFixed(0)} s in the page)`);
  if (full.figures.some((f) => f.error)) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await browser.close();
  server.kill();
}
process.exit(exitCode);
