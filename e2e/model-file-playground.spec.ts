/**
 * The playground's "Model file" control (project 'webgpu'): Download model saves the trained
 * model as TF.js files, Load model… reads them back into a fresh page (same layers, same
 * decision map); corrupted or non-JSON files are refused with a message, and the current model
 * stays and still trains.
 */
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { SnDecisionMap } from '../src/components/index.js';
import { openPlayground, screenshot, waitForEpoch, watchProblems } from './helpers.js';
import { TIME_BUDGET } from './budgets.js';

test.use({ viewport: { width: 1280, height: 800 } });

/** 200 moons and a 2→6 tanh→4 relu→1 MLP, 3 epochs. */
const TRAIN = '#data=moons&n=200&noise=0.1&dseed=1&val=0.2&layers=6tanh-4relu&epochs=3&batch=32&lr=0.02&seed=3';
/** The same data with another model: what a fresh page shows before loading. */
const FRESH = '#data=moons&n=200&noise=0.1&dseed=1&val=0.2&layers=8relu&epochs=3&batch=32&lr=0.02&seed=3';

interface Picked {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** Every probability of the decision map, once its last pass has been drawn. */
async function mapValues(playground: Locator): Promise<number[]> {
  return playground.locator('sn-decision-map').evaluate(async (m) => {
    await (m as SnDecisionMap).idle();
    return Array.from((m as SnDecisionMap).values ?? []);
  });
}

/** Hidden layers as the builder shows them: "units activation". */
async function builderLayers(page: Page): Promise<string[]> {
  return page
    .locator('sn-model-builder li[data-layer]')
    .evaluateAll((items) =>
      items.map(
        (li) => `${(li.querySelector('input') as HTMLInputElement).value} ${(li.querySelector('select') as HTMLSelectElement).value}`,
      ),
    );
}

/** Clicks "Download model" and returns the two files it saves. */
async function downloadModel(page: Page): Promise<Picked[]> {
  const downloads: Download[] = [];
  const onDownload = (d: Download): void => void downloads.push(d);
  page.on('download', onDownload);
  await page.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  page.off('download', onDownload);
  const files = await Promise.all(
    downloads.map(async (d) => ({
      name: d.suggestedFilename(),
      mimeType: 'application/octet-stream',
      buffer: await readFile((await d.path())!),
    })),
  );
  expect(files.map((f) => f.name).sort()).toEqual(['shadernet-model.json', 'shadernet-model.weights.bin']);
  return files;
}

/** Opens "Load model…" from the keyboard (focus + Enter) and picks `files`. */
async function loadFiles(page: Page, files: Picked[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /^Load model…/ }).focus();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(files);
}

test('Download model, then Load model… in a fresh page: the same layers and the same decision map; training goes on', async ({ page }) => {
  const problems = watchProblems(page);
  let playground = await openPlayground(page, TRAIN);
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 2);
  const expected = await mapValues(playground);
  expect(expected).toHaveLength(200 * 200);
  const layers = await builderLayers(page);
  expect(layers).toEqual(['6 tanh', '4 relu']);
  const files = await downloadModel(page);
  await expect(page.getByTestId('message')).toContainText('Model saved (epoch 2)');

  // A fresh page, with another model.
  await page.goto('about:blank');
  playground = await openPlayground(page, FRESH);
  expect(await builderLayers(page)).toEqual(['8 relu']);
  const before = await mapValues(playground);
  expect(before).not.toEqual(expected);

  await loadFiles(page, files);
  await expect(page.getByTestId('message')).toContainText('Model loaded from');
  await expect.poll(() => builderLayers(page)).toEqual(layers);
  await expect(page.getByTestId('param-count')).toHaveText('51 parameters'); // 2·6+6 + 6·4+4 + 4+1
  await expect(playground).not.toHaveAttribute('data-models', '0');
  await expect.poll(() => mapValues(playground), { timeout: TIME_BUDGET.training }).toEqual(expected);
  await expect.poll(() => page.url()).toContain('layers=6tanh-4relu');

  // Training continues from the loaded weights.
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  expect(await mapValues(playground)).not.toEqual(expected);
  await screenshot(page, 'model-file-loaded');
  expect(problems).toEqual([]);
});

test('a truncated weights file and a model.json that is not JSON are refused with a message; the current model stays and trains', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const playground = await openPlayground(page, TRAIN);
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  const files = await downloadModel(page);
  const json = files.find((f) => f.name.endsWith('.json'))!;
  const bin = files.find((f) => f.name.endsWith('.bin'))!;
  const map = await mapValues(playground);
  const layers = await builderLayers(page);
  const message = page.getByTestId('message');

  // The weights cut short by 8 bytes.
  await loadFiles(page, [json, { ...bin, buffer: bin.buffer.subarray(0, bin.buffer.length - 8) }]);
  await expect(message).toHaveAttribute('role', 'alert');
  await expect(message).toContainText(
    /Model not loaded \(.*shadernet-model\.weights\.bin.*\): (ShapeError|ValueError): .*(bytes|truncated)/i,
  );
  await expect(message).toContainText('The current model was kept.');
  await screenshot(page, 'model-file-truncated-bin');

  // A model.json that is not JSON, and markup in its name shown as text.
  await loadFiles(page, [
    { name: '<b>evil</b>.json', mimeType: 'application/json', buffer: Buffer.from('{"modelTopology": <not json>') },
    bin,
  ]);
  await expect(message).toContainText(/Model not loaded \(<b>evil<\/b>\.json, .*\): \w*Error: .*JSON/i);
  await expect(message.locator('b')).toHaveCount(0);
  await screenshot(page, 'model-file-not-json');

  // Nothing changed: same layers, same epoch, same map; and it still trains.
  expect(await builderLayers(page)).toEqual(layers);
  await expect(playground).toHaveAttribute('data-epoch', '1');
  expect(await mapValues(playground)).toEqual(map);
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 2);
  expect(await mapValues(playground)).not.toEqual(map);
  expect(problems).toEqual([]);
});
