import { ShapeError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import type { NetworkShape } from './network.js';

/** Where one tensor (a kernel or a bias) lives inside the flat parameter buffers. */
export interface TensorSlot {
  readonly name: string;
  readonly shape: readonly number[];
  readonly length: number;
  /** Offset in floats; a multiple of the device's storage-offset alignment. */
  readonly offset: number;
}

/**
 * Every trainable tensor of a network packed into four parallel flat buffers: values,
 * gradients, and Adam's m and v. One buffer per role means one Adam dispatch per step for the
 * whole model. Each tensor starts at a multiple of `minStorageBufferOffsetAlignment`, so a
 * layer binds its own slice; the padding between tensors has zero gradient forever, which
 * Adam maps to a zero update, so it needs no special case.
 */
export class ParameterBuffers {
  readonly tensors: readonly TensorSlot[];
  /** Floats per buffer, padding included. */
  readonly length: number;
  readonly values: GPUBuffer;
  readonly gradients: GPUBuffer;
  readonly m: GPUBuffer;
  readonly v: GPUBuffer;

  constructor(
    private readonly ctx: GpuContext,
    network: NetworkShape,
  ) {
    const align = ctx.limits.minStorageBufferOffsetAlignment / 4;
    const tensors: TensorSlot[] = [];
    let offset = 0;
    const add = (name: string, shape: readonly number[]): void => {
      const length = shape.reduce((a, b) => a * b, 1);
      tensors.push({ name, shape, length, offset });
      offset += Math.ceil(length / align) * align;
    };
    network.layers.forEach((layer, index) => {
      add(`layer${index}/kernel`, [layer.inputs, layer.units]);
      if (layer.useBias) add(`layer${index}/bias`, [layer.units]);
    });
    this.tensors = tensors;
    this.length = Math.max(offset, 1);
    this.values = ctx.createStorage('parameters', this.length);
    this.gradients = ctx.createStorage('gradients', this.length);
    this.m = ctx.createStorage('adam m', this.length);
    this.v = ctx.createStorage('adam v', this.length);
  }

  /** The slice of `buffer` (one of this object's four) that holds `tensor`. */
  binding(buffer: GPUBuffer, tensor: TensorSlot): GPUBufferBinding {
    return { buffer, offset: tensor.offset * 4, size: Math.max(tensor.length, 1) * 4 };
  }

  /** Writes tensor values (Keras get_weights order) into the values buffer. */
  write(values: readonly ArrayLike<number>[]): void {
    if (values.length !== this.tensors.length) {
      throw new ShapeError(`Expected ${this.tensors.length} weight arrays, got ${values.length}.`);
    }
    const packed = new Float32Array(this.length);
    this.tensors.forEach((tensor, i) => {
      const source = values[i]!;
      if (source.length !== tensor.length) {
        throw new ShapeError(
          `Weight ${i} (${tensor.name}) needs ${tensor.length} values for shape [${tensor.shape.join(', ')}], got ${source.length}.`,
        );
      }
      packed.set(Float32Array.from(source), tensor.offset);
    });
    this.ctx.device.queue.writeBuffer(this.values, 0, packed);
  }

  /** Reads every tensor back, in Keras get_weights order. One GPU round trip. */
  async read(buffer: GPUBuffer = this.values): Promise<Float32Array[]> {
    const all = await this.ctx.readFloats(buffer, 0, this.length);
    return this.tensors.map((tensor) => all.slice(tensor.offset, tensor.offset + tensor.length));
  }

  /** Zeroes the optimizer state (a fresh Adam). */
  resetOptimizer(): void {
    const encoder = this.ctx.device.createCommandEncoder({ label: 'reset optimizer' });
    encoder.clearBuffer(this.m);
    encoder.clearBuffer(this.v);
    this.ctx.device.queue.submit([encoder.finish()]);
  }

  dispose(): void {
    for (const buffer of [this.values, this.gradients, this.m, this.v]) this.ctx.destroyBuffer(buffer);
  }
}
