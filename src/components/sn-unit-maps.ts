import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { COOLWARM } from './lib/colors.js';
import type { LayerSpec } from './lib/state.js';
import { baseStyles } from './shared-styles.js';

interface Selected {
  readonly layer: number;
  readonly unit: number;
}

/** The colours of a unit's map in words: coolwarm's ends and its grey midpoint (the tiles' own colours). */
function unitLegend(activation: string): string {
  if (activation === 'relu') return 'grey: 0 (inactive) · red: positive';
  if (activation === 'sigmoid') return 'blue: below 0.5 · grey: 0.5 · red: above 0.5';
  return 'blue: negative · grey: 0 · red: positive';
}

/**
 * One small map per hidden unit: the unit's activation over the decision map's grid, from the
 * same GPU pass (`<sn-decision-map with-layers>`'s `map-update` event carries it). Hovering or
 * focusing a unit shows it large, at the grid's full resolution. Colours: coolwarm, its grey
 * midpoint at 0 (at 0.5 for sigmoid units), scaled per unit to its largest |value|; the legend
 * names the same colours (a relu unit is grey wherever it is inactive).
 */
@customElement('sn-unit-maps')
export class SnUnitMaps extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .wrap {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 176px;
        gap: 12px;
        align-items: start;
      }
      @media (max-width: 560px) {
        .wrap {
          grid-template-columns: minmax(0, 1fr);
        }
        .preview {
          order: -1;
          position: static;
          max-width: 240px;
        }
      }
      .layers {
        max-height: 420px;
        overflow: auto;
        padding: 2px;
      }
      .layer + .layer {
        margin-top: 10px;
      }
      .layer-title {
        font-size: 12px;
        color: var(--sn-muted);
        margin: 0 0 4px;
      }
      .thumbs {
        display: flex;
        flex-wrap: wrap;
        gap: 3px;
      }
      button.thumb {
        padding: 0;
        min-height: 0;
        border: 1px solid #c4ccd4;
        border-radius: 2px;
        background: #fff;
        width: 34px;
        height: 34px;
        line-height: 0;
      }
      button.thumb[aria-pressed='true'] {
        outline: 2px solid var(--sn-text);
        outline-offset: 1px;
      }
      button.thumb canvas {
        width: 100%;
        height: 100%;
      }
      .preview {
        position: sticky;
        top: 8px;
        font-size: 12px;
        color: var(--sn-muted);
      }
      .preview canvas {
        display: block;
        width: 100%;
        aspect-ratio: 1;
        border: 1px solid #8c959f;
        image-rendering: auto;
        background: var(--sn-soft);
      }
      .preview p {
        margin: 4px 0 0;
      }
      .empty {
        color: var(--sn-muted);
        margin: 0;
      }
    `,
  ];

  /** Hidden layers' activations, rows × units each, over a resolution² grid. */
  @property({ attribute: false }) layers: readonly Float32Array[] = [];
  /** The hidden layers (units, activation), in order. */
  @property({ attribute: false }) specs: readonly LayerSpec[] = [];
  @property({ type: Number }) resolution = 200;
  /** Units drawn per layer at most (the rest are counted). */
  @property({ type: Number, attribute: 'max-units' }) maxUnits = 256;
  /** Shown instead of the maps, e.g. why there are none. */
  @property() note = '';

  @state() private selected: Selected = { layer: 0, unit: 0 };
  private thumbSize = 32;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      changed.has('specs') &&
      (this.selected.layer >= this.specs.length || this.selected.unit >= (this.specs[this.selected.layer]?.units ?? 0))
    ) {
      this.selected = { layer: 0, unit: 0 };
    }
    const total = this.specs.reduce((n, s) => n + Math.min(s.units, this.maxUnits), 0);
    this.thumbSize = total > 256 ? 22 : total > 64 ? 28 : 40;
  }

  private ready(): boolean {
    return (
      this.layers.length === this.specs.length &&
      this.specs.every((s, i) => this.layers[i]!.length === s.units * this.resolution * this.resolution)
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.ready()) return;
    const data =
      changed.has('layers') || changed.has('specs') || changed.has('resolution') || changed.has('maxUnits') || changed.has('note');
    if (data) this.drawThumbs();
    const big = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.big');
    if (big && (data || changed.has('selected' as keyof SnUnitMaps)))
      this.drawUnit(big, this.selected.layer, this.selected.unit, this.resolution);
  }

  private drawThumbs(): void {
    const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-layer]');
    for (const canvas of canvases) this.drawUnit(canvas, Number(canvas.dataset['layer']), Number(canvas.dataset['unit']), this.thumbSize);
  }

  /** Draws unit `unit` of layer `layer`, sampled to size × size, with one putImageData. */
  private drawUnit(canvas: HTMLCanvasElement, layer: number, unit: number, size: number): void {
    const spec = this.specs[layer];
    const values = this.layers[layer];
    if (!spec || !values || unit >= spec.units) return;
    const units = spec.units;
    const res = this.resolution;
    if (canvas.width !== size) canvas.width = size;
    if (canvas.height !== size) canvas.height = size;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const centre = spec.activation === 'sigmoid' ? 0.5 : 0;
    let scale = 0;
    for (let row = 0; row < size; row++) {
      const r = Math.floor(((row + 0.5) * res) / size);
      for (let col = 0; col < size; col++) {
        const c = Math.floor(((col + 0.5) * res) / size);
        const v = Math.abs(values[(r * res + c) * units + unit]! - centre);
        if (v > scale) scale = v;
      }
    }
    // Bounded activations keep their natural scale; relu and linear are scaled per unit.
    if (spec.activation === 'tanh') scale = 1;
    if (spec.activation === 'sigmoid') scale = 0.5;
    if (!(scale > 0)) scale = 1;
    const image = ctx.createImageData(size, size);
    const px = image.data;
    for (let row = 0, k = 0; row < size; row++) {
      const r = Math.floor(((row + 0.5) * res) / size);
      for (let col = 0; col < size; col++, k += 4) {
        const c = Math.floor(((col + 0.5) * res) / size);
        const v = (values[(r * res + c) * units + unit]! - centre) / scale;
        const i = 3 * Math.round(Math.min(1, Math.max(0, (v + 1) / 2)) * 255);
        px[k] = COOLWARM[i]!;
        px[k + 1] = COOLWARM[i + 1]!;
        px[k + 2] = COOLWARM[i + 2]!;
        px[k + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  private select(layer: number, unit: number): void {
    if (this.selected.layer !== layer || this.selected.unit !== unit) this.selected = { layer, unit };
  }

  protected override render(): TemplateResult {
    if (this.note) return html`<p class="empty">${this.note}</p>`;
    if (this.specs.length === 0)
      return html`<p class="empty">Logistic regression has no hidden units: its only unit is the output, the decision map itself.</p>`;
    const sel = this.selected;
    const selSpec = this.specs[sel.layer];
    return html`<div class="wrap">
      <div class="layers">
        ${this.specs.map((spec, layer) => {
          const shown = Math.min(spec.units, this.maxUnits);
          return html`<div class="layer">
            <p class="layer-title">Layer ${layer + 1}: ${spec.units} ${spec.activation} unit${spec.units === 1 ? '' : 's'}${shown < spec.units ? ` (first ${shown} shown)` : ''}</p>
            <div class="thumbs" role="group" aria-label="Layer ${layer + 1} units">
              ${Array.from(
                { length: shown },
                (_, unit) =>
                  html`<button
                    class="thumb"
                    style="width:${this.thumbSize + 2}px;height:${this.thumbSize + 2}px"
                    aria-label="Layer ${layer + 1}, unit ${unit + 1}"
                    aria-pressed=${sel.layer === layer && sel.unit === unit ? 'true' : 'false'}
                    @mouseenter=${() => this.select(layer, unit)}
                    @focus=${() => this.select(layer, unit)}
                    @click=${() => this.select(layer, unit)}
                  >
                    <canvas data-layer=${layer} data-unit=${unit}></canvas>
                  </button>`,
              )}
            </div>
          </div>`;
        })}
      </div>
      <div class="preview" aria-live="polite">
        <canvas class="big" role="img" aria-label="Layer ${sel.layer + 1}, unit ${sel.unit + 1}, at full resolution"></canvas>
        ${
          selSpec
            ? html`<p><strong>Layer ${sel.layer + 1}, unit ${sel.unit + 1}</strong> (${selSpec.activation}), ${this.resolution}×${this.resolution}</p>
              <p data-testid="unit-legend">${unitLegend(selSpec.activation)}</p>`
            : nothing
        }
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-unit-maps': SnUnitMaps;
  }
}
