import type { GpuContext } from '../gpu/context.js';
import { fusedActivationProblem, fusedTileFloats, fusedTileRows, type FusedLayer, type FusedMlpOptions } from '../kernels/fused-mlp.js';
import type { Activation } from '../spec/activations.js';
import type { LossSpec } from '../spec/loss.js';
import { hasInputDropout, hiddenActivation, type NetworkShape } from '../spec/network.js';
import type { ParameterBuffers } from './parameters.js';

/**
 * Which kernels run a model's steps: `fused`, the whole network in one dispatch
 * (shaders/fused_mlp.wgsl), or `layered`, a dispatch (or more) per layer.
 */
export type KernelPath = 'fused' | 'layered';

/** Per device: the preferred path of training steps and of forward passes alone (predict, evaluate). */
const preferences = new WeakMap<GPUDevice, { readonly training: KernelPath | undefined; readonly forward: KernelPath | undefined }>();

/**
 * Without a preference, networks up to this many multiply-adds per row train fused. Measured on
 * SwiftShader (idle, 2 cores, batch 32, Adam, 4,000 rows, both paths in one run), fused ÷ layered
 * speed: `npm run bench:kernels` (Node) 2→1 3.25×, 2→5→1 2.89×, 2→128→1 1.20×, 2→128→128→1
 * 0.82×; `npm run bench:browser` (Chromium) 3.1×, 2.1×, 1.1×, 0.57×. The fused step runs in
 * one workgroup (one CPU thread there; more were slower, see FUSED_TRAIN_MIN_MACS_PER_WORKGROUP)
 * while the layered kernels spread over both cores: past small networks compute, not
 * dispatches, decides. On a GPU, whose dispatches cost more than SwiftShader's, fusion should
 * pay further: `npm run bench:gpu` measures both paths (its shadernet-fused and -layered engines).
 */
const AUTO_FUSED_MAX_MACS_PER_ROW = 512;
/**
 * The same bound for a forward pass alone (predict, evaluate): none runs fused by default.
 * Measured on SwiftShader (the 200×200 map's 40,000 rows read back, both paths in one run),
 * fused ÷ layered speed: `npm run bench:kernels` (idle) 2→1 0.15×, 2→5→1 0.16×, 2→128→1 0.64×,
 * 2→128→128→1 0.66×; `npm run bench:browser` 0.12–0.20×, 0.25×, 0.34–0.51×, 0.46–0.50×. There each fused layer costs two
 * workgroup barriers per tile, the layered dense kernels none, and a forward pass has no backward
 * dispatches for fusion to save. The `fused` preference still fuses every eligible network.
 */
const AUTO_FUSED_PREDICT_MAX_MACS_PER_ROW = 0;
/**
 * Rows a fused forward pass's tile is sized for, within the device's workgroup memory (28 rows
 * of 2→128→128→1 in 32 KB): its workgroups loop over tiles, so a bigger tile costs memory once
 * per workgroup and shares each barrier among more rows.
 */
const FUSED_PREDICT_TILE_TARGET_ROWS = 64;

/**
 * Internal: makes plans created on `device` from now on prefer `path` (`fused` still falls back
 * where a model is not eligible), or go back to the default choice (AUTO_FUSED_MAX_MACS_PER_ROW,
 * AUTO_FUSED_PREDICT_MAX_MACS_PER_ROW) with undefined; `forward`, when given, for predict and
 * evaluate instead (a fit's validation included). For tests and the benchmark, which compare
 * both paths in one run.
 */
export function preferKernels(device: GPUDevice, path: KernelPath | undefined, forward: KernelPath | undefined = path): void {
  if (path === undefined && forward === undefined) preferences.delete(device);
  else preferences.set(device, { training: path, forward });
}

/** Forward multiply-adds of one row through `layers` (what the kernel-choice bounds count). */
function macsPerRow(layers: readonly { readonly inputs: number; readonly units: number }[]): number {
  return layers.reduce((macs, layer) => macs + layer.inputs * layer.units, 0);
}

