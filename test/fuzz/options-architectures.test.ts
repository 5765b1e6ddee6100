/** Fuzzing random architectures: layers and compile options generated, then fit, evaluate, predict and save (CPU engine). */
import { test } from 'node:test';
import fc from 'fast-check';
import { Dense, Dropout, Sequential, serializeModel, SGD } from '../../src/index.js';
import { fuzz, outcome, runs, SEPARABLE, shortly } from '../helpers/fuzz.js';
import { hostileValue, optionsObject, SMALL } from '../helpers/fuzz-values.js';
import { fraction, positive, seedValue, nameFrom, regularizer } from '../helpers/fuzz-options.js';

// ---------------------------------------------------------------------------------------------
// Random architectures: layers from generated options, compiled with generated options, trained

/** Hostile values, less the valid large widths (limits.test.ts covers those; here they are only slow). */
const hostileSmall = hostileValue.filter((v) => !(typeof v === 'number' && Number.isInteger(v) && v > SMALL && v <= 65_536));

const layerSpec = fc.oneof(
  {
    weight: 3,
    arbitrary: optionsObject(
      {
        units: positive,
        activation: fc.constantFrom('linear', 'relu', 'sigmoid', 'tanh', 'leaky_relu', 'elu', 'gelu', 'softplus', 'swish', 'softmax'),
        useBias: fc.boolean(),
        kernelInitializer: fc.constantFrom('glorotUniform', 'heNormal', 'zeros', 'ones'),
        biasInitializer: fc.constantFrom('zeros', 'ones', 'randomUniform'),
        kernelRegularizer: regularizer,
      },
      hostileSmall,
      { required: ['units'], alwaysObject: true, rarelySpoiled: true },
    ).map((options) => ({ kind: 'Dense' as const, options })),
  },
  {
    weight: 1,
    arbitrary: optionsObject({ rate: fraction, seed: seedValue }, hostileSmall, {
      required: ['rate'],
      alwaysObject: true,
      rarelySpoiled: true,
    }).map((options) => ({ kind: 'Dropout' as const, options })),
  },
);

const architecture = fc.record({
  layers: fc.array(layerSpec, { minLength: 1, maxLength: 4 }),
  inputDim: fc.oneof(fc.constant(2), fc.constant(undefined), hostileSmall),
  compile: optionsObject(
    {
      optimizer: fc.oneof(
        nameFrom('sgd', 'adam', 'rmsprop', 'adagrad', 'adamw'),
        fc.constant(null).map(() => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })),
      ),
      loss: nameFrom('binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'mse'),
      metrics: fc.array(nameFrom('accuracy', 'mse', 'mae'), { maxLength: 2 }),
    },
    hostileSmall,
    { required: ['optimizer', 'loss'], alwaysObject: true, rarelySpoiled: true },
  ),
  epochs: fc.integer({ min: 1, max: 3 }),
});

/** Targets for the compiled loss and output width: SEPARABLE's labels in the form the loss takes. */
function targetsFor(model: Sequential): unknown {
  const dense = model.layers.filter((layer): layer is Dense => layer instanceof Dense);
  const units = dense[dense.length - 1]?.units ?? 1;
  const loss = model.compileConfig?.loss.name;
  if (loss === 'binary_crossentropy' || loss === 'sparse_categorical_crossentropy') return SEPARABLE.y;
  return SEPARABLE.y.map((label) => Array.from({ length: units }, (_, j) => (j === label ? 1 : 0)));
}

test('random architectures: layers and compile options generated, then fit, evaluate, predict (CPU engine)', async (t) => {
  await fuzz(
    t,
    'architectures',
    architecture,
    async (spec) => {
      const what = `model ${shortly(spec, 600)}`;
      const built = await outcome(`${what}: build and compile`, () => {
        const model = new Sequential({ backend: 'cpu', seed: 1 });
        try {
          spec.layers.forEach((layer, i) => {
            const options =
              i === 0 && spec.inputDim !== undefined && typeof layer.options === 'object' && layer.options !== null
                ? { ...layer.options, inputDim: spec.inputDim }
                : layer.options;
            model.add(layer.kind === 'Dense' ? new Dense(options as never) : new Dropout(options as never));
          });
          model.compile(spec.compile as never);
        } catch (error) {
          model.dispose();
          throw error;
        }
        return model;
      });
      if (!built.ok) return;
      const model = built.value;
      const y = targetsFor(model) as never;
      await outcome(`${what}: fit`, () => model.fit(SEPARABLE.x, y, { epochs: spec.epochs, batchSize: 8, verbose: 0 }));
      await outcome(`${what}: evaluate`, () => model.evaluate(SEPARABLE.x, y));
      await outcome(`${what}: predict`, () => model.predict(SEPARABLE.x));
      await outcome(`${what}: save`, () => serializeModel(model));
      model.dispose();
    },
    runs(300),
  );
});
