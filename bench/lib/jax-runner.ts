// Runs the shared workloads (workloads.ts) on jax-js (a dev-only comparison, bundled into the
// bench page only; never imported by src/), written the way a jax user writes them: one `jit` over
// forward, `valueAndGrad` of binary cross-entropy from logits and a hand-written Adam update, the
// loss read back every SYNC_EVERY steps; predict is one jitted forward pass; kernels are jitted
// matmuls. Same data, shapes, batch size, epochs, Adam settings and timing as tfjs-runner.ts.
//
// jax-js owns arrays by reference count: passing an Array to a function consumes it, `.ref`
// keeps a copy alive (see its README). Every helper below consumes exactly what it is given.
import type * as Jax from '@jax-js/jax';
import {
  dispatchesFor,
  estimateMs,
  kernelRates,
  gridPoints,
  median,
  repeatsFor,
  engineFigure,
  timeRuns,
  trainingData,
  trainingTimes,
  uniformData,
  type BenchConfig,
  type Engine,
  type Figure,
  type KernelWorkload,
  type PredictWorkload,
  type TrainingData,
  type TrainingWorkload,
  type Workload,
} from './workloads.js';

type JaxModule = typeof Jax;
type JArray = Jax.Array;

/** Dense layers' weights and biases, a pytree. */
type Params = { w: JArray[]; b: JArray[] };
type AdamState = { params: Params; m: Params; v: Params };

/** Keras's Adam defaults, as the TF.js rows use them. */
export const ADAM = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;
/** Steps between loss reads (the sync a jax training loop does to log progress). */
export const SYNC_EVERY = 10;

/** The jax-js device of an engine. */
export const jaxDevice = (engine: Engine): Jax.Device => (engine === 'jax-webgpu' ? 'webgpu' : 'wasm');

/** Glorot-uniform kernels and zero biases (Keras's Dense defaults), from a seeded generator. */
function initialParams(jax: JaxModule, hidden: readonly number[], seed: number): Params {
  const sizes = [2, ...hidden, 1];
  const w: JArray[] = [];
  const b: JArray[] = [];
  for (let i = 1; i < sizes.length; i++) {
    const [fanIn, fanOut] = [sizes[i - 1]!, sizes[i]!];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = uniformData(fanIn * fanOut, seed + i).map((u) => u * limit);
    w.push(jax.numpy.array(values).reshape([fanIn, fanOut]));
    b.push(jax.numpy.zeros([fanOut]));
  }
  return { w, b };
}

/** Logits of a dense relu MLP; consumes `params` and `x`. */
function logits(jax: JaxModule, params: Params, x: JArray): JArray {
  let h = x;
  const last = params.w.length - 1;
  params.w.forEach((w, i) => {
    h = jax.numpy.matmul(h, w).add(params.b[i]!);
    if (i < last) h = jax.nn.relu(h);
  });
  return h;
}

/** Mean binary cross-entropy from logits z: softplus(z) − y·z (what Keras computes, stably). */
function bceFromLogits(jax: JaxModule, z: JArray, y: JArray): JArray {
  return jax.numpy.mean(jax.nn.softplus(z.ref).sub(y.mul(z)));
}

/** One training step, jitted: the loss and the Adam-updated state. `lr` is Adam's bias-corrected rate. */
function makeTrainStep(jax: JaxModule) {
  const { numpy: np, tree } = jax;
  const loss = (params: Params, x: JArray, y: JArray) => bceFromLogits(jax, logits(jax, params, x), y);
  return jax.jit((state: AdamState, x: JArray, y: JArray, lr: JArray) => {
    const [value, grads] = jax.valueAndGrad(loss)(tree.ref(state.params), x, y);
    const m = tree.map((m: JArray, g: JArray) => m.mul(ADAM.beta1).add(g.mul(1 - ADAM.beta1)), state.m, tree.ref(grads)) as Params;
    const v = tree.map((v: JArray, g: JArray) => v.mul(ADAM.beta2).add(np.square(g).mul(1 - ADAM.beta2)), state.v, grads) as Params;
    const params = tree.map(
      (p: JArray, m: JArray, v: JArray) => p.sub(m.mul(lr.ref).div(np.sqrt(v).add(ADAM.epsilon))),
      state.params,
      tree.ref(m),
      tree.ref(v),
    ) as Params;
    lr.dispose();
    return [value, { params, m, v }] as [JArray, AdamState];
  });
}

/** Jitted forward pass to probabilities (validation and predict). */
function makeProbabilities(jax: JaxModule) {
  return jax.jit((params: Params, x: JArray) => jax.nn.sigmoid(logits(jax, params, x)));
}

/** Keras's bias-corrected Adam rate at step t (1-based). */
const adamRate = (t: number) => (ADAM.learningRate * Math.sqrt(1 - ADAM.beta2 ** t)) / (1 - ADAM.beta1 ** t);

