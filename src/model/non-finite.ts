import { NonFiniteError } from '../errors.js';
import type { EpochOutcome } from '../engine/backend.js';

/** The error of an epoch whose weights or loss went non-finite (the weights were rolled back). */
export function nonFiniteError(
  epoch: number,
  outcome: EpochOutcome,
  layer: { readonly name: string | undefined } | undefined,
): NonFiniteError {
  const what =
    layer && outcome.nonFiniteTensor
      ? `a non-finite weight in layer '${layer.name}' (${outcome.nonFiniteTensor.part})`
      : `a non-finite loss (${outcome.train.lossSum / outcome.train.seen})`;
  return new NonFiniteError(
    `Training produced ${what} in epoch ${epoch + 1}; the weights of the last good epoch were restored. ` +
      'Lower the learning rate or scale the inputs.',
    epoch,
    layer?.name,
  );
}
