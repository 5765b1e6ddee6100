import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressLogger, formatEpochLine, formatLogValue, orderLogKeys, type LogStyle } from '../../src/model/progress.js';
import type { Logs } from '../../src/model/callbacks.js';

// Expected lines follow keras-semantics.md §6 (Keras 3 progbar.py / progbar_logger.py and
// tf.keras 2.x generic_utils.Progbar). Clocks are fake, so every time in the text is exact.

const EPOCH_LOGS: Logs = { loss: 0.3921, accuracy: 0.845, val_loss: 0.3702, val_accuracy: 0.86 };

interface Harness {
  readonly logger: ProgressLogger;
  readonly writes: string[];
  readonly clock: { t: number };
}

function harness(options: { verbose: 0 | 1 | 2; epochs?: number; steps: number; style?: LogStyle; interactive?: boolean }): Harness {
  const writes: string[] = [];
  const clock = { t: 0 };
  const logger = new ProgressLogger({
    verbose: options.verbose,
    epochs: options.epochs ?? 1,
    steps: options.steps,
    ...(options.style === undefined ? {} : { style: options.style }),
    interactive: options.interactive ?? false,
    write: (text) => writes.push(text),
    now: () => clock.t,
  });
  return { logger, writes, clock };
}

/**
 * One epoch of `steps` batches: a 1 s warm-up first step, then `stepMs` per step, then `tailMs`
 * (validation) before the epoch ends.
 */
function runEpoch(h: Harness, steps: number, stepMs: number, epoch = 0, tailMs = 0): void {
  h.logger.onEpochBegin(epoch);
  for (let step = 0; step < steps; step++) {
    h.clock.t += step === 0 ? 1000 : stepMs;
    h.logger.onBatchEnd(step, { loss: 0.5 - step / 1000, accuracy: 0.5 + step / 1000 });
  }
  h.clock.t += tailMs;
  h.logger.onEpochEnd(epoch, EPOCH_LOGS);
}

const K3_FINAL = '25/25 ━━━━━━━━━━━━━━━━━━━━ 1s 5ms/step - accuracy: 0.8450 - loss: 0.3921 - val_accuracy: 0.8600 - val_loss: 0.3702';

test('keras3 verbose=1, not a terminal: only the final line, exactly as in §6', () => {
  const h = harness({ verbose: 1, steps: 25 });
  h.logger.onTrainBegin();
  runEpoch(h, 25, 5);
  // 1 s warm-up + 24 × 5 ms: elapsed 1.12 s → "1s"; the first step is left out → 5ms/step.
  assert.deepEqual(h.writes, [`${K3_FINAL}\n`]);
});

test('keras3 verbose=1 with 125 steps: step counter of 3 digits, per-step time excludes step 1', () => {
  const h = harness({ verbose: 1, steps: 125 });
  runEpoch(h, 125, 2, 0, 6);
  // (2 ms × 124 + 6 ms of validation) / 124 = 2.05 ms → "2ms"; elapsed 1.254 s → "1s".
  assert.deepEqual(h.writes, [
    '125/125 ━━━━━━━━━━━━━━━━━━━━ 1s 2ms/step - accuracy: 0.8450 - loss: 0.3921 - val_accuracy: 0.8600 - val_loss: 0.3702\n',
  ]);
});

test('keras3 verbose=2: one line per epoch, per-step time over the whole epoch', () => {
  const h = harness({ verbose: 2, steps: 25 });
  h.logger.onEpochBegin(0);
  h.clock.t = 1000;
  h.logger.onEpochEnd(0, EPOCH_LOGS);
  assert.deepEqual(h.writes, ['25/25 - 1s - 40ms/step - accuracy: 0.8450 - loss: 0.3921 - val_accuracy: 0.8600 - val_loss: 0.3702\n']);
});

