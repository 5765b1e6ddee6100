// The benchmark workloads, in one place. `npm run bench` (Node, Dawn), `npm run bench:browser`
// (Playwright + Chromium, shadernet and TF.js in one page) and the demo's bench page all run
// exactly these definitions; only the engines differ. Nothing here touches a GPU or TF.js.
import { makeCircles, trainValidationSplit, type Dataset } from '../../src/index.js';
import type { Calibration } from './calibration.js';
import type { ColdStartFigure } from './cold-start.js';

export type Mode = 'quick' | 'full' | 'tiny';

/**
 * An engine a workload can run on: shadernet, TF.js or jax-js on one of their backends.
 * `shadernet` is the engine as users get it (its kernel path chosen per model);
 * `shadernet-fused` and `shadernet-layered` force one path (engine/kernel-choice.ts), for
 * training and predict: what the choice gains, and on a real GPU which path should win.
 */
export type Engine =
  'shadernet' | 'shadernet-fused' | 'shadernet-layered' | 'tfjs-webgpu' | 'tfjs-wasm' | 'tfjs-cpu' | 'jax-webgpu' | 'jax-wasm';
/** Run and table order: the WebGPU engines first (a time-budgeted --gpu run reaches them all), then the CPU ones. */
export const ENGINES: readonly Engine[] = [
  'shadernet',
  'shadernet-fused',
  'shadernet-layered',
  'tfjs-webgpu',
  'jax-webgpu',
  'tfjs-wasm',
  'jax-wasm',
  'tfjs-cpu',
];
export const SHADERNET_ENGINES: readonly Engine[] = ['shadernet', 'shadernet-fused', 'shadernet-layered'];
export const TFJS_ENGINES: readonly Engine[] = ['tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu'];
export const JAX_ENGINES: readonly Engine[] = ['jax-webgpu', 'jax-wasm'];
/** The engines that run on the WebGPU adapter: the only ones its measured ceilings (the roofline) bound. */
export const WEBGPU_ENGINES: readonly Engine[] = ['shadernet', 'tfjs-webgpu', 'jax-webgpu'];

/** The kernel path a shadernet engine forces; undefined: the engine's own choice. */
export function forcedKernelPath(engine: Engine): 'fused' | 'layered' | undefined {
  return engine === 'shadernet-fused' ? 'fused' : engine === 'shadernet-layered' ? 'layered' : undefined;
}

// ---------------------------------------------------------------------------------------------
// Workload definitions

export type KernelOp = 'matmul' | 'forward' | 'backward_data' | 'backward_weights';

/**
 * One dense-layer kernel over a batch: `matmul` is X[rows×inputs]·W[inputs×units] (linear, no
 * bias); `forward` adds bias and relu; `backward_data` is dZ·Wᵀ (times relu′ of the previous
 * layer); `backward_weights` is Xᵀ·dZ plus the bias gradient. FLOPs counted: 2·rows·inputs·units.
 */
export interface KernelWorkload {
  readonly kind: 'kernel';
  readonly id: string;
  readonly op: KernelOp;
  readonly rows: number;
  readonly inputs: number;
  readonly units: number;
  readonly flops: number;
  /**
   * Compulsory bytes of one dispatch: every operand read once and every result written once
   * (f32). Real traffic is at least this; the roofline's arithmetic intensity is flops ÷ bytes.
   */
  readonly bytes: number;
}

/** One model trained with Adam + binary cross-entropy through the public Keras-style API. */
export interface TrainingWorkload {
  readonly kind: 'training';
  readonly id: string;
  readonly label: string;
  /** Hidden layer widths (relu); the output is one sigmoid unit, the input two features. */
  readonly hidden: readonly number[];
  /** make_circles(nSamples, factor 0.3, noise 0.05, randomState 0), split 80/20 unless noValidation. */
  readonly samples: number;
  readonly validation: boolean;
  readonly batchSize: number;
  /** Epochs per timed run. */
  readonly epochs: number;
}

