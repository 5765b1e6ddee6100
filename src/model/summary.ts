/**
 * `model.summary()` text, rendered the way Keras prints it:
 *
 * - `'keras3'`: Keras 3's `summary_utils.print_summary`, a `rich` table (box drawing, heavy head,
 *   a rule between rows) at 76 columns, the width Keras gets when stdout is not a terminal.
 * - `'keras2'`: tf.keras 2.13–2.15's `layer_utils.print_summary`, a plain 65-column table with
 *   `_`/`=` rules, a blank line after each layer and memory sizes in the footer.
 *
 * There is no terminal here, so what is reproduced is the colourless text Keras writes when its
 * output is captured. Weights are assumed to be float32 (4 bytes a parameter), the only dtype
 * the engine trains in.
 */
import { ValueError } from '../errors.js';
import { Dense, type Layer } from './layers.js';
import { MEMORY_UNITS_KERAS2, MEMORY_UNITS_KERAS3, formatThousands, pyRound, readableMemorySize } from './python-format.js';
import type { Optimizer } from './optimizers.js';
import { optionalFunction, optionsOf, oneOf } from './validate.js';
import { stateSlotsPerParameter } from '../spec/optimizer.js';

/** One layer's line in the summary table. */
export interface SummaryRow {
  /** Layer name, e.g. `'dense'`, `'dense_1'`. */
  readonly name: string;
  /** Class name shown in parentheses, e.g. `'Dense'`. */
  readonly className: string;
  /** Output shape with `null` for the batch dimension, e.g. `[null, 4]`; undefined = unbuilt. */
  readonly outputShape: readonly (number | null)[] | undefined;
  /** Number of weights (`in*units + units` for Dense); 0 when unbuilt. */
  readonly params: number;
}

/** Rendering options and the model-wide parameter counts for {@link formatSummary}. */
export interface SummaryOptions {
  /** Which Keras to imitate. Default `'keras3'`. */
  readonly style?: 'keras3' | 'keras2';
  /** Total width in characters. Default 76 for keras3 (non-TTY Keras 3), 65 for keras2. */
  readonly lineLength?: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /**
   * After fit: optimizer variables (Keras 3 adds an "Optimizer params" line and counts them in
   * Total). Ignored by the keras2 style, whose summary never mentions the optimizer.
   */
  readonly optimizer?: { readonly params: number; readonly bytes: number };
}

/** Bytes per parameter: the engine's weights are float32. */
const BYTES_PER_PARAM = 4;

/**
 * Renders a model summary as Keras prints it. Lines are joined with `'\n'` and there is no
 * trailing newline, so `console.log(formatSummary(...))` prints exactly Keras' output.
 *
 * @param modelName shown as `Model: "<name>"`, e.g. `'sequential'`.
 * @param rows one per layer, in model order.
 * @throws ValueError when `lineLength` leaves a column narrower than 4 characters (Keras
 *   raises "Insufficient console width to print summary." in the same case).
 */
