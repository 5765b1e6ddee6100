import { afterEach, beforeEach } from 'node:test';
import { preferFusedWorkgroups, preferKernels, type KernelPath } from '../../src/engine/kernel-choice.js';
import type { GpuContext } from '../../src/gpu/context.js';

/** Both ways a plan can run a model: every engine test that trains runs under each. */
export const KERNEL_PATHS: readonly KernelPath[] = ['fused', 'layered'];

/**
 * Inside a describe block: the plans its tests create prefer `path` (a fused preference still
 * falls back to layered kernels where a model is not eligible) and, given `workgroups`, deal each
 * fused training batch to that many workgroups; the preferences are dropped after each test.
 */
export function useKernelPath(gpu: () => GpuContext, path: KernelPath, options: { readonly workgroups?: number } = {}): void {
  beforeEach(() => {
    preferKernels(gpu().device, path);
    preferFusedWorkgroups(gpu().device, options.workgroups);
  });
  afterEach(() => {
    preferKernels(gpu().device, undefined);
    preferFusedWorkgroups(gpu().device, undefined);
  });
}
