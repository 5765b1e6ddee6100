/**
 * What every storage transport shares: the raw artifacts a load returns (validated later, in
 * one place), the save report, and small byte helpers. Transports never build models: they
 * move bytes, and `load.ts` turns what they return into a model.
 */
import { ValueError } from '../../../errors.js';
import type { ModelArtifact, RawArtifacts } from '../format.js';

/** Sizes of what was saved (TF.js's `ModelArtifactsInfo`). */
export interface ModelArtifactsInfo {
  readonly dateSaved: Date;
  readonly modelTopologyType: 'JSON';
  readonly modelTopologyBytes: number;
  readonly weightSpecsBytes: number;
  readonly weightDataBytes: number;
}

/** What a save returns (TF.js's `SaveResult`); `files` lists what the `file://` handler wrote. */
export interface SaveResult {
  readonly modelArtifactsInfo: ModelArtifactsInfo;
  readonly files?: readonly string[];
}

/** A model file's parts as a transport read them, not yet validated. */
export interface LoadedArtifacts {
  readonly raw: RawArtifacts;
  readonly weightData: Uint8Array;
}

const utf8 = new TextEncoder();

export function artifactsInfo(artifact: ModelArtifact): ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: utf8.encode(JSON.stringify(artifact.modelTopology)).byteLength,
    weightSpecsBytes: utf8.encode(JSON.stringify(artifact.weightSpecs)).byteLength,
    weightDataBytes: artifact.weightData.byteLength,
  };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const [only] = parts;
  if (parts.length === 1 && only) return only;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export const tooLarge = (what: string, bytes: number, limit: number): ValueError =>
  new ValueError(`${what} has ${bytes} bytes, over the limit of ${limit} bytes.`);

/** A global of the page or worker, or undefined where it is missing or its getter throws. */
export function globalProperty<T>(key: string): T | undefined {
  try {
    return (globalThis as Record<string, unknown>)[key] as T | undefined;
  } catch {
    return undefined; // e.g. a sandboxed page's localStorage getter throws
  }
}