/** predict() over a grid×grid lattice of [-1.5, 1.5]² (the demo's decision map). */
export interface PredictWorkload {
  readonly kind: 'predict';
  readonly id: string;
  readonly label: string;
  readonly hidden: readonly number[];
  readonly grid: number;
}

export type Workload = KernelWorkload | TrainingWorkload | PredictWorkload;

/** f32 elements each op reads and writes once: X[rows×inputs], W[inputs×units], Y/dZ[rows×units], b[units]. */
function compulsoryElements(op: KernelOp, rows: number, inputs: number, units: number): number {
  const [x, w, y] = [rows * inputs, inputs * units, rows * units];
  switch (op) {
    case 'matmul':
      return x + w + y;
    case 'forward':
      return x + w + units + y;
    case 'backward_data':
      return y + w + x + x; // dZ, W, the previous layer's output (for relu′), dZprev
    case 'backward_weights':
      return x + y + w + units; // X, dZ, dW, db
  }
}

export function kernel(op: KernelOp, rows: number, inputs: number, units: number): KernelWorkload {
  const shape = rows === inputs && inputs === units ? `n=${rows}` : `${rows}×${inputs}→${units}`;
  return {
    kind: 'kernel',
    id: `${op} ${shape}`,
    op,
    rows,
    inputs,
    units,
    flops: 2 * rows * inputs * units,
    bytes: 4 * compulsoryElements(op, rows, inputs, units),
  };
}

/** A kernel figure's rates: `dispatches` of `w` in `ms`. */
export function kernelRates(w: KernelWorkload, dispatches: number, ms: number): { gflops: number; gbps: number; intensity: number } {
  return { gflops: (w.flops * dispatches) / (ms * 1e6), gbps: (w.bytes * dispatches) / (ms * 1e6), intensity: w.flops / w.bytes };
}

export const TUTORIAL_MODELS = [
  { id: 'logreg', label: 'logreg 2→1', hidden: [] },
  { id: 'mlp5', label: '2→5→1', hidden: [5] },
  { id: 'mlp128', label: '2→128→1', hidden: [128] },
  { id: 'mlp128x2', label: '2→128→128→1', hidden: [128, 128] },
] as const;

export function tutorialTraining(model: (typeof TUTORIAL_MODELS)[number]): TrainingWorkload {
  return {
    kind: 'training',
    id: `train ${model.id}`,
    label: model.label,
    hidden: model.hidden,
    samples: 5000,
    validation: true,
    batchSize: 32,
    epochs: 1,
  };
}

/** 2→512→512→1 on 100,000 points, batch 256, one epoch, no validation: ~160 GFLOP. */
export const LARGE_TRAINING: TrainingWorkload = {
  kind: 'training',
  id: 'train large',
  label: '2→512→512→1, 100k pts, batch 256',
  hidden: [512, 512],
  samples: 100_000,
  validation: false,
  batchSize: 256,
  epochs: 1,
};

export function predictGrid(model: (typeof TUTORIAL_MODELS)[number], grid: number): PredictWorkload {
  return { kind: 'predict', id: `predict ${model.id} ${grid}²`, label: `${model.label}, ${grid}×${grid}`, hidden: model.hidden, grid };
}

// ---------------------------------------------------------------------------------------------
// Modes: which workloads run, how often, and how far each engine is bounded

export interface EngineBounds {
  /** Largest square kernel n this engine runs (bigger ones are skipped and listed). */
  readonly maxKernelN: number;
  /** At most this many training rows per timed epoch (a prefix of the data; validation scaled alike). */
  readonly maxTrainRows: number;
  /** Largest predict grid side. */
  readonly maxGrid: number;
  /** Timed repeats (after one warm-up). */
  readonly repeats: number;
  /** Kernel workloads: at most this many dispatches/ops per timed run (default: the config's). */
  readonly maxDispatches?: number;
}

