import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const gpu = create([]);
const a = await gpu.requestAdapter();
console.log(a.limits.maxComputeWorkgroupStorageSize, a.limits.maxComputeInvocationsPerWorkgroup, a.limits.maxStorageBuffersPerShaderStage);
process.exit(0);
