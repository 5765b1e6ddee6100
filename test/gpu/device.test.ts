import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GpuContext } from '../../src/gpu/context.js';
import { DeviceLostError, StateError } from '../../src/errors.js';

// Child mode: this very file, started with VK_ICD_FILENAMES pointing nowhere, reports what
// requesting a GPU throws (the env var wins over the SwiftShader fallback, so none is found).
if (process.env['SHADERNET_TEST_CHILD'] === 'no-adapter') {
  try {
    await GpuContext.create();
    console.log(JSON.stringify({ name: 'none' }));
  } catch (error) {
    const { name, message } = error as Error;
    console.log(JSON.stringify({ name, message }));
  }
  process.exit(0);
}

test('a GPU context reports its adapter and limits', async () => {
  const ctx = await GpuContext.create();
  try {
    assert.equal(ctx.adapter.runtime, 'node');
    for (const field of ['vendor', 'architecture', 'device', 'description'] as const) assert.equal(typeof ctx.adapter[field], 'string');
    assert.equal(typeof ctx.adapter.isFallbackAdapter, 'boolean');
    assert.ok(ctx.limits.maxStorageBufferBindingSize >= 128 * 1024 * 1024);
    assert.ok(ctx.limits.maxComputeWorkgroupsPerDimension >= 65535);
  } finally {
    ctx.dispose();
  }
});

test('device loss rejects pending work with DeviceLostError within a second, and later use too', async () => {
  const ctx = await GpuContext.create();
  const buffer = ctx.createStorage('victim', new Float32Array([1, 2, 3]));
  const started = performance.now();
  const pending = ctx.read(buffer);
  ctx.device.destroy();
  await assert.rejects(
    pending,
    (error: Error) => error instanceof DeviceLostError && /GPU device was lost \(destroyed\)/.test(error.message),
  );
  assert.ok(performance.now() - started < 1000, 'rejected promptly');
  assert.ok(ctx.isLost);
  await assert.rejects(ctx.finish(), DeviceLostError);
  ctx.dispose();
  assert.throws(() => ctx.createBuffer('after', 4, GPUBufferUsage.STORAGE), StateError);
});

test('memory() counts live buffers and bytes; dispose() releases them all', async () => {
  const ctx = await GpuContext.create();
  assert.deepEqual(ctx.memory(), { buffers: 0, bytes: 0 });
  const a = ctx.createStorage('a', 10);
  ctx.createStorage('b', 3);
  assert.deepEqual(ctx.memory(), { buffers: 2, bytes: 40 + 12 });
  ctx.destroyBuffer(a);
  ctx.destroyBuffer(a);
  assert.deepEqual(ctx.memory(), { buffers: 1, bytes: 12 });
  ctx.dispose();
  ctx.dispose();
  assert.deepEqual(ctx.memory(), { buffers: 0, bytes: 0 });
});

test('with no usable Vulkan driver, requesting a GPU fails with an error that says what to install', () => {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, SHADERNET_TEST_CHILD: 'no-adapter', VK_ICD_FILENAMES: '/nonexistent/icd.json' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const result = JSON.parse(output.trim().split('\n').at(-1)!) as { name: string; message: string };
  assert.equal(result.name, 'WebGPUUnavailableError');
  assert.match(result.message, /No WebGPU adapter in Node\. Tried: VK_ICD_FILENAMES=\/nonexistent\/icd\.json/);
  assert.match(result.message, /apt-get install libvulkan1/);
  assert.match(result.message, /chromium/);
});
