/**
 * What the library knows of the JavaScript runtime it runs in. The core is browser-safe: what
 * only Node can do (Dawn's WebGPU bindings, `file://` models) lives in the Node entry
 * (`shadernet/node`, which the package's `node` export condition loads for `shadernet` in Node),
 * and reaches the core through install slots in its consumers (gpu/adapter.ts,
 * model/io/transports/files.ts) when that entry is imported.
 */

/** True in Node.js, false in browsers and workers. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}
