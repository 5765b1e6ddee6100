import { lookup, nonNegative, optionsOf } from './validate.js';
import { show } from '../show.js';

/** Keras's class names of the three L1/L2 regularizers (what serialization writes). */
export type RegularizerClassName = 'L1L2' | 'L1' | 'L2';

/**
 * Keras's L1L2 weight regularizer: adds `l1·Σ|W| + l2·ΣW²` of the layer's kernel to the loss
 * (in training and in evaluation, as Keras does), and its gradient to the kernel's.
 *
 * @example
 * new Dense({ units: 64, activation: 'relu', kernelRegularizer: new L1L2({ l2: 1e-4 }) });
 */
export class L1L2 {
  readonly className: RegularizerClassName = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  /** Keras 3 defaults: l1 = 0, l2 = 0. */
  constructor(options: { readonly l1?: number; readonly l2?: number } = {}) {
    const { l1 = 0, l2 = 0 } = optionsOf(options, 'L1L2');
    this.l1 = nonNegative(l1, 'L1L2 l1');
    this.l2 = nonNegative(l2, 'L1L2 l2');
  }

  /** Keras's get_config(). */
  getConfig(): { l1?: number; l2?: number } {
    if (this.className === 'L1') return { l1: this.l1 };
    if (this.className === 'L2') return { l2: this.l2 };
    return { l1: this.l1, l2: this.l2 };
  }
}

/** Keras's L1 regularizer: `l1·Σ|W|` (default 0.01). */
export class L1 extends L1L2 {
  override readonly className: RegularizerClassName = 'L1';
  constructor(l1 = 0.01) {
    super({ l1: nonNegative(l1, 'L1 l1') });
  }
}

/** Keras's L2 regularizer: `l2·ΣW²` (default 0.01). */
export class L2 extends L1L2 {
  override readonly className: RegularizerClassName = 'L2';
  constructor(l2 = 0.01) {
    super({ l2: nonNegative(l2, 'L2 l2') });
  }
}

/** `keras.regularizers.l1`: an L1 penalty (default 0.01). */
export function l1(value = 0.01): L1 {
  return new L1(value);
}

/** `keras.regularizers.l2`: an L2 penalty (default 0.01). */
export function l2(value = 0.01): L2 {
  return new L2(value);
}

/**
 * `l1_l2`: both penalties, 0.01 each by default (Keras 2's `l1_l2` defaults; Keras 3 aliases
 * `l1_l2` to the L1L2 class, whose defaults are 0).
 */
export function l1l2(options: { readonly l1?: number; readonly l2?: number } = {}): L1L2 {
  const { l1 = 0.01, l2 = 0.01 } = optionsOf(options, 'l1l2');
  return new L1L2({ l1, l2 });
}

/** Regularizer names accepted where a regularizer is expected (0.01 coefficients). */
export type RegularizerName = 'l1' | 'l2' | 'l1_l2';

/** A regularizer instance or name, as Dense's kernelRegularizer takes it. */
export type RegularizerLike = L1L2 | RegularizerName;

const REGULARIZER_BY_NAME: ReadonlyMap<string, () => L1L2> = new Map<RegularizerName, () => L1L2>([
  ['l1', () => l1()],
  ['l2', () => l2()],
  ['l1_l2', () => l1l2()],
]);

/** The regularizer an option names; undefined (or null) stays undefined. */
export function resolveRegularizer(value: RegularizerLike | null | undefined, what: string): L1L2 | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof L1L2) return value;
  return lookup(
    REGULARIZER_BY_NAME,
    value,
    (given) => `${what} must be 'l1', 'l2', 'l1_l2' or a regularizer (L1L2, l1(), l2(), l1l2()), got ${show(given)}.`,
  )();
}
