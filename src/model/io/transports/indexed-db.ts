/** `indexeddb://key` (pages and workers), in TF.js's database 'tensorflowjs' and its two stores. */
import { UnsupportedError, ValueError } from '../../../errors.js';
import { artifactsFrom } from '../artifacts.js';
import type { ModelArtifact } from '../format.js';
import { artifactsInfo, globalProperty, type LoadedArtifacts, type SaveResult } from './common.js';

const DATABASE = 'tensorflowjs';
const VERSION = 1;
const MODEL_STORE = 'models_store';
const INFO_STORE = 'model_info_store';

function indexedDbOrThrow(): IDBFactory {
  const factory = globalProperty<IDBFactory>('indexedDB');
  if (!factory || typeof factory.open !== 'function') {
    throw new UnsupportedError('indexeddb:// needs IndexedDB (a browser page or worker); in Node use file://path/to/dir.');
  }
  return factory;
}

/** Fails fast, before the model is read back from the GPU, where IndexedDB is missing. */
export function checkIndexedDbAvailable(): void {
  indexedDbOrThrow();
}

function storageError(error: unknown, what: string): ValueError {
  const reason = error instanceof Error ? error.message : error === null || error === undefined ? 'unknown error' : String(error);
  return new ValueError(`${what} failed: ${reason}.`, { cause: error });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(MODEL_STORE)) db.createObjectStore(MODEL_STORE, { keyPath: 'modelPath' });
      if (!db.objectStoreNames.contains(INFO_STORE)) db.createObjectStore(INFO_STORE, { keyPath: 'modelPath' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError(request.error, `Opening IndexedDB '${DATABASE}'`));
    request.onblocked = () => reject(new ValueError(`Opening IndexedDB '${DATABASE}' is blocked by another tab holding an older version.`));
  });
}

function transactionDone(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(tx.error, what));
    tx.onabort = () => reject(storageError(tx.error, what));
  });
}

export async function saveToIndexedDb(artifact: ModelArtifact, key: string): Promise<SaveResult> {
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

export async function loadFromIndexedDb(key: string): Promise<LoadedArtifacts> {
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
  return artifactsFrom(Object.hasOwn(record, 'modelArtifacts') ? (record as { modelArtifacts: unknown }).modelArtifacts : undefined);
}