export interface BenchConfig {
  readonly mode: Mode;
  readonly workloads: readonly Workload[];
  /** Per-engine limits; a workload beyond them is skipped on that engine and reported as skipped. */
  readonly bounds: Readonly<Record<Engine, EngineBounds>>;
  /** Kernel workloads: this many FLOPs of work per timed run (dispatches are repeated up to it). */
  readonly kernelFlopsPerRun: number;
  /** Kernel workloads: at most this many dispatches per timed run. */
  readonly maxDispatchesPerRun: number;
  /** What the mode leaves out on purpose, for the report. */
  readonly skipped: readonly string[];
}

function kernelSet(sizes: readonly number[], ops: readonly KernelOp[]): KernelWorkload[] {
  return sizes.flatMap((n) => ops.map((op) => kernel(op, n, n, n)));
}

/** The tutorial's dense shapes (batch 32): 2→128, 128→128, 128→1. */
const TUTORIAL_SHAPES = [
  [32, 2, 128],
  [32, 128, 128],
  [32, 128, 1],
] as const;
const ALL_OPS: readonly KernelOp[] = ['matmul', 'forward', 'backward_data', 'backward_weights'];
const tutorialKernels = (ops: readonly KernelOp[]) =>
  TUTORIAL_SHAPES.flatMap(([r, i, u]) => ops.filter((op) => op !== 'matmul').map((op) => kernel(op, r, i, u)));

const unbounded = (repeats: number): EngineBounds => ({ maxKernelN: Infinity, maxTrainRows: Infinity, maxGrid: Infinity, repeats });

/**
 * The workloads and bounds of a mode. `runner: 'node'` (shadernet only, no TF.js to wait for)
 * trains the large model on all 100,000 points in full mode; the browser runner times its first
 * 25,600 (100 steps of 256) on shadernet and TF.js-wasm alike, to stay within ~10 minutes.
 * `realGpu` (a hardware adapter, `--gpu`) lifts the SwiftShader bounds of TF.js-webgpu and jax-webgpu.
 */
