/** The playground page with WebGPU (project 'webgpu': SwiftShader, a CPU adapter, so small data where possible). */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { SnDecisionMap } from '../src/components/index.js';
import {
  expectCirclesMap,
  isClass0,
  isClass1,
  mapPixels,
  metric,
  oneFitHistory,
  openPlayground,
  screenshot,
  waitForEpoch,
  watchProblems,
  SCREENSHOTS,
} from './helpers.js';
import { TIME_BUDGET } from './budgets.js';

test.use({ viewport: { width: 1280, height: 800 } });

/** A quick dataset for interaction tests: 200 moons, 160 train / 40 validation, a 2→8→1 MLP. */
const SMALL = '#data=moons&n=200&noise=0.1&dseed=1&val=0.2&layers=8relu&epochs=5&batch=32&lr=0.01&seed=3';

async function paramCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('param-count').innerText()).replace(/[^0-9]/g, ''));
}

async function select(page: Page, name: string): Promise<Locator> {
  return page.getByRole('combobox', { name, exact: true });
}

test('loads without console errors, shows the adapter and the untrained decision map', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page);
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveCount(1); // the page's own, slotted: no second device
  await expect(status).toContainText('GPU ready');
  const vendor = await page.evaluate(async () => (await navigator.gpu.requestAdapter())!.info.vendor);
  if (vendor) await expect(status).toContainText(vendor);
  // The untrained model's map is drawn on the GPU as soon as the model exists.
  await expect(playground.locator('sn-decision-map')).toHaveAttribute('data-passes', /[1-9]/);
  await expect(page.locator('sn-dataset-view canvas.points')).toHaveAttribute(
    'aria-label',
    /4000 training points and 1000 validation points/,
  );
  // Every setting is in the URL from the start.
  await expect.poll(() => page.url()).toContain('data=circles');
  await expect.poll(() => page.url()).toContain('layers=128relu');
  await expect(page.getByTestId('param-count')).toHaveText('513 parameters');
  await screenshot(page, 'playground-initial-1280');
  expect(problems).toEqual([]);
});

