import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeAdapter, softwareAdapterReason } from '../../bench/lib/adapter-check.js';
import { roof } from '../../bench/lib/calibration.js';
import { kernel, kernelRates } from '../../bench/lib/workloads.js';

// `npm run bench:browser -- --gpu` refuses software adapters: these are the infos Chromium reports.
test('software adapters are refused with the reason', () => {
  const swiftshader = { webgpu: true, vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
  assert.match(softwareAdapterReason(swiftshader)!, /software renderer \("swiftshader"\)/);
  assert.match(softwareAdapterReason({ webgpu: true, vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })!, /llvmpipe/);
  assert.match(softwareAdapterReason({ webgpu: true, vendor: 'nvidia', type: 'CPU' })!, /type is "CPU"/);
  assert.match(softwareAdapterReason({ webgpu: true, vendor: 'nvidia', backend: 'null' })!, /null backend/);
  assert.match(softwareAdapterReason({ webgpu: true, vendor: 'google', isFallbackAdapter: true })!, /fallback/);
  assert.match(softwareAdapterReason({ webgpu: false })!, /no adapter/);
});

test('hardware adapters pass', () => {
  for (const info of [
    {
      webgpu: true,
      vendor: 'nvidia',
      architecture: 'hopper',
      description: 'NVIDIA H100 80GB HBM3',
      type: 'discrete GPU',
      backend: 'vulkan',
      isFallbackAdapter: false,
    },
    { webgpu: true, vendor: 'apple', architecture: 'metal-3', type: 'integrated GPU', backend: 'metal' },
    { webgpu: true, vendor: 'amd', architecture: 'rdna-3', device: '' },
  ]) {
    assert.equal(softwareAdapterReason(info), undefined, describeAdapter(info));
  }
  assert.equal(
    describeAdapter({ webgpu: true, vendor: 'nvidia', architecture: 'hopper', type: 'discrete GPU' }),
    'nvidia, hopper, type: discrete GPU',
  );
});

test('kernel bytes count every operand once; rates and the roof follow', () => {
  // matmul 3×17·17×129: X 51 + W 2193 + Y 387 floats.
  const matmul = kernel('matmul', 3, 17, 129);
  assert.equal(matmul.bytes, 4 * (51 + 2193 + 387));
  assert.equal(kernel('forward', 3, 17, 129).bytes, matmul.bytes + 4 * 129);
  assert.equal(kernel('backward_data', 3, 17, 129).bytes, 4 * (387 + 2193 + 51 + 51));
  assert.equal(kernel('backward_weights', 1, 1, 1).bytes, 4 * 4);
  const rates = kernelRates(matmul, 10, 2);
  assert.ok(Math.abs(rates.gflops - (matmul.flops * 10) / 2e6) < 1e-12);
  assert.ok(Math.abs(rates.gbps - (matmul.bytes * 10) / 2e6) < 1e-12);
  assert.equal(rates.intensity, matmul.flops / matmul.bytes);
  // Below the ridge (peak ÷ bandwidth = 10 FLOP/byte) bandwidth bounds; above it the FMA peak.
  assert.equal(roof({ peakGflops: 1000, peakGBs: 100 }, 2), 200);
  assert.equal(roof({ peakGflops: 1000, peakGBs: 100 }, 50), 1000);
});
