import type { BoundKernel } from '../gpu/dispatch.js';

/** One dispatch of a training step, and how to set its uniforms for a given batch. */
export interface StepDispatch {
  readonly kernel: BoundKernel;
  /** Writes the uniforms of the batch of `rows` rows at `offset`, optimizer step `t`, into `slot`. */
  readonly stage: (slot: number, rows: number, offset: number, t: number) => void;
}
