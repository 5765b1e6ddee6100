/**
 * Time budgets of the end-to-end tests. WebGPU runs on SwiftShader (the CPU) here, and the suite
 * must pass on a loaded machine too (beside another `npm test`), where a second of a quiet
 * machine takes five or more. So every wait is on page state (an attribute, a text, a polled
 * value), never a fixed limit sized to a quiet run: a fast run returns as soon as the state is
 * there, and only a hang or a real failure uses up a budget. E2E_TIME_SCALE multiplies them
 * all (e.g. 2 on a slower machine).
 */
const scale = Number(process.env['E2E_TIME_SCALE'] ?? 1);
const TIME_SCALE = Number.isFinite(scale) && scale > 0 ? scale : 1;

export const TIME_BUDGET = {
  /** State that takes a little GPU work: the GPU ready, a model compiled, a chart or map redrawn. */
  state: 60_000 * TIME_SCALE,
  /** State reached after training epochs, a benchmark or a worker's run. */
  training: 180_000 * TIME_SCALE,
  /** One test, whatever it waits for (the package tests pack, install and bundle first). */
  test: 360_000 * TIME_SCALE,
} as const;
