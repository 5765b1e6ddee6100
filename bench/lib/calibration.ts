// The adapter's measured ceilings, for the roofline view: a peak FMA-throughput kernel (eight
// independent vec4 fma chains per invocation, no memory traffic) and a peak-bandwidth copy kernel
// (vec4 loads and stores over buffers larger than most GPUs' caches). Bench code, not library code:
// it runs on the bench's GpuContext device, with its own two tiny pipelines.
//
// Each kernel's work per submit grows (workgroups, then dispatches per submit) until one submit
// takes at least `targetMs`, so a software adapter and a datacentre GPU are both measured in a
// fraction of a second; the peak is the best of `rounds` submits at that size.
export interface Calibration {
  /** Peak f32 FMA throughput, GFLOP/s (an FMA counts 2 FLOPs). */
  readonly peakGflops: number;
  /** Peak copy bandwidth, GB/s (bytes read + bytes written). */
  readonly peakGBs: number;
  /** Where compute starts to bound a kernel: peakGflops ÷ peakGBs, FLOP per byte. */
  readonly ridgeIntensity: number;
  /** What one timed submit did, for the report. */
  readonly fma: { readonly flopsPerSubmit: number; readonly runsMs: readonly number[] };
  readonly copy: { readonly bytesPerSubmit: number; readonly bufferBytes: number; readonly runsMs: readonly number[] };
}

const WORKGROUP = 256;
const FMA_ITERATIONS = 512;
const FMA_CHAINS = 8;
const FLOPS_PER_INVOCATION = FMA_ITERATIONS * FMA_CHAINS * 4 * 2;

const chains = Array.from({ length: FMA_CHAINS }, (_, i) => i);
// The sum is written only when it equals a value it never reaches: the compiler cannot drop the
// chains, and the kernel does no memory traffic.
const FMA_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> sink: array<vec4f>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3u) {
  let s = f32(id.x) * 1e-7;
  ${chains.map((c) => `var a${c} = vec4f(s + ${c}.0, s + ${c}.25, s + ${c}.5, s + ${c}.75);`).join('\n  ')}
  let m = vec4f(0.9999);
  let k = vec4f(1e-4);
  for (var i = 0u; i < ${FMA_ITERATIONS}u; i++) {
    ${chains.map((c) => `a${c} = fma(a${c}, m, k);`).join('\n    ')}
  }
  let total = ${chains.map((c) => `a${c}`).join(' + ')};
  if (total.x == -1.0) { sink[0] = total; }
}`;

const COPY_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4f>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = id.x + id.y * groups.x * ${WORKGROUP}u;
  if (i < arrayLength(&dst)) { dst[i] = src[i]; }
}`;

/** Largest workgroup count per dispatch dimension WebGPU guarantees. */
const MAX_GROUPS = 65_535;

async function timeSubmit(device: GPUDevice, encode: (pass: GPUComputePassEncoder) => void): Promise<number> {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  encode(pass);
  pass.end();
  const start = performance.now();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  return performance.now() - start;
}

function pipeline(device: GPUDevice, code: string, label: string): GPUComputePipeline {
  return device.createComputePipeline({
    label,
    layout: 'auto',
    compute: { module: device.createShaderModule({ label, code }), entryPoint: 'main' },
  });
}

/**
 * Grows `size` (a workload scale ≥ 1) by doubling until one submit takes `targetMs`, then returns
 * the size and the best of `rounds` submits' times.
 */
async function calibrateSize(
  run: (size: number) => Promise<number>,
  maxSize: number,
  targetMs: number,
  rounds: number,
): Promise<{ size: number; runsMs: number[] }> {
  let size = 1;
  await run(size); // pipeline compilation
  while (size < maxSize && (await run(size)) < targetMs) size = Math.min(maxSize, size * 2);
  const runsMs: number[] = [];
  for (let i = 0; i < rounds; i++) runsMs.push(await run(size));
  return { size, runsMs };
}

