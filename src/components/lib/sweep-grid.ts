/**
 * The variants of a sweep: a grid over two axes of the current model (learning rate × width, or
 * activation × depth), each axis's values picked around the current setting, and which variant
 * did best. Pure functions on the playground's specs; sn-sweep trains what they describe.
 */
import type { MetricName } from './model-config.js';
import { HIDDEN_ACTIVATIONS, type HiddenActivation, type LayerSpec, type SweepPlan, type SweepSettings } from './state.js';

export const SWEEP_PLAN_LABELS: Readonly<Record<SweepPlan, string>> = {
  'lr-width': 'learning rate × width',
  'activation-depth': 'activation × depth',
};

/** Learning rates a sweep steps through, a decade apart (every other entry). */
const RATE_LADDER = [0.00001, 0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1] as const;
/** Hidden-layer widths, ×4 apart (every other entry). */
const WIDTH_LADDER = [2, 4, 8, 16, 32, 64, 128, 256, 512] as const;
const DEPTH_LADDER = [0, 1, 2, 3, 4, 5, 6] as const;
/** Activations in the order a sweep tries them after the current one. */
const ACTIVATION_ORDER: readonly HiddenActivation[] = [
  'relu',
  'tanh',
  'sigmoid',
  'linear',
  'gelu',
  'elu',
  'swish',
  'softplus',
  'leaky_relu',
];
/** The hidden layer a sweep gives a model without one when it varies width, depth or activation. */
const TEMPLATE_LAYER: LayerSpec = { units: 8, activation: 'relu' };

/** What the grid is built around: the current model's hidden layers and learning rate. */
export interface SweepBase {
  readonly layers: readonly LayerSpec[];
  readonly learningRate: number;
}

export interface SweepVariant {
  readonly row: number;
  readonly col: number;
  readonly layers: readonly LayerSpec[];
  readonly learningRate: number;
  /** What differs, e.g. "lr 0.01 · 32 units". */
  readonly label: string;
}

export interface SweepGrid {
  /** The values of the row axis and of the column axis, as shown in the grid's headers. */
  readonly rowLabels: readonly string[];
  readonly colLabels: readonly string[];
  /** Row-major: variant r·cols + c is at row r, column c. */
  readonly variants: readonly SweepVariant[];
}

/**
 * `n` values of `ladder`, `stride` entries apart, around `current` (its nearest entry): the
 * window puts it at position ⌊(n−1)/2⌋ where the ladder's ends allow. Fewer than `n` only
 * when the strided ladder is shorter.
 */
export function ladderWindow(ladder: readonly number[], current: number, n: number, stride: number): number[] {
  let nearest = 0;
  for (let i = 1; i < ladder.length; i++)
    if (
      Math.abs(Math.log(ladder[i]! + 1e-9) - Math.log(current + 1e-9)) <
      Math.abs(Math.log(ladder[nearest]! + 1e-9) - Math.log(current + 1e-9))
    )
      nearest = i;
  const strided = ladder.filter((_, i) => (i - nearest) % stride === 0);
  const position = strided.indexOf(ladder[nearest]!);
  const start = Math.max(0, Math.min(strided.length - n, position - Math.floor((n - 1) / 2)));
  return strided.slice(start, start + n);
}

/** `n` activations: the current one first, then the others in ACTIVATION_ORDER. */
export function activationValues(current: HiddenActivation, n: number): HiddenActivation[] {
  const known = ACTIVATION_ORDER.filter((a) => HIDDEN_ACTIVATIONS.includes(a));
  return [current, ...known.filter((a) => a !== current)].slice(0, n);
}

const hidden = (layers: readonly LayerSpec[]): readonly LayerSpec[] => (layers.length ? layers : [TEMPLATE_LAYER]);

/** Every hidden layer `units` wide (a model without one gets one). */
export function withWidth(layers: readonly LayerSpec[], units: number): LayerSpec[] {
  return hidden(layers).map((layer) => ({ ...layer, units }));
}

/** Every hidden layer with `activation` (a model without one gets one). */
export function withActivation(layers: readonly LayerSpec[], activation: HiddenActivation): LayerSpec[] {
  return hidden(layers).map((layer) => ({ ...layer, activation }));
}

/** `depth` hidden layers, each a copy of the first (0: logistic regression). */
export function withDepth(layers: readonly LayerSpec[], depth: number): LayerSpec[] {
  const template = hidden(layers)[0]!;
  return Array.from({ length: depth }, () => ({ ...template }));
}

const formatRate = (rate: number): string => `lr ${rate}`;
const formatWidth = (units: number): string => `${units} unit${units === 1 ? '' : 's'}`;
const formatDepth = (depth: number): string => (depth === 0 ? 'no hidden layer' : `${depth} layer${depth === 1 ? '' : 's'}`);

/** The grid of variants of `base` under `settings` (rows × cols of them, row-major). */
export function sweepGrid(base: SweepBase, settings: SweepSettings): SweepGrid {
  const layers = hidden(base.layers);
  const variants: SweepVariant[] = [];
  if (settings.plan === 'lr-width') {
    const rates = ladderWindow(RATE_LADDER, base.learningRate, settings.rows, 2);
    const widths = ladderWindow(WIDTH_LADDER, layers[0]!.units, settings.cols, 2);
    rates.forEach((learningRate, row) =>
      widths.forEach((units, col) =>
        variants.push({
          row,
          col,
          layers: withWidth(base.layers, units),
          learningRate,
          label: `${formatRate(learningRate)} · ${formatWidth(units)}`,
        }),
      ),
    );
    return { rowLabels: rates.map(formatRate), colLabels: widths.map(formatWidth), variants };
  }
  const activations = activationValues(layers[0]!.activation, settings.rows);
  const depths = ladderWindow(DEPTH_LADDER, base.layers.length, settings.cols, 1);
  activations.forEach((activation, row) =>
    depths.forEach((depth, col) =>
      variants.push({
        row,
        col,
        layers: withDepth(withActivation(base.layers, activation), depth),
        learningRate: base.learningRate,
        label: `${activation} · ${formatDepth(depth)}`,
      }),
    ),
  );
  return { rowLabels: activations, colLabels: depths.map(formatDepth), variants };
}

/** A trained variant's last values (undefined before its first epoch). */
export interface SweepScore {
  readonly loss: number | undefined;
  /** The task's metric: accuracy (higher is better) or mae (lower is better). */
  readonly metric: number | undefined;
}

/** The last val_ values of a History, or the training ones where there is no validation data. */
export function scoreOf(history: Readonly<Record<string, readonly number[]>>, metric: MetricName): SweepScore {
  const last = (key: string): number | undefined => {
    const values = history[key];
    return values && values.length ? values[values.length - 1] : undefined;
  };
  const validated = last(`val_${metric}`) !== undefined;
  return { loss: last(validated ? 'val_loss' : 'loss'), metric: last(validated ? `val_${metric}` : metric) };
}

/**
 * The index of the best score: highest accuracy (lowest mae), ties to the lower loss; scores
 * without a finite metric never win. -1 when none has one.
 */
export function bestIndex(scores: readonly SweepScore[], metric: MetricName): number {
  const sign = metric === 'mae' ? -1 : 1;
  let best = -1;
  scores.forEach((score, i) => {
    if (score.metric === undefined || !Number.isFinite(score.metric)) return;
    if (best < 0) return void (best = i);
    const other = scores[best]!;
    const diff = sign * (score.metric - other.metric!);
    const lossBetter = (score.loss ?? Infinity) < (other.loss ?? Infinity);
    if (diff > 0 || (diff === 0 && lossBetter)) best = i;
  });
  return best;
}
