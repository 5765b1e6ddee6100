import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { integerField, selectField, withCurrent } from './lib/form-fields.js';
import {
  DEFAULT_OPTIMIZER,
  DEFAULT_SCHEDULE,
  DROPOUT_RATES,
  HIDDEN_ACTIVATIONS,
  LIMITS,
  REGULARIZER_FACTORS,
  countParams,
  type HiddenActivation,
  type LayerSpec,
  type Task,
} from './lib/state.js';
import { buildSequential } from './lib/build-model.js';
import { modelConfig, type ModelConfig } from './lib/model-config.js';
import { baseStyles } from './shared-styles.js';
import { FEATURE_NAMES, FEATURES, RAW_FEATURES, type FeatureName } from '../data/features.js';
import { featureThumbnail } from './lib/feature-thumbnails.js';
import { DEFAULT_DOMAIN, type Domain } from './lib/geometry.js';

/** Pixels of a feature toggle's thumbnail. */
const THUMBNAIL = 24;

/** The config of hidden `layers` for a task (the optimizer does not matter to a summary). */
function configOf(layers: readonly LayerSpec[], task: Task = 'binary', classes = 2, inputs = 2): ModelConfig {
  return modelConfig({
    task,
    classes,
    layers,
    learningRate: 0.001,
    optimizer: DEFAULT_OPTIMIZER,
    schedule: DEFAULT_SCHEDULE,
    seed: 0,
    inputs,
  });
}

/** Keras's summary text of a model (a config, or hidden layers of a binary classifier), made without touching the GPU. */
export function kerasSummary(model: ModelConfig | readonly LayerSpec[]): string {
  const config = 'layers' in model && !Array.isArray(model) ? (model as ModelConfig) : configOf(model as readonly LayerSpec[]);
  return buildSequential(config, { seed: 0 }).summary({ print: () => {} });
}

const OUTPUT_TEXT: Readonly<Record<Task, (classes: number) => string>> = {
  binary: () => 'Dense, 1 unit, sigmoid: P(class 1)',
  multiclass: (k) => `Dense, ${k} units, softmax: P(class 0…${k - 1})`,
  regression: () => 'Dense, 1 unit, linear: the value',
};

