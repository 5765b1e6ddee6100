/**
 * Where models are saved to and loaded from: `file://` (Node), `downloads://` and user-picked
 * files (browser), `localstorage://` and `indexeddb://` (browser, TF.js's own storage layouts,
 * so models saved by either library load in the other), `http(s)://` URLs of a model.json, and
 * custom handlers with TF.js's `save(artifacts)` / `load()` shape.
 *
 * Node modules are imported dynamically, only on the `file://` path, so browser bundles never
 * pull them in; browser handlers check for their APIs and throw an UnsupportedError without them.
 */
import { UnsupportedError, ValueError } from '../../errors.js';
import { isNode } from '../../runtime.js';
import type { Sequential } from '../sequential.js';
import {
  buildModel,
  deserializeModel,
  MODEL_LIMITS,
  modelFromArtifacts,
  modelJsonParts,
  parseArtifacts,
  serializeModel,
  WEIGHTS_FILE_NAME,
  weightBytes,
  type DeserializeOptions,
  type ModelArtifact,
  type SerializeOptions,
} from './format.js';

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

/** Saves an artifact somewhere; a TF.js `IOHandler` with a `save` method fits. */
export interface SaveHandler {
  save(artifact: ModelArtifact): Promise<SaveResult>;
}

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

export type ModelSource = string | LoadHandler | InMemoryModel | readonly File[] | FileList;

export interface LoadOptions extends DeserializeOptions {
  /** fetch for http(s) sources (default globalThis.fetch). */
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Options of every http(s) request (headers, credentials...). */
  readonly requestInit?: RequestInit;
}

export type SaveOptions = SerializeOptions;

const SCHEMES = ['file://', 'downloads://', 'localstorage://', 'indexeddb://'] as const;

// ---------------------------------------------------------------------------------------------
// Shared helpers

const utf8 = new TextEncoder();

function artifactsInfo(artifact: ModelArtifact): ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: utf8.encode(JSON.stringify(artifact.modelTopology)).byteLength,
    weightSpecsBytes: utf8.encode(JSON.stringify(artifact.weightSpecs)).byteLength,
    weightDataBytes: artifact.weightData.byteLength,
  };
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Rejects weight paths that leave the model's folder: absolute paths, URLs with a scheme, `..` segments. */
function checkRelativePath(path: string, where: string): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\') || path.split(/[\\/]/).includes('..')) {
    throw new ValueError(`The weights path '${path}' in ${where} must be relative to model.json, without '..'.`);
  }
}

const tooLarge = (what: string, bytes: number, limit: number): ValueError =>
  new ValueError(`${what} has ${bytes} bytes, over the limit of ${limit} bytes.`);

function globalProperty<T>(key: string): T | undefined {
  try {
    return (globalThis as Record<string, unknown>)[key] as T | undefined;
  } catch {
    return undefined; // e.g. a sandboxed page's localStorage getter throws
  }
}

// ---------------------------------------------------------------------------------------------
// file:// (Node)

