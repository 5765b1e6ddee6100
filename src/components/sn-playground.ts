import { LitElement, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DeviceLostError, type BackendName, type GpuContext } from '../index.js';
import { dataPoints, toCsv } from './lib/csv.js';
import { buildData, type BuiltData } from './lib/data.js';
import { offerDownload } from './lib/download.js';
import { describeOptimizer, modelConfig, type ModelConfig } from './lib/model-config.js';
import { withDataset, withPointAdded, withPointRemoved } from './lib/edits.js';
import { readModelFiles } from './lib/model-file.js';
import { featureMetadata } from './lib/feature-metadata.js';
import {
  DEFAULT_COMPARE,
  DEFAULT_STATE,
  LIMITS,
  PRESETS,
  formatEpochs,
  linkCarriesData,
  modelLabel,
  presetState,
  matchesPreset,
  validLabel,
  type CompareEntry,
  type DatasetSpec,
  type LayerSpec,
  type PlaygroundState,
  type Point,
  type Preset,
  type Task,
} from './lib/state.js';
import { keyCommand } from './lib/keys.js';
import { LinkShare } from './lib/link-share.js';
import { NetworkFeed } from './lib/network-feed.js';
import { TrainingQueue } from './lib/training-queue.js';
import { TrainingWorker } from './lib/training-worker.js';
import { TrainingRun, type EpochEndDetail } from './lib/training-run.js';
import { UrlSync } from './lib/url-sync.js';
import { MAP_RESOLUTION, renderPlayground, type Message, type PlaygroundView } from './playground-view.js';
import { playgroundStyles } from './playground-styles.js';
import { baseStyles } from './shared-styles.js';
import type { SnDecisionMap } from './sn-decision-map.js';
import type { SweepPickDetail } from './sn-sweep.js';
import { DEFAULT_SWEEP, type SweepSpec } from './lib/state.js';
import type { GpuStateDetail, GpuStatusState } from './sn-gpu-status.js';
import type { SnTrainingLog } from './sn-training-log.js';
import type { TrainAction, TrainingSettings } from './sn-training-controls.js';
import './sn-dataset-picker.js';
import './sn-dataset-view.js';
import './sn-decision-map.js';
import './sn-gpu-status.js';
import './sn-metrics-chart.js';
import './sn-model-builder.js';
import './sn-optimizer-settings.js';
import './sn-presets.js';
import './sn-sweep.js';
import './sn-training-controls.js';
import './sn-training-log.js';
import './sn-network-view.js';

/** Detail of the playground's `epoch-end`: the run's, plus which model it was. */
export interface PlaygroundEpochDetail extends EpochEndDetail {
  readonly model: number;
  readonly label: string;
}

import { describeError as describe } from './lib/describe-error.js';

/**
 * The whole demo: data, model, training controls, the network view, the decision map, metrics,
 * Keras-style log, the tutorial's presets, compare and sweep modes, all in the URL. Built from the other
 * sn- components, which it wires through their properties and events; the page itself is drawn
 * by playground-view.ts, training runs through a TrainingQueue and the URL through a UrlSync.
 *
 * The GPU comes from an `<sn-gpu-status>`: put one in the `gpu` slot (its context is shared),
 * or the playground makes its own. Without WebGPU (the status says `unavailable`) the status
 * (given `cpu-fallback`) says in one line that the models train on the library's float64 CPU
 * engine instead (`backend: 'cpu'`), and why when unfolded; every feature works, only slower.
 * When a device is lost, training stops until "Try again" gets a new one.
 *
 * The host's `data-backend` attribute says where the models run: `webgpu`, `cpu`, or `none`.
 *
 * @slot gpu - an `<sn-gpu-status>` (default: one of its own, compact).
 * @fires epoch-end - `CustomEvent<PlaygroundEpochDetail>` after every trained epoch.
 */
@customElement('sn-playground')
export class SnPlayground extends LitElement {
  static override styles = [baseStyles, playgroundStyles];

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
  @state() private message: Message | undefined;
  /** The class (or regression value) a click on the plot adds. */
  @state() private addLabel = 1;
  @state() private activePreset = '';
  /** After "Copy link": a short confirmation, or the link itself where the clipboard was refused. */
  /** No `<sn-gpu-status>` was slotted: the playground shows (and owns) one. */
  @state() private ownStatus = true;