/** Measures the device's FMA and copy ceilings; `targetMs` per timed submit (quick: ~30, full: ~100). */
export async function calibrate(device: GPUDevice, targetMs = 30, rounds = 5): Promise<Calibration> {
  // An invalid pipeline would make every submit an instant no-op and the peaks absurd: fail instead.
  device.pushErrorScope('validation');
  const settled = await measure(device, targetMs, rounds).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const scopeError = await device.popErrorScope();
  if (scopeError) throw new Error(`calibration kernels failed: ${scopeError.message}`);
  if ('error' in settled) throw settled.error;
  return settled.value;
}

async function measure(device: GPUDevice, targetMs: number, rounds: number): Promise<Calibration> {
  const sink = device.createBuffer({ label: 'calibration sink', size: 16, usage: GPUBufferUsage.STORAGE });
  const bufferBytes = Math.min(64 * 2 ** 20, device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const source = device.createBuffer({ label: 'calibration source', size: bufferBytes, usage: GPUBufferUsage.STORAGE });
  const target = device.createBuffer({ label: 'calibration target', size: bufferBytes, usage: GPUBufferUsage.STORAGE });
  try {
    const fma = pipeline(device, FMA_WGSL, 'calibration fma');
    const fmaGroup = device.createBindGroup({ layout: fma.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: sink } }] });
    // Size 1..64: 64 workgroups per step (4,096 in all fills any GPU), then whole dispatches.
    const fmaShape = (size: number) => (size <= 64 ? { groups: 64 * size, dispatches: 1 } : { groups: 4096, dispatches: size / 64 });
    const fmaRun = (size: number) =>
      timeSubmit(device, (pass) => {
        pass.setPipeline(fma);
        pass.setBindGroup(0, fmaGroup);
        const { groups, dispatches } = fmaShape(size);
        for (let d = 0; d < dispatches; d++) pass.dispatchWorkgroups(groups);
      });
    const fmaResult = await calibrateSize(fmaRun, 64 * 256, targetMs, rounds);
    const { groups, dispatches } = fmaShape(fmaResult.size);
    const flopsPerSubmit = groups * dispatches * WORKGROUP * FLOPS_PER_INVOCATION;

    const copy = pipeline(device, COPY_WGSL, 'calibration copy');
    const copyGroup = device.createBindGroup({
      layout: copy.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: source } },
        { binding: 1, resource: { buffer: target } },
      ],
    });
    const vectors = bufferBytes / 16;
    const groupsX = Math.min(MAX_GROUPS, Math.ceil(vectors / WORKGROUP));
    const groupsY = Math.ceil(vectors / WORKGROUP / groupsX);
    const copyRun = (size: number) =>
      timeSubmit(device, (pass) => {
        pass.setPipeline(copy);
        pass.setBindGroup(0, copyGroup);
        for (let d = 0; d < size; d++) pass.dispatchWorkgroups(groupsX, groupsY);
      });
    const copyResult = await calibrateSize(copyRun, 64, targetMs, rounds);
    const bytesPerSubmit = 2 * bufferBytes * copyResult.size;

    const peakGflops = flopsPerSubmit / (Math.min(...fmaResult.runsMs) * 1e6);
    const peakGBs = bytesPerSubmit / (Math.min(...copyResult.runsMs) * 1e6);
    return {
      peakGflops,
      peakGBs,
      ridgeIntensity: peakGflops / peakGBs,
      fma: { flopsPerSubmit, runsMs: fmaResult.runsMs },
      copy: { bytesPerSubmit, bufferBytes, runsMs: copyResult.runsMs },
    };
  } finally {
    for (const buffer of [sink, source, target]) buffer.destroy();
  }
}

/** The attainable GFLOP/s at an arithmetic intensity (FLOP per byte): the roofline. */
export function roof(calibration: Pick<Calibration, 'peakGflops' | 'peakGBs'>, intensity: number): number {
  return Math.min(calibration.peakGflops, intensity * calibration.peakGBs);
}
