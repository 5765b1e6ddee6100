import { LitElement, css, html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { baseStyles } from './shared-styles.js';

/** The most lines kept; older ones are dropped. */
const MAX_LINES = 2000;

/**
 * A Keras-style training log (`Epoch 3/10`, then `125/125 - 0s - loss: 0.1412 - accuracy: …`):
 * plain text lines in a scrolling, monospaced box that follows the newest line.
 */
@customElement('sn-training-log')
export class SnTrainingLog extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      pre {
        margin: 0;
        height: var(--sn-log-height, 180px);
        overflow: auto;
        padding: 8px 10px;
        background: #fbfbfc;
        border: 1px solid var(--sn-line);
        border-radius: 6px;
        font: 12px/1.45 var(--sn-mono);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .tools {
        display: flex;
        justify-content: flex-end;
        gap: 6px;
        margin-top: 6px;
      }
    `,
  ];

  /** The lines shown (newest last). */
  @property({ attribute: false }) lines: readonly string[] = [];
  @query('pre') private pre!: HTMLPreElement;

  /** Appends lines (kept to the last 2,000). */
  appendLines(...lines: string[]): void {
    const next = [...this.lines, ...lines];
    this.lines = next.length > MAX_LINES ? next.slice(-MAX_LINES) : next;
  }

  clear(): void {
    this.lines = [];
  }

  get text(): string {
    return this.lines.join('\n');
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Reading scrollHeight forces a layout of the page: only when there is a new line to follow.
    const pre = this.pre;
    if (pre && changed.has('lines')) pre.scrollTop = pre.scrollHeight;
  }

  private async copy(button: HTMLButtonElement): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed: select the text';
    }
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  }

  protected override render(): TemplateResult {
    return html`<pre role="log" aria-label="Training log" tabindex="0">${this.lines.length ? this.text : 'Nothing trained yet.'}</pre>
      <div class="tools">
        <button @click=${(e: Event) => void this.copy(e.currentTarget as HTMLButtonElement)} ?disabled=${!this.lines.length}>Copy</button>
        <button @click=${() => this.clear()} ?disabled=${!this.lines.length}>Clear</button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-training-log': SnTrainingLog;
  }
}
