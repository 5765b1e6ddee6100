import { availableParallelism, loadavg } from 'node:os';

/**
 * Time budgets of the end-to-end tests. WebGPU runs on SwiftShader (the CPU) here, and the suite
 * must pass on a loaded machine too (beside another `npm test`), where a second of a quiet
 * machine takes five or more. So every wait is on page state (an attribute, a text, a polled
 * value), never a fixed limit sized to a quiet run: a fast run returns as soon as the state is
 * there, and only a hang or a real failure uses up a budget.
 */

/**
 * How much slower than a quiet machine this run may be: E2E_TIME_SCALE when set, else the load
 * per core when the run (or its worker) starts, between 1 (quiet) and 4. It multiplies the
 * budgets and the bounds on wall-clock gaps (page responsiveness), which a loaded machine
 * stretches whatever the page does.
 */
function timeScale(): number {
  const fromEnv = Number(process.env['E2E_TIME_SCALE']);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return Math.min(4, Math.max(1, loadavg()[0]! / availableParallelism()));
}
export const TIME_SCALE = timeScale();

export const TIME_BUDGET = {
  /** State that takes a little GPU work: the GPU ready, a model compiled, a chart or map redrawn. */
  state: 60_000 * TIME_SCALE,
  /** State reached after training epochs, a benchmark or a worker's run. */
  training: 180_000 * TIME_SCALE,
  /** One test, whatever it waits for (the package tests pack, install and bundle first). */
  test: 360_000 * TIME_SCALE,
} as const;
