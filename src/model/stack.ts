/**
 * A Sequential model's layer stack as the engines see it: the Dense layers' shapes, with the
 * Dropouts folded into the input of the Dense layer after them.
 */
import type { NetworkShape } from '../spec/network.js';
import { ValueError } from '../errors.js';
import { dropoutHash } from '../spec/dropout.js';
import { Dense, Dropout, type Layer } from './layers.js';

/** The Dense layers, in order: layer i of the engine's network is the i-th of these. */
export function denseLayers(layers: readonly Layer[]): Dense[] {
  return layers.filter((layer): layer is Dense => layer instanceof Dense);
}

/**
 * The dropout applied to each Dense layer's input: the Dropouts just before it, merged. Two
 * consecutive independent masks keep an input with probability (1 − a)(1 − b) and scale it by
 * the inverse, exactly one dropout of rate 1 − (1 − a)(1 − b), which is what they become.
 * A Dropout without a seed gets one derived from the model's seed and its position.
 */
function inputDropouts(layers: readonly Layer[], modelSeed: number): ({ rate: number; seed: number } | undefined)[] {
  const result: ({ rate: number; seed: number } | undefined)[] = [];
  let pending: { rate: number; seed: number } | undefined;
  layers.forEach((layer, index) => {
    if (layer instanceof Dropout) {
      if (layer.rate === 0) return;
      const seed = layer.seed ?? dropoutHash(modelSeed, 0, index, 0x64726f70);
      pending = pending
        ? { rate: 1 - (1 - pending.rate) * (1 - layer.rate), seed: dropoutHash(pending.seed, 0, seed, 0) }
        : { rate: layer.rate, seed };
      return;
    }
    result.push(pending);
    pending = undefined;
  });
  return result;
}

/** Refuses a stack whose last layer is a Dropout (see Sequential.compile). */
export function assertDropoutsPlaced(layers: readonly Layer[]): void {
  const last = layers[layers.length - 1];
  if (last instanceof Dropout) {
    throw new ValueError(
      `Dropout layer '${last.name}' is the last layer; shadernet applies a Dropout to the input of the Dense layer after it, ` +
        "so it must be followed by a Dense layer (dropping the model's outputs would only perturb the loss in training).",
    );
  }
}

/**
 * The network as the engine sees it, for `inputs` features; Dropout seeds derive from
 * `modelSeed`. A trailing Dropout is left out: engines need assertDropoutsPlaced first.
 */
export function networkOf(layers: readonly Layer[], inputs: number, modelSeed: number): NetworkShape {
  const dense = denseLayers(layers);
  const dropouts = inputDropouts(layers, modelSeed);
  return {
    layers: dense.map((layer, i) => ({
      inputs: i === 0 ? inputs : dense[i - 1]!.units,
      units: layer.units,
      activation: layer.activation,
      alpha: layer.alpha,
      useBias: layer.useBias,
      ...(layer.kernelRegularizer ? { kernelRegularizer: { l1: layer.kernelRegularizer.l1, l2: layer.kernelRegularizer.l2 } } : {}),
      ...(dropouts[i] ? { inputDropout: dropouts[i] } : {}),
    })),
  };
}
