/**
 * Beyond the tutorial: one Keras-style model per problem type, as in README's "Beyond the
 * tutorial" section (the code below is what it shows). Run with `npm run examples`.
 *
 *   binary      make_moons, MLP with gelu, Dropout and L2, SGD with Nesterov momentum, EarlyStopping
 *   multi-class 3-arm spirals, softmax + sparse categorical cross-entropy, cosine-decayed Adam
 *   regression  sin(πx1)·cos(πx2) + noise, linear output + MSE, AdamW, ReduceLROnPlateau
 */
import {
  AdamW,
  CosineDecay,
  Dense,
  Dropout,
  EarlyStopping,
  l2,
  makeMoons,
  makeRegressionSurface,
  makeSpirals,
  ReduceLROnPlateau,
  Sequential,
  SGD,
  Adam,
  trainValidationSplit,
} from '../src/index.js';

async function binary(): Promise<void> {
  const { train, validation } = trainValidationSplit(makeMoons({ nSamples: 2000, noise: 0.2, randomState: 0 }), 0.2);
  const model = new Sequential({ seed: 1 });
  model.add(new Dense({ units: 64, activation: 'gelu', inputDim: 2, kernelRegularizer: l2(1e-4) }));
  model.add(new Dropout({ rate: 0.2 }));
  model.add(new Dense({ units: 64, activation: 'gelu', kernelRegularizer: l2(1e-4) }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({
    optimizer: new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(train, {
    epochs: 100,
    validationData: validation,
    callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })],
    verbose: 0,
  });
  const { loss, accuracy } = await model.evaluate(validation);
  console.log(
    `binary:      stopped after ${history.epoch.length} epochs; val loss ${loss.toFixed(4)}, val accuracy ${accuracy?.toFixed(3)}`,
  );
  model.dispose();
}

async function multiclass(): Promise<void> {
  const { train, validation } = trainValidationSplit(makeSpirals({ nSamples: 1500, classes: 3, noise: 0.2, randomState: 0 }), 0.2);
  const model = new Sequential({ seed: 1 });
  model.add(new Dense({ units: 64, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 64, activation: 'relu' }));
  model.add(new Dense({ units: 3, activation: 'softmax' }));
  const learningRate = new CosineDecay({ initialLearningRate: 0.02, decaySteps: 40 * 38, alpha: 0.05 });
  model.compile({ optimizer: new Adam({ learningRate }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(train, { epochs: 40, verbose: 0 });
  const { accuracy } = await model.evaluate(validation);
  const probabilities = await model.predict([[0, 0.5]]); // 3 class probabilities per row
  console.log(
    `multi-class: val accuracy ${accuracy?.toFixed(3)}; P(class | (0, 0.5)) = [${Array.from(probabilities, (p) => p.toFixed(3)).join(', ')}]`,
  );
  model.dispose();
}

async function regression(): Promise<void> {
  const { train, validation } = trainValidationSplit(makeRegressionSurface({ nSamples: 2000, noise: 0.05, randomState: 0 }), 0.2);
  const model = new Sequential({ seed: 1 });
  model.add(new Dense({ units: 64, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 64, activation: 'relu' }));
  model.add(new Dense({ units: 1 })); // linear output
  model.compile({ optimizer: new AdamW({ learningRate: 0.01, weightDecay: 1e-4 }), loss: 'mse', metrics: ['mae'] });
  const history = await model.fit(train, {
    epochs: 60,
    validationData: validation,
    callbacks: [new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 5 })],
    verbose: 0,
  });
  const { loss, mae } = await model.evaluate(validation);
  const rate = history.history['learning_rate']!.at(-1)!;
  console.log(`regression:  val MSE ${loss.toFixed(4)} (noise variance 0.0025), val MAE ${mae?.toFixed(4)}; final learning rate ${rate}`);
  model.dispose();
}

const only = process.argv[2];
if (!only || only === 'binary') await binary();
if (!only || only === 'multiclass') await multiclass();
if (!only || only === 'regression') await regression();
process.exit(0);
