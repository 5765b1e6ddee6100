import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { DEFAULT_DOMAIN, gridPoints, sameDomain, type Domain } from './lib/geometry.js';
import { argmaxRow, outputsPerCell, paintMap, type MapMode } from './lib/map-render.js';
import type { Task } from './lib/state.js';
import { domainConverter } from './sn-dataset-view.js';

/**
 * What the map needs from a model: the library's Sequential (or a TrainingRun) fits as is.
 * `predictLayers` is used when the map is asked for every layer (`with-layers`).
 */
export interface GridPredictor {
  predict(x: { data: Float32Array; shape: [number, number] }): Promise<Float32Array>;
  predictLayers?(x: { data: Float32Array; shape: [number, number] }): Promise<Float32Array[]>;
}

/** Detail of `map-update`: the probabilities drawn, and (with `with-layers`) every layer's activations. */
export interface MapUpdateDetail {
  /** The model's outputs per grid cell, row-major from the top-left corner: P(class 1), k probabilities, or a value. */
  readonly probabilities: Float32Array;
  /** Every layer's outputs (rows × units), the last one being `probabilities`; only with `with-layers`. */
  readonly layers: readonly Float32Array[] | undefined;
  readonly resolution: number;
  readonly domain: Domain;
  /** Time of the GPU pass and read-back, in ms. */
  readonly ms: number;
}

/**
 * A model's decision map: its output over a resolution × resolution grid of the domain,
 * computed on the GPU in one predict pass (one `predictLayers` pass with `with-layers`, whose
 * hidden-layer activations come with the `map-update` event; on the CPU engine, by the model's
 * predict, which a TrainingRun splits into chunks) and drawn with one putImageData.
 * By `task`: P(class 1) in continuous coolwarm colours, or two colours split at `threshold`
 * with `discretize` (binary); the most likely of `classes` classes in its colour, paler where
 * the model is unsure, or plain with `discretize` (multiclass); the predicted value in viridis
 * over `valueRange` (regression).
 *
 * `refresh()` recomputes it; calls made while a pass is running (or waiting for its time budget,
 * `max-share`) are merged into one more pass, so calling it after every epoch never queues up
 * work or takes more than its share of the GPU. It also refreshes by itself when
 * `model`, `domain` or `resolution` change. Put it in `<sn-dataset-view>`'s background slot
 * to draw it behind the points (the view then sets its domain).
 *
 * @fires map-update - `CustomEvent<MapUpdateDetail>` after each drawn pass.
 * @fires map-error - `CustomEvent<{ error: unknown }>` when a pass fails (the last map stays).
 */
