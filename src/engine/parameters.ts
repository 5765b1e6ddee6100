import { ShapeError, UnsupportedError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import type { ModelState } from './backend.js';
import type { NetworkShape, TensorRef } from '../spec/network.js';

/** Where one tensor (a kernel or a bias) lives inside the flat parameter buffers. */
export interface TensorSlot extends TensorRef {
  readonly shape: readonly number[];
  readonly length: number;
  /** Offset in floats; a multiple of the device's storage-offset alignment. */
  readonly offset: number;
}

/** Where a layer's tensors live; `bias` is undefined for a layer without bias. */
export interface LayerSlots {
  readonly kernel: TensorSlot;
  readonly bias: TensorSlot | undefined;
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${bytes} bytes`;
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
  private readonly layers: readonly LayerSlots[];
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
    const add = (layer: number, part: TensorRef['part'], shape: readonly number[]): TensorSlot => {
      const length = shape.reduce((a, b) => a * b, 1);
      const slot = { layer, part, shape, length, offset };
      tensors.push(slot);
      offset += Math.ceil(length / align) * align;
      return slot;
    };
    // Keras's get_weights order (spec/network.ts tensorRefs): kernel, then bias, layer by layer.
    this.layers = network.layers.map((layer, index) => ({
      kernel: add(index, 'kernel', [layer.inputs, layer.units]),
      bias: layer.useBias ? add(index, 'bias', [layer.units]) : undefined,
    }));
    this.tensors = tensors;
    this.length = Math.max(offset, 1);
    // Adam binds each buffer whole: the model must fit one storage binding. Checked before any
    // GPU allocation so an oversized model fails cleanly.
    const limit = ctx.limits.maxStorageBufferBindingSize;
    if (this.length * 4 > limit) {
      const largest = network.layers.reduce(
        (best, layer, i) => {
          const size = layer.inputs * layer.units;
          return size > best.size ? { index: i, size, layer } : best;
        },
        { index: 0, size: 0, layer: network.layers[0]! },
      );
      throw new UnsupportedError(
        `The model needs ${formatBytes(this.length * 4)} of weights, more than this device's ` +
          `maxStorageBufferBindingSize (${formatBytes(limit)}); the largest layer, layer ${largest.index} ` +
          `(${largest.layer.inputs}×${largest.layer.units}), holds ${formatBytes(largest.size * 4)}.`,
      );
    }
    this.values = ctx.createStorage('parameters', this.length);
    this.gradients = ctx.createStorage('gradients', this.length);
    this.m = ctx.createStorage('optimizer slot m', this.length);
    this.v = ctx.createStorage('optimizer slot v', this.length);
  }

  /** Where layer `index`'s kernel and bias live: the one map from layers to tensors. */
  layer(index: number): LayerSlots {
    return this.layers[index]!;
  }

  /** The slice of `buffer` (one of this object's four) that holds `tensor`. */
  binding(buffer: GPUBuffer, tensor: TensorSlot): GPUBufferBinding {
    return { buffer, offset: tensor.offset * 4, size: Math.max(tensor.length, 1) * 4 };
  }

  /** Writes tensor values (Keras get_weights order) into the values buffer. */
  write(values: readonly ArrayLike<number>[]): void {
    this.ctx.device.queue.writeBuffer(this.values, 0, this.pack(values));
  }

  /** Tensor values (Keras get_weights order) laid out as the flat buffers hold them. */
  pack(values: readonly ArrayLike<number>[]): Float32Array<ArrayBuffer> {
    if (values.length !== this.tensors.length) {
      throw new ShapeError(`Expected ${this.tensors.length} weight arrays, got ${values.length}.`);
    }
    const packed = new Float32Array(this.length);
    this.tensors.forEach((tensor, i) => {
      const source = values[i]!;
      if (source.length !== tensor.length) {
        throw new ShapeError(
          `Weight ${i} (layer${tensor.layer}/${tensor.part}) needs ${tensor.length} values for shape [${tensor.shape.join(', ')}], got ${source.length}.`,
        );
      }
      packed.set(Float32Array.from(source), tensor.offset);
    });
    return packed;
  }

  /** Reads every tensor back, in Keras get_weights order. One GPU round trip. */
  async read(buffer: GPUBuffer = this.values): Promise<Float32Array[]> {
    return this.unpack(await this.ctx.readFloats(buffer, 0, this.length));
  }

  /** Splits a flat copy of one of the buffers into its tensors (Keras order). */
  unpack(flat: Float32Array): Float32Array[] {
    return this.tensors.map((tensor) => flat.slice(tensor.offset, tensor.offset + tensor.length));
  }

  /** The tensor holding flat index `index`, or undefined for padding between tensors. */
  tensorAt(index: number): TensorSlot | undefined {
    return this.tensors.find((t) => index >= t.offset && index < t.offset + t.length);
  }

  /** Writes weights and optimizer moments (e.g. a snapshot taken at an epoch end). */
  writeState(state: ModelState): void {
    const queue = this.ctx.device.queue;
    queue.writeBuffer(this.values, 0, this.pack(state.weights));
    queue.writeBuffer(this.m, 0, this.pack(state.m));
    queue.writeBuffer(this.v, 0, this.pack(state.v));
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

/**
 * A CPU copy of the parameters and optimizer moments, taken at the end of an epoch in the same
 * command buffer as the epoch's metrics: what device-loss recovery and the numerical guard
 * roll back to. The staging buffer is reused every epoch.
 */
export class ParameterSnapshot {
  private readonly staging: GPUBuffer;

  constructor(
    private readonly ctx: GpuContext,
    private readonly parameters: ParameterBuffers,
  ) {
    this.staging = ctx.createBuffer('parameter snapshot', parameters.length * 12, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /** Records the copies; encode after the last step of the epoch. */
  record(encoder: GPUCommandEncoder): void {
    const bytes = this.parameters.length * 4;
    encoder.copyBufferToBuffer(this.parameters.values, 0, this.staging, 0, bytes);
    encoder.copyBufferToBuffer(this.parameters.m, 0, this.staging, bytes, bytes);
    encoder.copyBufferToBuffer(this.parameters.v, 0, this.staging, 2 * bytes, bytes);
  }

  async read(): Promise<ModelState> {
    await this.ctx.guard(this.staging.mapAsync(GPUMapMode.READ));
    try {
      const all = new Float32Array(this.staging.getMappedRange().slice(0));
      const n = this.parameters.length;
      return {
        weights: this.parameters.unpack(all.subarray(0, n)),
        m: this.parameters.unpack(all.subarray(n, 2 * n)),
        v: this.parameters.unpack(all.subarray(2 * n)),
      };
    } finally {
      this.staging.unmap();
    }
  }

  dispose(): void {
    this.ctx.destroyBuffer(this.staging);
  }
}