async function nodeFs(scheme: string): Promise<{ fs: typeof import('node:fs/promises'); path: typeof import('node:path') }> {
  if (!isNode()) throw new UnsupportedError(`${scheme} works in Node only; in a browser use downloads://, localstorage:// or indexeddb://.`);
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

function fileError(error: unknown, what: string): ValueError {
  const code = (error as { code?: unknown }).code;
  const reason = code === 'ENOENT' ? 'not found' : error instanceof Error ? error.message : String(error);
  return new ValueError(`Cannot read ${what}: ${reason}.`, { cause: error });
}

/** Writes `<dir>/model.weights.bin` then `<dir>/model.json` (creating dir). */
async function saveToDirectory(artifact: ModelArtifact, directory: string): Promise<SaveResult> {
  const { fs, path } = await nodeFs('file://');
  if (directory.length === 0) throw new ValueError("file:// needs a directory, e.g. 'file://./my-model'.");
  if (directory.endsWith('.json')) {
    throw new ValueError(`file://${directory}: give the directory to save into (model.json and ${WEIGHTS_FILE_NAME} are written there), not a .json path.`);
  }
  await fs.mkdir(directory, { recursive: true });
  const weightsPath = path.join(directory, WEIGHTS_FILE_NAME);
  const jsonPath = path.join(directory, 'model.json');
  await fs.writeFile(weightsPath, new Uint8Array(artifact.weightData));
  await fs.writeFile(jsonPath, JSON.stringify(artifact.modelJson), 'utf8');
  return { modelArtifactsInfo: artifactsInfo(artifact), files: [jsonPath, weightsPath] };
}

/** Reads `<path>` (model.json, or a directory holding one) and the weight files it names. */
async function loadFromPath(location: string, options: LoadOptions): Promise<Sequential> {
  const { fs, path } = await nodeFs('file://');
  let jsonPath = location;
  let stat;
  try {
    stat = await fs.stat(jsonPath);
    if (stat.isDirectory()) {
      jsonPath = path.join(jsonPath, 'model.json');
      stat = await fs.stat(jsonPath);
    }
  } catch (error) {
    throw fileError(error, `file://${jsonPath}`);
  }
  if (stat.size > MODEL_LIMITS.modelJsonBytes) throw tooLarge(`file://${jsonPath}`, stat.size, MODEL_LIMITS.modelJsonBytes);
  let text: string;
  try {
    text = await fs.readFile(jsonPath, 'utf8');
  } catch (error) {
    throw fileError(error, `file://${jsonPath}`);
  }
  const parts = modelJsonParts(text);
  const directory = path.dirname(jsonPath);
  const buffers: Uint8Array[] = [];
  let total = 0;
  for (const weightsPath of parts.paths) {
    checkRelativePath(weightsPath, jsonPath);
    const file = path.join(directory, weightsPath);
    try {
      const { size } = await fs.stat(file);
      total += size;
      if (total > MODEL_LIMITS.weightBytes) throw tooLarge(`The weight files of file://${jsonPath}`, total, MODEL_LIMITS.weightBytes);
      buffers.push(await fs.readFile(file));
    } catch (error) {
      if (error instanceof ValueError) throw error;
      throw fileError(error, `the weights file file://${file} named in ${jsonPath}`);
    }
  }
  return buildModel(parseArtifacts(parts.raw, concatBytes(buffers), options), options);
}

// ---------------------------------------------------------------------------------------------
// downloads:// (browser)

function defer(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Two downloads, `<name>.json` and `<name>.weights.bin`, through anchors and Blob URLs (as TF.js's). */
async function saveToDownloads(artifact: ModelArtifact, prefix: string): Promise<SaveResult> {
  const doc = globalProperty<Document>('document');
  if (!doc || typeof doc.createElement !== 'function' || typeof URL.createObjectURL !== 'function') {
    throw new UnsupportedError('downloads:// needs a browser page (document and URL.createObjectURL); in Node use file://path/to/dir.');
  }
  const base = prefix.length === 0 ? 'model' : prefix;
  if (/[\\/]/.test(base)) throw new ValueError(`downloads://${prefix}: the file name prefix cannot contain '/' or '\\'.`);
  const weightsName = `${base}.weights.bin`;
  // The manifest names the weights file as the download calls it (TF.js writes './' + name).
  const modelJson = { ...artifact.modelJson, weightsManifest: [{ paths: [`./${weightsName}`], weights: artifact.weightSpecs }] };
  const urls = [
    URL.createObjectURL(new Blob([JSON.stringify(modelJson)], { type: 'application/json' })),
    URL.createObjectURL(new Blob([artifact.weightData], { type: 'application/octet-stream' })),
  ];
  const names = [`${base}.json`, weightsName];
  for (let i = 0; i < 2; i++) {
    // Firefox saves only the last of several downloads started in the same task.
    await defer();
    const anchor = doc.createElement('a');
    anchor.download = names[i]!;
    anchor.href = urls[i]!;
    doc.body?.appendChild(anchor);
    anchor.click();
    anchor.remove();
  }
  const timer: unknown = setTimeout(() => urls.forEach((u) => URL.revokeObjectURL(u)), 60_000);
  (timer as { unref?: () => void }).unref?.();
  return { modelArtifactsInfo: artifactsInfo(artifact) };
}

// ---------------------------------------------------------------------------------------------
// User-picked files (browser <input type="file" multiple>)

const baseName = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);

function isFileList(source: unknown): source is readonly File[] | FileList {
  const FileListClass = globalProperty<typeof FileList>('FileList');
  if (FileListClass && source instanceof FileListClass) return true;
  return Array.isArray(source) && source.length > 0 && source.every((f) => typeof Blob !== 'undefined' && f instanceof Blob && typeof (f as File).name === 'string');
}

/** model.json (the one `.json` file) and the weight files it names, matched by base name. */
async function loadFromPickedFiles(files: readonly File[], options: LoadOptions): Promise<Sequential> {
  const jsonFiles = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsonFiles.length !== 1) {
    throw new ValueError(
      jsonFiles.length === 0
        ? `None of the chosen files (${files.map((f) => f.name).join(', ')}) is a model.json.`
        : `Choose one model.json, got ${jsonFiles.length} .json files (${jsonFiles.map((f) => f.name).join(', ')}).`,
    );
  }
  const jsonFile = jsonFiles[0]!;
  if (jsonFile.size > MODEL_LIMITS.modelJsonBytes) throw tooLarge(jsonFile.name, jsonFile.size, MODEL_LIMITS.modelJsonBytes);
  const parts = modelJsonParts(await jsonFile.text());
  const chosen = files.filter((f) => f !== jsonFile);
  const weightFiles = parts.paths.map((p) => {
    const file = chosen.find((f) => baseName(f.name) === baseName(p));
    if (!file) {
      throw new ValueError(`The weights file '${baseName(p)}' named in ${jsonFile.name} is not among the chosen files (${chosen.map((f) => f.name).join(', ') || 'none'}).`);
    }
    return file;
  });
  const total = weightFiles.reduce((n, f) => n + f.size, 0);
  if (total > MODEL_LIMITS.weightBytes) throw tooLarge(`The weight files of ${jsonFile.name}`, total, MODEL_LIMITS.weightBytes);
  const buffers = await Promise.all(weightFiles.map(async (f) => new Uint8Array(await f.arrayBuffer())));
  return buildModel(parseArtifacts(parts.raw, concatBytes(buffers), options), options);
}

// ---------------------------------------------------------------------------------------------
// localstorage:// (browser; TF.js's keys, so either library reads the other's models)

const LS_PREFIX = 'tensorflowjs_models';

function localStorageKeys(key: string): { info: string; topology: string; weightSpecs: string; weightData: string; metadata: string } {
  const at = (suffix: string): string => `${LS_PREFIX}/${key}/${suffix}`;
  return { info: at('info'), topology: at('model_topology'), weightSpecs: at('weight_specs'), weightData: at('weight_data'), metadata: at('model_metadata') };
}

function localStorageOrThrow(): Storage {
  const storage = globalProperty<Storage>('localStorage');
  if (!storage || typeof storage.getItem !== 'function') {
    throw new UnsupportedError('localstorage:// needs window.localStorage (a browser page); in Node use file://path/to/dir.');
  }
  return storage;
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += 0x8000) chunks.push(String.fromCharCode(...bytes.subarray(i, i + 0x8000)));
  return btoa(chunks.join(''));
}

