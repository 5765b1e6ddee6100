// Is a WebGPU adapter a software one? `npm run bench:browser -- --gpu` refuses to measure on one:
// its figures would be labelled "real GPU" while a CPU emulated the GPU.
/** What the bench page reports of its adapter (GPUAdapterInfo, plus Chrome's developer-feature fields). */
export interface AdapterInfo {
  readonly webgpu: boolean;
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  /** Chrome with --enable-webgpu-developer-features: "discrete GPU", "integrated GPU", "CPU" or "unknown". */
  readonly type?: string;
  /** Chrome with --enable-webgpu-developer-features: "vulkan", "metal", "D3D12", "null", … */
  readonly backend?: string;
  readonly driver?: string;
  readonly isFallbackAdapter?: boolean;
}

/** Software rasterisers that present themselves as Vulkan/WebGPU devices. */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** Why this adapter is not a hardware GPU, or undefined when it is one. */
export function softwareAdapterReason(info: AdapterInfo): string | undefined {
  if (!info.webgpu)
    return 'navigator.gpu.requestAdapter() returned no adapter (no WebGPU: check the GPU driver, Vulkan loader and Chromium flags)';
  if (info.isFallbackAdapter) return 'the adapter is a fallback adapter (isFallbackAdapter: true)';
  if (info.type && /^cpu$/i.test(info.type.trim())) return `the adapter's type is "${info.type}"`;
  if (info.backend && /^null$/i.test(info.backend.trim())) return 'the adapter runs on the null backend';
  const fields = [info.vendor, info.architecture, info.device, info.description, info.driver].filter((f): f is string => !!f);
  const software = fields.find((f) => SOFTWARE_NAMES.test(f));
  if (software) return `the adapter is a software renderer ("${software}")`;
  return undefined;
}

/** One line naming the adapter, for logs and reports. */
export function describeAdapter(info: AdapterInfo): string {
  if (!info.webgpu) return 'no WebGPU adapter';
  const parts = [
    info.vendor,
    info.architecture,
    info.device,
    info.description,
    info.type && `type: ${info.type}`,
    info.backend && `backend: ${info.backend}`,
    info.driver && `driver: ${info.driver}`,
  ];
  return parts.filter(Boolean).join(', ') || 'an adapter that describes nothing';
}
