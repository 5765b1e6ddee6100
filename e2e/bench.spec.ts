import { expect, test } from '@playwright/test';
import { screenshot, watchProblems } from './helpers.js';
import { TIME_BUDGET } from './budgets.js';

// The bench page (demo/bench.html) on a tiny configuration: one matmul, a 320-row 2→5→1 model for
// one epoch, a 50×50 grid, on shadernet and on TF.js's wasm and cpu backends.
test('bench page runs shadernet and TF.js and charts finite figures', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/bench.html?auto=tiny&engines=shadernet,tfjs-wasm,tfjs-cpu');
  await expect(page.locator('body')).toHaveAttribute('data-bench-state', 'done', { timeout: TIME_BUDGET.training });

  const report = await page.evaluate(() => window.shadernetBench!);
  expect(report.figures).toHaveLength(9);
  for (const figure of report.figures) {
    expect(figure.error, `${figure.engine} ${figure.workload}`).toBeUndefined();
    expect(Number.isFinite(figure.ms) && figure.ms > 0, `${figure.engine} ${figure.workload}: ${figure.ms} ms`).toBe(true);
  }

  // Every chart draws one bar per engine per workload, with a finite value and TF.js bars labelled.
  const training = page.locator('sn-bench-chart[kind="training"]');
  const bars = training.locator('g[data-engine]');
  await expect(bars).toHaveCount(3);
  for (const value of await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-value'))))) {
    expect(Number.isFinite(value) && value > 0).toBe(true);
  }
  await expect(training.locator('rect')).toHaveCount(3);
  await expect(training.locator('tspan')).toHaveCount(2); // "shadernet N×" on the two TF.js bars
  await expect(page.locator('sn-bench-chart[kind="predict"] rect')).toHaveCount(3);
  await expect(page.locator('sn-bench-chart[kind="kernel"] rect')).toHaveCount(3);
  await expect(page.locator('#copy')).toBeEnabled();
  await screenshot(page, 'bench-tiny');
  expect(problems).toEqual([]);
});
