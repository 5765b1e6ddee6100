/** `localstorage://key` (browser pages), in TF.js's keys, so either library reads the other's models. */
import { UnsupportedError, ValueError } from '../../../errors.js';
import { show } from '../../../show.js';
import type { ModelArtifact } from '../format.js';
import { MODEL_LIMITS } from '../limits.js';
import { parseJsonText } from '../untrusted-json.js';
import { artifactsInfo, globalProperty, type LoadedArtifacts, type SaveResult } from './common.js';

const PREFIX = 'tensorflowjs_models';

function storageKeys(key: string): { info: string; topology: string; weightSpecs: string; weightData: string; metadata: string } {
  const at = (suffix: string): string => `${PREFIX}/${key}/${suffix}`;
  return {
    info: at('info'),
    topology: at('model_topology'),
    weightSpecs: at('weight_specs'),
    weightData: at('weight_data'),
    metadata: at('model_metadata'),
  };
}

function localStorageOrThrow(): Storage {
  const storage = globalProperty<Storage>('localStorage');
  if (!storage || typeof storage.getItem !== 'function') {
    throw new UnsupportedError('localstorage:// needs window.localStorage (a browser page); in Node use file://path/to/dir.');
  }
  return storage;
}

/** Fails fast, before the model is read back from the GPU, where localStorage is missing. */
export function checkLocalStorageAvailable(): void {
  localStorageOrThrow();
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

function parseStored(text: string | null, what: string): unknown {
  return text === null ? undefined : parseJsonText(text, what);
}

export async function saveToLocalStorage(artifact: ModelArtifact, key: string): Promise<SaveResult> {
  const storage = localStorageOrThrow();
  if (key.length === 0) throw new ValueError("localstorage:// needs a key, e.g. 'localstorage://my-model'.");
  const keys = storageKeys(key);
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
      `Saving to localstorage://${key} failed (${error instanceof Error ? error.message : show(error)}): localStorage holds about 5 MB per site and this model needs ` +
        `${Math.ceil((artifact.weightData.byteLength * 4) / 3)} bytes of base64 weights; use indexeddb://${key}.`,
      { cause: error },
    );
  }
  return { modelArtifactsInfo: info };
}

export async function loadFromLocalStorage(key: string): Promise<LoadedArtifacts> {
  const storage = localStorageOrThrow();
  const keys = storageKeys(key);
  if (storage.getItem(keys.info) === null) throw new ValueError(`There is no model at localstorage://${key}.`);
  const topology = parseStored(storage.getItem(keys.topology), `localstorage://${key} model_topology`);
  const weightSpecs = parseStored(storage.getItem(keys.weightSpecs), `localstorage://${key} weight_specs`);
  const metadata = parseStored(storage.getItem(keys.metadata), `localstorage://${key} model_metadata`);
  const data = storage.getItem(keys.weightData);
  if (topology === undefined || weightSpecs === undefined || data === null) {
    throw new ValueError(`The model at localstorage://${key} is incomplete (topology, weight specs or weight data missing).`);
  }
  const base64Limit = Math.ceil(MODEL_LIMITS.weightBytes / 3) * 4;
  if (data.length > base64Limit)
    throw new ValueError(`localstorage://${key} weight_data has ${data.length} characters, over the limit of ${base64Limit}.`);
  const meta = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
  const own = (name: string): unknown => (Object.hasOwn(meta, name) ? meta[name] : undefined);
  return {
    raw: {
      format: own('format'),
      modelTopology: topology,
      weightSpecs,
      trainingConfig: own('trainingConfig'),
      userDefinedMetadata: own('userDefinedMetadata'),
    },
    weightData: fromBase64(data, `localstorage://${key} weight_data`),
  };
}
