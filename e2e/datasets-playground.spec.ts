/** The playground's multi-class and regression datasets and the new model options, trained by the engine. */
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { SnDecisionMap } from '../src/components/index.js';
import { metric, openPlayground, waitForEpoch, watchProblems, SCREENSHOTS } from './helpers.js';
import { TIME_BUDGET } from './budgets.js';

test.use({ viewport: { width: 1280, height: 900 } });

/** The points canvas's colours: how many distinct opaque hues it has (a rough class count). */
async function pointColours(page: Page): Promise<number> {
  return page
    .locator('sn-playground sn-dataset-view')
    .first()
    .evaluate((view) => {
      const canvas = view.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.points')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Map<string, number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] !== 255) continue;
        const key = `${data[i]! >> 4},${data[i + 1]! >> 4},${data[i + 2]! >> 4}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return [...seen.values()].filter((n) => n > 40).length;
    });
}

const CASES = [
  {
    kind: 'spirals',
    label: 'k-class spirals',
    legend: 'multiclass',
    output: 'Dense, 3 units, softmax',
    loss: 'sparse categorical cross-entropy',
    metric: 'Accuracy',
    key: 'accuracy',
  },
  {
    kind: 'blobs',
    label: 'Blobs (make_blobs)',
    legend: 'multiclass',
    output: 'Dense, 3 units, softmax',
    loss: 'sparse categorical cross-entropy',
    metric: 'Accuracy',
    key: 'accuracy',
  },
  {
    kind: 'surface',
    label: 'Regression surface',
    legend: 'regression',
    output: 'Dense, 1 unit, linear',
    loss: 'mean squared error',
    metric: 'Mean absolute error',
    key: 'mae',
  },
] as const;

/** The first model's history, as the playground's run holds it. */
async function runHistory(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => ({ ...document.querySelector('sn-playground')!.runs[0]!.history }) as Record<string, number[]>);
}

/** Cells of the drawn map per most likely class (k-class outputs: k values per cell). */
async function mapClassShares(page: Page, classes: number): Promise<number[]> {
  return page
    .locator('sn-playground sn-decision-map')
    .first()
    .evaluate((map: SnDecisionMap, k) => {
      const values = map.values!;
      const counts = new Array<number>(k).fill(0);
      const cells = values.length / k;
      for (let cell = 0; cell < cells; cell++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (values[cell * k + c]! > values[cell * k + best]!) best = c;
        counts[best]!++;
      }
      return counts.map((n) => n / cells);
    }, classes);
}

for (const c of CASES) {
  test(`picking ${c.label} draws it with its legend and output layer, and it trains`, async ({ page }) => {
    const problems = watchProblems(page);
    const playground = await openPlayground(page, '#data=moons&n=300&noise=0.1&layers=8relu&epochs=3');
    const picker = playground.locator('sn-dataset-picker');
    await picker.getByRole('combobox', { name: 'Dataset', exact: true }).selectOption(c.kind);
    await expect(page).toHaveURL(new RegExp(`data=${c.kind}`));
    const view = playground.locator('sn-dataset-view').first();
    await expect(view.locator('figcaption')).toHaveAttribute('data-legend', c.legend);
    await expect(view.locator('canvas.points')).toHaveAttribute('aria-label', /240 training points and 60 validation points/);
    await expect(playground.getByTestId('output-layer')).toContainText(c.output);
    await expect(playground.locator('sn-metrics-chart h3').first()).toHaveText(`Loss (${c.loss})`);
    await expect(playground.locator('sn-metrics-chart h3').nth(1)).toHaveText(c.metric);
    await expect(playground).toHaveAttribute('data-models', '1');
    if (c.legend === 'multiclass') {
      await expect(view.locator('figcaption .key')).toHaveCount(4); // 3 classes + validation
      expect(await pointColours(page)).toBeGreaterThanOrEqual(3);
    }
    await page.getByRole('button', { name: 'One epoch' }).click();
    await waitForEpoch(playground, 1);
    // The task's metric, for training and validation, in the chart and the log.
    for (const key of ['loss', c.key, 'val_loss', `val_${c.key}`]) expect(Number.isFinite(await metric(playground, key)), key).toBe(true);
    await expect(playground.locator('sn-training-log')).toContainText(
      new RegExp(`${c.key}: [0-9.]+ - val_loss: [0-9.]+ - val_${c.key}: [0-9.]+`),
    );
    // The map drew the model's real outputs: k per cell, or one value.
    const map = view.locator('sn-decision-map');
    await expect
      .poll(() => map.evaluate((m: SnDecisionMap) => m.values?.length ?? 0))
      .toBe(200 * 200 * (c.legend === 'multiclass' ? 3 : 1));
    // Hover: the model's prediction under the cursor, in the task's terms.
    await view.locator('canvas.points').hover({ position: { x: 20, y: 20 } });
    await expect(view.getByTestId('hover-readout')).toContainText(
      c.legend === 'multiclass' ? /· class [0-2] \(p [01]\.\d\d\)$/ : /· prediction -?\d/,
    );
    expect(problems).toEqual([]);
  });
}

test('3-class spirals train to ≥ 90% validation accuracy; the map shows three class regions; save and load keep it', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, '#data=spirals&n=300&noise=0.1&layers=32relu-32relu&epochs=20&lr=0.01');
  await expect(playground).toHaveAttribute('data-thread', 'worker');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForEpoch(playground, 20, 120_000);
  const valAccuracy = await metric(playground, 'val_accuracy');
  expect(valAccuracy).toBeGreaterThanOrEqual(0.9);
  const map = playground.locator('sn-decision-map').first();
  await expect.poll(() => map.getAttribute('data-passes'), { timeout: TIME_BUDGET.training }).not.toBeNull();
  await playground
    .locator('sn-decision-map')
    .first()
    .evaluate((m: SnDecisionMap) => m.refresh());
  const shares = await mapClassShares(page, 3);
  for (const share of shares) expect(share).toBeGreaterThan(0.15);
  // The network view: two 32-unit layers, each showing its 8 strongest units and "+24 more"; 3 outputs.
  const network = playground.locator('sn-network-view');
  await expect(network.getByRole('button', { name: '+24 more' })).toHaveCount(2);
  await expect(network.getByRole('button', { name: /^output [1-3], bias/ })).toHaveCount(3);
  await playground
    .locator('sn-dataset-view')
    .first()
    .screenshot({ path: `${SCREENSHOTS}/trained-spirals.png` });
  await page.screenshot({ path: `${SCREENSHOTS}/page-trained-spirals.png`, fullPage: true });

  // Save: the k-class model as model.json + weights; loading it back gives the same predictions.
  const before = await playground
    .locator('sn-decision-map')
    .first()
    .evaluate((m: SnDecisionMap) => Array.from(m.values!.subarray(0, 300)));
  const downloads: Download[] = [];
  page.on('download', (download) => downloads.push(download));
  await playground.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  await expect(playground.getByTestId('message')).toContainText('Model saved (epoch 20)');
  const paths = await Promise.all(downloads.map(async (d) => ({ name: d.suggestedFilename(), path: (await d.path())! })));
  const files = await Promise.all(
    paths.map(async (f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: await readFile(f.path) })),
  );
  await playground.locator('#model-files').setInputFiles(files);
  await expect(playground.getByTestId('message')).toContainText('Model loaded');
  await expect(playground).toHaveAttribute('data-epoch', '0');
  await expect(playground).toHaveAttribute('data-busy', 'false');
  await expect
    .poll(() =>
      playground
        .locator('sn-decision-map')
        .first()
        .evaluate((m: SnDecisionMap) => (m.values ? Array.from(m.values.subarray(0, 300)) : [])),
    )
    .toEqual(before);
  // The same file on binary data: refused with a message naming the output layer it needs.
  await playground.locator('sn-dataset-picker').getByRole('combobox', { name: 'Dataset', exact: true }).selectOption('moons');
  await expect(playground).toHaveAttribute('data-models', '1');
  await playground.locator('#model-files').setInputFiles(files);
  await expect(playground.getByTestId('message')).toContainText('its last layer must be Dense(1, sigmoid)');
  expect(problems).toEqual([]);
});

test('5 blobs train to ≥ 80% validation accuracy, with five regions on the map', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, '#data=blobs&n=300&k=5&std=1&layers=16relu&epochs=12&lr=0.01');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForEpoch(playground, 12, 90_000);
  expect(await metric(playground, 'val_accuracy')).toBeGreaterThanOrEqual(0.8);
  await playground
    .locator('sn-decision-map')
    .first()
    .evaluate((m: SnDecisionMap) => m.refresh());
  const shares = await mapClassShares(page, 5);
  expect(shares.filter((share) => share > 0.03)).toHaveLength(5);
  await playground
    .locator('sn-dataset-view')
    .first()
    .screenshot({ path: `${SCREENSHOTS}/trained-blobs.png` });
  expect(problems).toEqual([]);
});

test('regression: MSE and MAE fall, and the map is the predicted surface', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, '#data=surface&n=300&noise=0.1&layers=16tanh-16tanh&epochs=15&lr=0.01');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForEpoch(playground, 15, 90_000);
  const history = await runHistory(page);
  expect(Object.keys(history).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
  for (const key of ['loss', 'val_loss', 'mae', 'val_mae']) {
    const values = history[key]!;
    expect(values).toHaveLength(15);
    expect(values[14]!, key).toBeLessThan(0.6 * values[0]!);
  }
  expect(await metric(playground, 'val_mae')).toBeCloseTo(history['val_mae']![14]!, 3);
  await playground
    .locator('sn-decision-map')
    .first()
    .evaluate((m: SnDecisionMap) => m.refresh());
  // The surface is sin·cos-like: the predicted values span most of the data's range.
  const [low, high] = await playground
    .locator('sn-decision-map')
    .first()
    .evaluate((m: SnDecisionMap) => {
      const v = Array.from(m.values!);
      return [Math.min(...v), Math.max(...v)];
    });
  expect(high - low).toBeGreaterThan(1);
  await playground
    .locator('sn-dataset-view')
    .first()
    .screenshot({ path: `${SCREENSHOTS}/trained-surface.png` });
  await page.screenshot({ path: `${SCREENSHOTS}/page-trained-surface.png`, fullPage: true });
  expect(problems).toEqual([]);
});

for (const worker of [true, false]) {
  test(`gelu + dropout + L2 + SGD momentum + cosine schedule trains ${worker ? 'in a worker' : "on the page's thread"}`, async ({
    page,
  }) => {
    const problems = watchProblems(page);
    const playground = await openPlayground(
      page,
      `#data=moons&n=200&noise=0.1&layers=16gelu~d0.2~l2:0.001&epochs=10&lr=0.1&opt=momentum&mom=0.9&sched=cosine&dsteps=60&calpha=0.1${worker ? '' : '&worker=0'}`,
    );
    await expect(playground).toHaveAttribute('data-thread', worker ? 'worker' : 'main');
    // Under a schedule the learning-rate field is the schedule's initial rate.
    await expect(playground.locator('sn-training-controls')).toContainText('Initial learning rate');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForEpoch(playground, 10, 90_000);
    expect(await metric(playground, 'val_accuracy')).toBeGreaterThanOrEqual(0.85);
    await expect(playground.locator('sn-training-log')).toContainText('SGD (momentum 0.9), cosine decay from lr 0.1 over 60 steps');
    expect(problems).toEqual([]);
  });
}

