/**
 * Input features in the playground (project 'webgpu'): the toggles change the model's input
 * width (the builder's Input line, the first Dense kernel), and the feature set survives a
 * copied link and a Download model → Load model… round trip (the list travels in model.json's
 * userDefinedMetadata).
 */
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { SnDecisionMap } from '../src/components/index.js';
import { openPlayground, screenshot, waitForEpoch, watchProblems } from './helpers.js';

test.use({ viewport: { width: 1280, height: 900 } });

const HASH = '#data=spiral&n=200&noise=0&dseed=1&val=0.2&layers=8tanh&epochs=3&batch=16&lr=0.03&seed=3';

/** Length of the first Dense kernel of the page's model: inputs × 8 units. */
async function firstKernelLength(playground: Locator): Promise<number> {
  return playground.evaluate(async (p) => {
    const run = (p as HTMLElementTagNameMap['sn-playground']).runs[0];
    if (!run) return 0; // the models are built once the GPU is ready
    await run.ready;
    return (await run.model.getWeights())[0]!.length;
  });
}

async function mapValues(playground: Locator): Promise<number[]> {
  return playground.locator('sn-decision-map').evaluate(async (m) => {
    await (m as SnDecisionMap).idle();
    return Array.from((m as SnDecisionMap).values ?? []);
  });
}

const toggle = (page: Page, name: string): Locator => page.locator(`sn-model-builder button[data-feature="${name}"]`);

test('feature toggles change the input width; the set survives a copied link and a model file', async ({ page, context }) => {
  const problems = watchProblems(page);
  let playground = await openPlayground(page, HASH);
  const width = page.getByTestId('input-width');
  await expect(width).toHaveText('2 features (x₁, x₂)');
  await expect.poll(() => firstKernelLength(playground)).toBe(2 * 8);
  await expect(toggle(page, 'x1')).toHaveAttribute('aria-pressed', 'true');

  await toggle(page, 'sin_x1').click();
  await toggle(page, 'sin_x2').click();
  await toggle(page, 'x1_x2').click();
  await expect(width).toHaveText('5 features (x₁, x₂, x₁x₂, sin(x₁), sin(x₂))');
  await expect(toggle(page, 'sin_x1')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => firstKernelLength(playground)).toBe(5 * 8);
  // The network view draws the five inputs, named, and every weight of the new kernel.
  const network = playground.locator('sn-network-view');
  await expect(network.getByRole('button', { name: 'sin(x₁)', exact: true })).toBeVisible();
  await expect(network).toHaveAttribute('data-units', String(5 + 8 + 1));
  await expect(network).toHaveAttribute('data-edges', String(5 * 8 + 8));
  await expect(page.getByTestId('param-count')).toHaveText('57 parameters'); // 5·8+8 + 8+1
  await expect.poll(() => page.url()).toContain('feat=x1%2Cx2%2Cx1_x2%2Csin_x1%2Csin_x2');
  // x1_x2 off again: 4 features.
  await toggle(page, 'x1_x2').click();
  await expect(width).toHaveText('4 features (x₁, x₂, sin(x₁), sin(x₂))');
  await expect.poll(() => firstKernelLength(playground)).toBe(4 * 8);

  // Trains on them, and the maps come from the same expansion.
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitForEpoch(playground, 1);
  expect(await mapValues(playground)).toHaveLength(200 * 200);
  await page.locator('sn-model-builder').scrollIntoViewIfNeeded();
  await screenshot(page, 'features');

  // The copied link, in a new page.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: /Copy link/ }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('feat=x1%2Cx2%2Csin_x1%2Csin_x2');
  const other = await context.newPage();
  const otherPlayground = await openPlayground(other, new URL(link).hash);
  await expect(other.getByTestId('input-width')).toHaveText('4 features (x₁, x₂, sin(x₁), sin(x₂))');
  await expect(other.locator('sn-model-builder button[data-feature="sin_x2"]')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => firstKernelLength(otherPlayground)).toBe(4 * 8);
  await other.close();

  // Download model, then load it into a fresh page with the plain (x1, x2) input.
  const expected = await mapValues(playground);
  const downloads: Download[] = [];
  page.on('download', (d) => void downloads.push(d));
  await page.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  const files = await Promise.all(
    downloads.map(async (d) => ({
      name: d.suggestedFilename(),
      mimeType: 'application/octet-stream',
      buffer: await readFile((await d.path())!),
    })),
  );
  const json = JSON.parse(files.find((f) => f.name.endsWith('.json'))!.buffer.toString('utf8')) as {
    userDefinedMetadata: { features: string[] };
  };
  expect(json.userDefinedMetadata.features).toEqual(['x1', 'x2', 'sin_x1', 'sin_x2']);

  await page.goto('about:blank');
  playground = await openPlayground(page, HASH);
  await expect(width).toHaveText('2 features (x₁, x₂)');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /^Load model…/ }).click();
  await (await chooser).setFiles(files);
  await expect(page.getByTestId('message')).toContainText('Model loaded from');
  await expect(width).toHaveText('4 features (x₁, x₂, sin(x₁), sin(x₂))');
  await expect.poll(() => firstKernelLength(playground)).toBe(4 * 8);
  await expect.poll(() => page.url()).toContain('feat=x1%2Cx2%2Csin_x1%2Csin_x2');
  await expect.poll(() => mapValues(playground), { timeout: 15_000 }).toEqual(expected);
  expect(problems).toEqual([]);
});