/** What a fused plan needs: the layers' descriptors and the tile's size on this device. */
export interface FusedLayout extends FusedMlpOptions {
  readonly layers: readonly FusedLayer[];
}

/**
 * The fused layout of `network`, or undefined when it runs layered: layered preferred on this
 * device, no preference and more than AUTO_FUSED_MAX_MACS_PER_ROW multiply-adds per row (forward
 * only: AUTO_FUSED_PREDICT_MAX_MACS_PER_ROW), a
 * hidden layer whose activation cannot be fused (softmax; for training gelu and swish, whose
 * slopes need their pre-activation), dropout in training, a loss other than binary
 * cross-entropy from logits on one output unit, or layers too wide for one row of the tile in
 * this device's workgroup memory. `loss` undefined: forward only (predict), where any
 * element-wise output activation fuses; `outputActivation` is the one the plan applies last.
 */
export function fusedLayout(
  ctx: GpuContext,
  network: NetworkShape,
  parameters: ParameterBuffers,
  use: {
    readonly training: boolean;
    readonly loss?: LossSpec;
    readonly logits?: boolean;
    readonly outputActivation: Activation | 'softmax';
  },
): FusedLayout | undefined {
  const preference = preferences.get(ctx.device)?.[use.training ? 'training' : 'forward'];
  if (preference === 'layered') return undefined;
  const layers = network.layers;
  const autoLimit = use.training ? AUTO_FUSED_MAX_MACS_PER_ROW : AUTO_FUSED_PREDICT_MAX_MACS_PER_ROW;
  if (preference === undefined && macsPerRow(layers) > autoLimit) return undefined;
  const last = layers[layers.length - 1]!;
  const outputActivation = use.outputActivation;
  if (outputActivation === 'softmax') return undefined;
  if (use.training) {
    if (use.loss?.kind !== 'binary_crossentropy' || !use.logits || last.units !== 1 || outputActivation !== 'linear') return undefined;
    if (layers.some(hasInputDropout)) return undefined;
  }
  const hidden = layers.slice(0, -1);
  // Forward only, an activation is applied, never differentiated: only softmax is refused.
  const refused = hidden.some((layer) =>
    use.training ? fusedActivationProblem(layer.activation) !== undefined : layer.activation === 'softmax',
  );
  if (refused) return undefined;
  const tileFloats = fusedTileFloats(layers, ctx.limits, use.training ? undefined : FUSED_PREDICT_TILE_TARGET_ROWS);
  const tileRows = fusedTileRows(layers, tileFloats);
  if (tileRows < 1) return undefined;
  return {
    tileFloats,
    tileRows,
    layers: layers.map((layer, i): FusedLayer => {
      const { kernel, bias } = parameters.layer(i);
      const activation = i === layers.length - 1 ? outputActivation : hiddenActivation(layer);
      return {
        inputs: layer.inputs,
        units: layer.units,
        activation,
        // A final activation other than the layer's own (linear logits) has no parameter.
        ...(activation === layer.activation && layer.alpha !== undefined ? { alpha: layer.alpha } : {}),
        weightsOffset: kernel.offset,
        biasOffset: bias?.offset,
      };
    }),
  };
}

/**
 * Rows per tile of a fused training step: small tiles deal a batch to more workgroups (on
 * SwiftShader a workgroup runs on one CPU thread; on a GPU on one core), at the price of a
 * gradient slice per workgroup and less reuse of each weight read.
 */
const FUSED_TRAIN_TILE_ROWS = 8;
/**
 * Forward multiply-adds a workgroup of a fused step gets at least: below it, a workgroup's fixed
 * cost outweighs the parallelism. On SwiftShader (bench:kernels, 2 idle cores, 5 rounds)
 * 2→128→128→1 at batch 32 (536k per step) trained an epoch in 0.72–0.93 s with one workgroup,
 * 1.0 s with two and 1.5 s with four; logistic regression's epoch took 35–40 ms with one and
 * 66 ms with two. So the tutorial's batches run in one workgroup; batches of 256 rows and more
 * of such a network split. On a GPU, whose cores idle otherwise, a lower threshold may pay:
 * re-measure there (`npm run bench:gpu` has the forced-path engines).
 */
