/**
 * Limits on model files, which are untrusted input. Anything beyond them is rejected with a
 * ValueError before any large allocation (and before any deep recursion).
 */
export const MODEL_LIMITS = Object.freeze({
  /** model.json text, in bytes (UTF-8) or characters: 10 MiB. */
  modelJsonBytes: 10 * 1024 * 1024,
  /**
   * Nesting of JSON objects and arrays (model.json's root is level 1). Keras and TF.js files
   * nest about 10 levels; the limit keeps every walk of a file far from the stack's depth.
   */
  jsonDepth: 64,
  /** All weight data together (every shard, optimizer weights included): 512 MiB. */
  weightBytes: 512 * 1024 * 1024,
  /** Layers in the topology, InputLayer included. */
  layers: 1000,
  /** Units of a Dense layer, and input features. */
  units: 65_536,
  /** Entries in the weights manifest (model and optimizer weights). */
  weightSpecs: 10_000,
  /** Weight files (shards) named by the manifest, and weight buffers handed over in memory. */
  weightFiles: 1000,
  /** Dimensions of one weight in the manifest. */
  weightRank: 8,
  /** Characters (UTF-16 code units) of a layer, model or weight name, and of a weights path. */
  nameLength: 1024,
});
