/**
 * What the library knows of the JavaScript runtime it runs in. The core is browser-safe: what
 * only Node can do (Dawn's WebGPU bindings, `file://` models) lives in the Node entry
 * (`shadernet/node`, which the package's `node` export condition loads for `shadernet` in Node),
 * and reaches the core through `installNodeRuntime` when that entry is imported.
 */
import { UnsupportedError } from './errors.js';
import type { AcquiredAdapter, AdapterRequest } from './gpu/adapter.js';
import type { ModelArtifact } from './model/io/format.js';
import type { LoadedArtifacts, SaveResult } from './model/io/transports/common.js';

/** True in Node.js, false in browsers and workers. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** What the Node entry adds to the core. */
export interface NodeRuntime {
  /** A WebGPU adapter from Dawn's Node bindings (the `webgpu` package). */
  acquireAdapter(request: AdapterRequest): Promise<AcquiredAdapter>;
  /** `file://` saves: `<directory>/model.json` and its weights. */
  saveToFiles(artifact: ModelArtifact, directory: string): Promise<SaveResult>;
  /** `file://` loads: a model.json (or its directory) and the weight files it names. */
  loadFromFiles(location: string): Promise<LoadedArtifacts>;
}

let installed: NodeRuntime | undefined;

export function installNodeRuntime(runtime: NodeRuntime): void {
  installed = runtime;
}

/** The Node entry's extensions, where it was imported (always in Node through the package's exports). */
export function installedNodeRuntime(): NodeRuntime | undefined {
  return installed;
}

/** The Node entry's `file://` transport, or an UnsupportedError saying what a browser can `instead` do. */
export function nodeFiles(instead: string): NodeRuntime {
  if (!installed) throw new UnsupportedError(`file:// works in Node only; in a browser ${instead}.`);
  return installed;
}