@customElement('sn-decision-map')
export class SnDecisionMap extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      aspect-ratio: 1;
      background: #fff;
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
    }
    .message {
      position: absolute;
      left: 8px;
      right: 8px;
      top: 8px;
      font: 12px/1.4 system-ui, sans-serif;
      background: rgb(255 255 255 / 0.9);
      border-left: 3px solid #b4041f;
      color: #7a0a1b;
      padding: 4px 8px;
      overflow-wrap: anywhere;
    }
  `;

  /** The model to map; setting it starts a pass. */
  @property({ attribute: false }) model: GridPredictor | undefined;
  /** The region mapped, "xMin xMax yMin yMax" (set by a host `<sn-dataset-view>`). */
  @property({ converter: domainConverter }) domain: Domain | undefined;
  /** Grid cells per side (16–512; default 200, i.e. 40,000 predictions per pass). */
  @property({ type: Number }) resolution = 200;
  /** Two colours, split at `threshold`, instead of the continuous map. */
  @property({ type: Boolean, reflect: true }) discretize = false;
  @property({ type: Number }) threshold = 0.5;
  /** What the model predicts: `binary` (P(class 1)), `multiclass` (k probabilities), `regression` (a value). */
  @property() task: Task = 'binary';
  /** Classes of a multiclass model (its outputs per cell). */
  @property({ type: Number }) classes = 2;
  /** Regression: the values at the two ends of the colour map. */
  @property({ attribute: false }) valueRange: { readonly min: number; readonly max: number } = { min: -1, max: 1 };
  /** Run predictLayers and send every layer's activations with `map-update` (for hidden-unit maps). */
  @property({ type: Boolean, attribute: 'with-layers' }) withLayers = false;
  /**
   * Largest fraction of the time the map's passes may take while refresh() is called again and
   * again (e.g. after every epoch): later calls wait, merged into one (default 0.5; 1 = no wait).
   */
  @property({ type: Number, attribute: 'max-share' }) maxShare = 0.5;
  /** Accessible name. */
  @property() label = 'Decision map';
  /**
   * The model is training: the map redraws by itself every `live-interval` ms (besides every
   * refresh()), on a coarser grid of `live-resolution` cells a side so that drawing costs
   * training little; once `live` is off it redraws at full `resolution`.
   */
  @property({ type: Boolean, reflect: true }) live = false;
  @property({ type: Number, attribute: 'live-resolution' }) liveResolution = 48;
  @property({ type: Number, attribute: 'live-interval' }) liveInterval = 400;

  @state() private error: string | undefined;
  @query('canvas') private canvas!: HTMLCanvasElement;
  private current: { values: Float32Array; resolution: number } | undefined;
  private inflight: Promise<void> | undefined;
  private again = false;
  private grid: { key: string; points: Float32Array } | undefined;
  private passes = 0;
  private notBefore = 0;
  private liveTimer: ReturnType<typeof setInterval> | undefined;
  /** The model and grid of the last timed pass. */
  private timed: { model: GridPredictor | undefined; grid: number } | undefined;

  /** The probabilities last drawn (row-major from the top-left), or undefined before the first pass. */
  get values(): Float32Array | undefined {
    return this.current?.values;
  }

  /**
   * What the model predicts at a point of the plot, given as fractions of its width and height
   * from the top-left corner (from the last pass): "P(class 1) 0.87 → class 1", "class 2
   * (p 0.91)" or "prediction 0.42"; undefined before the first pass or outside the plot.
   */
  predictionAt(fx: number, fy: number): string | undefined {
    const current = this.current;
    if (!current || !(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return undefined;
    const { values, resolution } = current;
    const mode = this.mode;
    const per = outputsPerCell(mode);
    if (values.length !== resolution * resolution * per) return undefined;
    const cell = Math.min(resolution - 1, Math.floor(fy * resolution)) * resolution + Math.min(resolution - 1, Math.floor(fx * resolution));
    if (mode.task === 'multiclass') {
      const { index, value } = argmaxRow(values, cell, per);
      return `class ${index} (p ${value.toFixed(2)})`;
    }
    const v = values[cell]!;
    if (mode.task === 'regression') return `prediction ${v.toPrecision(3)}`;
    return `P(class 1) ${v.toFixed(2)} → class ${v >= mode.threshold ? 1 : 0}`;
  }

  /** The colour mode of the current settings. */
  get mode(): MapMode {
    if (this.task === 'multiclass')
      return { task: 'multiclass', classes: Math.max(2, Math.round(this.classes)), discretize: this.discretize };
    if (this.task === 'regression') return { task: 'regression', min: this.valueRange.min, max: this.valueRange.max };
    return { task: 'binary', discretize: this.discretize, threshold: this.threshold };
  }

  /** Draws externally computed outputs (resolution² cells × outputs per cell), without a model. */
  setValues(values: Float32Array, resolution: number): void {
    const expected = resolution * resolution * outputsPerCell(this.mode);
    if (values.length !== expected) throw new RangeError(`Expected ${expected} values, got ${values.length}.`);
    this.current = { values, resolution };
    this.paint();
  }

  /** Recomputes the map on the GPU; resolves when the map is up to date (errors are reported, not thrown). */
  refresh(): Promise<void> {
    this.again = true;
    this.inflight ??= this.loop().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.inflight) await this.inflight;
  }

  private async loop(): Promise<void> {
    while (this.again) {
      // The time budget: after a pass of d ms, the next starts no sooner than
      // d · (1 / maxShare − 1) ms later, so drawing never takes more than maxShare of the GPU.
      // While live, at most one interval: a pass that waited behind an epoch on the GPU
      // measured the epoch, not its own cost (kept low by the coarse grid).
      const wait = Math.min(this.live ? Math.max(50, this.liveInterval || 400) : 3000, this.notBefore - performance.now());
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      this.again = false;
      const started = performance.now();
      const model = this.model;
      const grid = this.passResolution();
      await this.pass();
      const ended = performance.now();
      const share = Math.min(1, Math.max(0.05, this.maxShare || 1));
      // The first pass of a model or grid size compiles its pipelines: no measure of the next.
      const first = this.timed === undefined || this.timed.model !== model || this.timed.grid !== grid;
      this.timed = { model, grid };
      this.notBefore = first ? 0 : ended + (ended - started) * (1 / share - 1);
    }
  }

  private gridFor(domain: Domain, resolution: number): Float32Array {
    const key = `${domain.xMin},${domain.xMax},${domain.yMin},${domain.yMax},${resolution}`;
    if (this.grid?.key !== key) this.grid = { key, points: gridPoints(domain, resolution) };
    return this.grid.points;
  }

  /** Cells a side of the next pass: `resolution`, or the coarser `live-resolution` while live. */
  private passResolution(): number {
    const full = Math.round(Math.min(512, Math.max(16, this.resolution || 200)));
    return this.live ? Math.min(full, Math.round(Math.max(16, this.liveResolution || 48))) : full;
  }

  private async pass(): Promise<void> {
    const model = this.model;
    if (!model) return;
    const resolution = this.passResolution();
    const domain = this.domain ?? DEFAULT_DOMAIN;
    const input = { data: this.gridFor(domain, resolution), shape: [resolution * resolution, 2] as [number, number] };
    const started = performance.now();
    try {
      let layers: Float32Array[] | undefined;
      let probabilities: Float32Array;
      if (this.withLayers && model.predictLayers) {
        layers = await model.predictLayers(input);
        probabilities = layers[layers.length - 1]!;
      } else {
        probabilities = await model.predict(input);
      }
      // A model swapped while the pass ran: its result is stale (a new pass is queued).
      if (model !== this.model) return;
      const ms = performance.now() - started;
      this.error = undefined;
      this.current = { values: probabilities, resolution };
      this.passes++;
      this.paint();
      this.dispatchEvent(
        new CustomEvent<MapUpdateDetail>('map-update', {
          detail: { probabilities, layers, resolution, domain, ms },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      if (model !== this.model) return;
      this.error = error instanceof Error ? error.message : String(error);
      this.dispatchEvent(new CustomEvent('map-error', { detail: { error }, bubbles: true, composed: true }));
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.setLiveTimer(false);
  }

  private setLiveTimer(on: boolean): void {
    clearInterval(this.liveTimer);
    this.liveTimer = on ? setInterval(() => void (this.model && this.refresh()), Math.max(50, this.liveInterval || 400)) : undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('live') || changed.has('liveInterval')) {
      this.setLiveTimer(this.live && this.isConnected);
      // Training stopped: the full-resolution map, at once.
      if (changed.has('live') && !this.live && changed.get('live') === true && this.model) {
        this.notBefore = 0;
        void this.refresh();
      }
    }
    if (
      changed.has('model') ||
      changed.has('resolution') ||
      changed.has('withLayers') ||
      (changed.has('domain') && !sameDomain(this.domain, changed.get('domain')))
    ) {
      this.notBefore = 0; // a new model or grid is drawn at once
      if (this.model) void this.refresh();
    }
    if ((changed.has('task') && changed.get('task') !== undefined) || (changed.has('classes') && changed.get('classes') !== undefined)) {
      // Another kind of output: the last picture means nothing any more.
      this.current = undefined;
      this.canvas?.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    }
    if (changed.has('discretize') || changed.has('threshold') || changed.has('valueRange')) this.paint();
  }

  /** One putImageData of the current values (see map-render.ts). */
  private paint(): void {
    const canvas = this.canvas;
    const current = this.current;
    if (!canvas || !current) return;
    const { values, resolution } = current;
    const mode = this.mode;
    // Outputs of a model of another task (the task changed, a new pass is coming): keep the old picture.
    if (values.length !== resolution * resolution * outputsPerCell(mode)) return;
    if (canvas.width !== resolution) canvas.width = resolution;
    if (canvas.height !== resolution) canvas.height = resolution;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(resolution, resolution);
    paintMap(values, mode, image.data);
    ctx.putImageData(image, 0, 0);
    this.setAttribute('data-passes', String(this.passes));
  }

  private describe(): string {
    if (this.task === 'multiclass')
      return `the most likely of ${this.classes} classes over the plane${this.discretize ? '' : ', paler where the model is unsure'}`;
    if (this.task === 'regression')
      return `the predicted value over the plane, ${this.valueRange.min.toPrecision(3)} to ${this.valueRange.max.toPrecision(3)}`;
    return `the model's probability of class 1 over the plane${this.discretize ? `, split at ${this.threshold}` : ''}`;
  }

  protected override render(): TemplateResult {
    // The canvas size is set only by paint(): a re-render must never clear the map.
    return html`<canvas
        role="img"
        aria-label="${this.label}: ${this.describe()}"
      ></canvas
      >${this.error ? html`<div class="message" role="status">Map not updated: ${this.error}</div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-decision-map': SnDecisionMap;
  }
  interface HTMLElementEventMap {
    'map-update': CustomEvent<MapUpdateDetail>;
    'map-error': CustomEvent<{ error: unknown }>;
  }
}
