import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { VIRIDIS, classCss, coolwarmGradient, valueIndex, viridisGradient } from './lib/colors.js';
import { domainOf, formatTick, niceTicks, pointStyle, sameDomain, type Domain, type PointSet } from './lib/geometry.js';
import { alternateLabel, type Task } from './lib/state.js';
import { baseStyles } from './shared-styles.js';

/** Detail of `point-add`: where the user clicked, in data coordinates, and the class (or value) to add. */
export interface PointAddDetail {
  readonly x: number;
  readonly y: number;
  readonly label: number;
}

/** Detail of `point-remove`: which displayed point was clicked. */
export interface PointRemoveDetail {
  readonly set: 'train' | 'validation';
  readonly index: number;
}

/** A background that can say what it shows at a point (as `<sn-decision-map>` does: the prediction). */
export interface PredictionSource {
  /** Text for the point at fractions (fx, fy) of the plot from its top-left corner. */
  predictionAt(fx: number, fy: number): string | undefined;
}

/** Parses the `domain` attribute: "xMin xMax yMin yMax". */
export const domainConverter = {
  fromAttribute(value: string | null): Domain | undefined {
    if (!value) return undefined;
    const v = value
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (v.length !== 4 || !v.every(Number.isFinite) || !(v[1]! > v[0]!) || !(v[3]! > v[2]!)) return undefined;
    return { xMin: v[0]!, xMax: v[1]!, yMin: v[2]!, yMax: v[3]! };
  },
  toAttribute(value: Domain | undefined): string | null {
    return value ? `${value.xMin} ${value.xMax} ${value.yMin} ${value.yMax}` : null;
  },
};

/**
 * A scatter plot of 2-D points: two classes in the tutorial's coolwarm colours, k classes in a
 * colour-blind-safe palette, or regression targets in viridis over `valueRange` (by `task`);
 * training points filled, validation points hollow, with labelled axes and a colour legend. Whatever is put in
 * its `background` slot (e.g. `<sn-decision-map>`) fills the plot area behind the points and is
 * given the plot's `domain`.
 *
 * With `editable`, a click on empty space asks to add a point of class (or value) `add-label`
 * (shift-click: the other class, or the next of k) and a click on a point asks to remove it; the view does not change its data
 * itself, the owner does (see the events).
 *
 * @slot background - drawn behind the points, sized to the plot area; receives `.domain`.
 * @fires point-add - `CustomEvent<PointAddDetail>`
 * @fires point-remove - `CustomEvent<PointRemoveDetail>`
 * @fires domain-change - `CustomEvent<{ domain: Domain }>` when the plotted region changes.
 */
