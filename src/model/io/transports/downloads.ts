/** `downloads://name` (browser pages): two downloads, `name.json` and `name.weights.bin`, as TF.js's. */
import { UnsupportedError, ValueError } from '../../../errors.js';
import type { ModelArtifact } from '../format.js';
import { artifactsInfo, globalProperty, type SaveResult } from './common.js';
import { checkWeightsPath } from './weights-path.js';

function pageDocument(): Document {
  const doc = globalProperty<Document>('document');
  if (!doc || typeof doc.createElement !== 'function' || typeof URL.createObjectURL !== 'function') {
    throw new UnsupportedError('downloads:// needs a browser page (document and URL.createObjectURL); in Node use file://path/to/dir.');
  }
  return doc;
}

/** Fails fast, before the model is read back from the GPU, where downloads cannot work. */
export function checkDownloadsAvailable(): void {
  pageDocument();
}

function defer(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function saveToDownloads(artifact: ModelArtifact, prefix: string): Promise<SaveResult> {
  const doc = pageDocument();
  const base = prefix.length === 0 ? 'model' : prefix;
  if (/[\\/]/.test(base)) throw new ValueError(`downloads://${prefix}: the file name prefix cannot contain '/' or '\\'.`);
  const weightsName = `${base}.weights.bin`;
  // The manifest names the weights file as the download calls it (TF.js writes './' + name);
  // a name the loader would refuse ('%', '#'...) is refused here, before anything downloads.
  const weightsPath = checkWeightsPath(`./${weightsName}`, `downloads://${prefix}`).text;
  const modelJson = { ...artifact.modelJson, weightsManifest: [{ paths: [weightsPath], weights: artifact.weightSpecs }] };
  const downloads = [
    { name: `${base}.json`, url: URL.createObjectURL(new Blob([JSON.stringify(modelJson)], { type: 'application/json' })) },
    { name: weightsName, url: URL.createObjectURL(new Blob([artifact.weightData], { type: 'application/octet-stream' })) },
  ];
  for (const { name, url } of downloads) {
    // Firefox saves only the last of several downloads started in the same task.
    await defer();
    const anchor = doc.createElement('a');
    anchor.download = name;
    anchor.href = url;
    doc.body?.appendChild(anchor);
    anchor.click();
    anchor.remove();
  }
  const timer: unknown = setTimeout(() => downloads.forEach(({ url }) => URL.revokeObjectURL(url)), 60_000);
  (timer as { unref?: () => void }).unref?.();
  return { modelArtifactsInfo: artifactsInfo(artifact) };
}
