/** Files a user picked (`<input type="file" multiple>`): model.json and the weight files it names. */
import { ValueError } from '../../../errors.js';
import { modelJsonParts } from '../artifacts.js';
import { MODEL_LIMITS } from '../limits.js';
import { concatBytes, tooLarge, type LoadedArtifacts } from './common.js';
import { checkWeightsPath } from './weights-path.js';

/**
 * A picked file, as much of the DOM's `File` as loading needs: a `FileList`, an array of `File`s,
 * or any objects of this shape (so Node and worker code can type it without the DOM library).
 */
export interface PickedFile {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

const baseName = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);

function isPickedFile(value: unknown): value is PickedFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Partial<Record<keyof PickedFile, unknown>>;
  return (
    typeof file.name === 'string' &&
    typeof file.size === 'number' &&
    typeof file.text === 'function' &&
    typeof file.arrayBuffer === 'function'
  );
}

/** A FileList or a non-empty array of files. */
export function isPickedFiles(source: unknown): source is ArrayLike<PickedFile> {
  const FileListClass = (globalThis as { FileList?: abstract new () => unknown }).FileList;
  if (FileListClass && source instanceof FileListClass) return true;
  return Array.isArray(source) && source.length > 0 && source.every(isPickedFile);
}

/** model.json (the one `.json` file) and the weight files it names, matched by base name. */
export async function loadFromPickedFiles(picked: ArrayLike<PickedFile>): Promise<LoadedArtifacts> {
  const files = Array.from(picked);
  const jsonFiles = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const [jsonFile] = jsonFiles;
  if (jsonFiles.length !== 1 || !jsonFile) {
    throw new ValueError(
      jsonFiles.length === 0
        ? `None of the chosen files (${files.map((f) => f.name).join(', ')}) is a model.json.`
        : `Choose one model.json, got ${jsonFiles.length} .json files (${jsonFiles.map((f) => f.name).join(', ')}).`,
    );
  }
  if (jsonFile.size > MODEL_LIMITS.modelJsonBytes) throw tooLarge(jsonFile.name, jsonFile.size, MODEL_LIMITS.modelJsonBytes);
  const parts = modelJsonParts(await jsonFile.text());
  const chosen = files.filter((f) => f !== jsonFile);
  // Picked files have no folders: a path's last segment names the file, once the path follows the rule.
  const weightFiles = parts.paths.map((p) => {
    const wanted = checkWeightsPath(p, jsonFile.name).segments.at(-1)!;
    const file = chosen.find((f) => baseName(f.name) === wanted);
    if (!file) {
      throw new ValueError(
        `The weights file '${wanted}' named in ${jsonFile.name} is not among the chosen files (${chosen.map((f) => f.name).join(', ') || 'none'}).`,
      );
    }
    return file;
  });
  const total = weightFiles.reduce((n, f) => n + f.size, 0);
  if (total > MODEL_LIMITS.weightBytes) throw tooLarge(`The weight files of ${jsonFile.name}`, total, MODEL_LIMITS.weightBytes);
  const buffers = await Promise.all(weightFiles.map(async (f) => new Uint8Array(await f.arrayBuffer())));
  return { raw: parts.raw, weightData: concatBytes(buffers) };
}
