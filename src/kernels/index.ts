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

/** Every kernel family shadernet ships (one per top-level shaders/*.wgsl file), e.g. for pipeline warm-up. */
export { GENERATED_KERNELS as ALL_KERNELS } from './generated/index.js';
