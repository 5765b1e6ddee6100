import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { MEMORY_UNITS_KERAS2, formatThousands, pyExp, pyFixed, pyRound, readableMemorySize } from '../../src/model/python-format.js';
import { formatSummary, type SummaryRow } from '../../src/model/summary.js';

// Expected texts are keras-semantics.md §7: the Keras 3 table was rendered with rich 13.3.1 at
// width 76; the tf.keras 2.15 one follows layer_utils.print_summary (rows padded to 65 columns).

const circlesRows: readonly SummaryRow[] = [
  { name: 'dense', className: 'Dense', outputShape: [null, 4], params: 12 },
  { name: 'dense_1', className: 'Dense', outputShape: [null, 1], params: 5 },
];

const K3_TABLE = [
  'Model: "sequential"',
  '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
  '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
  '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
  '│ dense (Dense)                   │ (None, 4)              │            12 │',
  '├─────────────────────────────────┼────────────────────────┼───────────────┤',
  '│ dense_1 (Dense)                 │ (None, 1)              │             5 │',
  '└─────────────────────────────────┴────────────────────────┴───────────────┘',
];

test('keras3 summary of the make_circles MLP matches §7 byte for byte', () => {
  const text = formatSummary('sequential', circlesRows, { trainableParams: 17, nonTrainableParams: 0 });
  const expected = [
    ...K3_TABLE,
    ' Total params: 17 (68.00 B)',
    ' Trainable params: 17 (68.00 B)',
    ' Non-trainable params: 0 (0.00 B)',
  ].join('\n');
  assert.equal(text, expected);
  assert.equal(
    formatSummary('sequential', circlesRows, { style: 'keras3', lineLength: 76, trainableParams: 17, nonTrainableParams: 0 }),
    expected,
  );
});

test('keras3 summary after fit adds the Adam variables to Total and an Optimizer params line', () => {
  // Adam on P=17: iterations (int64, 8 B) + learning rate (4 B) + m and v (2 × 17 float32).
  const text = formatSummary('sequential', circlesRows, {
    trainableParams: 17,
    nonTrainableParams: 0,
    optimizer: { params: 36, bytes: 148 },
  });
  assert.equal(
    text,
    [
      ...K3_TABLE,
      ' Total params: 53 (216.00 B)',
      ' Trainable params: 17 (68.00 B)',
      ' Non-trainable params: 0 (0.00 B)',
      ' Optimizer params: 36 (148.00 B)',
    ].join('\n'),
  );
});

test('keras2 summary matches §7: 65 columns, blank 65-space separators, Byte units', () => {
  const text = formatSummary('sequential', circlesRows, { style: 'keras2', trainableParams: 17, nonTrainableParams: 0 });
  const expected = [
    'Model: "sequential"',
    '_'.repeat(65),
    ' Layer (type)                Output Shape              Param #'.padEnd(65),
    '='.repeat(65),
    ' dense (Dense)               (None, 4)                 12'.padEnd(65),
    ' '.repeat(65),
    ' dense_1 (Dense)             (None, 1)                 5'.padEnd(65),
    ' '.repeat(65),
    '='.repeat(65),
    'Total params: 17 (68.00 Byte)',
    'Trainable params: 17 (68.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_'.repeat(65),
  ].join('\n');
  assert.equal(text, expected);
  // The optimizer never appears in a tf.keras summary.
  assert.equal(
    formatSummary('sequential', circlesRows, {
      style: 'keras2',
      trainableParams: 17,
      nonTrainableParams: 0,
      optimizer: { params: 36, bytes: 148 },
    }),
    expected,
  );
});

const wideRows: readonly SummaryRow[] = [
  { name: 'dense', className: 'Dense', outputShape: [null, 128], params: 2 * 128 + 128 },
  { name: 'dense_1', className: 'Dense', outputShape: [null, 128], params: 128 * 128 + 128 },
  { name: 'dense_2', className: 'Dense', outputShape: [null, 1], params: 128 + 1 },
];

