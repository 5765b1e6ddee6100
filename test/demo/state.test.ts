import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildData } from '../../src/components/lib/data.js';
import { withDataset, withPointAdded, withPointRemoved } from '../../src/components/lib/edits.js';
import {
  DEFAULT_STATE,
  DEFAULT_SWEEP,
  PRESETS,
  datasetModel,
  formatEpochs,
  presetState,
  matchesPreset,
  alternateLabel,
  classCount,
  taskOf,
  validLabel,
  withKind,
  type PlaygroundState,
} from '../../src/components/lib/state.js';

import { decodeState, encodeState } from '../../src/components/lib/url-codec.js';

const roundTrip = (state: PlaygroundState): PlaygroundState => {
  const result = decodeState(encodeState(state));
  assert.ok(result.ok, result.ok ? '' : result.errors.join('; '));
  return result.state;
};

test('new datasets: task, classes, URL round trip', () => {
  const spirals: PlaygroundState = { ...DEFAULT_STATE, dataset: { ...withKind(DEFAULT_STATE.dataset, 'spirals'), classes: 5, noise: 0.3 } };
  assert.equal(taskOf(spirals.dataset), 'multiclass');
  assert.equal(classCount(spirals.dataset), 5);
  assert.deepEqual(roundTrip(spirals), spirals);
  assert.match(encodeState(spirals), /data=spirals.*k=5/);

  const blobs: PlaygroundState = {
    ...DEFAULT_STATE,
    dataset: { ...withKind(DEFAULT_STATE.dataset, 'blobs'), classes: 6, clusterStd: 2.5 },
  };
  assert.deepEqual(roundTrip(blobs), blobs);
  assert.match(encodeState(blobs), /std=2\.5/);

  const surface: PlaygroundState = {
    ...DEFAULT_STATE,
    dataset: withKind(DEFAULT_STATE.dataset, 'surface'),
    added: [{ x: 0.5, y: -0.25, label: -0.731 }],
  };
  assert.equal(taskOf(surface.dataset), 'regression');
  assert.equal(classCount(surface.dataset), 1);
  assert.deepEqual(roundTrip(surface), surface);
  assert.doesNotMatch(encodeState(surface), /(^|&)k=/);
});

test('withKind clamps the class count to the kind', () => {
  const six = { ...DEFAULT_STATE.dataset, kind: 'blobs' as const, classes: 6 };
  assert.equal(withKind(six, 'spirals').classes, 5);
  assert.equal(withKind({ ...six, classes: 2 }, 'spirals').classes, 3);
  assert.equal(withKind({ ...six, classes: 2 }, 'blobs').classes, 2);
});

test('class counts and labels are validated per task', () => {
  for (const hash of [
    'data=spirals&k=2',
    'data=spirals&k=6',
    'data=blobs&k=7',
    'data=blobs&k=1',
    'data=circles&k=3',
    'data=blobs&std=0',
    'data=blobs&std=9',
    'data=moons&task=binary',
  ]) {
    const r = decodeState(hash);
    assert.equal(r.ok, false, hash);
  }
  assert.equal(decodeState('data=blobs&k=3&add=0,0,2').ok, true);
  const bad = decodeState('data=blobs&k=3&add=0,0,3');
  assert.ok(!bad.ok && /label a class 0…2/.test(bad.errors.join()));
  assert.equal(decodeState('data=circles&add=0,0,2').ok, false);
  assert.equal(decodeState('data=surface&add=0,0,0.37').ok, true);
  assert.equal(decodeState('data=surface&add=0,0,1e7').ok, false);
  assert.ok(
    validLabel(0, 'binary', 2) && !validLabel(0.5, 'binary', 2) && validLabel(4, 'multiclass', 5) && !validLabel(5, 'multiclass', 5),
  );
  assert.ok(validLabel(-3.2, 'regression', 1) && !validLabel(Number.NaN, 'regression', 1));
  assert.equal(alternateLabel(1, 'binary', 2), 0);
  assert.equal(alternateLabel(4, 'multiclass', 5), 0);
  assert.equal(alternateLabel(0.3, 'regression', 1), 0.3);
});

