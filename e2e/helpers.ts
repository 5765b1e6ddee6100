import { expect, type Locator, type Page } from '@playwright/test';
// Brings in the HTMLElementTagNameMap entries, so `document.querySelector('sn-…')` is typed.
import type {} from '../demo/components.js';

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

/** Opens the playground (optionally with a hash) and waits until its models are on the GPU. */
export async function openPlayground(page: Page, hash = ''): Promise<Locator> {
  await page.goto(`/${hash}`);
  const playground = page.locator('sn-playground');
  await expect(playground).toHaveAttribute('data-gpu', 'ready');
  await expect(playground).not.toHaveAttribute('data-models', '0');
  return playground;
}

/** Waits until training has stopped at `epoch` (the first model's completed epochs). */
export async function waitForEpoch(playground: Locator, epoch: number, timeout = 60_000): Promise<void> {
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
      const [r, g, b] = ctx.getImageData(Math.min(canvas.width - 1, Math.floor(fx * canvas.width)), Math.min(canvas.height - 1, Math.floor(fy * canvas.height)), 1, 1).data;
      return [r!, g!, b!] as [number, number, number];
    });
  }, at);
}
