/**
 * `loadModel`: a model saved by shadernet or TF.js (layers-model; Keras 2 and Keras 3 models
 * converted to TF.js too) from
 * - `'file://path/model.json'` or `'file://path/dir'` (Node);
 * - `'http(s)://.../model.json'` (weights fetched next to it), or a relative URL in a page;
 * - `'localstorage://key'`, `'indexeddb://key'` (browser);
 * - user-picked files (`input.files`: model.json and its .bin files);
 * - a LoadHandler (`load()`, TF.js IOHandlers included), or `{ modelJson, weightData }`.
 * Each transport returns the file's raw parts; they are validated and built here, in one place.
 */
import { ValueError } from '../../errors.js';
import { isNode, nodeFiles } from '../../runtime.js';
import type { Sequential } from '../sequential.js';
import { optionalFunction, optionsOf } from '../validate.js';
import { artifactsFrom, buildModel, deserializeOptions, parseArtifacts, type DeserializeOptions } from './format.js';
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

export interface LoadOptions extends DeserializeOptions, FetchOptions {}

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

async function readSource(source: ModelSource, options: LoadOptions): Promise<LoadedArtifacts> {
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

/**
 * Loads a model (see the sources above). Everything is validated before the model is created:
 * a bad file gives a ValueError, ShapeError or UnsupportedError naming the problem, never a
 * half-loaded model.
 */
export async function loadModel(source: ModelSource, options?: LoadOptions): Promise<Sequential> {
  const checked: LoadOptions = deserializeOptions(options, 'loadModel');
  optionalFunction(checked.fetch, 'loadModel fetch');
  if (checked.requestInit !== undefined) optionsOf(checked.requestInit, 'loadModel requestInit');
  const { raw, weightData } = await readSource(source, checked);
  return buildModel(parseArtifacts(raw, weightData, checked), checked);
}
