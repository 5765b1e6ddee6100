import { RAW_FEATURES, type FeatureName } from '../../data/features.js';

/**
 * Everything the playground can be set to (the page model): its defaults and limits, and the
 * tutorial presets. Its URL form is in url-codec.ts.
 */
export const DATASET_KINDS = ['circles', 'moons', 'xor', 'spiral', 'gaussian', 'spirals', 'blobs', 'surface', 'csv'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export const DATASET_LABELS: Readonly<Record<DatasetKind, string>> = {
  circles: 'Circles (make_circles)',
  moons: 'Moons (make_moons)',
  xor: 'Exclusive or',
  spiral: 'Spiral',
  gaussian: 'Two Gaussians',
  spirals: 'k-class spirals',
  blobs: 'Blobs (make_blobs)',
  surface: 'Regression surface',
  csv: 'Your data (CSV)',
};

/**
 * What a model learns from the data: P(class 1) of two classes, one of k classes, or a real
 * value. It decides the output layer, the loss, the metrics, the colours and the legend.
 */
export type Task = 'binary' | 'multiclass' | 'regression';
export const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];

/** Activations of hidden layers the builder offers (softmax is an output activation only). */
export const HIDDEN_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'leaky_relu', 'elu', 'gelu', 'softplus', 'swish'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

/** Kernel regularization of a hidden layer: Keras's L1(factor) or L2(factor). */
export interface RegularizerSpec {
  readonly kind: 'l1' | 'l2';
  readonly factor: number;
}

export const REGULARIZER_FACTORS = [0.00001, 0.0001, 0.001, 0.01, 0.1] as const;
export const DROPOUT_RATES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

/** The optimizers of the playground; `momentum` is Keras's SGD with `momentum` > 0. */
export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adagrad', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const OPTIMIZER_LABELS: Readonly<Record<OptimizerName, string>> = {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adam: 'Adam',
  adamw: 'AdamW',
};

export interface OptimizerSpec {
  readonly name: OptimizerName;
  /** SGD + momentum only (Keras's `momentum`). */
  readonly momentum: number;
  /** AdamW only (Keras's `weight_decay`, default 0.004). */
  readonly weightDecay: number;
}

/** Learning-rate schedules; `step` is Keras's ExponentialDecay with `staircase: true`. */
export const SCHEDULES = ['constant', 'exponential', 'step', 'cosine'] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];
export const SCHEDULE_LABELS: Readonly<Record<ScheduleKind, string>> = {
  constant: 'Constant',
  exponential: 'Exponential decay',
  step: 'Step decay (staircase)',
  cosine: 'Cosine decay',
};

export interface ScheduleSpec {
  readonly kind: ScheduleKind;
  /** Optimizer steps (batches) per decay period (Keras's `decay_steps`). */
  readonly decaySteps: number;
  /** Exponential and step decay: the factor per period (Keras's `decay_rate`). */
  readonly decayRate: number;
  /** Cosine decay: the final learning rate as a fraction of the initial one (Keras's `alpha`). */
  readonly alpha: number;
}

/** How the base points are made: a generator and its options, or a CSV (kind 'csv'). */
export interface DatasetSpec {
  readonly kind: DatasetKind;
  readonly nSamples: number;
  /** make_circles/make_moons: Gaussian σ; Playground sets: the noise slider / 100. Both 0–0.5. */
  readonly noise: number;
  /** make_circles only: inner radius / outer radius. */
  readonly factor: number;
  /** Seed of the generator (and of the shuffle of CSV rows before the split). */
  readonly seed: number;
  /** Fraction of the points, taken from the end as Keras does, used for validation. */
  readonly validationRatio: number;
  /** k-class spirals: arms; blobs: centres; a CSV of classes: the class count. */
  readonly classes: number;
  /** Blobs only: the standard deviation of every cluster (make_blobs's `cluster_std`). */
  readonly clusterStd: number;
  /** CSV only: what its third column is (class indices 0…k−1, or real values). */
  readonly csvTask: Task;
}

export interface LayerSpec {
  readonly units: number;
  readonly activation: HiddenActivation;
  /** Dropout rate applied to this layer's output in training (0 or absent: none). */
  readonly dropout?: number;
  /** Kernel regularization (absent: none). */
  readonly regularizer?: RegularizerSpec;
}

/**
 * A point of the plane with its target: a class index 0…k−1 (0 or 1 for the binary sets), or
 * a real value for regression.
 */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly label: number;
}

