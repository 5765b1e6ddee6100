import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edgePath, layoutNetwork, type LayoutOptions } from '../../src/components/lib/network-layout.js';

const O: LayoutOptions = { gap: 10, columnGap: 100, maxRows: 10, smallSize: 16, smallGap: 4, top: 40, bottom: 30, left: 60, right: 20 };

test('columns left to right, units stacked and centred on the tallest column', () => {
  const layout = layoutNetwork(
    [
      { count: 2, size: 30 },
      { count: 4, size: 30 },
      { count: 1, size: 60 },
    ],
    O,
  );
  const [input, hidden, output] = layout.columns;
  assert.equal(layout.height, 40 + 4 * 30 + 3 * 10 + 30);
  assert.deepEqual([input!.x, hidden!.x, output!.x], [60, 60 + 30 + 100, 60 + 30 + 100 + 30 + 100]);
  assert.equal(layout.width, output!.x + 60 + 20);
  assert.deepEqual(
    hidden!.units.map((u) => u.y),
    [40, 80, 120, 160],
  );
  // Centred: the middle of every column is the middle of the tallest.
  const middle = (units: readonly { y: number; size: number }[]) => (units[0]!.y + units.at(-1)!.y + units.at(-1)!.size) / 2;
  for (const column of layout.columns) assert.equal(middle(column.units), 40 + 75);
  assert.equal(output!.units[0]!.size, 60);
});

test('a column taller than maxRows units wraps into sub-columns of small thumbnails within the height', () => {
  const layout = layoutNetwork(
    [
      { count: 2, size: 30 },
      { count: 10, size: 30 },
      { count: 128, size: 30 },
      { count: 1, size: 30 },
    ],
    O,
  );
  const inner = 10 * 30 + 9 * 10;
  assert.equal(layout.height, 40 + inner + 30);
  const wide = layout.columns[2]!;
  const rows = Math.floor((inner + 4) / 20);
  assert.equal(wide.units.length, 128);
  assert.ok(wide.units.every((u) => u.size === 16 && u.y >= 40 && u.y + u.size <= 40 + inner));
  assert.equal(wide.width, Math.ceil(128 / rows) * 20 - 4);
  assert.equal(new Set(wide.units.map((u) => `${u.x},${u.y}`)).size, 128); // no two overlap
  assert.equal(layout.columns[3]!.x, wide.x + wide.width + 100);
});

test('edgePath runs from the right middle of one box to the left middle of the next', () => {
  assert.equal(edgePath({ x: 0, y: 0, size: 10 }, { x: 100, y: 40, size: 20 }), 'M10 5C55 5 55 50 100 50');
});

test('an empty network lays out to its margins', () => {
  const layout = layoutNetwork([], O);
  assert.deepEqual([layout.width, layout.height, layout.columns.length], [80, 70, 0]);
});

test('with a width, columns spread to fill it, gaps between columnGap and maxColumnGap', () => {
  const columns = [
    { count: 2, size: 30 },
    { count: 4, size: 30 },
    { count: 1, size: 60 },
  ];
  const natural = layoutNetwork(columns, O);
  const wide = layoutNetwork(columns, { ...O, width: natural.width + 50, maxColumnGap: 200 });
  assert.equal(wide.width, natural.width + 50);
  assert.deepEqual(
    wide.columns.map((c) => c.x),
    natural.columns.map((c, i) => c.x + i * 25),
  );
  assert.deepEqual(wide.columns[2]!.units[0]!.x, natural.columns[2]!.units[0]!.x + 50);
  // Capped by maxColumnGap; never narrower than columnGap allows.
  assert.equal(layoutNetwork(columns, { ...O, width: 5000, maxColumnGap: 150 }).width, natural.width + 2 * 50);
  assert.equal(layoutNetwork(columns, { ...O, width: 100, maxColumnGap: 150 }).width, natural.width);
});
