/** fit's and evaluate's logs: `loss` and the compiled metrics, from the engines' sums. */
import type { LossKind } from '../spec/loss.js';
import { meanMetrics } from '../engine/metrics.js';
import type { MetricSums } from '../spec/metrics.js';
import { metricQuantity, type MetricName } from './losses.js';

/** `loss` and each compiled metric (`prefix` `val_` for validation), keys sorted as Keras 3 does. */
export function metricLogs(
  prefix: string,
  sums: MetricSums,
  { metrics, lossKind }: { readonly metrics: readonly MetricName[]; readonly lossKind: LossKind },
): Record<string, number> {
  const means = meanMetrics(sums);
  const entries: [string, number][] = [
    [`${prefix}loss`, means.loss],
    ...metrics.map((m): [string, number] => [`${prefix}${m}`, means[metricQuantity(m, lossKind)]]),
  ];
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}
