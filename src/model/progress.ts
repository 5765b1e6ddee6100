/**
 * Keras-style training logs: the `Epoch 3/10` headers and progress-bar lines that `fit()` prints.
 *
 * Two dialects are reproduced from their sources:
 * - `'keras3'`: Keras 3 `ProgbarLogger` + `utils/progbar.py` (20-wide `━` bar, keys sorted
 *   alphabetically, ANSI bold/green when drawn on a terminal).
 * - `'keras2'`: tf.keras 2.x `ProgbarLogger` + `generic_utils.Progbar` (30-wide `[===>...]` bar,
 *   `loss` first, ` - ETA: 0s` mid-epoch, `336ms/epoch - 13ms/step` at verbose 2).
 *
 * Everything is plain string work with an injected writer and clock, so it runs the same in Node,
 * in the browser and in tests. Only {@link LogStyle} is public API (fit's `logStyle`); the rest is
 * internal, used by fit and the components' training log.
 */

import { ValueError } from '../errors.js';
import { isNode } from '../runtime.js';
import { show } from '../show.js';
import type { Logs } from './callbacks.js';
import { pyExp, pyFixed } from './python-format.js';
import { boolean, integer, oneOf, optionalFunction } from './validate.js';

/** Which Keras' log format to imitate. */
export type LogStyle = 'keras3' | 'keras2';

/** Configuration of a {@link ProgressLogger}. @internal */
export interface ProgressOptions {
  /** 0: silent; 1: progress bar; 2: one line per epoch. */
  readonly verbose: 0 | 1 | 2;
  readonly epochs: number;
  /** Batches per epoch (the bar's target). */
  readonly steps: number;
  /** Default `'keras3'`. */
  readonly style?: LogStyle;
  /** Receives raw text; the logger adds `'\n'` / `'\r'` itself. */
  readonly write: (text: string) => void;
  /**
   * A terminal: redraw the bar in place (at most every 50 ms, with ANSI colours in keras3
   * style). Otherwise only each epoch's final line is written, without escape codes.
   */
  readonly interactive: boolean;
  /** Millisecond clock. Default `performance.now`. */
  readonly now?: () => number;
}

/** Keras' `Progbar(interval=0.05)`: the bar is redrawn at most this often (ms). */
const REDRAW_INTERVAL_MS = 50;
const BAR_WIDTH: Record<LogStyle, number> = { keras3: 20, keras2: 30 };

const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const WHITE = '\x1b[37m';
const RESET = '\x1b[0m';

/**
 * The order Keras shows the keys in.
 * - keras3: `pythonify_logs` sorts them, so `accuracy, loss, val_accuracy, val_loss`.
 * - keras2: logs are built as loss, compiled metrics, then the `val_` copies; we emulate that as
 *   `loss`, the other training keys in the given order, `val_loss`, the other `val_` keys.
 *
 * @internal
 */
export function orderLogKeys(keys: readonly string[], style: LogStyle = 'keras3'): string[] {
  if (style === 'keras3') return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const train = keys.filter((k) => !k.startsWith('val_'));
  const val = keys.filter((k) => k.startsWith('val_'));
  const lossFirst = (group: string[], loss: string): string[] =>
    group.includes(loss) ? [loss, ...group.filter((k) => k !== loss)] : group;
  return [...lossFirst(train, 'loss'), ...lossFirst(val, 'val_loss')];
}

/**
 * One metric value as the Keras progress bar prints it: `{:.4f}` when `|v| > 1e-3`, otherwise
 * Python's `{:.4e}` (`0.60491234` → `'0.6049'`, `0.0001` → `'1.0000e-04'`).
 *
 * Both styles share this rule, including its quirk: the verbose-1 bar compares `abs(v)` while
 * the verbose-2 line compares `v` itself, so at verbose 2 any negative value is written in
 * exponent form (`-0.5` → `'-5.0000e-01'`).
 *
 * @param _style accepted for symmetry with the other helpers; keras3 and keras2 agree here.
 *
 * @internal
 */
export function formatLogValue(value: number, _style: LogStyle = 'keras3', verbose: 1 | 2 = 1): string {
  const magnitude = verbose === 1 ? Math.abs(value) : value;
  return magnitude > 1e-3 ? pyFixed(value, 4) : pyExp(value, 4);
}

