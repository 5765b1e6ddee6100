import { WebGPUUnavailableError } from '../errors.js';
import { isNode } from '../runtime.js';

/** What shadernet found when it asked for a GPU, for logs, benchmarks and the demo. */
export interface AdapterReport {
  /** Where the adapter came from: a browser's `navigator.gpu` or Dawn's Node bindings. */
  readonly runtime: 'browser' | 'node';
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True for software or otherwise limited adapters (SwiftShader reports true). */
  readonly isFallbackAdapter: boolean;
  /** Node only: the Vulkan ICD file that was used, when shadernet chose one. */
  readonly vulkanIcd?: string;
}

export interface AdapterRequest {
  readonly powerPreference?: GPUPowerPreference;
}

export interface AcquiredAdapter {
  readonly adapter: GPUAdapter;
  readonly report: AdapterReport;
  /** Keeps the Node `GPU` object alive as long as the adapter is used. */
  readonly owner: GPU;
}

/** Chromium ships SwiftShader, a CPU Vulkan driver, at these places on Linux distributions. */
export const SWIFTSHADER_ICD_PATHS: readonly string[] = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
];

function describe(adapter: GPUAdapter, runtime: AdapterReport['runtime'], vulkanIcd?: string): AdapterReport {
  const info = adapter.info;
  // `isFallbackAdapter` moved from the adapter to its info in the spec; support both.
  const legacyFlag = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const infoFlag = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    runtime,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean(infoFlag ?? legacyFlag ?? false),
    ...(vulkanIcd === undefined ? {} : { vulkanIcd }),
  };
}

async function acquireInBrowser(request: AdapterRequest): Promise<AcquiredAdapter> {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) {
    throw new WebGPUUnavailableError(
      'WebGPU is not available: navigator.gpu is undefined. Use a browser with WebGPU ' +
        '(Chrome/Edge 113+, Safari 26+, Firefox 141+ on Windows) over https or localhost; ' +
        'headless Chromium without a GPU needs --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader.',
    );
  }
  const adapter = await gpu.requestAdapter(request);
  if (!adapter) {
    throw new WebGPUUnavailableError(
      'WebGPU is present but navigator.gpu.requestAdapter() returned null: the GPU is blocklisted ' +
        'or disabled. Check chrome://gpu; headless Chromium needs --enable-unsafe-webgpu ' +
        '--use-webgpu-adapter=swiftshader.',
    );
  }
  return { adapter, report: describe(adapter, 'browser'), owner: gpu };
}

async function acquireInNode(request: AdapterRequest): Promise<AcquiredAdapter> {
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (cause) {
    throw new WebGPUUnavailableError(
      `WebGPU for Node needs the 'webgpu' package (Dawn's bindings): npm install webgpu. (${String(cause)})`,
    );
  }
  // Dawn's constants (GPUBufferUsage, GPUShaderStage, ...) are globals in browsers.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true });
  }
  const tried: string[] = [];
  const attempt = async (label: string): Promise<GPUAdapter | null> => {
    tried.push(label);
    const gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter(request);
    if (adapter) owner = gpu;
    return adapter;
  };
  let owner: GPU | undefined;

  const fromEnv = process.env['VK_ICD_FILENAMES'];
  let adapter = await attempt(fromEnv ? `VK_ICD_FILENAMES=${fromEnv}` : 'the system Vulkan drivers');
  let icd: string | undefined;
  if (!adapter && !fromEnv) {
    // No working system driver: fall back to the CPU driver Chromium ships. The Vulkan loader
    // reads VK_ICD_FILENAMES when a new instance is created, so setting it now takes effect.
    const { existsSync } = await import('node:fs');
    for (const path of SWIFTSHADER_ICD_PATHS) {
      if (!existsSync(path)) continue;
      process.env['VK_ICD_FILENAMES'] = path;
      adapter = await attempt(`SwiftShader at ${path}`);
      if (adapter) {
        icd = path;
        break;
      }
      delete process.env['VK_ICD_FILENAMES'];
    }
  }
  if (!adapter || !owner) {
    throw new WebGPUUnavailableError(
      `No WebGPU adapter in Node. Tried: ${tried.join('; ')}. Install a Vulkan driver for your GPU ` +
        'and the Vulkan loader (Debian: apt-get install libvulkan1), or, on a machine without a GPU, ' +
        "Debian's chromium package, whose SwiftShader CPU driver shadernet finds by itself " +
        '(or point VK_ICD_FILENAMES at a vk_swiftshader_icd.json).',
    );
  }
  return { adapter, report: describe(adapter, 'node', icd ?? fromEnv), owner };
}

/**
 * Finds a WebGPU adapter: `navigator.gpu` where it exists (browsers, workers), else Dawn's
 * Node bindings, whose Vulkan driver is chosen in this order: `VK_ICD_FILENAMES` when set, the
 * system's drivers, then Chromium's SwiftShader at its known paths.
 */
export async function acquireAdapter(request: AdapterRequest = {}): Promise<AcquiredAdapter> {
  if (globalThis.navigator?.gpu || !isNode()) return acquireInBrowser(request);
  return acquireInNode(request);
}
