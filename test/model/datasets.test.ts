/**
 * The library's own datasets go straight into fit, evaluate and predict, as a Keras dataset
 * does; and Keras 1's Dense(output_dim=…) carries over as outputDim.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Dense, makeCircles, makeSpirals, Sequential, trainValidationSplit, toFloat32 } from '../../src/index.js';

const { train, validation } = trainValidationSplit(makeCircles({ nSamples: 200, factor: 0.3, noise: 0.05, randomState: 0 }), 0.25);

function classifier(inputDim?: number): Sequential {
  const model = new Sequential({ backend: 'cpu', seed: 3 });
  model.add(new Dense({ units: 8, activation: 'relu', ...(inputDim === undefined ? {} : { inputDim }) }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe('Datasets as fit / evaluate / predict inputs', () => {
  test('fit(train, options) with validationData: validation trains as fit({ data, shape }, y) does, and infers the input width', async () => {
    const fromDataset = classifier();
    const history = await fromDataset.fit(train, { epochs: 2, verbose: 0, seed: 1, validationData: validation });
    assert.deepEqual(Object.keys(history.history), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    assert.equal(history.params.samples, 150);
    const byHand = classifier();
    const matrix = (d: typeof train) => ({ data: d.x, shape: [d.nSamples, d.nFeatures] as const });
    const expected = await byHand.fit(matrix(train), train.y, {
      epochs: 2,
      verbose: 0,
      seed: 1,
      validationData: [matrix(validation), validation.y],
    });
    assert.deepEqual(history.history, expected.history);
    assert.deepEqual(await fromDataset.getWeights(), await byHand.getWeights());
  });

  test('evaluate(dataset) and predict(dataset) use its x (and y)', async () => {
    const model = classifier();
    await model.fit(train, { epochs: 1, verbose: 0 });
    const evaluation = await model.evaluate(validation);
    assert.deepEqual(Object.keys(evaluation).sort(), ['accuracy', 'loss']);
    assert.deepEqual(await model.evaluate(validation, { returnDict: false }), [evaluation.loss, evaluation['accuracy']]);
    const chunked = await model.evaluate(validation, { batchSize: 7 });
    assert.ok(Math.abs(chunked.loss - evaluation.loss) < 1e-12 && chunked['accuracy'] === evaluation['accuracy'], 'chunks sum to the same');
    const predictions = await model.predict(validation);
    assert.equal(predictions.length, validation.nSamples);
    assert.deepEqual(await model.predict(toFloat32(validation)), predictions);
    assert.equal((await model.predictLayers(validation))[0]!.length, validation.nSamples * 8);
  });

  test('fit(train.x, train.y): the flat x is split by the model input width; without one the error says what to pass', async () => {
    const known = classifier(2);
    assert.equal((await known.fit(train.x, train.y, { epochs: 1, verbose: 0 })).params.samples, 150);
    const unknown = classifier();
    await assert.rejects(unknown.fit(train.x, train.y, { verbose: 0 }), {
      name: 'ShapeError',
      message:
        /x is a flat typed array, but its row width is unknown: pass the Dataset itself \(model\.fit\(dataset\)\), \{ data, shape: \[rows, cols\] \}, or give the first layer inputDim/,
    });
  });

  test('a Dataset with a y argument, a dataset of another width, and an object that is no input are refused clearly', async () => {
    const model = classifier(2);
    await assert.rejects(model.fit(train, train.y as never), {
      name: 'ValueError',
      message: /fit\(dataset, options\) takes x and y from the Dataset; got a second data argument/,
    });
    await assert.rejects(model.evaluate(validation, validation.y as never), {
      name: 'ValueError',
      message: /evaluate\(dataset, options\) takes x and y from the Dataset/,
    });
    const spirals = makeSpirals({ nSamples: 30, classes: 3 });
    await assert.rejects(model.evaluate(spirals), { name: 'ValueError', message: /binary cross-entropy needs labels in \[0, 1\]/ });
    await assert.rejects(model.predict({ ...train, nFeatures: 3 }), {
      name: 'ShapeError',
      message: /x has 300 values, but shape \[150, 3\] needs 450/,
    });
    await assert.rejects(model.fit({ features: train.x } as never, train.y), {
      name: 'ValueError',
      message:
        /x must be an array of rows, a Float32Array\/Float64Array, \{ data, shape \} or a Dataset \(\{ x, y, nSamples, nFeatures \}\); got an object with keys features/,
    });
    await assert.rejects(model.fit(train, { validationData: { ...validation, y: undefined } as never, verbose: 0 }), {
      name: 'ValueError',
      message: /validationData Dataset has no y/,
    });
  });
});

describe('Keras 1 names', () => {
  test("outputDim is units (Keras 1's output_dim), with a one-time deprecation note; both given and different is an error", () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (text: string) => void warnings.push(text);
    try {
      const first = new Dense({ outputDim: 4, inputDim: 2, activation: 'relu' });
      const second = new Dense({ outputDim: 1, activation: 'sigmoid' });
      assert.equal(first.units, 4);
      assert.equal(second.units, 1);
      assert.equal(new Dense({ units: 3, outputDim: 3 }).units, 3);
      assert.equal(warnings.length, 1, 'noted once per session');
      assert.match(warnings[0]!, /outputDim is Keras 1's name for units/);
    } finally {
      console.warn = warn;
    }
    assert.throws(() => new Dense({ units: 3, outputDim: 4 }), {
      name: 'ValueError',
      message: /Dense got units 3 and outputDim 4; outputDim is an alias of units: give one/,
    });
    assert.throws(() => new Dense({} as never), { name: 'ValueError', message: /Dense units must be a positive integer, got undefined/ });
    assert.throws(() => new Dense({ outputDim: 0 }), { name: 'ValueError', message: /Dense outputDim must be a positive integer, got 0/ });
  });

  test("the tutorial's Keras 1 model, line by line", async () => {
    const model = new Sequential({ backend: 'cpu', seed: 0 });
    model.add(new Dense({ outputDim: 1, inputDim: 2, activation: 'sigmoid' }));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(train, { epochs: 1, verbose: 0, validationData: validation });
    assert.equal(history.history['val_accuracy']!.length, 1);
  });
});