function fromBase64(text: string, what: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch (error) {
    throw new ValueError(`${what} is not valid base64.`, { cause: error });
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function parseStored(text: string | null, what: string, limit: number): unknown {
  if (text === null) return undefined;
  if (text.length > limit) throw new ValueError(`${what} has ${text.length} characters, over the limit of ${limit}.`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValueError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

async function saveToLocalStorage(artifact: ModelArtifact, key: string): Promise<SaveResult> {
  const storage = localStorageOrThrow();
  if (key.length === 0) throw new ValueError("localstorage:// needs a key, e.g. 'localstorage://my-model'.");
  const keys = localStorageKeys(key);
  const info = artifactsInfo(artifact);
  const metadata = {
    format: artifact.format,
    generatedBy: artifact.generatedBy,
    convertedBy: artifact.convertedBy,
    ...(artifact.trainingConfig ? { trainingConfig: artifact.trainingConfig } : {}),
    ...(artifact.userDefinedMetadata ? { userDefinedMetadata: artifact.userDefinedMetadata } : {}),
  };
  try {
    storage.setItem(keys.info, JSON.stringify(info));
    storage.setItem(keys.topology, JSON.stringify(artifact.modelTopology));
    storage.setItem(keys.weightSpecs, JSON.stringify(artifact.weightSpecs));
    storage.setItem(keys.weightData, toBase64(artifact.weightData));
    storage.setItem(keys.metadata, JSON.stringify(metadata));
  } catch (error) {
    for (const k of Object.values(keys)) storage.removeItem(k);
    throw new UnsupportedError(
      `Saving to localstorage://${key} failed (${(error as Error).message ?? String(error)}): localStorage holds about 5 MB per site and this model needs ` +
        `${Math.ceil((artifact.weightData.byteLength * 4) / 3)} bytes of base64 weights; use indexeddb://${key}.`,
      { cause: error },
    );
  }
  return { modelArtifactsInfo: info };
}

async function loadFromLocalStorage(key: string, options: LoadOptions): Promise<Sequential> {
  const storage = localStorageOrThrow();
  const keys = localStorageKeys(key);
  if (storage.getItem(keys.info) === null) throw new ValueError(`There is no model at localstorage://${key}.`);
  const topology = parseStored(storage.getItem(keys.topology), `localstorage://${key} model_topology`, MODEL_LIMITS.modelJsonBytes);
  const weightSpecs = parseStored(storage.getItem(keys.weightSpecs), `localstorage://${key} weight_specs`, MODEL_LIMITS.modelJsonBytes);
  const metadata = parseStored(storage.getItem(keys.metadata), `localstorage://${key} model_metadata`, MODEL_LIMITS.modelJsonBytes);
  const data = storage.getItem(keys.weightData);
  if (topology === undefined || weightSpecs === undefined || data === null) {
    throw new ValueError(`The model at localstorage://${key} is incomplete (topology, weight specs or weight data missing).`);
  }
  const base64Limit = Math.ceil(MODEL_LIMITS.weightBytes / 3) * 4;
  if (data.length > base64Limit) throw new ValueError(`localstorage://${key} weight_data has ${data.length} characters, over the limit of ${base64Limit}.`);
  const meta = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
  const raw = {
    format: meta['format'],
    modelTopology: topology,
    weightSpecs,
    trainingConfig: meta['trainingConfig'],
    userDefinedMetadata: meta['userDefinedMetadata'],
  };
  return buildModel(parseArtifacts(raw, fromBase64(data, `localstorage://${key} weight_data`), options), options);
}

// ---------------------------------------------------------------------------------------------
// indexeddb:// (browser; TF.js's database 'tensorflowjs', stores 'models_store' / 'model_info_store')

const IDB_NAME = 'tensorflowjs';
const IDB_VERSION = 1;
const MODEL_STORE = 'models_store';
const INFO_STORE = 'model_info_store';

function indexedDbOrThrow(): IDBFactory {
  const factory = globalProperty<IDBFactory>('indexedDB');
  if (!factory || typeof factory.open !== 'function') {
    throw new UnsupportedError('indexeddb:// needs IndexedDB (a browser page or worker); in Node use file://path/to/dir.');
  }
  return factory;
}

function storageError(error: unknown, what: string): ValueError {
  const reason = error instanceof Error ? error.message : error === null || error === undefined ? 'unknown error' : String(error);
  return new ValueError(`${what} failed: ${reason}.`, { cause: error });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(IDB_NAME, IDB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(MODEL_STORE)) db.createObjectStore(MODEL_STORE, { keyPath: 'modelPath' });
      if (!db.objectStoreNames.contains(INFO_STORE)) db.createObjectStore(INFO_STORE, { keyPath: 'modelPath' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError(request.error, `Opening IndexedDB '${IDB_NAME}'`));
    request.onblocked = () => reject(new ValueError(`Opening IndexedDB '${IDB_NAME}' is blocked by another tab holding an older version.`));
  });
}

function transactionDone(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(tx.error, what));
    tx.onabort = () => reject(storageError(tx.error, what));
  });
}

