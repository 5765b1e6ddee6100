/**
 * WorkerHost: one Web Worker that serves any number of WorkerModels, one after the other or at
 * once. The models of one worker share its GPU device, so the pipelines compiled for one (by its
 * first fit, or ahead of it by `warm()`) serve every later one: a page that trains model after
 * model (a playground, a sweep) compiles once instead of once per model.
 *
 * @example
 * const host = WorkerHost.start();
 * const first = await WorkerModel.create(model, { host });
 * first.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
 * await first.warm(); // compiles its pipelines in the worker, before any click
 * first.dispose(); // the worker stays, with its compiled pipelines
 * const second = await WorkerModel.create(otherModel, { host }); // same device: nothing to compile again
 * host.dispose(); // terminates the worker
 */
import { StateError, UnsupportedError } from '../errors.js';
import type { MessageEndpoint, Notice } from './protocol.js';

/** A MessagePort as WorkerModel uses it (typed structurally, like MessageEndpoint). */
export type ModelPort = MessageEndpoint & { start(): void; close(): void };

export class WorkerHost {
  private disposed = false;
  /** Why the worker failed (its script did not load, say): every connection after it fails with this. */
  private failure: Error | undefined;
  private readonly failureListeners = new Set<(error: Error) => void>();

  private constructor(private readonly worker: Worker) {
    worker.addEventListener('error', (event) => {
      this.failure ??= new UnsupportedError(`The shadernet worker failed: ${event.message || 'its script could not be loaded'}.`);
      for (const listener of this.failureListeners) listener(this.failure);
    });
  }

  /**
   * Starts the worker script (the package's `shadernet/worker` entry): `workerUrl`, or the file
   * next to the library, as WorkerModelOptions.workerUrl.
   */
  static start(options: { readonly workerUrl?: string | URL } = {}): WorkerHost {
    return new WorkerHost(startWorker(options.workerUrl));
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal A new port with a model server of its own in the worker (what WorkerModel.create({ host }) uses). */
  connect(): ModelPort {
    if (this.disposed) throw new StateError('This WorkerHost was disposed; start a new one.');
    if (this.failure) throw this.failure;
    const channel = new MessageChannel();
    const notice: Notice = { kind: 'connect', port: channel.port2 };
    this.worker.postMessage(notice, [channel.port2]);
    return channel.port1;
  }

  /** @internal Calls `listener` if the worker fails (now, if it already has); returns the unsubscribe. */
  onFailure(listener: (error: Error) => void): () => void {
    if (this.failure) listener(this.failure);
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** Terminates the worker: its models stop, and its GPU memory is freed. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failureListeners.clear();
    this.worker.terminate();
  }
}

/** @internal
 * Starts the worker script: the given URL, or the package's. The default is written out as
 * `new Worker(new URL('…', import.meta.url), { type: 'module' })`, the one form Vite, webpack and
 * Parcel recognise and bundle.
 */
export function startWorker(url: string | URL | undefined): Worker {
  if (typeof Worker === 'undefined') throw new UnsupportedError('WorkerModel needs Web Workers, which this environment does not have.');
  try {
    return new Worker(url ?? new URL('./shadernet-worker.js', import.meta.url), { type: 'module', name: 'shadernet' });
  } catch (error) {
    // A classic-script bundle (esbuild's default iife format) has no import.meta.url to resolve against.
    throw new UnsupportedError(
      `WorkerModel cannot locate its worker script (${String(error)}): bundle as an ES module (esbuild --format=esm) ` +
        'with the shadernet/worker entry next to it, or pass options.workerUrl.',
      { cause: error },
    );
  }
}
