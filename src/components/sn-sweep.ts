import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BackendName, GpuContext } from '../index.js';
import { sharedDataReport } from '../engine/shared-datasets.js';
import type { BuiltData } from './lib/data.js';
import { selectField } from './lib/form-fields.js';
import { modelConfig, taskMetric } from './lib/model-config.js';
import {
  DEFAULT_SWEEP,
  SWEEP_EPOCHS,
  SWEEP_PLANS,
  SWEEP_SIZES,
  type LayerSpec,
  type PlaygroundState,
  type SweepPlan,
  type SweepSpec,
} from './lib/state.js';
import { SWEEP_PLAN_LABELS, bestIndex, scoreOf, sweepGrid, type SweepGrid, type SweepScore } from './lib/sweep-grid.js';
import { TrainingQueue } from './lib/training-queue.js';
import { TrainingRun } from './lib/training-run.js';
import { baseStyles } from './shared-styles.js';
import type { SnDecisionMap } from './sn-decision-map.js';
import './sn-dataset-view.js';
import './sn-decision-map.js';

/** Detail of `sweep-pick`: the chosen variant, with its trained weights (Keras order, as getWeights gives them). */
export interface SweepPickDetail {
  readonly layers: readonly LayerSpec[];
  readonly learningRate: number;
  readonly weights: readonly Float32Array[];
  readonly label: string;
  /** Epochs it trained. */
  readonly epoch: number;
}

/** Grid cells per side of each variant's map: small maps, 4,096 predictions a pass. */
const SWEEP_MAP_RESOLUTION = 64;

import { describeError as describe } from './lib/describe-error.js';

/**
 * A sweep: a grid of variants of the current model (learning rate × width, or activation ×
 * depth; 2×2 to 4×4) trained from one click on the same data and one GPU device, each with a
 * small live decision map and its last validation accuracy (or MAE) and loss; the best is
 * highlighted, and "Use this model" hands a variant and its trained weights back (`sweep-pick`).
 *
 * The variants come from lib/sweep-grid.ts, their models from lib/model-config.ts, and they train
 * as TrainingRuns in a TrainingQueue, an epoch each in turn, so every map moves on together. All
 * share `gpu` (one GpuContext: same-shaped variants share compiled pipelines) and the same data,
 * which the engine keeps on the GPU once for all of them (models on one device that fit on equal
 * data share one resident copy): `data-data-uploads` counts the data writes since the sweep started.
 *
 * @fires sweep-pick - `CustomEvent<SweepPickDetail>` when a variant is chosen.
 * @fires sweep-change - `CustomEvent<SweepSpec>` when the grid or the epochs are changed (the playground puts it in its URL).
 */
@customElement('sn-sweep')
export class SnSweep extends LitElement {
  // One rule a line: lit's CSS ships as written, and every element counts against the package's size budget.
  // prettier-ignore
  static override styles = [
    baseStyles,
    css`
      :host{display:block}
      .bar{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:end}
      .bar label{display:flex;flex-direction:column;font-size:12px;color:var(--sn-muted);gap:2px}
      .hint,.status{font-size:12px;color:var(--sn-muted);margin:6px 0}
      .status{color:var(--sn-text)}
      .error{color:var(--sn-danger)}
      .grid{display:grid;grid-template-columns:auto repeat(var(--cols), minmax(0, 320px));gap:8px;align-items:start;justify-content:start;margin-top:8px}
      .axis{font-size:12px;font-weight:600;color:var(--sn-muted);text-align:center}
      .axis.row{writing-mode:vertical-rl;transform:rotate(180deg);align-self:center}
      .variant{border:1px solid var(--sn-line);border-radius:8px;padding:6px;min-width:0;position:relative}
      .variant.best{border-color:var(--sn-accent);box-shadow:0 0 0 2px var(--sn-accent)}
      .variant header{display:flex;justify-content:space-between;gap:6px;font-size:11px;color:var(--sn-muted);white-space:nowrap}
      .variant h3{font-size:12px;text-transform:none;letter-spacing:0;color:var(--sn-text);margin:0 0 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
      .badge{position:absolute;top:-9px;right:8px;background:var(--sn-accent);color:#fff;border-radius:999px;padding:0 8px;font-size:11px;font-weight:600}
      .score{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 6px;font-size:12px;margin:4px 0}
      .score strong{font:600 13px var(--sn-mono)}
      .variant button{width:100%;min-height:28px;font-size:12px}
    `,
  ];