/** The pairs of axes a sweep can cross: rows × columns (see sweep-grid.ts). */
export const SWEEP_PLANS = ['lr-width', 'activation-depth'] as const;
export type SweepPlan = (typeof SWEEP_PLANS)[number];
/** Values per sweep axis: 2 to 4, so a sweep trains 4 to 16 models. */
export const SWEEP_SIZES = [2, 3, 4] as const;
/** Epochs a sweep can train each variant (finite: a sweep ends, so that its variants can be compared). */
export const SWEEP_EPOCHS = [1, 2, 5, 10, 20, 50, 100] as const;

/** A sweep's grid: which axes, and how many values on each (rows × columns). */
export interface SweepSettings {
  readonly plan: SweepPlan;
  readonly rows: number;
  readonly cols: number;
}

/** Sweep mode as the playground keeps it (and a link carries it): the grid and the epochs of each variant. */
export interface SweepSpec extends SweepSettings {
  readonly epochs: number;
}

export const DEFAULT_SWEEP: SweepSpec = { plan: 'lr-width', rows: 2, cols: 2, epochs: 10 };

/** One model of compare mode: its hidden layers and how many epochs it trains (Infinity: until paused). */
export interface CompareEntry {
  readonly layers: readonly LayerSpec[];
  readonly epochs: number;
}

export interface PlaygroundState {
  readonly dataset: DatasetSpec;
  /** The CSV's points when dataset.kind is 'csv'. */
  readonly custom: readonly Point[] | undefined;
  /** Points added by clicking; they join the training set. */
  readonly added: readonly Point[];
  /** Indices into the base points (generated or CSV) removed by clicking. */
  readonly removed: readonly number[];
  /** Input features the models take (canonical order, at least one); RAW_FEATURES is (x₁, x₂). */
  readonly features: readonly FeatureName[];
  /** Hidden layers; the output layer follows from the task (see model-config.ts). */
  readonly layers: readonly LayerSpec[];
  /** What play trains up to: LIMITS.epochs, or Infinity (until paused). */
  readonly epochs: number;
  readonly batchSize: number;
  /** The (initial, with a schedule) learning rate. */
  readonly learningRate: number;
  readonly optimizer: OptimizerSpec;
  readonly schedule: ScheduleSpec;
  /** Seed of the weight initializers and of the per-epoch shuffles. */
  readonly seed: number;
  readonly discretize: boolean;
  readonly threshold: number;
  readonly showTraining: boolean;
  readonly showValidation: boolean;
  /** Train in a Web Worker (where the browser has WebGPU in workers), else on the page's thread. */
  readonly worker: boolean;
  /** The models of compare mode; undefined = single-model mode. */
  readonly compare: readonly CompareEntry[] | undefined;
  /** Sweep mode's grid (the single model waits, paused, meanwhile); undefined = not in sweep mode. Never with `compare`. */
  readonly sweep: SweepSpec | undefined;
}

