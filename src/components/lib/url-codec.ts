/**
 * The playground's state in the URL: `#data=circles&n=5000&…` (URLSearchParams in the hash, so
 * nothing reaches a server). The URL is untrusted input: decodeState() parses every value
 * strictly, checks it against the limits, and either returns a whole new state or the list of
 * problems (the caller then keeps its current state).
 */
import { FEATURE_NAMES, canonicalFeatures, isRawInput, type FeatureName } from '../../data/features.js';
import {
  DATASET_KINDS,
  DEFAULT_STATE,
  HIDDEN_ACTIVATIONS,
  LIMITS,
  OPTIMIZERS,
  SCHEDULES,
  TASKS,
  classLimits,
  linkCarriesData,
  taskOf,
  validLabel,
  type CompareEntry,
  type DatasetKind,
  type DatasetSpec,
  type HiddenActivation,
  type LayerSpec,
  type PlaygroundState,
  type Point,
  type RegularizerSpec,
  type Task,
} from './state.js';
import { SWEEP_EPOCHS, SWEEP_PLANS, SWEEP_SIZES, type SweepPlan, type SweepSpec } from './state.js';

const KEYS = [
  'data',
  'n',
  'noise',
  'factor',
  'k',
  'std',
  'task',
  'dseed',
  'val',
  'layers',
  'epochs',
  'batch',
  'lr',
  'opt',
  'mom',
  'wd',
  'sched',
  'dsteps',
  'drate',
  'calpha',
  'seed',
  'disc',
  'thr',
  'showtrain',
  'showval',
  'worker',
  'add',
  'rm',
  'pts',
  'cmp',
  'feat',
  'sweep',
] as const;

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const INTEGER = /^\d{1,10}$/;
/** A layer: units, activation, then optional `~d<rate>` (dropout) and `~l1:<factor>` / `~l2:<factor>`. */
const LAYER = new RegExp(
  `^(\\d{1,3})(${[...HIDDEN_ACTIVATIONS].sort((a, b) => b.length - a.length).join('|')})(?:~d(\\d*\\.?\\d+))?(?:~(l1|l2):(\\d*\\.?\\d+(?:e-\\d+)?))?$`,
);

/** The shortest text that parses back to the same number. */
function num(v: number): string {
  return String(v);
}

/** Epochs in a link: the number, or `inf` (until paused). */
function encodeEpochs(epochs: number): string {
  return Number.isFinite(epochs) ? String(epochs) : 'inf';
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
  // Only with features: links of the plain (x₁, x₂) input stay as they were.
  if (!isRawInput(state.features)) params.set('feat', state.features.join(','));
  params.set('layers', encodeLayers(state.layers));
  params.set('epochs', encodeEpochs(state.epochs));
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
  // Only when off: the default (on) keeps links as they were.
  if (!state.showTraining) params.set('showtrain', '0');
  params.set('showval', state.showValidation ? '1' : '0');
  // Only when off: the default (on) keeps links as they were.
  if (!state.worker) params.set('worker', '0');
  if (linkCarriesData(state)) {
    if (state.custom) params.set('pts', encodePoints(state.custom));
    if (state.added.length) params.set('add', encodePoints(state.added));
    if (state.removed.length) params.set('rm', state.removed.join(','));
  }
  if (state.compare) params.set('cmp', state.compare.map((e) => `${encodeLayers(e.layers)}:${encodeEpochs(e.epochs)}`).join(','));
  if (state.sweep) params.set('sweep', encodeSweep(state.sweep));
  return params.toString();
}

export type DecodeResult =
  { readonly ok: true; readonly state: PlaygroundState } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Parses a location hash ('#…' or without '#'). Missing keys take DEFAULT_STATE's values;
 * unknown keys, repeated keys, malformed or out-of-range values are errors, and then nothing
 * of the hash is used.
 */