/**
 * `Progbar._format_time`: ` 5ms/step`, ` 1s/epoch`, ` 120us/step` (with the leading space).
 * Whole seconds from 1 s up (and for exactly 0), milliseconds down to 1 ms, else microseconds.
 */
function formatTime(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${pyFixed(seconds, 0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${pyFixed(seconds * 1000, 0)}ms/${unit}`;
  return ` ${pyFixed(seconds * 1e6, 0)}us/${unit}`;
}

/** Python `%d` of a non-negative float: truncation. */
function pyInt(x: number): string {
  return String(Math.trunc(x));
}

/** The ETA text: `12s`, `1:05`, `1:00:05`. */
function formatEta(seconds: number): string {
  const two = (x: number): string => pyInt(x).padStart(2, '0');
  if (seconds > 3600) return `${pyInt(seconds / 3600)}:${two((seconds % 3600) / 60)}:${two(seconds % 60)}`;
  if (seconds > 60) return `${pyInt(seconds / 60)}:${two(seconds % 60)}`;
  return `${pyInt(seconds)}s`;
}

/** `"%{d}d/%d"`: the current step right-aligned to the number of digits of the target. */
function formatCount(current: number, target: number): string {
  const digits = String(Math.trunc(target)).length; // int(log10(N)) + 1 for N >= 1
  return `${String(current).padStart(digits)}/${target}`;
}

function metricsText(entries: readonly (readonly [string, number])[], verbose: 1 | 2): string {
  return entries.map(([k, v]) => ` - ${k}: ${formatLogValue(v, 'keras3', verbose)}`).join('');
}

/** A bar line split into its text and its visible width (ANSI codes excluded). */
interface Rendered {
  readonly text: string;
  readonly width: number;
}

/**
 * A verbose-1 bar line. `finalize` selects the end-of-epoch form (elapsed time and per-step time)
 * over the mid-epoch one (ETA).
 */
function renderBar(
  style: LogStyle,
  current: number,
  target: number,
  entries: readonly (readonly [string, number])[],
  timing: { readonly elapsed: number; readonly perStep: number; readonly finalize: boolean },
  ansi: boolean,
): Rendered {
  const paint = (code: string, text: string): string => (ansi ? `${code}${text}${RESET}` : text);
  let bar: string;
  let barWidth: number;
  const known = target > 0;
  if (!known) {
    bar = `${String(current).padStart(7)}/Unknown`;
    barWidth = bar.length;
  } else {
    const count = formatCount(current, target);
    const width = BAR_WIDTH[style];
    const done = Math.trunc(width * (current / target));
    if (style === 'keras3') {
      bar = `${paint(BOLD, count)} `;
      if (done > 0) bar += paint(GREEN, '━'.repeat(done));
      bar += paint(WHITE, '━'.repeat(width - done));
      barWidth = count.length + 1 + width;
    } else {
      bar = `${count} [`;
      if (done > 0) bar += '='.repeat(done - 1) + (current < target ? '>' : '=');
      bar += `${'.'.repeat(Math.max(0, width - done))}]`;
      barWidth = bar.length;
    }
  }
  let info: string;
  const showEta = known && !timing.finalize;
  const eta = formatEta(timing.perStep * (target - current));
  const elapsed = `${pyFixed(timing.elapsed, 0)}s`;
  if (style === 'keras3') {
    const time = showEta ? eta : elapsed;
    info = ` ${paint(BOLD, time)}${formatTime(timing.perStep, 'step')}`;
    const infoPlain = ` ${time}${formatTime(timing.perStep, 'step')}`;
    const metrics = metricsText(entries, 1);
    return { text: bar + info + metrics, width: barWidth + infoPlain.length + metrics.length };
  }
  info = showEta ? ` - ETA: ${eta}` : ` - ${elapsed}${formatTime(timing.perStep, 'step')}`;
  info += metricsText(entries, 1);
  return { text: bar + info, width: barWidth + info.length };
}

/** The verbose-2 epoch line (no bar). */
function renderCompact(style: LogStyle, target: number, entries: readonly (readonly [string, number])[], elapsed: number): string {
  const count = formatCount(target, target);
  const perStep = elapsed / target; // no per-batch updates at verbose 2, so nothing is excluded
  if (style === 'keras3') {
    return `${count} - ${pyFixed(elapsed, 0)}s -${formatTime(perStep, 'step')}${metricsText(entries, 2)}`;
  }
  return (
    `${count} - ${pyFixed(elapsed, 0)}s${metricsText(entries, 2)}` + ` -${formatTime(elapsed, 'epoch')} -${formatTime(perStep, 'step')}`
  );
}

/** Timing of one finished epoch, for {@link formatEpochLine}. @internal */
export interface EpochTiming {
  /** Batches in the epoch. */
  readonly steps: number;
  /** Wall time of the epoch in ms (Keras prints it rounded to whole seconds). */
  readonly elapsedMs: number;
  /**
   * Time per step in ms for the verbose-1 line. Keras leaves the first (warm-up) step out when
   * there is more than one; default `elapsedMs / steps`. Verbose 2 always uses that default.
   */
  readonly msPerStep?: number;
}

/**
 * One Keras-style line for a finished epoch, without ANSI codes or newline: what a training log
 * shows after the epoch ends.
 *
 * - verbose 1 (default): `25/25 ━━━━━━━━━━━━━━━━━━━━ 1s 5ms/step - accuracy: 0.8450 - loss: 0.3921`
 * - verbose 2: `25/25 - 1s - 5ms/step - accuracy: 0.8450 - loss: 0.3921`
 * - keras2 style: `25/25 [==============================] - 1s 5ms/step - loss: 0.3921 - accuracy: 0.8450`
 *   and at verbose 2 `25/25 - 1s - loss: 0.3921 - accuracy: 0.8450 - 336ms/epoch - 13ms/step`.
 *
 * @internal
 */
export function formatEpochLine(
  logs: Logs,
  timing: EpochTiming,
  options: { readonly style?: LogStyle; readonly verbose?: 1 | 2 } = {},
): string {
  const style = options.style ?? 'keras3';
  const entries = orderLogKeys(Object.keys(logs), style).map((k) => [k, logs[k] ?? NaN] as const);
  const elapsed = timing.elapsedMs / 1000;
  if (options.verbose === 2) return renderCompact(style, timing.steps, entries, elapsed);
  const perStep = (timing.msPerStep ?? timing.elapsedMs / Math.max(1, timing.steps)) / 1000;
  return renderBar(style, timing.steps, timing.steps, entries, { elapsed, perStep, finalize: true }, false).text;
}

/**
 * Turns `fit()` callbacks into Keras' console output. One instance serves one `fit()` call.
 *
 * Like Keras' `ProgbarLogger` + `Progbar`: every value is shown as given (the engine already
 * passes running means), keys keep the order in which they were first seen during the epoch
 * (each batch's and the epoch's logs being ordered per style), and the per-step time at
 * verbose 1 leaves out the first step when there are several.
 *
 * @internal
 */
export class ProgressLogger {
  private readonly verbose: 0 | 1 | 2;
  private readonly epochs: number;
  private readonly steps: number;
  private readonly style: LogStyle;
  private readonly write: (text: string) => void;
  private readonly interactive: boolean;
  private readonly now: () => number;

  // Per-epoch state, the fields of Keras' Progbar (recreated at every epoch begin).
  private epochActive = false;
  private start = 0;
  private afterFirstStep: number | undefined;
  private lastDraw = -Infinity;
  private prevWidth = 0;
  private values = new Map<string, number>();

  constructor(options: ProgressOptions) {
    if (typeof options !== 'object' || options === null)
      throw new ValueError('ProgressLogger needs { verbose, epochs, steps, write, interactive }.');
    this.verbose = oneOf(options.verbose, [0, 1, 2], 'ProgressLogger verbose');
    this.epochs = integer(options.epochs, 'ProgressLogger epochs', 0);
    this.steps = integer(options.steps, 'ProgressLogger steps', 0);
    this.style = oneOf(options.style ?? 'keras3', ['keras3', 'keras2'], 'ProgressLogger style');
    if (typeof options.write !== 'function') throw new ValueError(`ProgressLogger write must be a function, got ${show(options.write)}.`);
    this.write = options.write;
    this.interactive = boolean(options.interactive, 'ProgressLogger interactive');
    optionalFunction(options.now, 'ProgressLogger now');
    this.now = options.now ?? (() => performance.now());
  }

  /** Start of `fit()`. Keras 2 and 3 print nothing here. */
  onTrainBegin(): void {
    this.epochActive = false;
  }

  /** Start of epoch `epoch` (0-based): prints `Epoch e/N` when there is more than one epoch. */
  onEpochBegin(epoch: number): void {
    this.resetEpoch();
    if (this.verbose !== 0 && this.epochs > 1) this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  /** After batch `step` (0-based) with the running means so far. Draws only at verbose 1. */
  onBatchEnd(step: number, logs: Logs): void {
    if (this.verbose !== 1) return;
    this.ensureEpoch();
    const current = step + 1;
    const now = this.now();
    this.record(logs);
    const perStep = this.estimateStep(current, now);
    if (!this.interactive || now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.draw(current, now, perStep, false);
  }

  /** End of epoch `epoch` (0-based), `logs` with the epoch's values and any `val_*` keys. */
  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.verbose === 0) return;
    this.ensureEpoch();
    const now = this.now();
    this.record(logs);
    if (this.verbose === 2) {
      if (this.steps > 0) {
        this.write(`${renderCompact(this.style, this.steps, this.entries(), (now - this.start) / 1000)}\n`);
      }
    } else {
      this.draw(this.steps, now, this.estimateStep(this.steps, now), true);
    }
    this.epochActive = false;
  }

  private resetEpoch(): void {
    this.epochActive = true;
    this.start = this.now();
    this.afterFirstStep = undefined;
    this.lastDraw = -Infinity;
    this.prevWidth = 0;
    this.values = new Map();
  }

  /** Keras creates the Progbar lazily if a batch arrives without an epoch begin. */
  private ensureEpoch(): void {
    if (!this.epochActive) this.resetEpoch();
  }

  /** New keys are appended in style order; known keys keep their place and take the new value. */
  private record(logs: Logs): void {
    for (const key of orderLogKeys(Object.keys(logs), this.style)) {
      const value = logs[key];
      if (value !== undefined) this.values.set(key, value);
    }
  }

  private entries(): (readonly [string, number])[] {
    return [...this.values.entries()];
  }

  /** `Progbar._estimate_step_duration`, in seconds: the first step is left out once past it. */
  private estimateStep(current: number, now: number): number {
    if (current === 0) return 0;
    const perStep =
      this.afterFirstStep !== undefined && current > 1
        ? (now - this.afterFirstStep) / (current - 1) / 1000
        : (now - this.start) / current / 1000;
    if (current === 1) this.afterFirstStep = now;
    return perStep;
  }

  private draw(current: number, now: number, perStep: number, finalize: boolean): void {
    const line = renderBar(
      this.style,
      current,
      this.steps,
      this.entries(),
      { elapsed: (now - this.start) / 1000, perStep, finalize },
      this.interactive && this.style === 'keras3',
    );
    let text: string;
    if (this.interactive) {
      // Keras' dynamic display: back over the previous line, return, and blank out leftovers.
      text = `${'\b'.repeat(this.prevWidth)}\r${line.text}${' '.repeat(Math.max(0, this.prevWidth - line.width))}`;
      this.prevWidth = line.width;
    } else {
      text = line.text;
    }
    this.write(finalize ? `${text}\n` : text);
    this.lastDraw = now;
  }
}

/**
 * A ProgressLogger writing where fit's logs go: stdout in Node (a bar redrawn in place on a
 * terminal), console.log in browsers.
 *
 * @internal
 */
export function consoleProgressLogger(options: Omit<ProgressOptions, 'write' | 'interactive'>): ProgressLogger {
  return new ProgressLogger({
    ...options,
    interactive: isNode() && Boolean(process.stdout?.isTTY),
    write: isNode() ? (text) => process.stdout.write(text) : (text) => console.log(text.replace(/\n$/, '')),
  });
}
