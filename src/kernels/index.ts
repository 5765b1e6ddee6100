export * from './activations.js';
export * from './binary-crossentropy.js';
export * from './dense.js';
export * from './elementwise.js';
export * from './finite-check.js';
export * from './gather.js';
export * from './optimizers.js';
export * from './output-head.js';

import { BCE_KERNEL } from './binary-crossentropy.js';
import { DENSE_KERNEL } from './dense.js';
import { ACTIVATION_KERNEL } from './elementwise.js';
import { FINITE_CHECK_KERNEL } from './finite-check.js';
import { GATHER_KERNEL } from './gather.js';
import { OPTIMIZER_KERNEL } from './optimizers.js';
import { OUTPUT_HEAD_KERNEL } from './output-head.js';

/** Every kernel family shadernet ships, for the reflection check and pipeline warm-up. */
export const ALL_KERNELS = [DENSE_KERNEL, ACTIVATION_KERNEL, BCE_KERNEL, OPTIMIZER_KERNEL, GATHER_KERNEL, FINITE_CHECK_KERNEL, OUTPUT_HEAD_KERNEL] as const;