export function benchConfig(mode: Mode, runner: 'node' | 'browser' = 'browser', options: { readonly realGpu?: boolean } = {}): BenchConfig {
  if (mode === 'tiny') {
    // The e2e smoke test: one small model, a few steps, one kernel, one small grid.
    return {
      mode,
      workloads: [
        kernel('matmul', 128, 128, 128),
        { ...tutorialTraining(TUTORIAL_MODELS[1]), id: 'train mlp5 (tiny)', samples: 400 },
        predictGrid(TUTORIAL_MODELS[1], 50),
      ],
      bounds: withPathEngines({
        shadernet: unbounded(2),
        'tfjs-webgpu': unbounded(1),
        'tfjs-wasm': unbounded(2),
        'tfjs-cpu': unbounded(2),
        'jax-webgpu': unbounded(1),
        'jax-wasm': unbounded(2),
      }),
      kernelFlopsPerRun: 2e7,
      maxDispatchesPerRun: 20,
      skipped: ['tiny mode: one kernel, one 320-row model, one 50×50 grid'],
    };
  }
  const quick = mode === 'quick';
  const squares = quick ? [128, 256, 512] : [128, 256, 512, 1024, 2048];
  const workloads: Workload[] = [
    ...kernelSet(squares, ['matmul']),
    ...kernelSet(quick ? [256] : [256, 512, 1024], ['forward', 'backward_data', 'backward_weights']),
    ...tutorialKernels(ALL_OPS),
    ...TUTORIAL_MODELS.map(tutorialTraining),
    ...(quick ? [] : [LARGE_TRAINING]),
    ...TUTORIAL_MODELS.map((m) => predictGrid(m, 200)),
    ...(quick ? [] : [predictGrid(TUTORIAL_MODELS[2], 1000)]),
  ];
  // SwiftShader does ~0.5–1.5 GFLOP/s: n=2048 is 17 GFLOP a dispatch, the large model ~160 GFLOP
  // an epoch, so the slow engines get a bounded share of those (samples/s stays comparable).
  const bounds: Record<Engine, EngineBounds> = withPathEngines(
    quick
      ? {
          shadernet: unbounded(3),
          'tfjs-webgpu': { maxKernelN: 512, maxTrainRows: 640, maxGrid: 200, repeats: 1, maxDispatches: 16 },
          'tfjs-wasm': { maxKernelN: 512, maxTrainRows: Infinity, maxGrid: 200, repeats: 3 },
          'tfjs-cpu': { maxKernelN: 256, maxTrainRows: 1600, maxGrid: 200, repeats: 2 },
          'jax-webgpu': { maxKernelN: 512, maxTrainRows: Infinity, maxGrid: 200, repeats: 2, maxDispatches: 32 },
          'jax-wasm': { maxKernelN: 512, maxTrainRows: Infinity, maxGrid: 200, repeats: 3 },
        }
      : {
          shadernet: { ...unbounded(5), maxTrainRows: runner === 'node' ? Infinity : 25_600 },
          'tfjs-webgpu': { maxKernelN: 512, maxTrainRows: 640, maxGrid: 200, repeats: 2, maxDispatches: 32 },
          'tfjs-wasm': { maxKernelN: 1024, maxTrainRows: 25_600, maxGrid: 1000, repeats: 5 },
          'tfjs-cpu': { maxKernelN: 512, maxTrainRows: 2000, maxGrid: 200, repeats: 3 },
          'jax-webgpu': { maxKernelN: 1024, maxTrainRows: 25_600, maxGrid: 1000, repeats: 3 },
          'jax-wasm': { maxKernelN: 1024, maxTrainRows: 25_600, maxGrid: 1000, repeats: 5 },
        },
  );
  // On a hardware GPU the WebGPU engines are not bounded by SwiftShader's speed: they run what shadernet runs.
  if (options.realGpu) for (const engine of ['tfjs-webgpu', 'jax-webgpu'] as const) bounds[engine] = bounds.shadernet;
  return {
    mode,
    workloads,
    bounds,
    kernelFlopsPerRun: quick ? 5e7 : 2e8,
    maxDispatchesPerRun: 200,
    skipped: quick
      ? [
          'quick mode skips matmul n=1024 and 2048, dense fwd/bwd at n ≥ 512, the 2→512→512→1 model on 100k points and the 1000×1000 grid (use --full)',
        ]
      : [],
  };
}

/** Bounds for every engine: the forced-path shadernet engines run as far as shadernet. */
function withPathEngines(
  bounds: Record<Exclude<Engine, 'shadernet-fused' | 'shadernet-layered'>, EngineBounds>,
): Record<Engine, EngineBounds> {
  return { ...bounds, 'shadernet-fused': bounds.shadernet, 'shadernet-layered': bounds.shadernet };
}

/** The per-engine bounds of a config, in words (for the report's `skipped`). */
export function describeBounds(config: BenchConfig, engines: readonly Engine[] = ENGINES): string[] {
  return engines.flatMap((engine) => {
    const b = config.bounds[engine];
    const parts = [
      Number.isFinite(b.maxKernelN) ? `kernels n ≤ ${b.maxKernelN}` : '',
      Number.isFinite(b.maxTrainRows)
        ? `training on at most the first ${b.maxTrainRows.toLocaleString('en-US')} rows (validation scaled alike)`
        : '',
      Number.isFinite(b.maxGrid) ? `grids ≤ ${b.maxGrid}×${b.maxGrid}` : '',
      b.maxDispatches ? `≤ ${b.maxDispatches} ops per timed kernel run` : '',
    ].filter(Boolean);
    return parts.length
      ? [`${engine} bounded: ${parts.join(', ')}; ${b.repeats} timed repeats`]
      : [`${engine}: ${b.repeats} timed repeats (fewer for runs over 5 s)`];
  });
}

