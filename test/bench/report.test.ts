import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kernelPathTable } from '../../bench/lib/report.js';
import type { Engine, Figure } from '../../bench/lib/workloads.js';

function figure(engine: Engine, workload: string, kind: Figure['kind'], values: Partial<Figure>): Figure {
  return { engine, workload, kind, ms: 10, runs: [10], repeats: 1, ...values };
}

test('the kernel-path table puts each forced path side by side, with the speed ratio and the path shadernet chose', () => {
  const figures: Figure[] = [
    figure('shadernet', 'train mlp5', 'training', { samplesPerSecond: 80_000, dispatchesPerStep: 2, kernels: 'fused' }),
    figure('shadernet-fused', 'train mlp5', 'training', { samplesPerSecond: 60_000, dispatchesPerStep: 2, kernels: 'fused' }),
    figure('shadernet-layered', 'train mlp5', 'training', { samplesPerSecond: 30_000, dispatchesPerStep: 4, kernels: 'layered' }),
    figure('shadernet', 'predict mlp5 200²', 'predict', { ms: 10, kernels: 'layered' }),
    figure('shadernet-fused', 'predict mlp5 200²', 'predict', { ms: 40 }),
    figure('shadernet-layered', 'predict mlp5 200²', 'predict', { ms: 10 }),
    figure('shadernet-fused', 'matmul n=128', 'kernel', { ms: NaN, skipped: 'kernels are the same on every shadernet path' }),
  ];
  const table = kernelPathTable({ figures }, true)!;
  const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| workload') && !line.startsWith('| ---'));
  assert.deepEqual(rows, ['| train mlp5 | 60,000 | 30,000 | 2× | 2, 4 | fused |', '| predict mlp5 200² | 40 | 10 | 0.25× | — | layered |']);
  assert.equal(kernelPathTable({ figures: figures.slice(0, 1) }), undefined, 'no forced path, no table');
});
