/** The metric sums every engine reports per epoch (the GPU's Metrics record decoded, or the CPU's float64 sums). */

/** Running sums read back from a Metrics record. */
export interface MetricSums {
  /** Σ w·loss over the rows seen (w = 1 without sample weights). */
  readonly lossSum: number;
  /** Rows predicted right by the loss's accuracy. */
  readonly correct: number;
  readonly seen: number;
  /** Σ over rows of the row's mean squared error over its outputs (after the output activation). */
  readonly squaredError: number;
  /** Σ over rows of the row's mean absolute error over its outputs. */
  readonly absoluteError: number;
}

/** a + b, field by field. */
export function addMetricSums(a: MetricSums, b: MetricSums): MetricSums {
  return {
    lossSum: a.lossSum + b.lossSum,
    correct: a.correct + b.correct,
    seen: a.seen + b.seen,
    squaredError: a.squaredError + b.squaredError,
    absoluteError: a.absoluteError + b.absoluteError,
  };
}
