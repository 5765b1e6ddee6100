/**
 * The demo where WebGPU is unavailable (project 'no-webgpu': Chromium without the WebGPU flags):
 * the page explains why, and trains on the library's float64 CPU engine instead, saying so.
 */
import { expect, test, type Page } from '@playwright/test';
import type { SnDecisionMap } from '../src/components/index.js';
import {
  expectCirclesMap,
  expectInViewport,
  expectMapOnScreen,
  isClass1,
  mapPixels,
  metric,
  oneFitHistory,
  screenshot,
  waitForEpoch,
  watchProblems,
  SCREENSHOTS,
} from './helpers.js';
import { TIME_BUDGET, TIME_SCALE } from './budgets.js';

/** The status element's one line (`cpu-fallback`), where the adapter is normally shown. */
const CPU_LINE = 'WebGPU is unavailable in this browser: training runs on the CPU (float64 reference engine)';

async function skipIfAdapter(page: Page): Promise<void> {
  const hasAdapter = await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) != null);
  test.skip(hasAdapter, 'this browser provides a WebGPU adapter even without the WebGPU flags');
}

/**
 * Records the longest gap between main-thread timer ticks from now on (read with `longestGap`):
 * how long the page was unresponsive at worst.
 */
async function watchResponsiveness(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { maxGap: number };
    w.maxGap = 0;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.maxGap = Math.max(w.maxGap, now - last);
      last = now;
    }, 10);
  });
}

const longestGap = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { maxGap: number }).maxGap);

test('no adapter: explains why and what to do, and says that training runs on the CPU', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/');
  await skipIfAdapter(page);

  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'unavailable');
  // One line where the adapter is normally shown: the backend that runs instead. Why, what to do
  // and "Try again" are folded into it, and unfold from the keyboard.
  const line = status.getByTestId('backend');
  await expect(line).toContainText('CPU backend');
  await expect(line).toContainText(CPU_LINE);
  const why = line.getByText('requestAdapter() returned null');
  const tryAgain = line.getByRole('button', { name: 'Try again' });
  await expect(why).toBeHidden();
  await expect(tryAgain).toBeHidden();
  await line.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(why).toBeVisible();
  await expect(line.locator('li')).toContainText([
    'Chrome or Edge',
    'chrome://gpu',
    '--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader',
  ]);
  await expect(tryAgain).toBeVisible();
  await screenshot(page, 'unavailable-no-adapter');
  await page.keyboard.press('Space');
  await expect(why).toBeHidden();
  // The playground adds no notice of its own: the line says it all.
  await expect(page.getByText('training runs on the CPU')).toHaveCount(1);
  expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
});

test('no navigator.gpu: explains why and what to do, and trains on the CPU', async ({ page }) => {
  const problems = watchProblems(page);
  // What a browser without WebGPU (or a page outside a secure context) looks like.
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await page.goto('/#data=moons&n=200&noise=0.1&dseed=1&val=0.2&layers=8relu&epochs=5&batch=32&lr=0.01&seed=3');
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'unavailable');
  const line = status.getByTestId('backend');
  await expect(line).toContainText(CPU_LINE);
  await line.locator('summary').click();
  await expect(line.getByText('navigator.gpu is undefined')).toBeVisible();
  await expect(line).toContainText('headless Chromium');
  const playground = page.locator('sn-playground');
  await expect(playground).toHaveAttribute('data-backend', 'cpu');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForEpoch(playground, 5);
  expect(await metric(playground.locator('section.output'), 'val_accuracy')).toBeGreaterThanOrEqual(0.8);
  // Epoch by epoch on the CPU = one fit over the 5 epochs (the shuffle depends on (seed, epoch) only).
  const epochByEpoch = await page.evaluate(() => document.querySelector('sn-playground')!.runs[0]!.history);
  const oneFit = await oneFitHistory(page, 'cpu');
  for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(epochByEpoch[key], key).toEqual(oneFit[key]);
  await screenshot(page, 'unavailable-no-api');
  expect(problems).toEqual([]);
});