test('keras3: thousands separators in rows and footer, KB sizes (2→128→128→1 = 17,025 params)', () => {
  const lines = formatSummary('sequential', wideRows, { trainableParams: 17025, nonTrainableParams: 0 }).split('\n');
  assert.equal(lines[4], '│ dense (Dense)                   │ (None, 128)            │           384 │');
  assert.equal(lines[6], '│ dense_1 (Dense)                 │ (None, 128)            │        16,512 │');
  assert.equal(lines[8], '│ dense_2 (Dense)                 │ (None, 1)              │           129 │');
  assert.deepEqual(lines.slice(-3), [
    ' Total params: 17,025 (66.50 KB)',
    ' Trainable params: 17,025 (66.50 KB)',
    ' Non-trainable params: 0 (0.00 B)',
  ]);
});

test('keras2: no thousands separators (tf.keras 2.13+), KB sizes', () => {
  const lines = formatSummary('sequential', wideRows, { style: 'keras2', trainableParams: 17025, nonTrainableParams: 0 }).split('\n');
  assert.equal(lines[6], ' dense_1 (Dense)             (None, 128)               16512'.padEnd(65));
  assert.deepEqual(lines.slice(-4, -1), [
    'Total params: 17025 (66.50 KB)',
    'Trainable params: 17025 (66.50 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
  ]);
});

test('MB sizes and non-trainable parameters', () => {
  const rows: SummaryRow[] = [{ name: 'big', className: 'Dense', outputShape: [null, 1000], params: 1_001_000 }];
  const lines = formatSummary('m', rows, { trainableParams: 1_001_000, nonTrainableParams: 24 }).split('\n');
  assert.equal(lines[4], '│ big (Dense)                     │ (None, 1000)           │     1,001,000 │');
  assert.deepEqual(lines.slice(-3), [
    ' Total params: 1,001,024 (3.82 MB)',
    ' Trainable params: 1,001,000 (3.82 MB)',
    ' Non-trainable params: 24 (96.00 B)',
  ]);
});

test('unbuilt layers: "?" and "0 (unbuilt)" in keras3, "multiple" and "0 (unused)" in keras2', () => {
  const rows: SummaryRow[] = [
    { name: 'dense', className: 'Dense', outputShape: undefined, params: 0 },
    { name: 'dense_1', className: 'Dense', outputShape: undefined, params: 0 },
  ];
  const k3 = formatSummary('sequential', rows, { trainableParams: 0, nonTrainableParams: 0 }).split('\n');
  assert.equal(k3[4], '│ dense (Dense)                   │ ?                      │   0 (unbuilt) │');
  assert.equal(k3[6], '│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │');
  assert.equal(k3.at(-3), ' Total params: 0 (0.00 B)');
  const k2 = formatSummary('sequential', rows, { style: 'keras2', trainableParams: 0, nonTrainableParams: 0 }).split('\n');
  assert.equal(k2[4], ' dense (Dense)               multiple                  0 (unused)');
});

test('keras3: long names wrap at spaces; a word longer than the cell is truncated with …', () => {
  const rows: SummaryRow[] = [
    { name: 'my dense layer number one', className: 'Dense', outputShape: [null, 4], params: 12 },
    { name: 'a_really_long_layer_name_for_testing', className: 'Dense', outputShape: [null, 1], params: 5 },
  ];
  const lines = formatSummary('sequential', rows, { trainableParams: 17, nonTrainableParams: 0 }).split('\n');
  assert.deepEqual(lines.slice(4, 10), [
    '│ my dense layer number one       │ (None, 4)              │            12 │',
    '│ (Dense)                         │                        │               │',
    '├─────────────────────────────────┼────────────────────────┼───────────────┤',
    '│ a_really_long_layer_name_for_t… │ (None, 1)              │             5 │',
    '│ (Dense)                         │                        │               │',
    '└─────────────────────────────────┴────────────────────────┴───────────────┘',
  ]);
  for (const line of lines.slice(1, 10)) assert.equal(line.length, 76);
});

test('keras2: long names wrap by characters onto continuation lines', () => {
  const rows: SummaryRow[] = [{ name: 'a_really_long_layer_name_for_testing', className: 'Dense', outputShape: [null, 1], params: 5 }];
  const lines = formatSummary('s', rows, { style: 'keras2', trainableParams: 5, nonTrainableParams: 0 }).split('\n');
  assert.deepEqual(lines.slice(4, 7), [
    ' a_really_long_layer_name_f  (None, 1)                 5'.padEnd(65),
    ' or_testing (Dense)'.padEnd(65),
    ' '.repeat(65),
  ]);
});

