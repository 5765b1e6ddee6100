/** The playground's multi-class and regression datasets and the new model options (phase 1: before the engine has them). */
import { expect, test, type Page } from '@playwright/test';
import type { SnDecisionMap } from '../demo/components.js';
import { openPlayground, watchProblems, SCREENSHOTS } from './helpers.js';

test.use({ viewport: { width: 1280, height: 900 } });

/** The points canvas's colours: how many distinct opaque hues it has (a rough class count). */
async function pointColours(page: Page): Promise<number> {
  return page.locator('sn-playground sn-dataset-view').first().evaluate((view) => {
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
  { kind: 'spirals', label: 'k-class spirals', legend: 'multiclass', output: 'Dense, 3 units, softmax', loss: 'sparse categorical cross-entropy', metric: 'Accuracy' },
  { kind: 'blobs', label: 'Blobs (make_blobs)', legend: 'multiclass', output: 'Dense, 3 units, softmax', loss: 'sparse categorical cross-entropy', metric: 'Accuracy' },
  { kind: 'surface', label: 'Regression surface', legend: 'regression', output: 'Dense, 1 unit, linear', loss: 'mean squared error', metric: 'Mean absolute error' },
] as const;

for (const c of CASES) {
  test(`picking ${c.label} draws it with its legend, output layer and an engine-update notice`, async ({ page }) => {
    const problems = watchProblems(page);
    const playground = await openPlayground(page, '#data=moons&n=300&noise=0.1&layers=8relu&epochs=3');
    const picker = playground.locator('sn-dataset-picker');
    await picker.getByRole('combobox', { name: 'Dataset', exact: true }).selectOption(c.kind);
    await expect(page).toHaveURL(new RegExp(`data=${c.kind}`));
    const view = playground.locator('sn-dataset-view').first();
    await expect(view.locator('figcaption')).toHaveAttribute('data-legend', c.legend);
    await expect(view.locator('canvas.points')).toHaveAttribute('aria-label', /240 training points and 60 validation points/);
    await expect(playground.getByTestId('output-layer')).toContainText(c.output);
    await expect(playground.getByTestId('engine-notice')).toContainText('needs the engine update');
    await expect(playground.locator('sn-metrics-chart h3').first()).toHaveText(`Loss (${c.loss})`);
    await expect(playground.locator('sn-metrics-chart h3').nth(1)).toHaveText(c.metric);
    await expect(playground).toHaveAttribute('data-models', '0');
    if (c.legend === 'multiclass') {
      await expect(view.locator('figcaption .key')).toHaveCount(4); // 3 classes + validation
      expect(await pointColours(page)).toBeGreaterThanOrEqual(3);
    }
    await view.screenshot({ path: `${SCREENSHOTS}/dataset-${c.kind}.png` });
    // The map's colours for this task, from made-up outputs (the engine cannot train it yet):
    // k classes by angle with a confidence falling off towards the centre; regression sin·cos.
    const map = view.locator('sn-decision-map');
    await map.evaluate((element: SnDecisionMap, task) => {
      const res = 100;
      const out = new Float32Array(res * res * (task === 'regression' ? 1 : 3));
      for (let row = 0; row < res; row++) {
        for (let col = 0; col < res; col++) {
          const x = (col / res) * 2 - 1;
          const y = 1 - (row / res) * 2;
          const i = row * res + col;
          if (task === 'regression') {
            out[i] = Math.sin(Math.PI * x) * Math.cos(Math.PI * y);
            continue;
          }
          const sharp = 4 * Math.hypot(x, y);
          const logits = [0, 1, 2].map((k) => sharp * Math.cos(Math.atan2(y, x) - (2 * Math.PI * k) / 3));
          const z = logits.reduce((a, l) => a + Math.exp(l), 0);
          logits.forEach((l, k) => (out[i * 3 + k] = Math.exp(l) / z));
        }
      }
      element.setValues(out, res);
    }, c.legend);
    await view.screenshot({ path: `${SCREENSHOTS}/map-${c.kind}.png` });
    await page.screenshot({ path: `${SCREENSHOTS}/page-${c.kind}.png`, fullPage: true });
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

test('builder and optimizer options: URL state, Keras names, notice; binary Adam still trains', async ({ page }) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, '#data=moons&n=200&noise=0.1&layers=8relu&epochs=2&batch=32&lr=0.01');
  const builder = playground.locator('sn-model-builder');
  await builder.getByRole('combobox', { name: 'Activation of hidden layer 1' }).selectOption('gelu');
  await expect(playground.getByTestId('engine-notice')).toContainText('gelu');
  await builder.getByRole('combobox', { name: 'Activation of hidden layer 1' }).selectOption('tanh');
  await builder.getByRole('combobox', { name: 'Dropout after hidden layer 1' }).selectOption('0.3');
  await builder.getByRole('combobox', { name: 'Kernel regularizer of hidden layer 1' }).selectOption('l2');
  await builder.getByRole('combobox', { name: 'Regularization factor of hidden layer 1' }).selectOption('0.001');
  await expect(page).toHaveURL(/layers=8tanh%7Ed0\.3%7El2%3A0\.001/);
  await expect(playground.getByTestId('engine-notice')).toContainText('dropout, kernel regularizers');
  const optimizer = playground.locator('sn-optimizer-settings');
  await optimizer.getByRole('combobox', { name: 'Optimizer' }).selectOption('momentum');
  await optimizer.getByRole('combobox', { name: 'Momentum' }).selectOption('0.95');
  await optimizer.getByRole('combobox', { name: 'Learning-rate schedule' }).selectOption('step');
  await optimizer.getByLabel('Decay steps').fill('40');
  await optimizer.getByLabel('Decay steps').press('Enter');
  await expect(optimizer.getByTestId('schedule-hint')).toContainText('⌊t / 40⌋');
  await expect(page).toHaveURL(/opt=momentum&mom=0\.95&sched=step&dsteps=40&drate=0\.9/);
  await expect(playground.getByTestId('engine-notice')).toContainText('SGD + momentum');
  await page.screenshot({ path: `${SCREENSHOTS}/options-notice.png`, fullPage: true });
  // A reload restores every option.
  await page.reload();
  await expect(playground.locator('sn-optimizer-settings').getByRole('combobox', { name: 'Momentum' })).toHaveValue('0.95');
  await expect(playground.locator('sn-model-builder').getByRole('combobox', { name: 'Dropout after hidden layer 1' })).toHaveValue('0.3');
  // Back to what the engine trains today: the notice goes, a model is made and trains.
  await playground.locator('sn-optimizer-settings').getByRole('combobox', { name: 'Optimizer' }).selectOption('adam');
  await playground.locator('sn-optimizer-settings').getByRole('combobox', { name: 'Learning-rate schedule' }).selectOption('constant');
  await playground.locator('sn-model-builder').getByRole('combobox', { name: 'Dropout after hidden layer 1' }).selectOption('0');
  await playground.locator('sn-model-builder').getByRole('combobox', { name: 'Kernel regularizer of hidden layer 1' }).selectOption('none');
  await expect(playground.getByTestId('engine-notice')).toHaveCount(0);
  await expect(playground).toHaveAttribute('data-models', '1');
  await page.getByRole('button', { name: 'One epoch' }).click();
  await expect(playground).toHaveAttribute('data-epoch', '1', { timeout: 30_000 });
  expect(problems).toEqual([]);
});
