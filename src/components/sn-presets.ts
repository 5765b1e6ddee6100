import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { PRESETS, countParams, formatEpochs, type Preset } from './lib/state.js';
import { baseStyles } from './shared-styles.js';

/**
 * One chip (a toggle button) per preset (by default the Keras tutorial's four models on
 * make_circles), its parameters and epochs in small type.
 *
 * @fires preset-select - `CustomEvent<{ preset: Preset }>`
 */
@customElement('sn-presets')
export class SnPresets extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      /* Compact chips: one line at desktop widths. */
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      button {
        display: inline-flex;
        align-items: baseline;
        gap: 6px;
        min-height: 28px;
        padding: 2px 12px;
        border-radius: 999px;
        background: #fff;
        font-size: 13px;
        white-space: nowrap;
      }
      button[aria-pressed='true'],
      button[aria-pressed='true']:hover:not(:disabled) {
        border-color: var(--sn-accent);
        background: var(--sn-accent-soft);
      }
      small {
        color: var(--sn-muted);
        font-weight: 400;
        font-size: 11px;
      }
    `,
  ];

  @property({ attribute: false }) presets: readonly Preset[] = PRESETS;
  /** Id of the preset whose settings are current (shown pressed). */
  @property() active = '';
  @property({ type: Boolean, reflect: true }) disabled = false;

  protected override render(): TemplateResult {
    return html`<ul>
      ${this.presets.map(
        (preset) => html`<li>
          <button
            aria-pressed=${preset.id === this.active ? 'true' : 'false'}
            title="${preset.description} ${countParams(preset.layers).toLocaleString('en-US')} parameters."
            ?disabled=${this.disabled}
            data-preset=${preset.id}
            @click=${() => this.dispatchEvent(new CustomEvent('preset-select', { detail: { preset }, bubbles: true, composed: true }))}
          >
            <span>${preset.label}</span>
            <small>${formatEpochs(preset.epochs)} epoch${preset.epochs === 1 ? '' : 's'}</small>
          </button>
        </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-presets': SnPresets;
  }
  interface HTMLElementEventMap {
    'preset-select': CustomEvent<{ preset: Preset }>;
  }
}
