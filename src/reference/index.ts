/**
 * Float64 reference implementations of every GPU op and of a whole training step. They are
 * the oracle the kernels are tested against; plain loops, written for clarity, not speed.
 */
export * from './activations.js';
export * from './binary-crossentropy.js';
export * from './dense.js';
export * from './gather.js';
export * from './mean-squared-error.js';
export * from './network.js';
export * from './dropout.js';
export * from './regularizer.js';
export * from './softmax-crossentropy.js';
export * from './optimizers.js';
