/**
 * End-to-end tests of the built demo (dist/demo) in headless Chromium.
 * Run with `npm run test:e2e`, which builds the demo first.
 *
 * Browser: $PLAYWRIGHT_CHROMIUM_EXECUTABLE when set, else /usr/bin/chromium (Debian's package,
 * which ships SwiftShader, so WebGPU runs on machines without a GPU), else the Chromium that
 * `npx playwright install chromium` downloaded.
 */
import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { TIME_BUDGET } from './e2e/budgets.js';

const port = Number(process.env['E2E_PORT'] ?? 4173);

function chromiumExecutable(): string | undefined {
  const fromEnv = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'];
  if (fromEnv) return fromEnv;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined; // Playwright's own browser.
}

/** Flags for any headless run here: no sandbox (CI runs as root) and no calls home. */
const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** WebGPU in headless Chromium, on SwiftShader (a CPU Vulkan), with or without a GPU. */
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

const executablePath = chromiumExecutable();

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Generous budgets, and waits on page state: passes on SwiftShader on a loaded machine (e2e/budgets.ts).
  timeout: TIME_BUDGET.test,
  expect: { timeout: TIME_BUDGET.state },
  fullyParallel: true,
  forbidOnly: Boolean(process.env['CI']),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 900, height: 760 },
    trace: 'retain-on-failure',
  },
  projects: [
    {
      // The normal case, WebGPU on: every spec but the two projects' below (a new spec runs by default).
      name: 'webgpu',
      testIgnore: /(package|no-webgpu)\.spec\.ts$/,
      use: { launchOptions: { ...(executablePath ? { executablePath } : {}), args: [...BASE_ARGS, ...WEBGPU_ARGS] } },
    },
    {
      // The npm package as users install it (packs, installs into a temporary project, bundles,
      // serves its own pages): apart, so its builds never share the cores with the demo's tests.
      name: 'package',
      testMatch: /package\.spec\.ts$/,
      use: { launchOptions: { ...(executablePath ? { executablePath } : {}), args: [...BASE_ARGS, ...WEBGPU_ARGS] } },
    },
    {
      // Without the WebGPU flags headless Chromium keeps navigator.gpu but requestAdapter()
      // returns null (--disable-features=WebGPU does not remove navigator.gpu either);
      // --disable-gpu keeps it so on machines that do have a GPU.
      name: 'no-webgpu',
      testMatch: /no-webgpu\.spec\.ts$/,
      use: { launchOptions: { ...(executablePath ? { executablePath } : {}), args: [...BASE_ARGS, '--disable-gpu'] } },
    },
  ],
  webServer: {
    command: `node scripts/serve-static.mjs dist/demo --port ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env['CI'],
    timeout: TIME_BUDGET.state,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
