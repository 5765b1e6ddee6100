import { ShapeError, ValueError } from '../errors.js';
import type { LayerActivation } from '../spec/network.js';
import { ACTIVATIONS, hasAlpha, resolveAlpha } from '../spec/activations.js';
import { resolveInitializer, type InitializerName } from './initializers.js';
import { checkWidth } from './limits.js';
import { resolveRegularizer, type L1L2, type RegularizerLike } from './regularizers.js';
import { boolean, finiteNumber, lookup, positiveInteger, quoted, seed } from './validate.js';
import { checkName, layerNameLimit } from './io/names.js';
import { show } from '../show.js';

/** Options of a Dense layer; names and defaults are Keras's. `units` is required (or Keras 1's `outputDim`). */
export type DenseOptions = DenseLayerOptions &
  (
    | {
        /** Number of output units (≥ 1, ≤ 65,536). */
        readonly units: number;
        /** Keras 1's `output_dim`, an alias of units (noted once as deprecated); if both are given they must agree. */
        readonly outputDim?: number;
      }
    | { readonly units?: undefined; readonly outputDim: number }
  );

/** Options of a Dense layer besides its units. */
export interface DenseLayerOptions {
  /**
   * One of linear (default, like Keras's None), relu, sigmoid, tanh, leaky_relu, elu, gelu
   * (Keras's default exact form, z·Φ(z)), softplus, swish, or softmax (output layer only).
   */
  readonly activation?: LayerActivation;
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
  /** Penalty on the kernel: 'l1', 'l2', 'l1_l2' (0.01 each) or L1L2/l1()/l2()/l1l2() (default none). */
  readonly kernelRegularizer?: RegularizerLike | null;
  /** Layer name; Keras-style `dense`, `dense_1`, ... when omitted. */
  readonly name?: string;
}

/** Every activation a Dense layer takes: the elementwise ones, and softmax (output layer only). */
export const LAYER_ACTIVATIONS: readonly LayerActivation[] = [...ACTIVATIONS, 'softmax'];
const ACTIVATION_BY_NAME: ReadonlyMap<string, LayerActivation> = new Map(LAYER_ACTIVATIONS.map((name) => [name, name]));

/** A width (units, input features): a positive integer within SIZE_LIMITS.units. */
const width = (value: unknown, what: string): number => checkWidth(positiveInteger(value, what), what);

let outputDimNoticeShown = false;

/**
 * Dense's units, from `units` or Keras 1's `outputDim` (`output_dim`), which the Keras
 * tutorials of that era use; Keras 2 renamed it and warned once, as this does.
 */
function unitsOf(options: { readonly units?: unknown; readonly outputDim?: unknown }): number {
  const { units, outputDim } = options;
  if (outputDim === undefined) return width(units, 'Dense units');
  const alias = width(outputDim, 'Dense outputDim');
  if (units !== undefined && units !== alias) {
    throw new ValueError(`Dense got units ${show(units)} and outputDim ${alias}; outputDim is an alias of units: give one.`);
  }
  if (!outputDimNoticeShown) {
    outputDimNoticeShown = true;
    console.warn(
      "shadernet: Dense outputDim is Keras 1's name for units (output_dim); it is accepted as an alias. Use units, as Keras 2 and 3 do.",
    );
  }
  return alias;
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
  readonly activation: LayerActivation;
  /** leaky_relu's / elu's parameter (the given value or the default); undefined for other activations. */
  readonly alpha: number | undefined;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly kernelRegularizer: L1L2 | undefined;
  /** Input features if declared on the layer (first layer of a model). */
  readonly inputDim: number | undefined;
  /** Set by the model when the layer is added (if not given). */
  name: string | undefined;

  constructor(options: DenseOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ValueError('Dense needs an options object, e.g. new Dense({ units: 8, activation: "relu" }).');
    }
    this.units = unitsOf(options);
    const activation = lookup(
      ACTIVATION_BY_NAME,
      options.activation ?? 'linear',
      (given) => `Unknown activation ${quoted(given)}; expected one of: ${LAYER_ACTIVATIONS.join(', ')}.`,
    );
    this.activation = activation;
    // Rejects an alpha for an activation without one, and non-finite or negative values.
    const alpha = resolveAlpha(activation, options.alpha, 'Dense alpha');
    this.alpha = hasAlpha(activation) ? alpha : undefined;
    this.useBias = boolean(options.useBias ?? true, 'Dense useBias');
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorotUniform', 'kernelInitializer');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros', 'biasInitializer');
    this.kernelRegularizer = resolveRegularizer(options.kernelRegularizer, 'Dense kernelRegularizer');
    if (options.inputShape !== undefined) {
      if (!Array.isArray(options.inputShape) || options.inputShape.length !== 1) {
        const given: unknown = options.inputShape;
        throw new ShapeError(
          `Dense inputShape must be [features] (one dimension), got ${Array.isArray(given) ? `[${given.map((item) => show(item)).join(', ')}]` : show(given)}.`,
        );
      }
      const fromShape = width(options.inputShape[0], 'Dense inputShape[0]');
      if (options.inputDim !== undefined && options.inputDim !== fromShape) {
        throw new ShapeError(`Dense inputDim ${show(options.inputDim)} contradicts inputShape [${fromShape}].`);
      }
      this.inputDim = fromShape;
    } else {
      this.inputDim = options.inputDim === undefined ? undefined : width(options.inputDim, 'Dense inputDim');
    }
    this.name = options.name === undefined ? undefined : checkName(options.name, 'Dense name', layerNameLimit);
  }

  /** Trainable parameters for `inputs` input features. */
  countParams(inputs: number): number {
    return inputs * this.units + (this.useBias ? this.units : 0);
  }
}

/** Options of a Dropout layer; names are Keras's. */
export interface DropoutOptions {
  /** Fraction of the inputs to drop, in [0, 1). */
  readonly rate: number;
  /** Seed of the masks; derived from the model's seed when omitted (deterministic). */
  readonly seed?: number;
  /** Layer name; Keras-style `dropout`, `dropout_1`, ... when omitted. */
  readonly name?: string;
}

/**
 * Keras's Dropout: in training, each input is zeroed with probability `rate` and the rest are
 * scaled by 1/(1 − rate) (inverted dropout); in predict and evaluate it passes inputs through.
 * Runs as one mask dispatch forward and one backward (the mask is a hash of seed, step, row
 * and unit, never stored). It must be followed by a Dense layer; consecutive Dropouts act as
 * one whose keep probability is the product of theirs.
 *
 * @example
 * model.add(new Dense({ units: 128, activation: 'relu', inputDim: 2 }));
 * model.add(new Dropout({ rate: 0.2 }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 */
export class Dropout {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number | undefined;
  /** Set by the model when the layer is added (if not given). */
  name: string | undefined;

  constructor(options: DropoutOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ValueError('Dropout needs an options object, e.g. new Dropout({ rate: 0.2 }).');
    }
    this.rate = finiteNumber(options.rate, 'Dropout rate', { min: 0, max: 1, maxOpen: true });
    this.seed = options.seed === undefined ? undefined : seed(options.seed, 'Dropout seed');
    this.name = options.name === undefined ? undefined : checkName(options.name, 'Dropout name', layerNameLimit);
  }

  /** Dropout has no weights. */
  countParams(): number {
    return 0;
  }
}

/** Any layer a Sequential model takes. */
export type Layer = Dense | Dropout;