test('classes, cluster spread and clicks on k-class data; the link restores it', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/#data=blobs&n=300&k=5&std=1.5&dseed=2&layers=8relu');
  const playground = page.locator('sn-playground');
  const picker = playground.locator('sn-dataset-picker');
  await expect(picker.getByRole('combobox', { name: 'Classes', exact: true })).toHaveValue('5');
  await expect(picker.getByLabel('Cluster spread')).toHaveValue('1.5');
  const view = playground.locator('sn-dataset-view').first();
  await expect(view.locator('figcaption .key')).toHaveCount(6);
  // A click adds a point of the chosen class (class 3 here).
  await playground.getByRole('group', { name: 'Class of added points' }).getByRole('button', { name: '3', exact: true }).click();
  await view.locator('canvas.points').click({ position: { x: 4, y: 4 } });
  await expect(playground.getByTestId('edits')).toHaveText('1 added · 0 removed');
  await expect(page).toHaveURL(/add=[^&]*%2C3(&|$)/);
  await picker.getByRole('combobox', { name: 'Classes', exact: true }).selectOption('4');
  await expect(view.locator('figcaption .key')).toHaveCount(5);
  await expect(playground.getByTestId('output-layer')).toContainText('Dense, 4 units, softmax');
  expect(problems).toEqual([]);
});

