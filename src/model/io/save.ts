/**
 * `saveModel` and `model.save()`: the model as TF.js's layers-model artifact, written to
 * - `'file://path/to/dir'` (Node): `dir/model.json` and `dir/model.weights.bin`;
 * - `'downloads://name'` (browser): downloads `name.json` and `name.weights.bin`;
 * - `'localstorage://key'`, `'indexeddb://key'` (browser, TF.js's storage layouts);
 * - a SaveHandler (any object with `save(artifact)`, TF.js IOHandlers included).
 * Only the save side of each transport is imported here, so a page that never loads a model
 * does not carry the loader's validation code.
 */
import { UnsupportedError, ValueError } from '../../errors.js';
import { nodeFiles } from './transports/files.js';
import type { ModelArtifact } from './format.js';
import { serializeModel, type SavableModel, type SerializeOptions } from './serialize.js';
import type { SaveResult } from './transports/common.js';
import { checkDownloadsAvailable, saveToDownloads } from './transports/downloads.js';
import { checkIndexedDbAvailable, saveToIndexedDb } from './transports/indexed-db.js';
import { checkLocalStorageAvailable, saveToLocalStorage } from './transports/local-storage.js';

/** Saves an artifact somewhere; a TF.js `IOHandler` with a `save` method fits. */
export interface SaveHandler {
  save(artifact: ModelArtifact): Promise<SaveResult>;
}

export type SaveOptions = SerializeOptions;

const SCHEMES = ['file://', 'downloads://', 'localstorage://', 'indexeddb://'] as const;
type Scheme = (typeof SCHEMES)[number];

/** Where a scheme's save writes, checked before the model is read back from the GPU (a wrong scheme fails fast). */
function destinationWriter(scheme: Scheme): (artifact: ModelArtifact, location: string) => Promise<SaveResult> {
  switch (scheme) {
    case 'file://': {
      const node = nodeFiles('use downloads://, localstorage:// or indexeddb://');
      return (artifact, location) => node.saveToFiles(artifact, location);
    }
    case 'downloads://':
      checkDownloadsAvailable();
      return saveToDownloads;
    case 'localstorage://':
      checkLocalStorageAvailable();
      return saveToLocalStorage;
    case 'indexeddb://':
      checkIndexedDbAvailable();
      return saveToIndexedDb;
  }
}

function isSaveHandler(value: unknown): value is SaveHandler {
  return typeof value === 'object' && value !== null && typeof (value as Partial<SaveHandler>).save === 'function';
}

/** Saves a model as TF.js's layers-model artifact (see serializeModel) to a URL-like destination or a SaveHandler. */
export async function saveModel(model: SavableModel, destination: string | SaveHandler, options: SaveOptions = {}): Promise<SaveResult> {
  if (typeof destination !== 'string') {
    if (!isSaveHandler(destination)) {
      throw new ValueError(
        `saveModel destination must be a URL (${SCHEMES.join(', ')}) or an object with a save(artifact) method, got ${typeof destination}.`,
      );
    }
    return destination.save(await serializeModel(model, options));
  }
  const scheme = SCHEMES.find((s) => destination.startsWith(s));
  if (!scheme) {
    if (/^https?:\/\//i.test(destination)) {
      throw new UnsupportedError(
        `Saving to ${destination} is not built in; pass a SaveHandler that uploads artifact.modelJson and artifact.weightData.`,
      );
    }
    throw new ValueError(
      `Unknown save destination '${destination}'; expected one of: ${SCHEMES.map((s) => `${s}...`).join(', ')}, or a SaveHandler.`,
    );
  }
  const write = destinationWriter(scheme);
  return write(await serializeModel(model, options), destination.slice(scheme.length));
}
