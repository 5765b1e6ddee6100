import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WorkerHost } from '../../index.js';

/**
 * A page's one training worker, as a Lit reactive controller: started on first use, terminated
 * when the element leaves the page. Every model of the page trains in it (WorkerModel on a port
 * of its own), on one GPU device, so the pipelines compiled for one model (on load, by its
 * warm(); or by its first epoch) serve every later one, instead of a fresh device per run.
 */
export class TrainingWorker implements ReactiveController {
  private started: WorkerHost | undefined;

  constructor(
    element: ReactiveControllerHost,
    /** The worker script (undefined: WorkerModel's default, next to the library). */
    private readonly script: () => string | URL | undefined,
  ) {
    element.addController(this);
  }

  /** The worker, started now if need be; undefined where it cannot start (a run then trains on the page's thread and says why). */
  host(): WorkerHost | undefined {
    if (!this.started) {
      const workerUrl = this.script();
      try {
        this.started = WorkerHost.start(workerUrl === undefined ? {} : { workerUrl });
      } catch {
        return undefined;
      }
    }
    return this.started;
  }

  hostConnected(): void {}

  /** Terminates the worker, and with it any model still in it and its GPU memory. */
  hostDisconnected(): void {
    this.started?.dispose();
    this.started = undefined;
  }
}