export function formatSummary(modelName: string, rows: readonly SummaryRow[], options: SummaryOptions): string {
  const lines = options.style === 'keras2' ? keras2Summary(modelName, rows, options) : keras3Summary(modelName, rows, options);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Keras 3: rich table

const KERAS3_POSITIONS = [0.45, 0.8, 1.0] as const;
const KERAS3_HEADER = ['Layer (type)', 'Output Shape', 'Param #'] as const;
const KERAS3_JUSTIFY: readonly Justify[] = ['left', 'left', 'right'];

type Justify = 'left' | 'right';

/** `format_layer_shape`: `(None, 4)`; a one-element shape is `(None)` (a join, not a tuple). */
function keras3Shape(shape: SummaryRow['outputShape']): string {
  if (shape === undefined) return '?'; // no inbound nodes and no build shapes
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

function keras3Summary(modelName: string, rows: readonly SummaryRow[], options: SummaryOptions): string[] {
  const lineLength = options.lineLength ?? 76;
  const widths = richColumnWidths(columnWidths(lineLength, KERAS3_POSITIONS), lineLength);
  const lines = [`Model: "${modelName}"`];
  const rule = (left: string, fill: string, mid: string, right: string): string =>
    left + widths.map((w) => fill.repeat(w)).join(mid) + right;

  lines.push(rule('┏', '━', '┳', '┓'));
  lines.push(...richRow(KERAS3_HEADER, widths, '┃'));
  lines.push(rule('┡', '━', '╇', '┩'));
  rows.forEach((row, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤')); // show_lines=True: a rule between rows only
    const params = row.outputShape === undefined ? '0 (unbuilt)' : formatThousands(row.params);
    lines.push(...richRow([`${row.name} (${row.className})`, keras3Shape(row.outputShape), params], widths, '│'));
  });
  lines.push(rule('└', '─', '┴', '┘'));

  const trainableBytes = options.trainableParams * BYTES_PER_PARAM;
  const nonTrainableBytes = options.nonTrainableParams * BYTES_PER_PARAM;
  const optimizer = options.optimizer;
  const totalParams = options.trainableParams + options.nonTrainableParams + (optimizer?.params ?? 0);
  const totalBytes = trainableBytes + nonTrainableBytes + (optimizer?.bytes ?? 0);
  const footer = (label: string, count: number, bytes: number): string =>
    ` ${label}: ${formatThousands(count)} (${readableMemorySize(bytes, MEMORY_UNITS_KERAS3)})`;
  lines.push(footer('Total params', totalParams, totalBytes));
  lines.push(footer('Trainable params', options.trainableParams, trainableBytes));
  lines.push(footer('Non-trainable params', options.nonTrainableParams, nonTrainableBytes));
  if (optimizer !== undefined) lines.push(footer('Optimizer params', optimizer.params, optimizer.bytes));
  return lines;
}

/** Keras' column widths: `int(pos * line_length) - current`, each at least 4. */
function columnWidths(lineLength: number, positions: readonly number[]): number[] {
  const widths: number[] = [];
  let current = 0;
  for (const pos of positions) {
    const width = Math.trunc(pos * lineLength) - current;
    if (width < 4) {
      throw new ValueError(`formatSummary: lineLength ${lineLength} is too narrow; every column needs at least 4 characters.`);
    }
    widths.push(width);
    current += width;
  }
  return widths;
}

/**
 * What rich 13 makes of Keras' requested widths. Each column asks for `width + 2` (one space of
 * padding each side) but the table must fit in `line_length` minus the borders, so rich takes
 * the excess off the columns evenly with `ratio_reduce` (Python `round`, ties to even): at 76
 * columns [34, 26, 16] + padding become [33, 24, 15]. Returns widths including padding.
 */
function richColumnWidths(requested: readonly number[], lineLength: number): number[] {
  const maxWidth = lineLength - (requested.length + 1); // outer edges and dividers
  let widths = requested.map((w) => Math.min(w + 2, maxWidth));
  const total = widths.reduce((a, b) => a + b, 0);
  // The requested widths sum to lineLength, so with padding the table is always too wide and
  // rich never takes its "expand" branch here.
  if (total > maxWidth) widths = ratioReduce(total - maxWidth, widths);
  return widths;
}

/** rich's `ratio_reduce(total, [1]*n, widths, widths)`: take `excess` off the columns in turn. */
function ratioReduce(excess: number, widths: readonly number[]): number[] {
  let remaining = excess;
  let ratioLeft = widths.filter((w) => w > 0).length;
  return widths.map((w) => {
    if (w <= 0 || ratioLeft <= 0) return w;
    const taken = Math.min(w, pyRound(remaining / ratioLeft));
    remaining -= taken;
    ratioLeft -= 1;
    return w - taken;
  });
}

/**
 * One table row: every cell wrapped to its width (minus padding), shorter cells padded with
 * blank lines at the bottom, cells joined by `divider`.
 */
function richRow(cells: readonly string[], widths: readonly number[], divider: string): string[] {
  const wrapped = cells.map((text, i) => richWrap(text, Math.max(0, (widths[i] ?? 0) - 2), KERAS3_JUSTIFY[i] ?? 'left'));
  const height = Math.max(...wrapped.map((c) => c.length));
  const out: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = wrapped.map((c, i) => {
      const content = c[line] ?? ' '.repeat(Math.max(0, (widths[i] ?? 0) - 2));
      return ` ${content} `;
    });
    out.push(divider + parts.join(divider) + divider);
  }
  return out;
}

/**
 * rich's text wrapping for a table cell (`Text.wrap` with the column's default overflow,
 * "ellipsis"): long text is **wrapped** at spaces, and a single word longer than the cell is put
 * on a line of its own and **truncated** with `…`. Each line comes back exactly `width`
 * characters wide. Characters are counted as one cell each (layer names are ASCII).
 */
function richWrap(text: string, width: number, justify: Justify): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    for (let line of divideLine(paragraph, width)) {
      // rstrip_end: drop trailing whitespace that lies beyond the width.
      if (line.length > width) {
        const trailing = /\s+$/.exec(line)?.[0].length ?? 0;
        line = line.slice(0, line.length - Math.min(trailing, line.length - width));
      }
      if (justify === 'right') line = line.replace(/\s+$/, '');
      if (line.length > width) line = `${line.slice(0, Math.max(0, width - 1))}…`;
      out.push(justify === 'right' ? line.padStart(width) : line.padEnd(width));
    }
  }
  return out;
}