test('CSV links carry their task', () => {
  const pts = Array.from({ length: 12 }, (_, i) => ({ x: i / 10, y: 0.5 - i / 10, label: i % 3 }));
  const csv: PlaygroundState = {
    ...DEFAULT_STATE,
    dataset: { ...DEFAULT_STATE.dataset, kind: 'csv', csvTask: 'multiclass', classes: 3 },
    custom: pts,
  };
  assert.deepEqual(roundTrip(csv), csv);
  const values = pts.map((p) => ({ ...p, label: p.x * 2.5 - 1 }));
  const reg: PlaygroundState = { ...csv, dataset: { ...csv.dataset, csvTask: 'regression' }, custom: values };
  assert.equal(roundTrip(reg).dataset.csvTask, 'regression');
  assert.equal(decodeState(encodeState(reg).replace('task=regression', 'task=binary')).ok, false, 'non-0/1 labels with task=binary');
  assert.equal(decodeState(encodeState(reg).replace('task=regression', 'task=poisson')).ok, false);
});

test('layers with new activations, dropout and regularizers round-trip', () => {
  const state: PlaygroundState = {
    ...DEFAULT_STATE,
    layers: [
      { units: 16, activation: 'leaky_relu', dropout: 0.2, regularizer: { kind: 'l2', factor: 0.001 } },
      { units: 8, activation: 'gelu', regularizer: { kind: 'l1', factor: 0.00001 } },
      { units: 4, activation: 'swish', dropout: 0.5 },
      { units: 3, activation: 'elu' },
      { units: 2, activation: 'softplus' },
    ],
    compare: [
      { layers: [{ units: 8, activation: 'tanh', regularizer: { kind: 'l2', factor: 0.01 } }], epochs: 5 },
      { layers: [], epochs: 1 },
    ],
  };
  assert.deepEqual(roundTrip(state), state);
  for (const layers of ['8relu~d0.95', '8relu~d1', '8relu~l3:0.1', '8relu~l2:2', '8relu~l2:0', '8softmax', '8relu~l2:0.01~d0.2']) {
    assert.equal(decodeState(`layers=${encodeURIComponent(layers)}`).ok, false, layers);
  }
});

test('optimizer and schedule round-trip and are validated', () => {
  const base = { ...DEFAULT_STATE };
  const cases: PlaygroundState[] = [
    { ...base, optimizer: { ...base.optimizer, name: 'momentum', momentum: 0.95 } },
    {
      ...base,
      optimizer: { ...base.optimizer, name: 'adamw', weightDecay: 0.01 },
      schedule: { ...base.schedule, kind: 'cosine', decaySteps: 5000, alpha: 0.1 },
    },
    {
      ...base,
      optimizer: { ...base.optimizer, name: 'rmsprop' },
      schedule: { ...base.schedule, kind: 'step', decaySteps: 250, decayRate: 0.5 },
    },
    {
      ...base,
      optimizer: { ...base.optimizer, name: 'adagrad' },
      schedule: { ...base.schedule, kind: 'exponential', decaySteps: 100, decayRate: 0.96 },
    },
    { ...base, optimizer: { ...base.optimizer, name: 'sgd' } },
  ];
  for (const state of cases) assert.deepEqual(roundTrip(state), state, state.optimizer.name);
  for (const hash of ['opt=lbfgs', 'mom=1', 'wd=-1', 'sched=linear', 'dsteps=0', 'dsteps=1.5', 'drate=0', 'drate=1.5', 'calpha=2']) {
    assert.equal(decodeState(hash).ok, false, hash);
  }
  // The default link stays short: no optimizer parameters that are not in use.
  assert.doesNotMatch(encodeState(DEFAULT_STATE), /mom=|wd=|sched=|dsteps=/);
});

test('epochs ∞ (train until paused) and the data toggles round-trip; ∞ is the free-play default, presets keep theirs', () => {
  assert.equal(DEFAULT_STATE.epochs, Infinity);
  assert.match(encodeState(DEFAULT_STATE), /(^|&)epochs=inf(&|$)/);
  assert.doesNotMatch(encodeState(DEFAULT_STATE), /showtrain=/, 'shown by default: links stay as they were');
  const state: PlaygroundState = {
    ...DEFAULT_STATE,
    showTraining: false,
    showValidation: false,
    compare: [
      { layers: [], epochs: 1 },
      { layers: [{ units: 8, activation: 'relu' }], epochs: Infinity },
    ],
  };
  assert.deepEqual(roundTrip(state), state);
  assert.match(encodeState(state), /showtrain=0.*showval=0/);
  assert.match(decodeURIComponent(encodeState(state)), /cmp=none:1,8relu:inf/);
  assert.equal(roundTrip({ ...DEFAULT_STATE, epochs: 7 }).epochs, 7);
  for (const hash of ['epochs=Infinity', 'epochs=0', 'epochs=1001', 'epochs=-inf', 'showtrain=2', 'cmp=none:1,8relu:infinity']) {
    assert.equal(decodeState(hash).ok, false, hash);
  }
  for (const preset of PRESETS) assert.ok(Number.isFinite(presetState(preset, DEFAULT_STATE).epochs), preset.id);
  assert.equal(formatEpochs(Infinity), '∞');
  assert.equal(formatEpochs(10), '10');
});

