import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CsvError, parseCsv } from './lib/csv.js';
import { integerField, rangeField, selectField } from './lib/form-fields.js';
import {
  DATASET_KINDS,
  DATASET_LABELS,
  LIMITS,
  TUTORIAL_DATASET,
  classLimits,
  taskOf,
  withKind,
  type DatasetKind,
  type DatasetSpec,
  type Point,
  type Task,
} from './lib/state.js';
import { baseStyles } from './shared-styles.js';

/** Detail of `csv-load`. */
export interface CsvLoadDetail {
  readonly points: Point[];
  /** What the third column is: read from the file (see csv.ts). */
  readonly task: Task;
  /** Classes of a classification file (2 for binary), 1 for regression. */
  readonly classes: number;
  readonly name: string;
}

const TASK_NOTES: Readonly<Record<Task, string>> = {
  binary: 'Two classes: Dense(1, sigmoid), binary cross-entropy.',
  multiclass: 'k classes: Dense(k, softmax), sparse categorical cross-entropy.',
  regression: 'A real value: Dense(1, linear), mean squared error.',
};

/** What the noise slider means, per kind. */
const NOISE_NOTES: Partial<Record<DatasetKind, string>> = {
  circles: ' (Gaussian σ)',
  moons: ' (Gaussian σ)',
  spirals: ' (σ of the angle, radians)',
  surface: ' (σ of the target)',
};

/**
 * Chooses the data: a generator (scikit-learn's make_circles, make_moons and make_blobs, the
 * TensorFlow Playground's xor, spiral and two Gaussians, k-class spirals, a regression surface)
 * with its sample count, noise, circle factor, classes, cluster spread and seed; the validation
 * ratio; or a CSV file of `x1,x2,label` or `x1,x2,value` rows (parsed strictly: a bad file is
 * reported and nothing changes).
 *
 * @fires dataset-change - `CustomEvent<{ spec: DatasetSpec }>`
 * @fires csv-load - `CustomEvent<CsvLoadDetail>` with the parsed points.
 * @fires csv-error - `CustomEvent<{ message: string }>`
 */
