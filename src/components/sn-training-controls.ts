import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { integerField, selectField, withCurrent } from './lib/form-fields.js';
import { BATCH_SIZES, EPOCH_CHOICES, LEARNING_RATES, LIMITS, formatEpochs } from './lib/state.js';
import { baseStyles } from './shared-styles.js';

export type TrainAction = 'play' | 'pause' | 'step' | 'epoch' | 'reset';

/** Detail of `settings-change`: only the settings that changed. */
export interface TrainingSettings {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly seed?: number;
  /** Train in a Web Worker. */
  readonly worker?: boolean;
}

/**
 * Play / pause, one step (one batch), one epoch, reset; epochs (or ∞: until paused), batch
 * size, learning rate and seed. All native buttons and fields, so everything is reachable with Tab and operable with
 * Enter/Space; the playground adds single-key shortcuts on top.
 *
 * @fires train-action - `CustomEvent<{ action: TrainAction }>`
 * @fires settings-change - `CustomEvent<TrainingSettings>` with the changed setting.
 */
@customElement('sn-training-controls')
export class SnTrainingControls extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 10px 18px;
      }
      .buttons {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      button.play {
        width: 44px;
        height: 44px;
        border-radius: 50%;
        font-size: 18px;
        padding: 0;
      }
      .counter {
        display: grid;
        line-height: 1.15;
        min-width: 6.5em;
      }
      .counter small {
        font-size: 11px;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--sn-muted);
      }
      .counter output {
        font-size: 20px;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .fields {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 14px;
      }
      label {
        display: grid;
        gap: 1px;
        font-size: 11px;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--sn-muted);
      }
      input.seed {
        width: 7.5em;
      }
      label.toggle {
        display: flex;
        align-items: center;
        gap: 6px;
        text-transform: none;
        letter-spacing: 0;
        font-size: 13px;
        color: inherit;
      }
      .thread {
        display: grid;
        gap: 2px;
      }
      .thread small {
        color: var(--sn-muted);
        font-size: 11px;
      }
    `,
  ];

  @property({ type: Boolean, reflect: true }) running = false;
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Completed epochs. */
  @property({ type: Number }) epoch = 0;
  /** Batches trained since the last full epoch (by "one step"). */
  @property({ type: Number }) step = 0;
  /** What play trains up to; Infinity: until paused. */
  @property({ type: Number }) epochs = 10;
  @property({ type: Number, attribute: 'batch-size' }) batchSize = 32;
  @property({ type: Number, attribute: 'learning-rate' }) learningRate = 0.001;
  /**
   * The learning rate follows a schedule: the field sets the schedule's initial rate, and a
   * change restarts the model (a new schedule), instead of changing the rate live.
   */
  @property({ type: Boolean }) scheduled = false;
  @property({ type: Number }) seed = 0;
  /** The "Train in a Web Worker" setting. */
  @property({ type: Boolean }) worker = false;
  /** Where training actually runs: `worker`, `main`, or empty before the models exist. */
  @property({ attribute: 'worker-thread' }) workerThread = '';
  /** Why a worker was asked for but training runs on the page's thread (shown under the toggle). */
  @property({ attribute: 'worker-fallback' }) workerFallback = '';

  private action(action: TrainAction): void {
    this.dispatchEvent(new CustomEvent('train-action', { detail: { action }, bubbles: true, composed: true }));
  }

  private change(settings: TrainingSettings): void {
    this.dispatchEvent(new CustomEvent<TrainingSettings>('settings-change', { detail: settings, bubbles: true, composed: true }));
  }

  protected override render(): TemplateResult {
    const done = this.epoch >= this.epochs;
    return html`<div class="bar">
      <div class="buttons">
        <button
          class="primary play"
          aria-label=${this.running ? 'Pause training' : 'Train'}
          title=${this.running ? 'Pause (P)' : done ? 'Finished: raise Epochs to train further, or Reset' : Number.isFinite(this.epochs) ? 'Train until the last epoch (P)' : 'Train until paused (P)'}
          ?disabled=${this.disabled || (!this.running && done)}
          @click=${() => this.action(this.running ? 'pause' : 'play')}
        >
          ${this.running ? '❚❚' : '▶'}
        </button>
        <button ?disabled=${this.disabled || this.running} title="Train one batch (S)" @click=${() => this.action('step')}>One step</button>
        <button ?disabled=${this.disabled || this.running} title="Train one epoch (E)" @click=${() => this.action('epoch')}>One epoch</button>
        <button ?disabled=${this.disabled} title="New weights from the seed, epoch 0 (R)" @click=${() => this.action('reset')}>Reset</button>
      </div>
      <div class="counter" aria-live="off">
        <small>Epoch</small>
        <output aria-label="Epoch" data-testid="epoch-counter">${this.epoch}/${formatEpochs(this.epochs)}${this.step ? html`<small> +${this.step} step${this.step === 1 ? '' : 's'}</small>` : ''}</output>
      </div>
      <div class="fields">
        ${selectField({
          label: 'Epochs',
          title: 'What ▶ trains up to; ∞ trains until paused',
          options: withCurrent(EPOCH_CHOICES, this.epochs),
          selected: this.epochs,
          value: (n) => (Number.isFinite(n) ? String(n) : 'inf'),
          text: formatEpochs,
          disabled: this.disabled,
          change: (epochs) => this.change({ epochs }),
        })}
        ${selectField({ label: 'Batch size', options: withCurrent(BATCH_SIZES, this.batchSize), selected: this.batchSize, disabled: this.disabled, change: (batchSize) => this.change({ batchSize }) })}
        ${selectField({
          label: this.scheduled ? 'Initial learning rate' : 'Learning rate',
          name: 'Learning rate',
          title: this.scheduled
            ? 'The schedule starts from this rate; changing it starts a new model from the seed'
            : 'Takes effect from the next epoch or step; the weights and the optimizer state are kept',
          options: withCurrent(LEARNING_RATES, this.learningRate),
          selected: this.learningRate,
          disabled: this.disabled,
          change: (learningRate) => this.change({ learningRate }),
        })}
        ${integerField({ label: 'Seed', name: 'Seed', inputClass: 'seed', value: this.seed, limits: LIMITS.seed, disabled: this.disabled, change: (seed) => this.change({ seed }) })}
        <div class="thread">
          <label class="toggle" title="Run fit() off the page's thread, so the page never stalls during training (W)"
            ><input
              type="checkbox"
              data-testid="worker-toggle"
              .checked=${this.worker}
              ?disabled=${this.disabled || this.running}
              @change=${(e: Event) => this.change({ worker: (e.target as HTMLInputElement).checked })}
            />Train in a Web Worker</label
          >
          <small data-testid="worker-thread" aria-live="polite"
            >${
              this.workerThread === 'worker'
                ? 'Training in a worker'
                : this.workerThread === 'main'
                  ? this.worker && this.workerFallback
                    ? `On the page's thread: ${this.workerFallback}`
                    : "Training on the page's thread"
                  : ''
            }</small
          >
        </div>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-training-controls': SnTrainingControls;
  }
  interface HTMLElementEventMap {
    'train-action': CustomEvent<{ action: TrainAction }>;
    'settings-change': CustomEvent<TrainingSettings>;
  }
}