test('"Epoch e/N" header only when epochs > 1 (verbose 1 and 2), nothing at all at verbose 0', () => {
  const many = harness({ verbose: 1, epochs: 10, steps: 25 });
  runEpoch(many, 25, 5, 0);
  runEpoch(many, 25, 5, 1);
  assert.deepEqual(many.writes, ['Epoch 1/10\n', `${K3_FINAL}\n`, 'Epoch 2/10\n', `${K3_FINAL}\n`]);

  const v2 = harness({ verbose: 2, epochs: 3, steps: 25 });
  runEpoch(v2, 25, 5, 2);
  assert.equal(v2.writes[0], 'Epoch 3/3\n');

  const one = harness({ verbose: 1, epochs: 1, steps: 25 });
  runEpoch(one, 25, 5);
  assert.ok(!one.writes.some((w) => w.startsWith('Epoch')));

  const silent = harness({ verbose: 0, epochs: 10, steps: 25, interactive: true });
  runEpoch(silent, 25, 5);
  assert.deepEqual(silent.writes, []);
});

test('interactive redraws are throttled to one per 50 ms of the injected clock', () => {
  const h = harness({ verbose: 1, steps: 100, interactive: true });
  h.logger.onEpochBegin(0);
  for (let step = 0; step < 100; step++) {
    h.clock.t += 10;
    h.logger.onBatchEnd(step, { loss: 0.5 });
  }
  // Steps 1, 6, 11, ..., 96 are drawn (20 redraws); the rest come less than 50 ms after a draw.
  assert.equal(h.writes.length, 20);
  assert.ok(h.writes.every((w) => !w.endsWith('\n')));
  h.clock.t += 1;
  h.logger.onEpochEnd(0, { loss: 0.25 });
  assert.equal(h.writes.length, 21, 'the final line is never throttled');
  assert.ok(h.writes[20]?.endsWith('\n'));
  assert.ok(h.writes[20]?.includes('100/100'));
});

test('interactive keras3 line: \\r redraw, ANSI bold/green/white, ETA, back-spaces and padding', () => {
  const h = harness({ verbose: 1, steps: 3, interactive: true });
  h.logger.onEpochBegin(0);
  h.clock.t = 100;
  h.logger.onBatchEnd(0, { loss: 0.5 });
  const first = '\r\x1b[1m1/3\x1b[0m \x1b[32m━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 100ms/step - loss: 0.5000';
  assert.deepEqual(h.writes, [first]);
  const firstWidth = '1/3 ━━━━━━━━━━━━━━━━━━━━ 0s 100ms/step - loss: 0.5000'.length;

  h.clock.t = 120;
  h.logger.onBatchEnd(1, { loss: 0.25 }); // 20 ms after the last draw: skipped
  assert.equal(h.writes.length, 1);

  h.clock.t = 200;
  h.logger.onBatchEnd(2, { loss: 0.125 });
  h.clock.t = 210;
  h.logger.onEpochEnd(0, { loss: 0.125 });
  // Step 3 of 3 is a full bar but not final yet: it still shows an ETA ("0s"). The line is one
  // character narrower than the first ("50ms" vs "100ms"), so one space blanks out the leftover.
  const third = '3/3 ━━━━━━━━━━━━━━━━━━━━ 0s 50ms/step - loss: 0.1250';
  assert.equal(firstWidth - third.length, 1);
  assert.equal(
    h.writes[1],
    `${'\b'.repeat(firstWidth)}\r\x1b[1m3/3\x1b[0m \x1b[32m${'━'.repeat(20)}\x1b[0m\x1b[37m\x1b[0m \x1b[1m0s\x1b[0m 50ms/step - loss: 0.1250 `,
  );
  // Final: elapsed instead of ETA, (210 - 100) / 2 = 55 ms/step (step 1 left out), and a newline.
  assert.equal(
    h.writes[2],
    `${'\b'.repeat(third.length)}\r\x1b[1m3/3\x1b[0m \x1b[32m${'━'.repeat(20)}\x1b[0m\x1b[37m\x1b[0m \x1b[1m0s\x1b[0m 55ms/step - loss: 0.1250\n`,
  );
  assert.equal(h.writes.length, 3);
});

