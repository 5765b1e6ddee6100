/**
 * Datasets for shadernet: scikit-learn's `make_circles` / `make_moons` (sample-for-sample
 * reproductions), the TensorFlow Playground's datasets, multi-class sets (`make_blobs`, k-arm
 * spirals), a 2-D regression surface, Keras-style validation splitting, and {@link RandomState}, the seeded random number generator everything random in shadernet uses.
 */
export { RandomState } from './random.js';
export type { Dataset, Float32Dataset, RandomOptions } from './dataset.js';
export { DEFAULT_SEED, takeRows, toFloat32, trainValidationSplit } from './dataset.js';
export type { MakeCirclesOptions, MakeMoonsOptions, TwoCurveOptions } from './sklearn.js';
export { makeCircles, makeMoons } from './sklearn.js';
export type { PlaygroundOptions } from './playground.js';
export { gaussian, playgroundCircle, spiral, xor } from './playground.js';
export type { BlobsDataset, ClassDataset, MakeBlobsOptions, MakeRegressionSurfaceOptions, MakeSpiralsOptions } from './multiclass.js';
export { makeBlobs, makeRegressionSurface, makeSpirals, regressionSurface } from './multiclass.js';
