#!/usr/bin/env node
// What the live decision map costs training: the "MLP, 128 hidden units" preset trained with the
// map live (coarse redraws every 400 ms, the default) and with it off (live switched off by hand
// once training runs: a full-resolution redraw after each epoch only, as before), alternated in
// the same browser, and with no map at all (the map's model taken away once training runs: the
// baseline). Prints the median over runs of the summed epoch times of epochs 2–10 (the library's
// epochMs: training + validation wall time, map passes run meanwhile included) and the ratios to
// the baseline.
//
//   node esbuild.mjs demo && node scripts/live-map-cost.mjs [--runs N] [--page-thread] [--dir DEMO_DIR]
//
// --dir serves another build of the demo (default dist/demo), e.g. a copy of the build before a change.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { serveStatic } from './serve-static.mjs';

const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 3;
const pageThread = args.includes('--page-thread');
const dirIndex = args.indexOf('--dir');
const demoDir = dirIndex >= 0 ? args[dirIndex + 1] : 'dist/demo';
const executablePath = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const server = await serveStatic(demoDir, 0);
const browser = await chromium.launch({
  headless: true,
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', '--disable-background-networking', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
});

async function trainOnce(mode) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/${pageThread ? '#worker=0' : ''}`);
  const playground = page.locator('sn-playground[data-gpu="ready"]');
  await playground.waitFor({ timeout: 60_000 });
  await page.evaluate(() => {
    window.epochMs = [];
    document.querySelector('sn-playground').addEventListener('epoch-end', (e) => window.epochMs.push(e.detail.elapsedMs));
  });
  await page.getByRole('button', { name: /MLP, 128 hidden units/ }).click();
  await page.locator('sn-playground[data-running="true"]').waitFor({ timeout: 60_000 });
  if (mode !== 'live') {
    await page.evaluate((mode) => {
      const map = document.querySelector('sn-playground').shadowRoot.querySelector('section.output sn-decision-map');
      if (mode === 'off') map.live = false;
      else map.model = undefined; // no map passes at all
    }, mode);
  }
  await page.locator('sn-playground[data-epoch="10"][data-busy="false"]').waitFor({ timeout: 120_000 });
  const [passes, epochMs] = await page.evaluate(() => [
    Number(document.querySelector('sn-playground').shadowRoot.querySelector('section.output sn-decision-map').getAttribute('data-passes')),
    window.epochMs,
  ]);
  await context.close();
  return { ms: epochMs.slice(1).reduce((a, b) => a + b, 0), passes };
}

const results = { live: [], off: [], none: [] };
for (let i = 0; i < runs; i++) {
  for (const mode of ['live', 'off', 'none']) {
    const r = await trainOnce(mode);
    results[mode].push(r.ms);
    console.log(`run ${i + 1} ${mode.padEnd(4)}: epochs 2–10 ${r.ms.toFixed(0)} ms, ${r.passes} map passes in all`);
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const [live, off, none] = [median(results.live), median(results.off), median(results.none)];
console.log(
  `${pageThread ? "page's thread" : 'worker'}: epochs 2–10 median ${live.toFixed(0)} ms live, ${off.toFixed(0)} ms per-epoch map, ` +
    `${none.toFixed(0)} ms no map; live/no map ${(live / none).toFixed(3)}, per-epoch map/no map ${(off / none).toFixed(3)}`,
);
await browser.close();
server.close();
