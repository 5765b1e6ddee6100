import type { GpuContext } from '../gpu/context.js';
import type { BufferResource } from '../gpu/dispatch.js';
import { slopeNeedsPreActivation, type Activation } from '../spec/activations.js';
import { denseForward, preActivationOffset, type DenseDispatch } from '../kernels/dense.js';
import { dropoutForward, type DropoutDispatch } from '../kernels/dropout.js';
import type { DropoutSpec } from '../spec/dropout.js';
import { hasInputDropout, hiddenActivation, type NetworkShape } from '../spec/network.js';
import type { ParameterBuffers } from './parameters.js';

export interface ForwardChainOptions {
  readonly label: string;
  /** Rows of the largest window this chain computes (scratch buffers are sized for it). */
  readonly rows: number;
  /** The input matrix; windows of it are selected by row offset. */
  readonly input: BufferResource;
  /** Activation of the last layer here: `linear` to produce logits for a fused loss. */
  readonly finalActivation: Activation;
  /** Where the last layer writes (at a row offset), instead of a scratch buffer of its own. */
  readonly output?: GPUBuffer;
  /** Uniform slots: one per dispatch recorded in a single submit. */
  readonly slots: number;
  /** Training: apply every layer's inputDropout (a masked copy of its input); off by default. */
  readonly dropout?: boolean;
  /**
   * Training with a fused output head: the dropout of the head's input (the chain's output,
   * `width` units wide, or the chain's input when the chain is empty).
   */
  readonly headInputDropout?: { readonly spec: DropoutSpec; readonly width: number };
  /**
   * Keep the pre-activations of layers whose derivative needs them (gelu, swish), for a
   * backward pass; other layers are unaffected. Not with `output`.
   */
  readonly storePreActivations?: boolean;
}

/**
 * The forward pass of a network as one dense dispatch per layer (bias and activation fused),
 * each layer writing a scratch buffer that the next reads and the backward pass reuses.
 */
export class ForwardChain {
  readonly kernels: readonly DenseDispatch[];
  /** Each layer's output buffer ([rows × units]); the last may be the caller's `output`. */
  readonly outputs: readonly GPUBuffer[];
  /**
   * Per layer (plus one for a fused head's input), the dropout dispatch writing the masked
   * copy of its input, or undefined without dropout there.
   */
  readonly dropouts: readonly (DropoutDispatch | undefined)[];
  /** The masked copy each layer (and the head, last) reads instead of its input, if any. */
  readonly droppedInputs: readonly (GPUBuffer | undefined)[];
  /**
   * With storePreActivations, for each gelu or swish layer: its pre-activations [rows × units],
   * kept in the same buffer as its output from float `offset` on (one buffer, so the fused
   * output head reads both through one binding), and that range as a binding of its own.
   */
  readonly preActivations: readonly ({ readonly offset: number; readonly binding: GPUBufferBinding } | undefined)[];
  /**
   * What each layer read (and, last, what a fused head reads): its masked copy under dropout,
   * else the previous layer's output or the chain's input.
   */
  readonly inputs: readonly BufferResource[];
  private readonly owned: GPUBuffer[] = [];

