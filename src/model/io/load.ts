/**
 * Where `loadModel` reads a model file from, each source returning the file's raw parts (as TF.js
 * IOHandlers return ModelArtifacts); they are validated and built in one place,
 * model/model-from-artifacts.ts. Sources:
 * - `'file://path/model.json'` or `'file://path/dir'` (Node);
 * - `'http(s)://.../model.json'` (weights fetched next to it), or a relative URL in a page;
 * - `'localstorage://key'`, `'indexeddb://key'` (browser);
 * - user-picked files (`input.files`: model.json and its .bin files);
 * - a LoadHandler (`load()`, TF.js IOHandlers included), or `{ modelJson, weightData }`.
 */
import { ValueError } from '../../errors.js';
import { isNode } from '../../runtime.js';
import { nodeFiles } from './transports/files.js';
import { artifactsFrom } from './artifacts.js';
import type { LoadedArtifacts } from './transports/common.js';
import { loadFromUrl, type FetchOptions } from './transports/http.js';
import { loadFromIndexedDb } from './transports/indexed-db.js';
import { loadFromLocalStorage } from './transports/local-storage.js';
import { isPickedFiles, loadFromPickedFiles, type PickedFile } from './transports/picked-files.js';

/**
 * Loads an artifact: TF.js's `ModelArtifacts` (`{ modelTopology, weightSpecs, weightData, ... }`,
 * so a TF.js `IOHandler` with a `load` method fits) or `{ modelJson, weightData }`. Whatever it
 * returns is validated as untrusted input.
 */
export interface LoadHandler {
  load(): Promise<unknown>;
}

/** model.json (object or text) and the weight bytes, already in memory. */
export interface InMemoryModel {
  readonly modelJson: unknown;
  readonly weightData: ArrayBuffer | ArrayBufferView;
}

export type ModelSource = string | LoadHandler | InMemoryModel | ArrayLike<PickedFile>;

function isLoadHandler(value: unknown): value is LoadHandler {
  return typeof value === 'object' && value !== null && typeof (value as Partial<LoadHandler>).load === 'function';
}

function pageUrl(): string | undefined {
  try {
    const href = (globalThis as { location?: { href?: unknown } }).location?.href;
    return typeof href === 'string' ? href : undefined;
  } catch {
    return undefined;
  }
}

/** The raw parts of the model file at `source`, read by its transport and not yet validated. */
export async function readModelSource(source: ModelSource, options: FetchOptions): Promise<LoadedArtifacts> {
  if (typeof source === 'string') {
    if (source.startsWith('file://')) {
      return nodeFiles('load from http(s)://, localstorage://, indexeddb:// or picked files').loadFromFiles(source.slice('file://'.length));
    }
    if (source.startsWith('localstorage://')) return loadFromLocalStorage(source.slice('localstorage://'.length));
    if (source.startsWith('indexeddb://')) return loadFromIndexedDb(source.slice('indexeddb://'.length));
    if (/^https?:\/\//i.test(source)) return loadFromUrl(source, options);
    const page = pageUrl();
    if (page && !/^[a-z][a-z0-9+.-]*:/i.test(source) && !isNode()) return loadFromUrl(new URL(source, page).href, options);
    throw new ValueError(`Unknown model source '${source}'; expected file://, http(s)://, localstorage:// or indexeddb://.`);
  }
  if (isPickedFiles(source)) return loadFromPickedFiles(source);
  if (isLoadHandler(source)) return artifactsFrom(await source.load());
  if (typeof source === 'object' && source !== null && 'modelJson' in source) return artifactsFrom(source);
  throw new ValueError(`loadModel source must be a URL, files, a LoadHandler or { modelJson, weightData }, got ${typeof source}.`);
}