test('keras3 at other widths: rich shrinks the columns evenly (88 → 38/29/17 cells)', () => {
  const lines = formatSummary('sequential', circlesRows, { lineLength: 88, trainableParams: 17, nonTrainableParams: 0 }).split('\n');
  assert.equal(lines[1], `┏${'━'.repeat(38)}┳${'━'.repeat(29)}┳${'━'.repeat(17)}┓`);
  assert.equal(lines[4], `│ ${'dense (Dense)'.padEnd(36)} │ ${'(None, 4)'.padEnd(27)} │ ${'12'.padStart(15)} │`);
  assert.throws(() => formatSummary('s', circlesRows, { lineLength: 8, trainableParams: 0, nonTrainableParams: 0 }), ValueError);
});

test('shapes: keras3 joins dims, keras2 prints Python tuples', () => {
  const rows: SummaryRow[] = [{ name: 'x', className: 'Flatten', outputShape: [null], params: 0 }];
  assert.match(formatSummary('m', rows, { trainableParams: 0, nonTrainableParams: 0 }), /│ \(None\) {17}│/);
  assert.match(formatSummary('m', rows, { style: 'keras2', trainableParams: 0, nonTrainableParams: 0 }), / \(None,\) /);
});

test('an empty model still draws the header and closes the table', () => {
  const lines = formatSummary('empty', [], { trainableParams: 0, nonTrainableParams: 0 }).split('\n');
  assert.deepEqual(lines.slice(3, 5), [
    '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
    '└─────────────────────────────────┴────────────────────────┴───────────────┘',
  ]);
});

test('Python-compatible number formatting', () => {
  assert.equal(formatThousands(0), '0');
  assert.equal(formatThousands(999), '999');
  assert.equal(formatThousands(1234), '1,234');
  assert.equal(formatThousands(1234567), '1,234,567');
  assert.equal(formatThousands(-1234), '-1,234');
  assert.equal(readableMemorySize(68), '68.00 B');
  assert.equal(readableMemorySize(1023), '1023.00 B');
  assert.equal(readableMemorySize(1024), '1.00 KB');
  assert.equal(readableMemorySize(1152), '1.12 KB', '1.125 is an exact tie: Python rounds it to even');
  assert.equal(readableMemorySize(68, MEMORY_UNITS_KERAS2), '68.00 Byte');
  assert.equal(pyFixed(0.125, 2), '0.12');
  assert.equal(pyFixed(0.375, 2), '0.38');
  assert.equal(pyFixed(2.5, 0), '2');
  assert.equal(pyFixed(3.5, 0), '4');
  assert.equal(pyFixed(-0.00001, 4), '-0.0000');
  assert.equal(pyFixed(-0, 2), '-0.00');
  assert.equal(pyFixed(1e21, 1), '1000000000000000000000.0');
  assert.equal(pyFixed(0.1, 20), '0.10000000000000000555');
  assert.equal(pyExp(0.0001, 4), '1.0000e-04');
  assert.equal(pyExp(0.00012345678, 4), '1.2346e-04');
  assert.equal(pyExp(123456, 4), '1.2346e+05');
  assert.equal(pyExp(12344.5, 4), '1.2344e+04');
  assert.equal(pyExp(12345.5, 4), '1.2346e+04');
  assert.equal(pyExp(9.99995, 4), '1.0000e+01');
  assert.equal(pyExp(0, 4), '0.0000e+00');
  assert.equal(pyExp(-0, 4), '-0.0000e+00');
  assert.equal(pyExp(1e-300, 4), '1.0000e-300');
  assert.equal(pyExp(5e-324, 4), '4.9407e-324');
  assert.equal(pyExp(12345, 0), '1e+04');
  assert.equal(pyFixed(NaN, 4), 'nan');
  assert.equal(pyExp(-Infinity, 4), '-inf');
  assert.deepEqual([0.5, 1.5, 2.5, 3.5, 3.33, -0.5].map(pyRound), [0, 2, 2, 4, 3, 0]);
});
