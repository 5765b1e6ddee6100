/**
 * `file://` (Node): a model saved as `<dir>/model.json` + `<dir>/model.weights.bin`, and loaded
 * from a model.json (or its directory) and the weight files it names. Part of the Node entry
 * only, so browser bundles never meet `node:fs`. Every file-system failure becomes a
 * ValueError naming the path and the reason.
 */
import { constants } from 'node:fs';
import { mkdir, open, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ShadernetError, ValueError } from '../errors.js';
import { modelJsonParts } from '../model/io/artifacts.js';
import { WEIGHTS_FILE_NAME, type ModelArtifact } from '../model/io/format.js';
import { MODEL_LIMITS } from '../model/io/limits.js';
import { artifactsInfo, concatBytes, tooLarge, type LoadedArtifacts, type SaveResult } from '../model/io/transports/common.js';
import { checkWeightsPath } from '../model/io/transports/weights-path.js';

/** Node's error codes in words; others show the system's message. */
const REASONS: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'not found'],
  ['EEXIST', 'it exists and is not a directory'],
  ['ENOTDIR', 'a part of the path is not a directory'],
  ['EISDIR', 'it is a directory'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EROFS', 'the file system is read-only'],
  ['ELOOP', 'too many levels of symbolic links'],
  ['ENAMETOOLONG', 'the path is too long'],
  ['EMFILE', 'too many open files'],
]);

/**
 * Runs a file-system step; its failure becomes `Cannot <task>: <reason> (<code>).`, where the
 * task names the path (`read file:///models/net/model.json`). Errors of ours pass through.
 */
async function attempt<T>(task: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ShadernetError) throw error;
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    const reason = (code && REASONS.get(code)) ?? (error instanceof Error ? error.message : String(error));
    throw new ValueError(`Cannot ${task}: ${reason}${code ? ` (${code})` : ''}.`, { cause: error });
  }
}

/** Writes `<dir>/model.weights.bin` then `<dir>/model.json` (creating dir). */
export async function saveToDirectory(artifact: ModelArtifact, directory: string): Promise<SaveResult> {
  if (directory.length === 0) throw new ValueError("file:// needs a directory, e.g. 'file://./my-model'.");
  if (directory.endsWith('.json')) {
    throw new ValueError(
      `file://${directory}: give the directory to save into (model.json and ${WEIGHTS_FILE_NAME} are written there), not a .json path.`,
    );
  }
  await attempt(`save to file://${directory}`, () => mkdir(directory, { recursive: true }));
  const weightsPath = join(directory, WEIGHTS_FILE_NAME);
  const jsonPath = join(directory, 'model.json');
  await attempt(`save to file://${weightsPath}`, () => writeFile(weightsPath, new Uint8Array(artifact.weightData)));
  await attempt(`save to file://${jsonPath}`, () => writeFile(jsonPath, JSON.stringify(artifact.modelJson), 'utf8'));
  return { modelArtifactsInfo: artifactsInfo(artifact), files: [jsonPath, weightsPath] };
}

/**
 * A regular file's bytes, its size checked against `limit` before anything is allocated. One
 * open handle for the check and the read, so the file cannot be swapped in between. Opened
 * non-blocking (a FIFO would otherwise hang the open before the check refuses it), and with
 * `noFollow` a symbolic link in the last place is refused rather than followed.
 */
async function readRegularFile(
  path: string,
  what: string,
  limit: number,
  overLimit: (size: number) => ValueError,
  noFollow = false,
): Promise<Uint8Array> {
  // Flags that a platform lacks (Windows) are 0.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  return attempt(`read ${what}`, async () => {
    const handle = await open(path, flags);
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new ValueError(`Cannot read ${what}: not a regular file.`);
      if (info.size > limit) throw overLimit(info.size);
      const bytes = new Uint8Array(info.size);
      let filled = 0;
      while (filled < bytes.byteLength) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.byteLength - filled, filled);
        if (bytesRead === 0) break; // shrunk meanwhile: the manifest's byte count will tell
        filled += bytesRead;
      }
      return bytes.subarray(0, filled);
    } finally {
      await handle.close();
    }
  });
}

/** Whether `path` lies strictly inside `folder` (both real paths). */
function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return rest !== '' && !isAbsolute(rest) && rest.split(sep)[0] !== '..';
}

/**
 * Reads `<path>` (model.json, or a directory holding one) and the weight files it names. Each
 * weights path follows the one rule (weights-path.ts), and its real path (symbolic links
 * followed) must lie inside the real path of model.json's folder.
 */
export async function loadFromPath(location: string): Promise<LoadedArtifacts> {
  let jsonPath = location;
  if ((await attempt(`read file://${jsonPath}`, () => stat(jsonPath))).isDirectory()) jsonPath = join(jsonPath, 'model.json');
  const jsonBytes = await readRegularFile(jsonPath, `file://${jsonPath}`, MODEL_LIMITS.modelJsonBytes, (size) =>
    tooLarge(`file://${jsonPath}`, size, MODEL_LIMITS.modelJsonBytes),
  );
  const parts = modelJsonParts(new TextDecoder().decode(jsonBytes));
  const folder = dirname(jsonPath);
  const checked = parts.paths.map((path) => checkWeightsPath(path, jsonPath));
  const realFolder = await attempt(`read file://${folder}`, () => realpath(folder));
  const buffers: Uint8Array[] = [];
  let total = 0;
  for (const weightsPath of checked) {
    const file = join(folder, ...weightsPath.segments);
    const what = `the weights file file://${file} named in ${jsonPath}`;
    const real = await attempt(`read ${what}`, () => realpath(file));
    if (!isInside(realFolder, real)) {
      throw new ValueError(
        `The weights path '${weightsPath.text}' in ${jsonPath} resolves to ${real}, outside the model's folder ${realFolder} (through a symbolic link).`,
      );
    }
    // The real path was checked: it must not become a link before it is opened.
    const bytes = await readRegularFile(
      real,
      what,
      MODEL_LIMITS.weightBytes - total,
      (size) => tooLarge(`The weight files of file://${jsonPath}`, total + size, MODEL_LIMITS.weightBytes),
      true,
    );
    total += bytes.byteLength;
    buffers.push(bytes);
  }
  return { raw: parts.raw, weightData: concatBytes(buffers) };
}