test('regression: a click adds a point of the slider value; CSV download writes values', async ({ page }) => {
  await page.goto('/#data=surface&n=200&noise=0.1&layers=8tanh');
  const playground = page.locator('sn-playground');
  const slider = playground.getByLabel('Value of added points');
  await slider.fill('0.5');
  const view = playground.locator('sn-dataset-view').first();
  const box = (await view.locator('canvas.points').boundingBox())!;
  await view.locator('canvas.points').click({ position: { x: 3, y: box.height - 3 } });
  await expect(page).toHaveURL(/add=[^&]*%2C0\.5(&|$)/);
  const download = page.waitForEvent('download');
  await playground.getByRole('button', { name: 'Download CSV' }).click();
  const file = await (await download).path();
  const text = await (await import('node:fs/promises')).readFile(file, 'utf8');
  expect(text.split('\n')[0]).toBe('x1,x2,value');
  expect(text.trim().split('\n')).toHaveLength(202);
});

test('builder and optimizer options: URL state and Keras names; the model trains with them', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, '#data=moons&n=200&noise=0.1&layers=8relu&epochs=2&batch=32&lr=0.01');
  const builder = playground.locator('sn-model-builder');
  await builder.getByRole('combobox', { name: 'Activation of hidden layer 1' }).selectOption('gelu');
  await builder.getByRole('combobox', { name: 'Dropout after hidden layer 1' }).selectOption('0.3');
  await builder.getByRole('combobox', { name: 'Kernel regularizer of hidden layer 1' }).selectOption('l2');
  await builder.getByRole('combobox', { name: 'Regularization factor of hidden layer 1' }).selectOption('0.001');
  await expect(page).toHaveURL(/layers=8gelu%7Ed0\.3%7El2%3A0\.001/);
  const optimizer = playground.locator('sn-optimizer-settings');
  await optimizer.getByRole('combobox', { name: 'Optimizer' }).selectOption('momentum');
  await optimizer.getByRole('combobox', { name: 'Momentum' }).selectOption('0.95');
  await optimizer.getByRole('combobox', { name: 'Learning-rate schedule' }).selectOption('step');
  await optimizer.getByLabel('Decay steps').fill('40');
  await optimizer.getByLabel('Decay steps').press('Enter');
  await expect(optimizer.getByTestId('schedule-hint')).toContainText('⌊t / 40⌋');
  await expect(page).toHaveURL(/opt=momentum&mom=0\.95&sched=step&dsteps=40&drate=0\.9/);
  await expect(playground.getByTestId('engine-notice')).toHaveCount(0);
  await expect(builder).toContainText('dropout (Dropout)');
  // A reload restores every option.
  await page.reload();
  await expect(playground.locator('sn-optimizer-settings').getByRole('combobox', { name: 'Momentum' })).toHaveValue('0.95');
  await expect(playground.locator('sn-model-builder').getByRole('combobox', { name: 'Dropout after hidden layer 1' })).toHaveValue('0.3');
  await expect(playground).toHaveAttribute('data-models', '1');
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  await expect(playground.locator('sn-training-log')).toContainText('SGD (momentum 0.95), step decay from lr 0.01 (×0.9 every 40 steps)');
  // The schedule's initial rate: a change starts a new model, and the log says so.
  await playground.locator('sn-training-controls').getByRole('combobox', { name: 'Learning rate' }).selectOption('0.03');
  await expect(playground.locator('sn-training-log')).toContainText(
    'Initial learning rate of the schedule 0.01 → 0.03 (new model from the seed)',
  );
  await expect(playground).toHaveAttribute('data-epoch', '0');
  await page.screenshot({ path: `${SCREENSHOTS}/options-trained.png`, fullPage: true });
  expect(problems).toEqual([]);
});