test('preset "MLP, 128 hidden units" trains to val accuracy ≥ 0.99; the map is red inside, blue at the corners', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page);
  await page.getByRole('button', { name: /MLP, 128 hidden units/ }).click();
  await waitForEpoch(playground, 10);
  const output = playground.locator('section.output');
  expect(await metric(output, 'val_accuracy')).toBeGreaterThanOrEqual(0.99);
  expect(await metric(output, 'accuracy')).toBeGreaterThanOrEqual(0.99);
  await expect(output.getByTestId('samples-per-second')).toHaveText(/^[0-9,]+$/);
  await expect(page.getByRole('log', { name: 'Training log' })).toContainText('Epoch 10/10');
  await expect(page.getByRole('log', { name: 'Training log' })).toContainText(
    /125\/125 - \d+s - loss: 0\.\d{4} - accuracy: 1\.0000 - val_loss: 0\.\d{4} - val_accuracy: 1\.0000/,
  );

  // Values on hover: the loss chart's tooltip at the last epoch.
  const lossChart = output.locator('svg[data-panel="loss"]');
  const chartBox = (await lossChart.boundingBox())!;
  await lossChart.hover({ position: { x: chartBox.width - 11, y: chartBox.height / 2 } });
  await expect(output.locator('sn-metrics-chart .tip')).toContainText(/Epoch 10\s+● loss: 0\.\d{4}\s+● val_loss: 0\.\d{4}/);

  // The map after the last epoch: 11 passes (the untrained one, then one per epoch, merged when busy).
  const map = output.locator('sn-decision-map');
  await expect.poll(async () => (await map.evaluate((m) => (m as SnDecisionMap).values?.length)) ?? 0).toBe(200 * 200);
  await map.evaluate((m) => (m as SnDecisionMap).idle()); // the pass after the last epoch has been drawn
  await output.locator('sn-dataset-view').screenshot({ path: `${SCREENSHOTS}/decision-map-mlp128.png` });
  await expectCirclesMap(map);
  // The same checks on what the user sees (the points are drawn over the map; none at these spots).
  const shot = await output.locator('sn-dataset-view canvas.points').screenshot();
  const seen = await page.evaluate(async (png) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const at = (fx: number, fy: number) => [...ctx.getImageData(Math.floor(fx * bitmap.width), Math.floor(fy * bitmap.height), 1, 1).data];
    return [at(0.5, 0.5), at(0.04, 0.04), at(0.96, 0.96)];
  }, shot.toString('base64'));
  expect(isClass1(seen[0]!), `seen centre ${seen[0]}`).toBe(true);
  expect(isClass0(seen[1]!) && isClass0(seen[2]!), `seen corners ${seen[1]} ${seen[2]}`).toBe(true);

  // The network view: unit maps from the same pass (the 8 strongest of 128, "+120 more"), weight
  // lines coloured by the sign of getWeights()'s entries; hovering a unit shows it large.
  const network = playground.locator('sn-network-view');
  await expect(network.getByRole('button', { name: /^L1 #\d+, bias/ })).toHaveCount(8);
  await expect(network.getByRole('button', { name: '+120 more' })).toBeVisible();
  const edges = await network.evaluate((view) =>
    [...view.shadowRoot!.querySelectorAll('path.e')].map((p) => ({
      weight: Number(p.getAttribute('data-weight')),
      stroke: p.getAttribute('stroke') ?? '',
    })),
  );
  expect(edges.length).toBeGreaterThan(20);
  const rgb = (css: string): number[] => (css.match(/\d+/g) ?? []).map(Number);
  for (const edge of edges.filter((e) => Math.abs(e.weight) > 1e-3)) {
    const [r, , b] = rgb(edge.stroke);
    expect(edge.weight > 0 ? r! > b! : b! > r!, `weight ${edge.weight} drawn ${edge.stroke}`).toBe(true);
  }
  const first = network.getByRole('button', { name: /^L1 #\d+, bias/ }).first();
  await first.hover();
  await expect(network.getByRole('status')).toContainText(/Layer 1, unit \d+/);

  // Discretized at the threshold: only the two class colours remain.
  await output.getByLabel('Discretize at').check();
  const colours = await map.evaluate((m) => {
    const canvas = m.shadowRoot!.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<string>();
    for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return seen.size;
  });
  expect(colours).toBe(2);
  await expect.poll(() => page.url()).toContain('disc=1');
  await screenshot(page, 'playground-mlp128-trained-1280');
  expect(problems).toEqual([]);
});

test('preset "Logistic regression" stays near chance: val accuracy between 0.3 and 0.7', async ({ page }) => {
  const playground = await openPlayground(page);
  await page.getByRole('button', { name: /Logistic regression/ }).click();
  await waitForEpoch(playground, 1);
  const val = await metric(playground.locator('section.output'), 'val_accuracy');
  expect(val).toBeGreaterThanOrEqual(0.3);
  expect(val).toBeLessThanOrEqual(0.7);
  await expect(page.getByTestId('param-count')).toHaveText('3 parameters');
  await screenshot(page, 'playground-logistic-regression');
});

test('the model builder: adding, removing and editing layers updates the parameter count; training still works', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, SMALL);
  const builder = playground.locator('sn-model-builder');
  expect(await paramCount(page)).toBe(2 * 8 + 8 + 8 + 1); // 33
  await builder.getByRole('button', { name: '+ Add layer' }).click();
  expect(await paramCount(page)).toBe(24 + 8 * 8 + 8 + 9); // 105
  await builder.getByLabel('Units of hidden layer 2').fill('3');
  await builder.getByLabel('Units of hidden layer 2').press('Enter');
  expect(await paramCount(page)).toBe(24 + 8 * 3 + 3 + 4); // 55
  await (await select(page, 'Activation of hidden layer 2')).selectOption('tanh');
  await builder.getByLabel('Units of hidden layer 1').fill('600'); // clamped to 512
  await builder.getByLabel('Units of hidden layer 1').press('Enter');
  await expect(builder.getByLabel('Units of hidden layer 1')).toHaveValue('512');
  expect(await paramCount(page)).toBe(3 * 512 + 512 * 3 + 3 + 4);
  await builder.getByLabel('Units of hidden layer 1').fill('4');
  await builder.getByLabel('Units of hidden layer 1').press('Enter');
  expect(await paramCount(page)).toBe(12 + 15 + 4); // 2→4→3→1 = 31
  await builder.locator('summary').click();
  await expect(builder.getByLabel('Keras model summary')).toContainText('Total params: 31');
  await expect.poll(() => page.url()).toContain('layers=4relu-3tanh');

  // The edited model trains.
  await expect(playground).toHaveAttribute('data-models', '1');
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  const loss = await metric(playground.locator('section.output'), 'loss');
  expect(Number.isFinite(loss)).toBe(true);
  await expect(page.getByRole('log', { name: 'Training log' })).toContainText('MLP 4-3 (relu, tanh) (31 params)');

  // Removing layers down to logistic regression.
  await builder.getByRole('button', { name: 'Remove hidden layer 2' }).click();
  expect(await paramCount(page)).toBe(12 + 5); // 17
  await builder.getByRole('button', { name: 'Remove hidden layer 1' }).click();
  expect(await paramCount(page)).toBe(3);
  await expect(playground).toHaveAttribute('data-epoch', '0');
  await page.getByRole('button', { name: 'One step' }).click();
  await expect(page.getByRole('log', { name: 'Training log' })).toContainText(
    /Step 1 after epoch 0 \(1 batch of 32\) - loss: [0-9.e-]+ - accuracy: /,
  );
  await expect(playground.getByTestId('epoch-counter')).toContainText('+1 step');
  expect(problems).toEqual([]);
});

test('changing the learning rate mid-training keeps training the same model, without a reset', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page);
  await page.getByRole('button', { name: /MLP, 5 hidden units/ }).click();
  // Until paused, not the preset's 20 epochs: on a fast machine the run could otherwise end
  // before 3 epochs at the new rate (the epoch count changes without a rebuild).
  await (await select(page, 'Epochs')).selectOption('inf');
  await expect
    .poll(async () => Number(await playground.getAttribute('data-epoch')), { timeout: TIME_BUDGET.training })
    .toBeGreaterThanOrEqual(3);
  await page.evaluate(() => ((window as unknown as { run: unknown }).run = document.querySelector('sn-playground')!.runs[0]));
  const before = Number(await playground.getAttribute('data-epoch'));
  await (await select(page, 'Learning rate')).selectOption('0.01');
  await expect(page.getByRole('log', { name: 'Training log' })).toContainText('Learning rate 0.001 → 0.01');
  await expect
    .poll(async () => Number(await playground.getAttribute('data-epoch')), { timeout: TIME_BUDGET.training })
    .toBeGreaterThanOrEqual(before + 3);
  const state = await page.evaluate(() => {
    const run = document.querySelector('sn-playground')!.runs[0]!;
    return {
      same: run === (window as unknown as { run: unknown }).run,
      rate: run.model.optimizer!.learningRate,
      epochs: run.history['loss']!.length,
      epoch: run.epoch,
    };
  });
  expect(state.same).toBe(true);
  expect(state.rate).toBe(0.01);
  expect(state.epochs).toBe(state.epoch); // one history entry per epoch since the start: nothing was reset
  await expect.poll(() => page.url()).toContain('lr=0.01');
  // Pause from the keyboard (focus out of the select first: shortcuts ignore form fields).
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('p');
  await expect(playground).toHaveAttribute('data-running', 'false');
  await expect(playground).toHaveAttribute('data-busy', 'false'); // the epoch in flight ends
  const paused = Number(await playground.getAttribute('data-epoch'));
  await page.waitForTimeout(800);
  expect(Number(await playground.getAttribute('data-epoch'))).toBe(paused);
  // Keyboard: Tab reaches the training buttons and Enter starts one epoch.
  await page.getByRole('button', { name: 'One epoch' }).focus();
  await page.keyboard.press('Enter');
  await expect(playground).toHaveAttribute('data-epoch', String(paused + 1));
  expect(problems).toEqual([]);
});