test('interactive mid-epoch: step counter right-aligned to the digits of N', () => {
  const h = harness({ verbose: 1, steps: 125, interactive: true, style: 'keras3' });
  h.logger.onEpochBegin(0);
  h.clock.t = 10;
  h.logger.onBatchEnd(0, { loss: 1 });
  // 10 ms per step × 124 remaining = 1.24 s → ETA "1s".
  assert.equal(h.writes[0]?.replace(/\x1b\[[0-9;]*m/g, ''), `\r  1/125 ${'━'.repeat(20)} 1s 10ms/step - loss: 1.0000`);
});

test('keys: keras3 sorts alphabetically; keras2 puts loss first and val_ keys last', () => {
  const keys = ['val_loss', 'loss', 'val_accuracy', 'accuracy'];
  assert.deepEqual(orderLogKeys(keys, 'keras3'), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.deepEqual(orderLogKeys(['accuracy', 'val_accuracy', 'auc', 'loss', 'val_loss', 'val_auc'], 'keras2'), [
    'loss',
    'accuracy',
    'auc',
    'val_loss',
    'val_accuracy',
    'val_auc',
  ]);
  const h = harness({ verbose: 2, steps: 25 });
  h.logger.onEpochBegin(0);
  h.logger.onEpochEnd(0, { val_loss: 1, loss: 2, val_accuracy: 0.5, accuracy: 0.25 });
  assert.match(h.writes[0] ?? '', / - accuracy: 0\.2500 - loss: 2\.0000 - val_accuracy: 0\.5000 - val_loss: 1\.0000\n$/);
});

test('value formatting: {:.4f} above 1e-3, Python {:.4e} below; abs only at verbose 1', () => {
  assert.equal(formatLogValue(0.60491234, 'keras3'), '0.6049');
  assert.equal(formatLogValue(0.0001, 'keras3'), '1.0000e-04');
  assert.equal(formatLogValue(0.001, 'keras3'), '1.0000e-03', 'the test is strictly greater than 1e-3');
  assert.equal(formatLogValue(0.0010001, 'keras3'), '0.0010');
  assert.equal(formatLogValue(123456.789, 'keras2'), '123456.7890');
  assert.equal(formatLogValue(0, 'keras3'), '0.0000e+00');
  assert.equal(formatLogValue(NaN, 'keras3'), 'nan');
  assert.equal(formatLogValue(-0.5, 'keras3', 1), '-0.5000');
  assert.equal(formatLogValue(-0.5, 'keras3', 2), '-5.0000e-01');
  assert.equal(formatLogValue(-0.5, 'keras2', 2), '-5.0000e-01');
  // The same quirk through the logger: a negative metric at verbose 2 is written in e-notation.
  const h = harness({ verbose: 2, steps: 5 });
  h.logger.onEpochBegin(0);
  h.logger.onEpochEnd(0, { loss: -0.5 });
  assert.equal(h.writes[0], '5/5 - 0s - 0s/step - loss: -5.0000e-01\n');
});

test('time units: s from 1 s, ms from 1 ms, us below; .0f rounds half to even', () => {
  const line = (msPerStep: number): string => formatEpochLine({ loss: 0.5 }, { steps: 10, elapsedMs: 3000, msPerStep });
  const bar = `10/10 ${'━'.repeat(20)} 3s`;
  assert.equal(line(0.12), `${bar} 120us/step - loss: 0.5000`);
  assert.equal(line(0.5), `${bar} 500us/step - loss: 0.5000`);
  assert.equal(line(1), `${bar} 1ms/step - loss: 0.5000`);
  assert.equal(line(5), `${bar} 5ms/step - loss: 0.5000`);
  assert.equal(line(1500), `${bar} 2s/step - loss: 0.5000`);
  assert.equal(line(2500), `${bar} 2s/step - loss: 0.5000`);
  assert.equal(line(0), `${bar} 0s/step - loss: 0.5000`);
  assert.equal(formatEpochLine({}, { steps: 4, elapsedMs: 2500 }), `4/4 ${'━'.repeat(20)} 2s 625ms/step`);
});

test('formatEpochLine: keras3 and keras2 final lines at verbose 1 and 2', () => {
  assert.equal(formatEpochLine(EPOCH_LOGS, { steps: 25, elapsedMs: 1120, msPerStep: 5 }), K3_FINAL);
  assert.equal(
    formatEpochLine(EPOCH_LOGS, { steps: 25, elapsedMs: 1000 }, { verbose: 2 }),
    '25/25 - 1s - 40ms/step - accuracy: 0.8450 - loss: 0.3921 - val_accuracy: 0.8600 - val_loss: 0.3702',
  );
  assert.equal(
    formatEpochLine(EPOCH_LOGS, { steps: 25, elapsedMs: 1120, msPerStep: 5 }, { style: 'keras2' }),
    '25/25 [==============================] - 1s 5ms/step - loss: 0.3921 - accuracy: 0.8450 - val_loss: 0.3702 - val_accuracy: 0.8600',
  );
  assert.equal(
    formatEpochLine(EPOCH_LOGS, { steps: 25, elapsedMs: 336 }, { style: 'keras2', verbose: 2 }),
    '25/25 - 0s - loss: 0.3921 - accuracy: 0.8450 - val_loss: 0.3702 - val_accuracy: 0.8600 - 336ms/epoch - 13ms/step',
  );
});

test('keras2 logger: bar with ">" head and ETA mid-epoch, no ANSI, final line and verbose 2', () => {
  const h = harness({ verbose: 1, steps: 25, style: 'keras2', interactive: true, epochs: 2 });
  h.logger.onEpochBegin(0);
  for (let step = 0; step < 12; step++) {
    h.clock.t += 100;
    h.logger.onBatchEnd(step, { accuracy: 0.8, loss: 0.4 });
  }
  assert.equal(h.writes[0], 'Epoch 1/2\n');
  // 12/25 → int(30 × 0.48) = 14 cells: 13 "=" and the ">" head; 13 steps left × 0.1 s = 1.3 s.
  assert.equal(
    h.writes.at(-1)?.replace(/^\x08*\r/, ''),
    '12/25 [=============>................] - ETA: 1s - loss: 0.4000 - accuracy: 0.8000',
  );
  assert.ok(h.writes.every((w) => !w.includes('\x1b')));
  for (let step = 12; step < 25; step++) {
    h.clock.t += 100;
    h.logger.onBatchEnd(step, { accuracy: 0.8, loss: 0.4 });
  }
  h.clock.t += 20;
  h.logger.onEpochEnd(0, EPOCH_LOGS);
  // 25 steps of 100 ms + 20 ms: elapsed 2.52 s → "3s"; (2.52 - 0.1) / 24 s → 101 ms/step.
  assert.match(
    h.writes.at(-1) ?? '',
    /\r25\/25 \[==============================\] - 3s 101ms\/step - loss: 0\.3921 - accuracy: 0\.8450 - val_loss: 0\.3702 - val_accuracy: 0\.8600\n$/,
  );

  const v2 = harness({ verbose: 2, steps: 25, style: 'keras2' });
  v2.logger.onEpochBegin(0);
  v2.clock.t = 1336;
  v2.logger.onEpochEnd(0, { accuracy: 0.845, loss: 0.3921 });
  assert.deepEqual(v2.writes, ['25/25 - 1s - loss: 0.3921 - accuracy: 0.8450 - 1s/epoch - 53ms/step\n']);
});

test('a batch without onEpochBegin starts the epoch clock lazily, like Keras', () => {
  const h = harness({ verbose: 1, steps: 2 });
  h.clock.t = 500;
  h.logger.onBatchEnd(0, { loss: 1 });
  h.clock.t = 520;
  h.logger.onBatchEnd(1, { loss: 1 });
  h.logger.onEpochEnd(0, { loss: 1 });
  assert.deepEqual(h.writes, [`2/2 ${'━'.repeat(20)} 0s 20ms/step - loss: 1.0000\n`]);
});
