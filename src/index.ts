/**
 * shadernet — train neural networks on the GPU through WebGPU.
 * This file is the package's whole public API.
 */
export * from './errors.js';
export { requestGpu, GpuContext, type GpuContextOptions, type GpuMemoryReport } from './gpu/context.js';
export type { AdapterReport } from './gpu/adapter.js';
