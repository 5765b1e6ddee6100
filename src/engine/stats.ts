/** How the engine talks to the GPU, for benchmarks, tests and the curious. */
export interface EngineStats {
  /** Dispatches recorded for one training step (forward, loss, backward, optimizer). */
  readonly dispatchesPerStep: number;
  /**
   * Which kernels ran the last epoch's steps: `fused`, the whole network's forward, loss and
   * backward in one dispatch (small MLPs trained with binary cross-entropy from logits), or
   * `layered`, dispatches per layer (every other model, and the CPU engine).
   */
  readonly kernels: 'fused' | 'layered';
  /**
   * Which kernels ran the model's last predict or evaluate (validation inside fit excluded):
   * `fused`, the whole forward pass in one dispatch per chunk, or `layered` (also before any,
   * on the CPU, and for predictLayers, which reads every layer's output).
   */
  readonly forwardKernels: 'fused' | 'layered';
  /** Dispatches of the last epoch, validation and shuffling included. */
  readonly dispatchesPerEpoch: number;
  /** Command-buffer submits of the last epoch. */
  readonly submitsPerEpoch: number;
  /** GPU→CPU reads (buffer maps) of the last epoch. */
  readonly readsPerEpoch: number;
  /**
   * Wall time of the last epoch's training and validation, from its first submit to its metrics
   * read (callbacks and other work between epochs excluded), in milliseconds.
   */
  readonly epochMs: number;
  /**
   * Milliseconds the last epoch's fit spent compiling GPU pipelines, or waiting for those that
   * warm() had started, before its first step (0 when they were ready: see Sequential.warm).
   * Not part of epochMs.
   */
  readonly compileMs: number;
  /** Optimizer steps taken since compile. */
  readonly steps: number;
  /**
   * Compute pipelines compiled on the model's device so far (shared by every model on it; 0 on
   * the CPU). Pipelines do not depend on batch sizes, so new batch sizes add none.
   */
  readonly pipelines: number;
}

export const EMPTY_STATS: EngineStats = {
  epochMs: 0,
  compileMs: 0,
  dispatchesPerStep: 0,
  kernels: 'layered',
  forwardKernels: 'layered',
  dispatchesPerEpoch: 0,
  submitsPerEpoch: 0,
  readsPerEpoch: 0,
  steps: 0,
  pipelines: 0,
};