  constructor(
    private readonly ctx: GpuContext,
    network: NetworkShape,
    parameters: ParameterBuffers,
    options: ForwardChainOptions,
  ) {
    const kernels: DenseDispatch[] = [];
    const outputs: GPUBuffer[] = [];
    const dropouts: (DropoutDispatch | undefined)[] = [];
    const droppedInputs: (GPUBuffer | undefined)[] = [];
    const preActivations: ({ offset: number; binding: GPUBufferBinding } | undefined)[] = [];
    const inputs: BufferResource[] = [];
    let input = options.input;
    // The masked copy of `input` (width units) that the next consumer reads instead.
    const addDropout = (spec: DropoutSpec | undefined, width: number, index: number): void => {
      if (!spec) {
        dropouts.push(undefined);
        droppedInputs.push(undefined);
        return;
      }
      const dropped = ctx.createStorage(`${options.label} layer${index} dropped input`, options.rows * width);
      this.owned.push(dropped);
      dropouts.push(dropoutForward(ctx, options.rows, width, spec, { source: input, dropped }, options.slots));
      droppedInputs.push(dropped);
      input = dropped;
    };
    network.layers.forEach((layer, index) => {
      addDropout(options.dropout && hasInputDropout(layer) ? layer.inputDropout : undefined, layer.inputs, index);
      inputs.push(input);
      const isLast = index === network.layers.length - 1;
      const activation = isLast ? options.finalActivation : hiddenActivation(layer);
      const count = options.rows * layer.units;
      const preOffset =
        options.storePreActivations && slopeNeedsPreActivation(activation) ? preActivationOffset(options.rows, layer.units) : undefined;
      let output: GPUBuffer;
      if (isLast && options.output) {
        if (preOffset !== undefined) throw new Error('ForwardChain: storePreActivations cannot write into a caller-provided output.');
        output = options.output;
      } else {
        output = ctx.createStorage(`${options.label} layer${index} output`, preOffset === undefined ? count : preOffset + count);
        this.owned.push(output);
      }
      preActivations.push(
        preOffset === undefined ? undefined : { offset: preOffset, binding: { buffer: output, offset: preOffset * 4, size: count * 4 } },
      );
      const { kernel: weights, bias } = parameters.layer(index);
      kernels.push(
        denseForward(
          ctx,
          { rows: options.rows, inputs: layer.inputs, units: layer.units },
          {
            x: input,
            weights: parameters.binding(parameters.values, weights),
            // A layer without bias never reads it (USE_BIAS = false); any valid slice will do.
            bias: parameters.binding(parameters.values, bias ?? weights),
            y: output,
          },
          {
            activation,
            // A final activation other than the layer's own (linear logits) has no parameter.
            ...(activation === layer.activation && layer.alpha !== undefined ? { alpha: layer.alpha } : {}),
            useBias: layer.useBias,
            slots: options.slots,
            ...(preOffset === undefined ? {} : { preOffset }),
          },
        ),
      );
      outputs.push(output);
      input = output;
    });
    const head = options.headInputDropout;
    addDropout(head && head.spec.rate > 0 ? head.spec : undefined, head?.width ?? 0, network.layers.length);
    inputs.push(input);
    this.kernels = kernels;
    this.outputs = outputs;
    this.dropouts = dropouts;
    this.droppedInputs = droppedInputs;
    this.preActivations = preActivations;
    this.inputs = inputs;
  }

  /**
   * The row at which layer i reads its input, for a window at row `offset` of the chain's input:
   * only the first layer without dropout reads the input window in place (a masked copy starts at 0).
   */
  inputRowOffset(i: number, offset: number): number {
    return i === 0 && !this.droppedInputs[0] ? offset : 0;
  }

  /** Dispatches encode() records per window. */
  get dispatches(): number {
    return this.kernels.length + this.dropouts.filter((d) => d !== undefined).length;
  }

  /**
   * Sets the window computed at `slot`: `rows` rows of the input from `inputRowOffset`; the
   * last layer writes at `outputRowOffset` (nonzero only with a caller-provided output).
   * `step`: the optimizer step whose dropout masks apply (training).
   */
  setWindow(slot: number, rows: number, inputRowOffset: number, outputRowOffset = 0, step = 0): void {
    this.kernels.forEach((kernel, index) => {
      const isFirst = index === 0;
      const isLast = index === this.kernels.length - 1;
      // A masked copy starts at row 0; the dataset window is read by its dropout instead.
      const xRowOffset = isFirst && !this.dropouts[0] ? inputRowOffset : 0;
      kernel.stageWindow({ rows, xRowOffset, yRowOffset: isLast ? outputRowOffset : 0 }, slot);
    });
    this.dropouts.forEach((dropout, index) =>
      dropout?.stageWindow({ rows, step, sourceRowOffset: index === 0 ? inputRowOffset : 0 }, slot),
    );
  }

  /** Sends slots [0, count) of every layer's uniforms to the GPU. */
  upload(count?: number): void {
    for (const kernel of this.kernels) kernel.upload(count);
    for (const dropout of this.dropouts) dropout?.upload(count);
  }

  encode(pass: GPUComputePassEncoder, slot: number): number {
    this.kernels.forEach((kernel, index) => {
      this.dropouts[index]?.encode(pass, slot);
      kernel.encode(pass, slot);
    });
    this.dropouts[this.kernels.length]?.encode(pass, slot);
    return this.dispatches;
  }

  dispose(): void {
    for (const kernel of this.kernels) kernel.dispose();
    for (const dropout of this.dropouts) dropout?.dispose();
    for (const buffer of this.owned) this.ctx.destroyBuffer(buffer);
  }
}
