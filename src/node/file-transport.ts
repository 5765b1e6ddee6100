/**
 * `file://` (Node): a model saved as `<dir>/model.json` + `<dir>/model.weights.bin`, and loaded
 * from a model.json (or its directory) and the weight files it names. Part of the Node entry
 * only, so browser bundles never meet `node:fs`.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ValueError } from '../errors.js';
import { MODEL_LIMITS, modelJsonParts, WEIGHTS_FILE_NAME, type ModelArtifact } from '../model/io/format.js';
import { artifactsInfo, checkRelativePath, concatBytes, tooLarge, type LoadedArtifacts, type SaveResult } from '../model/io/transports/common.js';

function fileError(error: unknown, what: string): ValueError {
  const code = (error as { code?: unknown }).code;
  const reason = code === 'ENOENT' ? 'not found' : error instanceof Error ? error.message : String(error);
  return new ValueError(`Cannot read ${what}: ${reason}.`, { cause: error });
}

/** Writes `<dir>/model.weights.bin` then `<dir>/model.json` (creating dir). */
export async function saveToDirectory(artifact: ModelArtifact, directory: string): Promise<SaveResult> {
  if (directory.length === 0) throw new ValueError("file:// needs a directory, e.g. 'file://./my-model'.");
  if (directory.endsWith('.json')) {
    throw new ValueError(`file://${directory}: give the directory to save into (model.json and ${WEIGHTS_FILE_NAME} are written there), not a .json path.`);
  }
  await mkdir(directory, { recursive: true });
  const weightsPath = join(directory, WEIGHTS_FILE_NAME);
  const jsonPath = join(directory, 'model.json');
  await writeFile(weightsPath, new Uint8Array(artifact.weightData));
  await writeFile(jsonPath, JSON.stringify(artifact.modelJson), 'utf8');
  return { modelArtifactsInfo: artifactsInfo(artifact), files: [jsonPath, weightsPath] };
}

/** Reads `<path>` (model.json, or a directory holding one) and the weight files it names. */
export async function loadFromPath(location: string): Promise<LoadedArtifacts> {
  let jsonPath = location;
  let info;
  try {
    info = await stat(jsonPath);
    if (info.isDirectory()) {
      jsonPath = join(jsonPath, 'model.json');
      info = await stat(jsonPath);
    }
  } catch (error) {
    throw fileError(error, `file://${jsonPath}`);
  }
  if (info.size > MODEL_LIMITS.modelJsonBytes) throw tooLarge(`file://${jsonPath}`, info.size, MODEL_LIMITS.modelJsonBytes);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (error) {
    throw fileError(error, `file://${jsonPath}`);
  }
  const parts = modelJsonParts(text);
  const directory = dirname(jsonPath);
  const buffers: Uint8Array[] = [];
  let total = 0;
  for (const weightsPath of parts.paths) {
    checkRelativePath(weightsPath, jsonPath);
    const file = join(directory, weightsPath);
    try {
      const { size } = await stat(file);
      total += size;
      if (total > MODEL_LIMITS.weightBytes) throw tooLarge(`The weight files of file://${jsonPath}`, total, MODEL_LIMITS.weightBytes);
      buffers.push(await readFile(file));
    } catch (error) {
      if (error instanceof ValueError) throw error;
      throw fileError(error, `the weights file file://${file} named in ${jsonPath}`);
    }
  }
  return { raw: parts.raw, weightData: concatBytes(buffers) };
}
