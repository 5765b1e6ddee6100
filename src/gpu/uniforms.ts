import { ValueError } from '../errors.js';
import type { UniformLayout } from './kernel-spec.js';

export type UniformValues = Readonly<Record<string, number>>;

/**
 * A uniform buffer with one slot per dispatch instance (for example one per training step of
 * an epoch), bound with a dynamic offset so one bind group serves every slot. Values are
 * written by field name into a CPU mirror laid out as reflected at build time, then uploaded at once.
 */
export class UniformTable {
  readonly stride: number;
  readonly buffer: GPUBuffer;
  private readonly mirror: ArrayBuffer;
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;

  constructor(
    private readonly device: GPUDevice,
    readonly layout: UniformLayout,
    readonly slots: number,
    label: string,
    create: (label: string, size: number, usage: GPUBufferUsageFlags) => GPUBuffer,
  ) {
    const alignment = device.limits.minUniformBufferOffsetAlignment;
    this.stride = Math.ceil(layout.size / alignment) * alignment;
    this.mirror = new ArrayBuffer(this.stride * slots);
    this.u32 = new Uint32Array(this.mirror);
    this.i32 = new Int32Array(this.mirror);
    this.f32 = new Float32Array(this.mirror);
    this.buffer = create(label, this.mirror.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  /** Sets every field of one slot; names must match the WGSL struct exactly. */
  set(slot: number, values: UniformValues): this {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slots) {
      throw new ValueError(`Uniform slot ${slot} is outside 0..${this.slots - 1}.`);
    }
    const { fields, structName } = this.layout;
    for (const name of Object.keys(values)) {
      if (!Object.hasOwn(fields, name)) {
        throw new ValueError(`${structName} has no field '${name}' (fields: ${Object.keys(fields).join(', ')}).`);
      }
    }
    for (const [name, field] of Object.entries(fields)) {
      const value = values[name];
      if (value === undefined) throw new ValueError(`${structName}.${name} was not given a value.`);
      const index = (slot * this.stride + field.offset) / 4;
      if (field.type === 'f32') this.f32[index] = value;
      else if (field.type === 'i32') this.i32[index] = value;
      else {
        if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
          throw new ValueError(`${structName}.${name} is a u32; got ${value}.`);
        }
        this.u32[index] = value;
      }
    }
    return this;
  }

  /** Uploads slots [first, first + count) to the GPU (all by default). */
  upload(first = 0, count = this.slots): void {
    this.device.queue.writeBuffer(this.buffer, first * this.stride, this.mirror, first * this.stride, count * this.stride);
  }

  /** The dynamic offset that selects `slot` in a bind group. */
  offsetOf(slot: number): number {
    return slot * this.stride;
  }
}