  /** The data every variant trains on (the playground's). */
  @property({ attribute: false }) data: BuiltData | undefined;
  /** The settings the variants start from: model, optimizer, schedule, batch size, seed, map options. */
  @property({ attribute: false }) settings: PlaygroundState | undefined;
  /** The GPU the variants share (with `backend` `webgpu`). */
  @property({ attribute: false }) gpu: GpuContext | undefined;
  /** Where the variants train: `webgpu` (on `gpu`) or `cpu`; unset, a sweep cannot start. */
  @property() backend: BackendName | undefined;

  /** The grid (axes, values per axis) and the epochs of each variant; the selects change it and fire `sweep-change`. */
  @property({ attribute: false }) spec: SweepSpec = DEFAULT_SWEEP;
  /** The grid of the current runs (undefined before the first sweep). */
  @state() private grid: SweepGrid | undefined;
  @state() private error: string | undefined;
  @state() private picked: number | undefined;
  private started = 0;
  /** The device's count of data uploads when the sweep started (see sharedDataReport). */
  private uploadsBefore = 0;
  /** Wall time from the first epoch queued to the last one trained, once every variant is done. */
  private elapsedMs: number | undefined;

  private readonly queue = new TrainingQueue(this, {
    trained: (_run, index) => {
      if (this.elapsedMs === undefined && this.queue.runs.every((r) => r.done)) this.elapsedMs = performance.now() - this.started;
      // Never awaited: the next variant's epoch is queued on the GPU right behind this map's pass.
      void this.renderRoot.querySelector<SnDecisionMap>(`sn-decision-map[data-run="${index}"]`)?.refresh();
    },
    failed: (error) => {
      this.error = `The sweep stopped: ${describe(error)}`;
    },
  });

  /** The variants' runs, row-major as in the grid. */
  get runs(): readonly TrainingRun[] {
    return this.queue.runs;
  }

  /** A sweep is training (play is on). */
  get running(): boolean {
    return this.queue.running;
  }

  /** Builds the grid from the current settings and trains every variant, an epoch each in turn. */
  start(): void {
    const { data, settings, backend, gpu } = this;
    if (!data || !settings || !backend) return;
    const grid = sweepGrid({ layers: settings.layers, learningRate: settings.learningRate }, this.spec);
    const epochs = this.spec.epochs;
    this.grid = grid;
    this.error = undefined;
    this.picked = undefined;
    this.elapsedMs = undefined;
    this.uploadsBefore = this.uploads();
    this.queue.rebuild(
      () => {
        if (backend === 'webgpu' && (!gpu || gpu.isLost || gpu.isDisposed)) return undefined;
        return grid.variants.map(
          (variant) =>
            new TrainingRun({
              ...(backend === 'cpu' ? { backend: 'cpu' as const } : { backend: 'webgpu' as const, gpu: gpu! }),
              layers: variant.layers,
              config: modelConfig({
                task: data.task,
                classes: data.classes,
                layers: variant.layers,
                learningRate: variant.learningRate,
                optimizer: settings.optimizer,
                schedule: settings.schedule,
                seed: settings.seed,
              }),
              epochs,
              seed: settings.seed,
              batchSize: settings.batchSize,
              data: { train: data.train, validation: data.validation },
              label: variant.label,
            }),
        );
      },
      () => (this.started = performance.now()),
    );
    this.queue.play();
  }

  pause(): void {
    this.queue.pause();
  }

  /** Goes on training the unfinished variants. */
  resume(): void {
    this.queue.play();
  }

