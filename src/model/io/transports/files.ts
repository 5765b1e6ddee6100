/**
 * The `file://` transport's slot. Files are Node-only: the Node entry (src/node.ts) installs its
 * transport here, so the browser-safe core never imports `node:fs`.
 */
import { UnsupportedError } from '../../../errors.js';
import type { ModelArtifact } from '../format.js';
import type { LoadedArtifacts, SaveResult } from './common.js';

export interface FileTransport {
  /** `file://` saves: `<directory>/model.json` and its weights. */
  saveToFiles(artifact: ModelArtifact, directory: string): Promise<SaveResult>;
  /** `file://` loads: a model.json (or its directory) and the weight files it names. */
  loadFromFiles(location: string): Promise<LoadedArtifacts>;
}

let installed: FileTransport | undefined;

/** @internal Called once by the Node entry. */
export function installFileTransport(transport: FileTransport): void {
  installed = transport;
}

/** The Node entry's `file://` transport, or an UnsupportedError saying what a browser can `instead` do. */
export function nodeFiles(instead: string): FileTransport {
  if (!installed) throw new UnsupportedError(`file:// works in Node only; in a browser ${instead}.`);
  return installed;
}
