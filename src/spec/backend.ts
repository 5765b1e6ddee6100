/** Which engine runs a model: WebGPU kernels, or the float64 CPU engine. */
export type BackendName = 'webgpu' | 'cpu';
