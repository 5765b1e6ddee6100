/**
 * Strict parser of the playground's CSV format: one point per line, `x1,x2,label` (a class) or
 * `x1,x2,value` (a regression target), an optional header line, blank lines and `#` comments
 * ignored. The file is untrusted: sizes are limited and the first problem is reported with its
 * line number.
 *
 * The task is read from the file: a header naming the third column value/target/y/z makes it
 * regression; otherwise labels 0 and 1 make it binary, whole numbers 0…k−1 (k ≤ 6) multi-class,
 * and any other numbers regression.
 */
import type { BuiltData } from './data.js';
import { LIMITS, type Point, type Task } from './state.js';

/** A parsed CSV: its points and what their third value is. */
export interface CsvData {
  readonly points: Point[];
  readonly task: Task;
  /** Classes (2 for binary; k for multi-class; 1 for regression). */
  readonly classes: number;
}

const VALUE_HEADER = /^"?(value|target|y|z|f|output)"?$/i;

export class CsvError extends Error {
  override readonly name = 'CsvError';
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Six significant digits: what a shared link carries, so a link reproduces the CSV's run. */
const round = (v: number): number => Number(v.toPrecision(6));

export function parseCsv(text: string): CsvData {
  if (text.length > LIMITS.csvBytes) throw new CsvError(`The file is larger than ${LIMITS.csvBytes / 1e6} MB.`);
  const lines = text.split(/\r\n|\n|\r/);
  const points: Point[] = [];
  let sawData = false;
  let valuesByHeader = false;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    const where = `Line ${i + 1}`;
    if (!sawData && fields.length === 3 && fields.some((f) => !NUMBER.test(f))) {
      // A header such as x1,x2,label: only the first non-empty line may be one.
      if (fields.every((f) => /^"?[A-Za-z_][\w .-]{0,30}"?$/.test(f))) {
        sawData = true;
        valuesByHeader = VALUE_HEADER.test(fields[2]!);
        continue;
      }
    }
    sawData = true;
    if (fields.length !== 3) throw new CsvError(`${where}: expected 3 comma-separated values (x1,x2,label), found ${fields.length}.`);
    const [xs, ys, ls] = fields as [string, string, string];
    for (const [name, field] of [
      ['x1', xs],
      ['x2', ys],
      ['label', ls],
    ] as const) {
      if (!NUMBER.test(field)) throw new CsvError(`${where}: ${name} "${field.slice(0, 20)}" is not a number.`);
    }
    const x = Number(xs);
    const y = Number(ys);
    const label = Number(ls);
    if (Math.abs(x) > LIMITS.coordinate || Math.abs(y) > LIMITS.coordinate) {
      throw new CsvError(`${where}: coordinates must be within ±${LIMITS.coordinate.toExponential(0)}.`);
    }
    if (Math.abs(label) > LIMITS.value) throw new CsvError(`${where}: the third value must be within ±${LIMITS.value.toExponential(0)}.`);
    if (points.length >= LIMITS.csvRows[1])
      throw new CsvError(`The file has more than ${LIMITS.csvRows[1].toLocaleString('en-US')} points.`);
    points.push({ x: round(x), y: round(y), label: round(label) });
  }
  if (points.length < LIMITS.csvRows[0])
    throw new CsvError(`The file has ${points.length} points; at least ${LIMITS.csvRows[0]} are needed.`);
  const [, maxClasses] = LIMITS.csvClasses;
  const classLike = points.every((p) => Number.isInteger(p.label) && p.label >= 0 && p.label < maxClasses);
  if (valuesByHeader || !classLike) return { points, task: 'regression', classes: 1 };
  const present = new Set(points.map((p) => p.label));
  if (present.size < 2)
    throw new CsvError(
      `Every point has label ${points[0]!.label}: a classifier needs at least two classes (or name the column "value" for regression).`,
    );
  const classes = Math.max(...present) + 1;
  return { points, task: classes === 2 ? 'binary' : 'multiclass', classes };
}

/** Every point of the data, training then validation, as "Download CSV" writes them. */
export function dataPoints(data: Pick<BuiltData, 'train' | 'validation'>): Point[] {
  const points: Point[] = [];
  for (const set of [data.train, data.validation]) {
    for (let i = 0; i < set.nSamples; i++) points.push({ x: set.x[2 * i]!, y: set.x[2 * i + 1]!, label: set.y[i]! });
  }
  return points;
}

/** The CSV text of points (what "Download CSV" writes). */
export function toCsv(points: Iterable<Point>, task: Task = 'binary'): string {
  let text = task === 'regression' ? 'x1,x2,value\n' : 'x1,x2,label\n';
  for (const p of points) text += `${p.x},${p.y},${p.label}\n`;
  return text;
}
