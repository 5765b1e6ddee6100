/**
 * The playground's page, drawn from a PlaygroundView: what sn-playground holds (settings, data,
 * models, messages) and the handlers it wires to the components' events. Templates only; every
 * decision about state is the element's.
 *
 * Layout (wide screens): controls and presets on top; then data | network and model | output
 * (decision map, curves), so that at 1280×800 the map, the curves and the play controls are on
 * one screen. The centre column's top is the place of the network view.
 */
import { FEATURES, type FeatureName } from '../data/features.js';
import { html, nothing, type TemplateResult } from 'lit';
import type { BackendName, GpuContext } from '../index.js';
import type { BuiltData } from './lib/data.js';
import { checkbox, segmented } from './lib/form-fields.js';
import type { MapMode } from './lib/map-render.js';
import type { NetworkFeed } from './lib/network-feed.js';
import { LOSS_TITLES, taskLoss, taskMetric, taskOutputActivation } from './lib/model-config.js';
import {
  LIMITS,
  PRESETS,
  countParams,
  formatEpochs,
  modelLabel,
  type CompareEntry,
  type DatasetSpec,
  type LayerSpec,
  type PlaygroundState,
  type Point,
  type Preset,
  type Task,
} from './lib/state.js';
import type { TrainingRun } from './lib/training-run.js';
import type { MapUpdateDetail } from './sn-decision-map.js';
import type { PointAddDetail, PointRemoveDetail } from './sn-dataset-view.js';
import type { GpuStatusState } from './sn-gpu-status.js';
import type { OptimizerChangeDetail } from './sn-optimizer-settings.js';
import type { SweepPickDetail } from './sn-sweep.js';
import { DEFAULT_SWEEP, type SweepSpec } from './lib/state.js';
import type { TrainAction, TrainingSettings } from './sn-training-controls.js';

/** Hidden units whose maps are read back with every decision map (×40,000 floats each). */
export const HIDDEN_MAP_BUDGET = 512;
export const MAP_RESOLUTION = 200;

export interface Message {
  readonly kind: 'error' | 'info';
  readonly text: string;
}

/** Everything the page shows, and what its controls call. */
export interface PlaygroundView {
  readonly settings: PlaygroundState;
  readonly data: BuiltData;
  readonly runs: readonly TrainingRun[];
  readonly running: boolean;
  readonly backend: BackendName | undefined;
  readonly gpuState: GpuStatusState;
  readonly ownStatus: boolean;
  /** Sweep mode (see sn-sweep). */
  readonly sweeping: boolean;
  readonly gpu: GpuContext | undefined;
  readonly message: Message | undefined;
  /** The network view's maps and weights, in step with the first model's decision map. */
  readonly network: NetworkFeed;
  readonly addLabel: number;
  readonly activePreset: string;
  readonly shared: { readonly copied: boolean; readonly url: string } | undefined;
  readonly csvName: string;
  /** Changes some settings (the models are rebuilt only if asked). */
  set(change: Partial<PlaygroundState>, rebuildRuns?: boolean): void;
  setAddLabel(label: number): void;
  dismissMessage(): void;
  showError(text: string): void;
  onGpuSlot(event: Event): void;
  onAction(action: TrainAction): void;
  onSettings(change: TrainingSettings): void;
  onPreset(preset: Preset): void;
  setCompare(on: boolean): void;
  setSweep(): void;
  onSweepPick(detail: SweepPickDetail): void;
  onSweepChange(spec: SweepSpec): void;
  setEntries(entries: readonly CompareEntry[]): void;
  copyLink(): void;
  onDataset(spec: DatasetSpec): void;
  onCsv(detail: { points: Point[]; name: string; task: Task; classes: number }): void;
  onPointAdd(detail: PointAddDetail): void;
  onPointRemove(detail: PointRemoveDetail): void;
  onLayers(layers: LayerSpec[]): void;
  onMapUpdate(detail: MapUpdateDetail): void;
  downloadCsv(): void;
  downloadModel(): void;
  loadModelFiles(input: HTMLInputElement): void;
  pickModelFiles(): void;
}

