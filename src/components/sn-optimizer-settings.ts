import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  DEFAULT_OPTIMIZER,
  DEFAULT_SCHEDULE,
  LIMITS,
  OPTIMIZERS,
  OPTIMIZER_LABELS,
  SCHEDULES,
  SCHEDULE_LABELS,
  type OptimizerSpec,
  type ScheduleSpec,
} from './lib/state.js';
import { baseStyles } from './shared-styles.js';
import { integerField, selectField, withCurrent } from './lib/form-fields.js';

/** Detail of `optimizer-change`: the whole new optimizer and schedule. */
export interface OptimizerChangeDetail {
  readonly optimizer: OptimizerSpec;
  readonly schedule: ScheduleSpec;
}

const MOMENTA = [0.5, 0.8, 0.9, 0.95, 0.99] as const;
const WEIGHT_DECAYS = [0, 0.0001, 0.001, 0.004, 0.01, 0.1] as const;
const DECAY_RATES = [0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99] as const;
const COSINE_ALPHAS = [0, 0.01, 0.1, 0.5] as const;

/**
 * The optimizer (SGD, SGD + momentum, RMSprop, Adagrad, Adam, AdamW) with its key parameter,
 * and the learning-rate schedule (constant, exponential decay, step decay, cosine decay) with
 * its decay steps and rate (or final fraction). The (initial) learning rate itself is set in
 * the training controls. Native selects and inputs: all keyboard-operable.
 *
 * @fires optimizer-change - `CustomEvent<OptimizerChangeDetail>` after every edit.
 */
@customElement('sn-optimizer-settings')
export class SnOptimizerSettings extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: 8px 12px;
      }
      label {
        display: grid;
        gap: 2px;
        font-size: 13px;
        color: var(--sn-muted);
      }
      select,
      input {
        width: 100%;
      }
      .hint {
        font-size: 12px;
        color: var(--sn-muted);
        margin: 6px 0 0;
      }
    `,
  ];

  @property({ attribute: false }) optimizer: OptimizerSpec = DEFAULT_OPTIMIZER;
  @property({ attribute: false }) schedule: ScheduleSpec = DEFAULT_SCHEDULE;
  /** Optimizer steps per epoch, to say how long a decay period is. */
  @property({ type: Number, attribute: 'steps-per-epoch' }) stepsPerEpoch = 0;
  @property({ type: Boolean, reflect: true }) disabled = false;

  private emit(optimizer: OptimizerSpec, schedule: ScheduleSpec): void {
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.dispatchEvent(
      new CustomEvent<OptimizerChangeDetail>('optimizer-change', { detail: { optimizer, schedule }, bubbles: true, composed: true }),
    );
  }

  private setOptimizer(change: Partial<OptimizerSpec>): void {
    this.emit({ ...this.optimizer, ...change }, this.schedule);
  }

  private setSchedule(change: Partial<ScheduleSpec>): void {
    this.emit(this.optimizer, { ...this.schedule, ...change });
  }

  protected override render(): TemplateResult {
    const o = this.optimizer;
    const s = this.schedule;
    const decays = s.kind !== 'constant';
    const epochs = this.stepsPerEpoch > 0 ? s.decaySteps / this.stepsPerEpoch : 0;
    const numberSelect = (label: string, list: readonly number[], value: number, change: (value: number) => void): TemplateResult =>
      selectField({ label, options: withCurrent(list, value), selected: value, disabled: this.disabled, change });
    /** A select of named choices (the optimizers, the schedules). */
    const namedSelect = <T extends string>(
      label: string,
      options: readonly T[],
      names: Readonly<Record<T, string>>,
      value: T,
      change: (value: T) => void,
    ): TemplateResult => selectField({ label, options, selected: value, text: (option) => names[option], disabled: this.disabled, change });
    return html`<div class="grid">
        ${namedSelect('Optimizer', OPTIMIZERS, OPTIMIZER_LABELS, o.name, (name) => this.setOptimizer({ name }))}
        ${o.name === 'momentum' ? numberSelect('Momentum', MOMENTA, o.momentum, (momentum) => this.setOptimizer({ momentum })) : nothing}
        ${o.name === 'adamw' ? numberSelect('Weight decay', WEIGHT_DECAYS, o.weightDecay, (weightDecay) => this.setOptimizer({ weightDecay })) : nothing}
        ${namedSelect('Learning-rate schedule', SCHEDULES, SCHEDULE_LABELS, s.kind, (kind) => this.setSchedule({ kind }))}
        ${
          decays
            ? integerField({
                label: 'Decay steps',
                name: 'Decay steps',
                value: s.decaySteps,
                limits: LIMITS.decaySteps,
                disabled: this.disabled,
                change: (decaySteps) => decaySteps !== this.schedule.decaySteps && this.setSchedule({ decaySteps }),
              })
            : nothing
        }
        ${s.kind === 'exponential' || s.kind === 'step' ? numberSelect('Decay rate', DECAY_RATES, s.decayRate, (decayRate) => this.setSchedule({ decayRate })) : nothing}
        ${s.kind === 'cosine' ? selectField({ label: 'Final fraction (alpha)', name: 'Cosine alpha', options: withCurrent(COSINE_ALPHAS, s.alpha), selected: s.alpha, disabled: this.disabled, change: (alpha) => this.setSchedule({ alpha }) }) : nothing}
      </div>
      ${
        decays
          ? html`<p class="hint" data-testid="schedule-hint">
            ${
              s.kind === 'cosine'
                ? `lr(t) = lr₀ · (α + (1 − α) · ½(1 + cos(π · min(t, ${s.decaySteps}) / ${s.decaySteps})))`
                : `lr(t) = lr₀ · ${s.decayRate}^${s.kind === 'step' ? `⌊t / ${s.decaySteps}⌋` : `(t / ${s.decaySteps})`}`
            }, t in optimizer steps${
              epochs > 0
                ? ` (${s.decaySteps} steps ≈ ${epochs >= 10 ? Math.round(epochs) : Number(epochs.toPrecision(2))} epoch${epochs === 1 ? '' : 's'} here)`
                : ''
            }.
          </p>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-optimizer-settings': SnOptimizerSettings;
  }
  interface HTMLElementEventMap {
    'optimizer-change': CustomEvent<OptimizerChangeDetail>;
  }
}
