// Keras's stop conditions and learning-rate control as fit() callbacks, with Keras 3's options,
// defaults and decision rules (keras/src/callbacks/early_stopping.py, reduce_lr_on_plateau.py).
import { ValueError } from '../errors.js';
import type { Callback, Logs, TrainingModel } from './callbacks.js';
import { boolean, finiteNumber, integer, oneOf, optionsOf } from './validate.js';
import { show } from '../show.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Log keys whose value should fall (losses and errors); 'acc'/'auc' keys should rise. */
const FALLING = /(^|_)(loss|mse|mae|mean_squared_error|mean_absolute_error|crossentropy)$/;
const RISING = /(acc|auc)/;

/**
 * The direction of `monitor` under `mode`. 'auto' decides from the name as Keras does (the loss
 * and errors fall, accuracies rise) and refuses a name it cannot classify rather than guess.
 */
function resolveDirection(monitor: string, mode: MonitorMode, owner: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  const metric = monitor.replace(/^val_/, '');
  if (FALLING.test(metric)) return 'min';
  if (RISING.test(metric)) return 'max';
  throw new ValueError(`${owner} cannot tell whether '${monitor}' should be minimised or maximised; pass mode: 'min' or 'max'.`);
}

const MODES: readonly MonitorMode[] = ['auto', 'min', 'max'];
const VERBOSITY = [0, 1] as const;

/** Reads the monitored value, warning once (as Keras does) when the logs do not have it. */
class Monitor {
  private warned = false;
  constructor(
    readonly key: string,
    private readonly owner: string,
  ) {
    if (typeof key !== 'string' || key === '')
      throw new ValueError(`${owner} monitor must be a log key such as 'val_loss', got ${show(key)}.`);
  }

  read(logs: Logs): number | undefined {
    // An own key only: a monitor named 'constructor' must not find Object.
    const value = Object.hasOwn(logs, this.key) ? logs[this.key] : undefined;
    if (value === undefined && !this.warned) {
      this.warned = true;
      console.warn(`${this.owner} is conditioned on '${this.key}', which is not in the logs (available: ${Object.keys(logs).join(', ')}).`);
    }
    return value;
  }
}

export interface EarlyStoppingOptions {
  /** Log key to watch (default 'val_loss'). */
  readonly monitor?: string;
  /** Smallest change that counts as an improvement (default 0; its sign is ignored). */
  readonly minDelta?: number;
  /** Epochs without improvement before training stops (default 0). */
  readonly patience?: number;
  /** 'min', 'max', or 'auto' (default): from the key, losses and errors fall, accuracies rise. */
  readonly mode?: MonitorMode;
  /** Training stops unless the monitored value beats this within `patience` epochs. */
  readonly baseline?: number;
  /** At the end of training, put back the weights of the best epoch (default false). */
  readonly restoreBestWeights?: boolean;
  /** Epochs to train before improvement is watched at all (default 0). */
  readonly startFromEpoch?: number;
  /** 1: print when training stops and when weights are restored (default 0). */
  readonly verbose?: 0 | 1;
}

/**
 * Stops fit() when a monitored value has stopped improving (Keras's `EarlyStopping`), and can
 * restore the best epoch's weights — which TF.js's version does not implement (tfjs #8488).
 * The best weights are read back from the GPU once per improving epoch.
 *
 * @example
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })] });
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epoch (0-based) at which training was stopped; 0 if it was not. */
  stoppedEpoch = 0;
  /** Epoch (0-based) of the best value seen. */
  bestEpoch = 0;
  /** The best monitored value seen (undefined before the first watched epoch). */
  best: number | undefined;
  private readonly watched: Monitor;
  private readonly verbose: number;
  private model: TrainingModel | undefined;
  private wait = 0;
  private bestWeights: Float32Array[] | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    const given = optionsOf(options, 'EarlyStopping');
    this.monitor = given.monitor ?? 'val_loss';
    this.watched = new Monitor(this.monitor, 'EarlyStopping');
    this.minDelta = Math.abs(finiteNumber(given.minDelta ?? 0, 'EarlyStopping minDelta'));
    this.patience = integer(given.patience ?? 0, 'EarlyStopping patience', 0);
    this.mode = resolveDirection(this.monitor, oneOf(given.mode ?? 'auto', MODES, 'EarlyStopping mode'), 'EarlyStopping');
    this.baseline = given.baseline === undefined ? undefined : finiteNumber(given.baseline, 'EarlyStopping baseline');
    this.restoreBestWeights = boolean(given.restoreBestWeights ?? false, 'EarlyStopping restoreBestWeights');
    this.startFromEpoch = integer(given.startFromEpoch ?? 0, 'EarlyStopping startFromEpoch', 0);
    this.verbose = oneOf(given.verbose ?? 0, VERBOSITY, 'EarlyStopping verbose');
  }

  setModel(model: TrainingModel): void {
    this.model = model;
  }

  /** Keras: the value must beat the reference by more than minDelta in the monitored direction. */
  private isImprovement(value: number, reference: number | undefined): boolean {
    if (reference === undefined) return true;
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.bestWeights = undefined;
    this.bestEpoch = 0;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const model = this.requireModel();
    const current = this.watched.read(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    // Keras: the first watched epoch's weights are the best so far even if they never improve.
    if (this.restoreBestWeights && this.bestWeights === undefined) {
      this.bestWeights = await model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = await model.getWeights();
      // Only a value that also beats the baseline restarts the wait.
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireModel().setWeights(this.bestWeights);
    }
  }

  private requireModel(): TrainingModel {
    if (!this.model) throw new ValueError('EarlyStopping runs inside fit(); pass it in fit({ callbacks }).');
    return this.model;
  }
}