async function saveToIndexedDb(artifact: ModelArtifact, key: string): Promise<SaveResult> {
  const factory = indexedDbOrThrow();
  if (key.length === 0) throw new ValueError("indexeddb:// needs a key, e.g. 'indexeddb://my-model'.");
  const db = await openDatabase(factory);
  try {
    const info = artifactsInfo(artifact);
    const modelArtifacts = {
      modelTopology: artifact.modelTopology,
      weightSpecs: artifact.weightSpecs,
      weightData: artifact.weightData,
      format: artifact.format,
      generatedBy: artifact.generatedBy,
      convertedBy: artifact.convertedBy,
      ...(artifact.trainingConfig ? { trainingConfig: artifact.trainingConfig } : {}),
      ...(artifact.userDefinedMetadata ? { userDefinedMetadata: artifact.userDefinedMetadata } : {}),
    };
    const tx = db.transaction([INFO_STORE, MODEL_STORE], 'readwrite');
    const done = transactionDone(tx, `Saving to indexeddb://${key}`);
    tx.objectStore(INFO_STORE).put({ modelPath: key, modelArtifactsInfo: info });
    tx.objectStore(MODEL_STORE).put({ modelPath: key, modelArtifacts, modelArtifactsInfo: info });
    await done;
    return { modelArtifactsInfo: info };
  } finally {
    db.close();
  }
}

