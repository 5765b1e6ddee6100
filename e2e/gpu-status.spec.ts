/** The demo with WebGPU on (project 'webgpu'; here that is SwiftShader, a CPU adapter). */
import { expect, test } from '@playwright/test';
import { screenshot, watchProblems } from './helpers.js';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('sn-gpu-status')).toHaveAttribute('data-state', 'ready');
});

test('shows the adapter the browser reports, and its limits, without page errors', async ({ page }) => {
  const problems = watchProblems(page);
  await page.reload();
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'ready');
  await expect(page).toHaveTitle('shadernet');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('shadernet');

  // What the browser itself reports, asked without shadernet.
  const reported = await page.evaluate(async () => {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    return { vendor: info.vendor, architecture: info.architecture, fallback: Boolean(info.isFallbackAdapter) };
  });
  expect(reported).not.toBeNull();
  const adapter = (term: string) => status.locator(`dl.adapter dt:text-is("${term}") + dd`);
  await expect(adapter('Vendor')).toHaveText(reported!.vendor || 'not reported');
  await expect(adapter('Architecture')).toHaveText(reported!.architecture || 'not reported');
  await expect(adapter('Fallback adapter')).toHaveText(reported!.fallback ? /^yes/ : 'no');
  await expect(adapter('Runtime')).toHaveText('browser');
  await expect(status).toContainText('Fallback adapter');

  const limits = await page.evaluate(() => {
    const { limits } = document.querySelector('sn-gpu-status')!.context!;
    return { storage: limits.maxStorageBufferBindingSize, workgroups: limits.maxComputeWorkgroupsPerDimension };
  });
  const limit = (name: string) => status.locator(`dl.limits dt:text-is("${name}") + dd`);
  await expect(limit('maxStorageBufferBindingSize')).toContainText(`(${limits.storage.toLocaleString('en-US')} bytes)`);
  await expect(limit('maxComputeWorkgroupsPerDimension')).toHaveText(limits.workgroups.toLocaleString('en-US'));
  await expect(status).toHaveAttribute('data-errors', '0');

  await screenshot(page, 'ready');
  expect(problems).toEqual([]);
});

test('shows device loss, and "Try again" gets a new device', async ({ page }) => {
  const status = page.locator('sn-gpu-status');
  await page.evaluate(() => document.querySelector('sn-gpu-status')!.context!.device.destroy());
  await expect(status).toHaveAttribute('data-state', 'lost');
  const panel = status.getByRole('alert');
  await expect(panel).toContainText('GPU device lost');
  await expect(panel).toContainText('Reason: destroyed');
  await screenshot(page, 'lost');

  await panel.getByRole('button', { name: 'Try again' }).click();
  await expect(status).toHaveAttribute('data-state', 'ready');
  expect(await page.evaluate(() => document.querySelector('sn-gpu-status')!.context!.isLost)).toBe(false);
});

test('shows uncaptured WebGPU errors and uncaught page errors', async ({ page }) => {
  const status = page.locator('sn-gpu-status');
  await page.evaluate(async () => {
    const { device } = document.querySelector('sn-gpu-status')!.context!;
    // Invalid: a buffer cannot be mapped for both reading and writing.
    device.createBuffer({ label: 'e2e-invalid', size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE });
    // Chromium delivers uncaptured errors when the device next processes events.
    await device.queue.onSubmittedWorkDone();
    setTimeout(() => {
      throw new Error('thrown by the e2e test');
    });
    void Promise.reject(new Error('rejected by the e2e test'));
  });
  await expect(status).toHaveAttribute('data-errors', '3');
  const errors = status.locator('section.errors');
  await expect(errors).toContainText('GPUValidationError');
  await expect(errors).toContainText('Error: thrown by the e2e test');
  await expect(errors).toContainText('Unhandled rejection: Error: rejected by the e2e test');
  await expect(status).toHaveAttribute('data-state', 'ready');
  await screenshot(page, 'errors');
});

test('releases the GPU when removed from the page, and starts again when put back', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const element = document.querySelector('sn-gpu-status')!;
    const context = element.context!;
    const parent = element.parentElement!;
    element.remove();
    const lost = await context.device.lost;
    const released = element.context === undefined;
    parent.append(element);
    return { reason: lost.reason, released };
  });
  expect(result).toEqual({ reason: 'destroyed', released: true });
  const status = page.locator('sn-gpu-status');
  await expect(status).toHaveAttribute('data-state', 'ready');
  await expect(status.getByRole('alert')).toHaveCount(0);
});

test('changing power-preference requests a new device and releases the old one', async ({ page }) => {
  const oldReleased = await page.evaluate(async () => {
    const element = document.querySelector('sn-gpu-status')!;
    const old = element.context!;
    element.setAttribute('power-preference', 'low-power');
    await old.device.lost;
    return element.powerPreference === 'low-power';
  });
  expect(oldReleased).toBe(true);
  await expect(page.locator('sn-gpu-status')).toHaveAttribute('data-state', 'ready');
});