/**
 * Edits the input features (TensorFlow Playground's toggles, each with a thumbnail of the
 * feature over the plane: x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂; at least one stays on) and the
 * hidden layers of a model: add and remove Dense layers, set units
 * (1–512), activation, dropout after the layer and an L1/L2 kernel regularizer per layer. The
 * output layer follows from the task (`task`, `classes`): Dense(1, sigmoid), Dense(k, softmax)
 * or Dense(1, linear). Shows the parameter count and Keras's model summary.
 *
 * @fires layers-change - `CustomEvent<{ layers: LayerSpec[] }>` after every edit.
 * @fires features-change - `CustomEvent<{ features: FeatureName[] }>` after a feature is toggled (canonical order).
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
      /* Name | fields (wrapping inside their column) | ✕, extras under the fields: the ✕ stays on the first line however narrow the row. */
      li {
        display: grid;
        grid-template-columns: 4.6em minmax(0, 1fr) auto;
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
      }
      .fields {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 8px;
        min-width: 0;
      }
      /* In a narrow column (the compare view's sidebar) a label wraps above its control and a
         select shrinks to the column, rather than overflowing the panel. */
      label {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px;
        max-width: 100%;
        color: var(--sn-muted);
        font-size: 13px;
      }
      select {
        min-width: 0;
        max-width: 100%;
      }
      input[type='number'] {
        width: 5.2em;
      }
      .remove {
        align-self: start;
      }
      .extras {
        grid-column: 2 / 4;
        grid-row: 2;
        display: flex;
        flex-wrap: wrap;
        gap: 4px 8px;
      }
      .extras select {
        font-size: 12px;
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
      li.input {
        grid-template-columns: 4.6em minmax(0, 1fr);
      }
      .features {
        grid-column: 1 / 3;
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      .features button {
        display: inline-flex;
        flex-direction: column;
        align-items: center;
        gap: 2px;
        padding: 3px;
        min-width: 44px;
        font-size: 11px;
        line-height: 1.1;
        opacity: 0.45;
        border: 1px solid var(--sn-line);
        background: #fff;
      }
      .features button[aria-pressed='true'] {
        opacity: 1;
        border-color: var(--sn-accent, #1d4ed8);
        box-shadow: 0 0 0 1px var(--sn-accent, #1d4ed8);
      }
      .features canvas {
        width: ${THUMBNAIL}px;
        height: ${THUMBNAIL}px;
        image-rendering: pixelated;
        border-radius: 2px;
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
  /** The task the output layer serves. */
  @property() task: Task = 'binary';
  /** Classes of a multiclass task (the softmax's units). */
  @property({ type: Number }) classes = 2;
  /** The input features, canonical order (see data/features.ts). */
  @property({ attribute: false }) features: readonly FeatureName[] = RAW_FEATURES;
  /** The plane the thumbnails show (the data's plot domain). */
  @property({ attribute: false }) domain: Domain = DEFAULT_DOMAIN;

  private toggleFeature(name: FeatureName): void {
    const on = this.features.includes(name);
    // The model needs an input: the last feature cannot be switched off.
    if (on && this.features.length === 1) return;
    const features = FEATURE_NAMES.filter((f) => (f === name ? !on : this.features.includes(f)));
    this.features = features;
    this.dispatchEvent(new CustomEvent('features-change', { detail: { features }, bubbles: true, composed: true }));
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('domain') && this.hasUpdated && this.renderRoot.querySelector('canvas[data-drawn]')) return;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('.features canvas')) {
      const name = canvas.dataset.feature as FeatureName;
      canvas.getContext('2d')?.putImageData(new ImageData(featureThumbnail(name, this.domain, THUMBNAIL), THUMBNAIL, THUMBNAIL), 0, 0);
      canvas.dataset.drawn = '';
    }
  }

  private renderFeatures(): TemplateResult {
    const labels = this.features.map((f) => FEATURES[f].label).join(', ');
    return html`<li class="fixed input" data-testid="input-layer">
      <span class="name">Input</span><span data-testid="input-width">${this.features.length} feature${this.features.length === 1 ? '' : 's'} (${labels})</span>
      <span class="features" role="group" aria-label="Input features">
        ${FEATURE_NAMES.map((name) => {
          const on = this.features.includes(name);
          return html`<button
            type="button"
            data-feature=${name}
            aria-pressed=${String(on)}
            ?disabled=${this.disabled || (on && this.features.length === 1)}
            title=${`${FEATURES[name].label} (${name}): ${on ? 'on' : 'off'}${on && this.features.length === 1 ? ' — the model needs at least one input' : ''}`}
            @click=${() => this.toggleFeature(name)}
          >
            <canvas width=${THUMBNAIL} height=${THUMBNAIL} data-feature=${name} aria-hidden="true"></canvas>${FEATURES[name].label}
          </button>`;
        })}
      </span>
    </li>`;
  }

  private emit(layers: LayerSpec[]): void {
    this.layers = layers;
    this.dispatchEvent(new CustomEvent('layers-change', { detail: { layers }, bubbles: true, composed: true }));
  }

  private setUnits(index: number, units: number): void {
    if (units === this.layers[index]!.units) return;
    this.emit(this.layers.map((l, i) => (i === index ? { ...l, units } : l)));
  }

  private setActivation(index: number, activation: HiddenActivation): void {
    this.emit(this.layers.map((l, i) => (i === index ? { ...l, activation } : l)));
  }

  private setDropout(index: number, rate: number): void {
    this.emit(
      this.layers.map((l, i) => {
        if (i !== index) return l;
        const { dropout: _old, ...rest } = l;
        return rate > 0 ? { ...rest, dropout: rate } : rest;
      }),
    );
  }

  /** `value`: "none", "l1" or "l2" (kind), or a factor. */
  private setRegularizer(index: number, kind: 'none' | 'l1' | 'l2' | undefined, factor: number | undefined): void {
    this.emit(
      this.layers.map((l, i) => {
        if (i !== index) return l;
        const { regularizer: old, ...rest } = l;
        const nextKind = kind ?? old?.kind;
        if (!nextKind || nextKind === 'none') return rest;
        return { ...rest, regularizer: { kind: nextKind, factor: factor ?? old?.factor ?? 0.01 } };
      }),
    );
  }

  private addLayer(): void {
    const last = this.layers[this.layers.length - 1];
    this.emit([...this.layers, { units: last ? Math.min(last.units, 8) : 8, activation: last?.activation ?? 'relu' }]);
  }

  private removeLayer(index: number): void {
    this.emit(this.layers.filter((_, i) => i !== index));
  }

  protected override render(): TemplateResult {
    const outputs = this.task === 'multiclass' ? this.classes : 1;
    const params = countParams(this.layers, this.features.length, outputs);
    const full = this.layers.length >= LIMITS.hiddenLayers;
    return html`<ol aria-label="Layers">
        ${this.renderFeatures()}
        ${this.layers.map(
          (layer, i) => html`<li data-layer=${i}>
            <span class="name">Dense ${i + 1}</span>
            <span class="fields">
              ${integerField({ label: 'units', name: `Units of hidden layer ${i + 1}`, value: layer.units, limits: LIMITS.units, step: 1, disabled: this.disabled, change: (units) => this.setUnits(i, units) })}
              ${selectField({
                label: 'activation',
                name: `Activation of hidden layer ${i + 1}`,
                options: HIDDEN_ACTIVATIONS,
                selected: layer.activation,
                disabled: this.disabled,
                change: (activation) => this.setActivation(i, activation),
              })}
            </span>
            <span class="extras">
              ${selectField({
                label: 'dropout',
                name: `Dropout after hidden layer ${i + 1}`,
                options: [0, ...DROPOUT_RATES],
                selected: layer.dropout ?? 0,
                text: (r) => (r ? String(r) : 'none'),
                disabled: this.disabled,
                change: (rate) => this.setDropout(i, rate),
              })}
              ${selectField<'none' | 'l1' | 'l2'>({
                label: 'regularizer',
                name: `Kernel regularizer of hidden layer ${i + 1}`,
                options: ['none', 'l1', 'l2'] as const,
                selected: layer.regularizer?.kind ?? 'none',
                text: (k) => (k === 'none' ? 'none' : k.toUpperCase()),
                disabled: this.disabled,
                change: (kind) => this.setRegularizer(i, kind, undefined),
              })}
              ${
                layer.regularizer
                  ? selectField({
                      label: '×',
                      name: `Regularization factor of hidden layer ${i + 1}`,
                      options: withCurrent(REGULARIZER_FACTORS, layer.regularizer.factor),
                      selected: layer.regularizer.factor,
                      disabled: this.disabled,
                      change: (factor) => this.setRegularizer(i, undefined, factor),
                    })
                  : ''
              }
            </span>
            <button class="icon remove" ?disabled=${this.disabled} aria-label="Remove hidden layer ${i + 1}" title="Remove this layer" @click=${() => this.removeLayer(i)}>✕</button>
          </li>`,
        )}
        <li class="fixed" data-testid="output-layer"><span class="name">Output</span><span>${OUTPUT_TEXT[this.task](this.classes)}</span></li>
      </ol>
      <div class="row">
        <button ?disabled=${this.disabled || full} @click=${this.addLayer} title=${full ? `At most ${LIMITS.hiddenLayers} hidden layers` : 'Add a hidden layer before the output'}>
          + Add layer
        </button>
        <span class="params" data-testid="param-count" aria-live="polite"><strong>${params.toLocaleString('en-US')}</strong> parameters</span>
      </div>
      <details>
        <summary>Keras model.summary()</summary>
        <pre aria-label="Keras model summary">${kerasSummary(configOf(this.layers, this.task, this.classes, this.features.length))}</pre>
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-model-builder': SnModelBuilder;
  }
  interface HTMLElementEventMap {
    'layers-change': CustomEvent<{ layers: LayerSpec[] }>;
    'features-change': CustomEvent<{ features: FeatureName[] }>;
  }
}