const FUSED_TRAIN_MIN_MACS_PER_WORKGROUP = 1 << 20;
/** Workgroups of one fused step at most, and the floats their gradient slices may take together. */
const FUSED_TRAIN_MAX_WORKGROUPS = 64;
const FUSED_TRAIN_MAX_SLICE_FLOATS = 1 << 22;

/** How a fused training step deals a batch of `batchRows` rows to workgroups. */
export interface FusedTrainSplit {
  readonly tileRows: number;
  readonly workgroups: number;
}

const workgroupPreferences = new WeakMap<GPUDevice, number>();

/**
 * Internal: fused training steps planned on `device` from now on deal each batch to this many
 * workgroups (fewer where a batch has fewer tiles), or to FUSED_TRAIN_MIN_MACS_PER_WORKGROUP's
 * split again with undefined. For tests and benchmarks, which measure and check the split.
 */
export function preferFusedWorkgroups(device: GPUDevice, workgroups: number | undefined): void {
  if (workgroups === undefined) workgroupPreferences.delete(device);
  else workgroupPreferences.set(device, workgroups);
}

/** The workgroup count preferred on `device` for fused training steps, if any. */
export function fusedWorkgroupPreference(device: GPUDevice): number | undefined {
  return workgroupPreferences.get(device);
}

/**
 * The workgroups and rows per tile of a fused training step over batches of `batchRows` rows,
 * for a layout whose tile holds up to `layout.tileRows` rows and `gradientStride` floats per
 * gradient slice: a tile per workgroup, each with at least FUSED_TRAIN_MIN_MACS_PER_WORKGROUP
 * (or `preferred` workgroups), within FUSED_TRAIN_MAX_WORKGROUPS and
 * FUSED_TRAIN_MAX_SLICE_FLOATS; tiles of equal size in whole 4-row register blocks, so that no
 * workgroup waits for a longer one.
 */
export function fusedTrainSplit(layout: FusedLayout, batchRows: number, gradientStride: number, preferred?: number): FusedTrainSplit {
  const smallest = Math.min(layout.tileRows, preferred === undefined ? FUSED_TRAIN_TILE_ROWS : 4);
  const tiles = Math.ceil(batchRows / smallest);
  const wanted = preferred ?? Math.floor((batchRows * macsPerRow(layout.layers)) / FUSED_TRAIN_MIN_MACS_PER_WORKGROUP);
  const affordable = Math.floor(FUSED_TRAIN_MAX_SLICE_FLOATS / gradientStride);
  const workgroups = Math.max(1, Math.min(tiles, wanted, FUSED_TRAIN_MAX_WORKGROUPS, affordable));
  const even = Math.ceil(batchRows / workgroups);
  const tileRows = Math.min(layout.tileRows, even >= 4 ? Math.ceil(even / 4) * 4 : even);
  // Whole blocks can leave the last workgroups without rows (5 rows in blocks of 4): drop them.
  return { tileRows, workgroups: Math.min(workgroups, Math.ceil(batchRows / tileRows)) };
}

/**
 * Forward multiply-adds a workgroup of a fused forward pass (predict, evaluate) gets at least.
 * On SwiftShader fewer, longer workgroups ran faster (2→128→128→1 over 40,000 rows, measured on
 * the vec4-tile kernel of ce0e5ad: 64 workgroups per 4,096-row chunk 2.0 s, 16 per chunk 1.3 s,
 * 4 per chunk no faster than 16); a GPU still gets one per 4M multiply-adds (16 per chunk of
 * 2→128→128→1).
 */
const FUSED_PREDICT_MIN_MACS_PER_WORKGROUP = 1 << 22;

/** Workgroups of a fused forward pass over windows of up to `rows` rows (each loops over every G-th tile). */
export function fusedPredictWorkgroups(layout: FusedLayout, rows: number): number {
  const tiles = Math.ceil(rows / layout.tileRows);
  return Math.max(1, Math.min(tiles, Math.floor((rows * macsPerRow(layout.layers)) / FUSED_PREDICT_MIN_MACS_PER_WORKGROUP)));
}
