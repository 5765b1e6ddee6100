/**
 * Everything the playground can be set to, its defaults and limits, the tutorial presets, and
 * the URL form of it. The URL is untrusted input: decodeState() parses every value strictly,
 * checks it against the limits, and either returns a whole new state or the list of problems
 * (the caller then keeps its current state).
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

/** One model of compare mode: its hidden layers and how many epochs it trains. */
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
  /** Hidden layers; the output layer follows from the task (see model-config.ts). */
  readonly layers: readonly LayerSpec[];
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
  readonly showValidation: boolean;
  /** Train in a Web Worker (where the browser has WebGPU in workers), else on the page's thread. */
  readonly worker: boolean;
  /** The models of compare mode; undefined = single-model mode. */
  readonly compare: readonly CompareEntry[] | undefined;
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
  { id: 'logreg', label: 'Logistic regression', description: 'Dense(1, sigmoid), 1 epoch: a straight line cannot separate two circles.', layers: [], epochs: 1 },
  { id: 'mlp5', label: 'MLP, 5 hidden units', description: 'Dense(5, relu) → Dense(1, sigmoid), 20 epochs.', layers: [relu(5)], epochs: 20 },
  { id: 'mlp128', label: 'MLP, 128 hidden units', description: 'Dense(128, relu) → Dense(1, sigmoid), 10 epochs.', layers: [relu(128)], epochs: 10 },
  { id: 'mlp2x128', label: 'MLP, 2×128', description: 'Dense(128, relu) ×2 → Dense(1, sigmoid), 10 epochs.', layers: [relu(128), relu(128)], epochs: 10 },
];

export const DEFAULT_STATE: PlaygroundState = {
  dataset: TUTORIAL_DATASET,
  custom: undefined,
  added: [],
  removed: [],
  layers: [relu(128)],
  epochs: 10,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: DEFAULT_OPTIMIZER,
  schedule: DEFAULT_SCHEDULE,
  seed: 0,
  discretize: false,
  threshold: 0.5,
  showValidation: true,
  worker: true,
  compare: undefined,
};

/** The tutorial's setup for a preset; view settings (threshold, …) are kept from `current`. */
export function presetState(preset: Preset, current: PlaygroundState): PlaygroundState {
  return {
    ...current,
    dataset: TUTORIAL_DATASET,
    custom: undefined,
    added: [],
    removed: [],
    layers: preset.layers,
    epochs: preset.epochs,
    batchSize: 32,
    learningRate: 0.001,
    optimizer: DEFAULT_OPTIMIZER,
    schedule: DEFAULT_SCHEDULE,
    seed: 0,
    compare: undefined,
  };
}

/** The default models of compare mode: the tutorial's point, logistic regression vs an MLP. */
export const DEFAULT_COMPARE: readonly CompareEntry[] = [
  { layers: PRESETS[0]!.layers, epochs: PRESETS[0]!.epochs },
  { layers: PRESETS[2]!.layers, epochs: PRESETS[2]!.epochs },
];

