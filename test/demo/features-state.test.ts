import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeState, encodeState } from '../../src/components/lib/url-codec.js';
import { DEFAULT_STATE, presetState, PRESETS } from '../../src/components/lib/state.js';
import { featuresOfMetadata, featureMetadata } from '../../src/components/lib/feature-metadata.js';
import { FeatureExpander } from '../../src/components/lib/feature-input.js';
import { modelConfig } from '../../src/components/lib/model-config.js';

test('features in the URL: only when not (x1, x2), canonical order, round trip', () => {
  assert.ok(!encodeState(DEFAULT_STATE).includes('feat='), 'default links stay as they were');
  const state = { ...DEFAULT_STATE, features: ['x1', 'x2', 'x1_x2', 'sin_x1'] as const };
  const hash = encodeState(state);
  assert.match(hash, /feat=x1%2Cx2%2Cx1_x2%2Csin_x1/);
  const decoded = decodeState(hash);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.state.features, state.features);
  assert.deepEqual(decoded.state, state);
  // Any order in a hand-written link; stored canonically.
  const reordered = decodeState('feat=sin_x2,x1_sq');
  assert.ok(reordered.ok && reordered.state.features.join() === 'x1_sq,sin_x2');
});

test('bad feature lists in a link are refused with a reason, and nothing of the link is used', () => {
  for (const [feat, why] of [
    ['x3', /Unknown feature 'x3'/],
    ['', /empty/],
    ['x1,x1', /twice/],
    ['toString', /Unknown feature/],
    ['__proto__', /Unknown feature/],
  ] as const) {
    const result = decodeState(`feat=${feat}`);
    assert.ok(!result.ok, feat);
    assert.match(result.errors.join('; '), why, feat);
  }
});

test('presets go back to (x1, x2); the model config takes the features as its input width', () => {
  const withFeatures = { ...DEFAULT_STATE, features: ['sin_x1', 'sin_x2'] as const };
  assert.deepEqual(presetState(PRESETS[0]!, withFeatures).features, ['x1', 'x2']);
  const config = modelConfig({ ...withFeatures, task: 'binary', classes: 2, inputs: 7 });
  assert.equal(config.layers[0]!.type === 'Dense' && config.layers[0]!.inputDim, 7);
});

test("a model file's feature list: written and read back; unknown, repeated or reordered lists are refused", () => {
  assert.deepEqual(featuresOfMetadata(featureMetadata(['x1', 'sin_x2'])), ['x1', 'sin_x2']);
  assert.deepEqual(featuresOfMetadata(undefined), ['x1', 'x2']);
  assert.deepEqual(featuresOfMetadata({ note: 'no list' }), ['x1', 'x2']);
  assert.throws(() => featuresOfMetadata({ features: 'x1' }), /must be a list/);
  assert.throws(() => featuresOfMetadata({ features: ['x1', 'cos_x1'] }), /Unknown feature 'cos_x1'/);
  assert.throws(() => featuresOfMetadata({ features: ['sin_x1', 'x1'] }), /order x1, sin_x1/);
});

test('the expander feeds training sets and map grids the same columns, once per array', () => {
  const expander = new FeatureExpander(['x1', 'x1_sq']);
  const grid = new Float32Array([2, 5, -1, 3]);
  const a = expander.points({ data: grid, shape: [2, 2] as [number, number] });
  assert.deepEqual(a.shape, [2, 2]);
  assert.deepEqual([...a.data], [2, 4, -1, 1]);
  assert.equal(expander.points({ data: grid, shape: [2, 2] as [number, number] }).data, a.data, 'cached');
  const set = expander.dataset({ x: new Float64Array([2, 5, -1, 3]), y: new Float64Array([0, 1]), nSamples: 2, nFeatures: 2 });
  assert.deepEqual([...set.data], [2, 4, -1, 1]);
  // Without features the input is passed on untouched.
  const raw = new FeatureExpander();
  const input = { data: grid, shape: [2, 2] as [number, number] };
  assert.equal(raw.points(input), input);
});