export function decodeState(hash: string): DecodeResult {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > LIMITS.hash)
    return {
      ok: false,
      errors: [
        `the link's settings are ${text.length.toLocaleString('en-US')} characters long; at most ${LIMITS.hash.toLocaleString('en-US')} are accepted`,
      ],
    };
  const errors: string[] = [];
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { ok: false, errors: ["the link's settings are not in the form key=value&…"] };
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
  if (get('task') !== undefined && kind !== 'csv')
    errors.push('task=… is only allowed with data=csv (the other datasets have their own task)');
  const resolvedKind = kind ?? def.dataset.kind;
  const multiclass = resolvedKind === 'spirals' || resolvedKind === 'blobs' || (resolvedKind === 'csv' && csvTask === 'multiclass');
  const dataset: DatasetSpec = {
    kind: resolvedKind,
    nSamples: number('n', LIMITS.samples, def.dataset.nSamples, true),
    noise: number('noise', LIMITS.noise, def.dataset.noise),
    factor: number('factor', LIMITS.factor, def.dataset.factor),
    seed: number('dseed', LIMITS.seed, def.dataset.seed, true),
    validationRatio: number('val', LIMITS.validationRatio, def.dataset.validationRatio),
    classes: multiclass
      ? number('k', classLimits(resolvedKind), Math.max(classLimits(resolvedKind)[0], def.dataset.classes), true)
      : def.dataset.classes,
    clusterStd: number('std', LIMITS.clusterStd, def.dataset.clusterStd),
    csvTask: resolvedKind === 'csv' ? csvTask : def.dataset.csvTask,
  };
  if (!multiclass && get('k') !== undefined) errors.push(`k=… (classes) is only allowed with multi-class data, not data=${resolvedKind}`);
  const task = taskOf(dataset);
  const layers = parseLayers(get('layers'), def.layers, 'layers', errors);
  const features = parseFeatures(get('feat'), def.features, errors);
  const custom = get('pts') === undefined ? undefined : parsePoints(get('pts')!, 'pts', task, dataset.classes, errors);
  if (kind === 'csv' && !custom) errors.push('data=csv needs the points (pts=…); this link has none');
  if (kind !== 'csv' && custom) errors.push('pts=… is only allowed with data=csv');
  const added = get('add') === undefined ? [] : parsePoints(get('add')!, 'add', task, dataset.classes, errors);
  if (added.length + (custom?.length ?? 0) > LIMITS.urlPoints) errors.push(`a link carries at most ${LIMITS.urlPoints} points`);
  const baseCount = kind === 'csv' ? (custom?.length ?? 0) : dataset.nSamples;
  const removed = parseRemoved(get('rm'), baseCount, errors);
  if (kind === 'csv' && custom && (custom.length < LIMITS.csvRows[0] || custom.length > LIMITS.csvRows[1])) {
    errors.push(`pts: ${custom.length} points; between ${LIMITS.csvRows[0]} and ${LIMITS.csvRows[1]} are needed`);
  }

  let compare: CompareEntry[] | undefined;
  const cmp = get('cmp');
  if (cmp !== undefined) {
    const parts = cmp.split(',');
    if (parts.length < 2 || parts.length > LIMITS.compare)
      errors.push(`cmp: compare mode needs 2 to ${LIMITS.compare} models, got ${parts.length}`);
    else {
      compare = parts.map((part, i) => {
        // Greedy: a layer's regularizer (`~l2:0.01`) has a colon of its own.
        const m = /^(.*):(\d{1,4}|inf)$/.exec(part);
        if (!m) {
          errors.push(`cmp: model ${i + 1} "${clip(part)}" is not layers:epochs`);
          return { layers: [], epochs: 1 };
        }
        const epochs = m[2] === 'inf' ? Infinity : Number(m[2]);
        if (!(epochs === Infinity || (epochs >= LIMITS.epochs[0] && epochs <= LIMITS.epochs[1])))
          errors.push(`cmp: model ${i + 1} epochs ${epochs} is outside [${LIMITS.epochs.join(', ')}]`);
        return { layers: parseLayers(m[1], [], `cmp model ${i + 1}`, errors), epochs };
      });
    }
  }

  const sweep = get('sweep') === undefined ? undefined : parseSweep(get('sweep')!, errors);
  if (sweep && compare) errors.push('sweep=… and cmp=… cannot both be set: a link opens one mode');

  const state: PlaygroundState = {
    dataset,
    custom,
    added,
    removed,
    features,
    layers,
    epochs: get('epochs') === 'inf' ? Infinity : number('epochs', LIMITS.epochs, def.epochs, true),
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
    showTraining: flag('showtrain', def.showTraining),
    showValidation: flag('showval', def.showValidation),
    worker: flag('worker', def.worker),
    compare,
    sweep,
  };
  return errors.length ? { ok: false, errors } : { ok: true, state };
}

/** Sweep mode: `sweep=lr-width:2x3:10` (axes, values per axis as rows×columns, epochs per variant). */
function encodeSweep(sweep: SweepSpec): string {
  return `${sweep.plan}:${sweep.rows}x${sweep.cols}:${sweep.epochs}`;
}

function parseSweep(raw: string, errors: string[]): SweepSpec | undefined {
  const m = /^([a-z-]{1,20}):(\d)x(\d):(\d{1,3})$/.exec(raw);
  if (!m) {
    errors.push(`sweep: "${clip(raw)}" is not axes:rows×columns:epochs (e.g. lr-width:2x2:10)`);
    return undefined;
  }
  const [plan, rows, cols, epochs] = [m[1]!, Number(m[2]), Number(m[3]), Number(m[4])];
  const problems = [
    ...(SWEEP_PLANS.includes(plan as SweepPlan) ? [] : [`axes ${plan} are not one of ${SWEEP_PLANS.join(', ')}`]),
    ...(isSize(rows) && isSize(cols) ? [] : [`a grid of ${rows}×${cols}; each side is one of ${SWEEP_SIZES.join(', ')}`]),
    ...(SWEEP_EPOCHS.some((e) => e === epochs) ? [] : [`${epochs} epochs; one of ${SWEEP_EPOCHS.join(', ')}`]),
  ];
  for (const problem of problems) errors.push(`sweep: ${problem}`);
  return problems.length ? undefined : { plan: plan as SweepPlan, rows, cols, epochs };
}

const isSize = (n: number): boolean => SWEEP_SIZES.some((size) => size === n);

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** `feat=x1,x2,sin_x1`: feature names, each once, at least one; stored in canonical order. */
function parseFeatures(raw: string | undefined, fallback: readonly FeatureName[], errors: string[]): readonly FeatureName[] {
  if (raw === undefined) return fallback;
  try {
    return canonicalFeatures(raw === '' ? [] : raw.split(','));
  } catch (error) {
    errors.push(
      `feat: ${clip(raw)} is not a list of features from ${FEATURE_NAMES.join(', ')} (${error instanceof Error ? error.message : String(error)})`,
    );
    return fallback;
  }
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
      errors.push(
        `${what}: "${clip(part)}" is not units (1–512) followed by ${HIDDEN_ACTIVATIONS.join('/')}, e.g. 128relu (optionally ~d0.2 for dropout, ~l2:0.01 for L2)`,
      );
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
      fields.length === 3 &&
      NUMBER.test(xs!) &&
      NUMBER.test(ys!) &&
      NUMBER.test(ls!) &&
      validLabel(label, task, classes) &&
      Math.abs(x) <= LIMITS.coordinate &&
      Math.abs(y) <= LIMITS.coordinate;
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