export function sameLayers(a: readonly LayerSpec[], b: readonly LayerSpec[]): boolean {
  return a.length === b.length && a.every((l, i) => encodeLayer(l) === encodeLayer(b[i]!));
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

// ---------------------------------------------------------------------------------------------
// URL form: `#data=circles&n=5000&…` (URLSearchParams in the hash, so nothing reaches a server).

const KEYS = [
  'data', 'n', 'noise', 'factor', 'k', 'std', 'task', 'dseed', 'val', 'layers', 'epochs', 'batch', 'lr', 'opt', 'mom', 'wd',
  'sched', 'dsteps', 'drate', 'calpha', 'seed', 'disc', 'thr', 'showval', 'worker', 'add', 'rm', 'pts', 'cmp',
] as const;

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const INTEGER = /^\d{1,10}$/;
/** A layer: units, activation, then optional `~d<rate>` (dropout) and `~l1:<factor>` / `~l2:<factor>`. */
const LAYER = new RegExp(`^(\\d{1,3})(${[...HIDDEN_ACTIVATIONS].sort((a, b) => b.length - a.length).join('|')})(?:~d(\\d*\\.?\\d+))?(?:~(l1|l2):(\\d*\\.?\\d+(?:e-\\d+)?))?$`);

/** The shortest text that parses back to the same number. */
function num(v: number): string {
  return String(v);
}

function encodeLayer(l: LayerSpec): string {
  return `${l.units}${l.activation}${l.dropout ? `~d${num(l.dropout)}` : ''}${l.regularizer ? `~${l.regularizer.kind}:${num(l.regularizer.factor)}` : ''}`;
}

export function encodeLayers(layers: readonly LayerSpec[]): string {
  return layers.length === 0 ? 'none' : layers.map(encodeLayer).join('-');
}

function encodePoints(points: readonly Point[]): string {
  return points.map((p) => `${num(p.x)},${num(p.y)},${p.label}`).join(';');
}

/** Whether a state's points fit in a link (a big CSV does not). */
export function linkCarriesData(state: PlaygroundState): boolean {
  return state.added.length + (state.custom?.length ?? 0) <= LIMITS.urlPoints && state.removed.length <= LIMITS.urlRemoved;
}

/** The hash (without '#') that decodeState() turns back into `state`. */
export function encodeState(state: PlaygroundState): string {
  const d = state.dataset;
  const params = new URLSearchParams();
  params.set('data', d.kind);
  if (d.kind !== 'csv') {
    params.set('n', String(d.nSamples));
    if (d.kind !== 'blobs') params.set('noise', num(d.noise));
    if (d.kind === 'circles') params.set('factor', num(d.factor));
    if (d.kind === 'blobs') params.set('std', num(d.clusterStd));
  } else {
    params.set('task', d.csvTask);
  }
  if (taskOf(d) === 'multiclass') params.set('k', String(d.classes));
  params.set('dseed', String(d.seed));
  params.set('val', num(d.validationRatio));
  params.set('layers', encodeLayers(state.layers));
  params.set('epochs', String(state.epochs));
  params.set('batch', String(state.batchSize));
  params.set('lr', num(state.learningRate));
  const o = state.optimizer;
  // Adam is the default (and the tutorial's): links without `opt` stay as they were.
  if (o.name !== 'adam') params.set('opt', o.name);
  if (o.name === 'momentum') params.set('mom', num(o.momentum));
  if (o.name === 'adamw') params.set('wd', num(o.weightDecay));
  const sch = state.schedule;
  if (sch.kind !== 'constant') {
    params.set('sched', sch.kind);
    params.set('dsteps', String(sch.decaySteps));
    if (sch.kind === 'cosine') params.set('calpha', num(sch.alpha));
    else params.set('drate', num(sch.decayRate));
  }
  params.set('seed', String(state.seed));
  params.set('disc', state.discretize ? '1' : '0');
  params.set('thr', num(state.threshold));
  params.set('showval', state.showValidation ? '1' : '0');
  // Only when off: the default (on) keeps links as they were.
  if (!state.worker) params.set('worker', '0');
  if (linkCarriesData(state)) {
    if (state.custom) params.set('pts', encodePoints(state.custom));
    if (state.added.length) params.set('add', encodePoints(state.added));
    if (state.removed.length) params.set('rm', state.removed.join(','));
  }
  if (state.compare) params.set('cmp', state.compare.map((e) => `${encodeLayers(e.layers)}:${e.epochs}`).join(','));
  return params.toString();
}

export type DecodeResult = { readonly ok: true; readonly state: PlaygroundState } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Parses a location hash ('#…' or without '#'). Missing keys take DEFAULT_STATE's values;
 * unknown keys, repeated keys, malformed or out-of-range values are errors, and then nothing
 * of the hash is used.
 */
export function decodeState(hash: string): DecodeResult {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > LIMITS.hash) return { ok: false, errors: [`the link's settings are ${text.length.toLocaleString('en-US')} characters long; at most ${LIMITS.hash.toLocaleString('en-US')} are accepted`] };
  const errors: string[] = [];
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { ok: false, errors: ['the link\'s settings are not in the form key=value&…'] };
  }
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!(KEYS as readonly string[]).includes(key)) errors.push(`unknown setting "${clip(key)}"`);
    else if (seen.has(key)) errors.push(`setting "${key}" appears twice`);
    seen.add(key);
  }
  const get = (key: (typeof KEYS)[number]): string | undefined => params.get(key) ?? undefined;

  const number = (key: (typeof KEYS)[number], [lo, hi]: readonly [number, number], fallback: number, integer = false): number => {
    const raw = get(key);
    if (raw === undefined) return fallback;
    if (!(integer ? INTEGER : NUMBER).test(raw)) {
      errors.push(`${key}: "${clip(raw)}" is not ${integer ? 'a whole number' : 'a number'}`);
      return fallback;
    }
    const value = Number(raw);
    if (!(value >= lo && value <= hi)) {
      errors.push(`${key}: ${clip(raw)} is outside [${lo}, ${hi}]`);
      return fallback;
    }
    return value;
  };
  const flag = (key: (typeof KEYS)[number], fallback: boolean): boolean => {
    const raw = get(key);
    if (raw === undefined) return fallback;
    if (raw !== '0' && raw !== '1') errors.push(`${key}: expected 0 or 1, got "${clip(raw)}"`);
    return raw === '1';
  };

  const def = DEFAULT_STATE;
  const kindRaw = get('data') ?? def.dataset.kind;
  const kind = (DATASET_KINDS as readonly string[]).includes(kindRaw) ? (kindRaw as DatasetKind) : undefined;
  if (!kind) errors.push(`data: "${clip(kindRaw)}" is not one of ${DATASET_KINDS.join(', ')}`);
  const choice = <T extends string>(key: (typeof KEYS)[number], options: readonly T[], fallback: T): T => {
    const raw = get(key);
    if (raw === undefined) return fallback;
    if ((options as readonly string[]).includes(raw)) return raw as T;
    errors.push(`${key}: "${clip(raw)}" is not one of ${options.join(', ')}`);
    return fallback;
  };
  const csvTask = choice('task', TASKS, def.dataset.csvTask);
  if (get('task') !== undefined && kind !== 'csv') errors.push('task=… is only allowed with data=csv (the other datasets have their own task)');
  const resolvedKind = kind ?? def.dataset.kind;
  const multiclass = resolvedKind === 'spirals' || resolvedKind === 'blobs' || (resolvedKind === 'csv' && csvTask === 'multiclass');
  const dataset: DatasetSpec = {
    kind: resolvedKind,
    nSamples: number('n', LIMITS.samples, def.dataset.nSamples, true),
    noise: number('noise', LIMITS.noise, def.dataset.noise),
    factor: number('factor', LIMITS.factor, def.dataset.factor),
    seed: number('dseed', LIMITS.seed, def.dataset.seed, true),
    validationRatio: number('val', LIMITS.validationRatio, def.dataset.validationRatio),
    classes: multiclass ? number('k', classLimits(resolvedKind), Math.max(classLimits(resolvedKind)[0], def.dataset.classes), true) : def.dataset.classes,
    clusterStd: number('std', LIMITS.clusterStd, def.dataset.clusterStd),
    csvTask: resolvedKind === 'csv' ? csvTask : def.dataset.csvTask,
  };
  if (!multiclass && get('k') !== undefined) errors.push(`k=… (classes) is only allowed with multi-class data, not data=${resolvedKind}`);
  const task = taskOf(dataset);
  const layers = parseLayers(get('layers'), def.layers, 'layers', errors);
  const custom = get('pts') === undefined ? undefined : parsePoints(get('pts')!, 'pts', task, dataset.classes, errors);
  if (kind === 'csv' && !custom) errors.push('data=csv needs the points (pts=…); this link has none');
  if (kind !== 'csv' && custom) errors.push('pts=… is only allowed with data=csv');
  const added = get('add') === undefined ? [] : parsePoints(get('add')!, 'add', task, dataset.classes, errors);
  if (added.length + (custom?.length ?? 0) > LIMITS.urlPoints) errors.push(`a link carries at most ${LIMITS.urlPoints} points`);
  const baseCount = kind === 'csv' ? custom?.length ?? 0 : dataset.nSamples;
  const removed = parseRemoved(get('rm'), baseCount, errors);
  if (kind === 'csv' && custom && (custom.length < LIMITS.csvRows[0] || custom.length > LIMITS.csvRows[1])) {
    errors.push(`pts: ${custom.length} points; between ${LIMITS.csvRows[0]} and ${LIMITS.csvRows[1]} are needed`);
  }

  let compare: CompareEntry[] | undefined;
  const cmp = get('cmp');
  if (cmp !== undefined) {
    const parts = cmp.split(',');
    if (parts.length < 2 || parts.length > LIMITS.compare) errors.push(`cmp: compare mode needs 2 to ${LIMITS.compare} models, got ${parts.length}`);
    else {
      compare = parts.map((part, i) => {
        // Greedy: a layer's regularizer (`~l2:0.01`) has a colon of its own.
        const m = /^(.*):(\d{1,4})$/.exec(part);
        if (!m) {
          errors.push(`cmp: model ${i + 1} "${clip(part)}" is not layers:epochs`);
          return { layers: [], epochs: 1 };
        }
        const epochs = Number(m[2]);
        if (!(epochs >= LIMITS.epochs[0] && epochs <= LIMITS.epochs[1])) errors.push(`cmp: model ${i + 1} epochs ${epochs} is outside [${LIMITS.epochs.join(', ')}]`);
        return { layers: parseLayers(m[1], [], `cmp model ${i + 1}`, errors), epochs };
      });
    }
  }

  const state: PlaygroundState = {
    dataset,
    custom,
    added,
    removed,
    layers,
    epochs: number('epochs', LIMITS.epochs, def.epochs, true),
    batchSize: number('batch', LIMITS.batchSize, def.batchSize, true),
    learningRate: number('lr', LIMITS.learningRate, def.learningRate),
    optimizer: {
      name: choice('opt', OPTIMIZERS, def.optimizer.name),
      momentum: number('mom', LIMITS.momentum, def.optimizer.momentum),
      weightDecay: number('wd', LIMITS.weightDecay, def.optimizer.weightDecay),
    },
    schedule: {
      kind: choice('sched', SCHEDULES, def.schedule.kind),
      decaySteps: number('dsteps', LIMITS.decaySteps, def.schedule.decaySteps, true),
      decayRate: number('drate', LIMITS.decayRate, def.schedule.decayRate),
      alpha: number('calpha', LIMITS.cosineAlpha, def.schedule.alpha),
    },
    seed: number('seed', LIMITS.seed, def.seed, true),
    discretize: flag('disc', def.discretize),
    threshold: number('thr', LIMITS.threshold, def.threshold),
    showValidation: flag('showval', def.showValidation),
    worker: flag('worker', def.worker),
    compare,
  };
  return errors.length ? { ok: false, errors } : { ok: true, state };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function parseLayers(raw: string | undefined, fallback: readonly LayerSpec[], what: string, errors: string[]): readonly LayerSpec[] {
  if (raw === undefined) return fallback;
  if (raw === 'none') return [];
  const parts = raw.split('-');
  if (parts.length > LIMITS.hiddenLayers) {
    errors.push(`${what}: at most ${LIMITS.hiddenLayers} hidden layers, got ${parts.length}`);
    return fallback;
  }
  const layers: LayerSpec[] = [];
  for (const part of parts) {
    const m = LAYER.exec(part);
    const units = m ? Number(m[1]) : NaN;
    if (!m || !(units >= LIMITS.units[0] && units <= LIMITS.units[1])) {
      errors.push(`${what}: "${clip(part)}" is not units (1–512) followed by ${HIDDEN_ACTIVATIONS.join('/')}, e.g. 128relu (optionally ~d0.2 for dropout, ~l2:0.01 for L2)`);
      return fallback;
    }
    const dropout = m[3] === undefined ? 0 : Number(m[3]);
    if (!(dropout >= LIMITS.dropout[0] && dropout <= LIMITS.dropout[1])) {
      errors.push(`${what}: dropout ${clip(m[3]!)} of "${clip(part)}" is outside [${LIMITS.dropout.join(', ')}]`);
      return fallback;
    }
    const factor = m[5] === undefined ? 0 : Number(m[5]);
    if (m[4] !== undefined && !(factor >= LIMITS.regularizer[0] && factor <= LIMITS.regularizer[1])) {
      errors.push(`${what}: ${m[4]} factor ${clip(m[5]!)} of "${clip(part)}" is outside [${LIMITS.regularizer.join(', ')}]`);
      return fallback;
    }
    layers.push({
      units,
      activation: m[2] as HiddenActivation,
      ...(dropout > 0 ? { dropout } : {}),
      ...(m[4] !== undefined ? { regularizer: { kind: m[4] as RegularizerSpec['kind'], factor } } : {}),
    });
  }
  return layers;
}

