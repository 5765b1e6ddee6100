export * from './activations.js';
export * from './binary-crossentropy.js';
export * from './dense.js';
export * from './dropout.js';
export * from './elementwise.js';
export * from './finite-check.js';
export * from './gather.js';
export * from './mean-squared-error.js';
export * from './metrics.js';
export * from './optimizers.js';
export * from './output-head.js';
export * from './regularizer.js';
export * from './softmax-crossentropy.js';

import { BCE_KERNEL } from './binary-crossentropy.js';
import { DENSE_KERNEL } from './dense.js';
import { DROPOUT_KERNEL } from './dropout.js';
import { ACTIVATION_KERNEL } from './elementwise.js';
import { FINITE_CHECK_KERNEL } from './finite-check.js';
import { GATHER_KERNEL } from './gather.js';
import { MSE_KERNEL } from './mean-squared-error.js';
import { OPTIMIZER_KERNEL } from './optimizers.js';
import { OUTPUT_HEAD_KERNEL } from './output-head.js';
import { REGULARIZER_KERNEL } from './regularizer.js';
import { SOFTMAX_CROSSENTROPY_KERNEL } from './softmax-crossentropy.js';

/** Every kernel family shadernet ships, for the reflection check and pipeline warm-up. */
export const ALL_KERNELS = [
  DENSE_KERNEL,
  ACTIVATION_KERNEL,
  BCE_KERNEL,
  OPTIMIZER_KERNEL,
  GATHER_KERNEL,
  FINITE_CHECK_KERNEL,
  OUTPUT_HEAD_KERNEL,
  DROPOUT_KERNEL,
  REGULARIZER_KERNEL,
  SOFTMAX_CROSSENTROPY_KERNEL,
  MSE_KERNEL,
] as const;
