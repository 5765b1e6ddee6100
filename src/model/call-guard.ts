/**
 * The calls a model runs and its disposal: fit and evaluate run one at a time, every call that
 * uses the engine is counted, and dispose() during a call frees nothing until every call has
 * settled; calls stop at their next safe point with a StateError, so nothing is ever submitted
 * to a freed buffer.
 */
import { StateError } from '../errors.js';

/** A model's own guard (Sequential keeps it private); its state fields are written here only. */
export class CallGuard {
  /** The exclusive call running now (`fit`, `evaluate`), if any. */
  busy: string | undefined;
  /** > 0 while fit() awaits its callbacks (its GPU work idle: setWeights is allowed then). */
  callbackDepth = 0;
  disposed = false;
  /** Aborted by dispose(): engines that yield mid-epoch (the CPU's) stop at their next step. */
  readonly lifetime = new AbortController();
  /** Calls using the engine right now: dispose() frees it when they have all settled. */
  private activeCalls = 0;

  /** `release` frees the model's engine, once disposed and no call is left. */
  constructor(
    private readonly modelName: () => string,
    private readonly release: () => void,
  ) {}

  assertUsable(): void {
    if (this.disposed) throw new StateError(`Model '${this.modelName()}' was disposed; create a new one.`);
  }

  /** Runs `hook` for every callback in order, awaiting each; inside them setWeights is allowed. */
  async inCallbacks<C>(callbacks: readonly C[], hook: (callback: C) => void | Promise<void> | undefined): Promise<void> {
    this.callbackDepth++;
    try {
      for (const callback of callbacks) await hook(callback);
    } finally {
      this.callbackDepth--;
    }
  }

  /** Runs `work` as the one fit or evaluate of this model at a time (see tracked). */
  async exclusive<T>(what: string, work: (stopIfDisposed: () => void) => Promise<T>): Promise<T> {
    if (this.busy) throw new StateError(`${what}() was called while ${this.busy}() is running on this model; await it first.`);
    this.busy = what;
    try {
      return await this.tracked(what, work);
    } finally {
      this.busy = undefined;
    }
  }

  /**
   * Runs a call that uses the engine. dispose() during it frees nothing until it settles; the
   * call stops at its next check (`stopIfDisposed`, and always at its end) with a StateError.
   */
  async tracked<T>(what: string, work: (stopIfDisposed: () => void) => Promise<T>): Promise<T> {
    this.assertUsable();
    const stopIfDisposed = (): void => {
      if (this.disposed) throw new StateError(`Model '${this.modelName()}' was disposed during ${what}(); the call was stopped and the model's GPU memory freed.`);
    };
    this.activeCalls++;
    try {
      const result = await work(stopIfDisposed);
      stopIfDisposed();
      return result;
    } finally {
      this.activeCalls--;
      if (this.activeCalls === 0 && this.disposed) this.release();
    }
  }

  /** Marks the model disposed (once) and frees it now if no call is in flight. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.lifetime.abort();
    if (this.activeCalls === 0) this.release();
  }
}