  private gpu: GpuContext | undefined;
  /** What the current models were built for: a GPU context, 'cpu', or nothing (no models). */
  private engineKey: GpuContext | 'cpu' | undefined;
  private csvName = '';
  /** The page's one training worker: every model trains there, on one device, sharing compiled pipelines. */
  private readonly trainingWorker = new TrainingWorker(this, () => this.workerScript());

  private readonly queue = new TrainingQueue(this, {
    trained: (run, index, detail, kind) => {
      this.log(...detail.lines);
      if (kind === 'epoch') {
        const epoch = detail as EpochEndDetail;
        this.dispatchEvent(
          new CustomEvent<PlaygroundEpochDetail>('epoch-end', {
            detail: { ...epoch, model: index, label: modelLabel(run.layers) },
            bubbles: true,
            composed: true,
          }),
        );
      }
      // Never awaited: the next epoch is queued on the GPU right behind this map's pass.
      void this.renderRoot.querySelector<SnDecisionMap>(`sn-decision-map[data-run="${index}"]`)?.refresh();
    },
    failed: (error) => {
      if (error instanceof DeviceLostError || this.gpu?.isLost) {
        this.message = {
          kind: 'error',
          text: 'The GPU device was lost; training stopped. The GPU panel above says why; "Try again" there gets a new device.',
        };
      } else {
        this.message = { kind: 'error', text: `Training failed: ${describe(error)}` };
      }
    },
  });

  private readonly url = new UrlSync(this, {
    state: () => this.settings,
    apply: (next, initial) => {
      this.setSettings(next, { rebuildRuns: true });
      if (!initial) this.info('Settings loaded from the link.');
    },
    refuse: (problems, initial) => {
      this.message = {
        kind: 'error',
        text: `The link's settings could not be used (${problems}). ${initial ? 'The default settings are shown instead.' : 'The current settings were kept.'}`,
      };
    },
  });

  /** The network view's maps and weights: the first model's, with each of its maps. */
  private readonly share = new LinkShare(this);
  private readonly network = new NetworkFeed(this, () => this.runs[0], MAP_RESOLUTION);

  constructor() {
    super();
    this.addEventListener('sn-gpu-state', (event) => this.onGpuState(event.detail));
  }

  /** The models being trained (one, or one per compared model). */
  get runs(): readonly TrainingRun[] {
    return this.queue.runs;
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
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
  }

  protected override firstUpdated(): void {
    // The status element may have become ready before this element listened.
    const status = this.querySelector('sn-gpu-status') ?? this.renderRoot.querySelector('sn-gpu-status');
    if (status) status.cpuFallback = true;
    if (status && status.state !== this.gpuState) this.onGpuState({ state: status.state, context: status.context });
  }

  protected override willUpdate(): void {
    const runs = this.queue.runs;
    this.setAttribute('data-running', String(this.queue.running));
    this.setAttribute('data-epoch', String(runs[0]?.epoch ?? 0));
    this.setAttribute('data-models', String(runs.length));
    this.setAttribute('data-busy', String(this.queue.busy));
    this.setAttribute('data-gpu', this.gpuState);
    this.setAttribute('data-backend', this.backend ?? 'none');
    this.setAttribute('data-mode', this.settings.sweep ? 'sweep' : this.settings.compare ? 'compare' : 'one');
  }

  // ------------------------------------------------------------------------------------------
  // GPU

