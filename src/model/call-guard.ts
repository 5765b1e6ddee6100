/**
 * The calls a model runs and its disposal: fit and evaluate run one at a time, every call that
 * uses the engine is counted, and dispose() during a call frees nothing until every call has
 * settled; calls stop at their next safe point with a StateError, so nothing is ever submitted
 * to a freed buffer. Sequential extends it; its members are protected, not public API.
 */
import { StateError } from '../errors.js';

export abstract class CallGuard {
  abstract readonly name: string;
  /** The exclusive call running now (`fit`, `evaluate`), if any. */
  protected busy: string | undefined;
  /** > 0 while fit() awaits its callbacks (its GPU work idle: setWeights is allowed then). */
  protected callbackDepth = 0;
  protected disposed = false;
  /** Aborted by dispose(): engines that yield mid-epoch (the CPU's) stop at their next step. */
  protected readonly lifetime = new AbortController();
  /** Calls using the engine right now: dispose() frees it when they have all settled. */
  private activeCalls = 0;

  /** Frees the model's engine: called once disposed and no call is left. */
  protected abstract release(): void;

  protected assertUsable(): void {
    if (this.disposed) throw new StateError(`Model '${this.name}' was disposed; create a new one.`);
  }

  /** Runs `hook` for every callback in order, awaiting each; inside them setWeights is allowed. */
  protected async inCallbacks<C>(callbacks: readonly C[], hook: (callback: C) => void | Promise<void> | undefined): Promise<void> {
    this.callbackDepth++;
    try {
      for (const callback of callbacks) await hook(callback);
    } finally {
      this.callbackDepth--;
    }
  }

  /** Runs `work` as the one fit or evaluate of this model at a time (see tracked). */
  protected async exclusive<T>(what: string, work: (stopIfDisposed: () => void) => Promise<T>): Promise<T> {
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
  protected async tracked<T>(what: string, work: (stopIfDisposed: () => void) => Promise<T>): Promise<T> {
    this.assertUsable();
    const stopIfDisposed = (): void => {
      if (this.disposed)
        throw new StateError(`Model '${this.name}' was disposed during ${what}(); the call was stopped and the model's GPU memory freed.`);
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

  /**
   * Frees every GPU buffer this model owns. Safe to call twice; any later use throws a
   * StateError. Calls in flight (fit, evaluate, predict, also from fit's callbacks) stop at
   * their next safe point and reject with a StateError; the buffers they use are freed once
   * they have settled, so nothing is ever submitted to a freed buffer.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.lifetime.abort();
    if (this.activeCalls === 0) this.release();
  }
}
