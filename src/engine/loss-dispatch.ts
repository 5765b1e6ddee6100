import type { GpuContext } from '../gpu/context.js';
import { binaryCrossentropy } from '../kernels/binary-crossentropy.js';
import { meanSquaredError } from '../kernels/mean-squared-error.js';
import type { LossBuffers, LossDispatch } from '../kernels/metrics.js';
import { softmaxCrossentropy } from '../kernels/softmax-crossentropy.js';
import type { LossSpec } from '../spec/loss.js';

/**
 * The loss kernel of `loss` over batches of up to `rows` rows of `units` outputs: one dispatch
 * that adds to a metrics record and, when training, writes dL/d(output) (logits for a
 * logits-form loss, else the output after its activation).
 */
export function createLossDispatch(
  ctx: GpuContext,
  loss: LossSpec,
  rows: number,
  units: number,
  buffers: LossBuffers,
  options: { readonly train: boolean; readonly slots: number },
): LossDispatch {
  const { train, slots } = options;
  switch (loss.kind) {
    case 'binary_crossentropy':
      return binaryCrossentropy(ctx, rows, buffers, { fromLogits: loss.form === 'logits', train, slots });
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy':
      return softmaxCrossentropy(ctx, rows, buffers, {
        classes: units,
        sparse: loss.kind === 'sparse_categorical_crossentropy',
        train,
        slots,
      });
    case 'mean_squared_error':
      return meanSquaredError(ctx, rows, buffers, { units, train, slots });
  }
}
