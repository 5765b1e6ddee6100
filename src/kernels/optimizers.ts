import { adamAlpha, learningRateAt, type OptimizerConfig } from '../spec/optimizer.js';
import { UnsupportedError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import type { EntryPointName } from '../gpu/kernel-spec.js';
import { OPTIMIZERS_KERNEL as OPTIMIZER_KERNEL } from './generated/optimizers.js';

// Spec generated from shaders/optimizers.wgsl: one in-place optimizer step over a flat parameter buffer.
export { OPTIMIZER_KERNEL };

/**
 * The entry point of a configuration. What the two state slots hold: SGD m = velocity;
 * RMSprop v = mean square, m = momentum or (centered) mean gradient; Adagrad v = accumulator −
 * initial value; Adam(W) m, v = the moments.
 */
export function optimizerEntryPoint(config: OptimizerConfig): EntryPointName<typeof OPTIMIZER_KERNEL> {
  switch (config.name) {
    case 'sgd':
      return config.momentum === 0 ? 'sgd' : config.nesterov ? 'sgd_nesterov' : 'sgd_momentum';
    case 'rmsprop':
      if (config.centered && config.momentum > 0) {
        // Keras keeps a third slot for this combination; the flat parameter buffers have two.
        throw new UnsupportedError(
          'RMSprop with centered: true and momentum > 0 is not supported (it needs a third state slot); use one or the other.',
        );
      }
      return config.centered ? 'rmsprop_centered' : config.momentum > 0 ? 'rmsprop_momentum' : 'rmsprop';
    default:
      return config.name;
  }
}

/** The uniform values of optimizer step `t` (1-based): the learning rate as of t − 1 steps. */
export function optimizerUniforms(config: OptimizerConfig, t: number, groups: number, partials = 1): Record<string, number> {
  const lr = learningRateAt(config.learningRate, t - 1);
  const base = {
    count: groups,
    step_size: lr,
    momentum: 0,
    rho: 0,
    beta1: 0,
    beta2: 0,
    epsilon: 0,
    initial_accumulator: 0,
    decay: 0,
    partials,
    partial_stride: groups,
  };
  switch (config.name) {
    case 'sgd':
      return { ...base, momentum: config.momentum };
    case 'rmsprop':
      return { ...base, momentum: config.momentum, rho: config.rho, epsilon: config.epsilon };
    case 'adagrad':
      return { ...base, epsilon: config.epsilon, initial_accumulator: config.initialAccumulatorValue };
    case 'adam':
    case 'adamw': {
      const decay = config.name === 'adamw' ? lr * config.weightDecay : 0;
      return { ...base, step_size: adamAlpha(config, t), beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon, decay };
    }
  }
}

export interface OptimizerBuffers {
  readonly theta: BufferResource;
  /** The gradient: `partials` slices of `count` (rounded up to vec4s) floats each, summed in order. */
  readonly grad: BufferResource;
  readonly m: BufferResource;
  readonly v: BufferResource;
}

/**
 * An optimizer dispatch over `count` parameters; each uniform slot holds one step's values
 * (learning rate from the schedule, Adam's bias correction), so an epoch of steps is one submit.
 */
export class OptimizerDispatch extends BoundKernel {
  /** Vec4 groups updated per step. */
  private readonly groups: number;
  private config: OptimizerConfig;

  /**
   * `count` parameters; the kernel works in vec4 groups, so every buffer must hold at least
   * `count` rounded up to a multiple of 4 floats (ParameterBuffers always does), and `grad`
   * `partials` times that (one slice per workgroup of the fused MLP step; 1 otherwise).
   */
  constructor(
    ctx: GpuContext,
    readonly count: number,
    buffers: OptimizerBuffers,
    config: OptimizerConfig,
    slots = 1,
    private readonly partials = 1,
  ) {
    const groups = Math.ceil(count / 4);
    const pipeline = ctx.kernels.pipeline(OPTIMIZER_KERNEL, optimizerEntryPoint(config));
    const used = Object.fromEntries(Object.entries(buffers).filter(([name]) => pipeline.bindings.has(name)));
    super(ctx, pipeline, used, linearWorkgroups(groups, pipeline.workgroupSize[0], ctx.device), slots);
    this.groups = groups;
    this.config = config;
  }

  get optimizer(): OptimizerConfig {
    return this.config;
  }

  /**
   * New hyperparameters (e.g. a live learning-rate change) for the steps staged from now on.
   * Only the learning rate and values of the same entry point can change without a rebuild.
   */
  set optimizer(config: OptimizerConfig) {
    const entry = optimizerEntryPoint(config);
    if (entry !== optimizerEntryPoint(this.config)) {
      throw new UnsupportedError(
        `Cannot switch a compiled optimizer step from '${optimizerEntryPoint(this.config)}' to '${entry}'; compile again.`,
      );
    }
    this.config = config;
  }

  /** Writes the uniforms of optimizer step `t` (1-based) for the dispatch at `slot`; see upload(). */
  stageStep(t: number, slot = 0): this {
    return this.stageParams(optimizerUniforms(this.config, t, this.groups, this.partials), slot);
  }

  /** stageStep() and upload of that slot at once. */
  setStep(t: number, slot = 0): this {
    this.stageStep(t, slot);
    this.uniforms.upload(slot, 1);
    return this;
  }
}
