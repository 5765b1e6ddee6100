import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activationValues,
  bestIndex,
  ladderWindow,
  scoreOf,
  sweepGrid,
  withDepth,
  withWidth,
} from '../../src/components/lib/sweep-grid.js';
import type { LayerSpec } from '../../src/components/lib/state.js';

const mlp: readonly LayerSpec[] = [{ units: 128, activation: 'relu', dropout: 0.2 }];

test('ladderWindow centres the current value and stays inside the ladder', () => {
  const ladder = [1, 2, 4, 8, 16, 32, 64];
  assert.deepEqual(ladderWindow(ladder, 8, 3, 1), [4, 8, 16]);
  assert.deepEqual(ladderWindow(ladder, 8, 2, 2), [8, 32]);
  assert.deepEqual(ladderWindow(ladder, 1, 4, 1), [1, 2, 4, 8], 'clamped at the low end');
  assert.deepEqual(ladderWindow(ladder, 64, 4, 2), [1, 4, 16, 64], 'clamped at the high end');
  assert.deepEqual(ladderWindow([1, 2, 4], 4, 3, 2), [1, 4], 'a strided ladder shorter than n gives what it has');
  assert.deepEqual(ladderWindow(ladder, 5, 2, 1), [4, 8], 'an off-ladder value snaps to its nearest entry');
});

test('a learning rate × width grid crosses decades of rates with ×4 widths, row-major', () => {
  const grid = sweepGrid({ layers: mlp, learningRate: 0.001 }, { plan: 'lr-width', rows: 2, cols: 2 });
  assert.deepEqual(grid.rowLabels, ['lr 0.001', 'lr 0.01']);
  assert.deepEqual(grid.colLabels, ['128 units', '512 units']);
  assert.equal(grid.variants.length, 4);
  assert.deepEqual(
    grid.variants.map((v) => [v.row, v.col, v.learningRate, v.layers[0]!.units]),
    [
      [0, 0, 0.001, 128],
      [0, 1, 0.001, 512],
      [1, 0, 0.01, 128],
      [1, 1, 0.01, 512],
    ],
  );
  assert.equal(grid.variants[3]!.label, 'lr 0.01 · 512 units');
  assert.equal(grid.variants[1]!.layers[0]!.dropout, 0.2, 'the rest of the layer is kept');
  const big = sweepGrid({ layers: mlp, learningRate: 0.001 }, { plan: 'lr-width', rows: 4, cols: 4 });
  assert.deepEqual(big.rowLabels, ['lr 0.0001', 'lr 0.001', 'lr 0.01', 'lr 0.1']);
  assert.deepEqual(big.colLabels, ['8 units', '32 units', '128 units', '512 units']);
  assert.equal(big.variants.length, 16);
  assert.equal(new Set(big.variants.map((v) => v.label)).size, 16, 'every variant differs');
});

test('an activation × depth grid starts from the current activation and depth', () => {
  const grid = sweepGrid(
    {
      layers: [
        { units: 16, activation: 'tanh' },
        { units: 16, activation: 'tanh' },
      ],
      learningRate: 0.01,
    },
    { plan: 'activation-depth', rows: 3, cols: 3 },
  );
  assert.deepEqual(grid.rowLabels, ['tanh', 'relu', 'sigmoid']);
  assert.deepEqual(grid.colLabels, ['1 layer', '2 layers', '3 layers']);
  const variant = grid.variants[1 * 3 + 2]!;
  assert.deepEqual(variant.layers, [
    { units: 16, activation: 'relu' },
    { units: 16, activation: 'relu' },
    { units: 16, activation: 'relu' },
  ]);
  assert.ok(grid.variants.every((v) => v.learningRate === 0.01));
  const fromOne = sweepGrid({ layers: mlp, learningRate: 0.001 }, { plan: 'activation-depth', rows: 2, cols: 4 });
  assert.deepEqual(fromOne.colLabels, ['no hidden layer', '1 layer', '2 layers', '3 layers']);
  assert.deepEqual(fromOne.variants[0]!.layers, [], 'depth 0 is logistic regression');
});

test('a model without hidden layers gets a template layer to vary', () => {
  assert.deepEqual(withWidth([], 32), [{ units: 32, activation: 'relu' }]);
  assert.deepEqual(withDepth([], 2), [
    { units: 8, activation: 'relu' },
    { units: 8, activation: 'relu' },
  ]);
  assert.deepEqual(activationValues('gelu', 4), ['gelu', 'relu', 'tanh', 'sigmoid']);
});

test('scoreOf reads the last validation values, or the training ones without validation', () => {
  assert.deepEqual(scoreOf({ loss: [0.9, 0.5], accuracy: [0.6, 0.8], val_loss: [0.8, 0.4], val_accuracy: [0.7, 0.9] }, 'accuracy'), {
    loss: 0.4,
    metric: 0.9,
  });
  assert.deepEqual(scoreOf({ loss: [0.5], mae: [0.3], val_loss: [], val_mae: [] }, 'mae'), { loss: 0.5, metric: 0.3 });
  assert.deepEqual(scoreOf({ loss: [], accuracy: [] }, 'accuracy'), { loss: undefined, metric: undefined });
});

test('bestIndex: highest accuracy or lowest mae, ties to the lower loss, NaN never wins', () => {
  assert.equal(
    bestIndex(
      [
        { loss: 0.3, metric: 0.8 },
        { loss: 0.5, metric: 0.9 },
        { loss: 0.1, metric: 0.85 },
      ],
      'accuracy',
    ),
    1,
  );
  assert.equal(
    bestIndex(
      [
        { loss: 0.3, metric: 0.9 },
        { loss: 0.2, metric: 0.9 },
      ],
      'accuracy',
    ),
    1,
  );
  assert.equal(
    bestIndex(
      [
        { loss: 0.3, metric: 0.2 },
        { loss: 0.5, metric: 0.1 },
      ],
      'mae',
    ),
    1,
  );
  assert.equal(
    bestIndex(
      [
        { loss: NaN, metric: NaN },
        { loss: 0.5, metric: 0.5 },
      ],
      'accuracy',
    ),
    1,
  );
  assert.equal(bestIndex([{ loss: undefined, metric: undefined }], 'accuracy'), -1);
});
