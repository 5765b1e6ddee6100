#!/usr/bin/env node
// Time to the first trained map: loads the built demo (dist/demo) in headless Chromium (WebGPU on
// SwiftShader unless the machine has a GPU), clicks "MLP, 128 hidden units" as soon as it can be
// clicked, and waits until the page shows a trained model: val accuracy ≥ 0.99 on screen AND the
// decision map's canvas changed since the click and looks trained (class 1 at the centre, class 0
// at the four corners). Prints the seconds from navigation to each milestone.
//
//   node esbuild.mjs demo && node scripts/time-to-map.mjs [--runs N] [--read-ms MS] [--page-thread]
//
// --read-ms waits that long after the page is ready before clicking (a user reading the page);
// --page-thread unticks "Train in a Web Worker" through the URL first.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { serveStatic } from './serve-static.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = option('--runs', 3);
const readMs = option('--read-ms', 0);
const pageThread = args.includes('--page-thread');

const executablePath = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const server = await serveStatic('dist/demo', 0);
const port = server.address().port;
const browser = await chromium.launch({
  headless: true,
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', '--disable-background-networking', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
});

/** In the page: the map's canvas as a short fingerprint, and whether it looks trained. */
function readMap() {
  const playground = document.querySelector('sn-playground');
  const root = playground?.shadowRoot;
  const map = root?.querySelector('section.output sn-decision-map');
  const canvas = map?.shadowRoot?.querySelector('canvas');
  const valText =
    root?.querySelector('section.output sn-metrics-chart')?.shadowRoot?.querySelector('[data-testid="val_accuracy"]')?.textContent ?? '';
  if (!canvas || canvas.width === 0) return { hash: '', trained: false, val: Number(valText) };
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 0;
  for (let i = 0; i < data.length; i += 97) hash = (Math.imul(hash, 31) + data[i]) | 0;
  const at = (fx, fy) => {
    const x = Math.min(canvas.width - 1, Math.floor(fx * canvas.width));
    const y = Math.min(canvas.height - 1, Math.floor(fy * canvas.height));
    const i = (y * canvas.width + x) * 4;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const class1 = ([r, , b]) => r > b + 60;
  const class0 = ([r, , b]) => b > r + 60;
  const trained = class1(at(0.5, 0.5)) && [at(0.03, 0.03), at(0.97, 0.03), at(0.03, 0.97), at(0.97, 0.97)].every(class0);
  return { hash: `${canvas.width}:${hash}`, trained, val: Number(valText) };
}

const results = [];
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(`http://127.0.0.1:${port}/${pageThread ? '#worker=0' : ''}`);
  const button = page.getByRole('button', { name: /MLP, 128 hidden units/ });
  await button.waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('sn-playground[data-gpu="ready"]').waitFor({ timeout: 60_000 });
  const ready = (Date.now() - start) / 1000;
  if (readMs > 0) await page.waitForTimeout(readMs);
  const before = await page.evaluate(readMap);
  const clicked = (Date.now() - start) / 1000;
  await button.click();
  let firstChange;
  let accurate;
  let trainedMap;
  let frames = 0;
  let last = before.hash;
  while (trainedMap === undefined && Date.now() - start < 120_000) {
    const now = await page.evaluate(readMap);
    const t = (Date.now() - start) / 1000;
    if (firstChange === undefined && now.hash && now.hash !== before.hash) firstChange = t;
    if (now.hash && now.hash !== last) frames++;
    last = now.hash;
    if (accurate === undefined && now.val >= 0.99) accurate = t;
    if (accurate !== undefined && now.trained && now.hash !== before.hash) trainedMap = t;
    else await page.waitForTimeout(50);
  }
  const row = { ready, clicked, firstMapChange: firstChange, valAccuracy099: accurate, trainedMap };
  const epochs = await page.locator('sn-playground').getAttribute('data-epoch');
  results.push(row);
  console.log(
    `run ${run + 1}: ${Object.entries(row)
      .map(([k, v]) => `${k} ${v === undefined ? '—' : `${v.toFixed(1)} s`}`)
      .join(', ')}; ${frames} map frames seen until then (epoch ${epochs})`,
  );
  await context.close();
}
const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined;
};
const trained = median(results.map((r) => r.trainedMap));
console.log(
  `time to the first trained map (median of ${runs}, ${pageThread ? "page's thread" : 'worker'}, click ${readMs} ms after ready): ${trained === undefined ? 'not reached' : `${trained.toFixed(1)} s`}`,
);
await browser.close();
server.close();
