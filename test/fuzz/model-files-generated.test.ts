/** Fuzzing generated model files (random JSON, and model.json from a grammar with hostile values in every name and size position) through each entry point: a model or a ShadernetError. */
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzz, runs, shortly } from '../helpers/fuzz.js';
import { fileName, fileNumber, json, deeplyNested, anyValue, TRANSPORTS, loadCase } from '../helpers/model-file-fuzz.js';

// ---------------------------------------------------------------------------------------------
// Model files from a grammar: every name and size position drawn from the pools above

/** A field of a generated file: usually of its kind, sometimes any value. */
const field = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 24, arbitrary }, { weight: 1, arbitrary: anyValue });

/** A name for one position: mostly one of the names valid there, else any name of the pool. */
const nameAt = (...valid: string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fileName });

const shapeOf = fc.array(field(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fileNumber })), {
  maxLength: 3,
});

const initializer = field(
  fc.record({
    class_name: field(nameAt('GlorotUniform', 'Zeros', 'VarianceScaling', 'RandomNormal')),
    config: field(fc.record({ seed: field(fc.constant(null)) })),
  }),
);

const layer = fc.record(
  {
    class_name: field(nameAt('Dense', 'Dense', 'Dropout', 'InputLayer')),
    config: field(
      fc.record(
        {
          name: field(nameAt('dense', 'dense_1', 'dropout', 'input')),
          units: field(fileNumber),
          activation: field(nameAt('relu', 'sigmoid', 'softmax', 'linear', 'leaky_relu', 'elu', 'tanh')),
          alpha: field(fileNumber),
          use_bias: field(fc.boolean()),
          kernel_initializer: initializer,
          bias_initializer: initializer,
          kernel_regularizer: field(
            fc.record({
              class_name: field(nameAt('L1L2', 'L1', 'L2')),
              config: field(fc.record({ l1: field(fileNumber), l2: field(fileNumber) })),
            }),
          ),
          rate: field(fc.double({ min: 0, max: 1, noNaN: true })),
          seed: field(fileNumber),
          batch_input_shape: field(fc.tuple(fc.constant(null), field(fileNumber))),
          batch_shape: field(fc.tuple(fc.constant(null), field(fileNumber))),
          dtype: field(nameAt('float32')),
        },
        { requiredKeys: ['name', 'units'] },
      ),
    ),
  },
  { requiredKeys: ['class_name', 'config'] },
);

const weightSpec = fc.record(
  {
    name: field(nameAt('dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias', 'optimizer/iter')),
    shape: field(shapeOf),
    dtype: field(nameAt('float32', 'int32')),
    group: field(nameAt('model', 'optimizer')),
    quantization: field(
      fc.record({ dtype: field(nameAt('uint8', 'uint16', 'float16')), scale: field(fileNumber), min: field(fileNumber) }),
    ),
  },
  { requiredKeys: ['name', 'shape', 'dtype'] },
);

const trainingConfig = fc.record(
  {
    loss: field(
      fc.oneof(
        nameAt('binary_crossentropy', 'categorical_crossentropy', 'mse'),
        fc.record({
          class_name: field(nameAt('BinaryCrossentropy', 'MeanSquaredError')),
          config: field(fc.record({ from_logits: field(fc.boolean()) })),
        }),
      ),
    ),
    metrics: field(fc.array(field(nameAt('accuracy', 'acc', 'mae')), { maxLength: 3 })),
    optimizer_config: field(
      fc.record({
        class_name: field(nameAt('Adam', 'SGD', 'RMSprop', 'Adagrad', 'AdamW')),
        config: field(
          fc.record(
            {
              learning_rate: field(
                fc.oneof(
                  fileNumber,
                  fc.record({
                    class_name: field(nameAt('ExponentialDecay', 'CosineDecay', 'PiecewiseConstantDecay')),
                    config: field(fc.dictionary(fileName, fileNumber, { maxKeys: 4 })),
                  }),
                ),
              ),
              beta_1: field(fileNumber),
              momentum: field(fileNumber),
              epsilon: field(fileNumber),
            },
            { requiredKeys: [] },
          ),
        ),
      }),
    ),
  },
  { requiredKeys: ['loss'] },
);

/** A model.json from the grammar, with weight bytes: exactly as many as its manifest declares, or any number. */
const grammarFile = fc
  .record(
    {
      format: field(nameAt('layers-model')),
      modelTopology: field(
        fc.record({
          class_name: field(nameAt('Sequential')),
          config: field(fc.record({ name: field(nameAt('sequential')), layers: field(fc.array(layer, { maxLength: 4 })) })),
        }),
      ),
      weightsManifest: field(
        fc.array(
          fc.record({
            paths: field(fc.array(field(nameAt('model.weights.bin')), { maxLength: 2 })),
            weights: field(fc.array(weightSpec, { maxLength: 6 })),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      trainingConfig: field(trainingConfig),
      userDefinedMetadata: field(fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: ['modelTopology', 'weightsManifest'] },
  )
  .chain((modelJson) =>
    fc.tuple(
      fc.constant(modelJson),
      fc.oneof(fc.constant(declaredBytes(modelJson)), fc.integer({ min: 0, max: 200 })),
      fc.float32Array({ maxLength: 1 }),
    ),
  )
  .map(([modelJson, byteCount, [fill]]) => ({
    modelJson: modelJson as unknown,
    bytes: new Uint8Array(new Float32Array(Math.ceil(byteCount / 4)).fill(fill ?? 0.5).buffer, 0, byteCount),
  }));

/** Bytes the manifest of `modelJson` declares (float32 elements of every shape that is a list of small integers). */
function declaredBytes(modelJson: unknown): number {
  let total = 0;
  const manifest = (modelJson as { weightsManifest?: unknown }).weightsManifest;
  for (const group of Array.isArray(manifest) ? manifest : []) {
    const weights = (group as { weights?: unknown } | null)?.weights;
    for (const spec of Array.isArray(weights) ? weights : []) {
      const shape = (spec as { shape?: unknown } | null)?.shape;
      if (Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 16))
        total += 4 * shape.reduce((a: number, b: number) => a * b, 1);
    }
  }
  return Math.min(total, 4096);
}

test('random JSON as model.json and as artifacts: a model or a ShadernetError', async (t) => {
  const cases = fc.record({
    modelJson: fc.oneof(fc.jsonValue(), json, deeplyNested),
    bytes: fc.uint8Array({ maxLength: 64 }),
    transport: fc.constantFrom(...TRANSPORTS),
  });
  await fuzz(t, 'random JSON', cases, (c) => loadCase(shortly(c.modelJson), c, {}), runs(500));
});

test('model.json from a grammar, hostile values in every name and size position: a model or a ShadernetError', async (t) => {
  const cases = fc.tuple(grammarFile, fc.constantFrom(...TRANSPORTS));
  await fuzz(
    t,
    'grammar files',
    cases,
    ([file, transport]) => loadCase(shortly(file.modelJson, 600), { ...file, transport }, {}),
    runs(1000),
  );
});
