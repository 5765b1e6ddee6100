import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EpochEndDetail, StepEndDetail, TrainingRun } from './training-run.js';

/** What the queue reports back to its host after each piece of training. */
export interface TrainingQueueEvents {
  /** An epoch or a step of run `index` was trained (the run's history has grown in place). */
  trained(run: TrainingRun, index: number, detail: EpochEndDetail | StepEndDetail, kind: 'step' | 'epoch'): void;
  /** A piece of work failed; training has stopped. */
  failed(error: unknown): void;
}

/**
 * The playground's training, as a Lit reactive controller: the models of the current
 * generation, and one queue of work on them (rebuilds, play, single steps and epochs, saves),
 * run one piece at a time. Every rebuild starts a new generation; work of an older generation
 * stops at its next check, so a reset, a new dataset or a lost device never trains stale models.
 * Play trains every unfinished model an epoch each in turn until all are done or it is paused;
 * pausing keeps the models, their weights and optimizer state, so play resumes where it stopped.
 */
export class TrainingQueue implements ReactiveController {
  private list: readonly TrainingRun[] = [];
  private playing = false;
  private pending = 0;
  private generation = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly events: TrainingQueueEvents,
  ) {
    host.addController(this);
  }

  /** The models of the current generation (empty while a rebuild is under way). */
  get runs(): readonly TrainingRun[] {
    return this.list;
  }

  /** Play is on: epochs follow each other until the models are done or paused. */
  get running(): boolean {
    return this.playing;
  }

  /** Queued or running work. */
  get busy(): boolean {
    return this.pending > 0;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.playing = false;
    this.generation++;
    const runs = this.list;
    this.list = [];
    for (const run of runs) void run.dispose();
  }

  /** Stops play after the epoch in flight (the models stay as they are). */
  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    this.host.requestUpdate();
  }

  /**
   * Serialises work: one piece at a time, after everything queued before it. Errors go to
   * `onError` (default: the host's `failed`, which stops play).
   */
  enqueue(work: () => Promise<void>, onError: (error: unknown) => void = (error) => this.fail(error)): Promise<void> {
    this.pending++;
    this.host.requestUpdate();
    const next = this.chain
      .then(work)
      .catch(onError)
      .finally(() => {
        this.pending--;
        this.host.requestUpdate();
      });
    this.chain = next;
    return next;
  }

  /** Runs `work` outside the queue (it must not train), counted as busy while it runs. */
  async track(work: () => Promise<void>): Promise<void> {
    this.pending++;
    this.host.requestUpdate();
    try {
      await work();
    } finally {
      this.pending--;
      this.host.requestUpdate();
    }
  }

  /**
   * Replaces the models: pauses, disposes the old ones (once the work before has finished), then
   * `create()`s the new ones, unless another rebuild came meanwhile or `create` returns nothing
   * (no engine to train on). `ready` runs once they are ready.
   */
  rebuild(create: () => readonly TrainingRun[] | undefined, ready?: (runs: readonly TrainingRun[]) => void): void {
    this.playing = false;
    const generation = ++this.generation;
    const old = this.list;
    this.list = [];
    this.host.requestUpdate();
    void this.enqueue(async () => {
      await Promise.all(old.map((run) => run.dispose()));
      if (generation !== this.generation) return;
      const runs = create();
      if (!runs) return;
      this.list = runs;
      this.host.requestUpdate();
      await Promise.all(runs.map((run) => run.ready));
      if (generation !== this.generation) return;
      ready?.(runs);
      this.host.requestUpdate();
    });
  }

  /** Trains every unfinished model, an epoch each in turn, until all are done or paused. */
  play(): void {
    if (this.playing) return;
    // Queued behind any rebuild in flight: the runs it creates are the ones trained.
    this.playing = true;
    this.host.requestUpdate();
    const generation = this.generation;
    void this.enqueue(async () => {
      try {
        while (this.playing && generation === this.generation) {
          const pending = this.list.filter((r) => !r.done);
          if (!pending.length) break;
          for (const run of pending) {
            if (!this.playing || generation !== this.generation) break;
            await this.trainOnce(run, 'epoch');
          }
        }
      } finally {
        if (generation === this.generation) this.pause();
      }
    });
  }

  /** One step (one batch) or one epoch of every model, after pausing. */
  trainAll(kind: 'step' | 'epoch'): void {
    this.pause();
    void this.enqueue(async () => {
      const generation = this.generation;
      for (const run of this.list) {
        if (generation !== this.generation) return;
        await this.trainOnce(run, kind);
      }
    });
  }

  private async trainOnce(run: TrainingRun, kind: 'step' | 'epoch'): Promise<void> {
    if (run.isDisposed) return;
    const index = this.list.indexOf(run);
    const detail = kind === 'epoch' ? await run.trainEpoch() : await run.trainStep();
    if (run.isDisposed) return;
    this.events.trained(run, index, detail, kind);
    this.host.requestUpdate();
  }

  private fail(error: unknown): void {
    this.playing = false;
    this.events.failed(error);
    this.host.requestUpdate();
  }
}