test('a shared link restores every setting and reproduces the run', async ({ page, context }) => {
  const problems = watchProblems(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const hash =
    '#data=moons&n=300&noise=0.1&dseed=3&val=0.3&layers=16tanh-8relu&epochs=7&batch=16&lr=0.01&seed=42&disc=1&thr=0.4&showval=0&add=0.5,0.5,1;-1,1.2,0&rm=3,7';
  const playground = await openPlayground(page, hash);
  const picker = playground.locator('sn-dataset-picker');
  await expect(await select(page, 'Dataset')).toHaveValue('moons');
  await expect(picker.getByLabel('Samples')).toHaveValue('300');
  await expect(picker.getByLabel('Noise')).toHaveValue('0.1');
  await expect(picker.getByLabel('Validation ratio')).toHaveValue('0.3');
  await expect(picker.getByLabel('Data seed')).toHaveValue('3');
  await expect(picker).toContainText('210 training / 90 validation points');
  const builder = playground.locator('sn-model-builder');
  await expect(builder.getByLabel('Units of hidden layer 1')).toHaveValue('16');
  await expect(await select(page, 'Activation of hidden layer 1')).toHaveValue('tanh');
  await expect(builder.getByLabel('Units of hidden layer 2')).toHaveValue('8');
  await expect(await select(page, 'Activation of hidden layer 2')).toHaveValue('relu');
  const controls = playground.locator('sn-training-controls');
  await expect(controls.getByLabel('Epochs')).toHaveValue('7');
  await expect(await select(page, 'Batch size')).toHaveValue('16');
  await expect(await select(page, 'Learning rate')).toHaveValue('0.01');
  await expect(controls.getByLabel('Seed')).toHaveValue('42');
  await expect(playground.getByLabel('Discretize at')).toBeChecked();
  await expect(playground.getByLabel('Threshold')).toHaveValue('0.4');
  await expect(playground.getByLabel('Show validation data')).not.toBeChecked();
  await expect(playground.getByTestId('edits')).toHaveText('2 added · 2 removed');
  // 2 removed from 300 (indices 3 and 7 are training rows), 2 added: 210 − 2 + 2 training points.
  await expect(page.locator('sn-dataset-view canvas.points')).toHaveAttribute('aria-label', /210 training points/);
  await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toBe(decodeURIComponent(hash));

  // "Copy link" gives the same URL; a second page opened from it trains exactly the same epoch.
  await playground.getByRole('button', { name: 'Copy link' }).click();
  await expect(playground.getByTestId('link-copied')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  const first = await page.evaluate(() => document.querySelector('sn-playground')!.runs[0]!.history);
  const other = await context.newPage();
  const otherPlayground = await openPlayground(other, new URL(link).hash);
  await other.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(otherPlayground, 1);
  const second = await other.evaluate(() => document.querySelector('sn-playground')!.runs[0]!.history);
  expect(second).toEqual(first);
  await screenshot(page, 'playground-shared-link');
  expect(problems).toEqual([]);
});

test('training epoch by epoch (with maps drawn between epochs) equals one fit over all the epochs', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, SMALL);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForEpoch(playground, 5);
  const epochByEpoch = await page.evaluate(() => document.querySelector('sn-playground')!.runs[0]!.history);
  const oneFit = await oneFitHistory(page, 'webgpu');
  for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(epochByEpoch[key], key).toEqual(oneFit[key]);
  expect(oneFit['loss']).toHaveLength(5);
  expect(problems).toEqual([]);
});

