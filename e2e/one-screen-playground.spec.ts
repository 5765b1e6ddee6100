/**
 * The playground on one screen (issue 13.4, 13.5, 13.8): what must be visible without scrolling
 * at common laptop sizes, training until paused, the prediction under the cursor, the data
 * toggles, "Copy link", and the unit legend's colours. Project 'webgpu' (SwiftShader).
 */
import { expect, test } from '@playwright/test';
import { expectInViewport, expectMapOnScreen, openPlayground, screenshot, waitForEpoch, watchProblems } from './helpers.js';

/** 200 moons, 160/40, a 2→8→1 MLP, until paused. */
const SMALL = '#data=moons&n=200&noise=0.1&dseed=1&val=0.2&layers=8relu&epochs=inf&batch=32&lr=0.01&seed=3';

for (const [width, height] of [
  [1280, 800],
  [1440, 900],
] as const) {
  test(`at ${width}×${height} the decision map, the network, the curves and the play controls are on one screen`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const problems = watchProblems(page);
    const playground = await openPlayground(page);
    await expect(page.locator('sn-presets button')).toHaveCount(4);
    const output = playground.locator('section.output');
    await expectMapOnScreen(page, output.locator('sn-dataset-view'));
    await expectInViewport(page, output.locator('sn-metrics-chart'), 'metrics chart');
    await expectInViewport(page, playground.locator('sn-network-view'), 'network view');
    await expectInViewport(page, page.getByRole('button', { name: 'Train', exact: true }), 'play button');
    await expectInViewport(page, page.getByRole('button', { name: 'One epoch' }), 'one-epoch button');
    await expectInViewport(page, page.getByRole('combobox', { name: 'Epochs' }), 'epochs');
    // The presets are chips on one line, and the network view's place is in the centre column.
    const chips = await page
      .locator('sn-presets button')
      .evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(new Set(chips).size).toBe(1);
    const network = playground.locator('section[data-place="network-view"]');
    const [networkBox, dataBox, outputBox] = [
      await network.boundingBox(),
      await playground.locator('section.data').boundingBox(),
      await output.boundingBox(),
    ];
    expect(networkBox!.x).toBeGreaterThan(dataBox!.x + dataBox!.width - 1);
    expect(networkBox!.x + networkBox!.width).toBeLessThan(outputBox!.x + 1);
    // Explanations are folded away.
    await expect(page.getByText('Keys: P play/pause', { exact: false })).toBeHidden();
    await page.screenshot({ path: `test-results/screenshots/one-screen-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('free play trains until paused (∞ epochs); pause and resume keep the same model; hover shows the prediction', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems = watchProblems(page);
  // The default page is free play: epochs ∞, no preset pressed.
  await openPlayground(page);
  await expect(page.getByRole('combobox', { name: 'Epochs' })).toHaveValue('inf');
  await expect(page.getByTestId('epoch-counter')).toHaveText('0/∞');
  await expect(page.locator('sn-presets button[aria-pressed="true"]')).toHaveCount(0);
  await expect.poll(() => page.url()).toContain('epochs=inf');

  const playground = await openPlayground(page, SMALL);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // Past any finite default (5, 10): it goes on by itself.
  await expect.poll(async () => Number(await playground.getAttribute('data-epoch')), { timeout: 60_000 }).toBeGreaterThanOrEqual(12);
  await expect(playground).toHaveAttribute('data-running', 'true');
  await page.evaluate(() => ((window as unknown as { run: unknown }).run = document.querySelector('sn-playground')!.runs[0]));
  await page.getByRole('button', { name: 'Pause training' }).click();
  await expect(playground).toHaveAttribute('data-running', 'false');
  await expect(playground).toHaveAttribute('data-busy', 'false');
  const paused = Number(await playground.getAttribute('data-epoch'));
  await page.waitForTimeout(600);
  expect(Number(await playground.getAttribute('data-epoch'))).toBe(paused);
  await expect(page.getByTestId('epoch-counter')).toHaveText(`${paused}/∞`);
  await screenshot(page, 'infinite-epochs-paused');

  // Hover: the model's prediction at the cursor, not only the coordinates.
  const plot = playground.locator('section.output sn-dataset-view canvas.points');
  const box = (await plot.boundingBox())!;
  await plot.hover({ position: { x: box.width * 0.1, y: box.height * 0.1 } });
  const readout = playground.getByTestId('hover-readout');
  await expect(readout).toContainText(/x₁ -?\d\.\d\d, x₂ -?\d\.\d\d · P\(class 1\) [01]\.\d\d → class [01]/);
  await playground.locator('section.output sn-dataset-view').screenshot({ path: 'test-results/screenshots/hover-prediction.png' });

  // Resume: the same model trains on from where it stopped (one history entry per epoch).
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(async () => Number(await playground.getAttribute('data-epoch')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(paused + 2);
  await page.keyboard.press('p');
  await expect(playground).toHaveAttribute('data-running', 'false');
  await expect(playground).toHaveAttribute('data-busy', 'false');
  const state = await page.evaluate(() => {
    const run = document.querySelector('sn-playground')!.runs[0]!;
    return { same: run === (window as unknown as { run: unknown }).run, entries: run.history['loss']!.length, epoch: run.epoch };
  });
  expect(state.same).toBe(true);
  expect(state.entries).toBe(state.epoch);
  expect(problems).toEqual([]);
});

test('"Show training data" / "Show validation data" hide the points and live in the URL', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const playground = await openPlayground(page, SMALL);
  const plot = page.locator('section.output sn-dataset-view canvas.points');
  await expect(plot).toHaveAttribute('aria-label', /160 training points and 40 validation points/);
  await playground.getByLabel('Show training data').uncheck();
  await expect(plot).toHaveAttribute('aria-label', /160 training points \(hidden\) and 40 validation points/);
  await expect.poll(() => page.url()).toContain('showtrain=0');
  await playground.getByLabel('Show validation data').uncheck();
  await expect.poll(() => page.url()).toContain('showval=0');
  // Nothing drawn: the points layer is empty.
  const drawn = await plot.evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
  expect(drawn).toBe(0);
  await screenshot(page, 'data-hidden');
  // A link restores both toggles.
  await page.goto(`/${SMALL}&showtrain=0&showval=0`);
  await expect(playground.getByLabel('Show training data')).not.toBeChecked();
  await expect(playground.getByLabel('Show validation data')).not.toBeChecked();
});

test('"Copy link" copies and says so briefly; only a refused clipboard shows the link', async ({ page, context }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const playground = await openPlayground(page, SMALL);
  await playground.getByRole('button', { name: 'Copy link' }).click();
  await expect(playground.getByTestId('link-copied')).toHaveText('✓ Link copied');
  await expect(playground.getByLabel('Link to these settings')).toHaveCount(0);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  expect(copied).toContain('epochs=inf');
  await screenshot(page, 'copy-link-confirmation');
  await expect(playground.getByTestId('link-copied')).toHaveCount(0, { timeout: 8_000 });

  // Refused: the link in a field, to select by hand.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await playground.getByRole('button', { name: 'Copy link' }).click();
  const field = playground.getByLabel('Link to these settings');
  await expect(field).toBeVisible();
  expect(await field.inputValue()).toBe(page.url());
  await screenshot(page, 'copy-link-refused');
});

test("relu units are drawn grey where inactive (coolwarm's midpoint, not white)", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const playground = await openPlayground(page, SMALL);
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  const units = playground.locator('sn-network-view');
  await expect.poll(() => units.getAttribute('data-draws').then(Number)).toBeGreaterThan(0);
  // The colour of the lowest value of a relu unit's map (0 where it is inactive): coolwarm's midpoint.
  const colours = await units.evaluate((element) => {
    const seen = new Set<string>();
    for (const canvas of element.shadowRoot!.querySelectorAll('button.unit[data-column="1"] canvas')) {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    }
    return [...seen];
  });
  // coolwarm's midpoint, (221, 221, 221) give or take its interpolation: where the unit is 0.
  const grey = colours
    .map((c) => c.split(',').map(Number))
    .filter(([r, g, b]) => Math.max(Math.abs(r! - 221), Math.abs(g! - 221), Math.abs(b! - 221)) <= 2);
  expect(grey.length).toBeGreaterThan(0);
  expect(colours).not.toContain('255,255,255');
  await units.screenshot({ path: 'test-results/screenshots/network-relu-units.png' });
});