  /** Hands variant `index` and its weights to the host (`sweep-pick`), between epochs. */
  pick(index: number): void {
    const run = this.queue.runs[index];
    const variant = this.grid?.variants[index];
    if (!run || !variant) return;
    this.queue.pause();
    void this.queue.enqueue(async () => {
      if (run.isDisposed) return;
      const weights = await run.model.getWeights();
      this.picked = index;
      const detail: SweepPickDetail = {
        layers: variant.layers,
        learningRate: variant.learningRate,
        weights,
        label: variant.label,
        epoch: run.epoch,
      };
      this.dispatchEvent(new CustomEvent<SweepPickDetail>('sweep-pick', { detail, bubbles: true, composed: true }));
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('data') as BuiltData | undefined;
    if (
      changed.has('gpu') ||
      changed.has('backend') ||
      (before && this.data && (before.task !== this.data.task || before.classes !== this.data.classes))
    ) {
      // Another engine or another kind of output: the variants mean nothing any more.
      if (this.grid) this.clear();
    } else if (before && this.data) {
      // Edited points (or a new dataset of the same kind): used from each variant's next epoch.
      for (const run of this.queue.runs) run.setData({ train: this.data.train, validation: this.data.validation });
    }
    const runs = this.queue.runs;
    this.setAttribute('data-models', String(runs.length));
    this.setAttribute('data-done', String(runs.filter((r) => r.done).length));
    this.setAttribute('data-running', String(this.queue.running));
    this.setAttribute('data-busy', String(this.queue.busy));
    this.setAttribute('data-data-uploads', String(this.uploads() - this.uploadsBefore));
  }

  /** Data writes to the sweep's GPU so far (0 on the CPU engine). */
  private uploads(): number {
    return this.backend === 'webgpu' && this.gpu && !this.gpu.isDisposed ? sharedDataReport(this.gpu).uploads : 0;
  }

  /** A new grid or epoch count, from the selects. */
  private change(next: Partial<SweepSpec>): void {
    this.spec = { ...this.spec, ...next };
    this.dispatchEvent(new CustomEvent<SweepSpec>('sweep-change', { detail: this.spec, bubbles: true, composed: true }));
  }

  private clear(): void {
    this.grid = undefined;
    this.queue.rebuild(() => undefined);
  }

  private scores(): SweepScore[] {
    const metric = taskMetric(this.data?.task ?? 'binary');
    return this.queue.runs.map((run) => scoreOf(run.history, metric));
  }

  protected override render(): TemplateResult {
    const runs = this.queue.runs;
    const running = this.queue.running;
    const unfinished = runs.some((r) => !r.done);
    const size = (label: string, value: number, change: (n: number) => void): TemplateResult =>
      selectField({ label, options: SWEEP_SIZES, selected: value, disabled: running, change });
    const { plan, rows, cols, epochs } = this.spec;
    return html`<div class="bar">
        ${selectField({ label: 'Sweep', name: 'Sweep axes', options: SWEEP_PLANS, selected: plan, text: (p: SweepPlan) => SWEEP_PLAN_LABELS[p], disabled: running, change: (p: SweepPlan) => this.change({ plan: p }) })}
        ${size(plan === 'lr-width' ? 'Rates' : 'Activations', rows, (n) => this.change({ rows: n }))}
        ${size(plan === 'lr-width' ? 'Widths' : 'Depths', cols, (n) => this.change({ cols: n }))}
        ${selectField({ label: 'Epochs each', options: SWEEP_EPOCHS, selected: epochs, disabled: running, change: (n) => this.change({ epochs: n }) })}
        <button class="primary" ?disabled=${!this.backend || !this.data || running} @click=${() => this.start()}>
          Run sweep of ${rows * cols}
        </button>
        ${
          running
            ? html`<button @click=${() => this.pause()}>Pause</button>`
            : unfinished && runs.length
              ? html`<button @click=${() => this.resume()}>Resume</button>`
              : nothing
        }
      </div>
      <p class="hint">
        Variants of the model on the left, on the same data, batch size, optimizer and seed, trained on one
        ${this.backend === 'cpu' ? 'CPU engine' : 'GPU device'} an epoch each in turn. Maps show the validation points.
      </p>
      ${this.error ? html`<p class="status error" role="alert">${this.error}</p>` : nothing} ${this.renderStatus()} ${this.renderGrid()}`;
  }

  private renderStatus(): TemplateResult | typeof nothing {
    const runs = this.queue.runs;
    if (!runs.length || !this.grid) return nothing;
    const done = runs.filter((r) => r.done).length;
    const best = bestIndex(this.scores(), taskMetric(this.data?.task ?? 'binary'));
    const total = this.elapsedMs === undefined ? '' : ` in ${(this.elapsedMs / 1000).toFixed(1)} s`;
    return html`<p class="status" role="status" data-testid="sweep-status">
      ${done}/${runs.length} models
      trained${total}${best >= 0 ? html` · best so far: <strong>${this.grid.variants[best]?.label}</strong>` : nothing}
    </p>`;
  }

  private renderGrid(): TemplateResult | typeof nothing {
    const grid = this.grid;
    const data = this.data;
    const settings = this.settings;
    if (!grid || !data || !settings) return nothing;
    const metric = taskMetric(data.task);
    const scores = this.scores();
    const best = bestIndex(scores, metric);
    const cols = grid.colLabels.length;
    return html`<div class="grid" style="--cols:${cols}" role="list" aria-label="Sweep variants">
      <span></span>
      ${grid.colLabels.map((label) => html`<span class="axis col">${label}</span>`)}
      ${grid.rowLabels.map(
        (rowLabel, row) =>
          html`<span class="axis row">${rowLabel}</span>
            ${grid.variants.slice(row * cols, (row + 1) * cols).map((variant, col) => this.renderVariant(variant.label, row * cols + col, scores[row * cols + col], best === row * cols + col))}`,
      )}
    </div>`;
  }

  private renderVariant(label: string, index: number, score: SweepScore | undefined, best: boolean): TemplateResult {
    const data = this.data!;
    const settings = this.settings!;
    const run = this.queue.runs[index];
    const metric = taskMetric(data.task);
    const value = score?.metric;
    const shown = value === undefined ? '–' : metric === 'mae' ? value.toPrecision(3) : `${(value * 100).toFixed(1)} %`;
    return html`<article class="variant ${best ? 'best' : ''}" role="listitem" aria-label=${label} data-variant=${index}>
      ${best ? html`<span class="badge">best</span>` : nothing}
      <header>
        <h3 title=${label}>${label}</h3>
        <span>epoch ${run?.epoch ?? 0}/${run?.epochs ?? this.spec.epochs}</span>
      </header>
      <sn-dataset-view
        label="${label}: validation data and decision map"
        no-legend
        hide-training
        x-label=""
        y-label=""
        task=${data.task}
        classes=${data.classes}
        .valueRange=${data.valueRange}
        .train=${data.train}
        .validation=${data.validation}
        .domain=${data.domain}
      >
        <sn-decision-map
          slot="background"
          data-run=${index}
          resolution=${SWEEP_MAP_RESOLUTION}
          ?discretize=${settings.discretize}
          threshold=${settings.threshold}
          task=${data.task}
          classes=${data.classes}
          .valueRange=${data.valueRange}
          .model=${run}
        ></sn-decision-map>
      </sn-dataset-view>
      <div class="score">
        <span>val ${metric === 'mae' ? 'MAE' : 'acc.'} <strong data-testid="val-metric">${shown}</strong></span>
        <span>loss <strong data-testid="val-loss">${score?.loss === undefined ? '–' : score.loss.toFixed(3)}</strong></span>
      </div>
      <button
        class=${best ? 'primary' : ''}
        ?disabled=${!run || !run.epoch}
        @click=${() => this.pick(index)}
        aria-label="Use ${label} as the model"
      >
        ${this.picked === index ? 'Loaded ✓' : 'Use this model'}
      </button>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-sweep': SnSweep;
  }
  interface HTMLElementEventMap {
    'sweep-pick': CustomEvent<SweepPickDetail>;
    'sweep-change': CustomEvent<SweepSpec>;
  }
}