  private readonly onGpuSlot = (event: Event): void => {
    const assigned = (event.target as HTMLSlotElement).assignedElements();
    this.ownStatus = assigned.length === 0;
    // This playground trains on the CPU without WebGPU: the status element says so.
    for (const element of assigned)
      if (element.localName === 'sn-gpu-status') (element as HTMLElementTagNameMap['sn-gpu-status']).cpuFallback = true;
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

  private info(text: string): void {
    this.message = { kind: 'info', text };
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
    this.activePreset = PRESETS.find((p) => matchesPreset(this.settings, p))?.id ?? '';
    this.url.write();
    if (options.rebuildRuns) this.rebuild();
    else for (const run of this.queue.runs) run.setData({ train: data.train, validation: data.validation });
  }

  /**
   * New models from the settings (weights from the seed, or `weights` for the single model, at
   * epoch 0). Pauses training.
   */
  private rebuild(weights?: readonly Float32Array[]): void {
    this.network.clear();
    const s = this.settings;
    const data = this.data;
    const entries: readonly CompareEntry[] = s.compare ?? [{ layers: s.layers, epochs: s.epochs }];
    const configs = entries.map((entry) => this.configFor(entry.layers));
    this.queue.rebuild(
      () => {
        const backend = this.backend;
        const gpu = this.gpu;
        if (backend === undefined || (backend === 'webgpu' && (!gpu || gpu.isLost || gpu.isDisposed))) return undefined;
        const host = s.worker ? this.trainingWorker.host() : undefined;
        return entries.map(
          (entry, i) =>
            new TrainingRun({
              // Explicit, never the library's automatic fallback: the page knows, and says, where it trains.
              ...(backend === 'cpu' ? { backend: 'cpu' as const } : { backend: 'webgpu' as const, gpu: gpu! }),
              layers: entry.layers,
              features: s.features,
              config: configs[i]!,
              epochs: entry.epochs,
              seed: s.seed,
              batchSize: s.batchSize,
              data: { train: data.train, validation: data.validation },
              label: s.compare ? modelLabel(entry.layers) : '',
              ...(weights && !s.compare ? { weights } : {}),
              ...(s.worker ? { worker: { url: this.workerScript(), host } } : {}),
            }),
        );
      },
      (runs) => {
        this.setAttribute('data-thread', runs[0]?.thread ?? 'none');
        // `compiling` while the models' GPU pipelines compile ahead of the first epoch, then `ready`.
        this.setAttribute('data-pipelines', 'compiling');
        void Promise.all(runs.map((run) => run.compiled)).then(() => {
          if (this.queue.runs === runs) this.setAttribute('data-pipelines', 'ready');
        });
        if (s.worker && runs[0]?.workerFallback)
          this.log(`Web Worker training is unavailable here (${runs[0].workerFallback}); training on the page's thread.`);
        this.log(
          `— ${runs.map((r) => `${modelLabel(r.layers)} (${r.countParams().toLocaleString('en-US')} params)`).join(' vs ')}: ` +
            `${data.train.nSamples} training / ${data.validation.nSamples} validation points, batch ${s.batchSize}, ${describeOptimizer(configs[0]!.compile.optimizer)}, seed ${s.seed}` +
            (this.backend === 'cpu' ? ', on the CPU (float64 reference engine: WebGPU is unavailable)' : ''),
        );
      },
    );
  }

  private workerScript(): URL | undefined {
    return this.workerUrl === undefined ? undefined : new URL(this.workerUrl, document.baseURI);
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
      inputs: s.features.length,
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
        this.queue.play();
        break;
      case 'pause':
        this.queue.pause();
        break;
      case 'step':
      case 'epoch':
        this.queue.trainAll(action);
        break;
      case 'reset':
        this.message = undefined;
        this.rebuild();
        break;
    }
  }

