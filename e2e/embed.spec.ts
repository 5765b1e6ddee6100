/** demo/embed.html: the components on a page of their own, wired to a model by a few lines of script. */
import { expect, test } from '@playwright/test';
import { mapPixels, screenshot, watchProblems } from './helpers.js';
import { TIME_BUDGET } from './budgets.js';

test('embed.html trains a model with only the component and library bundles', async ({ page }) => {
  const problems = watchProblems(page);
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await page.goto('/embed.html');
  await expect(page.locator('body')).toHaveAttribute('data-done', 'true', { timeout: TIME_BUDGET.training });
  await expect(page.locator('#result')).toHaveText(/Done: validation accuracy (0\.9[5-9]|1\.0)\d* after 10 epochs\./);
  expect(scripts.filter((s) => !s.startsWith('/chunks/')).sort()).toEqual(['/components.js', '/shadernet.js']);
  // Curves: 10 epochs; map: drawn behind the points, red in the middle, blue in the corners.
  await expect(page.locator('sn-metrics-chart [data-testid="epoch"]')).toHaveText('10/10');
  const [centre, corner] = await mapPixels(page.locator('sn-decision-map'), [
    [0.5, 0.5],
    [0.03, 0.03],
  ]);
  expect(centre![0]).toBeGreaterThan(centre![2]! + 60);
  expect(corner![2]).toBeGreaterThan(corner![0]! + 60);
  await screenshot(page, 'embed');
  expect(problems).toEqual([]);
});