test('malformed link state: a message, and the state is kept', async ({ page }) => {
  const playground = await openPlayground(page, '#lr=banana&layers=99999relu&foo=<img src=x onerror=alert(1)>');
  const message = playground.getByTestId('message');
  await expect(message).toHaveAttribute('role', 'alert');
  await expect(message).toContainText("The link's settings could not be used");
  await expect(message).toContainText('lr: "banana" is not a number');
  await expect(message).toContainText('unknown setting "foo"');
  await expect(message).toContainText('The default settings are shown instead');
  await expect(playground.locator('img')).toHaveCount(0); // user text is text, never markup
  await expect(await select(page, 'Learning rate')).toHaveValue('0.001');
  await expect(page.getByTestId('param-count')).toHaveText('513 parameters');
  await expect.poll(() => page.url()).toContain('lr=0.001'); // the address bar shows the state in use

  // A valid state, then a broken hash typed into the address bar: the valid state stays.
  await page.goto(`/${SMALL}`);
  await expect(playground).toHaveAttribute('data-gpu', 'ready');
  await page.evaluate(() => (location.hash = '#data=moons&n=5&epochs=0'));
  await expect(message).toContainText('n: 5 is outside [20, 10000]');
  await expect(message).toContainText('The current settings were kept');
  await expect(page.getByTestId('param-count')).toHaveText('33 parameters');
  await expect(await select(page, 'Learning rate')).toHaveValue('0.01');
  await screenshot(page, 'playground-bad-link');
});

