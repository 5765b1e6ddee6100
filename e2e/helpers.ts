import type { Page } from '@playwright/test';
// Brings in the HTMLElementTagNameMap entry, so `document.querySelector('sn-gpu-status')` is typed.
import type {} from '../demo/components/sn-gpu-status.js';

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
