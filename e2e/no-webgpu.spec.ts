/** The demo where WebGPU is unavailable (project 'no-webgpu': Chromium without the WebGPU flags). */
import { expect, test } from '@playwright/test';
import { screenshot, watchProblems } from './helpers.js';

test('no adapter: explains why and what to do', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/');
  const hasAdapter = await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) != null);
  test.skip(hasAdapter, 'this browser provides a WebGPU adapter even without the WebGPU flags');

  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'unavailable');
  const panel = status.getByRole('alert');
  await expect(panel).toContainText('WebGPU unavailable');
  await expect(panel).toContainText('requestAdapter() returned null');
  await expect(panel.locator('li')).toContainText(['Chrome or Edge', 'chrome://gpu', '--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader']);
  await expect(panel.getByRole('button', { name: 'Try again' })).toBeVisible();
  await screenshot(page, 'unavailable-no-adapter');
  expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
});

test('no navigator.gpu: explains why and what to do', async ({ page }) => {
  const problems = watchProblems(page);
  // What a browser without WebGPU (or a page outside a secure context) looks like.
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await page.goto('/');
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'unavailable');
  const panel = status.getByRole('alert');
  await expect(panel).toContainText('WebGPU unavailable');
  await expect(panel).toContainText('navigator.gpu is undefined');
  await expect(panel).toContainText('headless Chromium');
  await screenshot(page, 'unavailable-no-api');
  expect(problems).toEqual([]);
});

test('if the script cannot load, the page still says so', async ({ page }) => {
  await page.route('**/main.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await expect(page.getByText('If this message stays, the demo script did not run')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('shadernet');
  await screenshot(page, 'script-failed');
});
