import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError, parseCsv, toCsv } from '../../src/components/lib/csv.js';

const rows = (labels: readonly (number | string)[]): string => labels.map((l, i) => `${i / 10},${-i / 10},${l}`).join('\n');

test('the task is read from the labels', () => {
  const binary = parseCsv(`x1,x2,label\n${rows([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])}`);
  assert.equal(binary.task, 'binary');
  assert.equal(binary.classes, 2);
  const multi = parseCsv(rows([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]));
  assert.equal(multi.task, 'multiclass');
  assert.equal(multi.classes, 4);
  const values = parseCsv(rows([0.5, -1.25, 3, 0, 1, 2, 0.1, 0.2, 0.3, 0.4]));
  assert.equal(values.task, 'regression');
  assert.equal(values.points[1]!.label, -1.25);
  // Whole numbers with a "value" header are regression targets.
  assert.equal(parseCsv(`x1,x2,value\n${rows([0, 1, 2, 3, 0, 1, 2, 3, 0, 1])}`).task, 'regression');
  // Labels beyond the palette's 6 classes are not classes.
  assert.equal(parseCsv(rows([0, 7, 2, 3, 0, 1, 2, 3, 0, 1])).task, 'regression');
});

test('bad files are rejected with a reason', () => {
  assert.throws(
    () => parseCsv(rows([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])),
    (e: unknown) => e instanceof CsvError && /two classes/.test(e.message),
  );
  assert.throws(() => parseCsv(rows([0, 1, 'x', 0, 1, 0, 1, 0, 1, 0])), CsvError);
  assert.throws(() => parseCsv(rows([0, 1, 2e7, 0, 1, 0, 1, 0, 1, 0])), CsvError);
});

test('toCsv writes the header of the task and reads back', () => {
  const data = parseCsv(rows([0.5, -1.25, 3, 0, 1, 2, 0.1, 0.2, 0.3, 0.4]));
  const text = toCsv(data.points, 'regression');
  assert.match(text, /^x1,x2,value\n/);
  assert.deepEqual(parseCsv(text), data);
});
