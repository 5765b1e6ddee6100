import type { GpuContext } from '../gpu/context.js';
import { fusedActivationProblem, fusedTileFloats, fusedTileRows, type FusedLayer, type FusedMlpOptions } from '../kernels/fused-mlp.js';
import type { Activation } from '../spec/activations.js';
import type { LossSpec } from '../spec/loss.js';
import { hasInputDropout, hiddenActivation, type NetworkShape } from '../spec/network.js';
import type { ParameterBuffers } from './parameters.js';

/**
 * Which kernels run a model's steps: `fused`, the whole network in one dispatch
 * (shaders/fused_mlp.wgsl), or `layered`, a dispatch (or more) per layer.
 */
export type KernelPath = 'fused' | 'layered';

const preferences = new WeakMap<GPUDevice, KernelPath>();

/**
 * Internal: makes plans created on `device` from now on use `path` where they can (`fused`, the
 * default, still falls back where a model is not eligible), or forget the preference with
 * undefined. For tests and the benchmark, which compare both paths in one run.
 */
export function preferKernels(device: GPUDevice, path: KernelPath | undefined): void {
  if (path === undefined) preferences.delete(device);
  else preferences.set(device, path);
}

/** What a fused plan needs: the layers' descriptors and the tile's size on this device. */
export interface FusedLayout extends FusedMlpOptions {
  readonly layers: readonly FusedLayer[];
}

/**
 * The fused layout of `network`, or undefined when it runs layered: layered preferred on this
 * device, a hidden layer whose activation cannot be fused (softmax; for training gelu and swish,
 * whose slopes need their pre-activation), dropout in training, a loss other than binary
 * cross-entropy from logits on one output unit, or layers too wide for one row of the tile in
 * this device's workgroup memory. `loss` undefined: forward only (predict), where any
 * element-wise output activation fuses; `outputActivation` is the one the plan applies last.
 */
export function fusedLayout(
  ctx: GpuContext,
  network: NetworkShape,
  parameters: ParameterBuffers,
  use: {
    readonly training: boolean;
    readonly loss?: LossSpec;
    readonly logits?: boolean;
    readonly outputActivation: Activation | 'softmax';
  },
): FusedLayout | undefined {
  if (preferences.get(ctx.device) === 'layered') return undefined;
  const layers = network.layers;
  const last = layers[layers.length - 1]!;
  const outputActivation = use.outputActivation;
  if (outputActivation === 'softmax') return undefined;
  if (use.training) {
    if (use.loss?.kind !== 'binary_crossentropy' || !use.logits || last.units !== 1 || outputActivation !== 'linear') return undefined;
    if (layers.some(hasInputDropout)) return undefined;
  }
  const hidden = layers.slice(0, -1);
  // Forward only, an activation is applied, never differentiated: only softmax is refused.
  const refused = hidden.some((layer) =>
    use.training ? fusedActivationProblem(layer.activation) !== undefined : layer.activation === 'softmax',
  );
  if (refused) return undefined;
  const tileFloats = fusedTileFloats(ctx.limits);
  const tileRows = fusedTileRows(layers, tileFloats);
  if (tileRows < 1) return undefined;
  return {
    tileFloats,
    tileRows,
    layers: layers.map((layer, i): FusedLayer => {
      const { kernel, bias } = parameters.layer(i);
      const activation = i === layers.length - 1 ? outputActivation : hiddenActivation(layer);
      return {
        inputs: layer.inputs,
        units: layer.units,
        activation,
        // A final activation other than the layer's own (linear logits) has no parameter.
        ...(activation === layer.activation && layer.alpha !== undefined ? { alpha: layer.alpha } : {}),
        weightsOffset: kernel.offset,
        biasOffset: bias?.offset,
      };
    }),
  };
}
