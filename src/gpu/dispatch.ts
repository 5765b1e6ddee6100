import { GpuError, UnsupportedError, ValueError } from '../errors.js';
import type { GpuContext } from './context.js';
import type { KernelPipeline } from './registry.js';
import { UniformTable, type UniformValues } from './uniforms.js';

/** A whole buffer, or a byte range of one (e.g. one layer's weights inside the parameter buffer). */
export type BufferResource = GPUBuffer | GPUBufferBinding;

export type Workgroups = readonly [number, number, number];

/**
 * One prepared dispatch: a pipeline, its bind group (created once) and its own uniform table
 * with one slot per variant (e.g. per training step of an epoch, selected by dynamic offset).
 * Encoding it costs three calls and no allocation, so a plan can record thousands per submit.
 */
export class BoundKernel {
  readonly bindGroup: GPUBindGroup;
  readonly uniforms: UniformTable;

  constructor(
    private readonly ctx: GpuContext,
    readonly kernel: KernelPipeline,
    resources: Readonly<Record<string, BufferResource>>,
    public workgroups: Workgroups,
    slots = 1,
  ) {
    const uniformBinding = kernel.spec.bindings.find((b) => b.access === 'uniform');
    if (!uniformBinding) throw new GpuError(`${kernel.label} declares no uniform binding.`);
    this.uniforms = new UniformTable(ctx.device, kernel.uniform, slots, `${kernel.label} params`, (label, size, usage) =>
      ctx.createBuffer(label, size, usage),
    );
    const entries: GPUBindGroupEntry[] = [];
    for (const [name, binding] of kernel.bindings) {
      if (name === uniformBinding.name) {
        entries.push({ binding, resource: { buffer: this.uniforms.buffer, size: kernel.uniform.size } });
        continue;
      }
      const resource = resources[name];
      if (!resource) throw new ValueError(`${kernel.label}: no buffer given for binding '${name}'.`);
      entries.push({ binding, resource: 'buffer' in resource ? resource : { buffer: resource } });
    }
    for (const name of Object.keys(resources)) {
      if (!kernel.bindings.has(name) || name === uniformBinding.name) {
        const names = [...kernel.bindings.keys()].filter((n) => n !== uniformBinding.name);
        throw new ValueError(`${kernel.label} has no storage binding '${name}' (has: ${names.join(', ')}).`);
      }
    }
    this.bindGroup = ctx.device.createBindGroup({ label: kernel.label, layout: kernel.layout, entries });
  }

  /** Writes one slot's uniform values (by WGSL field name) to the CPU mirror; see upload(). */
  stageParams(values: UniformValues, slot = 0): this {
    this.uniforms.set(slot, values);
    return this;
  }

  /** Sends slots [0, count) of the mirror to the GPU: one write however many slots changed. */
  upload(count = this.uniforms.slots): void {
    this.uniforms.upload(0, count);
  }

  /** Sets one slot's uniform values and uploads that slot at once. */
  setParams(values: UniformValues, slot = 0): this {
    this.uniforms.set(slot, values).upload(slot, 1);
    return this;
  }

  encode(pass: GPUComputePassEncoder, slot = 0): void {
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, this.bindGroup, [this.uniforms.offsetOf(slot)]);
    pass.dispatchWorkgroups(this.workgroups[0], this.workgroups[1], this.workgroups[2]);
  }

  dispose(): void {
    this.ctx.destroyBuffer(this.uniforms.buffer);
  }
}

/** Number of workgroups along one axis to cover `items`, checked against the device limit. */
export function workgroupsFor(items: number, perWorkgroup: number, device: GPUDevice, what: string): number {
  const count = Math.max(1, Math.ceil(items / perWorkgroup));
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  if (count > limit) {
    throw new UnsupportedError(
      `${what} needs ${count} workgroups along one axis; this device allows ${limit}. Split the work into chunks.`,
    );
  }
  return count;
}

/** Workgroups for a 1-D kernel over `items`, folded into 2-D past the per-dimension limit. */
export function linearWorkgroups(items: number, workgroupWidth: number, device: GPUDevice): Workgroups {
  const groups = Math.max(1, Math.ceil(items / workgroupWidth));
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  if (groups <= limit) return [groups, 1, 1];
  const rows = Math.ceil(groups / limit);
  if (rows > limit) throw new ValueError(`${items} elements exceed one dispatch (${limit}² workgroups of ${workgroupWidth}).`);
  return [limit, rows, 1];
}

/** Records `kernels` (each at its slot) in one compute pass, submits, and waits for the GPU. */
export async function runKernels(ctx: GpuContext, label: string, kernels: readonly BoundKernel[], slot = 0): Promise<void> {
  await ctx.pipelinesReady();
  await ctx.checked(label, () => {
    const encoder = ctx.device.createCommandEncoder({ label });
    const pass = encoder.beginComputePass({ label });
    for (const kernel of kernels) kernel.encode(pass, slot);
    pass.end();
    ctx.device.queue.submit([encoder.finish()]);
  });
  await ctx.finish();
}
