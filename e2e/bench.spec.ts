import { expect, test } from '@playwright/test';
import { screenshot, watchProblems } from './helpers.js';
import { TIME_BUDGET } from './budgets.js';

// The bench page (demo/bench.html) on a tiny configuration: the calibration kernels, one matmul, a
// 320-row 2→5→1 model for one epoch, a 50×50 grid, on shadernet (and with its layered kernels
// forced, which skips the kernel workload), TF.js's wasm and cpu backends and jax-js's wasm device.
test('bench page runs shadernet, TF.js and jax-js, charts finite figures and a roofline', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/bench.html?auto=tiny&engines=shadernet,shadernet-layered,tfjs-wasm,tfjs-cpu,jax-wasm');
  await expect(page.locator('body')).toHaveAttribute('data-bench-state', 'done', { timeout: TIME_BUDGET.training });

  const report = await page.evaluate(() => window.shadernetBench!);
  expect(report.figures).toHaveLength(15);
  const [skipped, ...ran] = [...report.figures].sort((a, b) => Number(!a.skipped) - Number(!b.skipped));
  expect(skipped!.engine + ' ' + skipped!.kind + ': ' + skipped!.skipped).toBe(
    'shadernet-layered kernel: kernels are the same on every shadernet path',
  );
  const layered = report.figures.find((f) => f.engine === 'shadernet-layered' && f.kind === 'training')!;
  const chosen = report.figures.find((f) => f.engine === 'shadernet' && f.kind === 'training')!;
  expect([chosen.kernels, layered.kernels, chosen.dispatchesPerStep, layered.dispatchesPerStep]).toEqual(['fused', 'layered', 2, 4]);
  for (const figure of ran) {
    expect(figure.error, `${figure.engine} ${figure.workload}`).toBeUndefined();
    expect(Number.isFinite(figure.ms) && figure.ms > 0, `${figure.engine} ${figure.workload}: ${figure.ms} ms`).toBe(true);
    if (figure.kind === 'training') expect(figure.valAccuracy, `${figure.engine} validation accuracy`).toBeGreaterThanOrEqual(0);
    if (figure.kind === 'kernel') expect(figure.gbps! > 0 && figure.intensity! > 0, `${figure.engine} GB/s and intensity`).toBe(true);
  }
  const peaks = report.calibration!;
  expect(peaks.peakGflops > 0 && peaks.peakGBs > 0 && Number.isFinite(peaks.peakGflops) && Number.isFinite(peaks.peakGBs)).toBe(true);
  expect(report.versions['jax-js']).toMatch(/^\d+\.\d+\.\d+/);

  // Every chart draws one bar per engine per workload, with a finite value and the peers' bars labelled.
  const training = page.locator('sn-bench-chart[kind="training"]');
  const bars = training.locator('g[data-engine]');
  await expect(bars).toHaveCount(5);
  for (const value of await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-value'))))) {
    expect(Number.isFinite(value) && value > 0).toBe(true);
  }
  await expect(training.locator('rect')).toHaveCount(5);
  await expect(training.locator('tspan')).toHaveCount(4); // "shadernet N×" on the four peers' bars
  await expect(page.locator('sn-bench-chart[kind="predict"] rect')).toHaveCount(5);
  await expect(page.locator('sn-bench-chart[kind="kernel"] rect')).toHaveCount(4);

  // The roofline: the ceilings as one path, a point per WebGPU kernel figure (shadernet's matmul
  // here: the adapter's ceilings do not bound the CPU backends), inside the plot.
  const roofline = page.locator('sn-bench-roofline');
  await expect(roofline.locator('path.roof')).toHaveCount(1);
  const points = roofline.locator('circle[data-workload]');
  await expect(points).toHaveCount(1);
  for (const [cx, cy] of await points.evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]))) {
    expect(cx! > 0 && cx! < 640 && cy! > 0 && cy! < 360, `point at ${cx}, ${cy}`).toBe(true);
  }
  await expect(page.locator('#tables')).toContainText('Roofline');
  await expect(page.locator('#tables')).toContainText('Kernel paths');
  await expect(page.locator('#copy')).toBeEnabled();
  await screenshot(page, 'bench-tiny');
  expect(problems).toEqual([]);
});
