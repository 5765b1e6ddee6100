/**
 * A model file's user-defined metadata: TF.js's `userDefinedMetadata`, which TF.js keeps as it
 * is (`model.getUserDefinedMetadata()`), so a list of input features or a note travels with the
 * model. `model.save(destination, { metadata })` writes it and a loaded model has it as
 * `model.metadata`; shadernet's own key (`shadernet`: what the training config cannot say) is
 * reserved. Saving takes the metadata as JSON.stringify writes it (metadataJson: small on
 * purpose, it sits on the save path of every page that trains a model); loading, where it is
 * untrusted, also refuses anything that is not JSON data (loadedMetadata).
 */
import { ValueError } from '../../errors.js';
import { describe, dict, isDict } from './untrusted-json.js';

export type MetadataValue = null | boolean | number | string | readonly MetadataValue[] | { readonly [key: string]: MetadataValue };

/** User-defined metadata: JSON values under string keys. */
export type ModelMetadata = { readonly [key: string]: MetadataValue };

/** The key of shadernet's own metadata (from_logits), never the user's. */
export const RESERVED_METADATA_KEY = 'shadernet';

/**
 * Metadata as written: a deep copy through JSON, so JSON.stringify's rules apply (own enumerable
 * keys; toJSON is used; functions and undefined are left out, NaN and ±Infinity become null).
 * Throws a ValueError (`what` names it) unless the value is an object, acyclic, at most 1 MiB
 * (2²⁰ characters) of JSON text (the size over which TF.js warns), without the reserved key.
 * Deliberately small (it sits on the save path of every page that trains a model): the loader's
 * own checks (loadedMetadata; nesting at most MODEL_LIMITS.jsonDepth levels) refuse the rest.
 */
export function metadataJson(value: unknown, what: string): ModelMetadata {
  try {
    const text = JSON.stringify(value);
    const copy = JSON.parse(text) as ModelMetadata;
    // An object's JSON text, and only an object's, starts with '{'.
    if (text[0] === '{' && text.length <= 2 ** 20 && !Object.hasOwn(copy, RESERVED_METADATA_KEY)) return copy;
  } catch {
    // A cycle or a BigInt (JSON.stringify throws), or no JSON at all (undefined, a function): the error below.
  }
  throw new ValueError(`${what} must be a JSON object (1 MiB at most, no '${RESERVED_METADATA_KEY}' key).`);
}

/** Throws a ValueError naming the first value of `value` that is not JSON data (the caller has bounded its nesting: checkNesting). */
function checkJsonData(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value)) return;
  if (Array.isArray(value)) return value.forEach((item: unknown, i) => checkJsonData(item, `${path}[${i}]`));
  const proto: unknown = isDict(value) ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new ValueError(
      `${path} must be JSON data (null, a boolean, a finite number, a string, an array or a plain object), got ${describe(value)}.`,
    );
  }
  for (const key of Object.keys(value as object)) checkJsonData((value as Record<string, unknown>)[key], `${path}.${key}`);
}

/**
 * The user's metadata of a loaded file (`userDefinedMetadata` less shadernet's key; {} when
 * absent), checked as untrusted input: an object of JSON data only (own keys), within the
 * limits of metadataJson. The caller has checked its nesting (checkNesting).
 */
export function loadedMetadata(raw: unknown): ModelMetadata {
  if (raw === undefined || raw === null) return {};
  const { [RESERVED_METADATA_KEY]: _shadernet, ...user } = dict(raw, 'userDefinedMetadata');
  checkJsonData(user, 'userDefinedMetadata');
  return metadataJson(user, 'userDefinedMetadata');
}
