// Adam now lives in the optimizer family (shaders/optimizers.wgsl, ./optimizers.ts); these
// names stay importable from here for existing callers.
export { ADAM_DEFAULTS, adamAlpha, type AdamConfig } from '../engine/optimizer.js';
