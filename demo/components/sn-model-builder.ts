import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ACTIVATIONS, Dense, Sequential, type Activation } from '../../src/index.js';
import { LIMITS, countParams, type LayerSpec } from '../lib/state.js';
import { baseStyles } from './shared-styles.js';

/** Keras's summary text of 2 → hidden… → Dense(1, sigmoid), made without touching the GPU. */
export function kerasSummary(layers: readonly LayerSpec[]): string {
  const model = new Sequential({ seed: 0 });
  layers.forEach((l, i) => model.add(new Dense({ units: l.units, activation: l.activation, ...(i === 0 ? { inputDim: 2 } : {}) })));
  model.add(new Dense({ units: 1, activation: 'sigmoid', ...(layers.length === 0 ? { inputDim: 2 } : {}) }));
  return model.summary({ print: () => {} });
}

/**
 * Edits the hidden layers of a binary classifier on 2 inputs: add and remove Dense layers,
 * set units (1–512) and activation per layer. The output layer is Dense(1, sigmoid). Shows the
 * parameter count and Keras's model summary.
 *
 * @fires layers-change - `CustomEvent<{ layers: LayerSpec[] }>` after every edit.
 */
@customElement('sn-model-builder')
export class SnModelBuilder extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 8px;
        padding: 6px 8px;
        border: 1px solid var(--sn-line);
        border-radius: 6px;
        background: #fff;
      }
      li.fixed {
        background: var(--sn-soft);
        color: var(--sn-muted);
      }
      .name {
        font-weight: 600;
        min-width: 4.6em;
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        color: var(--sn-muted);
        font-size: 13px;
      }
      input[type='number'] {
        width: 5.2em;
      }
      .remove {
        margin-left: auto;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        margin-top: 8px;
      }
      .params {
        font-variant-numeric: tabular-nums;
      }
      .params strong {
        font-size: 16px;
      }
      details {
        margin-top: 8px;
      }
      summary {
        cursor: pointer;
        color: var(--sn-muted);
        font-size: 13px;
      }
      pre {
        margin: 6px 0 0;
        padding: 8px;
        background: var(--sn-soft);
        border: 1px solid var(--sn-line);
        border-radius: 6px;
        font: 11px/1.3 var(--sn-mono);
        overflow: auto;
      }
    `,
  ];

  /** The hidden layers, input side first. */
  @property({ attribute: false }) layers: readonly LayerSpec[] = [{ units: 8, activation: 'relu' }];
  @property({ type: Boolean, reflect: true }) disabled = false;

  private emit(layers: LayerSpec[]): void {
    this.layers = layers;
    this.dispatchEvent(new CustomEvent('layers-change', { detail: { layers }, bubbles: true, composed: true }));
  }

  private setUnits(index: number, input: HTMLInputElement): void {
    const raw = Number(input.value);
    const [lo, hi] = LIMITS.units;
    const units = Number.isFinite(raw) ? Math.min(hi, Math.max(lo, Math.round(raw))) : this.layers[index]!.units;
    input.value = String(units);
    if (units === this.layers[index]!.units) return;
    this.emit(this.layers.map((l, i) => (i === index ? { ...l, units } : l)));
  }

  private setActivation(index: number, activation: Activation): void {
    this.emit(this.layers.map((l, i) => (i === index ? { ...l, activation } : l)));
  }

  private addLayer(): void {
    const last = this.layers[this.layers.length - 1];
    this.emit([...this.layers, { units: last ? Math.min(last.units, 8) : 8, activation: last?.activation ?? 'relu' }]);
  }

  private removeLayer(index: number): void {
    this.emit(this.layers.filter((_, i) => i !== index));
  }

  protected override render(): TemplateResult {
    const params = countParams(this.layers);
    const full = this.layers.length >= LIMITS.hiddenLayers;
    return html`<ol aria-label="Layers">
        <li class="fixed"><span class="name">Input</span><span>2 features (x₁, x₂)</span></li>
        ${this.layers.map(
          (layer, i) => html`<li data-layer=${i}>
            <span class="name">Dense ${i + 1}</span>
            <label
              >units
              <input
                type="number"
                min=${LIMITS.units[0]}
                max=${LIMITS.units[1]}
                step="1"
                .value=${String(layer.units)}
                ?disabled=${this.disabled}
                aria-label="Units of hidden layer ${i + 1}"
                @change=${(e: Event) => this.setUnits(i, e.target as HTMLInputElement)}
            /></label>
            <label
              >activation
              <select
                aria-label="Activation of hidden layer ${i + 1}"
                ?disabled=${this.disabled}
                @change=${(e: Event) => this.setActivation(i, (e.target as HTMLSelectElement).value as Activation)}
              >
                ${ACTIVATIONS.map((a) => html`<option value=${a} .selected=${a === layer.activation}>${a}</option>`)}
              </select></label
            >
            <button class="icon remove" ?disabled=${this.disabled} aria-label="Remove hidden layer ${i + 1}" title="Remove this layer" @click=${() => this.removeLayer(i)}>✕</button>
          </li>`,
        )}
        <li class="fixed"><span class="name">Output</span><span>Dense, 1 unit, sigmoid: P(class 1)</span></li>
      </ol>
      <div class="row">
        <button ?disabled=${this.disabled || full} @click=${this.addLayer} title=${full ? `At most ${LIMITS.hiddenLayers} hidden layers` : 'Add a hidden layer before the output'}>
          + Add layer
        </button>
        <span class="params" data-testid="param-count" aria-live="polite"><strong>${params.toLocaleString('en-US')}</strong> parameters</span>
      </div>
      <details>
        <summary>Keras model.summary()</summary>
        <pre aria-label="Keras model summary">${kerasSummary(this.layers)}</pre>
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-model-builder': SnModelBuilder;
  }
  interface HTMLElementEventMap {
    'layers-change': CustomEvent<{ layers: LayerSpec[] }>;
  }
}
