// A page as a user writes it: the library and the components from npm, bundled by esbuild
// with its defaults (one classic script, no flags).
import { Dense, makeCircles, requestGpu, Sequential, trainValidationSplit } from 'shadernet';
import 'shadernet/components';

async function main() {
  const view = document.querySelector('#view');
  const map = document.querySelector('#map');
  const curves = document.querySelector('#curves');
  const { train, validation } = trainValidationSplit(makeCircles({ nSamples: 1000, factor: 0.3, noise: 0.05, randomState: 0 }), 0.2);
  view.train = train;
  view.validation = validation;
  let passes = 0;
  map.addEventListener('map-update', () => (passes += 1));
  const model = new Sequential({ seed: 0, gpu: await requestGpu() });
  model.add(new Dense({ units: 32, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  map.model = model;
  const history = await model.fit({ data: train.x, shape: [train.nSamples, 2] }, train.y, {
    epochs: 8,
    validationData: [{ data: validation.x, shape: [validation.nSamples, 2] }, validation.y],
    callbacks: { onEpochEnd: (epoch, logs) => curves.addEpoch(logs) },
  });
  map.refresh();
  await map.idle();
  document.body.dataset.valAccuracy = String(history.history['val_accuracy'].at(-1));
  document.body.dataset.mapPasses = String(passes);
  document.body.dataset.litCopies = String(globalThis.litElementVersions?.length ?? 0);
  document.body.dataset.state = 'done';
}

main().catch((error) => {
  document.body.dataset.error = `${error?.name}: ${error?.message}`;
  document.body.dataset.state = 'failed';
});