async function loadFromIndexedDb(key: string, options: LoadOptions): Promise<Sequential> {
  const factory = indexedDbOrThrow();
  const db = await openDatabase(factory);
  let record: unknown;
  try {
    const tx = db.transaction(MODEL_STORE, 'readonly');
    const done = transactionDone(tx, `Loading indexeddb://${key}`);
    const request = tx.objectStore(MODEL_STORE).get(key);
    await done;
    record = request.result;
  } finally {
    db.close();
  }
  if (typeof record !== 'object' || record === null) throw new ValueError(`There is no model at indexeddb://${key}.`);
  return modelFromArtifacts((record as Record<string, unknown>)['modelArtifacts'], options);
}

// ---------------------------------------------------------------------------------------------
// http(s)://

/** The body, read in chunks and abandoned as soon as it passes `limit` bytes. */
async function readCapped(response: Response, limit: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers?.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(what, declared, limit);
  const body = response.body;
  if (!body) {
    const buffer = await response.arrayBuffer();
    if (buffer.byteLength > limit) throw tooLarge(what, buffer.byteLength, limit);
    return new Uint8Array(buffer);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(what, total, limit);
    }
    chunks.push(value);
  }
  return concatBytes(chunks.length ? chunks : [new Uint8Array(0)]);
}

async function fetchChecked(url: string, options: LoadOptions): Promise<Response> {
  const fetchFn = options.fetch ?? globalProperty<typeof fetch>('fetch');
  if (!fetchFn) throw new UnsupportedError(`Loading ${url} needs fetch (browsers, Node ≥ 18) or options.fetch.`);
  let response: Response;
  try {
    response = await fetchFn(url, options.requestInit);
  } catch (error) {
    throw new ValueError(`Fetching ${url} failed: ${(error as Error).message ?? String(error)}.`, { cause: error });
  }
  if (!response.ok) throw new ValueError(`Fetching ${url} failed: HTTP ${response.status} ${response.statusText}.`.replace(' .', '.'));
  return response;
}

/** model.json at `url`; its weight files resolved relative to it, on the same origin. */
async function loadFromUrl(url: string, options: LoadOptions): Promise<Sequential> {
  const response = await fetchChecked(url, options);
  const text = new TextDecoder().decode(await readCapped(response, MODEL_LIMITS.modelJsonBytes, url));
  const parts = modelJsonParts(text);
  const base = new URL(url);
  const buffers: Uint8Array[] = [];
  let total = 0;
  for (const weightsPath of parts.paths) {
    let target: URL;
    try {
      target = new URL(weightsPath, base);
    } catch (error) {
      throw new ValueError(`The weights path '${weightsPath}' in ${url} is not a valid URL.`, { cause: error });
    }
    if (target.origin !== base.origin) {
      throw new ValueError(`The weights path '${weightsPath}' in ${url} points to another origin (${target.origin}); weight files must sit next to model.json.`);
    }
    const bytes = await readCapped(await fetchChecked(target.href, options), MODEL_LIMITS.weightBytes - total, `The weight files of ${url}`);
    total += bytes.byteLength;
    buffers.push(bytes);
  }
  return buildModel(parseArtifacts(parts.raw, concatBytes(buffers.length ? buffers : [new Uint8Array(0)]), options), options);
}

// ---------------------------------------------------------------------------------------------
// Entry points