test('if the script cannot load, the page still says so', async ({ page }) => {
  await page.route('**/main.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await expect(page.getByText('If this message stays, the demo script did not run')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('shadernet');
  await screenshot(page, 'script-failed');
});

for (const [width, height] of [
  [1280, 800],
  [1440, 900],
] as const) {
  test(`no adapter at ${width}×${height}: one line says so, and the decision map with its axis is on screen`, async ({ page }) => {
    const problems = watchProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await skipIfAdapter(page);
    const playground = page.locator('sn-playground');
    await expect(playground).toHaveAttribute('data-backend', 'cpu');
    const output = playground.locator('section.output');
    await expect(output.locator('sn-decision-map')).toHaveAttribute('data-passes', /[1-9]/);
    // As high as the GPU's compact line (one line of text), not a panel.
    const line = page.locator('sn-gpu-status').getByTestId('backend');
    await expectInViewport(page, line, 'CPU line');
    expect((await line.boundingBox())!.height, 'the CPU line is one line').toBeLessThanOrEqual(44);
    await expectMapOnScreen(page, output.locator('sn-dataset-view'));
    await expectInViewport(page, output.locator('sn-metrics-chart'), 'metrics chart');
    await expectInViewport(page, page.getByRole('button', { name: 'Train', exact: true }), 'play button');
    await page.screenshot({ path: `${SCREENSHOTS}/cpu-fallback-${width}x${height}.png` });
    expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
  });
}

test('no adapter: the preset "MLP, 128 hidden units" trains to the end on the CPU, with maps, and the page stays responsive', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await skipIfAdapter(page);
  const playground = page.locator('sn-playground');
  await expect(playground).toHaveAttribute('data-gpu', 'unavailable');
  await expect(playground).toHaveAttribute('data-backend', 'cpu');
  await expect(playground).toHaveAttribute('data-models', '1');
  // The line says so; training is not disabled.
  await expect(page.locator('sn-gpu-status').getByTestId('backend')).toContainText(CPU_LINE);
  await expect(playground.getByRole('status').filter({ hasText: 'Training needs a WebGPU device' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  // The untrained model's map is drawn by the CPU engine too.
  await expect(playground.locator('sn-decision-map')).toHaveAttribute('data-passes', /[1-9]/);

  await page.getByRole('button', { name: /MLP, 128 hidden units/ }).click();
  // From the first epoch on (the rebuild and the first, JIT-cold epoch are not the engine's steady state).
  await expect.poll(async () => Number(await playground.getAttribute('data-epoch'))).toBeGreaterThanOrEqual(1);
  await watchResponsiveness(page);
  await waitForEpoch(playground, 10);
  const gap = await longestGap(page);
  const output = playground.locator('section.output');
  const val = await metric(output, 'val_accuracy');
  expect(val).toBeGreaterThanOrEqual(0.95);
  expect(await metric(output, 'accuracy')).toBeGreaterThanOrEqual(0.95);
  await expect(output.getByTestId('samples-per-second')).toHaveText(/^[0-9,]+$/);
  const run = await page.evaluate(() => {
    const r = document.querySelector('sn-playground')!.runs[0]!;
    return { backend: r.model.backend, epochMs: r.lastEpochMs, epochs: r.history['val_accuracy']!.length };
  });
  expect(run.backend).toBe('cpu');
  expect(run.epochs).toBe(10);
  expect(run.epochMs).toBeGreaterThan(0);
  const log = page.getByRole('log', { name: 'Training log' });
  await expect(log).toContainText('on the CPU (float64 reference engine');
  await expect(log).toContainText(
    /Epoch 10\/10\s+125\/125 - \d+s - loss: 0\.\d{4} - accuracy: [01]\.\d{4} - val_loss: 0\.\d{4} - val_accuracy: [01]\.\d{4}/,
  );
  // The page never froze while training: the CPU engine yields every ~50 ms within an epoch, the
  // run before every epoch, and the maps between chunks of rows (≤ ~100 ms here, ~200 ms on a
  // loaded machine; without the yield between epochs, short epochs ran back to back for ~450 ms).
  // The bound stretches with the machine's load (TIME_SCALE): a loaded machine stretches every gap.
  test
    .info()
    .annotations.push({ type: 'longest main-thread gap', description: `${gap.toFixed(0)} ms (bound ${(400 * TIME_SCALE).toFixed(0)} ms)` });
  expect(gap, `longest main-thread gap ${gap.toFixed(0)} ms`).toBeLessThan(400 * TIME_SCALE);

  // The decision map: red inside, blue at the corners; 128 hidden-unit maps from the same pass.
  const map = output.locator('sn-decision-map');
  await map.evaluate((m) => (m as SnDecisionMap).idle());
  await expectCirclesMap(map);
  const network = playground.locator('sn-network-view');
  await expect(network.getByRole('button', { name: /^L1 #\d+, bias/ })).toHaveCount(8);
  await expect(network.getByRole('button', { name: '+120 more' })).toBeVisible();
  await output.locator('sn-dataset-view').screenshot({ path: `${SCREENSHOTS}/cpu-fallback-decision-map-mlp128.png` });
  await screenshot(page, 'cpu-fallback-playground-1280');

  // The data and the model builder work as with a GPU.
  await expect(page.locator('sn-dataset-view canvas.points')).toHaveAttribute('aria-label', /4000 training points/);
  await page.locator('sn-model-builder').getByRole('button', { name: '+ Add layer' }).click();
  await expect(page.getByTestId('param-count')).toHaveText('1,425 parameters'); // 2→128→8→1: 384 + 1,032 + 9
  await expect(playground).toHaveAttribute('data-epoch', '0'); // a new model, on the CPU again
  await expect(playground).toHaveAttribute('data-models', '1');
  expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
});

test('no adapter: compare mode trains logistic regression and the MLP side by side on the CPU', async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await skipIfAdapter(page);
  const playground = page.locator('sn-playground');
  await expect(playground).toHaveAttribute('data-backend', 'cpu');
  await page.getByRole('button', { name: 'Compare models' }).click();
  await expect(playground).toHaveAttribute('data-models', '2');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(() => page.evaluate(() => document.querySelector('sn-playground')!.runs.map((r) => r.epoch)), { timeout: TIME_BUDGET.training })
    .toEqual([1, 10]);
  await expect(playground).toHaveAttribute('data-running', 'false');
  const cards = playground.locator('article.card');
  const logistic = await metric(cards.nth(0), 'val_accuracy');
  expect(logistic).toBeGreaterThanOrEqual(0.3);
  expect(logistic).toBeLessThanOrEqual(0.7);
  expect(await metric(cards.nth(1), 'val_accuracy')).toBeGreaterThanOrEqual(0.95);
  await expect(cards.nth(1).locator('.meta')).toContainText('CPU');
  const [centre] = await mapPixels(cards.nth(1).locator('sn-decision-map'), [[0.5, 0.5]]);
  expect(isClass1(centre!)).toBe(true);
  await screenshot(page, 'cpu-fallback-compare-1280');
  expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
});

test('embed.html without WebGPU explains why and trains on the CPU', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/embed.html');
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'unavailable');
  await expect(status.getByTestId('backend')).toContainText(CPU_LINE);
  await expect(page.getByText('training runs on the CPU')).toHaveCount(1); // the line only, no second notice
  await expect(page.locator('sn-dataset-view canvas.points')).toHaveAttribute('aria-label', /800 training points/);
  await expect(page.locator('body')).toHaveAttribute('data-done', 'true', { timeout: TIME_BUDGET.training });
  await expect(page.locator('#result')).toHaveText(/Done: validation accuracy (0\.9[5-9]|1\.0)\d* after 10 epochs\. Trained on the CPU\./);
  await expect(page.locator('sn-metrics-chart [data-testid="epoch"]')).toHaveText('10/10');
  const [centre, corner] = await mapPixels(page.locator('sn-decision-map'), [
    [0.5, 0.5],
    [0.03, 0.03],
  ]);
  expect(centre![0]).toBeGreaterThan(centre![2]! + 60);
  expect(corner![2]).toBeGreaterThan(corner![0]! + 60);
  await screenshot(page, 'unavailable-embed');
  expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
});

test('no adapter: 3-class spirals with dropout train on the CPU; the chunked map has 3 outputs per cell', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/#data=spirals&n=300&noise=0.1&layers=32relu~d0.1-32relu&epochs=6&lr=0.01');
  await skipIfAdapter(page);
  const playground = page.locator('sn-playground');
  await expect(playground).toHaveAttribute('data-backend', 'cpu');
  await expect(playground).toHaveAttribute('data-models', '1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForEpoch(playground, 6, 60_000);
  expect(await metric(playground, 'val_accuracy')).toBeGreaterThan(0.5);
  const map = playground.locator('sn-decision-map');
  await map.evaluate((m: SnDecisionMap) => m.refresh());
  const sums = await map.evaluate((m: SnDecisionMap) => {
    const v = m.values!;
    let worst = 0;
    for (let cell = 0; cell < v.length / 3; cell++)
      worst = Math.max(worst, Math.abs(v[3 * cell]! + v[3 * cell + 1]! + v[3 * cell + 2]! - 1));
    return { length: v.length, worst };
  });
  expect(sums.length).toBe(200 * 200 * 3);
  expect(sums.worst).toBeLessThan(1e-4);
  expect(problems).toEqual([]);
});
