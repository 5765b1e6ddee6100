/**
 * WebGPU in Node: Dawn's bindings (the `webgpu` package, an optional peer dependency) and the
 * choice of Vulkan driver. Part of the Node entry only.
 */
import { existsSync } from 'node:fs';
import { WebGPUUnavailableError } from '../errors.js';
import { describeAdapter, type AcquiredAdapter, type AdapterRequest } from '../gpu/adapter.js';

/** Chromium ships SwiftShader, a CPU Vulkan driver, at these places on Linux distributions. */
export const SWIFTSHADER_ICD_PATHS: readonly string[] = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
];

/**
 * A Dawn adapter, on the Vulkan driver chosen in this order: `VK_ICD_FILENAMES` when set, the
 * system's drivers, then Chromium's SwiftShader at its known paths.
 */
/** @internal */
export async function acquireNodeAdapter(request: AdapterRequest): Promise<AcquiredAdapter> {
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
  return { adapter, report: describeAdapter(adapter, 'node', icd ?? fromEnv), owner };
}
