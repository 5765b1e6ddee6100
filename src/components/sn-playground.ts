import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Dense, DeviceLostError, loadModel, type BackendName, type GpuContext } from '../index.js';
import { toCsv } from './lib/csv.js';
import { buildData, type BuiltData } from './lib/data.js';
import { LOSS_TITLES, describeOptimizer, modelConfig, taskLoss, taskMetric, type ModelConfig } from './lib/model-config.js';
import {
  DEFAULT_COMPARE,
  DEFAULT_OPTIMIZER,
  DEFAULT_SCHEDULE,
  DEFAULT_STATE,
  HIDDEN_ACTIVATIONS,
  LIMITS,
  PRESETS,
  countParams,
  decodeState,
  encodeState,
  linkCarriesData,
  modelLabel,
  presetState,
  sameLayers,
  validLabel,
  type CompareEntry,
  type DatasetSpec,
  type LayerSpec,
  type PlaygroundState,
  type Point,
  type Preset,
  type Task,
} from './lib/state.js';
import { TrainingRun, type EpochEndDetail } from './lib/training-run.js';
import { baseStyles } from './shared-styles.js';
import type { SnDecisionMap, MapUpdateDetail } from './sn-decision-map.js';
import type { GpuStateDetail, GpuStatusState } from './sn-gpu-status.js';
import type { PointAddDetail, PointRemoveDetail } from './sn-dataset-view.js';
import type { SnTrainingLog } from './sn-training-log.js';
import type { OptimizerChangeDetail } from './sn-optimizer-settings.js';
import type { TrainAction, TrainingSettings } from './sn-training-controls.js';
import './sn-dataset-picker.js';
import './sn-dataset-view.js';
import './sn-decision-map.js';
import './sn-gpu-status.js';
import './sn-metrics-chart.js';
import './sn-model-builder.js';
import './sn-optimizer-settings.js';
import './sn-presets.js';
import './sn-training-controls.js';
import './sn-training-log.js';
import './sn-unit-maps.js';

/** Hidden units whose maps are read back with every decision map (×40,000 floats each). */
const HIDDEN_MAP_BUDGET = 512;
const MAP_RESOLUTION = 200;

interface Message {
  readonly kind: 'error' | 'info';
  readonly text: string;
}

/** Detail of the playground's `epoch-end`: the run's, plus which model it was. */
export interface PlaygroundEpochDetail extends EpochEndDetail {
  readonly model: number;
  readonly label: string;
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * The builder's hidden layers of a loaded model, if the playground can show it: Dense layers
 * with biases, up to LIMITS.hiddenLayers hidden ones of LIMITS.units units with a builder
 * activation, then the output layer of the data's task (Dense(1, sigmoid), Dense(k, softmax) or
 * Dense(1, linear)). Throws a message saying what does not fit.
 */
function playgroundLayers(
  layers: readonly { readonly units: number; readonly activation: string; readonly useBias: boolean; readonly inputDim?: number | undefined }[],
  expected: { readonly units: number; readonly activation: string },
): LayerSpec[] {
  const fail = (why: string): never => {
    throw new Error(`the model is valid, but the playground cannot show it: ${why}`);
  };
  const output = layers[layers.length - 1];
  if (!output || output.units !== expected.units || output.activation !== expected.activation) {
    fail(`its last layer must be Dense(${expected.units}, ${expected.activation}), the output layer of this data's task.`);
  }
  if (layers[0]!.inputDim !== undefined && layers[0]!.inputDim !== 2) fail(`it takes ${layers[0]!.inputDim} input features, not 2 (x₁, x₂).`);
  if (layers.some((l) => !l.useBias)) fail('every layer must have a bias.');
  const hidden = layers.slice(0, -1);
  if (hidden.length > LIMITS.hiddenLayers) fail(`it has ${hidden.length} hidden layers (at most ${LIMITS.hiddenLayers}).`);
  return hidden.map((l, i) => {
    if (l.units < LIMITS.units[0] || l.units > LIMITS.units[1]) fail(`hidden layer ${i + 1} has ${l.units} units (${LIMITS.units[0]}–${LIMITS.units[1]}).`);
    if (!(HIDDEN_ACTIVATIONS as readonly string[]).includes(l.activation)) fail(`hidden layer ${i + 1}'s activation '${l.activation}' is not one of the builder's.`);
    return { units: l.units, activation: l.activation as LayerSpec['activation'] };
  });
}

/**
 * The whole demo: data, model, training controls, decision map with hidden-unit maps, metrics,
 * Keras-style log, the tutorial's presets, compare mode, all in the URL. Built from the other
 * sn- components, which it wires through their properties and events.
 *
 * The GPU comes from an `<sn-gpu-status>`: put one in the `gpu` slot (its context is shared),
 * or the playground makes its own. Without WebGPU (the status says `unavailable`) the status
 * panel explains why, and the models train on the library's float64 CPU engine instead
 * (`backend: 'cpu'`), with a notice saying so; every feature works, only slower. When a device
 * is lost, training stops until "Try again" gets a new one.
 *
 * The host's `data-backend` attribute says where the models run: `webgpu`, `cpu`, or `none`.
 *
 * @slot gpu - an `<sn-gpu-status>` (default: one of its own, compact).
 * @fires epoch-end - `CustomEvent<PlaygroundEpochDetail>` after every trained epoch.
 */
