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
  /** WebGPU's power preference (GPUPowerPreference), a hint for systems with several GPUs. */
  readonly powerPreference?: 'low-power' | 'high-performance';
}

/** @internal */
export interface AcquiredAdapter {
  readonly adapter: GPUAdapter;
  readonly report: AdapterReport;
  /** Keeps the Node `GPU` object alive as long as the adapter is used. */
  readonly owner: GPU;
}

/** @internal */
export function describeAdapter(adapter: GPUAdapter, runtime: AdapterReport['runtime'], vulkanIcd?: string): AdapterReport {
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
  return { adapter, report: describeAdapter(adapter, 'browser'), owner: gpu };
}

/** @internal
 * Finds a WebGPU adapter: `navigator.gpu` where it exists (browsers, workers), else, in Node,
 * Dawn's bindings through the Node entry (see src/node/adapter.ts).
 */
export async function acquireAdapter(request: AdapterRequest = {}): Promise<AcquiredAdapter> {
  if (globalThis.navigator?.gpu || !isNode()) return acquireInBrowser(request);
  if (!nodeAdapter) {
    throw new WebGPUUnavailableError(
      "WebGPU in Node comes from shadernet's Node entry: import 'shadernet' (Node picks the entry by the package's " +
        '"node" export condition) or \'shadernet/node\', not a bundle built for browsers.',
    );
  }
  return nodeAdapter(request);
}

/** Dawn's adapter, installed by the Node entry (src/node.ts); the core never imports Dawn. */
let nodeAdapter: ((request: AdapterRequest) => Promise<AcquiredAdapter>) | undefined;

/** @internal Called once by the Node entry. */
export function installNodeAdapter(acquire: (request: AdapterRequest) => Promise<AcquiredAdapter>): void {
  nodeAdapter = acquire;
}
