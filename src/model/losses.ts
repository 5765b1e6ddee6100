import { ValueError } from '../errors.js';

/**
 * Binary cross-entropy as a configurable loss object (Keras's `BinaryCrossentropy`).
 * With a sigmoid output layer it is always trained in the stable fused logits form, as
 * Keras's TensorFlow backend does; `fromLogits: true` says the model outputs logits
 * (a linear last layer).
 */
export class BinaryCrossentropy {
  readonly name = 'binary_crossentropy';
  readonly fromLogits: boolean;
  constructor(options: { readonly fromLogits?: boolean } = {}) {
    this.fromLogits = options.fromLogits ?? false;
  }
}

export const LOSSES = ['binary_crossentropy', 'binaryCrossentropy'] as const;

export function resolveLoss(loss: unknown): BinaryCrossentropy {
  if (loss instanceof BinaryCrossentropy) return loss;
  if (loss === 'binary_crossentropy' || loss === 'binaryCrossentropy') return new BinaryCrossentropy();
  throw new ValueError(`Unknown loss ${JSON.stringify(loss)}; expected one of: ${LOSSES.join(', ')}, or a BinaryCrossentropy instance.`);
}

/** Metric names accepted by compile; the log key is the name given, as in Keras 3. */
export const METRICS = ['accuracy', 'acc', 'binary_accuracy'] as const;
export type MetricName = (typeof METRICS)[number];

export function resolveMetrics(metrics: unknown): MetricName[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new ValueError(`metrics must be an array of names, got ${JSON.stringify(metrics)}.`);
  return metrics.map((name) => {
    if (!(METRICS as readonly unknown[]).includes(name)) {
      throw new ValueError(`Unknown metric ${JSON.stringify(name)}; expected one of: ${METRICS.join(', ')}.`);
    }
    return name as MetricName;
  });
}