export interface ReduceLROnPlateauOptions {
  /** Log key to watch (default 'val_loss'). */
  readonly monitor?: string;
  /** Multiplier of the learning rate on a plateau, in [0, 1) (default 0.1). */
  readonly factor?: number;
  /** Epochs without improvement before the rate is reduced (default 10). */
  readonly patience?: number;
  /** 'min', 'max', or 'auto' (default: 'max' if the key contains 'acc', else 'min', as Keras). */
  readonly mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  readonly minDelta?: number;
  /** Epochs to wait after a reduction before watching again (default 0). */
  readonly cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  readonly minLr?: number;
  /** 1: print each reduction (default 0). */
  readonly verbose?: 0 | 1;
}

/**
 * Lowers the optimizer's learning rate when a monitored value stops improving (Keras's
 * `ReduceLROnPlateau`). The new rate applies from the next epoch's first step, and every
 * epoch's logs (and so History) gain `learning_rate`, as in Keras.
 */
export class ReduceLROnPlateau implements Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private readonly watched: Monitor;
  private readonly verbose: number;
  private model: TrainingModel | undefined;
  private best = Infinity;
  private wait = 0;
  private cooldownCounter = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    const given = optionsOf(options, 'ReduceLROnPlateau');
    this.monitor = given.monitor ?? 'val_loss';
    this.watched = new Monitor(this.monitor, 'ReduceLROnPlateau');
    this.factor = finiteNumber(given.factor ?? 0.1, 'ReduceLROnPlateau factor', { min: 0, max: 1, maxOpen: true });
    this.patience = integer(given.patience ?? 10, 'ReduceLROnPlateau patience', 0);
    const mode = oneOf(given.mode ?? 'auto', MODES, 'ReduceLROnPlateau mode');
    // Keras's rule here is simpler than EarlyStopping's: 'acc' in the key means maximise.
    this.mode = mode === 'auto' ? (this.monitor.includes('acc') ? 'max' : 'min') : mode;
    this.minDelta = finiteNumber(given.minDelta ?? 1e-4, 'ReduceLROnPlateau minDelta', { min: 0 });
    this.cooldown = integer(given.cooldown ?? 0, 'ReduceLROnPlateau cooldown', 0);
    this.minLr = finiteNumber(given.minLr ?? 0, 'ReduceLROnPlateau minLr', { min: 0 });
    this.verbose = oneOf(given.verbose ?? 0, VERBOSITY, 'ReduceLROnPlateau verbose');
    this.reset();
  }

  setModel(model: TrainingModel): void {
    this.model = model;
  }

  private reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  private improves(value: number): boolean {
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  onTrainBegin(): void {
    this.reset();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = this.model?.optimizer;
    if (!optimizer) throw new ValueError('ReduceLROnPlateau runs inside fit() of a compiled model; pass it in fit({ callbacks }).');
    const rate = optimizer.learningRate;
    if (typeof rate !== 'number') {
      throw new ValueError('ReduceLROnPlateau needs a constant learning rate; this optimizer follows a schedule.');
    }
    (logs as Record<string, number>)['learning_rate'] = rate;
    const current = this.watched.read(logs);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0 && ++this.wait >= this.patience && Math.fround(rate) > Math.fround(this.minLr)) {
      // Compared in float32, as Keras compares its float32 variable with np.float32(min_lr).
      const reduced = Math.max(rate * this.factor, this.minLr);
      optimizer.learningRate = reduced;
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${reduced}.`);
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}
