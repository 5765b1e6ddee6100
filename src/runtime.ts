/** True in Node.js (Dawn's `webgpu` package provides WebGPU there), false in browsers and workers. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}
