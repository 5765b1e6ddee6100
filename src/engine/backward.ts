import type { GpuContext } from '../gpu/context.js';
import { denseBackwardData, denseBackwardWeights } from '../kernels/dense.js';
import { dropoutBackward } from '../kernels/dropout.js';
import { hasInputDropout, hiddenActivation, type NetworkShape } from '../spec/network.js';
import type { ForwardChain } from './forward.js';
import type { ParameterBuffers } from './parameters.js';
import type { StepDispatch } from './step.js';

export interface BackwardChainOptions {
  /** Rows of the largest batch (the dZ buffers are sized for it). */
  readonly rows: number;
  /**
   * dZ of every layer: the loss head writes the output layer's (and, with a fused head, the
   * layer below's); each layer's backward pass writes the one below.
   */
  readonly dz: readonly GPUBuffer[];
  /**
   * The output layer is a fused head (shaders/output_head.wgsl), which already wrote its own
   * gradients and dZ of the layer below: the chain starts with the head's input dropout mask.
   */
  readonly fusedHead: boolean;
  /** Uniform slots: one per step recorded in a single submit. */
  readonly slots: number;
}

/**
 * The backward pass of a network, the counterpart of ForwardChain, from the output layer down:
 * per layer the weight and bias gradients (one dispatch), dZ of the layer below with that
 * layer's activation derivative folded in (one, none for the first layer), and the mask of a
 * dropout before the layer (one, where there is one). It reads the forward chain's buffers.
 */
export class BackwardChain {
  /** In recording order. */
  readonly steps: readonly StepDispatch[];

  constructor(ctx: GpuContext, network: NetworkShape, parameters: ParameterBuffers, forward: ForwardChain, options: BackwardChainOptions) {
    const { rows, dz, slots } = options;
    const layers = network.layers;
    const lastIndex = layers.length - 1;
    const steps: StepDispatch[] = [];

    // The gradient reaching layer i's input, masked as the forward masked it: a dropout before
    // layer i (i > 0) scales dZ of layer i − 1 (elementwise, so before or after act' alike).
    const maskInputGradient = (i: number): void => {
      if (i === 0 || !hasInputDropout(layers[i]!)) return;
      // The fused head read only the dropped copy of its input and left act' of the layer below
      // to this mask, which reads that layer's undropped output (z for gelu / swish).
      const beforeHead = options.fusedHead && i === lastIndex;
      const previousActivation = beforeHead ? hiddenActivation(layers[i - 1]!) : 'linear';
      const masked = dropoutBackward(
        ctx,
        rows,
        layers[i]!.inputs,
        layers[i]!.inputDropout!,
        {
          gradient: dz[i - 1]!,
          yPrev: beforeHead ? (forward.preActivations[i - 1]?.binding ?? forward.outputs[i - 1]!) : forward.outputs[i - 1]!,
        },
        { previousActivation, ...(beforeHead ? { previousAlpha: layers[i - 1]!.alpha } : {}), slots },
      );
      steps.push({ kernel: masked, stage: (slot, n, _offset, t) => masked.stageWindow({ rows: n, step: t }, slot) });
    };

    if (options.fusedHead) maskInputGradient(lastIndex);
    for (let i = options.fusedHead ? lastIndex - 1 : lastIndex; i >= 0; i--) {
      const layer = layers[i]!;
      const { kernel, bias } = parameters.layer(i);
      const shape = { rows, inputs: layer.inputs, units: layer.units };
      const weightsGradient = denseBackwardWeights(
        ctx,
        shape,
        {
          x: forward.inputs[i]!,
          dz: dz[i]!,
          dWeights: parameters.binding(parameters.gradients, kernel),
          // Never written without a bias (USE_BIAS = false); any valid slice will do.
          dBias: parameters.binding(parameters.gradients, bias ?? kernel),
        },
        { useBias: layer.useBias, slots },
      );
      steps.push({
        kernel: weightsGradient,
        stage: (slot, n, offset) => weightsGradient.stageWindow({ rows: n, xRowOffset: forward.inputRowOffset(i, offset) }, slot),
      });
      if (i === 0) continue; // nothing consumes the gradient of the dataset
      const dataGradient = denseBackwardData(
        ctx,
        shape,
        {
          weights: parameters.binding(parameters.values, kernel),
          dz: dz[i]!,
          yPrev: forward.outputs[i - 1]!,
          zPrev: forward.preActivations[i - 1]?.binding,
          dzPrev: dz[i - 1]!,
        },
        { previousActivation: hiddenActivation(layers[i - 1]!), previousAlpha: layers[i - 1]!.alpha, slots },
      );
      steps.push({ kernel: dataGradient, stage: (slot, n) => dataGradient.stageWindow({ rows: n }, slot) });
      maskInputGradient(i);
    }
    this.steps = steps;
  }

  dispose(): void {
    for (const step of this.steps) step.kernel.dispose();
  }
}