  private onSettings(change: TrainingSettings): void {
    const s = this.settings;
    const runs = this.queue.runs;
    if (change.learningRate !== undefined && change.learningRate !== s.learningRate && s.schedule.kind !== 'constant') {
      // A schedule starts from the learning rate: a new schedule, so a new model (the control says so).
      this.log(`Initial learning rate of the schedule ${s.learningRate} → ${change.learningRate} (new model from the seed)`);
      this.setSettings({ ...s, learningRate: change.learningRate }, { rebuildRuns: true });
    } else if (change.learningRate !== undefined && change.learningRate !== s.learningRate) {
      const lr = change.learningRate;
      for (const run of runs) run.learningRate = lr;
      const at = runs[0]?.epoch ?? 0;
      this.log(`Learning rate ${s.learningRate} → ${lr} (from epoch ${at + 1} on; weights and the optimizer's state kept)`);
      this.setSettings({ ...s, learningRate: lr }, { rebuildRuns: false });
    }
    if (change.batchSize !== undefined && change.batchSize !== s.batchSize) {
      for (const run of runs) run.batchSize = change.batchSize;
      this.log(`Batch size ${s.batchSize} → ${change.batchSize} (from the next epoch on)`);
      this.setSettings({ ...this.settings, batchSize: change.batchSize }, { rebuildRuns: false });
    }
    if (change.epochs !== undefined && change.epochs !== s.epochs) {
      const epochs = change.epochs;
      for (const run of runs) run.epochs = epochs;
      const compare = this.settings.compare?.map((e) => ({ ...e, epochs }));
      this.log(`Epochs → ${formatEpochs(epochs)}${Number.isFinite(epochs) ? '' : ' (training until paused)'}`);
      this.setSettings({ ...this.settings, epochs, compare }, { rebuildRuns: false });
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
    if (!this.backend || !this.queue.runs.length || this.settings.sweep) return;
    const command = keyCommand(event, this.queue.running);
    if (!command) return;
    event.preventDefault();
    if (command === 'worker') this.onSettings({ worker: !this.settings.worker });
    else this.onAction(command);
  };

  // ------------------------------------------------------------------------------------------
  // Data

  private onDataset(spec: DatasetSpec): void {
    const next = withDataset(this.settings, spec);
    if (!next) return;
    this.setSettings(next.state, { rebuildRuns: true });
    if (next.model) this.log(`Model for ${spec.kind}: ${modelLabel(next.model.layers)}, learning rate ${next.model.learningRate}`);
    this.fitAddLabel();
  }

  /** Applies an edit of the points, or says why it cannot be made. */
  private edit(next: PlaygroundState | string | undefined): void {
    if (typeof next === 'string') this.info(next);
    else if (next) this.setSettings(next, { rebuildRuns: false });
  }

  /** Keeps the class (or value) clicks add valid for the data's task. */
  private fitAddLabel(): void {
    const { task, classes, valueRange } = this.data;
    if (
      validLabel(this.addLabel, task, classes) &&
      (task !== 'regression' || (this.addLabel >= valueRange.min && this.addLabel <= valueRange.max))
    )
      return;
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
        (linkCarriesData(this.settings)
          ? ''
          : ` A link carries at most ${LIMITS.urlPoints} points, so shared links will not include this data.`),
    );
  }

  private downloadCsv(): void {
    offerDownload(toCsv(dataPoints(this.data), this.data.task), 'text/csv', `shadernet-${this.settings.dataset.kind}.csv`);
  }

  // ------------------------------------------------------------------------------------------
  // Model and compare mode

  /** Saves the single model as a TF.js layers-model: shadernet-model.json + shadernet-model.weights.bin. */
  private downloadModel(): void {
    const run = this.queue.runs[0];
    if (!run || this.settings.compare) return;
    this.queue.pause(); // saved between epochs: the play loop stops after the current one
    void this.queue.enqueue(
      async () => {
        if (run.isDisposed) return;
        // The input features travel in the file's metadata: loading restores them.
        await run.model.save('downloads://shadernet-model', { metadata: featureMetadata(this.settings.features) });
        this.info(`Model saved (epoch ${run.epoch}): shadernet-model.json and shadernet-model.weights.bin. "Load model…" reads both back.`);
      },
      (error) => (this.message = { kind: 'error', text: `The model could not be saved: ${describe(error)}` }),
    );
  }

  /**
   * Loads a model.json and its weights file(s) picked by the user (see readModelFiles). Only a
   * model the playground can show replaces the current one; on any error it is kept.
   */
  private async loadModelFiles(input: HTMLInputElement): Promise<void> {
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (!files.length) return;
    const names = files
      .map((f) => f.name)
      .join(', ')
      .slice(0, 200);
    const backend = this.backend;
    if (!backend || this.settings.compare) return;
    await this.queue.track(async () => {
      try {
        const output = this.configFor([]).layers[0]!;
        const expected = {
          units: output.type === 'Dense' ? output.units : 1,
          activation: output.type === 'Dense' ? output.activation : 'sigmoid',
        };
        const { features, layers, weights } = await readModelFiles(files, backend === 'cpu' ? 'cpu' : this.gpu, expected);
        this.message = undefined;
        this.setSettings({ ...this.settings, features, layers }, { rebuildRuns: false });
        this.rebuild(weights);
        this.log(`Model loaded from ${names}: ${modelLabel(layers)}, its saved weights (training starts again from epoch 0 with them).`);
        this.info(`Model loaded from ${names}: ${modelLabel(layers)}. Train on to continue from its weights.`);
      } catch (error) {
        const why = describe(error);
        this.message = {
          kind: 'error',
          text: `Model not loaded (${names}): ${why}${/[.!?)]$/.test(why) ? '' : '.'} The current model was kept.`,
        };
      }
    });
  }