/** A seeded Fisher–Yates permutation of 0..n−1 (per-epoch shuffle, as fit(shuffle: true) does). */
function permutation(n: number, seed: number): Uint32Array {
  const out = Uint32Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** One epoch's shuffled batches, gathered on the CPU (the data is 2 floats a row). */
function batchesOf(x: Float32Array, y: Float32Array, rows: number, batchSize: number, seed: number): [Float32Array, Float32Array][] {
  const order = permutation(rows, seed);
  const batches: [Float32Array, Float32Array][] = [];
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start);
    const bx = new Float32Array(n * 2);
    const by = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const row = order[start + k]!;
      bx[2 * k] = x[2 * row]!;
      bx[2 * k + 1] = x[2 * row + 1]!;
      by[k] = y[row]!;
    }
    batches.push([bx, by]);
  }
  return batches;
}

export interface JaxEpochResult {
  /** Mean training loss of the last synced steps; validation loss and accuracy after the epoch. */
  readonly loss: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
}

/**
 * A model and its Adam state on the default device, with its two jitted programs compiled once
 * (on the first epoch), as a jax training loop keeps them. Exported for the sanity test: the
 * trained model must separate the circles as shadernet's does.
 */
export class JaxTrainer {
  private readonly step: ReturnType<typeof makeTrainStep>;
  private readonly probabilities: ReturnType<typeof makeProbabilities>;
  private state: AdamState;
  private t = 0;
  private epochs = 0;

  constructor(
    private readonly jax: JaxModule,
    hidden: readonly number[],
    private readonly batchSize: number,
    private readonly seed = 0,
  ) {
    const { numpy: np, tree } = jax;
    this.step = makeTrainStep(jax);
    this.probabilities = makeProbabilities(jax);
    const params = initialParams(jax, hidden, seed);
    const zeros = () => tree.map((p: JArray) => np.zerosLike(p.ref), params) as Params;
    this.state = { params, m: zeros(), v: zeros() };
  }

  /** One epoch over `data` (shuffled), then validation when `data` has it. */
  async fitEpoch(data: TrainingData): Promise<JaxEpochResult> {
    const { numpy: np, tree } = this.jax;
    const pending: JArray[] = [];
    let loss = NaN;
    for (const [bx, by] of batchesOf(data.x, data.y, data.rows, this.batchSize, this.seed * 1000 + this.epochs++)) {
      const n = by.length;
      this.t += 1;
      const [value, next] = this.step(this.state, np.array(bx).reshape([n, 2]), np.array(by).reshape([n, 1]), np.array(adamRate(this.t)));
      this.state = next;
      pending.push(value);
      if (pending.length === SYNC_EVERY) loss = await meanOf(pending.splice(0));
    }
    if (pending.length) loss = await meanOf(pending.splice(0));
    if (!data.valX || !data.valY) return { loss };
    const p = await this.probabilities(tree.ref(this.state.params), np.array(data.valX).reshape([data.valRows, 2])).data();
    const [valLoss, valAccuracy] = bceAndAccuracy(p, data.valY);
    return { loss, valLoss, valAccuracy };
  }

  /** The weights in Keras's get_weights order (W0, b0, W1, b1, …), read back to the CPU. */
  async parameters(): Promise<Float32Array[]> {
    const { w, b } = this.state.params;
    const out: Float32Array[] = [];
    for (let i = 0; i < w.length; i++) out.push(Float32Array.from(await w[i]!.ref.data()), Float32Array.from(await b[i]!.ref.data()));
    return out;
  }

  dispose(): void {
    this.jax.tree.dispose(this.state);
    this.step.dispose();
    this.probabilities.dispose();
  }
}

/** Reads (and consumes) scalar losses; their mean. */
async function meanOf(losses: JArray[]): Promise<number> {
  let sum = 0;
  for (const loss of losses) sum += (await loss.data())[0]!;
  return sum / losses.length;
}

function bceAndAccuracy(p: ArrayLike<number>, y: Float32Array): [number, number] {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i]!, 1e-7), 1 - 1e-7);
    loss -= y[i]! * Math.log(q) + (1 - y[i]!) * Math.log(1 - q);
    correct += Number(p[i]! > 0.5 === y[i]! > 0.5);
  }
  return [loss / y.length, correct / y.length];
}

