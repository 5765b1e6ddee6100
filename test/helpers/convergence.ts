import assert from 'node:assert/strict';
import type { History } from '../../src/index.js';
import { expectClose, type Tolerance } from './numeric.js';

/**
 * Convergence is tested as agreement of loss curves, not as a threshold on the end result: the
 * GPU engine and the float64 CPU engine fit the same model (built from one seed, so the same
 * initial weights) on the same data in the same order (fit's seed), and their per-epoch losses
 * must agree within `tolerance`. A threshold passes as long as training ends up good enough,
 * e.g. with a gradient scaled by a wrong constant; a curve does not, with an optimizer whose
 * step grows with the gradient (SGD: Adam divides a constant scale out).
 *
 * Also checks that the curves resolve training: the first loss moves by more than 50 tolerances
 * over the run, so that agreement is not the agreement of two curves that barely changed.
 * Returns nothing; throws naming the key and epoch that differ.
 */
export function expectSameLossCurves(onGpu: History, onCpu: History, keys: readonly string[], tolerance: Tolerance): void {
  for (const key of keys) {
    const gpu = onGpu.history[key];
    const cpu = onCpu.history[key];
    assert.ok(gpu && cpu, `both histories have '${key}'`);
    expectClose(gpu, cpu, tolerance, `${key} per epoch, GPU vs float64 CPU engine`);
  }
  const loss = onCpu.history['loss']!;
  const moved = Math.abs(loss.at(-1)! - loss[0]!);
  const resolution = tolerance.atol + tolerance.rtol * Math.abs(loss[0]!);
  assert.ok(
    moved > 50 * resolution,
    `the loss moved by ${moved.toExponential(2)} over ${loss.length} epochs: too little for the tolerance (${resolution.toExponential(2)}) to tell curves apart`,
  );
}