/** rich `_wrap.divide_line` with `fold=False`, returning the pieces instead of the offsets. */
function divideLine(text: string, width: number): string[] {
  const word = /\s*\S+\s*/y;
  const breaks: number[] = [];
  let linePosition = 0;
  let start = 0;
  for (;;) {
    word.lastIndex = start;
    const match = word.exec(text);
    if (match === null) break;
    const piece = match[0];
    const length = piece.replace(/\s+$/, '').length;
    if (linePosition + length > width) {
      if (length > width) {
        if (start > 0) breaks.push(start);
        linePosition = piece.length;
      } else if (linePosition > 0 && start > 0) {
        breaks.push(start);
        linePosition = piece.length;
      }
    } else {
      linePosition += piece.length;
    }
    start = word.lastIndex;
  }
  const pieces: string[] = [];
  let from = 0;
  for (const at of breaks) {
    pieces.push(text.slice(from, at));
    from = at;
  }
  pieces.push(text.slice(from));
  return pieces;
}

// ---------------------------------------------------------------------------------------------
// Keras 2 (tf.keras 2.13–2.15): fixed-position text

const KERAS2_POSITIONS = [0.45, 0.85, 1.0] as const;

/** `str(tuple)`: `(None, 4)`, and the trailing comma of a one-element tuple `(None,)`. */
function keras2Shape(shape: SummaryRow['outputShape']): string {
  // An unbuilt layer has no output_shape; Keras catches the AttributeError and prints this.
  if (shape === undefined) return 'multiple';
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

function keras2Summary(modelName: string, rows: readonly SummaryRow[], options: SummaryOptions): string[] {
  const lineLength = options.lineLength ?? 65;
  const positions = KERAS2_POSITIONS.map((p) => Math.trunc(lineLength * p));
  const lines = [`Model: "${modelName}"`, '_'.repeat(lineLength)];
  lines.push(...keras2Row(['Layer (type)', 'Output Shape', 'Param #'], positions));
  lines.push('='.repeat(lineLength));
  for (const row of rows) {
    // tf.keras prints "0 (unused)" for a layer that was never built, and no thousands separators.
    const params = row.outputShape === undefined ? '0 (unused)' : String(row.params);
    lines.push(...keras2Row([`${row.name} (${row.className})`, keras2Shape(row.outputShape), params], positions));
    lines.push(' '.repeat(lineLength)); // the blank separator follows every layer, the last too
  }
  lines.push('='.repeat(lineLength));
  const trainable = options.trainableParams;
  const nonTrainable = options.nonTrainableParams;
  const memory = (count: number): string => readableMemorySize(count * BYTES_PER_PARAM, MEMORY_UNITS_KERAS2);
  // 2.13+ dropped the `{:,}` separators when it added memory sizes.
  lines.push(`Total params: ${trainable + nonTrainable} (${memory(trainable + nonTrainable)})`);
  lines.push(`Trainable params: ${trainable} (${memory(trainable)})`);
  lines.push(`Non-trainable params: ${nonTrainable} (${memory(nonTrainable)})`);
  lines.push('_'.repeat(lineLength));
  return lines;
}

/**
 * tf.keras `print_row`: each field is cut to its column (leaving two spaces, and one more before
 * the next column) and the rest goes on continuation lines, so long text **wraps** by
 * characters. Like Keras it prefers to break just after `),` `},` `],` `',` so nested shapes
 * split at element boundaries. Every line is padded to the last position.
 */
function keras2Row(fields: readonly string[], positions: readonly number[]): string[] {
  const left = [...fields];
  const last = positions.length - 1;
  const out: string[] = [];
  while (left.some((f) => f.length > 0)) {
    let line = '';
    left.forEach((field, col) => {
      const start = col > 0 ? (positions[col - 1] ?? 0) : 0;
      const end = positions[col] ?? 0;
      const space = col !== last ? 2 : 0;
      // Keras can loop forever when a column has no room; always consume at least one character.
      let cutoff = Math.max(1, end - start - space - (col !== last ? 1 : 0));
      let fit = field.slice(0, cutoff);
      const candidates = ['),', '},', '],', "',"].map((s) => (fit.indexOf(s) >= 0 ? fit.indexOf(s) + s.length : -1)).filter((c) => c >= 0);
      if (candidates.length > 0) {
        cutoff = Math.min(...candidates);
        fit = fit.slice(0, cutoff);
      }
      if (col === 0) line += ' ';
      line += fit + ' '.repeat(space);
      left[col] = field.slice(cutoff);
      line += ' '.repeat(Math.max(0, end - line.length));
    });
    out.push(line);
  }
  return out;
}

/** The rows of a layer stack with `inputs` features (undefined: not built yet, no shapes or counts). */
export function summaryRows(layers: readonly Layer[], inputs: number | undefined): SummaryRow[] {
  let width = inputs;
  return layers.map((layer, i) => {
    const layerInputs = width;
    // A Dropout's output has its input's shape.
    if (layer instanceof Dense) width = layer.units;
    return {
      name: layer.name ?? `${layer instanceof Dense ? 'dense' : 'dropout'}_${i}`,
      className: layer.className,
      outputShape: inputs === undefined || width === undefined ? undefined : [null, width],
      params: layerInputs === undefined ? 0 : layer.countParams(layerInputs),
    };
  });
}

/**
 * The optimizer's variables Keras 3 lists after training: iterations (int64), the learning rate,
 * and `slotsPerParameter` per parameter (Adam: m and v).
 */
export function optimizerVariables(params: number, slotsPerParameter: number): { readonly params: number; readonly bytes: number } {
  return { params: slotsPerParameter * params + 2, bytes: 8 + 4 + 4 * slotsPerParameter * params };
}

/** What Sequential.summary() reads of its model. */
export interface SummarySource {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly inputs: number | undefined;
  readonly params: number;
  readonly optimizer: Optimizer | undefined;
  /** Optimizer steps taken: after training Keras 3 lists the optimizer's variables. */
  readonly steps: number;
}

/** Sequential.summary(): checks its options, formats Keras's table, prints it with `print` (console.log by default) and returns it. */
export function printSummary(
  model: SummarySource,
  options: { readonly style?: 'keras3' | 'keras2'; readonly print?: (text: string) => void } | undefined,
): string {
  const given = optionsOf(options, 'summary');
  const style = oneOf(given.style ?? 'keras3', ['keras3', 'keras2'], 'summary style');
  optionalFunction(given.print, 'summary print');
  const slots = model.optimizer ? stateSlotsPerParameter(model.optimizer.hyperparameters) : 2;
  const text = formatSummary(model.name, summaryRows(model.layers, model.inputs), {
    style,
    trainableParams: model.params,
    nonTrainableParams: 0,
    ...(model.steps > 0 ? { optimizer: optimizerVariables(model.params, slots) } : {}),
  });
  (given.print ?? console.log)(text);
  return text;
}