/** Dispatches (ops) of one kernel workload per timed run on an engine. */
export function dispatchesFor(workload: KernelWorkload, engine: Engine, config: BenchConfig): number {
  const cap = Math.min(config.maxDispatchesPerRun, config.bounds[engine].maxDispatches ?? Infinity);
  return Math.max(1, Math.min(cap, Math.round(config.kernelFlopsPerRun / workload.flops)));
}

/** Large runs repeat less: at most `repeats`, fewer when one run is long. */
export function repeatsFor(bounds: EngineBounds, estimatedMs: number): number {
  if (estimatedMs > 20_000) return 1;
  if (estimatedMs > 5_000) return Math.min(bounds.repeats, 2);
  return bounds.repeats;
}

/** Why a workload is skipped on an engine, or undefined when it runs. */
export function skipReason(workload: Workload, engine: Engine, config: BenchConfig): string | undefined {
  const bounds = config.bounds[engine];
  if (workload.kind === 'kernel' && forcedKernelPath(engine)) return `kernels are the same on every shadernet path`;
  if (workload.kind === 'kernel' && Math.max(workload.rows, workload.inputs, workload.units) > bounds.maxKernelN) {
    return `n > ${bounds.maxKernelN} on ${engine} in ${config.mode} mode`;
  }
  if (workload.kind === 'predict' && workload.grid > bounds.maxGrid) return `grid > ${bounds.maxGrid} on ${engine} in ${config.mode} mode`;
  return undefined;
}

/**
 * Runs `workload` on `engine` through `run`, unless the mode skips it there; a failure
 * becomes a figure with `error`, so one broken workload never ends the run.
 */
export async function engineFigure(workload: Workload, engine: Engine, config: BenchConfig, run: () => Promise<Figure>): Promise<Figure> {
  const skipped = skipReason(workload, engine, config);
  if (skipped) return noFigure(engine, workload, { skipped });
  try {
    return await run();
  } catch (error) {
    return noFigure(engine, workload, { error: String((error as Error)?.message ?? error) });
  }
}

/** The figure of a workload that did not run on `engine`: skipped, or failed, and why. */
export function noFigure(engine: Engine, workload: Workload, why: { readonly skipped: string } | { readonly error: string }): Figure {
  return { engine, workload: workload.id, kind: workload.kind, ms: NaN, runs: [], repeats: 0, ...why };
}

// ---------------------------------------------------------------------------------------------
// Data, shared by every engine (identical values)

export interface TrainingData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly rows: number;
  readonly valX?: Float32Array;
  readonly valY?: Float32Array;
  readonly valRows: number;
}

const dataCache = new Map<string, { train: Dataset; validation?: Dataset }>();

/** make_circles(samples, factor 0.3, noise 0.05, randomState 0); the first `maxRows` training rows. */
export function trainingData(workload: TrainingWorkload, maxRows = Infinity): TrainingData {
  const key = `${workload.samples}/${workload.validation}`;
  let split = dataCache.get(key);
  if (!split) {
    const all = makeCircles({ nSamples: workload.samples, factor: 0.3, noise: 0.05, randomState: 0 });
    split = workload.validation ? trainValidationSplit(all, 0.2) : { train: all };
    dataCache.set(key, split);
  }
  const rows = Math.min(split.train.nSamples, maxRows);
  const valRows = split.validation ? Math.max(1, Math.round((split.validation.nSamples * rows) / split.train.nSamples)) : 0;
  return {
    x: Float32Array.from(split.train.x.subarray(0, rows * 2)),
    y: Float32Array.from(split.train.y.subarray(0, rows)),
    rows,
    ...(split.validation
      ? {
          valX: Float32Array.from(split.validation.x.subarray(0, valRows * 2)),
          valY: Float32Array.from(split.validation.y.subarray(0, valRows)),
        }
      : {}),
    valRows,
  };
}