@customElement('sn-dataset-view')
export class SnDatasetView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      figure {
        margin: 0;
      }
      .chart {
        display: grid;
        grid-template-columns: 18px 36px minmax(0, 1fr);
        grid-template-rows: auto 22px 18px;
      }
      .ylabel {
        grid-row: 1;
        grid-column: 1;
        writing-mode: vertical-rl;
        transform: rotate(180deg);
        text-align: center;
        font-style: italic;
        color: var(--sn-muted);
      }
      .yticks,
      .xticks {
        position: relative;
        font-size: 11px;
        color: var(--sn-muted);
        font-variant-numeric: tabular-nums;
      }
      .yticks {
        grid-row: 1;
        grid-column: 2;
      }
      .yticks span {
        position: absolute;
        right: 7px;
        transform: translateY(-50%);
        white-space: nowrap;
      }
      .yticks span::after {
        content: '';
        position: absolute;
        right: -7px;
        top: 50%;
        width: 4px;
        border-top: 1px solid #8c959f;
      }
      .xticks {
        grid-row: 2;
        grid-column: 3;
      }
      .xticks span {
        position: absolute;
        top: 5px;
        transform: translateX(-50%);
        white-space: nowrap;
      }
      .xticks span::before {
        content: '';
        position: absolute;
        left: 50%;
        top: -5px;
        height: 4px;
        border-left: 1px solid #8c959f;
      }
      .xlabel {
        grid-row: 3;
        grid-column: 3;
        text-align: center;
        font-style: italic;
        color: var(--sn-muted);
        line-height: 18px;
      }
      .plot {
        grid-row: 1;
        grid-column: 3;
        position: relative;
        aspect-ratio: 1;
        width: 100%;
        border: 1px solid #8c959f;
        background: #fff;
        overflow: hidden;
        touch-action: manipulation;
      }
      ::slotted([slot='background']) {
        position: absolute !important;
        inset: 0;
        width: 100%;
        height: 100%;
      }
      canvas.points {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        display: block;
      }
      :host([editable]) canvas.points {
        cursor: crosshair;
      }
      .coords {
        position: absolute;
        right: 4px;
        bottom: 3px;
        font-size: 11px;
        background: rgb(255 255 255 / 0.85);
        border-radius: 3px;
        padding: 0 4px;
        pointer-events: none;
        font-variant-numeric: tabular-nums;
      }
      figcaption {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 14px;
        margin: 6px 0 0 54px;
        font-size: 12px;
        color: var(--sn-muted);
      }
      .bar {
        display: inline-grid;
        grid-template-columns: auto 96px auto;
        align-items: center;
        gap: 5px;
      }
      .bar i {
        display: block;
        height: 10px;
        border: 1px solid #8c959f;
        border-radius: 2px;
      }
      .bar.wide {
        grid-template-columns: auto 140px auto;
      }
      .note {
        flex-basis: 100%;
        font-size: 11px;
      }
      .key {
        display: inline-flex;
        align-items: center;
        gap: 5px;
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        border: 1px solid rgb(0 0 0 / 0.55);
      }
      .dot.hollow {
        background: #fff;
        border: 2px solid #8c959f;
        box-shadow: 0 0 0 1px rgb(0 0 0 / 0.65);
      }
    `,
  ];

  /** Training points (the library's Dataset works as is). */
  @property({ attribute: false }) train: PointSet | undefined;
  /** Validation points, drawn hollow. */
  @property({ attribute: false }) validation: PointSet | undefined;
  /** Hide the training points. */
  @property({ type: Boolean, attribute: 'hide-training', reflect: true }) hideTraining = false;
  /** Hide the validation points. */
  @property({ type: Boolean, attribute: 'hide-validation', reflect: true }) hideValidation = false;
  /** The plotted region, "xMin xMax yMin yMax"; fitted to the points when not set. */
  @property({ converter: domainConverter }) domain: Domain | undefined;
  /** Clicks add and remove points (through events). */
  @property({ type: Boolean, reflect: true }) editable = false;
  /** Class (or regression value) a click adds (shift-click adds the other class / the next). */
  @property({ type: Number, attribute: 'add-label' }) addLabel = 1;
  /** What the points' `y` holds: `binary` 0/1, `multiclass` 0…k−1, `regression` values. */
  @property() task: Task = 'binary';
  /** Classes of multiclass points. */
  @property({ type: Number }) classes = 2;
  /** Regression: the values at the two ends of the colour map. */
  @property({ attribute: false }) valueRange: { readonly min: number; readonly max: number } = { min: -1, max: 1 };
  /** Accessible name of the plot. */
  @property() label = 'Dataset';
  @property({ attribute: 'x-label' }) xLabel = 'x₁';
  @property({ attribute: 'y-label' }) yLabel = 'x₂';
  /** Hide the colour legend. */
  @property({ type: Boolean, attribute: 'no-legend' }) noLegend = false;

  /** Where the pointer is, in data coordinates, and what the background says there (a prediction). */
  @state() private pointer: { x: number; y: number; prediction: string | undefined } | undefined;
  @query('canvas.points') private canvas!: HTMLCanvasElement;
  @query('.plot') private plot!: HTMLDivElement;
  private resizeObserver: ResizeObserver | undefined;
  private autoDomain: Domain | undefined;
  private lastDomain: Domain | undefined;

  /** The domain in use: `domain` if set, else fitted to the points. */
  get effectiveDomain(): Domain {
    if (this.domain) return this.domain;
    this.autoDomain ??= domainOf([this.train, this.validation]);
    return this.autoDomain;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.observe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  protected override firstUpdated(): void {
    this.observe();
  }

  private observe(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.plot);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('train') || changed.has('validation')) this.autoDomain = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.size === 1 && changed.has('pointer' as keyof SnDatasetView)) return;
    const domain = this.effectiveDomain;
    if (!sameDomain(domain, this.lastDomain)) {
      this.lastDomain = domain;
      this.shareDomain();
      this.dispatchEvent(new CustomEvent('domain-change', { detail: { domain }, bubbles: true, composed: true }));
    }
    this.draw();
  }

  private shareDomain(): void {
    const slot = this.renderRoot.querySelector<HTMLSlotElement>('slot[name=background]');
    for (const el of slot?.assignedElements() ?? []) {
      if ('domain' in el) (el as { domain: Domain }).domain = this.effectiveDomain;
    }
  }

  /** Draws the points (cheap enough to redo on every change; the map is a separate layer). */
  private draw(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const rect = this.plot.getBoundingClientRect();
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    const d = this.effectiveDomain;
    const sx = w / (d.xMax - d.xMin);
    const sy = h / (d.yMax - d.yMin);
    const total = (this.hideTraining ? 0 : (this.train?.nSamples ?? 0)) + (this.hideValidation ? 0 : (this.validation?.nSamples ?? 0));
    const style = pointStyle(total);
    const r = style.radius * dpr * Math.min(1.4, Math.max(0.75, rect.width / 420));
    ctx.globalAlpha = style.alpha;
    const regression = this.task === 'regression';
    const classes = this.task === 'multiclass' ? Math.max(2, this.classes) : 2;
    const { min, max } = this.valueRange;
    // Points are drawn one path per colour: a class, or one of 64 bins of the value map.
    const groups = regression ? 64 : classes;
    const groupOf = (v: number): number => (regression ? valueIndex(v, min, max) >> 2 : v);
    const colorOf = (g: number): string => {
      if (!regression) return classCss(g, classes);
      const k = (g * 4 + 2) * 3;
      return `rgb(${VIRIDIS[k]} ${VIRIDIS[k + 1]} ${VIRIDIS[k + 2]})`;
    };
    const drawSet = (set: PointSet | undefined, hollow: boolean): void => {
      if (!set) return;
      const group = Int32Array.from({ length: set.nSamples }, (_, i) => groupOf(set.y[i]!));
      for (let label = 0; label < groups; label++) {
        if (!group.includes(label)) continue;
        const trace = (radius: number): void => {
          ctx.beginPath();
          for (let i = 0; i < set.nSamples; i++) {
            if (group[i] !== label) continue;
            const px = (set.x[2 * i]! - d.xMin) * sx;
            const py = (d.yMax - set.x[2 * i + 1]!) * sy;
            ctx.moveTo(px + radius, py);
            ctx.arc(px, py, radius, 0, 2 * Math.PI);
          }
        };
        if (hollow) {
          // A dark rim outside the coloured ring: a ring of a value's colour vanishes on a map
          // of the same colour (viridis backgrounds especially).
          trace(r + 1.1 * dpr);
          ctx.lineWidth = 0.7 * dpr;
          ctx.strokeStyle = 'rgb(0 0 0 / 0.65)';
          ctx.stroke();
          trace(r);
          ctx.fillStyle = 'rgb(255 255 255 / 0.9)';
          ctx.fill();
          ctx.lineWidth = 1.6 * dpr;
          ctx.strokeStyle = colorOf(label);
          ctx.stroke();
        } else {
          trace(r);
          ctx.fillStyle = colorOf(label);
          ctx.fill();
          ctx.lineWidth = 0.6 * dpr;
          ctx.strokeStyle = 'rgb(0 0 0 / 0.6)';
          ctx.stroke();
        }
      }
    };
    if (!this.hideTraining) drawSet(this.train, false);
    if (!this.hideValidation) drawSet(this.validation, true);
  }

  /** Data coordinates of a pointer event, or undefined outside the plot. */
  private toData(event: PointerEvent | MouseEvent): { x: number; y: number; px: number; py: number; w: number; h: number } | undefined {
    const rect = this.plot.getBoundingClientRect();
    const px = event.clientX - rect.left;
    const py = event.clientY - rect.top;
    if (px < 0 || py < 0 || px > rect.width || py > rect.height) return undefined;
    const d = this.effectiveDomain;
    return {
      x: d.xMin + (px / rect.width) * (d.xMax - d.xMin),
      y: d.yMax - (py / rect.height) * (d.yMax - d.yMin),
      px,
      py,
      w: rect.width,
      h: rect.height,
    };
  }

  private onClick(event: MouseEvent): void {
    if (!this.editable) return;
    const at = this.toData(event);
    if (!at) return;
    const d = this.effectiveDomain;
    const sx = at.w / (d.xMax - d.xMin);
    const sy = at.h / (d.yMax - d.yMin);
    let best: PointRemoveDetail | undefined;
    let bestDistance = 7 * 7;
    const search = (set: PointSet | undefined, name: PointRemoveDetail['set']): void => {
      if (!set) return;
      for (let i = 0; i < set.nSamples; i++) {
        const dx = (set.x[2 * i]! - at.x) * sx;
        const dy = (set.x[2 * i + 1]! - at.y) * sy;
        const dist = dx * dx + dy * dy;
        if (dist <= bestDistance) {
          bestDistance = dist;
          best = { set: name, index: i };
        }
      }
    };
    if (!this.hideTraining) search(this.train, 'train');
    if (!this.hideValidation) search(this.validation, 'validation');
    if (best) {
      this.dispatchEvent(new CustomEvent<PointRemoveDetail>('point-remove', { detail: best, bubbles: true, composed: true }));
      return;
    }
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    const label = event.shiftKey ? alternateLabel(this.addLabel, this.task, this.classes) : this.addLabel;
    this.dispatchEvent(
      new CustomEvent<PointAddDetail>('point-add', { detail: { x: round(at.x), y: round(at.y), label }, bubbles: true, composed: true }),
    );
  }

  private onPointerMove(event: PointerEvent): void {
    const at = this.toData(event);
    if (!at) {
      this.pointer = undefined;
      return;
    }
    const slot = this.renderRoot.querySelector<HTMLSlotElement>('slot[name=background]');
    const background = slot?.assignedElements().find((el): el is Element & PredictionSource => 'predictionAt' in el);
    this.pointer = { x: at.x, y: at.y, prediction: background?.predictionAt(at.px / at.w, at.py / at.h) };
  }

  protected override render(): TemplateResult {
    const d = this.effectiveDomain;
    const xTicks = niceTicks(d.xMin, d.xMax, 5);
    const yTicks = niceTicks(d.yMin, d.yMax, 5);
    const nTrain = this.train?.nSamples ?? 0;
    const nVal = this.validation?.nSamples ?? 0;
    const description =
      `${this.label}: ${nTrain} training points${this.hideTraining ? ' (hidden)' : ''}` +
      (nVal && !this.hideValidation ? ` and ${nVal} validation points (hollow)` : '') +
      `; ${this.colorDescription()}.` +
      (this.editable
        ? this.task === 'regression'
          ? ` Click empty space to add a point of value ${this.addLabel}; click a point to remove it.`
          : ` Click empty space to add a point of class ${this.addLabel} (shift-click: class ${alternateLabel(this.addLabel, this.task, this.classes)}); click a point to remove it.`
        : '');
    return html`<figure>
      <div class="chart">
        <div class="ylabel" aria-hidden="true">${this.yLabel}</div>
        <div class="yticks" aria-hidden="true">
          ${yTicks.map((t) => html`<span style="top:${((d.yMax - t) / (d.yMax - d.yMin)) * 100}%">${formatTick(t)}</span>`)}
        </div>
        <div class="plot">
          <slot name="background" @slotchange=${() => this.shareDomain()}></slot>
          <canvas
            class="points"
            role="img"
            aria-label=${description}
            @click=${this.onClick}
            @pointermove=${this.onPointerMove}
            @pointerleave=${() => (this.pointer = undefined)}
          ></canvas>
          ${
            this.pointer
              ? html`<span class="coords" data-testid="hover-readout"
                >${this.xLabel} ${this.pointer.x.toFixed(2)}, ${this.yLabel} ${this.pointer.y.toFixed(2)}${
                  this.pointer.prediction ? html` · <strong>${this.pointer.prediction}</strong>` : nothing
                }</span
              >`
              : nothing
          }
        </div>
        <div class="xticks" aria-hidden="true">
          ${xTicks.map((t) => html`<span style="left:${((t - d.xMin) / (d.xMax - d.xMin)) * 100}%">${formatTick(t)}</span>`)}
        </div>
        <div class="xlabel" aria-hidden="true">${this.xLabel}</div>
      </div>
      ${this.noLegend ? nothing : this.renderLegend()}
    </figure>`;
  }

  private colorDescription(): string {
    if (this.task === 'regression')
      return `colour is the target value, viridis from ${formatTick(this.valueRange.min)} (dark purple) to ${formatTick(this.valueRange.max)} (yellow)`;
    if (this.task === 'multiclass') return `${this.classes} classes, one colour each`;
    return 'class 0 blue, class 1 red';
  }

  private renderLegend(): TemplateResult {
    const validation =
      this.validation && !this.hideValidation ? html`<span class="key"><span class="dot hollow"></span>validation</span>` : nothing;
    if (this.task === 'regression') {
      const { min, max } = this.valueRange;
      return html`<figcaption data-legend="regression">
        <span class="bar wide" title="Points: the target; background: the model's prediction">
          <span>value: ${formatTick(Number(min.toPrecision(3)))}</span><i style="background:${viridisGradient()}"></i><span>${formatTick(Number(max.toPrecision(3)))}</span>
        </span>
        ${validation}
      </figcaption>`;
    }
    if (this.task === 'multiclass') {
      const k = Math.max(2, this.classes);
      return html`<figcaption data-legend="multiclass">
        ${Array.from({ length: k }, (_, c) => html`<span class="key"><span class="dot" style="background:${classCss(c, k)}"></span>class ${c}</span>`)}
        ${validation}
        <span class="note">background: the most likely class, paler where the model is unsure</span>
      </figcaption>`;
    }
    return html`<figcaption data-legend="binary">
      <span class="bar" title="Background: the model's probability of class 1">
        <span>P(class 1): 0</span><i style="background:${coolwarmGradient()}"></i><span>1</span>
      </span>
      <span class="key"><span class="dot" style="background:${classCss(0, 2)}"></span>class 0</span>
      <span class="key"><span class="dot" style="background:${classCss(1, 2)}"></span>class 1</span>
      ${validation}
    </figcaption>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-dataset-view': SnDatasetView;
  }
  interface HTMLElementEventMap {
    'point-add': CustomEvent<PointAddDetail>;
    'point-remove': CustomEvent<PointRemoveDetail>;
    'domain-change': CustomEvent<{ domain: Domain }>;
  }
}
