import { expect, type Locator, type Page } from '@playwright/test';
// Brings in the HTMLElementTagNameMap entries, so `document.querySelector('sn-…')` is typed.
import type {} from '../src/components/index.js';
import { TIME_BUDGET } from './budgets.js';

/** Where the screenshots of each state go (test-results/ is emptied at the start of a run). */
export const SCREENSHOTS = 'test-results/screenshots';

/** Collects uncaught page errors and console errors from now on; read the array at the end. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Asserts that `locator`'s box lies inside the viewport (no scrolling needed to see it). */
export async function expectInViewport(page: Page, locator: Locator, name: string): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${name} is rendered`).not.toBeNull();
  expect(box!.x, `${name} left`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${name} top`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${name} right (viewport ${viewport.width})`).toBeLessThanOrEqual(viewport.width);
  expect(box!.y + box!.height, `${name} bottom (viewport ${viewport.height})`).toBeLessThanOrEqual(viewport.height);
}

/**
 * Asserts that a `<sn-dataset-view>`'s plot (the decision map) and its x axis (every tick label
 * and the axis label, under the plot) are on screen, the labels inside the view's own box.
 */
export async function expectMapOnScreen(page: Page, view: Locator): Promise<void> {
  await expectInViewport(page, view.locator('.plot'), 'decision map');
  const viewBox = (await view.boundingBox())!;
  const labels = [
    ...(await view.locator('.xticks span').all()).map((tick, i) => [tick, `x tick ${i}`] as const),
    [view.locator('.xlabel'), 'x label'] as const,
  ];
  expect(labels.length).toBeGreaterThanOrEqual(3);
  for (const [label, name] of labels) {
    await expectInViewport(page, label, name);
    const box = (await label.boundingBox())!;
    expect(box.x, `${name} inside the view (left)`).toBeGreaterThanOrEqual(viewBox.x);
    expect(box.x + box.width, `${name} inside the view (right)`).toBeLessThanOrEqual(viewBox.x + viewBox.width);
    expect(box.y + box.height, `${name} inside the view (bottom)`).toBeLessThanOrEqual(viewBox.y + viewBox.height);
  }
}

/** Opens the playground (optionally with a hash) and waits until its models are on the GPU. */
export async function openPlayground(page: Page, hash = ''): Promise<Locator> {
  await page.goto(`/${hash}`);
  const playground = page.locator('sn-playground');
  await expect(playground).toHaveAttribute('data-gpu', 'ready');
  await expect(playground).not.toHaveAttribute('data-models', '0');
  return playground;
}

/** Waits until training has stopped at `epoch` (the first model's completed epochs). */
export async function waitForEpoch(playground: Locator, epoch: number, timeout = TIME_BUDGET.training): Promise<void> {
  await expect(playground).toHaveAttribute('data-epoch', String(epoch), { timeout });
  await expect(playground).toHaveAttribute('data-busy', 'false', { timeout });
}

/** The number shown in a metrics chart field (`val_accuracy`, `loss`, …). */
export async function metric(scope: Locator, name: string): Promise<number> {
  const text = await scope.locator(`sn-metrics-chart [data-testid="${name}"]`).first().innerText();
  return Number(text);
}

/** RGB of the decision map canvas (what was put there, before the points) at fractions of its size. */
export async function mapPixels(map: Locator, at: readonly (readonly [number, number])[]): Promise<[number, number, number][]> {
  return map.evaluate((element, points) => {
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    return points.map(([fx, fy]) => {
      const [r, g, b] = ctx.getImageData(
        Math.min(canvas.width - 1, Math.floor(fx * canvas.width)),
        Math.min(canvas.height - 1, Math.floor(fy * canvas.height)),
        1,
        1,
      ).data;
      return [r!, g!, b!] as [number, number, number];
    });
  }, at);
}

/** A map pixel coloured as class 1 (red side of coolwarm) or class 0 (blue side). */
export const isClass1 = ([r, , b]: readonly number[]) => r! > b! + 60;
export const isClass0 = ([r, , b]: readonly number[]) => b! > r! + 60;

/** The trained circles' decision map: class 1 (red) in the centre, class 0 (blue) at the four corners. */
export async function expectCirclesMap(map: Locator): Promise<void> {
  const [centre, ...corners] = await mapPixels(map, [
    [0.5, 0.5],
    [0.03, 0.03],
    [0.97, 0.03],
    [0.03, 0.97],
    [0.97, 0.97],
  ]);
  expect(isClass1(centre!), `centre ${centre}`).toBe(true);
  for (const corner of corners) expect(isClass0(corner), `corner ${corner}`).toBe(true);
}

/**
 * The History of ONE `fit({ epochs, seed })` of a fresh model with the playground's settings and
 * data (the first model's), on `backend`: what its epoch-by-epoch run must equal, as the library
 * shuffles epoch e by (seed, e) alone.
 */
export async function oneFitHistory(page: Page, backend: 'webgpu' | 'cpu'): Promise<Record<string, number[]>> {
  return page.evaluate(async (backend) => {
    const lib = (await import(`${location.origin}/shadernet.js`)) as typeof import('../src/index.js');
    const playground = document.querySelector('sn-playground')!;
    const run = playground.runs[0]!;
    const view = playground.shadowRoot!.querySelector('sn-dataset-view')!;
    const train = view.train!;
    const validation = view.validation!;
    const model = new lib.Sequential({ seed: run.seed, backend });
    run.layers.forEach((layer, i) =>
      model.add(new lib.Dense({ units: layer.units, activation: layer.activation as 'relu', ...(i === 0 ? { inputDim: 2 } : {}) })),
    );
    model.add(new lib.Dense({ units: 1, activation: 'sigmoid', ...(run.layers.length === 0 ? { inputDim: 2 } : {}) }));
    model.compile({ optimizer: new lib.Adam({ learningRate: run.learningRate }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const matrix = (set: typeof train) => ({ data: set.x as Float32Array, shape: [set.nSamples, 2] as [number, number] });
    const history = await model.fit(matrix(train), train.y as Float32Array, {
      epochs: run.epoch,
      batchSize: run.batchSize,
      seed: run.seed,
      verbose: 0,
      validationData: [matrix(validation), validation.y as Float32Array],
    });
    model.dispose();
    return history.history as Record<string, number[]>;
  }, backend);
}
