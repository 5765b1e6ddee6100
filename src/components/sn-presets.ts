import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { PRESETS, countParams, type Preset } from './lib/state.js';
import { baseStyles } from './shared-styles.js';

/**
 * One button per preset (by default the Keras tutorial's four models on make_circles).
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
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
        gap: 6px;
      }
      button {
        width: 100%;
        text-align: left;
        padding: 6px 10px;
        display: grid;
        gap: 1px;
        background: #fff;
      }
      button[aria-pressed='true'],
      button[aria-pressed='true']:hover:not(:disabled) {
        border-color: var(--sn-accent);
        background: var(--sn-accent-soft);
      }
      small {
        color: var(--sn-muted);
        font-weight: 400;
        font-size: 12px;
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
            title=${preset.description}
            ?disabled=${this.disabled}
            data-preset=${preset.id}
            @click=${() => this.dispatchEvent(new CustomEvent('preset-select', { detail: { preset }, bubbles: true, composed: true }))}
          >
            <span>${preset.label}</span>
            <small>${countParams(preset.layers).toLocaleString('en-US')} params · ${preset.epochs} epoch${preset.epochs === 1 ? '' : 's'}</small>
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
