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

test('no adapter: the playground keeps the data and the model builder, and disables training', async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  const hasAdapter = await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) != null);
  test.skip(hasAdapter, 'this browser provides a WebGPU adapter even without the WebGPU flags');
  const playground = page.locator('sn-playground');
  await expect(playground).toHaveAttribute('data-gpu', 'unavailable');
  await expect(playground.getByRole('status').filter({ hasText: 'Training needs a WebGPU device' })).toBeVisible();
  await expect(page.locator('sn-gpu-status').getByRole('alert')).toContainText('WebGPU unavailable');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'One epoch' })).toBeDisabled();
  // The data is still there, and the model can still be built.
  await expect(page.locator('sn-dataset-view canvas.points')).toHaveAttribute('aria-label', /4000 training points/);
  await page.locator('sn-model-builder').getByRole('button', { name: '+ Add layer' }).click();
  await expect(page.getByTestId('param-count')).toHaveText('1,425 parameters'); // 2→128→8→1: 384 + 1,032 + 9
  await screenshot(page, 'unavailable-playground-1280');
  expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
});

test('embed.html without WebGPU shows the explanation instead of a blank page', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/embed.html');
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'unavailable');
  await expect(status.getByRole('alert')).toContainText('WebGPU unavailable');
  await expect(page.locator('sn-dataset-view canvas.points')).toHaveAttribute('aria-label', /800 training points/);
  await screenshot(page, 'unavailable-embed');
  expect(problems.filter((problem) => problem.startsWith('uncaught'))).toEqual([]);
});