test('CSV: a bad file shows a message and keeps the data; a good one becomes the data', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, SMALL);
  const input = playground.locator('sn-dataset-picker input[type=file]');
  await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x1,x2,label\n0.1,0.2,1\n0.3,oops,0\n') });
  const message = playground.getByTestId('message');
  await expect(message).toContainText('bad.csv: Line 3: x2 "oops" is not a number');
  await expect(message).toContainText('The current data was kept');
  await expect(await select(page, 'Dataset')).toHaveValue('moons');
  await input.setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2,3\n'.repeat(12)) });
  await expect(message).toContainText('Every point has label 3: a classifier needs at least two classes');
  await screenshot(page, 'playground-bad-csv');

  const rows = Array.from(
    { length: 40 },
    (_, i) => `${(Math.cos(i) * (i % 2 ? 1 : 3)).toFixed(3)},${(Math.sin(i) * (i % 2 ? 1 : 3)).toFixed(3)},${i % 2}`,
  );
  await input.setInputFiles({ name: 'rings.csv', mimeType: 'text/csv', buffer: Buffer.from(`x1,x2,label\n${rows.join('\n')}\n`) });
  await expect(message).toContainText('Loaded 40 points from rings.csv');
  await expect(await select(page, 'Dataset')).toHaveValue('csv');
  await expect(playground.locator('sn-dataset-picker')).toContainText('32 training / 8 validation points');
  await expect.poll(() => page.url()).toContain('data=csv');
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  expect(problems).toEqual([]);
});

test('clicking the plot adds a point of the chosen class; clicking a point removes it', async ({ page }) => {
  const playground = await openPlayground(page, SMALL);
  const plot = page.locator('sn-dataset-view canvas.points');
  const box = (await plot.boundingBox())!;
  await playground.getByRole('button', { name: 'class 0', exact: true }).click();
  await plot.click({ position: { x: 12, y: 12 } });
  await expect(playground.getByTestId('edits')).toHaveText('1 added · 0 removed');
  await expect(plot).toHaveAttribute('aria-label', /161 training points/);
  const added = await page.evaluate(() => document.querySelector('sn-playground')!.currentSettings.added[0]);
  expect(added?.label).toBe(0);
  // Clicking it again removes it.
  await plot.click({ position: { x: 12, y: 12 } });
  await expect(playground.getByTestId('edits')).toHaveText('0 added · 0 removed');
  // Click on a generated training point: it is removed (and remembered in the URL).
  const target = await page.evaluate(() => {
    const view = document.querySelector('sn-playground')!.shadowRoot!.querySelector('sn-dataset-view')!;
    const d = view.effectiveDomain;
    const train = view.train!;
    return { fx: (train.x[0]! - d.xMin) / (d.xMax - d.xMin), fy: (d.yMax - train.x[1]!) / (d.yMax - d.yMin) };
  });
  await plot.click({ position: { x: target.fx * box.width, y: target.fy * box.height } });
  await expect(playground.getByTestId('edits')).toHaveText('0 added · 1 removed');
  await expect.poll(() => page.url()).toMatch(/rm=\d+/);
  // Edits do not reset the model.
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  await plot.click({ position: { x: 12, y: 12 }, modifiers: ['Shift'] });
  await expect(playground.getByTestId('edits')).toHaveText('1 added · 1 removed');
  await expect(playground).toHaveAttribute('data-epoch', '1');
});

