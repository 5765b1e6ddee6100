/** How the engine talks to the GPU, for benchmarks, tests and the curious. */
export interface EngineStats {
  /** Dispatches recorded for one training step (forward, loss, backward, optimizer). */
  readonly dispatchesPerStep: number;
  /** Dispatches of the last epoch, validation and shuffling included. */
  readonly dispatchesPerEpoch: number;
  /** Command-buffer submits of the last epoch. */
  readonly submitsPerEpoch: number;
  /** GPU→CPU reads (buffer maps) of the last epoch. */
  readonly readsPerEpoch: number;
  /** Optimizer steps taken since compile. */
  readonly steps: number;
}

export const EMPTY_STATS: EngineStats = {
  dispatchesPerStep: 0,
  dispatchesPerEpoch: 0,
  submitsPerEpoch: 0,
  readsPerEpoch: 0,
  steps: 0,
};
