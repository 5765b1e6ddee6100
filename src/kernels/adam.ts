import adamWgsl from '../../shaders/adam.wgsl';
import gridLib from '../../shaders/lib/grid.wgsl';
import type { GpuContext } from '../gpu/context.js';
import { BoundKernel, linearWorkgroups, type BufferResource } from '../gpu/dispatch.js';
import { composeWgsl, LINEAR_WORKGROUP, LINEAR_WORKGROUP_OVERRIDE, linearEntryPoint, type KernelSpec } from '../gpu/kernel-spec.js';

/** shaders/adam.wgsl: one in-place Adam step over a flat parameter buffer. */
export const ADAM_KERNEL: KernelSpec = {
  name: 'adam',
  source: composeWgsl(gridLib, adamWgsl),
  bindings: [
    { binding: 0, name: 'params', access: 'uniform', type: 'AdamParams' },
    { binding: 1, name: 'theta', access: 'read_write', type: 'array<vec4<f32>>' },
    { binding: 2, name: 'grad', access: 'read', type: 'array<vec4<f32>>' },
    { binding: 3, name: 'm', access: 'read_write', type: 'array<vec4<f32>>' },
    { binding: 4, name: 'v', access: 'read_write', type: 'array<vec4<f32>>' },
  ],
  overrides: LINEAR_WORKGROUP_OVERRIDE,
  entryPoints: { step: linearEntryPoint(['params', 'theta', 'grad', 'm', 'v']) },
};

/** Adam hyperparameters, Keras names and defaults (lr 0.001, β1 0.9, β2 0.999, ε 1e-7). */
export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const ADAM_DEFAULTS: AdamConfig = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Keras's bias-corrected step size for step t (1-based), computed in float64. */
export function adamAlpha(config: AdamConfig, t: number): number {
  return (config.learningRate * Math.sqrt(1 - config.beta2 ** t)) / (1 - config.beta1 ** t);
}

export interface AdamBuffers {
  readonly theta: BufferResource;
  readonly grad: BufferResource;
  readonly m: BufferResource;
  readonly v: BufferResource;
}

/** An Adam dispatch over `count` parameters; each slot holds the step size of one step. */
export class AdamDispatch extends BoundKernel {
  /** Vec4 groups updated per step. */
  private readonly groups: number;

  /**
   * `count` parameters; the kernel works in vec4 groups, so every buffer must hold at least
   * `count` rounded up to a multiple of 4 floats (ParameterBuffers always does).
   */
  constructor(
    ctx: GpuContext,
    readonly count: number,
    buffers: AdamBuffers,
    public config: AdamConfig,
    slots = 1,
  ) {
    const groups = Math.ceil(count / 4);
    super(ctx, ctx.kernels.pipeline(ADAM_KERNEL, 'step'), { ...buffers }, linearWorkgroups(groups, LINEAR_WORKGROUP, ctx.device), slots);
    this.groups = groups;
  }

  /** Writes the uniforms of optimizer step `t` (1-based) for the dispatch at `slot`; see upload(). */
  stageStep(t: number, slot = 0): this {
    const { beta1, beta2, epsilon } = this.config;
    return this.stageParams({ count: this.groups, alpha: adamAlpha(this.config, t), beta1, beta2, epsilon }, slot);
  }

  /** stageStep() and upload of that slot at once. */
  setStep(t: number, slot = 0): this {
    this.stageStep(t, slot);
    this.uniforms.upload(slot, 1);
    return this;
  }
}