test('compare mode trains two models side by side on the same data', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page);
  await page.getByRole('button', { name: 'Compare models' }).click();
  await expect(playground).toHaveAttribute('data-models', '2');
  await expect.poll(() => page.url()).toContain('cmp=none%3A1%2C128relu%3A10');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(() => page.evaluate(() => document.querySelector('sn-playground')!.runs.map((r) => r.epoch)), { timeout: TIME_BUDGET.training })
    .toEqual([1, 10]);
  await expect(playground).toHaveAttribute('data-running', 'false');
  const cards = playground.locator('article.card');
  await expect(cards).toHaveCount(2);
  const logistic = await metric(cards.nth(0), 'val_accuracy');
  const mlp = await metric(cards.nth(1), 'val_accuracy');
  expect(logistic).toBeGreaterThanOrEqual(0.3);
  expect(logistic).toBeLessThanOrEqual(0.7);
  expect(mlp).toBeGreaterThanOrEqual(0.99);
  const [lrCentre] = await mapPixels(cards.nth(1).locator('sn-decision-map'), [[0.5, 0.5]]);
  expect(isClass1(lrCentre!)).toBe(true);
  await expect(page.getByRole('log', { name: 'Training log' })).toContainText('[MLP, 128 hidden units] Epoch 10/10');
  await screenshot(page, 'playground-compare-1280');
  expect(problems).toEqual([]);
});

test('at 390 px wide everything fits in one column and still trains', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const playground = await openPlayground(page, SMALL);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const plot = page.locator('sn-dataset-view canvas.points');
  const box = (await plot.boundingBox())!;
  expect(box.width).toBeGreaterThan(250);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForEpoch(playground, 5);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, 'playground-390');
});

test('losing the GPU mid-training stops cleanly; "Try again" gets a new device and new models', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, SMALL.replace('epochs=5', 'epochs=50'));
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(async () => Number(await playground.getAttribute('data-epoch')), { timeout: TIME_BUDGET.training })
    .toBeGreaterThanOrEqual(1);
  await page.evaluate(() => document.querySelector('sn-gpu-status')!.context!.device.destroy());
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'lost');
  await expect(playground).toHaveAttribute('data-busy', 'false');
  await expect(playground).toHaveAttribute('data-running', 'false');
  await expect(page.getByRole('button', { name: 'One epoch' })).toBeDisabled();
  await screenshot(page, 'playground-device-lost');
  await status.getByRole('button', { name: 'Try again' }).click();
  await expect(playground).toHaveAttribute('data-gpu', 'ready');
  await expect(playground).toHaveAttribute('data-models', '1');
  await expect(playground).toHaveAttribute('data-epoch', '0');
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  await expect(status).toHaveAttribute('data-errors', '0');
  expect(problems).toEqual([]);
});

test('the pipelines compile on load, before the first click: its first epoch includes no compilation', async ({ page }) => {
  const playground = await openPlayground(page, SMALL);
  const chart = playground.locator('sn-metrics-chart').first();
  await expect(playground).toHaveAttribute('data-pipelines', 'ready', { timeout: TIME_BUDGET.training });
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  await expect(chart.getByTestId('compile-note')).toHaveCount(0);
  await expect(chart.getByTestId('samples-per-second')).toHaveText(/^[\d,]+$/);
});

test('a click while the pipelines still compile: the first epoch waits for them, and the note says how long', async ({ page }) => {
  // tanh: kernels of their own, so the compilation on load takes a while; the click comes at once.
  const playground = await openPlayground(page, SMALL.replace('8relu', '8tanh'));
  const chart = playground.locator('sn-metrics-chart').first();
  const compiling = (await playground.getAttribute('data-pipelines')) !== 'ready';
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  if (compiling)
    await expect(chart.getByTestId('compile-note')).toContainText(/Before this epoch, [\d.]+ m?s went to compiling GPU pipelines/);
  else await expect(chart.getByTestId('compile-note')).toHaveCount(0);
  // Compilation is never counted as training time: the speed shows from the first epoch.
  await expect(chart.getByTestId('samples-per-second')).toHaveText(/^[\d,]+$/);
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 2);
  await expect(chart.getByTestId('compile-note')).toHaveCount(0);
});
