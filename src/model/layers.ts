import { ShapeError, ValueError } from '../errors.js';
import { ACTIVATIONS, hasAlpha, resolveAlpha, type Activation } from '../kernels/activations.js';
import { resolveInitializer, type InitializerName } from './initializers.js';

/** Options of a Dense layer; names and defaults are Keras's. */
export interface DenseOptions {
  /** Number of output units (≥ 1). */
  readonly units: number;
  /**
   * One of linear (default, like Keras's None), relu, sigmoid, tanh, leaky_relu, elu, gelu
   * (Keras's default exact form, z·Φ(z)), softplus, swish.
   */
  readonly activation?: Activation;
  /**
   * The activation's parameter, for leaky_relu (negative slope, default 0.2 as
   * keras.activations.leaky_relu) and elu (default 1.0) only: a finite number ≥ 0. Keras's
   * Dense has no such option (its string activations use the defaults); shadernet adds it.
   */
  readonly alpha?: number;
  /** Input features, on the first layer only (Keras's input_dim). */
  readonly inputDim?: number;
  /** `[features]`, the same as inputDim (Keras's input_shape). */
  readonly inputShape?: readonly number[];
  /** Add a bias vector (default true). */
  readonly useBias?: boolean;
  /** Kernel initializer (default glorotUniform). */
  readonly kernelInitializer?: InitializerName | string;
  /** Bias initializer (default zeros). */
  readonly biasInitializer?: InitializerName | string;
  /** Layer name; Keras-style `dense`, `dense_1`, ... when omitted. */
  readonly name?: string;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${what} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * A fully connected layer: `output = activation(input · kernel + bias)`, kernel of shape
 * [inputs, units] (Keras's layout). Runs as one fused GPU dispatch (matmul, bias, activation).
 *
 * @example
 * model.add(new Dense({ units: 128, activation: 'relu', inputDim: 2 }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 */
export class Dense {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: Activation;
  /** leaky_relu's / elu's parameter (the given value or the default); undefined for other activations. */
  readonly alpha: number | undefined;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  /** Input features if declared on the layer (first layer of a model). */
  readonly inputDim: number | undefined;
  /** Set by the model when the layer is added (if not given). */
  name: string | undefined;

  constructor(options: DenseOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ValueError('Dense needs an options object, e.g. new Dense({ units: 8, activation: "relu" }).');
    }
    this.units = positiveInteger(options.units, 'Dense units');
    const activation = options.activation ?? 'linear';
    if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
      throw new ValueError(`Unknown activation '${String(activation)}'; expected one of: ${ACTIVATIONS.join(', ')}.`);
    }
    this.activation = activation;
    // Rejects an alpha for an activation without one, and non-finite or negative values.
    const alpha = resolveAlpha(activation, options.alpha, 'Dense alpha');
    this.alpha = hasAlpha(activation) ? alpha : undefined;
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorotUniform', 'kernelInitializer');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros', 'biasInitializer');
    if (options.inputShape !== undefined) {
      if (!Array.isArray(options.inputShape) || options.inputShape.length !== 1) {
        throw new ShapeError(`Dense inputShape must be [features] (one dimension), got ${JSON.stringify(options.inputShape)}.`);
      }
      const fromShape = positiveInteger(options.inputShape[0], 'Dense inputShape[0]');
      if (options.inputDim !== undefined && options.inputDim !== fromShape) {
        throw new ShapeError(`Dense inputDim ${options.inputDim} contradicts inputShape [${fromShape}].`);
      }
      this.inputDim = fromShape;
    } else {
      this.inputDim = options.inputDim === undefined ? undefined : positiveInteger(options.inputDim, 'Dense inputDim');
    }
    this.name = options.name;
  }

  /** Trainable parameters for `inputs` input features. */
  countParams(inputs: number): number {
    return inputs * this.units + (this.useBias ? this.units : 0);
  }
}
