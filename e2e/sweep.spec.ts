import { expect, test } from '@playwright/test';
import { openPlayground, screenshot, watchProblems } from './helpers.js';

const MOONS = '#data=moons&n=600&noise=0.1&dseed=1&val=0.2&layers=16relu&epochs=inf&batch=32&lr=0.01&seed=3';

test('a 2×2 sweep trains 4 models side by side, each with its map and accuracy; picking one loads it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems = watchProblems(page);
  const playground = await openPlayground(page, MOONS);
  await page.getByRole('button', { name: 'Sweep', exact: true }).click();
  await expect(playground).toHaveAttribute('data-mode', 'sweep');
  const sweep = playground.locator('sn-sweep');
  await sweep.getByRole('combobox', { name: 'Epochs each' }).selectOption('5');
  // Sweep mode and its grid are in the link.
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toContain('sweep=lr-width:2x2:5');

  // Every drawn pass of every small map: a checksum of its canvas's pixels, by variant.
  await page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    (window as unknown as { sweepPixels: typeof seen }).sweepPixels = seen;
    document.addEventListener('map-update', (event) => {
      const map = event.composedPath()[0] as HTMLElement;
      const run = map.dataset['run'];
      if (!map.closest || run === undefined || map.getRootNode() === document.querySelector('sn-playground')!.shadowRoot) return;
      const canvas = map.shadowRoot!.querySelector('canvas')!;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      for (let i = 0; i < pixels.length; i++) sum = (sum * 31 + pixels[i]!) % 1_000_000_007;
      (seen[run] ??= []).push(sum);
    });
  });

  await sweep.getByRole('button', { name: 'Run sweep of 4' }).click();
  await expect(sweep).toHaveAttribute('data-models', '4');
  // Mid-sweep (a variant has trained, not all are done), caught on an animation frame: for the screenshot.
  await page.waitForFunction(
    () => {
      const runs = document.querySelector('sn-playground')!.shadowRoot!.querySelector('sn-sweep')!.runs;
      return runs.some((r) => r.epoch >= 1) && runs.some((r) => !r.done);
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  await screenshot(page, 'sweep-running');
  await expect(sweep).toHaveAttribute('data-done', '4', { timeout: 90_000 });
  await expect(sweep).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  // The four models share one copy of the data on the GPU: the training set and the validation set,
  // each written once (unshared: once per model, 8 writes, and again at every epoch).
  await expect(sweep).toHaveAttribute('data-data-uploads', '2');

  const variants = sweep.locator('article.variant');
  await expect(variants).toHaveCount(4);
  await expect(variants.locator('sn-decision-map')).toHaveCount(4);
  await expect(variants.getByTestId('val-metric')).toHaveText([/^\d+\.\d %$/, /^\d+\.\d %$/, /^\d+\.\d %$/, /^\d+\.\d %$/]);
  await expect(variants.getByText('epoch 5/5')).toHaveCount(4);
  // The 4 models are distinct (lr 0.01 / 0.1 × 16 / 64 units) and each trained 5 epochs on the one GPU context.
  const runs = await page.evaluate(() =>
    document
      .querySelector('sn-playground')!
      .shadowRoot!.querySelector('sn-sweep')!
      .runs.map((r) => ({ epoch: r.epoch, lr: r.learningRate, units: r.layers[0]!.units, acc: r.history['val_accuracy']!.at(-1)! })),
  );
  expect(runs.map((r) => [r.lr, r.units, r.epoch])).toEqual([
    [0.01, 16, 5],
    [0.01, 64, 5],
    [0.1, 16, 5],
    [0.1, 64, 5],
  ]);
  for (const r of runs) expect(r.acc).toBeGreaterThan(0.8);
  // Each map was redrawn as its model trained, and its pixels changed.
  await expect
    .poll(() =>
      page.evaluate(() =>
        Object.values((window as unknown as { sweepPixels: Record<string, number[]> }).sweepPixels).map((sums) => new Set(sums).size >= 2),
      ),
    )
    .toEqual([true, true, true, true]);
  // The best is highlighted, and named in the status line.
  await expect(variants.locator('.badge')).toHaveCount(1);
  const best = sweep.locator('article.variant.best');
  const bestLabel = (await best.getAttribute('aria-label'))!;
  await expect(sweep.getByTestId('sweep-status')).toContainText(`4/4 models trained in`);
  await expect(sweep.getByTestId('sweep-status')).toContainText(bestLabel);
  await screenshot(page, 'sweep');

  // Picking the best loads it, trained weights included, as the single model.
  const index = Number(await best.getAttribute('data-variant'));
  const expected = await page.evaluate(async (i) => {
    const run = document.querySelector('sn-playground')!.shadowRoot!.querySelector('sn-sweep')!.runs[i]!;
    return { lr: run.learningRate, units: run.layers[0]!.units, weights: Array.from((await run.model.getWeights())[0]!.slice(0, 8)) };
  }, index);
  await best.getByRole('button', { name: /^Use .* as the model$/ }).click();
  await expect(playground).toHaveAttribute('data-mode', 'one');
  await expect(playground.getByTestId('message')).toContainText(`Sweep variant ${bestLabel} loaded as the model`);
  await expect(playground).toHaveAttribute('data-models', '1');
  await expect(playground).toHaveAttribute('data-busy', 'false');
  const loaded = await page.evaluate(async () => {
    const playground = document.querySelector('sn-playground')!;
    const run = playground.runs[0]!;
    return {
      lr: playground.currentSettings.learningRate,
      units: run.layers[0]!.units,
      weights: Array.from((await run.model.getWeights())[0]!.slice(0, 8)),
    };
  });
  expect(loaded.lr).toBe(expected.lr);
  expect(loaded.units).toBe(expected.units);
  expect(loaded.weights).toEqual(expected.weights);
  expect(problems).toEqual([]);
});

test('a link opens sweep mode with its grid and epochs; leaving sweep mode takes it out of the link', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems = watchProblems(page);
  const playground = await openPlayground(page, `${MOONS}&sweep=activation-depth%3A3x2%3A2`);
  await expect(playground).toHaveAttribute('data-mode', 'sweep');
  const sweep = playground.locator('sn-sweep');
  await expect(sweep.getByRole('combobox', { name: 'Sweep axes' })).toHaveValue('activation-depth');
  await expect(sweep.getByRole('combobox', { name: 'Activations' })).toHaveValue('3');
  await expect(sweep.getByRole('combobox', { name: 'Depths' })).toHaveValue('2');
  await expect(sweep.getByRole('combobox', { name: 'Epochs each' })).toHaveValue('2');
  await expect(sweep.getByRole('button', { name: 'Run sweep of 6' })).toBeEnabled();
  await expect(playground).toHaveAttribute('data-running', 'false');
  await sweep.getByRole('combobox', { name: 'Depths' }).selectOption('3');
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toContain('sweep=activation-depth:3x3:2');
  await page.getByRole('button', { name: 'One model', exact: true }).click();
  await expect(playground).toHaveAttribute('data-mode', 'one');
  await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('sweep=');
  expect(problems).toEqual([]);
});