export const LIMITS = {
  samples: [20, 10_000],
  noise: [0, 0.5],
  factor: [0, 0.99],
  validationRatio: [0.1, 0.9],
  seed: [0, 2 ** 32 - 1],
  hiddenLayers: 8,
  units: [1, 512],
  epochs: [1, 1000],
  batchSize: [1, 4096],
  learningRate: [1e-6, 10],
  threshold: [0.01, 0.99],
  /** Classes of the k-class spirals, blobs, and a CSV of classes. */
  spiralClasses: [3, 5],
  blobCenters: [2, 6],
  csvClasses: [2, 6],
  clusterStd: [0.1, 5],
  dropout: [0, 0.9],
  regularizer: [1e-6, 1],
  momentum: [0, 0.99],
  weightDecay: [0, 1],
  decaySteps: [1, 1_000_000],
  decayRate: [0.01, 1],
  cosineAlpha: [0, 1],
  /** Largest |target| of a regression point from a CSV, a link or a click. */
  value: 1e6,
  /** Points (added + CSV) a link may carry. */
  urlPoints: 2000,
  /** Removed-point indices a link may carry. */
  urlRemoved: 2000,
  /** Characters of a location hash we agree to parse. */
  hash: 100_000,
  compare: 4,
  csvBytes: 1_000_000,
  csvRows: [10, 20_000],
  /** Largest |coordinate| accepted from a CSV or a link. */
  coordinate: 1e6,
} as const;

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] as const;
/** The epochs choices; Infinity trains until paused. */
export const EPOCH_CHOICES = [Infinity, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

/** "10", or "∞" for training until paused. */
export function formatEpochs(epochs: number): string {
  return Number.isFinite(epochs) ? String(epochs) : '∞';
}

/** The Keras tutorial's data: make_circles(5000, factor=0.3, noise=0.05), 4000/1000 split. */
export const TUTORIAL_DATASET: DatasetSpec = {
  kind: 'circles',
  nSamples: 5000,
  noise: 0.05,
  factor: 0.3,
  seed: 0,
  validationRatio: 0.2,
  classes: 3,
  clusterStd: 1,
  csvTask: 'binary',
};

/** The task of a dataset spec. */
export function taskOf(spec: DatasetSpec): Task {
  switch (spec.kind) {
    case 'spirals':
    case 'blobs':
      return 'multiclass';
    case 'surface':
      return 'regression';
    case 'csv':
      return spec.csvTask;
    default:
      return 'binary';
  }
}

/** Classes a model of this spec predicts: k for multi-class, 2 for binary, 1 (a value) for regression. */
export function classCount(spec: DatasetSpec): number {
  const task = taskOf(spec);
  return task === 'multiclass' ? spec.classes : task === 'binary' ? 2 : 1;
}

/** The allowed class counts of a kind of multi-class data. */
export function classLimits(kind: DatasetKind): readonly [number, number] {
  return kind === 'spirals' ? LIMITS.spiralClasses : kind === 'blobs' ? LIMITS.blobCenters : LIMITS.csvClasses;
}

/** The spec for another kind of data: the other settings are kept, the class count clamped to the kind's range. */
export function withKind(spec: DatasetSpec, kind: DatasetKind): DatasetSpec {
  const [lo, hi] = classLimits(kind);
  return { ...spec, kind, classes: Math.min(hi, Math.max(lo, spec.classes)) };
}

/** Whether `label` is a valid target of a point for the task (k classes for multi-class). */
export function validLabel(label: number, task: Task, classes: number): boolean {
  if (task === 'regression') return Number.isFinite(label) && Math.abs(label) <= LIMITS.value;
  const k = task === 'binary' ? 2 : classes;
  return Number.isInteger(label) && label >= 0 && label < k;
}

/** The class a shift-click adds: the other class of two, the next of k; regression keeps the value. */
export function alternateLabel(label: number, task: Task, classes: number): number {
  if (task === 'regression') return label;
  const k = task === 'binary' ? 2 : classes;
  return (label + 1) % k;
}

export const DEFAULT_OPTIMIZER: OptimizerSpec = { name: 'adam', momentum: 0.9, weightDecay: 0.004 };
export const DEFAULT_SCHEDULE: ScheduleSpec = { kind: 'constant', decaySteps: 1000, decayRate: 0.9, alpha: 0 };

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly layers: readonly LayerSpec[];
  readonly epochs: number;
}

const relu = (units: number): LayerSpec => ({ units, activation: 'relu' });

/** The tutorial's four models (Adam, batch 32, on TUTORIAL_DATASET). */
export const PRESETS: readonly Preset[] = [
  {
    id: 'logreg',
    label: 'Logistic regression',
    description: 'Dense(1, sigmoid), 1 epoch: a straight line cannot separate two circles.',
    layers: [],
    epochs: 1,
  },
  {
    id: 'mlp5',
    label: 'MLP, 5 hidden units',
    description: 'Dense(5, relu) → Dense(1, sigmoid), 20 epochs.',
    layers: [relu(5)],
    epochs: 20,
  },
  {
    id: 'mlp128',
    label: 'MLP, 128 hidden units',
    description: 'Dense(128, relu) → Dense(1, sigmoid), 10 epochs.',
    layers: [relu(128)],
    epochs: 10,
  },
  {
    id: 'mlp2x128',
    label: 'MLP, 2×128',
    description: 'Dense(128, relu) ×2 → Dense(1, sigmoid), 10 epochs.',
    layers: [relu(128), relu(128)],
    epochs: 10,
  },
];

export const DEFAULT_STATE: PlaygroundState = {
  dataset: TUTORIAL_DATASET,
  custom: undefined,
  added: [],
  removed: [],
  features: RAW_FEATURES,
  layers: [relu(128)],
  // Free play trains until paused; the presets keep the tutorial's epochs.
  epochs: Infinity,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: DEFAULT_OPTIMIZER,
  schedule: DEFAULT_SCHEDULE,
  seed: 0,
  discretize: false,
  threshold: 0.5,
  showTraining: true,
  showValidation: true,
  worker: true,
  compare: undefined,
  sweep: undefined,
};

