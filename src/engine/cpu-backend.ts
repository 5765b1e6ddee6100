import type { MetricSums } from '../spec/metrics.js';
import { gatherRows } from '../reference/gather.js';
import { lossOf, networkForward, networkLossAndGradient } from '../reference/network.js';
import { optimizerStep } from '../reference/optimizers.js';
import { regularizationPenalty } from '../reference/regularizer.js';
import type {
  EpochOutcome,
  EpochProgress,
  LabelledData,
  ModelBackend,
  ModelState,
  RowMatrix,
  TrainingSession,
  TrainingSessionOptions,
} from './backend.js';
import { targetColumns, toLossSpec, trainingOutputActivation, type LossSpec } from '../spec/loss.js';
import { tensorRefs, type NetworkShape } from '../spec/network.js';
import type { OptimizerConfig } from '../spec/optimizer.js';

/** How long the CPU engine computes before yielding to the event loop (keeps pages responsive). */
const YIELD_EVERY_MS = 50;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Values (inputs and every layer's outputs, float64) one chunk of evaluate or predict holds at
 * most when no chunk size is given: 2^22, 32 MiB per copy, so memory stays bounded however
 * many rows come in.
 */
const CHUNK_VALUES = 2 ** 22;

/** Rows per chunk: `chunkRows` if given, else as many as CHUNK_VALUES allows (at least one). */
function chunkRowsOf(network: NetworkShape, chunkRows: number | undefined): number {
  if (chunkRows !== undefined) return chunkRows;
  const width = network.layers.reduce((n, l) => n + l.units, network.layers[0]?.inputs ?? 0);
  return Math.max(1, Math.floor(CHUNK_VALUES / width));
}

/** Calls `each(start, rows)` for consecutive windows of at most `size` rows out of `total`. */
function forChunks(total: number, size: number, each: (start: number, rows: number) => void): void {
  for (let start = 0; start < total; start += size) each(start, Math.min(size, total - start));
}

/** Loss and metric sums of `data`, as the GPU's evaluation computes them, in chunks of rows. */
function evaluateRows(
  network: NetworkShape,
  weights: readonly Float64Array[],
  data: LabelledData,
  loss: LossSpec,
  chunkRows?: number,
): MetricSums {
  const { x, y } = data;
  const last = network.layers[network.layers.length - 1]!;
  const cols = targetColumns(loss, last.units);
  const sums = { lossSum: 0, correct: 0, seen: x.rows, squaredError: 0, absoluteError: 0 };
  forChunks(x.rows, chunkRowsOf(network, chunkRows), (start, rows) => {
    const inputs = x.data.subarray(start * x.cols, (start + rows) * x.cols);
    const outputs = networkForward(network, weights, inputs, rows, trainingOutputActivation(loss, last.activation));
    const targets = y.subarray(start * cols, (start + rows) * cols);
    const part = lossOf(loss, outputs[outputs.length - 1]!, targets, rows, last.units, data.weights?.subarray(start, start + rows));
    sums.lossSum += part.lossSum;
    sums.correct += part.correct;
    sums.squaredError += part.squaredError;
    sums.absoluteError += part.absoluteError;
  });
  // Keras adds the regularization penalty to the loss of every test batch too.
  sums.lossSum += regularizationPenalty(network, weights) * x.rows;
  return sums;
}

class CpuTrainingSession implements TrainingSession {
  readonly stepsPerEpoch: number;
  readonly dispatchesPerStep = 0;
  readonly kernels = 'layered';
  private train: LabelledData;
  private validation: LabelledData | undefined;
  private optimizer: OptimizerConfig;

  constructor(
    private readonly backend: CpuBackend,
    train: LabelledData,
    validation: LabelledData | undefined,
    private readonly options: TrainingSessionOptions,
  ) {
    this.train = train;
    this.validation = validation;
    this.optimizer = options.optimizer;
    this.stepsPerEpoch = Math.ceil(train.x.rows / options.batchSize);
  }

  /** Nothing compiles on the CPU. */
  ready(): Promise<void> {
    return Promise.resolve();
  }

  load(train: LabelledData, validation: LabelledData | undefined): void {
    this.train = train;
    this.validation = validation;
  }

  setOptimizer(config: OptimizerConfig): void {
    this.optimizer = config;
  }

  async runEpoch(
    permutation: Uint32Array<ArrayBuffer>,
    stepsBefore: number,
    progress?: EpochProgress,
    signal?: AbortSignal,
  ): Promise<EpochOutcome> {
    const { network, weights, moments } = this.backend.internals();
    const { batchSize } = this.options;
    const loss = toLossSpec(this.options);
    const { x, y, weights: sampleWeights } = this.train;
    const cols = targetColumns(loss, network.layers[network.layers.length - 1]!.units);
    const shuffledX = gatherRows(x.data, permutation, x.cols);
    const shuffledY = gatherRows(y, permutation, cols);
    const shuffledWeights = sampleWeights && gatherRows(sampleWeights, permutation, 1);
    let lossSum = 0;
    let correct = 0;
    let squaredError = 0;
    let absoluteError = 0;
    let completed = 0;
    let lastYield = performance.now();
    for (let step = 0; step < this.stepsPerEpoch; step++) {
      const start = step * batchSize;
      const end = Math.min(x.rows, start + batchSize);
      const t = stepsBefore + step + 1;
      const batch = networkLossAndGradient(
        network,
        weights,
        shuffledX.subarray(start * x.cols, end * x.cols),
        shuffledY.subarray(start * cols, end * cols),
        loss,
        shuffledWeights?.subarray(start, end),
        t,
      );
      weights.forEach((tensor, i) => optimizerStep(tensor, batch.gradients[i]!, moments[i]!, this.optimizer, t));
      lossSum += batch.lossSum;
      correct += batch.correct;
      squaredError += batch.squaredError;
      absoluteError += batch.absoluteError;
      completed++;
      const sums = { lossSum, correct, seen: end, squaredError, absoluteError };
      if (
        progress &&
        completed % progress.steps === 0 &&
        (await progress.report(completed, sums)) === false &&
        completed < this.stepsPerEpoch
      )
        break;
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      // Disposed while this engine yielded (or from a report): stop before the next step.
      if (signal?.aborted) break;
    }
    const finished = completed === this.stepsPerEpoch;
    const seen = Math.min(x.rows, completed * batchSize);
    const bad = weights.findIndex((tensor) => !tensor.every(Number.isFinite));
    return {
      train: { lossSum, correct, seen, squaredError, absoluteError },
      validation: this.validation && finished ? evaluateRows(network, weights, this.validation, loss) : undefined,
      nonFiniteTensor: bad < 0 ? undefined : tensorRefs(network)[bad],
      state: finished ? this.backend.state() : undefined,
      completedSteps: completed,
      dispatches: 0,
      submits: 0,
      reads: 0,
    };
  }

  dispose(): void {}
}

/**
 * The float64 reference engine behind the same API as the GPU: the fallback where WebGPU is
 * missing (`backend: 'cpu'`, or automatic). Slower, but the same mathematics, so the same seed
 * gives the same results within float32 tolerance.
 */
export class CpuBackend implements ModelBackend {
  readonly name = 'cpu';
  readonly isLost = false;
  readonly pipelines = 0;
  readonly forwardKernels = 'layered';
  readonly compileMs = 0;
  /** Nothing to compile on the CPU. */
  warm(): Promise<void> {
    return Promise.resolve();
  }
  private weights: Float64Array[];
  private moments: { m: Float64Array; v: Float64Array }[];

  constructor(private readonly network: NetworkShape) {
    const sizes = network.layers.flatMap((l) => (l.useBias ? [l.inputs * l.units, l.units] : [l.inputs * l.units]));
    this.weights = sizes.map((n) => new Float64Array(n));
    this.moments = sizes.map((n) => ({ m: new Float64Array(n), v: new Float64Array(n) }));
  }

  /** For the training session of this backend. */
  internals(): { network: NetworkShape; weights: Float64Array[]; moments: { m: Float64Array; v: Float64Array }[] } {
    return { network: this.network, weights: this.weights, moments: this.moments };
  }

  state(): ModelState {
    return {
      weights: this.weights.map((w) => Float32Array.from(w)),
      m: this.moments.map((s) => Float32Array.from(s.m)),
      v: this.moments.map((s) => Float32Array.from(s.v)),
    };
  }

  async readWeights(): Promise<Float32Array[]> {
    return this.weights.map((w) => Float32Array.from(w));
  }

  writeWeights(weights: readonly Float32Array[]): void {
    this.weights.forEach((w, i) => w.set(weights[i]!));
  }

  writeState(state: ModelState): void {
    this.writeWeights(state.weights);
    this.moments.forEach((s, i) => {
      s.m.set(state.m[i]!);
      s.v.set(state.v[i]!);
    });
  }

  resetOptimizer(): void {
    for (const s of this.moments) {
      s.m.fill(0);
      s.v.fill(0);
    }
  }

  createTrainingSession(train: LabelledData, validation: LabelledData | undefined, options: TrainingSessionOptions): TrainingSession {
    return new CpuTrainingSession(this, train, validation, options);
  }

  async evaluate(data: LabelledData, loss: LossSpec, chunkRows: number | undefined): Promise<MetricSums> {
    return evaluateRows(this.network, this.weights, data, loss, chunkRows);
  }

  async predict(x: RowMatrix, allLayers: boolean, chunkRows: number | undefined): Promise<Float32Array[]> {
    const layers = this.network.layers;
    const last = layers[layers.length - 1]!;
    const kept = allLayers ? layers.map((_, i) => i) : [layers.length - 1];
    const results = kept.map((i) => new Float32Array(x.rows * layers[i]!.units));
    forChunks(x.rows, chunkRowsOf(this.network, chunkRows), (start, rows) => {
      const outputs = networkForward(
        this.network,
        this.weights,
        x.data.subarray(start * x.cols, (start + rows) * x.cols),
        rows,
        last.activation,
      );
      kept.forEach((layer, k) => results[k]!.set(outputs[layer]!, start * layers[layer]!.units));
    });
    return results;
  }

  dispose(): void {}
}
