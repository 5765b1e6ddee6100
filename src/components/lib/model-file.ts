import { Dense, loadModel, type GpuContext } from '../../index.js';
import { featuresOfMetadata } from './feature-metadata.js';
import type { FeatureName } from '../../data/features.js';
import { HIDDEN_ACTIVATIONS, LIMITS, type LayerSpec } from './state.js';

/**
 * The builder's hidden layers of a loaded model, if the playground can show it: Dense layers
 * with biases, up to LIMITS.hiddenLayers hidden ones of LIMITS.units units with a builder
 * activation, then the output layer of the data's task (Dense(1, sigmoid), Dense(k, softmax) or
 * Dense(1, linear)). Throws a message saying what does not fit.
 */
function playgroundLayers(
  layers: readonly {
    readonly units: number;
    readonly activation: string;
    readonly useBias: boolean;
    readonly inputDim?: number | undefined;
  }[],
  expected: { readonly units: number; readonly activation: string },
): LayerSpec[] {
  const fail = (why: string): never => {
    throw new Error(`the model is valid, but the playground cannot show it: ${why}`);
  };
  const output = layers[layers.length - 1];
  if (!output || output.units !== expected.units || output.activation !== expected.activation) {
    fail(`its last layer must be Dense(${expected.units}, ${expected.activation}), the output layer of this data's task.`);
  }
  if (layers.some((l) => !l.useBias)) fail('every layer must have a bias.');
  const hidden = layers.slice(0, -1);
  if (hidden.length > LIMITS.hiddenLayers) fail(`it has ${hidden.length} hidden layers (at most ${LIMITS.hiddenLayers}).`);
  return hidden.map((l, i) => {
    if (l.units < LIMITS.units[0] || l.units > LIMITS.units[1])
      fail(`hidden layer ${i + 1} has ${l.units} units (${LIMITS.units[0]}–${LIMITS.units[1]}).`);
    if (!(HIDDEN_ACTIVATIONS as readonly string[]).includes(l.activation))
      fail(`hidden layer ${i + 1}'s activation '${l.activation}' is not one of the builder's.`);
    return { units: l.units, activation: l.activation as LayerSpec['activation'] };
  });
}

/**
 * Reads a model.json and its weights file(s) picked by the user, on `engine` (a GPU context or
 * 'cpu'). The library validates the files (sizes, shapes, truncated or corrupted weights,
 * unknown layers); then the model must be one the playground can show (the inputs of its
 * feature list, from the file's metadata: (x₁, x₂) without one; Dense hidden layers, the
 * `output` layer of the data's task). Resolves with its features, hidden layers and weights;
 * throws saying what is wrong.
 */
export async function readModelFiles(
  files: readonly File[],
  engine: GpuContext | 'cpu' | undefined,
  output: { readonly units: number; readonly activation: string },
): Promise<{ features: readonly FeatureName[]; layers: LayerSpec[]; weights: Float32Array[] }> {
  const loaded = await loadModel(
    [...files],
    engine === 'cpu' ? { backend: 'cpu' } : { backend: 'webgpu', ...(engine ? { gpu: engine } : {}) },
  );
  try {
    // Dropout layers carry no weights; the playground shows the Dense stack.
    const dense = loaded.layers.filter((layer): layer is Dense => layer instanceof Dense);
    const layers = playgroundLayers(dense, output);
    const features = featuresOfMetadata(loaded.metadata);
    const weights = await loaded.getWeights();
    if (weights[0]?.length !== features.length * (dense[0]?.units ?? 0)) {
      throw new Error(
        `the model does not take ${features.length} input features (${features.join(', ')}${loaded.metadata?.features === undefined ? ': a file without a feature list in its metadata takes x1, x2' : ''}).`,
      );
    }
    return { features, layers, weights };
  } finally {
    loaded.dispose();
  }
}
