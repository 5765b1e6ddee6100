// The Keras tutorial's MLP (2 → 128 relu → 1 sigmoid, Adam, batch 32) on make_circles(5000,
// factor 0.3, noise 0.05), 4000 train / 1000 validation, in Node from the installed package.
import { Dense, makeCircles, Sequential, trainValidationSplit } from 'shadernet';

const { train, validation } = trainValidationSplit(makeCircles({ nSamples: 5000, factor: 0.3, noise: 0.05, randomState: 0 }), 0.2);
const model = new Sequential({ seed: 0 });
model.add(new Dense({ units: 128, activation: 'relu', inputDim: 2 }));
model.add(new Dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
const history = await model.fit({ data: train.x, shape: [train.nSamples, 2] }, train.y, {
  epochs: 10,
  batchSize: 32,
  verbose: 0,
  validationData: [{ data: validation.x, shape: [validation.nSamples, 2] }, validation.y],
});
console.log(JSON.stringify({ valAccuracy: history.history['val_accuracy'].at(-1), backend: model.backend }));
model.dispose();
process.exit(0);
