import { LitElement, css, html, nothing, svg, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Logs } from '../index.js';
import { formatTick, niceTicks } from './lib/geometry.js';
import { baseStyles } from './shared-styles.js';

/** Throughput of the last epoch. */
export interface TrainingSpeed {
  readonly samplesPerSecond: number;
  readonly msPerEpoch: number;
  /**
   * Milliseconds the epoch's fit spent compiling GPU pipelines (or waiting for them) before it
   * trained: shown apart, never part of msPerEpoch or the speed.
   */
  readonly compileMs?: number;
}

type History = Readonly<Record<string, readonly number[]>>;

/** matplotlib's default line colours, as the tutorial's history plots use them. */
const TRAIN_COLOR = '#1f77b4';
const VAL_COLOR = '#ff7f0e';

interface Panel {
  readonly key: 'loss' | 'accuracy' | 'mae';
  readonly title: string;
}

const METRIC_TITLES = { accuracy: 'Accuracy', mae: 'Mean absolute error' } as const;
const METRIC_SHORT = { accuracy: 'Accuracy', mae: 'MAE' } as const;

const fmt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(4));

/**
 * Training and validation loss and accuracy per epoch, with axes and the values under the
 * pointer (or under the keyboard cursor: focus a chart, then ← →), plus the current epoch,
 * the last values, samples/s and time per epoch.
 *
 * Feed it either the whole `history` (Keras's History.history) or one epoch at a time with
 * `addEpoch(logs)` from a fit callback.
 */