function parsePoints(raw: string, what: string, task: Task, classes: number, errors: string[]): Point[] {
  if (raw === '') return [];
  const parts = raw.split(';');
  if (parts.length > LIMITS.urlPoints) {
    errors.push(`${what}: at most ${LIMITS.urlPoints} points, got ${parts.length}`);
    return [];
  }
  const points: Point[] = [];
  for (const [i, part] of parts.entries()) {
    const fields = part.split(',');
    const [xs, ys, ls] = fields;
    const x = Number(xs);
    const y = Number(ys);
    const label = Number(ls);
    const ok =
      fields.length === 3 && NUMBER.test(xs!) && NUMBER.test(ys!) && NUMBER.test(ls!) && validLabel(label, task, classes) &&
      Math.abs(x) <= LIMITS.coordinate && Math.abs(y) <= LIMITS.coordinate;
    if (!ok) {
      errors.push(`${what}: point ${i + 1} "${clip(part)}" is not x,y,${describeTarget(task, classes)}`);
      return [];
    }
    points.push({ x, y, label });
  }
  return points;
}

/** How a point's third value must look, for error messages. */
export function describeTarget(task: Task, classes: number): string {
  if (task === 'regression') return `value (a number within ±${LIMITS.value.toExponential(0)})`;
  return task === 'binary' ? 'label with label 0 or 1' : `label with label a class 0…${classes - 1}`;
}

function parseRemoved(raw: string | undefined, count: number, errors: string[]): number[] {
  if (raw === undefined || raw === '') return [];
  const parts = raw.split(',');
  if (parts.length > LIMITS.urlRemoved) {
    errors.push(`rm: at most ${LIMITS.urlRemoved} removed points, got ${parts.length}`);
    return [];
  }
  const out = new Set<number>();
  for (const part of parts) {
    const i = INTEGER.test(part) ? Number(part) : NaN;
    if (!(i >= 0 && i < count)) {
      errors.push(`rm: "${clip(part)}" is not the index of one of the ${count} points`);
      return [];
    }
    out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
