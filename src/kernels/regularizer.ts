import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, type BufferResource } from '../gpu/dispatch.js';
import { REGULARIZER_KERNEL } from './generated/regularizer.js';

// Spec generated from shaders/regularizer.wgsl: L1/L2 penalties of every regularized tensor, in one dispatch.
export { REGULARIZER_KERNEL };

/** One regularized tensor: where it lives in the flat parameter buffers and its coefficients. */
export interface RegularizedTensor {
  /** Offset in floats; a multiple of 4 (parameter tensors are storage-aligned). */
  readonly offset: number;
  readonly length: number;
  readonly l1: number;
  readonly l2: number;
}

export interface RegularizerBuffers {
  /** The flat parameter values; every tensor must be followed by zeros up to a multiple of 4. */
  readonly values: BufferResource;
  /** The flat gradients (training only). */
  readonly gradients?: BufferResource;
  /** A metrics record whose first f32 (loss_sum) receives penalty × rows. */
  readonly metrics: BufferResource;
}

/**
 * The penalty (and, in training, its gradient) of every regularized tensor, in one dispatch.
 * Owns the tensor table. Each slot holds the rows the penalty is weighted by.
 */
export class RegularizerDispatch extends BoundKernel {
  private readonly table: GPUBuffer;
  private readonly tensorCount: number;

  constructor(
    private readonly context: GpuContext,
    tensors: readonly RegularizedTensor[],
    buffers: RegularizerBuffers,
    options: { readonly train: boolean; readonly slots?: number },
  ) {
    const words = new Uint32Array(Math.max(1, tensors.length) * 4);
    const floats = new Float32Array(words.buffer);
    tensors.forEach((tensor, i) => {
      if (tensor.offset % 4 !== 0) throw new RangeError(`Regularized tensor ${i} starts at float ${tensor.offset}, not a multiple of 4.`);
      words[4 * i] = tensor.offset / 4;
      words[4 * i + 1] = Math.ceil(tensor.length / 4);
      floats[4 * i + 2] = tensor.l1;
      floats[4 * i + 3] = tensor.l2;
    });
    const table = context.createStorage('regularizer table', words);
    const resources: Record<string, BufferResource> = { table, values: buffers.values, metrics: buffers.metrics };
    if (options.train) {
      if (!buffers.gradients) throw new TypeError('RegularizerDispatch: training needs the gradients buffer.');
      resources['gradients'] = buffers.gradients;
    }
    super(
      context,
      context.kernels.pipeline(REGULARIZER_KERNEL, options.train ? 'train' : 'penalty'),
      resources,
      [1, 1, 1],
      options.slots ?? 1,
    );
    this.table = table;
    for (let slot = 0; slot < this.uniforms.slots; slot++) this.uniforms.set(slot, { tensors: tensors.length, rows: 0 });
    this.tensorCount = tensors.length;
  }

  /** Sets the rows the penalty is weighted by in the dispatch at `slot`; upload() sends them. */
  stageRows(rows: number, slot = 0): this {
    return this.stageParams({ tensors: this.tensorCount, rows }, slot);
  }

  override dispose(): void {
    super.dispose();
    this.context.destroyBuffer(this.table);
  }
}
