/**
 * Training data shared between the models of one device: models that fit on the same data (same
 * shapes, same float32 values) read one resident copy instead of uploading one each — a sweep of
 * 16 variants of a model keeps one dataset on the GPU, not 16.
 *
 * Sharing is by content, not by the identity of the arrays given to fit(): fit validates and
 * converts its inputs into fresh float32 arrays, and two models may be handed equal data through
 * different objects. The registry keeps, for each resident dataset, the float32 values last
 * written into it (the arrays fit built; no further copy) and compares new data against them,
 * bytewise, with an early exit: no hash, so no collision can ever hand a model someone else's data.
 *
 * A shared dataset is never written while another model reads it: a model whose data changes
 * (edited points of the same shape) writes in place only when it is the dataset's only user;
 * otherwise it moves to a dataset holding its new values (found or uploaded) and leaves the old
 * one to the others. Data is reference-counted: the last model to let go frees the buffers.
 */
import type { GpuContext } from '../gpu/context.js';
import { ResidentDataset } from './dataset.js';

/** Float32 rows of features, with their targets and optional per-sample loss weights. */
export interface DatasetValues {
  readonly rows: number;
  readonly features: number;
  readonly x: Float32Array<ArrayBuffer>;
  readonly y?: Float32Array<ArrayBuffer> | undefined;
  readonly weights?: Float32Array<ArrayBuffer> | undefined;
}

/** One resident dataset and the models reading it. */
export interface SharedDataset {
  readonly dataset: ResidentDataset;
}

interface Entry extends SharedDataset {
  values: DatasetValues;
  users: number;
}

/** What the registry of one device holds and has uploaded, for tests and the curious. */
export interface SharedDataReport {
  /** Datasets resident on the GPU now. */
  readonly datasets: number;
  /** Models' holds on them (a model with validation data holds two). */
  readonly users: number;
  /** Writes of data to the GPU so far (a new dataset, or new values written in place). */
  readonly uploads: number;
  /** Bytes of those writes. */
  readonly uploadedBytes: number;
}

const registries = new WeakMap<GpuContext, SharedDatasets>();

/** Byte-for-byte equality of two float32 arrays, or both absent (−0 ≠ 0: the GPU would see different bits). */
function sameBits(a: Float32Array<ArrayBuffer> | undefined, b: Float32Array<ArrayBuffer> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  const left = new Int32Array(a.buffer, a.byteOffset, a.length);
  const right = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  return true;
}

/** Same shapes and values (equal lengths of x and y and the same width give the same rows). */
const sameValues = (a: DatasetValues, b: DatasetValues): boolean =>
  a.features === b.features && sameBits(a.x, b.x) && sameBits(a.y, b.y) && sameBits(a.weights, b.weights);

const byteLength = (values: DatasetValues): number => values.x.byteLength + (values.y?.byteLength ?? 0) + (values.weights?.byteLength ?? 0);

export class SharedDatasets {
  private readonly entries = new Set<Entry>();
  private uploads = 0;
  private uploadedBytes = 0;

  private constructor(private readonly ctx: GpuContext) {}

  /** The registry of `ctx`'s device. */
  static of(ctx: GpuContext): SharedDatasets {
    let registry = registries.get(ctx);
    if (!registry) registries.set(ctx, (registry = new SharedDatasets(ctx)));
    return registry;
  }

  /** A resident dataset holding `values`: one already on the device (one more user), else a new upload. */
  acquire(label: string, values: DatasetValues): SharedDataset {
    const twin = this.find(values);
    if (twin) {
      twin.users++;
      return twin;
    }
    const entry: Entry = {
      dataset: new ResidentDataset(this.ctx, label, values.rows, values.features, values.x, values.y, values.weights),
      values,
      users: 1,
    };
    this.count(values);
    this.entries.add(entry);
    return entry;
  }

  /**
   * Makes the caller's dataset hold `values` (of its shape): the same one when its values are
   * already these (nothing written) or when the caller is its only user and no other dataset
   * holds them (written in place); otherwise the caller moves to a dataset that does (found or
   * uploaded) and releases `held`. The caller rebinds its plans when the result is not `held`.
   */
  update(held: SharedDataset, label: string, values: DatasetValues): SharedDataset {
    const entry = held as Entry;
    if (sameValues(entry.values, values)) return entry;
    // Same shapes here (a session reloads data of its own shapes only; write() checks them).
    if (entry.users === 1 && !this.find(values)) {
      entry.dataset.write(values.x, values.y, values.weights);
      entry.values = values;
      this.count(values);
      return entry;
    }
    const next = this.acquire(label, values);
    this.release(entry);
    return next;
  }

  /** One user fewer; the last one frees the buffers. */
  release(held: SharedDataset): void {
    const entry = held as Entry;
    if (!this.entries.has(entry)) return;
    if (--entry.users > 0) return;
    this.entries.delete(entry);
    entry.dataset.dispose();
  }

  report(): SharedDataReport {
    this.dropDestroyed();
    let users = 0;
    for (const entry of this.entries) users += entry.users;
    return { datasets: this.entries.size, users, uploads: this.uploads, uploadedBytes: this.uploadedBytes };
  }

  /** The live dataset holding `values`, if any. */
  private find(values: DatasetValues): Entry | undefined {
    this.dropDestroyed();
    for (const entry of this.entries) if (sameValues(entry.values, values)) return entry;
    return undefined;
  }

  /**
   * Forgets datasets whose buffers were destroyed behind the registry's back (the context
   * disposed, a test's cleanup): they are never handed out again.
   */
  private dropDestroyed(): void {
    for (const entry of this.entries) if (!this.ctx.isLive(entry.dataset.x)) this.entries.delete(entry);
  }

  private count(values: DatasetValues): void {
    this.uploads++;
    this.uploadedBytes += byteLength(values);
  }
}

/** What the models on `ctx` share of their training data, and what it has cost in uploads. */
export function sharedDataReport(ctx: GpuContext): SharedDataReport {
  return SharedDatasets.of(ctx).report();
}
