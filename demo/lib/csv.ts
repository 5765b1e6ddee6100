/**
 * Strict parser of the playground's CSV format: one point per line, `x1,x2,label`, label 0 or
 * 1, an optional header line, blank lines and `#` comments ignored. The file is untrusted:
 * sizes are limited and the first problem is reported with its line number.
 */
import { LIMITS, type Point } from './state.js';

export class CsvError extends Error {
  override readonly name = 'CsvError';
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Six significant digits: what a shared link carries, so a link reproduces the CSV's run. */
const round = (v: number): number => Number(v.toPrecision(6));

export function parseCsv(text: string): Point[] {
  if (text.length > LIMITS.csvBytes) throw new CsvError(`The file is larger than ${LIMITS.csvBytes / 1e6} MB.`);
  const lines = text.split(/\r\n|\n|\r/);
  const points: Point[] = [];
  let sawData = false;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    const where = `Line ${i + 1}`;
    if (!sawData && fields.length === 3 && fields.some((f) => !NUMBER.test(f))) {
      // A header such as x1,x2,label: only the first non-empty line may be one.
      if (fields.every((f) => /^"?[A-Za-z_][\w .-]{0,30}"?$/.test(f))) {
        sawData = true;
        continue;
      }
    }
    sawData = true;
    if (fields.length !== 3) throw new CsvError(`${where}: expected 3 comma-separated values (x1,x2,label), found ${fields.length}.`);
    const [xs, ys, ls] = fields as [string, string, string];
    for (const [name, field] of [['x1', xs], ['x2', ys], ['label', ls]] as const) {
      if (!NUMBER.test(field)) throw new CsvError(`${where}: ${name} "${field.slice(0, 20)}" is not a number.`);
    }
    const x = Number(xs);
    const y = Number(ys);
    const label = Number(ls);
    if (Math.abs(x) > LIMITS.coordinate || Math.abs(y) > LIMITS.coordinate) {
      throw new CsvError(`${where}: coordinates must be within ±${LIMITS.coordinate.toExponential(0)}.`);
    }
    if (label !== 0 && label !== 1) throw new CsvError(`${where}: label must be 0 or 1, found ${ls.slice(0, 20)}.`);
    if (points.length >= LIMITS.csvRows[1]) throw new CsvError(`The file has more than ${LIMITS.csvRows[1].toLocaleString('en-US')} points.`);
    points.push({ x: round(x), y: round(y), label });
  }
  if (points.length < LIMITS.csvRows[0]) throw new CsvError(`The file has ${points.length} points; at least ${LIMITS.csvRows[0]} are needed.`);
  if (!points.some((p) => p.label === 0) || !points.some((p) => p.label === 1)) {
    throw new CsvError('The file needs points of both classes (label 0 and label 1).');
  }
  return points;
}

/** The CSV text of points (what "Download CSV" writes). */
export function toCsv(points: Iterable<Point>): string {
  let text = 'x1,x2,label\n';
  for (const p of points) text += `${p.x},${p.y},${p.label}\n`;
  return text;
}