async function trainingFigure(jax: JaxModule, engine: Engine, w: TrainingWorkload, config: BenchConfig): Promise<Figure> {
  const bounds = config.bounds[engine];
  const data = trainingData(w, bounds.maxTrainRows);
  const estimate = estimateMs(w, data.rows);
  const repeats = repeatsFor(bounds, estimate);
  const trainer = new JaxTrainer(jax, w.hidden, w.batchSize);
  try {
    let warmUp = true;
    if (estimate > 20_000) {
      // A long epoch: compile on a 10-step prefix, as the other runners do.
      await trainer.fitEpoch(trainingData(w, w.batchSize * 10));
      warmUp = false;
    }
    let result: JaxEpochResult | undefined;
    const runs = await timeRuns(
      repeats,
      async () => {
        for (let epoch = 0; epoch < w.epochs; epoch++) result = await trainer.fitEpoch(data);
      },
      warmUp,
    );
    return {
      ...trainingTimes(engine, w, data, runs, repeats),
      loss: result?.loss,
      ...(result?.valAccuracy !== undefined ? { valAccuracy: result.valAccuracy } : {}),
    };
  } finally {
    trainer.dispose();
  }
}

async function predictFigure(jax: JaxModule, engine: Engine, w: PredictWorkload, config: BenchConfig): Promise<Figure> {
  const { numpy: np, tree } = jax;
  const rows = w.grid * w.grid;
  const points = gridPoints(w.grid);
  const params = initialParams(jax, w.hidden, 0);
  const probabilities = makeProbabilities(jax);
  try {
    const repeats = repeatsFor(config.bounds[engine], estimateMs(w));
    let checksum = 0;
    const runs = await timeRuns(repeats, async () => {
      const values = await probabilities(tree.ref(params), np.array(points).reshape([rows, 2])).data();
      checksum = values[rows >> 1]!;
    });
    if (!Number.isFinite(checksum)) throw new Error(`predict returned ${checksum}`);
    const ms = median(runs);
    return { engine, workload: w.id, kind: 'predict', ms, runs, repeats, rows, pointsPerSecond: rows / (ms / 1000) };
  } finally {
    tree.dispose(params);
    probabilities.dispose();
  }
}

/** The jitted op of a kernel workload, on arrays (x, w, b, dz): what jax's autodiff of a dense layer runs. */
function kernelOp(jax: JaxModule, w: KernelWorkload) {
  const { numpy: np, nn } = jax;
  switch (w.op) {
    case 'matmul':
      return jax.jit((x: JArray, k: JArray, b: JArray, dz: JArray) => (b.dispose(), dz.dispose(), np.matmul(x, k)));
    case 'forward':
      return jax.jit((x: JArray, k: JArray, b: JArray, dz: JArray) => (dz.dispose(), nn.relu(np.matmul(x, k).add(b))));
    case 'backward_data':
      return jax.jit(
        (x: JArray, k: JArray, b: JArray, dz: JArray) => (
          b.dispose(),
          np.matmul(dz, k.transpose()).mul(np.greater(x, 0).astype(np.float32))
        ),
      );
    case 'backward_weights':
      // dW and db in one program: the bias gradient's sum is folded into a row appended to dW.
      return jax.jit(
        (x: JArray, k: JArray, b: JArray, dz: JArray) => (
          k.dispose(),
          b.dispose(),
          np.concatenate([np.matmul(x.transpose(), dz.ref), np.sum(dz, 0, { keepdims: true })], 0)
        ),
      );
  }
}

async function kernelFigure(jax: JaxModule, engine: Engine, w: KernelWorkload, config: BenchConfig): Promise<Figure> {
  const { numpy: np } = jax;
  const { rows, inputs, units } = w;
  const x = np.array(uniformData(rows * inputs, 1)).reshape([rows, inputs]);
  const k = np.array(uniformData(inputs * units, 2)).reshape([inputs, units]);
  const b = np.array(uniformData(units, 3));
  const dz = np.array(uniformData(rows * units, 5)).reshape([rows, units]);
  const op = kernelOp(jax, w);
  const dispatches = dispatchesFor(w, engine, config);
  const repeats = repeatsFor(config.bounds[engine], estimateMs(w) * dispatches);
  try {
    const runs = await timeRuns(repeats, async () => {
      const outs: JArray[] = [];
      for (let i = 0; i < dispatches; i++) outs.push(op(x.ref, k.ref, b.ref, dz.ref));
      await jax.blockUntilReady(outs);
      for (const out of outs) out.dispose();
    });
    const ms = median(runs);
    return { engine, workload: w.id, kind: 'kernel', ms, runs, repeats, dispatches, ...kernelRates(w, dispatches, ms) };
  } finally {
    for (const a of [x, k, b, dz]) a.dispose();
    op.dispose();
  }
}

/** Runs one workload on jax-js with its device already the default; failures become a figure with `error`. */
export async function runJax(jax: JaxModule, engine: Engine, workload: Workload, config: BenchConfig): Promise<Figure> {
  return engineFigure(workload, engine, config, () => {
    switch (workload.kind) {
      case 'kernel':
        return kernelFigure(jax, engine, workload, config);
      case 'training':
        return trainingFigure(jax, engine, workload, config);
      case 'predict':
        return predictFigure(jax, engine, workload, config);
    }
  });
}