test("a new kind of data brings its own model only while the model is the previous kind's own; edits keep sets non-empty", () => {
  const spiral = withDataset(DEFAULT_STATE, withKind(DEFAULT_STATE.dataset, 'spiral'))!;
  assert.deepEqual(spiral.model, datasetModel('spiral'));
  assert.deepEqual(spiral.state.layers, datasetModel('spiral').layers);
  assert.equal(spiral.state.learningRate, datasetModel('spiral').learningRate);
  const back = withDataset(spiral.state, withKind(spiral.state.dataset, 'circles'))!;
  assert.deepEqual(back.state.layers, DEFAULT_STATE.layers, 'back to the tutorial MLP');
  const edited = { ...DEFAULT_STATE, layers: [{ units: 4, activation: 'tanh' as const }] };
  const kept = withDataset(edited, withKind(edited.dataset, 'spiral'))!;
  assert.equal(kept.model, undefined);
  assert.deepEqual(kept.state.layers, edited.layers, "the user's own model is kept");
  assert.equal(withDataset(DEFAULT_STATE, { ...DEFAULT_STATE.dataset, kind: 'csv' }), undefined, 'no CSV loaded');

  const small: PlaygroundState = { ...DEFAULT_STATE, dataset: { ...DEFAULT_STATE.dataset, nSamples: 20, validationRatio: 0.1 } };
  const data = buildData(small);
  const added = withPointAdded(small, { x: 0.1, y: 0.2, label: 1 });
  assert.ok(typeof added === 'object' && added.added.length === 1);
  const removed = withPointRemoved(small, data, 'train', 0);
  assert.ok(typeof removed === 'object' && removed.removed.length === 1);
  assert.equal(data.validation.nSamples, 2);
  const smaller = withPointRemoved(small, data, 'validation', 0);
  assert.ok(typeof smaller === 'object');
  const last = withPointRemoved(smaller, buildData(smaller), 'validation', 0);
  assert.match(String(last), /validation set needs at least one point/);
  assert.match(
    String(withPointAdded({ ...small, added: Array.from({ length: 2000 }, () => ({ x: 0, y: 0, label: 0 })) }, { x: 0, y: 0, label: 1 })),
    /At most 2000 points/,
  );
});

test('sweep mode round-trips in the link (axes, grid, epochs each); bad or conflicting sweeps are refused', () => {
  const cases: PlaygroundState[] = [
    { ...DEFAULT_STATE, sweep: DEFAULT_SWEEP },
    { ...DEFAULT_STATE, sweep: { plan: 'activation-depth', rows: 4, cols: 3, epochs: 100 } },
    { ...DEFAULT_STATE, layers: [{ units: 16, activation: 'tanh' }], sweep: { plan: 'lr-width', rows: 2, cols: 4, epochs: 1 } },
  ];
  for (const state of cases) assert.deepEqual(roundTrip(state), state, JSON.stringify(state.sweep));
  assert.match(decodeURIComponent(encodeState(cases[1]!)), /(^|&)sweep=activation-depth:4x3:100(&|$)/);
  assert.doesNotMatch(encodeState(DEFAULT_STATE), /sweep=/, 'no sweep key outside sweep mode');
  assert.equal(roundTrip(DEFAULT_STATE).sweep, undefined);
  for (const hash of [
    'sweep=lr-width:2x2',
    'sweep=lr-width:1x2:10',
    'sweep=lr-width:2x5:10',
    'sweep=depth-width:2x2:10',
    'sweep=lr-width:2x2:7',
    'sweep=lr-width:2x2:0',
    'sweep=',
    `sweep=lr-width:2x2:10&cmp=${encodeURIComponent('none:1,8relu:inf')}`,
  ]) {
    assert.equal(decodeState(hash).ok, false, hash);
  }
  const refused = decodeState('sweep=lr-width:5x2:7');
  assert.ok(!refused.ok && refused.errors.some((e) => /grid of 5×2/.test(e)) && refused.errors.some((e) => /7 epochs/.test(e)));
  // A preset leaves sweep mode; a sweep is never a preset's untouched setup.
  assert.equal(presetState(PRESETS[0]!, cases[0]!).sweep, undefined);
  assert.equal(matchesPreset({ ...presetState(PRESETS[0]!, DEFAULT_STATE), sweep: DEFAULT_SWEEP }, PRESETS[0]!), false);
});