@customElement('sn-dataset-picker')
export class SnDatasetPicker extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .fields {
        display: grid;
        gap: 10px;
      }
      label.field {
        display: grid;
        gap: 2px;
        font-size: 13px;
        color: var(--sn-muted);
      }
      .line {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      .line input[type='range'] {
        flex: 1;
        min-width: 0;
      }
      .line output {
        min-width: 4.2em;
        text-align: right;
        font-variant-numeric: tabular-nums;
        color: var(--sn-text);
      }
      select {
        width: 100%;
      }
      .file {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
      }
      .file label.button {
        display: inline-flex;
        align-items: center;
        border: 1px solid var(--sn-line);
        background: var(--sn-soft);
        border-radius: 6px;
        padding: 4px 10px;
        min-height: 32px;
        cursor: pointer;
        font-weight: 500;
        color: var(--sn-text);
      }
      .file label.button:hover {
        background: #eef1f4;
      }
      .file input {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
      .file input:focus-visible + label.button {
        outline: 2px solid var(--sn-accent);
        outline-offset: 2px;
      }
      .hint {
        font-size: 12px;
        color: var(--sn-muted);
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) spec: DatasetSpec = TUTORIAL_DATASET;
  /** Name of the loaded CSV, when spec.kind is 'csv'. */
  @property({ attribute: 'csv-name' }) csvName = '';
  /** Points in the current CSV (to show the split). */
  @property({ type: Number, attribute: 'csv-count' }) csvCount = 0;
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Live values of sliders being dragged (committed on change). */
  @state() private draft: Partial<DatasetSpec> = {};

  private commit(change: Partial<DatasetSpec>): void {
    this.draft = {};
    const spec = { ...this.spec, ...change };
    this.spec = spec;
    this.dispatchEvent(new CustomEvent('dataset-change', { detail: { spec }, bubbles: true, composed: true }));
  }

  private async loadFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const fail = (message: string): void => {
      this.dispatchEvent(
        new CustomEvent('csv-error', { detail: { message: `${file.name.slice(0, 60)}: ${message}` }, bubbles: true, composed: true }),
      );
    };
    if (file.size > LIMITS.csvBytes)
      return fail(`the file is ${(file.size / 1e6).toFixed(1)} MB; at most ${LIMITS.csvBytes / 1e6} MB are accepted.`);
    let data: ReturnType<typeof parseCsv>;
    try {
      data = parseCsv(await file.text());
    } catch (error) {
      return fail(error instanceof CsvError ? error.message : 'the file could not be read.');
    }
    this.dispatchEvent(new CustomEvent<CsvLoadDetail>('csv-load', { detail: { ...data, name: file.name }, bubbles: true, composed: true }));
  }

  /** A slider of one spec setting: drafts while dragged, commits when let go. */
  private slider(
    key: 'noise' | 'factor' | 'validationRatio' | 'clusterStd',
    label: string,
    name: string,
    limits: readonly [number, number],
    step: number,
    shown: string,
  ): TemplateResult {
    return rangeField({
      label,
      name,
      limits,
      step,
      value: { ...this.spec, ...this.draft }[key],
      shown,
      class: 'field',
      disabled: this.disabled,
      input: (value) => (this.draft = { ...this.draft, [key]: value }),
      change: (value) => this.commit({ [key]: value }),
    });
  }

  private renderClasses(spec: DatasetSpec): TemplateResult {
    const [lo, hi] = classLimits(spec.kind);
    return selectField({
      label: spec.kind === 'blobs' ? 'Centres (classes)' : 'Classes (arms)',
      name: 'Classes',
      class: 'field',
      options: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
      selected: spec.classes,
      disabled: this.disabled,
      change: (classes) => this.commit({ classes }),
    });
  }

  protected override render(): TemplateResult {
    const spec = { ...this.spec, ...this.draft };
    const csv = spec.kind === 'csv';
    const total = csv ? this.csvCount : spec.nSamples;
    const validation = total - Math.floor(total * (1 - spec.validationRatio));
    const kinds = DATASET_KINDS.filter((k) => k !== 'csv' || csv);
    const task = taskOf(spec);
    return html`<div class="fields">
      ${selectField({
        label: 'Dataset',
        class: 'field',
        options: kinds,
        selected: spec.kind,
        text: (k) => (k === 'csv' && this.csvName ? `${DATASET_LABELS.csv}: ${this.csvName}` : DATASET_LABELS[k]),
        disabled: this.disabled,
        change: (kind) => this.commit(withKind(this.spec, kind)),
      })}
      <p class="hint" data-testid="task-note">${csv && task === 'multiclass' ? `${spec.classes} classes: Dense(${spec.classes}, softmax), sparse categorical cross-entropy.` : TASK_NOTES[task]}</p>
      ${spec.kind === 'spirals' || spec.kind === 'blobs' ? this.renderClasses(spec) : nothing}
      ${
        csv
          ? nothing
          : html`${integerField({
              label: 'Samples',
              name: 'Samples',
              class: 'field',
              value: spec.nSamples,
              limits: LIMITS.samples,
              step: 10,
              disabled: this.disabled,
              change: (nSamples) => this.commit({ nSamples }),
            })}
            ${
              spec.kind === 'blobs'
                ? this.slider(
                    'clusterStd',
                    'Cluster spread (cluster_std)',
                    'Cluster spread',
                    LIMITS.clusterStd,
                    0.1,
                    spec.clusterStd.toFixed(1),
                  )
                : this.slider('noise', `Noise${NOISE_NOTES[spec.kind] ?? ''}`, 'Noise', LIMITS.noise, 0.01, spec.noise.toFixed(2))
            }
            ${spec.kind === 'circles' ? this.slider('factor', 'Factor (inner radius / outer)', 'Factor', LIMITS.factor, 0.01, spec.factor.toFixed(2)) : nothing}`
      }
      ${this.slider('validationRatio', 'Validation', 'Validation ratio', LIMITS.validationRatio, 0.05, `${Math.round(spec.validationRatio * 100)} %`)}
      <p class="hint">${(total - validation).toLocaleString('en-US')} training / ${validation.toLocaleString('en-US')} validation points (the last ${Math.round(spec.validationRatio * 100)} %, as Keras splits)</p>
      ${integerField({
        label: 'Data seed',
        name: 'Data seed',
        class: 'field',
        value: spec.seed,
        limits: LIMITS.seed,
        disabled: this.disabled,
        change: (seed) => this.commit({ seed }),
        after: html`<button ?disabled=${this.disabled} @click=${() => this.commit({ seed: (this.spec.seed + 1) % (LIMITS.seed[1] + 1) })} title="New random data (next seed)">
          Regenerate
        </button>`,
      })}
      <div class="file">
        <input id="csv" type="file" accept=".csv,text/csv,text/plain" ?disabled=${this.disabled} @change=${(e: Event) => void this.loadFile(e.target as HTMLInputElement)} />
        <label class="button" for="csv">Load CSV…</label>
        <span class="hint"
          >rows of <code>x1,x2,label</code> (classes 0…${LIMITS.csvClasses[1] - 1}) or <code>x1,x2,value</code> (regression: a header naming the column <code>value</code>, or
          non-integer values), ≤ ${LIMITS.csvRows[1].toLocaleString('en-US')} rows</span
        >
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-dataset-picker': SnDatasetPicker;
  }
  interface HTMLElementEventMap {
    'dataset-change': CustomEvent<{ spec: DatasetSpec }>;
    'csv-load': CustomEvent<CsvLoadDetail>;
    'csv-error': CustomEvent<{ message: string }>;
  }
}
