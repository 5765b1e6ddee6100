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
  type OptimizerName,
  type OptimizerSpec,
  type ScheduleKind,
  type ScheduleSpec,
} from './lib/state.js';
import { baseStyles } from './shared-styles.js';

/** Detail of `optimizer-change`: the whole new optimizer and schedule. */
export interface OptimizerChangeDetail {
  readonly optimizer: OptimizerSpec;
  readonly schedule: ScheduleSpec;
}

const MOMENTA = [0.5, 0.8, 0.9, 0.95, 0.99] as const;
const WEIGHT_DECAYS = [0, 0.0001, 0.001, 0.004, 0.01, 0.1] as const;
const DECAY_RATES = [0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99] as const;
const COSINE_ALPHAS = [0, 0.01, 0.1, 0.5] as const;

/** A select's options: the choices, plus the current value if it is not one of them (e.g. from a link). */
function choices(list: readonly number[], current: number): number[] {
  return list.includes(current) ? [...list] : [...list, current].sort((a, b) => a - b);
}

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
    this.dispatchEvent(new CustomEvent<OptimizerChangeDetail>('optimizer-change', { detail: { optimizer, schedule }, bubbles: true, composed: true }));
  }

  private setOptimizer(change: Partial<OptimizerSpec>): void {
    this.emit({ ...this.optimizer, ...change }, this.schedule);
  }

  private setSchedule(change: Partial<ScheduleSpec>): void {
    this.emit(this.optimizer, { ...this.schedule, ...change });
  }

  private setDecaySteps(input: HTMLInputElement): void {
    const [lo, hi] = LIMITS.decaySteps;
    const v = Number(input.value);
    const steps = input.value.trim() !== '' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : this.schedule.decaySteps;
    input.value = String(steps);
    if (steps !== this.schedule.decaySteps) this.setSchedule({ decaySteps: steps });
  }

  protected override render(): TemplateResult {
    const o = this.optimizer;
    const s = this.schedule;
    const decays = s.kind !== 'constant';
    const epochs = this.stepsPerEpoch > 0 ? s.decaySteps / this.stepsPerEpoch : 0;
    return html`<div class="grid">
        <label
          >Optimizer
          <select aria-label="Optimizer" ?disabled=${this.disabled} @change=${(e: Event) => this.setOptimizer({ name: (e.target as HTMLSelectElement).value as OptimizerName })}>
            ${OPTIMIZERS.map((name) => html`<option value=${name} .selected=${name === o.name}>${OPTIMIZER_LABELS[name]}</option>`)}
          </select>
        </label>
        ${o.name === 'momentum'
          ? html`<label
              >Momentum
              <select aria-label="Momentum" ?disabled=${this.disabled} @change=${(e: Event) => this.setOptimizer({ momentum: Number((e.target as HTMLSelectElement).value) })}>
                ${choices(MOMENTA, o.momentum).map((m) => html`<option value=${m} .selected=${m === o.momentum}>${m}</option>`)}
              </select>
            </label>`
          : nothing}
        ${o.name === 'adamw'
          ? html`<label
              >Weight decay
              <select aria-label="Weight decay" ?disabled=${this.disabled} @change=${(e: Event) => this.setOptimizer({ weightDecay: Number((e.target as HTMLSelectElement).value) })}>
                ${choices(WEIGHT_DECAYS, o.weightDecay).map((w) => html`<option value=${w} .selected=${w === o.weightDecay}>${w}</option>`)}
              </select>
            </label>`
          : nothing}
        <label
          >Learning-rate schedule
          <select aria-label="Learning-rate schedule" ?disabled=${this.disabled} @change=${(e: Event) => this.setSchedule({ kind: (e.target as HTMLSelectElement).value as ScheduleKind })}>
            ${SCHEDULES.map((kind) => html`<option value=${kind} .selected=${kind === s.kind}>${SCHEDULE_LABELS[kind]}</option>`)}
          </select>
        </label>
        ${decays
          ? html`<label
              >Decay steps
              <input
                type="number"
                min=${LIMITS.decaySteps[0]}
                max=${LIMITS.decaySteps[1]}
                aria-label="Decay steps"
                .value=${String(s.decaySteps)}
                ?disabled=${this.disabled}
                @change=${(e: Event) => this.setDecaySteps(e.target as HTMLInputElement)}
              />
            </label>`
          : nothing}
        ${s.kind === 'exponential' || s.kind === 'step'
          ? html`<label
              >Decay rate
              <select aria-label="Decay rate" ?disabled=${this.disabled} @change=${(e: Event) => this.setSchedule({ decayRate: Number((e.target as HTMLSelectElement).value) })}>
                ${choices(DECAY_RATES, s.decayRate).map((r) => html`<option value=${r} .selected=${r === s.decayRate}>${r}</option>`)}
              </select>
            </label>`
          : nothing}
        ${s.kind === 'cosine'
          ? html`<label
              >Final fraction (alpha)
              <select aria-label="Cosine alpha" ?disabled=${this.disabled} @change=${(e: Event) => this.setSchedule({ alpha: Number((e.target as HTMLSelectElement).value) })}>
                ${choices(COSINE_ALPHAS, s.alpha).map((a) => html`<option value=${a} .selected=${a === s.alpha}>${a}</option>`)}
              </select>
            </label>`
          : nothing}
      </div>
      ${decays
        ? html`<p class="hint" data-testid="schedule-hint">
            ${s.kind === 'cosine'
              ? `lr(t) = lr₀ · (α + (1 − α) · ½(1 + cos(π · min(t, ${s.decaySteps}) / ${s.decaySteps})))`
              : `lr(t) = lr₀ · ${s.decayRate}^${s.kind === 'step' ? `⌊t / ${s.decaySteps}⌋` : `(t / ${s.decaySteps})`}`}, t in optimizer steps${epochs > 0
              ? ` (${s.decaySteps} steps ≈ ${epochs >= 10 ? Math.round(epochs) : Number(epochs.toPrecision(2))} epoch${epochs === 1 ? '' : 's'} here)`
              : ''}.
          </p>`
        : nothing}`;
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