function isHandler<K extends 'save' | 'load'>(value: unknown, method: K): value is Record<K, (...args: never[]) => unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function';
}

/**
 * Saves a model as TF.js's layers-model artifact (see serializeModel):
 * - `'file://path/to/dir'` (Node): writes `dir/model.json` and `dir/model.weights.bin`;
 * - `'downloads://name'` (browser): downloads `name.json` and `name.weights.bin`;
 * - `'localstorage://key'`, `'indexeddb://key'` (browser, TF.js's storage layouts);
 * - a SaveHandler (any object with `save(artifact)`, TF.js IOHandlers included).
 */
export async function saveModel(model: Sequential, destination: string | SaveHandler, options: SaveOptions = {}): Promise<SaveResult> {
  if (typeof destination !== 'string') {
    if (!isHandler(destination, 'save')) {
      throw new ValueError(`saveModel destination must be a URL (${SCHEMES.join(', ')}) or an object with a save(artifact) method, got ${typeof destination}.`);
    }
    return destination.save(await serializeModel(model, options));
  }
  const scheme = SCHEMES.find((s) => destination.startsWith(s));
  if (!scheme) {
    if (/^https?:\/\//i.test(destination)) {
      throw new UnsupportedError(`Saving to ${destination} is not built in; pass a SaveHandler that uploads artifact.modelJson and artifact.weightData.`);
    }
    throw new ValueError(`Unknown save destination '${destination}'; expected one of: ${SCHEMES.map((s) => `${s}...`).join(', ')}, or a SaveHandler.`);
  }
  const rest = destination.slice(scheme.length);
  // Check the environment before the GPU read-back: a wrong scheme fails fast.
  switch (scheme) {
    case 'file://':
      await nodeFs(scheme);
      return saveToDirectory(await serializeModel(model, options), rest);
    case 'downloads://':
      if (!globalProperty('document')) throw new UnsupportedError('downloads:// needs a browser page (document); in Node use file://path/to/dir.');
      return saveToDownloads(await serializeModel(model, options), rest);
    case 'localstorage://':
      localStorageOrThrow();
      return saveToLocalStorage(await serializeModel(model, options), rest);
    case 'indexeddb://':
      indexedDbOrThrow();
      return saveToIndexedDb(await serializeModel(model, options), rest);
  }
}

/**
 * Loads a model saved by shadernet or TF.js (layers-model; Keras 2 and Keras 3 models
 * converted to TF.js too) from:
 * - `'file://path/model.json'` or `'file://path/dir'` (Node);
 * - `'http(s)://.../model.json'` (weights fetched next to it), or a relative URL in a page;
 * - `'localstorage://key'`, `'indexeddb://key'` (browser);
 * - user-picked files (`input.files`: model.json and its .bin files);
 * - a LoadHandler (`load()`, TF.js IOHandlers included), or `{ modelJson, weightData }`.
 * Everything is validated before the model is created: a bad file gives a ValueError,
 * ShapeError or UnsupportedError naming the problem, never a half-loaded model.
 */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<Sequential> {
  if (typeof source === 'string') {
    if (source.startsWith('file://')) return loadFromPath(source.slice('file://'.length), options);
    if (source.startsWith('localstorage://')) return loadFromLocalStorage(source.slice('localstorage://'.length), options);
    if (source.startsWith('indexeddb://')) return loadFromIndexedDb(source.slice('indexeddb://'.length), options);
    if (/^https?:\/\//i.test(source)) return loadFromUrl(source, options);
    const page = globalProperty<Location>('location');
    if (page && typeof page.href === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(source) && !isNode()) {
      return loadFromUrl(new URL(source, page.href).href, options);
    }
    throw new ValueError(`Unknown model source '${source}'; expected file://, http(s)://, localstorage:// or indexeddb://.`);
  }
  if (isFileList(source)) return loadFromPickedFiles(Array.from(source as ArrayLike<File>), options);
  if (isHandler(source, 'load')) return modelFromArtifacts(await (source as LoadHandler).load(), options);
  if (typeof source === 'object' && source !== null && 'modelJson' in source) {
    return deserializeModel(source.modelJson, weightBytes(source.weightData), options);
  }
  throw new ValueError(`loadModel source must be a URL, files, a LoadHandler or { modelJson, weightData }, got ${typeof source}.`);
}