@customElement('sn-metrics-chart')
export class SnMetricsChart extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      /* The note sits beside the epoch time it explains, in the rest of that row. */
      dl div.compiled {
        flex: 1 1 240px;
        grid-template-columns: auto 1fr;
        column-gap: 10px;
      }
      dd.compile-note {
        grid-column: 2;
        grid-row: 1 / span 2;
        align-self: center;
        font-size: 11px;
        font-weight: 400;
        line-height: 1.25;
        color: var(--sn-muted, #5f6368);
      }
      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin: 0 0 8px;
      }
      dl div {
        display: grid;
      }
      dt {
        font-size: 11px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--sn-muted);
      }
      dd {
        margin: 0;
        font-size: 15px;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      :host([compact]) dd {
        font-size: 13px;
      }
      .panels {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
        gap: 8px 14px;
      }
      :host([stacked]) .panels {
        grid-template-columns: minmax(0, 1fr);
      }
      .panel {
        position: relative;
        min-width: 0;
      }
      .panel h3 {
        margin: 0 0 2px;
        text-transform: none;
        letter-spacing: 0;
        font-size: 12px;
        color: var(--sn-text);
        font-weight: 600;
      }
      svg {
        display: block;
        width: 100%;
        overflow: visible;
      }
      svg:focus-visible {
        outline: 2px solid var(--sn-accent);
      }
      .axis text {
        font-size: 10px;
        fill: #59636e;
        font-variant-numeric: tabular-nums;
      }
      .axis line,
      .axis path {
        stroke: #8c959f;
      }
      .grid line {
        stroke: #eaeef2;
      }
      .tip {
        position: absolute;
        pointer-events: none;
        background: rgb(255 255 255 / 0.96);
        border: 1px solid var(--sn-line);
        border-radius: 6px;
        padding: 4px 8px;
        font-size: 12px;
        white-space: nowrap;
        box-shadow: 0 2px 6px rgb(0 0 0 / 0.08);
        font-variant-numeric: tabular-nums;
        z-index: 1;
      }
      .legend {
        display: flex;
        gap: 14px;
        font-size: 12px;
        color: var(--sn-muted);
        margin-top: 2px;
      }
      .legend i {
        display: inline-block;
        width: 18px;
        vertical-align: middle;
        margin-right: 4px;
        border-top: 2px solid;
      }
      .legend i.val {
        border-top-style: dashed;
      }
    `,
  ];

  /** Keras's History.history: loss, the metric, val_loss, val_<metric> (one value per epoch). */
  @property({ attribute: false }) history: History = {};
  /** The metric charted next to the loss: `accuracy` (classifiers) or `mae` (regression). */
  @property() metric: 'accuracy' | 'mae' = 'accuracy';
  /** The loss's name in the loss chart's title. */
  @property({ attribute: 'loss-name' }) lossName = 'binary cross-entropy';
  /** Target epochs: the x axis spans at least this many. */
  @property({ type: Number }) epochs = 0;
  /** Samples/s and ms per epoch of the last epoch, if known. */
  @property({ attribute: false }) speed: TrainingSpeed | undefined;
  /** Smaller text and charts (compare mode). */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** Charts one above the other. */
  @property({ type: Boolean, reflect: true }) stacked = false;

  @state() private cursor: { panel: Panel['key']; index: number } | undefined;
  @state() private width = 0;
  private resizeObserver: ResizeObserver | undefined;

  /** Appends one epoch's logs (e.g. from `onEpochEnd`), with its speed if known. */
  addEpoch(logs: Logs, speed?: TrainingSpeed): void {
    const next: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(this.history)) next[k] = [...v];
    for (const [k, v] of Object.entries(logs)) (next[k] ??= []).push(v);
    this.history = next;
    if (speed) this.speed = speed;
  }

  /** Forgets every epoch. */
  clear(): void {
    this.history = {};
    this.speed = undefined;
    this.cursor = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w && w !== this.width) this.width = w;
    });
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
  }

  private get count(): number {
    return this.history['loss']?.length ?? 0;
  }

  protected override render(): TemplateResult {
    const h = this.history;
    const last = (k: string): number | undefined => h[k]?.[h[k]!.length - 1];
    const n = this.count;
    const metric = this.metric === 'mae' ? 'mae' : 'accuracy';
    const panels: readonly Panel[] = [
      { key: 'loss', title: `Loss (${this.lossName})` },
      { key: metric, title: METRIC_TITLES[metric] },
    ];
    // Under a millisecond is a pipeline looked up, not compiled.
    const compileMs = (this.speed?.compileMs ?? 0) >= 1 ? this.speed!.compileMs! : 0;
    return html`<dl aria-label="Training metrics">
        <div><dt>Epoch</dt><dd data-testid="epoch">${n}${this.epochs ? html`/${this.epochs}` : nothing}</dd></div>
        <div><dt>Loss</dt><dd data-testid="loss">${fmt(last('loss'))}</dd></div>
        <div><dt>${METRIC_SHORT[metric]}</dt><dd data-testid=${metric}>${fmt(last(metric))}</dd></div>
        <div><dt>Val loss</dt><dd data-testid="val_loss">${fmt(last('val_loss'))}</dd></div>
        <div><dt>Val ${METRIC_SHORT[metric].toLowerCase()}</dt><dd data-testid="val_${metric}">${fmt(last(`val_${metric}`))}</dd></div>
        ${
          // Shown (as –) before the first epoch too, and the compile note beside them: the block keeps
          // its height from the first frame on, so nothing below it (the playground's map) moves mid-training.
          this.speed
            ? html`<div><dt>Samples/s</dt><dd data-testid="samples-per-second">${Math.round(this.speed.samplesPerSecond).toLocaleString('en-US')}</dd></div>
              <div class=${compileMs ? 'compiled' : ''}>
                <dt>Time/epoch</dt><dd data-testid="ms-per-epoch">${formatMs(this.speed.msPerEpoch)}</dd>
                ${
                  compileMs
                    ? html`<dd class="compile-note" data-testid="compile-note">
                      Before this epoch, ${formatMs(compileMs)} went to compiling GPU pipelines (not counted in its time or speed).
                    </dd>`
                    : nothing
                }
              </div>`
            : html`<div><dt>Samples/s</dt><dd>–</dd></div>
              <div><dt>Time/epoch</dt><dd>–</dd></div>`
        }
      </dl>
      <div class="panels">${panels.map((p) => this.renderPanel(p))}</div>
      <div class="legend" aria-hidden="true">
        <span><i style="color:${TRAIN_COLOR}"></i>training</span><span><i class="val" style="color:${VAL_COLOR}"></i>validation</span>
      </div>`;
  }

  private panelWidth(): number {
    const full = this.width || 360;
    if (this.stacked || full < 430) return full;
    return Math.floor((full - 14) / 2);
  }

  private renderPanel(panel: Panel): TemplateResult {
    const W = this.panelWidth();
    const H = this.compact ? 120 : 150;
    const m = { left: 40, right: 10, top: 8, bottom: 30 };
    const iw = Math.max(10, W - m.left - m.right);
    const ih = H - m.top - m.bottom;
    const train = this.history[panel.key] ?? [];
    const val = this.history[`val_${panel.key}`] ?? [];
    const n = Math.max(train.length, val.length);
    const xMax = Math.max(this.epochs, n, 1);
    const all = [...train, ...val].filter(Number.isFinite);
    let yMin: number;
    let yMax: number;
    if (panel.key === 'accuracy') {
      yMin = Math.min(0.5, Math.floor((all.length ? Math.min(...all) : 0.5) * 10) / 10);
      yMax = 1;
    } else {
      yMin = 0;
      yMax = all.length ? Math.max(...all) * 1.08 : 1;
      if (!(yMax > 0)) yMax = 1;
    }
    // One epoch in all (logistic regression's preset): its point in the middle.
    const x = (epoch: number): number => (xMax === 1 ? m.left + iw / 2 : m.left + ((epoch - 1) / (xMax - 1)) * iw);
    const y = (v: number): number => m.top + (1 - (v - yMin) / (yMax - yMin)) * ih;
    const path = (values: readonly number[]): string =>
      values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i + 1).toFixed(1)},${y(Math.min(yMax, Math.max(yMin, v))).toFixed(1)}`).join('');
    const xTicks =
      xMax === 1 ? [1] : niceTicks(1, xMax, Math.max(2, Math.min(6, Math.floor(iw / 50)))).filter((t) => Number.isInteger(t) && t >= 1);
    const yTicks = niceTicks(yMin, yMax, 4);
    const cursor = this.cursor?.panel === panel.key ? this.cursor.index : undefined;
    const markers = n <= 40;
    const label =
      `${panel.title} per epoch` +
      (n ? `: after epoch ${n}, training ${fmt(train[n - 1])}${val.length ? `, validation ${fmt(val[n - 1])}` : ''}` : ': no epochs yet') +
      '. Use the arrow keys to read values.';
    const move = (event: PointerEvent): void => {
      if (!n) return;
      const rect = (event.currentTarget as SVGElement).getBoundingClientRect();
      const px = ((event.clientX - rect.left) / rect.width) * W;
      const index = xMax === 1 ? 0 : Math.round(((px - m.left) / iw) * (xMax - 1));
      this.cursor = { panel: panel.key, index: Math.min(n - 1, Math.max(0, index)) };
    };
    const key = (event: KeyboardEvent): void => {
      if (!n) return;
      const at = cursor ?? n - 1;
      const next =
        event.key === 'ArrowLeft'
          ? at - 1
          : event.key === 'ArrowRight'
            ? at + 1
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? n - 1
                : undefined;
      if (event.key === 'Escape') this.cursor = undefined;
      if (next === undefined) return;
      event.preventDefault();
      this.cursor = { panel: panel.key, index: Math.min(n - 1, Math.max(0, next)) };
    };
    const tipLeft = cursor === undefined ? 0 : Math.min(W - 150, Math.max(0, x(cursor + 1) + 8));
    return html`<div class="panel">
      <h3>${panel.title}</h3>
      <svg
        viewBox="0 0 ${W} ${H}"
        height=${H}
        role="img"
        tabindex="0"
        aria-label=${label}
        data-panel=${panel.key}
        @pointermove=${move}
        @pointerleave=${() => (this.cursor = undefined)}
        @keydown=${key}
        @blur=${() => (this.cursor = undefined)}
      >
        <g class="grid">${yTicks.map((t) => svg`<line x1=${m.left} x2=${m.left + iw} y1=${y(t)} y2=${y(t)}></line>`)}</g>
        <g class="axis">
          <line x1=${m.left} x2=${m.left} y1=${m.top} y2=${m.top + ih}></line>
          <line x1=${m.left} x2=${m.left + iw} y1=${m.top + ih} y2=${m.top + ih}></line>
          ${yTicks.map(
            (t) => svg`<line x1=${m.left - 4} x2=${m.left} y1=${y(t)} y2=${y(t)}></line>
              <text x=${m.left - 6} y=${y(t) + 3} text-anchor="end">${formatTick(t)}</text>`,
          )}
          ${xTicks.map(
            (t) => svg`<line x1=${x(t)} x2=${x(t)} y1=${m.top + ih} y2=${m.top + ih + 4}></line>
              <text x=${x(t)} y=${m.top + ih + 14} text-anchor="middle">${t}</text>`,
          )}
          <text x=${m.left + iw / 2} y=${H - 2} text-anchor="middle">epoch</text>
          <text transform="translate(9 ${m.top + ih / 2}) rotate(-90)" text-anchor="middle">${panel.key}</text>
        </g>
        <path d=${path(train)} fill="none" stroke=${TRAIN_COLOR} stroke-width="2"></path>
        <path d=${path(val)} fill="none" stroke=${VAL_COLOR} stroke-width="2" stroke-dasharray="5 3"></path>
        ${markers ? train.map((v, i) => svg`<circle cx=${x(i + 1)} cy=${y(v)} r="2.5" fill=${TRAIN_COLOR}></circle>`) : nothing}
        ${markers ? val.map((v, i) => svg`<circle cx=${x(i + 1)} cy=${y(v)} r="2.5" fill=${VAL_COLOR}></circle>`) : nothing}
        ${
          cursor !== undefined
            ? svg`<line x1=${x(cursor + 1)} x2=${x(cursor + 1)} y1=${m.top} y2=${m.top + ih} stroke="#1f2328" stroke-dasharray="2 2"></line>`
            : nothing
        }
        <rect x="0" y="0" width=${W} height=${H} fill="transparent"></rect>
      </svg>
      ${
        cursor !== undefined
          ? html`<div class="tip" role="status" style="left:${tipLeft}px; top:24px">
            <strong>Epoch ${cursor + 1}</strong><br />
            <span style="color:${TRAIN_COLOR}">●</span> ${panel.key}: ${fmt(train[cursor])}<br />
            <span style="color:${VAL_COLOR}">●</span> val_${panel.key}: ${fmt(val[cursor])}
          </div>`
          : nothing
      }
    </div>`;
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-metrics-chart': SnMetricsChart;
  }
}
