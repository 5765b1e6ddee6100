import type { GpuContext } from '../gpu/context.js';
import { activationGradient } from '../kernels/elementwise.js';
import { OutputHeadDispatch } from '../kernels/output-head.js';
import type { Activation } from '../spec/activations.js';
import type { LossSpec } from '../spec/loss.js';
import { hasInputDropout, hiddenActivation, type NetworkShape } from '../spec/network.js';
import type { ForwardChain } from './forward.js';
import { createLossDispatch } from './loss-dispatch.js';
import type { ParameterBuffers } from './parameters.js';
import type { StepDispatch } from './step.js';

export interface LossHeadOptions {
  readonly loss: LossSpec;
  /**
   * The output layer runs fused with the loss (a 1-unit layer under the logits form of binary
   * cross-entropy): forward, loss and both gradients in one dispatch; the forward chain stops below it.
   */
  readonly fusedHead: boolean;
  /** The activation the forward chain applied on its last layer (the output layer unless fused). */
  readonly finalActivation: Activation;
  /** Rows of the largest batch. */
  readonly rows: number;
  /** What the loss reads besides the prediction, and the metrics record its sums go to. */
  readonly buffers: { readonly labels: GPUBuffer; readonly metrics: GPUBufferBinding; readonly sampleWeight?: GPUBuffer };
  /** dZ of every layer (see BackwardChainOptions.dz): the head writes the output layer's. */
  readonly dz: readonly GPUBuffer[];
  readonly slots: number;
  /** Creates a scratch buffer that the caller owns (and destroys). */
  readonly scratch: (label: string, floats: number) => GPUBuffer;
}

/**
 * The dispatches between the forward and backward chains: the loss (its sums, and its gradient
 * turned into dZ of the output layer), or the fused output head, which also computes the output
 * layer's forward, weight gradients and dZ of the layer below.
 */
export function lossHeadSteps(
  ctx: GpuContext,
  network: NetworkShape,
  parameters: ParameterBuffers,
  forward: ForwardChain,
  options: LossHeadOptions,
): StepDispatch[] {
  const { loss, rows, dz, slots } = options;
  const layers = network.layers;
  const lastIndex = layers.length - 1;
  const last = layers[lastIndex]!;
  if (options.fusedHead) {
    const { kernel, bias } = parameters.layer(lastIndex);
    const isOnlyLayer = lastIndex === 0;
    const head = new OutputHeadDispatch(
      ctx,
      {
        x: forward.inputs[lastIndex]!,
        parameters: parameters.values,
        gradients: parameters.gradients,
        dz: dz[lastIndex]!,
        // Not written without a previous layer, but WebGPU forbids aliasing writable bindings.
        dzPrev: isOnlyLayer ? options.scratch('unused dz_prev', 1) : dz[lastIndex - 1]!,
        ...options.buffers,
      },
      {
        inputs: last.inputs,
        weightsOffset: kernel.offset,
        biasOffset: (bias ?? kernel).offset,
        useBias: last.useBias,
        // The head sees only the dropped copy of its input; then its dropout mask dispatch
        // applies the previous activation's derivative (from the undropped output).
        ...(isOnlyLayer || hasInputDropout(last)
          ? { previousActivation: isOnlyLayer ? undefined : 'linear' }
          : {
              previousActivation: hiddenActivation(layers[lastIndex - 1]!),
              previousAlpha: layers[lastIndex - 1]!.alpha,
              previousPreOffset: forward.preActivations[lastIndex - 1]?.offset,
            }),
        slots,
      },
    );
    return [{ kernel: head, stage: (slot, n, offset) => head.stageWindow(n, forward.inputRowOffset(lastIndex, offset), offset, slot) }];
  }

  const { finalActivation } = options;
  const prediction = forward.outputs[lastIndex]!;
  const lossGradient = finalActivation !== 'linear' ? options.scratch('dL/dprediction', rows * last.units) : dz[lastIndex]!;
  const lossKernel = createLossDispatch(
    ctx,
    loss,
    rows,
    last.units,
    { prediction, gradient: lossGradient, ...options.buffers },
    { train: true, slots },
  );
  const steps: StepDispatch[] = [{ kernel: lossKernel, stage: (slot, n, offset) => lossKernel.stageWindow(n, offset, slot) }];
  if (lossGradient !== dz[lastIndex]) {
    // Probability-space loss with a non-linear output: dZ = dL/dP ⊙ act'(P) as its own dispatch.
    const gradient = activationGradient(
      ctx,
      finalActivation,
      rows * last.units,
      { y: prediction, z: forward.preActivations[lastIndex]?.binding, dy: lossGradient, dz: dz[lastIndex]! },
      slots,
      finalActivation === last.activation ? last.alpha : undefined,
    );
    steps.push({ kernel: gradient, stage: (slot, n) => gradient.stageParams({ count: n * last.units }, slot) });
  }
  return steps;
}