  private onPreset(preset: Preset): void {
    this.message = undefined;
    this.setSettings(presetState(preset, this.settings), { rebuildRuns: true });
    this.log(`Preset: ${preset.label} — ${preset.description}`);
    this.queue.play();
  }

  private setCompare(on: boolean): void {
    const s = this.settings;
    if (on === Boolean(s.compare)) {
      if (s.sweep) this.setSettings({ ...s, sweep: undefined }, { rebuildRuns: false });
      return;
    }
    this.setSettings({ ...s, compare: on ? DEFAULT_COMPARE : undefined, sweep: undefined }, { rebuildRuns: true });
  }

  /** Sweep mode: the single model pauses (compare mode ends) while the sweep trains its variants. */
  private setSweep(): void {
    this.queue.pause();
    if (this.settings.sweep) return;
    this.setSettings({ ...this.settings, compare: undefined, sweep: DEFAULT_SWEEP }, { rebuildRuns: Boolean(this.settings.compare) });
  }

  /** The sweep's grid or epochs changed: kept in the settings, so in the URL. */
  private onSweepChange(spec: SweepSpec): void {
    if (this.settings.sweep) this.setSettings({ ...this.settings, sweep: spec }, { rebuildRuns: false });
  }

  /** A variant picked in the sweep becomes the single model, with its trained weights. */
  private onSweepPick(detail: SweepPickDetail): void {
    this.message = undefined;
    this.setSettings(
      { ...this.settings, layers: detail.layers, learningRate: detail.learningRate, compare: undefined, sweep: undefined },
      { rebuildRuns: false },
    );
    this.rebuild(detail.weights);
    this.log(
      `Sweep: ${detail.label} is the model now, with its weights after ${detail.epoch} epoch${detail.epoch === 1 ? '' : 's'} (training starts again from epoch 0 with them).`,
    );
    this.info(`Sweep variant ${detail.label} loaded as the model, with its trained weights. Train on to continue from them.`);
  }

  private setEntries(entries: readonly CompareEntry[]): void {
    this.setSettings({ ...this.settings, compare: entries }, { rebuildRuns: true });
  }

  private view(): PlaygroundView {
    return {
      settings: this.settings,
      data: this.data,
      runs: this.queue.runs,
      running: this.queue.running,
      backend: this.backend,
      gpuState: this.gpuState,
      ownStatus: this.ownStatus,
      sweeping: this.settings.sweep !== undefined,
      gpu: this.gpu,
      message: this.message,
      network: this.network,
      addLabel: this.addLabel,
      activePreset: this.activePreset,
      shared: this.share.shared,
      csvName: this.csvName,
      set: (change, rebuildRuns = false) => this.setSettings({ ...this.settings, ...change }, { rebuildRuns }),
      setAddLabel: (label) => (this.addLabel = label),
      dismissMessage: () => (this.message = undefined),
      showError: (text) => (this.message = { kind: 'error', text }),
      onGpuSlot: this.onGpuSlot,
      onAction: (action) => this.onAction(action),
      onSettings: (change) => this.onSettings(change),
      onPreset: (preset) => this.onPreset(preset),
      setCompare: (on) => this.setCompare(on),
      setSweep: () => this.setSweep(),
      onSweepPick: (detail) => this.onSweepPick(detail),
      onSweepChange: (spec) => this.onSweepChange(spec),
      setEntries: (entries) => this.setEntries(entries),
      copyLink: () => void this.share.copy(this.url.link()),
      onDataset: (spec) => this.onDataset(spec),
      onCsv: (detail) => this.onCsv(detail.points, detail.name, detail.task, detail.classes),
      onPointAdd: (detail) => this.edit(withPointAdded(this.settings, detail)),
      onPointRemove: (detail) => this.edit(withPointRemoved(this.settings, this.data, detail.set, detail.index)),
      onLayers: (layers) => this.setSettings({ ...this.settings, layers }, { rebuildRuns: !this.settings.compare }),
      onMapUpdate: (detail) => this.network.onMapUpdate(detail),
      downloadCsv: () => this.downloadCsv(),
      downloadModel: () => this.downloadModel(),
      loadModelFiles: (input) => void this.loadModelFiles(input),
      pickModelFiles: () => this.renderRoot.querySelector<HTMLInputElement>('#model-files')?.click(),
    };
  }

  protected override render(): TemplateResult {
    return renderPlayground(this.view());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-playground': SnPlayground;
  }
}