/** The grid×grid points of [-1.5, 1.5]², row-major. */
export function gridPoints(grid: number): Float32Array {
  const out = new Float32Array(grid * grid * 2);
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      out[(r * grid + c) * 2] = -1.5 + (3 * c) / Math.max(1, grid - 1);
      out[(r * grid + c) * 2 + 1] = 1.5 - (3 * r) / Math.max(1, grid - 1);
    }
  }
  return out;
}

/** Deterministic values in [-1, 1) for kernel inputs. */
export function uniformData(count: number, seed: number): Float32Array<ArrayBuffer> {
  let state = seed;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Results

export interface Figure {
  readonly engine: Engine;
  readonly workload: string;
  readonly kind: Workload['kind'];
  /** Median wall time of one timed run, ms. */
  readonly ms: number;
  readonly repeats: number;
  /** Every timed run, ms. */
  readonly runs: readonly number[];
  /** kernel: dispatches per timed run and GFLOP/s. */
  readonly dispatches?: number;
  readonly gflops?: number;
  /** kernel: compulsory GB/s (KernelWorkload.bytes per dispatch) and FLOP per byte. */
  readonly gbps?: number;
  readonly intensity?: number;
  /** training: rows and steps of one timed run (validation rows extra), samples/s, ms/step. */
  readonly rows?: number;
  readonly valRows?: number;
  readonly steps?: number;
  readonly samplesPerSecond?: number;
  readonly msPerStep?: number;
  /** shadernet training: model.stats().epochMs (first submit to metrics read), median; the rest of `ms` is fit()'s own work. */
  readonly engineEpochMs?: number;
  /** shadernet training: model.stats() of the last epoch. */
  readonly dispatchesPerStep?: number;
  /** shadernet: which kernels trained the model (model.stats().kernels), or ran predict (forwardKernels). */
  readonly kernels?: 'fused' | 'layered';
  readonly submitsPerEpoch?: number;
  readonly readsPerEpoch?: number;
  /** training: mean loss of the last synced steps and validation accuracy after the timed epoch (a sanity check: same data, same model). */
  readonly loss?: number;
  readonly valAccuracy?: number;
  /** predict: points per second. */
  readonly pointsPerSecond?: number;
  readonly skipped?: string;
  readonly error?: string;
}

/** The fields every engine reports for one training workload, from its timed runs (ms each). */
export function trainingTimes(engine: Engine, w: TrainingWorkload, data: TrainingData, runs: readonly number[], repeats: number) {
  const ms = median(runs);
  const steps = Math.ceil(data.rows / w.batchSize) * w.epochs;
  return {
    engine,
    workload: w.id,
    kind: 'training',
    ms,
    runs,
    repeats,
    rows: data.rows,
    valRows: data.valRows,
    steps,
    samplesPerSecond: (data.rows * w.epochs) / (ms / 1000),
    msPerStep: ms / steps,
  } satisfies Figure;
}

/** The last epoch's training loss and validation accuracy of a Keras-style history. */
export function lastEpoch(
  history: Readonly<Record<string, readonly number[]>>,
  accuracyKey = 'val_accuracy',
): Pick<Figure, 'loss' | 'valAccuracy'> {
  const loss = history['loss']?.at(-1);
  const valAccuracy = history[accuracyKey]?.at(-1);
  return { ...(loss !== undefined ? { loss } : {}), ...(valAccuracy !== undefined ? { valAccuracy } : {}) };
}

export interface BenchReport {
  readonly tool: 'shadernet-bench';
  readonly runner: 'node' | 'browser';
  readonly mode: Mode;
  readonly date: string;
  readonly durationMs: number;
  readonly versions: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, unknown>>;
  readonly method: readonly string[];
  readonly skipped: readonly string[];
  readonly figures: readonly Figure[];
  /** The adapter's measured FMA and copy ceilings (calibration.ts), for the roofline. */
  readonly calibration?: Calibration;
  /** The first model's first epoch on a fresh device vs a warm one, without and with warm() (cold-start.ts). */
  readonly coldStart?: readonly ColdStartFigure[];
}

export const METHOD = [
  'Each figure is the median of repeated timed runs after one untimed warm-up run of the same workload (pipeline/shader compilation excluded).',
  'Kernels: K dispatches/ops of one shape per timed run, then one wait (shadernet: one submit + onSubmittedWorkDone; TF.js: read 1 element of the last result).',
  'Training: fit({ epochs: 1, batchSize, validationData, verbose: 0 }) wall time on make_circles (factor 0.3, noise 0.05, randomState 0); samples/s = training rows / epoch time (validation included in the time). TF.js: tf.sequential + tf.layers.dense, Adam(0.001, 0.9, 0.999, 1e-7), binaryCrossentropy, yieldEvery: never.',
  'Bounded engines train on a prefix of the rows (validation scaled alike) and skip the largest shapes; rows and skips are in each figure.',
  'Predict: predict() over a grid of [-1.5,1.5]² until the probabilities are on the CPU (TF.js: predict(x, { batchSize: min(rows, 40000) }).data()).',
  "Roofline: calibration kernels measure the adapter's peak f32 FMA throughput (8 independent vec4 fma chains per invocation) and copy bandwidth (vec4 copy of a 64 MiB buffer, bytes read + written); each kernel's GB/s counts compulsory bytes (every operand read once, every result written once), its arithmetic intensity is FLOP ÷ those bytes, and its roof is min(peak GFLOP/s, intensity × peak GB/s).",
  'jax-js: one jit over forward, valueAndGrad of BCE from logits and a hand-written Adam (same settings), the loss read every 10 steps, per-epoch shuffle on the CPU; predict is one jitted forward pass; kernels are jitted ops, K per timed run, then blockUntilReady.',
  'On SwiftShader (a CPU emulation of a GPU) absolute figures say nothing about real GPUs; compare ratios measured in the same run.',
];

/** The headline throughput of a figure: GFLOP/s, samples/s or points/s (higher is better). */
export function throughput(figure: Figure | undefined): number | undefined {
  if (!figure || figure.skipped || figure.error) return undefined;
  return figure.gflops ?? figure.samplesPerSecond ?? figure.pointsPerSecond;
}

/** shadernet throughput ÷ TF.js throughput for one workload (> 1: shadernet faster). */
export function ratio(figures: readonly Figure[], workload: string, engine: Engine): number | undefined {
  const ours = throughput(figures.find((f) => f.engine === 'shadernet' && f.workload === workload));
  const theirs = throughput(figures.find((f) => f.engine === engine && f.workload === workload));
  return ours !== undefined && theirs !== undefined && theirs > 0 ? ours / theirs : undefined;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `run` once untimed, then `repeats` times timed; returns the times in ms. */
export async function timeRuns(repeats: number, run: () => Promise<void>, warmUp = true): Promise<number[]> {
  if (warmUp) await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times;
}

/** Rough time of a workload on a ~1 GFLOP/s device, to size repeats. */
export function estimateMs(workload: Workload, rows = Infinity): number {
  const layerFlops = (hidden: readonly number[]) => {
    const sizes = [2, ...hidden, 1];
    let flops = 0;
    for (let i = 1; i < sizes.length; i++) flops += 2 * sizes[i - 1]! * sizes[i]!;
    return flops;
  };
  if (workload.kind === 'kernel') return workload.flops / 1e6;
  if (workload.kind === 'predict') return (workload.grid ** 2 * layerFlops(workload.hidden)) / 1e6;
  return (3 * Math.min(rows, workload.samples) * layerFlops(workload.hidden)) / 1e6;
}