@customElement('sn-playground')
export class SnPlayground extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        max-width: 1480px;
        margin: 0 auto;
      }
      .panel {
        background: var(--sn-panel);
        border: 1px solid var(--sn-line);
        border-radius: 10px;
        padding: 14px 16px;
        min-width: 0;
      }
      .stack {
        display: grid;
        gap: 12px;
      }
      .top {
        display: grid;
        gap: 12px;
        margin-bottom: 12px;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 12px 20px;
      }
      .controls sn-training-controls {
        flex: 1 1 560px;
      }
      .right-tools {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .segmented {
        display: inline-flex;
        border: 1px solid var(--sn-line);
        border-radius: 7px;
        overflow: hidden;
      }
      .segmented button {
        border: 0;
        border-radius: 0;
        background: #fff;
      }
      .segmented button + button {
        border-left: 1px solid var(--sn-line);
      }
      .segmented button[aria-pressed='true'] {
        background: var(--sn-accent-soft);
        color: var(--sn-accent);
        font-weight: 650;
      }
      .keys {
        font-size: 12px;
        color: var(--sn-muted);
        margin: 8px 0 0;
        width: 100%;
      }
      kbd {
        font: 11px var(--sn-mono);
        border: 1px solid var(--sn-line);
        border-bottom-width: 2px;
        border-radius: 4px;
        padding: 0 4px;
        background: #fff;
      }
      .message {
        display: flex;
        align-items: flex-start;
        gap: 12px;
        justify-content: space-between;
        border-radius: 8px;
        padding: 8px 12px;
        border: 1px solid;
        overflow-wrap: anywhere;
      }
      .message.error {
        background: #fff5f5;
        border-color: #ffb3b8;
        color: #8a0c1f;
      }
      .message.cpu {
        background: #f6f8ff;
        border-color: #8f9fe8;
        color: #1d2a6b;
      }
      .optimizer {
        margin-top: 14px;
        padding-top: 12px;
        border-top: 1px solid var(--sn-line);
      }
      .add-value {
        display: grid;
        gap: 2px;
      }
      .add-value input {
        flex: 1;
      }
      .message.info {
        background: #f3f6ff;
        border-color: #c5cff5;
        color: #24307a;
      }
      .message p {
        margin: 0;
      }
      .main {
        display: grid;
        gap: 12px;
        grid-template-columns: 260px minmax(0, 0.9fr) minmax(380px, 1.1fr);
        grid-template-areas: 'data model output';
        align-items: start;
      }
      .main.compare {
        grid-template-columns: 260px minmax(0, 1fr) minmax(0, 1fr);
        grid-template-areas: 'data compare compare' 'model compare compare';
      }
      .data {
        grid-area: data;
      }
      .model {
        grid-area: model;
      }
      .output {
        grid-area: output;
      }
      .compare-panel {
        grid-area: compare;
      }
      @media (max-width: 1100px) {
        .main {
          grid-template-columns: minmax(250px, 0.75fr) minmax(0, 1fr);
          grid-template-areas: 'data output' 'model output';
        }
        .main.compare {
          grid-template-columns: minmax(250px, 0.75fr) minmax(0, 1fr);
          grid-template-areas: 'data compare' 'model compare';
        }
      }
      @media (max-width: 760px) {
        .main,
        .main.compare {
          grid-template-columns: minmax(0, 1fr);
          grid-template-areas: 'output' 'compare' 'data' 'model';
        }
        .panel {
          padding: 12px;
        }
      }
      .edit {
        display: grid;
        gap: 8px;
        margin-top: 16px;
        padding-top: 12px;
        border-top: 1px solid var(--sn-line);
      }
      .edit .segmented button {
        min-height: 30px;
        font-size: 13px;
      }
      .check {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .small {
        font-size: 12px;
        color: var(--sn-muted);
        margin: 0;
      }
      .map-options {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 14px;
        margin: 10px 0 14px;
        font-size: 13px;
      }
      .map-options input[type='range'] {
        width: 110px;
      }
      .map-options output {
        font-variant-numeric: tabular-nums;
        min-width: 2.6em;
      }
      .model h2 + .hint {
        margin-top: -4px;
      }
      .units {
        margin-top: 18px;
        padding-top: 12px;
        border-top: 1px solid var(--sn-line);
      }
      .hint {
        font-size: 12px;
        color: var(--sn-muted);
        margin: 0 0 8px;
      }
      .entries {
        list-style: none;
        margin: 0 0 10px;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .entries li {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        border: 1px solid var(--sn-line);
        border-radius: 999px;
        padding: 2px 4px 2px 12px;
        background: var(--sn-soft);
        font-size: 13px;
      }
      .entries button {
        min-height: 26px;
        border-radius: 999px;
      }
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(270px, 1fr));
        gap: 12px;
      }
      .card {
        border: 1px solid var(--sn-line);
        border-radius: 8px;
        padding: 10px 12px;
        min-width: 0;
      }
      .card h3 {
        text-transform: none;
        letter-spacing: 0;
        color: var(--sn-text);
        font-size: 14px;
        margin: 0;
      }
      .card .meta {
        font-size: 12px;
        color: var(--sn-muted);
        margin: 0 0 8px;
      }
      .card sn-metrics-chart {
        margin-top: 10px;
      }
      .log {
        margin-top: 12px;
      }
      .model-file {
        margin-top: 14px;
        padding-top: 12px;
        border-top: 1px solid var(--sn-line);
      }
      .model-file input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
        overflow: hidden;
      }
      .share {
        display: flex;
        gap: 6px;
        align-items: center;
        width: 100%;
      }
      .share input {
        flex: 1;
        min-width: 0;
        font: 12px var(--sn-mono);
      }
    `,
  ];

  /**
   * The worker script of "Train in a Web Worker" (the package's `shadernet/worker` entry),
   * relative to the page. Unset: WorkerModel's default, the script next to the library, which
   * Vite and webpack bundle by themselves (see README for esbuild).
   */
  @property({ attribute: 'worker-url' }) workerUrl: string | undefined;

  /** Leave the page's URL alone (no reading or writing of location.hash). */
  @property({ type: Boolean, attribute: 'no-url' }) noUrl = false;

  @state() private settings: PlaygroundState = DEFAULT_STATE;
  @state() private data: BuiltData = buildData(DEFAULT_STATE);
  @state() private gpuState: GpuStatusState = 'loading';
  @state() private runList: readonly TrainingRun[] = [];
  @state() private running = false;
  @state() private message: Message | undefined;
  @state() private hiddenActivations: readonly Float32Array[] = [];
  /** The class (or regression value) a click on the plot adds. */
  @state() private addLabel = 1;
  @state() private activePreset = 'mlp128';
  @state() private shareUrl = '';
  /** Bumped after each epoch/step, as runs mutate their history in place. */
  @state() private tick = 0;
  /** Queued or running training work (reflected as data-busy). */
  @state() private pendingWork = 0;
  /** No `<sn-gpu-status>` was slotted: the playground shows (and owns) one. */
  @state() private ownStatus = true;

  private gpu: GpuContext | undefined;
  /** What the current models were built for: a GPU context, 'cpu', or nothing (no models). */
  private engineKey: GpuContext | 'cpu' | undefined;
  private generation = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor() {
    super();
    this.addEventListener('sn-gpu-state', (event) => this.onGpuState(event.detail));
  }

  /** The models being trained (one, or one per compared model). */
  get runs(): readonly TrainingRun[] {
    return this.runList;
  }

  /**
   * Where the models train: `webgpu` on a ready device, `cpu` (the float64 reference engine)
   * when WebGPU is unavailable, undefined while starting, after an error or a lost device.
   */
  get backend(): BackendName | undefined {
    if (this.gpuState === 'ready' && this.gpu) return 'webgpu';
    if (this.gpuState === 'unavailable') return 'cpu';
    return undefined;
  }

  /** Every setting, as the URL holds it. */
  get currentSettings(): PlaygroundState {
    return this.settings;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ownStatus = !this.querySelector(':scope > [slot="gpu"]');
    window.addEventListener('keydown', this.onKey);
    if (!this.noUrl) {
      window.addEventListener('hashchange', this.onHashChange);
      if (location.hash.length > 1) this.applyHash(location.hash, true);
      else this.writeUrl(true);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
    window.removeEventListener('hashchange', this.onHashChange);
    clearTimeout(this.urlTimer);
    this.running = false;
    this.generation++;
    const runs = this.runList;
    this.runList = [];
    for (const run of runs) void run.dispose();
  }

  protected override firstUpdated(): void {
    // The status element may have become ready before this element listened.
    const status = this.querySelector('sn-gpu-status') ?? this.renderRoot.querySelector('sn-gpu-status');
    if (status) status.cpuFallback = true;
    if (status && status.state !== this.gpuState) this.onGpuState({ state: status.state, context: status.context });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('running' as keyof SnPlayground) || changed.has('tick' as keyof SnPlayground) || changed.has('runList' as keyof SnPlayground)) {
      const run = this.runList[0];
      this.setAttribute('data-running', String(this.running));
      this.setAttribute('data-epoch', String(run?.epoch ?? 0));
      this.setAttribute('data-models', String(this.runList.length));
    }
    this.setAttribute('data-busy', String(this.pendingWork > 0));
    this.setAttribute('data-gpu', this.gpuState);
    this.setAttribute('data-backend', this.backend ?? 'none');
  }

  // ------------------------------------------------------------------------------------------
  // GPU

  private readonly onGpuSlot = (event: Event): void => {
    const assigned = (event.target as HTMLSlotElement).assignedElements();
    this.ownStatus = assigned.length === 0;
    // This playground trains on the CPU without WebGPU: the status element says so.
    for (const element of assigned) if (element.localName === 'sn-gpu-status') (element as HTMLElementTagNameMap['sn-gpu-status']).cpuFallback = true;
  };

  /** New models whenever where they run changes: a new device, WebGPU → CPU, or none at all. */
  private onGpuState(detail: GpuStateDetail): void {
    this.gpuState = detail.state;
    this.gpu = detail.state === 'ready' ? detail.context : undefined;
    const key = this.gpu ?? (detail.state === 'unavailable' ? 'cpu' : undefined);
    if (key !== this.engineKey) {
      this.engineKey = key;
      this.rebuild();
    }
  }

  // ------------------------------------------------------------------------------------------
  // State changes

  /** Serialises training work: one action at a time, errors shown in the page. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.pendingWork++;
    const next = this.chain
      .then(work)
      .catch((error: unknown) => this.showError(error))
      .finally(() => this.pendingWork--);
    this.chain = next;
    return next;
  }

  private showError(error: unknown): void {
    this.running = false;
    if (error instanceof DeviceLostError || this.gpu?.isLost) {
      this.message = { kind: 'error', text: 'The GPU device was lost; training stopped. The GPU panel above says why; "Try again" there gets a new device.' };
    } else {
      this.message = { kind: 'error', text: `Training failed: ${describe(error)}` };
    }
  }

  private info(text: string): void {
    this.message = { kind: 'info', text };
  }

  /**
   * Puts the settings in the address bar (replacing the entry: no history spam), at most every
   * 150 ms, as browsers throttle replaceState when a slider is dragged.
   */
  private writeUrl(immediate = false): void {
    if (this.noUrl) return;
    clearTimeout(this.urlTimer);
    const write = (): void => {
      this.urlTimer = undefined;
      const hash = `#${encodeState(this.settings)}`;
      if (location.hash !== hash) history.replaceState(history.state, '', hash);
      if (this.shareUrl) this.shareUrl = location.href;
    };
    if (immediate) write();
    else this.urlTimer = window.setTimeout(write, 150);
  }

  private urlTimer: number | undefined;

  private readonly onHashChange = (): void => {
    if (location.hash === `#${encodeState(this.settings)}`) return;
    this.applyHash(location.hash, false);
  };

  /** Applies a hash if it is valid as a whole; otherwise says why and keeps everything. */
  private applyHash(hash: string, initial: boolean): void {
    const result = decodeState(hash);
    if (!result.ok) {
      const shown = result.errors.slice(0, 3).join('; ') + (result.errors.length > 3 ? `; and ${result.errors.length - 3} more` : '');
      this.message = {
        kind: 'error',
        text: `The link's settings could not be used (${shown}). ${initial ? 'The default settings are shown instead.' : 'The current settings were kept.'}`,
      };
      this.writeUrl(true);
      return;
    }
    this.setSettings(result.state, { rebuildRuns: true });
    if (!initial) this.info('Settings loaded from the link.');
  }

  /** Replaces the settings; rebuilds the data, and the models if asked. */
  private setSettings(next: PlaygroundState, options: { rebuildRuns: boolean }): void {
    let data: BuiltData;
    try {
      data = buildData(next);
    } catch (error) {
      this.message = { kind: 'error', text: `These settings cannot make a dataset (${describe(error)}); nothing was changed.` };
      return;
    }
    this.settings = next;
    this.data = data;
    this.activePreset = PRESETS.find((p) => this.matchesPreset(p))?.id ?? '';
    this.writeUrl();
    if (options.rebuildRuns) this.rebuild();
    else for (const run of this.runList) run.setData({ train: data.train, validation: data.validation });
  }

  private matchesPreset(preset: Preset): boolean {
    const s = this.settings;
    const t = presetState(preset, s);
    return (
      !s.compare && sameLayers(s.layers, preset.layers) && s.epochs === preset.epochs && s.batchSize === 32 && s.learningRate === 0.001 &&
      s.seed === 0 && JSON.stringify(s.dataset) === JSON.stringify(t.dataset) && !s.added.length && !s.removed.length &&
      JSON.stringify([s.optimizer, s.schedule]) === JSON.stringify([DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE])
    );
  }

  /**
   * New models from the settings (weights from the seed, or `weights` for the single model, at
   * epoch 0). Pauses training.
   */
  private rebuild(weights?: readonly Float32Array[]): void {
    this.running = false;
    const generation = ++this.generation;
    const old = this.runList;
    this.runList = [];
    this.hiddenActivations = [];
    this.tick++;
    const s = this.settings;
    const entries: readonly CompareEntry[] = s.compare ?? [{ layers: s.layers, epochs: s.epochs }];
    const configs = entries.map((entry) => this.configFor(entry.layers));
    void this.enqueue(async () => {
      await Promise.all(old.map((run) => run.dispose()));
      if (generation !== this.generation) return;
      const backend = this.backend;
      const gpu = this.gpu;
      if (backend === undefined || (backend === 'webgpu' && (!gpu || gpu.isLost || gpu.isDisposed))) return;
      this.runList = entries.map(
        (entry, i) =>
          new TrainingRun({
            // Explicit, never the library's automatic fallback: the page knows, and says, where it trains.
            ...(backend === 'cpu' ? { backend: 'cpu' as const } : { backend: 'webgpu' as const, gpu: gpu! }),
            layers: entry.layers,
            config: configs[i]!,
            epochs: entry.epochs,
            seed: s.seed,
            batchSize: s.batchSize,
            data: { train: this.data.train, validation: this.data.validation },
            label: s.compare ? modelLabel(entry.layers) : '',
            ...(weights && !s.compare ? { weights } : {}),
            ...(s.worker ? { worker: { url: this.workerUrl === undefined ? undefined : new URL(this.workerUrl, document.baseURI) } } : {}),
          }),
      );
      const runs = this.runList;
      await Promise.all(runs.map((run) => run.ready));
      if (generation !== this.generation) return;
      this.setAttribute('data-thread', runs[0]?.thread ?? 'none');
      if (s.worker && runs[0]?.workerFallback) this.log(`Web Worker training is unavailable here (${runs[0].workerFallback}); training on the page's thread.`);
      this.tick++;
      this.log(
        `— ${this.runList.map((r) => `${modelLabel(r.layers)} (${r.countParams().toLocaleString('en-US')} params)`).join(' vs ')}: ` +
          `${this.data.train.nSamples} training / ${this.data.validation.nSamples} validation points, batch ${s.batchSize}, ${describeOptimizer(configs[0]!.compile.optimizer)}, seed ${s.seed}` +
          (backend === 'cpu' ? ', on the CPU (float64 reference engine: WebGPU is unavailable)' : ''),
      );
    });
  }

  /** The model config of hidden `layers` under the current settings (see model-config.ts). */
  private configFor(layers: readonly LayerSpec[]): ModelConfig {
    const s = this.settings;
    return modelConfig({
      task: this.data.task,
      classes: this.data.classes,
      layers,
      learningRate: s.learningRate,
      optimizer: s.optimizer,
      schedule: s.schedule,
      seed: s.seed,
    });
  }

  private log(...lines: string[]): void {
    this.renderRoot.querySelector<SnTrainingLog>('sn-training-log')?.appendLines(...lines);
  }

  // ------------------------------------------------------------------------------------------
  // Training

  private onAction(action: TrainAction): void {
    switch (action) {
      case 'play':
        this.play();
        break;
      case 'pause':
        this.running = false;
        break;
      case 'step':
      case 'epoch':
        this.running = false;
        void this.enqueue(() => this.trainAll(action));
        break;
      case 'reset':
        this.message = undefined;
        this.rebuild();
        break;
    }
  }

  /** Trains every unfinished model, an epoch each in turn, until all are done or paused. */
  private play(): void {
    if (this.running) return;
    // Queued behind any rebuild in flight: the runs it creates are the ones trained.
    this.running = true;
    const generation = this.generation;
    void this.enqueue(async () => {
      try {
        while (this.running && generation === this.generation) {
          const pending = this.runList.filter((r) => !r.done);
          if (!pending.length) break;
          for (const run of pending) {
            if (!this.running || generation !== this.generation) break;
            await this.trainOnce(run, 'epoch');
          }
        }
      } finally {
        if (generation === this.generation) this.running = false;
      }
    });
  }

  private async trainAll(kind: 'step' | 'epoch'): Promise<void> {
    const generation = this.generation;
    for (const run of this.runList) {
      if (generation !== this.generation) return;
      await this.trainOnce(run, kind);
    }
  }

  private async trainOnce(run: TrainingRun, kind: 'step' | 'epoch'): Promise<void> {
    if (run.isDisposed) return;
    const index = this.runList.indexOf(run);
    if (kind === 'epoch') {
      const detail = await run.trainEpoch();
      if (run.isDisposed) return;
      this.log(...detail.lines);
      this.dispatchEvent(new CustomEvent<PlaygroundEpochDetail>('epoch-end', { detail: { ...detail, model: index, label: modelLabel(run.layers) }, bubbles: true, composed: true }));
    } else {
      const detail = await run.trainStep();
      if (run.isDisposed) return;
      this.log(...detail.lines);
    }
    this.tick++;
    // Never awaited: the next epoch is queued on the GPU right behind this map's pass.
    void this.renderRoot.querySelector<SnDecisionMap>(`sn-decision-map[data-run="${index}"]`)?.refresh();
  }

  private onSettings(change: TrainingSettings): void {
    const s = this.settings;
    if (change.learningRate !== undefined && change.learningRate !== s.learningRate && s.schedule.kind !== 'constant') {
      // A schedule starts from the learning rate: a new schedule, so a new model (the control says so).
      this.log(`Initial learning rate of the schedule ${s.learningRate} → ${change.learningRate} (new model from the seed)`);
      this.setSettings({ ...s, learningRate: change.learningRate }, { rebuildRuns: true });
    } else if (change.learningRate !== undefined && change.learningRate !== s.learningRate) {
      const lr = change.learningRate;
      for (const run of this.runList) run.learningRate = lr;
      const at = this.runList[0]?.epoch ?? 0;
      this.log(`Learning rate ${s.learningRate} → ${lr} (from epoch ${at + 1} on; weights and the optimizer's state kept)`);
      this.setSettings({ ...s, learningRate: lr }, { rebuildRuns: false });
    }
    if (change.batchSize !== undefined && change.batchSize !== s.batchSize) {
      for (const run of this.runList) run.batchSize = change.batchSize;
      this.log(`Batch size ${s.batchSize} → ${change.batchSize} (from the next epoch on)`);
      this.setSettings({ ...this.settings, batchSize: change.batchSize }, { rebuildRuns: false });
    }
    if (change.epochs !== undefined && change.epochs !== s.epochs) {
      const epochs = change.epochs;
      for (const run of this.runList) run.epochs = epochs;
      const compare = this.settings.compare?.map((e) => ({ ...e, epochs }));
      this.setSettings({ ...this.settings, epochs, compare }, { rebuildRuns: false });
      this.tick++;
    }
    if (change.worker !== undefined && change.worker !== s.worker) {
      this.log(`Training ${change.worker ? 'in a Web Worker' : "on the page's thread"} (new models from the seed)`);
      this.setSettings({ ...this.settings, worker: change.worker }, { rebuildRuns: true });
    }
    if (change.seed !== undefined && change.seed !== s.seed) {
      this.setSettings({ ...this.settings, seed: change.seed }, { rebuildRuns: true });
    }
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.composedPath()[0];
    if (target instanceof HTMLElement && (target.closest('input, select, textarea, [contenteditable]') || target.isContentEditable)) return;
    if (!this.backend || !this.runList.length) return;
    const key = event.key.toLowerCase();
    const action: TrainAction | undefined =
      key === 'p' ? (this.running ? 'pause' : 'play') : key === 's' ? 'step' : key === 'e' ? 'epoch' : key === 'r' ? 'reset' : undefined;
    if (key === 'w' && !this.running) {
      event.preventDefault();
      this.onSettings({ worker: !this.settings.worker });
      return;
    }
    if (!action) return;
    event.preventDefault();
    this.onAction(action);
  };

  // ------------------------------------------------------------------------------------------
  // Data

  private onDataset(spec: DatasetSpec): void {
    const s = this.settings;
    const custom = spec.kind === 'csv' ? s.custom : undefined;
    if (spec.kind === 'csv' && !custom) return;
    const sameBase = JSON.stringify({ ...spec, validationRatio: 0 }) === JSON.stringify({ ...s.dataset, validationRatio: 0 });
    this.setSettings(
      { ...s, dataset: spec, custom, added: sameBase ? s.added : [], removed: sameBase && spec.validationRatio === s.dataset.validationRatio ? s.removed : [] },
      { rebuildRuns: true },
    );
    this.fitAddLabel();
  }

  /** Keeps the class (or value) clicks add valid for the data's task. */
  private fitAddLabel(): void {
    const { task, classes, valueRange } = this.data;
    if (validLabel(this.addLabel, task, classes) && (task !== 'regression' || (this.addLabel >= valueRange.min && this.addLabel <= valueRange.max))) return;
    this.addLabel = task === 'regression' ? Number(((valueRange.min + valueRange.max) / 2).toPrecision(3)) : task === 'binary' ? 1 : 0;
  }

  private onCsv(points: Point[], name: string, task: Task, classes: number): void {
    const s = this.settings;
    this.csvName = name;
    const dataset = { ...s.dataset, kind: 'csv' as const, csvTask: task, classes: task === 'multiclass' ? classes : s.dataset.classes };
    this.setSettings({ ...s, dataset, custom: points, added: [], removed: [] }, { rebuildRuns: true });
    this.fitAddLabel();
    this.info(
      `Loaded ${points.length.toLocaleString('en-US')} points from ${name.slice(0, 60)}.` +
        (linkCarriesData(this.settings) ? '' : ` A link carries at most ${LIMITS.urlPoints} points, so shared links will not include this data.`),
    );
  }

  private csvName = '';

  private onPointAdd(detail: PointAddDetail): void {
    const s = this.settings;
    if (s.added.length >= LIMITS.urlPoints) {
      this.info(`At most ${LIMITS.urlPoints} points can be added.`);
      return;
    }
    this.setSettings({ ...s, added: [...s.added, { x: detail.x, y: detail.y, label: detail.label }] }, { rebuildRuns: false });
    this.tick++;
  }

  private onPointRemove(detail: PointRemoveDetail): void {
    const s = this.settings;
    const origin = (detail.set === 'train' ? this.data.trainOrigin : this.data.validationOrigin)[detail.index];
    if (origin === undefined) return;
    const size = detail.set === 'train' ? this.data.train.nSamples : this.data.validation.nSamples;
    if (size <= 1) {
      this.info(`The ${detail.set === 'train' ? 'training' : 'validation'} set needs at least one point.`);
      return;
    }
    if (origin < 0) {
      const k = -origin - 1;
      this.setSettings({ ...s, added: s.added.filter((_, i) => i !== k) }, { rebuildRuns: false });
    } else {
      if (s.removed.length >= LIMITS.urlRemoved) {
        this.info(`At most ${LIMITS.urlRemoved} points can be removed.`);
        return;
      }
      this.setSettings({ ...s, removed: [...s.removed, origin].sort((a, b) => a - b) }, { rebuildRuns: false });
    }
    this.tick++;
  }

  private downloadCsv(): void {
    const points: Point[] = [];
    for (const set of [this.data.train, this.data.validation]) {
      for (let i = 0; i < set.nSamples; i++) points.push({ x: set.x[2 * i]!, y: set.x[2 * i + 1]!, label: set.y[i]! });
    }
    const url = URL.createObjectURL(new Blob([toCsv(points, this.data.task)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `shadernet-${this.settings.dataset.kind}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // ------------------------------------------------------------------------------------------
  // Model and compare mode

  /** Saves the single model as a TF.js layers-model: shadernet-model.json + shadernet-model.weights.bin. */
  private downloadModel(): void {
    const run = this.runList[0];
    if (!run || this.settings.compare) return;
    this.running = false; // saved between epochs: the play loop stops after the current one
    this.pendingWork++;
    const next = this.chain
      .then(async () => {
        if (run.isDisposed) return;
        await run.model.save('downloads://shadernet-model');
        this.info(`Model saved (epoch ${run.epoch}): shadernet-model.json and shadernet-model.weights.bin. "Load model…" reads both back.`);
      })
      .catch((error: unknown) => {
        this.message = { kind: 'error', text: `The model could not be saved: ${describe(error)}` };
      })
      .finally(() => this.pendingWork--);
    this.chain = next;
  }

  /**
   * Loads a model.json and its weights file(s) picked by the user. The library validates the
   * files (sizes, shapes, truncated or corrupted weights, unknown layers); the playground then
   * checks that the model is one it can show (2 inputs, Dense hidden layers, Dense(1, sigmoid)).
   * Only then does it replace the current model; on any error the current model is kept.
   */
  private async loadModelFiles(input: HTMLInputElement): Promise<void> {
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (!files.length) return;
    const names = files.map((f) => f.name).join(', ').slice(0, 200);
    const backend = this.backend;
    const gpu = this.gpu;
    if (!backend || this.settings.compare) return;
    this.pendingWork++;
    try {
      const loaded = await loadModel(files, backend === 'cpu' ? { backend: 'cpu' } : { backend: 'webgpu', ...(gpu ? { gpu } : {}) });
      let layers: LayerSpec[];
      let weights: Float32Array[];
      try {
        // Dropout layers carry no weights; the playground shows the Dense stack.
        const dense = loaded.layers.filter((layer): layer is Dense => layer instanceof Dense);
        const output = this.configFor([]).layers[0]!;
        layers = playgroundLayers(dense, { units: output.type === 'Dense' ? output.units : 1, activation: output.type === 'Dense' ? output.activation : 'sigmoid' });
        weights = await loaded.getWeights();
        if (weights[0]?.length !== 2 * (dense[0]?.units ?? 0)) throw new Error('the model does not take 2 input features (x₁, x₂).');
      } finally {
        loaded.dispose();
      }
      this.message = undefined;
      this.setSettings({ ...this.settings, layers }, { rebuildRuns: false });
      this.rebuild(weights);
      this.log(`Model loaded from ${names}: ${modelLabel(layers)}, its saved weights (training starts again from epoch 0 with them).`);
      this.info(`Model loaded from ${names}: ${modelLabel(layers)}. Train on to continue from its weights.`);
    } catch (error) {
      const why = describe(error);
      this.message = { kind: 'error', text: `Model not loaded (${names}): ${why}${/[.!?)]$/.test(why) ? '' : '.'} The current model was kept.` };
    } finally {
      this.pendingWork--;
    }
  }

  private onLayers(layers: LayerSpec[]): void {
    this.setSettings({ ...this.settings, layers }, { rebuildRuns: !this.settings.compare });
  }

  private onPreset(preset: Preset): void {
    this.message = undefined;
    this.setSettings(presetState(preset, this.settings), { rebuildRuns: true });
    this.log(`Preset: ${preset.label} — ${preset.description}`);
    this.play();
  }

  private setCompare(on: boolean): void {
    const s = this.settings;
    if (on === Boolean(s.compare)) return;
    this.setSettings({ ...s, compare: on ? DEFAULT_COMPARE : undefined }, { rebuildRuns: true });
  }

  private setEntries(entries: readonly CompareEntry[]): void {
    this.setSettings({ ...this.settings, compare: entries }, { rebuildRuns: true });
  }

  private onMapUpdate(detail: MapUpdateDetail): void {
    if (detail.layers) this.hiddenActivations = detail.layers.slice(0, -1);
  }

  private async copyLink(): Promise<void> {
    this.writeUrl(true);
    this.shareUrl = location.href;
    try {
      await navigator.clipboard.writeText(this.shareUrl);
      this.info('Link copied: it restores every setting (data, edits, model, training) and so reproduces this run.');
    } catch {
      this.info('Copy the link below: it restores every setting (data, edits, model, training) and so reproduces this run.');
    }
  }

  // ------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): TemplateResult {
    const s = this.settings;
    const backend = this.backend;
    const ready = backend !== undefined;
    const compare = Boolean(s.compare);
    return html`<div class="top">
        <slot name="gpu" @slotchange=${this.onGpuSlot}></slot>
        ${this.ownStatus ? html`<sn-gpu-status compact cpu-fallback></sn-gpu-status>` : nothing}
        ${backend === 'cpu'
          ? html`<p class="message cpu" role="status" data-testid="cpu-notice">
              <span
                ><strong>WebGPU is not available in this browser: training runs on the CPU</strong> (shadernet's float64 reference engine), slower.
                Everything works — presets, decision maps, hidden-unit maps, compare mode — at CPU speed.</span
              >
            </p>`
          : nothing}
        ${ready || this.gpuState === 'loading' || this.message
          ? nothing
          : html`<p class="message info" role="status">
              <span>Training needs a WebGPU device (see above). You can still pick data, edit points and build a model.</span>
            </p>`}
        ${this.message
          ? html`<div class="message ${this.message.kind}" role=${this.message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
              <p>${this.message.text}</p>
              <button class="icon" aria-label="Dismiss message" @click=${() => (this.message = undefined)}>✕</button>
            </div>`
          : nothing}
        <section class="panel controls" aria-label="Training">
          <sn-training-controls
            .running=${this.running}
            ?disabled=${!ready || !this.runList.length}
            .epoch=${compare ? Math.max(0, ...this.runList.map((r) => r.epoch)) : this.runList[0]?.epoch ?? 0}
            .step=${compare ? 0 : this.runList[0]?.step ?? 0}
            .epochs=${compare ? Math.max(...(s.compare ?? []).map((e) => e.epochs)) : s.epochs}
            .batchSize=${s.batchSize}
            .learningRate=${s.learningRate}
            .scheduled=${s.schedule.kind !== 'constant'}
            .seed=${s.seed}
            .worker=${s.worker}
            worker-thread=${this.runList[0]?.thread ?? ''}
            worker-fallback=${this.runList[0]?.workerFallback ?? ''}
            @train-action=${(e: CustomEvent<{ action: TrainAction }>) => this.onAction(e.detail.action)}
            @settings-change=${(e: CustomEvent<TrainingSettings>) => this.onSettings(e.detail)}
          ></sn-training-controls>
          <div class="right-tools">
            <div class="segmented" role="group" aria-label="Mode">
              <button aria-pressed=${compare ? 'false' : 'true'} @click=${() => this.setCompare(false)}>One model</button>
              <button aria-pressed=${compare ? 'true' : 'false'} @click=${() => this.setCompare(true)}>Compare models</button>
            </div>
            <button @click=${() => void this.copyLink()} title="Copy a link that restores every setting">Copy link</button>
          </div>
          ${this.shareUrl
            ? html`<div class="share">
                <input type="text" readonly aria-label="Link to these settings" .value=${this.shareUrl} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
              </div>`
            : nothing}
          <p class="keys">Keys: <kbd>P</kbd> play/pause · <kbd>S</kbd> one step (batch) · <kbd>E</kbd> one epoch · <kbd>R</kbd> reset · <kbd>W</kbd> worker on/off. ${s.schedule.kind === 'constant'
            ? 'Learning rate, batch size and epochs change live; seed, data and layers start a new model.'
            : 'Batch size and epochs change live; the initial learning rate of the schedule, seed, data and layers start a new model.'}</p>
        </section>
        <section class="panel" aria-label="Tutorial presets">
          <h2>The Keras tutorial, one click each <span class="small">(make_circles 5000, factor 0.3, noise 0.05 · 4000/1000 split · Adam · batch 32)</span></h2>
          <sn-presets .active=${this.activePreset} ?disabled=${!ready} @preset-select=${(e: CustomEvent<{ preset: Preset }>) => this.onPreset(e.detail.preset)}></sn-presets>
        </section>
      </div>
      <div class="main ${compare ? 'compare' : ''}">
        ${this.renderData()} ${this.renderModel()} ${compare ? this.renderCompare() : this.renderOutput()}
      </div>
      <section class="panel log" aria-label="Training log">
        <h2>Training log</h2>
        <sn-training-log></sn-training-log>
      </section>`;
  }

  private renderData(): TemplateResult {
    const s = this.settings;
    return html`<section class="panel data" aria-label="Data">
      <h2>Data</h2>
      <sn-dataset-picker
        .spec=${s.dataset}
        csv-name=${this.csvName || 'loaded file'}
        csv-count=${s.custom?.length ?? 0}
        @dataset-change=${(e: CustomEvent<{ spec: DatasetSpec }>) => this.onDataset(e.detail.spec)}
        @csv-load=${(e: CustomEvent<{ points: Point[]; name: string; task: Task; classes: number }>) => this.onCsv(e.detail.points, e.detail.name, e.detail.task, e.detail.classes)}
        @csv-error=${(e: CustomEvent<{ message: string }>) => (this.message = { kind: 'error', text: `CSV not loaded: ${e.detail.message} The current data was kept.` })}
      ></sn-dataset-picker>
      <div class="edit">
        <h3>Your own points</h3>
        ${this.renderAddChoice()}
        <p class="small" data-testid="edits">${s.added.length} added · ${s.removed.length} removed</p>
        <div class="row">
          <button ?disabled=${!s.added.length && !s.removed.length} @click=${() => this.setSettings({ ...this.settings, added: [], removed: [] }, { rebuildRuns: false })}>Undo edits</button>
          <button @click=${this.downloadCsv}>Download CSV</button>
        </div>
        <label class="check"
          ><input type="checkbox" .checked=${s.showValidation} @change=${(e: Event) => this.setSettings({ ...this.settings, showValidation: (e.target as HTMLInputElement).checked }, { rebuildRuns: false })} />
          Show validation points</label
        >
      </div>
    </section>`;
  }

  /** What a click on the plot adds: a class (buttons) or, for regression, a value (slider). */
  private renderAddChoice(): TemplateResult {
    const { task, classes, valueRange } = this.data;
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
              .value=${String(this.addLabel)}
              @input=${(e: Event) => (this.addLabel = Number(Number((e.target as HTMLInputElement).value).toPrecision(6)))}
            /><output>${this.addLabel.toFixed(2)}</output>
          </span></label
        >
        <p class="small">Clicking a point removes it. Edits apply from the next epoch, without a reset.</p>`;
    }
    return html`<div class="row">
        <span class="small">Click the plot to add</span>
        <div class="segmented" role="group" aria-label="Class of added points">
          ${Array.from(
            { length: classes },
            (_, c) => html`<button aria-pressed=${this.addLabel === c ? 'true' : 'false'} @click=${() => (this.addLabel = c)}>${classes > 2 ? c : `class ${c}`}</button>`,
          )}
        </div>
      </div>
      <p class="small">Shift-click adds ${classes > 2 ? 'the next class' : 'the other class'}; clicking a point removes it. Edits apply from the next epoch, without a reset.</p>`;
  }

  private renderModel(): TemplateResult {
    const s = this.settings;
    const compare = Boolean(s.compare);
    const run = compare ? undefined : this.runList[0];
    const hidden = s.layers.reduce((n, l) => n + l.units, 0);
    return html`<section class="panel model" aria-label="Model">
      <h2>Model</h2>
      ${compare ? html`<p class="hint">Build a model here, then add it to the comparison.</p>` : nothing}
      <sn-model-builder
        .layers=${s.layers}
        task=${this.data.task}
        classes=${this.data.classes}
        @layers-change=${(e: CustomEvent<{ layers: LayerSpec[] }>) => this.onLayers(e.detail.layers)}
      ></sn-model-builder>
      <div class="optimizer">
        <h3>Optimizer</h3>
        <sn-optimizer-settings
          .optimizer=${s.optimizer}
          .schedule=${s.schedule}
          steps-per-epoch=${Math.ceil(this.data.train.nSamples / s.batchSize)}
          @optimizer-change=${(e: CustomEvent<OptimizerChangeDetail>) => this.setSettings({ ...this.settings, ...e.detail }, { rebuildRuns: true })}
        ></sn-optimizer-settings>
        <p class="hint">Loss: ${LOSS_TITLES[taskLoss(this.data.task)]}; metric: ${taskMetric(this.data.task) === 'mae' ? 'mean absolute error' : 'accuracy'} (from the data's task).</p>
      </div>
      ${compare ? nothing : this.renderModelFile()}
      ${compare
        ? html`<div class="row" style="margin-top:10px">
            <button
              class="primary"
              ?disabled=${(s.compare?.length ?? 0) >= LIMITS.compare}
              @click=${() => this.setEntries([...(s.compare ?? []), { layers: s.layers, epochs: s.epochs }])}
            >
              Add this model to the comparison
            </button>
          </div>`
        : html`<div class="units">
            <h2>Hidden units</h2>
            <p class="hint">Each unit's output over the plane, from the same ${this.backend === 'cpu' ? '' : 'GPU '}pass as the decision map. Hover or focus one to see it at ${MAP_RESOLUTION}×${MAP_RESOLUTION}.</p>
            <sn-unit-maps
              .specs=${run ? run.layers : s.layers}
              .layers=${this.hiddenActivations}
              resolution=${MAP_RESOLUTION}
              note=${!this.backend
                ? 'Hidden-unit maps are computed by the model: they appear once a WebGPU device is ready.'
                : hidden > HIDDEN_MAP_BUDGET
                ? `Unit maps are drawn for models with up to ${HIDDEN_MAP_BUDGET} hidden units (this one has ${hidden}): reading ${hidden} × 40,000 activations back after every epoch would slow training down.`
                : ''}
            ></sn-unit-maps>
          </div>`}
    </section>`;
  }

  private renderModelFile(): TemplateResult {
    const ready = this.backend !== undefined && this.runList.length > 0;
    return html`<div class="model-file" role="group" aria-labelledby="model-file-title">
      <h3 id="model-file-title">Model file</h3>
      <p class="hint">TF.js layers-model format: a model.json and its weights (.bin). Load both files together.</p>
      <div class="row">
        <button ?disabled=${!ready} @click=${() => this.downloadModel()} title="Save the model and its weights as two files">Download model</button>
        <input
          id="model-files"
          tabindex="-1"
          aria-hidden="true"
          type="file"
          multiple
          accept=".json,.bin,application/json,application/octet-stream"
          ?disabled=${!ready}
          @change=${(e: Event) => void this.loadModelFiles(e.target as HTMLInputElement)}
        />
        <button
          ?disabled=${!ready}
          aria-label="Load model… (choose model.json and its weights .bin)"
          @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#model-files')?.click()}
        >
          Load model…
        </button>
      </div>
    </div>`;
  }

  private renderMapOptions(): TemplateResult {
    const s = this.settings;
    if (this.data.task === 'regression') return html`<div class="map-options"><span class="small">Background: the model's prediction, in the colours of the points' values.</span></div>`;
    if (this.data.task === 'multiclass') {
      return html`<div class="map-options">
        <label class="check"
          ><input type="checkbox" .checked=${s.discretize} @change=${(e: Event) => this.setSettings({ ...this.settings, discretize: (e.target as HTMLInputElement).checked }, { rebuildRuns: false })} />
          Discretize (most likely class, without shading by confidence)</label
        >
      </div>`;
    }
    return html`<div class="map-options">
      <label class="check"
        ><input type="checkbox" .checked=${s.discretize} @change=${(e: Event) => this.setSettings({ ...this.settings, discretize: (e.target as HTMLInputElement).checked }, { rebuildRuns: false })} />
        Discretize at</label
      >
      <input
        type="range"
        min=${LIMITS.threshold[0]}
        max=${LIMITS.threshold[1]}
        step="0.01"
        aria-label="Threshold"
        .value=${String(s.threshold)}
        @input=${(e: Event) => this.setSettings({ ...this.settings, threshold: Number((e.target as HTMLInputElement).value) }, { rebuildRuns: false })}
      />
      <output>${s.threshold.toFixed(2)}</output>
    </div>`;
  }

  /**
   * The data with run `index`'s decision map behind it, for the single view (which reports its
   * map updates, and asks for hidden-unit maps when `withLayers`) and each compare card.
   */
  private renderDataMap(label: string, index: number, run: TrainingRun | undefined, single: boolean, withLayers = false): TemplateResult {
    const s = this.settings;
    return html`<sn-dataset-view
      label=${label}
      editable
      add-label=${this.addLabel}
      task=${this.data.task}
      classes=${this.data.classes}
      .valueRange=${this.data.valueRange}
      ?hide-validation=${!s.showValidation}
      .train=${this.data.train}
      .validation=${this.data.validation}
      .domain=${this.data.domain}
      @point-add=${(e: CustomEvent<PointAddDetail>) => this.onPointAdd(e.detail)}
      @point-remove=${(e: CustomEvent<PointRemoveDetail>) => this.onPointRemove(e.detail)}
    >
      <sn-decision-map
        slot="background"
        data-run=${index}
        resolution=${MAP_RESOLUTION}
        ?with-layers=${withLayers}
        ?discretize=${s.discretize}
        threshold=${s.threshold}
        task=${this.data.task}
        classes=${this.data.classes}
        .valueRange=${this.data.valueRange}
        .model=${run}
        @map-update=${(e: CustomEvent<MapUpdateDetail>) => single && this.onMapUpdate(e.detail)}
      ></sn-decision-map>
    </sn-dataset-view>`;
  }

  private renderOutput(): TemplateResult {
    const s = this.settings;
    const run = this.runList[0];
    const hidden = s.layers.reduce((n, l) => n + l.units, 0);
    return html`<section class="panel output" aria-label="Output">
      <h2>Output: decision map and data</h2>
      ${this.renderDataMap('Data and decision map', 0, run, true, hidden > 0 && hidden <= HIDDEN_MAP_BUDGET)}
      ${this.renderMapOptions()}
      <sn-metrics-chart
        metric=${taskMetric(this.data.task)}
        loss-name=${LOSS_TITLES[taskLoss(this.data.task)]}
        .history=${run ? { ...run.history } : {}}
        .epochs=${s.epochs} .speed=${run?.epoch ? { samplesPerSecond: run.samplesPerSecond, msPerEpoch: run.lastEpochMs } : undefined}></sn-metrics-chart>
    </section>`;
  }

  private renderCompare(): TemplateResult {
    const s = this.settings;
    const entries = s.compare ?? [];
    return html`<section class="panel compare-panel" aria-label="Compare models">
      <h2>Compare models on the same data</h2>
      <ul class="entries" aria-label="Compared models">
        ${entries.map(
          (e, i) => html`<li>
            <span>${modelLabel(e.layers)} · ${countParams(e.layers, 2, this.data.task === 'multiclass' ? this.data.classes : 1).toLocaleString('en-US')} params · ${e.epochs} epoch${e.epochs === 1 ? '' : 's'}</span>
            <button class="icon" aria-label="Remove ${modelLabel(e.layers)} from the comparison" ?disabled=${entries.length <= 2} @click=${() => this.setEntries(entries.filter((_, j) => j !== i))}>
              ✕
            </button>
          </li>`,
        )}
        ${entries.length < LIMITS.compare
          ? html`<li>
              <select
                aria-label="Add a preset to the comparison"
                @change=${(e: Event) => {
                  const select = e.target as HTMLSelectElement;
                  const preset = PRESETS.find((p) => p.id === select.value);
                  select.value = '';
                  if (preset) this.setEntries([...entries, { layers: preset.layers, epochs: preset.epochs }]);
                }}
              >
                <option value="" selected>+ add a preset…</option>
                ${PRESETS.map((p) => html`<option value=${p.id}>${p.label}</option>`)}
              </select>
            </li>`
          : nothing}
      </ul>
      ${this.renderMapOptions()}
      <div class="cards">
        ${entries.map((entry, i) => {
          const run = this.runList[i];
          return html`<article class="card" aria-label=${modelLabel(entry.layers)} data-card=${i}>
            <h3>${modelLabel(entry.layers)}</h3>
            <p class="meta">
              ${countParams(entry.layers, 2, this.data.task === 'multiclass' ? this.data.classes : 1).toLocaleString('en-US')} params · epoch ${run?.epoch ?? 0}/${entry.epochs}${run?.epoch ? ` · ${Math.round(run.lastEpochMs)} ms/epoch` : ''}${run?.backend === 'cpu'
                ? ' · CPU'
                : ''}
            </p>
            ${this.renderDataMap(`${modelLabel(entry.layers)}: data and decision map`, i, run, false)}
            <sn-metrics-chart
              compact
              stacked
              metric=${taskMetric(this.data.task)}
              loss-name=${LOSS_TITLES[taskLoss(this.data.task)]}
              .history=${run ? { ...run.history } : {}} .epochs=${entry.epochs} .speed=${run?.epoch ? { samplesPerSecond: run.samplesPerSecond, msPerEpoch: run.lastEpochMs } : undefined}></sn-metrics-chart>
          </article>`;
        })}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-playground': SnPlayground;
  }
}