const outputs = (v: PlaygroundView): number => (v.data.task === 'multiclass' ? v.data.classes : 1);
const finite = (epochs: number): number => (Number.isFinite(epochs) ? epochs : 0);

export function renderPlayground(v: PlaygroundView): TemplateResult {
  const compare = Boolean(v.settings.compare);
  const wide = compare || v.sweeping;
  return html`<div class="top">
      <slot name="gpu" @slotchange=${v.onGpuSlot}></slot>
      ${v.ownStatus ? html`<sn-gpu-status compact cpu-fallback></sn-gpu-status>` : nothing} ${renderMessages(v)} ${renderControls(v)}
    </div>
    <div class="main ${wide ? 'compare' : ''}">
      ${renderData(v)} ${wide ? nothing : renderNetwork(v)} ${renderModel(v)} ${v.sweeping ? renderSweep(v) : compare ? renderCompare(v) : renderOutput(v)}
    </div>
    <section class="panel log" aria-label="Training log">
      <h2>Training log</h2>
      <sn-training-log></sn-training-log>
    </section>`;
}

function renderMessages(v: PlaygroundView): TemplateResult {
  // On the CPU backend the status element's one line says so (the playground sets its cpu-fallback).
  return html`${
    v.backend !== undefined || v.gpuState === 'loading' || v.message
      ? nothing
      : html`<p class="message info" role="status"><span>Training needs a WebGPU device (see above). You can still pick data, edit points and build a model.</span></p>`
  }
  ${
    v.message
      ? html`<div class="message ${v.message.kind}" role=${v.message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
        <p>${v.message.text}</p>
        <button class="icon" aria-label="Dismiss message" @click=${v.dismissMessage}>✕</button>
      </div>`
      : nothing
  }`;
}

function renderControls(v: PlaygroundView): TemplateResult {
  const s = v.settings;
  const ready = v.backend !== undefined;
  const compare = Boolean(s.compare);
  return html`<section class="panel controls" aria-label="Training">
    <sn-training-controls
      .running=${v.running}
      ?disabled=${!ready || !v.runs.length || v.sweeping}
      .epoch=${compare ? Math.max(0, ...v.runs.map((r) => r.epoch)) : (v.runs[0]?.epoch ?? 0)}
      .step=${compare ? 0 : (v.runs[0]?.step ?? 0)}
      .epochs=${compare ? Math.max(...(s.compare ?? []).map((e) => e.epochs)) : s.epochs}
      .batchSize=${s.batchSize}
      .learningRate=${s.learningRate}
      .scheduled=${s.schedule.kind !== 'constant'}
      .seed=${s.seed}
      .worker=${s.worker}
      worker-thread=${v.runs[0]?.thread ?? ''}
      worker-fallback=${v.runs[0]?.workerFallback ?? ''}
      @train-action=${(e: CustomEvent<{ action: TrainAction }>) => v.onAction(e.detail.action)}
      @settings-change=${(e: CustomEvent<TrainingSettings>) => v.onSettings(e.detail)}
    ></sn-training-controls>
    <div class="right-tools">
      <button @click=${v.copyLink} title="Copy a link that restores every setting">Copy link</button>
      ${v.shared?.copied ? html`<span class="copied" role="status" data-testid="link-copied">✓ Link copied</span>` : nothing}
      <details class="help">
        <summary>Keys and tips</summary>
        <p>
          Keys: <kbd>P</kbd> play/pause · <kbd>S</kbd> one step (batch) · <kbd>E</kbd> one epoch · <kbd>R</kbd> reset · <kbd>W</kbd> worker on/off. Epochs ∞
          trains until paused; pausing keeps the weights and the optimizer's state, so ▶ goes on from there.
          ${
            s.schedule.kind === 'constant'
              ? 'Learning rate, batch size and epochs change live; seed, data and layers start a new model.'
              : 'Batch size and epochs change live; the initial learning rate of the schedule, seed, data and layers start a new model.'
          }
          The presets are the Keras tutorial's four models (make_circles 5000, factor 0.3, noise 0.05 · 4000/1000 split · Adam · batch 32), each with the
          tutorial's epochs.
        </p>
      </details>
    </div>
    ${
      v.shared && !v.shared.copied
        ? html`<div class="share">
          <span class="small">The clipboard was refused: copy the link by hand.</span>
          <input type="text" readonly aria-label="Link to these settings" .value=${v.shared.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
        </div>`
        : nothing
    }
    <div class="presets">
      <span class="small" id="presets-title" title="make_circles 5000, factor 0.3, noise 0.05 · 4000/1000 split · Adam · batch 32">Keras tutorial:</span>
      <sn-presets
        aria-labelledby="presets-title"
        .active=${v.activePreset}
        ?disabled=${!ready}
        @preset-select=${(e: CustomEvent<{ preset: Preset }>) => v.onPreset(e.detail.preset)}
      ></sn-presets>
      ${segmented('Mode', [
        { label: 'One model', pressed: !compare && !v.sweeping, onClick: () => v.setCompare(false) },
        { label: 'Compare models', pressed: compare && !v.sweeping, onClick: () => v.setCompare(true) },
        { label: 'Sweep', pressed: v.sweeping, onClick: v.setSweep },
      ])}
    </div>
  </section>`;
}

function renderData(v: PlaygroundView): TemplateResult {
  const s = v.settings;
  return html`<section class="panel data" aria-label="Data">
    <h2>Data</h2>
    <sn-dataset-picker
      .spec=${s.dataset}
      csv-name=${v.csvName || 'loaded file'}
      csv-count=${s.custom?.length ?? 0}
      @dataset-change=${(e: CustomEvent<{ spec: DatasetSpec }>) => v.onDataset(e.detail.spec)}
      @csv-load=${(e: CustomEvent<{ points: Point[]; name: string; task: Task; classes: number }>) => v.onCsv(e.detail)}
      @csv-error=${(e: CustomEvent<{ message: string }>) => v.showError(`CSV not loaded: ${e.detail.message} The current data was kept.`)}
    ></sn-dataset-picker>
    <div class="edit">
      <h3>Your own points</h3>
      ${renderAddChoice(v)}
      <p class="small" data-testid="edits">${s.added.length} added · ${s.removed.length} removed</p>
      <div class="row">
        <button ?disabled=${!s.added.length && !s.removed.length} @click=${() => v.set({ added: [], removed: [] })}>Undo edits</button>
        <button @click=${v.downloadCsv}>Download CSV</button>
      </div>
    </div>
  </section>`;
}

/** What a click on the plot adds: a class (buttons) or, for regression, a value (slider). */
function renderAddChoice(v: PlaygroundView): TemplateResult {
  const { task, classes, valueRange } = v.data;
  if (task === 'regression') {
    // Round ends and step, so the slider's values are short numbers (they go into links).
    const step = 10 ** Math.floor(Math.log10((valueRange.max - valueRange.min) / 50));
    const lo = Math.floor(valueRange.min / step) * step;
    const hi = Math.ceil(valueRange.max / step) * step;
    return html`<label class="small add-value"
        >Click the plot to add a point of value
        <span class="row">
          <input
            type="range"
            min=${lo}
            max=${hi}
            step=${step}
            aria-label="Value of added points"
            .value=${String(v.addLabel)}
            @input=${(e: Event) => v.setAddLabel(Number(Number((e.target as HTMLInputElement).value).toPrecision(6)))}
          /><output>${v.addLabel.toFixed(2)}</output>
        </span></label
      >
      <details class="help"><summary>How to edit</summary><p>Clicking a point removes it. Edits apply from the next epoch, without a reset.</p></details>`;
  }
  return html`<div class="row">
      <span class="small">Click the plot to add</span>
      ${segmented(
        'Class of added points',
        Array.from({ length: classes }, (_, c) => ({
          label: classes > 2 ? String(c) : `class ${c}`,
          pressed: v.addLabel === c,
          onClick: () => v.setAddLabel(c),
        })),
      )}
    </div>
    <details class="help">
      <summary>How to edit</summary>
      <p>Shift-click adds ${classes > 2 ? 'the next class' : 'the other class'}; clicking a point removes it. Edits apply from the next epoch, without a reset.</p>
    </details>`;
}

/**
 * The centre of the page: the network, inputs → hidden layers → output, each unit drawn as its
 * output over the plane (from the decision map's one pass) and each weight as a line.
 */
function renderNetwork(v: PlaygroundView): TemplateResult {
  const s = v.settings;
  const run = v.runs[0];
  const hidden = s.layers.reduce((n, l) => n + l.units, 0);
  const task = v.data.task;
  const mode: MapMode =
    task === 'multiclass'
      ? { task, classes: v.data.classes, discretize: s.discretize }
      : task === 'regression'
        ? { task, min: v.data.valueRange.min, max: v.data.valueRange.max }
        : { task, discretize: s.discretize, threshold: s.threshold };
  const note = !v.backend
    ? 'Unit maps are computed by the model: they appear once a device is ready.'
    : hidden > HIDDEN_MAP_BUDGET
      ? `Unit maps are drawn for up to ${HIDDEN_MAP_BUDGET} hidden units (this model has ${hidden}).`
      : '';
  return html`<section class="panel network" aria-label="Network" data-place="network-view">
    <h2>Network</h2>
    <details class="help">
      <summary>How to read it</summary>
      <p>
        Each unit is drawn as its output over the plane, from the same ${v.backend === 'cpu' ? '' : 'GPU '}pass as the decision map; each weight is a
        line, blue negative and red positive, wider as |w| grows. Hover a unit or a line for its values; click a unit to pin it.
      </p>
    </details>
    ${note ? html`<p class="note">${note}</p>` : nothing}
    <sn-network-view
      .layers=${[...(run ? run.layers : s.layers), { units: outputs(v), activation: taskOutputActivation(task) }]}
      .features=${s.features.map((name) => FEATURES[name].label)}
      .inputMaps=${v.network.inputMaps(s.features)}
      .weights=${v.network.weights}
      .maps=${v.network.maps}
      .domain=${v.network.domain}
      .mode=${mode}
      resolution=${v.network.resolution}
      max-units="8"
    ></sn-network-view>
  </section>`;
}

function renderModel(v: PlaygroundView): TemplateResult {
  const s = v.settings;
  const compare = Boolean(s.compare);
  return html`<section class="panel model" aria-label="Model">
    <h2>Model</h2>
    ${
      v.sweeping
        ? html`<p class="hint">The sweep varies this model.</p>`
        : compare
          ? html`<p class="hint">Build a model here, then add it to the comparison.</p>`
          : nothing
    }
    <sn-model-builder
      .layers=${s.layers}
      task=${v.data.task}
      classes=${v.data.classes}
      .features=${s.features}
      .domain=${v.data.domain}
      @layers-change=${(e: CustomEvent<{ layers: LayerSpec[] }>) => v.onLayers(e.detail.layers)}
      @features-change=${(e: CustomEvent<{ features: FeatureName[] }>) => v.set({ features: e.detail.features }, true)}
    ></sn-model-builder>
    <div class="optimizer">
      <h3>Optimizer</h3>
      <sn-optimizer-settings
        .optimizer=${s.optimizer}
        .schedule=${s.schedule}
        steps-per-epoch=${Math.ceil(v.data.train.nSamples / s.batchSize)}
        @optimizer-change=${(e: CustomEvent<OptimizerChangeDetail>) => v.set(e.detail, true)}
      ></sn-optimizer-settings>
      <p class="hint">
        Loss: ${LOSS_TITLES[taskLoss(v.data.task)]}; metric: ${taskMetric(v.data.task) === 'mae' ? 'mean absolute error' : 'accuracy'} (from the data's task).
      </p>
    </div>
    ${
      compare
        ? html`<div class="row" style="margin-top:10px">
          <button class="primary" ?disabled=${(s.compare?.length ?? 0) >= LIMITS.compare} @click=${() => v.setEntries([...(s.compare ?? []), { layers: s.layers, epochs: s.epochs }])}>
            Add this model to the comparison
          </button>
        </div>`
        : v.sweeping
          ? nothing
          : renderModelFile(v)
    }
  </section>`;
}

function renderModelFile(v: PlaygroundView): TemplateResult {
  const ready = v.backend !== undefined && v.runs.length > 0;
  return html`<div class="model-file" role="group" aria-labelledby="model-file-title">
    <h3 id="model-file-title">Model file</h3>
    <p class="hint">TF.js layers-model format: a model.json and its weights (.bin). Load both files together.</p>
    <div class="row">
      <button ?disabled=${!ready} @click=${v.downloadModel} title="Save the model and its weights as two files">Download model</button>
      <input
        id="model-files"
        tabindex="-1"
        aria-hidden="true"
        type="file"
        multiple
        accept=".json,.bin,application/json,application/octet-stream"
        ?disabled=${!ready}
        @change=${(e: Event) => v.loadModelFiles(e.target as HTMLInputElement)}
      />
      <button ?disabled=${!ready} aria-label="Load model… (choose model.json and its weights .bin)" @click=${v.pickModelFiles}>Load model…</button>
    </div>
  </div>`;
}

/** Colour options of the map, and which points are drawn over it. */
function renderMapOptions(v: PlaygroundView): TemplateResult {
  const s = v.settings;
  const shown = html`${checkbox('Show training data', s.showTraining, (on) => v.set({ showTraining: on }))}
  ${checkbox('Show validation data', s.showValidation, (on) => v.set({ showValidation: on }))}`;
  if (v.data.task === 'regression') return html`<div class="map-options">${shown}</div>`;
  const discretize = (label: string): TemplateResult => checkbox(label, s.discretize, (on) => v.set({ discretize: on }));
  if (v.data.task === 'multiclass')
    return html`<div class="map-options">${discretize('Discretize (most likely class, without shading by confidence)')} ${shown}</div>`;
  return html`<div class="map-options">
    <span class="row"
      >${discretize('Discretize at')}
      <input
        type="range"
        min=${LIMITS.threshold[0]}
        max=${LIMITS.threshold[1]}
        step="0.01"
        aria-label="Threshold"
        .value=${String(s.threshold)}
        @input=${(e: Event) => v.set({ threshold: Number((e.target as HTMLInputElement).value) })}
      />
      <output>${s.threshold.toFixed(2)}</output></span
    >
    ${shown}
  </div>`;
}

/**
 * The data with run `index`'s decision map behind it, for the single view (which reports its
 * map updates, and asks for hidden-unit maps when `withLayers`) and each compare card.
 */
function renderDataMap(v: PlaygroundView, label: string, index: number, single: boolean, withLayers = false): TemplateResult {
  const s = v.settings;
  const { data } = v;
  return html`<sn-dataset-view
    label=${label}
    editable
    add-label=${v.addLabel}
    task=${data.task}
    classes=${data.classes}
    .valueRange=${data.valueRange}
    ?hide-training=${!s.showTraining}
    ?hide-validation=${!s.showValidation}
    .train=${data.train}
    .validation=${data.validation}
    .domain=${data.domain}
    @point-add=${(e: CustomEvent<PointAddDetail>) => v.onPointAdd(e.detail)}
    @point-remove=${(e: CustomEvent<PointRemoveDetail>) => v.onPointRemove(e.detail)}
  >
    <sn-decision-map
      slot="background"
      data-run=${index}
      resolution=${MAP_RESOLUTION}
      ?live=${v.running}
      ?with-layers=${withLayers}
      ?discretize=${s.discretize}
      threshold=${s.threshold}
      task=${data.task}
      classes=${data.classes}
      .valueRange=${data.valueRange}
      .model=${v.runs[index]}
      @map-update=${(e: CustomEvent<MapUpdateDetail>) => single && v.onMapUpdate(e.detail)}
    ></sn-decision-map>
  </sn-dataset-view>`;
}

function renderChart(v: PlaygroundView, run: TrainingRun | undefined, epochs: number, compact: boolean, stacked = false): TemplateResult {
  return html`<sn-metrics-chart
    ?compact=${compact}
    ?stacked=${stacked}
    metric=${taskMetric(v.data.task)}
    loss-name=${LOSS_TITLES[taskLoss(v.data.task)]}
    .history=${run ? { ...run.history } : {}}
    .epochs=${finite(epochs)}
    .speed=${run?.epoch ? { samplesPerSecond: run.samplesPerSecond, msPerEpoch: run.lastEpochMs, compileMs: run.compileMs } : undefined}
  ></sn-metrics-chart>`;
}

function renderOutput(v: PlaygroundView): TemplateResult {
  const hidden = v.settings.layers.reduce((n, l) => n + l.units, 0);
  return html`<section class="panel output" aria-label="Output">
    <h2>Output: curves, decision map and data</h2>
    ${renderChart(v, v.runs[0], v.settings.epochs, true)}
    ${renderDataMap(v, 'Data and decision map', 0, true, hidden > 0 && hidden <= HIDDEN_MAP_BUDGET)} ${renderMapOptions(v)}
  </section>`;
}

function renderCompare(v: PlaygroundView): TemplateResult {
  const entries = v.settings.compare ?? [];
  const describeEntry = (e: CompareEntry): string => `${countParams(e.layers, 2, outputs(v)).toLocaleString('en-US')} params`;
  return html`<section class="panel compare-panel" aria-label="Compare models">
    <h2>Compare models on the same data</h2>
    <ul class="entries" aria-label="Compared models">
      ${entries.map(
        (e, i) => html`<li>
          <span>${modelLabel(e.layers)} · ${describeEntry(e)} · ${formatEpochs(e.epochs)} epoch${e.epochs === 1 ? '' : 's'}</span>
          <button class="icon" aria-label="Remove ${modelLabel(e.layers)} from the comparison" ?disabled=${entries.length <= 2} @click=${() => v.setEntries(entries.filter((_, j) => j !== i))}>
            ✕
          </button>
        </li>`,
      )}
      ${
        entries.length < LIMITS.compare
          ? html`<li>
            <select
              aria-label="Add a preset to the comparison"
              @change=${(e: Event) => {
                const select = e.target as HTMLSelectElement;
                const preset = PRESETS.find((p) => p.id === select.value);
                select.value = '';
                if (preset) v.setEntries([...entries, { layers: preset.layers, epochs: preset.epochs }]);
              }}
            >
              <option value="" selected>+ add a preset…</option>
              ${PRESETS.map((p) => html`<option value=${p.id}>${p.label}</option>`)}
            </select>
          </li>`
          : nothing
      }
    </ul>
    ${renderMapOptions(v)}
    <div class="cards">
      ${entries.map((entry, i) => {
        const run = v.runs[i];
        return html`<article class="card" aria-label=${modelLabel(entry.layers)} data-card=${i}>
          <h3>${modelLabel(entry.layers)}</h3>
          <p class="meta">
            ${describeEntry(entry)} · epoch ${run?.epoch ?? 0}/${formatEpochs(entry.epochs)}${run?.epoch ? ` · ${Math.round(run.lastEpochMs)} ms/epoch${run.compileMs >= 1 ? ` (+${Math.round(run.compileMs)} ms compiling)` : ''}` : ''}${run?.backend === 'cpu' ? ' · CPU' : ''}
          </p>
          ${renderDataMap(v, `${modelLabel(entry.layers)}: data and decision map`, i, false)} ${renderChart(v, run, entry.epochs, true, true)}
        </article>`;
      })}
    </div>
  </section>`;
}

/** Sweep mode: variants of the model trained side by side (sn-sweep), one of which can become the model. */
function renderSweep(v: PlaygroundView): TemplateResult {
  return html`<section class="panel compare-panel" aria-label="Sweep">
    <h2>Sweep: variants of the model on the same data</h2>
    <sn-sweep
      .data=${v.data}
      .settings=${v.settings}
      .gpu=${v.gpu}
      .backend=${v.backend}
      .spec=${v.settings.sweep ?? DEFAULT_SWEEP}
      @sweep-pick=${(e: CustomEvent<SweepPickDetail>) => v.onSweepPick(e.detail)}
      @sweep-change=${(e: CustomEvent<SweepSpec>) => v.onSweepChange(e.detail)}
    ></sn-sweep>
  </section>`;
}
