// <sn-bench-chart>: horizontal bars, one row per (workload, engine), on a log scale, each TF.js
// peer's bar labelled with shadernet's ratio to it. Used by the bench page (demo/bench.html).
import { css, html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatNumber } from '../bench/lib/report.js';
import { ENGINES, ratio, throughput, type Engine, type Figure } from '../bench/lib/workloads.js';

export const ENGINE_COLORS: Readonly<Record<Engine, string>> = {
  shadernet: '#2b6cb0',
  'shadernet-fused': '#63b3ed',
  'shadernet-layered': '#90cdf4',
  'tfjs-webgpu': '#dd6b20',
  'tfjs-wasm': '#38a169',
  'tfjs-cpu': '#805ad5',
  'jax-webgpu': '#d53f8c',
  'jax-wasm': '#b7791f',
};

const ROW = 18;
const GROUP_GAP = 10;
const LABEL_W = 150;
const BAR_W = 360;
const VALUE_W = 150;

/** The bench charts' shared look. */
export const chartStyles = css`
  :host {
    display: block;
    font: 12px system-ui, sans-serif;
    color: #1f2328;
  }
  h3 {
    margin: 8px 0 4px;
    font-size: 14px;
  }
  svg {
    max-width: 100%;
    height: auto;
  }
  .empty {
    color: #57606a;
  }
`;

@customElement('sn-bench-chart')
export class SnBenchChart extends LitElement {
  static override styles = chartStyles;

  /** Every figure of a report; only those of `kind` are drawn. */
  @property({ attribute: false }) figures: readonly Figure[] = [];
  @property() kind: Figure['kind'] = 'training';
  @property() heading = '';
  @property() unit = '';
  /** Keep only workloads whose id matches (a substring). */
  @property() filter = '';

  override render() {
    const figures = this.figures.filter((f) => f.kind === this.kind && (!this.filter || f.workload.includes(this.filter)));
    const workloads = [...new Set(figures.map((f) => f.workload))];
    const engines = ENGINES.filter((e) => figures.some((f) => f.engine === e));
    const values = figures.map(throughput).filter((v): v is number => v !== undefined && v > 0);
    if (!workloads.length) return html`<h3>${this.heading}</h3><p class="empty">No figures yet.</p>`;
    const lo = Math.log10(Math.min(...values, 1) / 2);
    const hi = Math.log10(Math.max(...values, 10) * 1.2);
    const scale = (v: number) => (Math.max(0, Math.log10(v) - lo) / (hi - lo)) * BAR_W;
    let y = 0;
    const rows = workloads.map((w) => {
      const labelY = y + 12;
      const top = y + 18;
      const bars = engines.map((engine, i) => {
        const figure = figures.find((f) => f.workload === w && f.engine === engine);
        const value = throughput(figure);
        const r = engine === 'shadernet' ? undefined : ratio(figures, w, engine);
        const by = top + i * ROW;
        const text =
          value === undefined
            ? figure?.skipped
              ? 'skipped'
              : figure?.error
                ? 'error'
                : '—'
            : `${formatNumber(value)}${this.unit ? ` ${this.unit}` : ''}`;
        return svg`<g data-engine=${engine} data-workload=${w} data-value=${value ?? ''}>
          <text x=${LABEL_W - 6} y=${by + 12} text-anchor="end" fill="#57606a">${engine}</text>
          ${value !== undefined ? svg`<rect x=${LABEL_W} y=${by + 2} width=${Math.max(1, scale(value))} height=${ROW - 5} fill=${ENGINE_COLORS[engine]} rx="2"></rect>` : ''}
          <text x=${LABEL_W + (value !== undefined ? scale(value) : 0) + 4} y=${by + 12}>${text}${r !== undefined ? svg`<tspan font-weight="700" fill=${r >= 1 ? '#1a7f37' : '#cf222e'}> · shadernet ${formatNumber(r, 2)}×</tspan>` : ''}</text>
        </g>`;
      });
      y = top + engines.length * ROW + GROUP_GAP;
      return svg`<text x="0" y=${labelY} font-weight="600">${w}</text>${bars}`;
    });
    const height = y + 4;
    return html`<h3>${this.heading}</h3>
      <svg viewBox="0 0 ${LABEL_W + BAR_W + VALUE_W + 60} ${height}" width=${LABEL_W + BAR_W + VALUE_W + 60} role="img" aria-label=${this.heading}>
        ${rows}
      </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-bench-chart': SnBenchChart;
  }
}
