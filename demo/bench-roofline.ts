// <sn-bench-roofline>: a log-log roofline of the bench's kernels. x is arithmetic intensity
// (FLOP per compulsory byte), y achieved GFLOP/s; the adapter's measured ceilings (bench/lib/
// calibration.ts) are the lines — bandwidth slope, FMA roof — and each kernel figure of an engine
// on that adapter (shadernet, TF.js-webgpu, jax-webgpu; not the CPU backends, which those ceilings
// do not bound) is a point in its engine's colour. Used by the bench page (demo/bench.html).
import { html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Calibration } from '../bench/lib/calibration.js';
import { formatNumber } from '../bench/lib/report.js';
import { ENGINES, WEBGPU_ENGINES, type Figure } from '../bench/lib/workloads.js';
import { chartStyles, ENGINE_COLORS } from './bench-chart.js';

const WIDTH = 640;
const HEIGHT = 360;
const PAD = { left: 60, right: 20, top: 16, bottom: 40 };

const decadesBetween = (lo: number, hi: number) => Array.from({ length: Math.floor(hi) - Math.ceil(lo) + 1 }, (_, i) => Math.ceil(lo) + i);

@customElement('sn-bench-roofline')
export class SnBenchRoofline extends LitElement {
  static override styles = chartStyles;

  /** Every figure of a report; the WebGPU engines' kernel figures are drawn. */
  @property({ attribute: false }) figures: readonly Figure[] = [];
  /** The adapter's measured peaks; no chart without them. */
  @property({ attribute: false }) calibration: Calibration | undefined;
  @property() heading = 'Roofline';

  override render() {
    const peaks = this.calibration;
    const points = this.figures.filter((f) => f.kind === 'kernel' && WEBGPU_ENGINES.includes(f.engine) && f.gflops && f.intensity);
    if (!peaks) return html`<h3>${this.heading}</h3><p class="empty">No calibration yet (it runs before shadernet's figures).</p>`;
    const xs = [...points.map((f) => f.intensity!), peaks.ridgeIntensity];
    const ys = [...points.map((f) => f.gflops!), peaks.peakGflops];
    const [x0, x1] = [Math.floor(Math.log10(Math.min(...xs) / 2)), Math.ceil(Math.log10(Math.max(...xs) * 4))];
    const [y0, y1] = [Math.floor(Math.log10(Math.min(...ys) / 2)), Math.ceil(Math.log10(Math.max(...ys) * 2))];
    const px = (v: number) => PAD.left + ((Math.log10(v) - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
    const py = (v: number) => HEIGHT - PAD.bottom - ((Math.log10(v) - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom);
    // The bandwidth slope from the left edge to the ridge, then the FMA roof to the right edge.
    const left = Math.max(10 ** x0, 10 ** y0 / peaks.peakGBs);
    const roofPath = `M${px(left)},${py(left * peaks.peakGBs)} L${px(peaks.ridgeIntensity)},${py(peaks.peakGflops)} L${px(10 ** x1)},${py(peaks.peakGflops)}`;
    const engines = ENGINES.filter((e) => points.some((f) => f.engine === e));
    return html`<h3>${this.heading}</h3>
      <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width=${WIDTH} role="img" aria-label=${this.heading}>
        ${decadesBetween(x0, x1).map(
          (d) => svg`<line x1=${px(10 ** d)} x2=${px(10 ** d)} y1=${PAD.top} y2=${HEIGHT - PAD.bottom} stroke="#eaeef2"></line>
          <text x=${px(10 ** d)} y=${HEIGHT - PAD.bottom + 14} text-anchor="middle" fill="#57606a">${formatNumber(10 ** d)}</text>`,
        )}
        ${decadesBetween(y0, y1).map(
          (d) => svg`<line x1=${PAD.left} x2=${WIDTH - PAD.right} y1=${py(10 ** d)} y2=${py(10 ** d)} stroke="#eaeef2"></line>
          <text x=${PAD.left - 6} y=${py(10 ** d) + 4} text-anchor="end" fill="#57606a">${formatNumber(10 ** d)}</text>`,
        )}
        <text x=${(WIDTH + PAD.left) / 2} y=${HEIGHT - 6} text-anchor="middle">arithmetic intensity, FLOP per byte</text>
        <text transform="translate(14 ${(HEIGHT - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">GFLOP/s</text>
        <path class="roof" d=${roofPath} fill="none" stroke="#1f2328" stroke-width="2"></path>
        <text x=${WIDTH - PAD.right - 4} y=${py(peaks.peakGflops) - 5} text-anchor="end">FMA peak ${formatNumber(peaks.peakGflops)} GFLOP/s</text>
        <text x=${px(left) + 4} y=${py(left * peaks.peakGBs) - 6}>copy ${formatNumber(peaks.peakGBs)} GB/s</text>
        ${points.map(
          (
            f,
          ) => svg`<circle data-engine=${f.engine} data-workload=${f.workload} cx=${px(f.intensity!)} cy=${py(f.gflops!)} r="4" fill=${ENGINE_COLORS[f.engine]} fill-opacity="0.8">
            <title>${f.engine} · ${f.workload}: ${formatNumber(f.gflops)} GFLOP/s, ${formatNumber(f.gbps)} GB/s, ${formatNumber(f.intensity)} FLOP/byte</title>
          </circle>`,
        )}
        ${engines.map((e, i) => svg`<circle cx=${PAD.left + 10} cy=${PAD.top + 8 + i * 14} r="4" fill=${ENGINE_COLORS[e]}></circle><text x=${PAD.left + 18} y=${PAD.top + 12 + i * 14}>${e}</text>`)}
      </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-bench-roofline': SnBenchRoofline;
  }
}
