import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  denseParams,
  incomingWeights,
  outgoingMagnitude,
  topUnits,
  visibleEdges,
  visibleUnits,
} from '../../src/components/lib/network-select.js';

// A 2→3→1 model as getWeights() returns it: W0 [2×3], b0 [3], W1 [3×1], b1 [1].
const W0 = Float32Array.from([0.5, -1, 0.25, -2, 0, 1]);
const b0 = Float32Array.from([0.1, -0.2, 0.3]);
const W1 = Float32Array.from([3, -0.5, 0.1]);
const b1 = Float32Array.from([-0.4]);

test('denseParams splits getWeights() per layer, and refuses arrays of another model', () => {
  const params = denseParams([W0, b0, W1, b1], [2, 3, 1])!;
  assert.equal(params.length, 2);
  assert.deepEqual([params[0]!.inputs, params[0]!.units, params[1]!.inputs, params[1]!.units], [2, 3, 3, 1]);
  assert.equal(params[0]!.kernel, W0);
  assert.equal(params[1]!.bias, b1);
  assert.equal(denseParams([W0, b0, W1, b1], [2, 4, 1]), undefined); // wrong width
  assert.equal(denseParams([W0, b0, W1], [2, 3, 1]), undefined); // a bias missing
  assert.equal(denseParams([W0, b0, W1, b1, b1], [2, 3, 1]), undefined); // one array too many
  // Without biases: kernels only.
  const noBias = denseParams([W0, W1], [2, 3, 1], [false, false])!;
  assert.equal(noBias[1]!.bias, undefined);
  assert.equal(noBias[1]!.kernel, W1);
});

test('outgoing magnitude sums |w| over a row of the kernel (row = input unit)', () => {
  const params = denseParams([W0, b0, W1, b1], [2, 3, 1])!;
  assert.deepEqual([...outgoingMagnitude(params[0]!)], [1.75, 3]);
  assert.deepEqual(
    [...outgoingMagnitude(params[1]!)].map((v) => Math.round(v * 1e6) / 1e6),
    [3, 0.5, 0.1],
  );
});

test('topUnits: the k largest, ties to the lower index, NaN last, in index order', () => {
  assert.deepEqual(topUnits([1, 5, 3, 5, 0], 2), [1, 3]);
  assert.deepEqual(topUnits([2, 2, 2], 2), [0, 1]);
  assert.deepEqual(topUnits([Number.NaN, 0, 1], 2), [1, 2]);
  assert.deepEqual(topUnits([4, 1], 5), [0, 1]);
  assert.deepEqual(topUnits([4, 1], 0), []);
});

test('visibleUnits trims wide layers by outgoing |w| unless expanded; the output is always whole', () => {
  const params = denseParams([W0, b0, W1, b1], [2, 3, 1])!;
  assert.deepEqual(visibleUnits([2, 3, 1], params, 2, new Set()), [[0, 1], [0, 1], [0]]);
  assert.deepEqual(visibleUnits([2, 3, 1], params, 2, new Set([1])), [[0, 1], [0, 1, 2], [0]]);
  // Unit 2 of layer 1 feeds the output most: with k = 1 it is the one kept.
  const strong = denseParams([W0, b0, Float32Array.from([0.1, -0.5, 3]), b1], [2, 3, 1])!;
  assert.deepEqual(visibleUnits([2, 3, 1], strong, 1, new Set()), [[1], [2], [0]]);
  // Before weights: the first units.
  assert.deepEqual(visibleUnits([2, 3, 1], undefined, 2, new Set()), [[0, 1], [0, 1], [0]]);
  assert.deepEqual(visibleUnits([2, 3, 4], undefined, 2, new Set()), [
    [0, 1],
    [0, 1],
    [0, 1, 2, 3],
  ]);
});

test('visibleEdges: one per pair of drawn units, with getWeights() values, strongest kept, weakest first', () => {
  const params = denseParams([W0, b0, W1, b1], [2, 3, 1])!;
  const edges = visibleEdges([[0, 1], [0, 2], [0]], params, 10);
  assert.equal(edges.length, 2 * 2 + 2);
  for (const e of edges) assert.equal(e.weight, params[e.layer]!.kernel[e.from * params[e.layer]!.units + e.to]);
  assert.ok(edges.every((e, i) => i === 0 || Math.abs(edges[i - 1]!.weight) <= Math.abs(e.weight)));
  assert.ok(edges.some((e) => e.layer === 0 && e.from === 1 && e.to === 0 && e.weight === -2));
  const capped = visibleEdges([[0, 1], [0, 1, 2], [0]], params, 2);
  // |−2| first, then the tie |−1| = |1| goes to the earlier edge (0→1 before 1→2).
  assert.deepEqual(
    capped.filter((e) => e.layer === 0).map((e) => e.weight),
    [-1, -2],
  );
  assert.equal(capped.filter((e) => e.layer === 1).length, 2);
});

test('incomingWeights: a unit’s kernel column, strongest first', () => {
  const params = denseParams([W0, b0, W1, b1], [2, 3, 1])!;
  assert.deepEqual(
    incomingWeights(params[0]!, 1),
    [
      { from: 1, weight: 0 },
      { from: 0, weight: -1 },
    ].reverse(),
  );
  assert.deepEqual(
    incomingWeights(params[1]!, 0).map((w) => w.from),
    [0, 1, 2],
  );
});