/** The model a kind of data starts with: hidden layers and learning rate. */
export interface DatasetModel {
  readonly layers: readonly LayerSpec[];
  readonly learningRate: number;
  /** Epochs in which it reaches its accuracy on the default data (checked by a unit test). */
  readonly epochs: number;
}

/**
 * The tutorial's MLP suits every kind of data but the spiral, whose two interleaved arms a
 * single ReLU layer at lr 0.001 only gets ~69 % right in 10 epochs: two tanh layers at a
 * higher rate bend around the arms (≥ 90 % validation accuracy).
 */
export function datasetModel(kind: DatasetKind): DatasetModel {
  if (kind === 'spiral')
    return {
      layers: [
        { units: 32, activation: 'tanh' },
        { units: 32, activation: 'tanh' },
      ],
      learningRate: 0.01,
      epochs: 20,
    };
  return { layers: DEFAULT_STATE.layers, learningRate: DEFAULT_STATE.learningRate, epochs: 10 };
}

/** The tutorial's setup for a preset; view settings (threshold, …) are kept from `current`. */
export function presetState(preset: Preset, current: PlaygroundState): PlaygroundState {
  return {
    ...current,
    dataset: TUTORIAL_DATASET,
    custom: undefined,
    added: [],
    removed: [],
    features: RAW_FEATURES,
    layers: preset.layers,
    epochs: preset.epochs,
    batchSize: 32,
    learningRate: 0.001,
    optimizer: DEFAULT_OPTIMIZER,
    schedule: DEFAULT_SCHEDULE,
    seed: 0,
    compare: undefined,
    sweep: undefined,
  };
}

/** Whether `s` is `preset`'s setup, untouched (the preset's chip is then shown pressed). */
export function matchesPreset(s: PlaygroundState, preset: Preset): boolean {
  const t = presetState(preset, s);
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  return (
    !s.compare &&
    !s.sweep &&
    sameLayers(s.layers, preset.layers) &&
    same([s.epochs, s.batchSize, s.learningRate, s.seed], [t.epochs, t.batchSize, t.learningRate, t.seed]) &&
    same([s.dataset, s.features, s.optimizer, s.schedule], [t.dataset, t.features, t.optimizer, t.schedule]) &&
    !s.added.length &&
    !s.removed.length
  );
}

/** The default models of compare mode: the tutorial's point, logistic regression vs an MLP. */
export const DEFAULT_COMPARE: readonly CompareEntry[] = [
  { layers: PRESETS[0]!.layers, epochs: PRESETS[0]!.epochs },
  { layers: PRESETS[2]!.layers, epochs: PRESETS[2]!.epochs },
];

export function sameLayers(a: readonly LayerSpec[], b: readonly LayerSpec[]): boolean {
  return a.length === b.length && a.every((l, i) => sameLayer(l, b[i]!));
}

function sameLayer(a: LayerSpec, b: LayerSpec): boolean {
  return (
    a.units === b.units &&
    a.activation === b.activation &&
    (a.dropout || 0) === (b.dropout || 0) &&
    a.regularizer?.kind === b.regularizer?.kind &&
    a.regularizer?.factor === b.regularizer?.factor
  );
}

/** Whether a state's points fit in a link (a big CSV does not). */
export function linkCarriesData(state: PlaygroundState): boolean {
  return state.added.length + (state.custom?.length ?? 0) <= LIMITS.urlPoints && state.removed.length <= LIMITS.urlRemoved;
}

/** "Logistic regression", a preset's name, or e.g. "MLP 64-32 (tanh)". */
export function modelLabel(layers: readonly LayerSpec[]): string {
  const preset = PRESETS.find((p) => sameLayers(p.layers, layers));
  if (preset) return preset.label;
  if (layers.length === 0) return 'Logistic regression';
  const activations = [...new Set(layers.map((l) => l.activation))];
  const extras = [layers.some((l) => l.dropout) ? 'dropout' : '', layers.some((l) => l.regularizer) ? 'regularized' : ''].filter(Boolean);
  return `MLP ${layers.map((l) => l.units).join('-')} (${activations.join(', ')})${extras.length ? ` + ${extras.join(', ')}` : ''}`;
}

/** Trainable parameters of 2 → hidden… → `outputs` (1, or k for a softmax over k classes). */
export function countParams(layers: readonly LayerSpec[], inputs = 2, outputs = 1): number {
  let n = 0;
  let fanIn = inputs;
  for (const layer of [...layers, { units: outputs }]) {
    n += fanIn * layer.units + layer.units;
    fanIn = layer.units;
  }
  return n;
}
