// WorkerModel.create(model) with its default worker script, in a production build.
import { Dense, Sequential, WorkerModel } from 'shadernet';

async function main() {
  const model = new Sequential({ seed: 0, backend: 'cpu' });
  model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  const remote = await WorkerModel.create(model);
  remote.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  const x = { data: new Float32Array([0, 0, 1, 1, 0, 1, 1, 0]), shape: [4, 2] };
  const history = await remote.fit(x, [0, 0, 1, 1], { epochs: 2 });
  const [p] = await remote.predict([[0.5, 0.5]]);
  document.body.dataset.backend = remote.backend ?? 'none';
  document.body.dataset.loss = String(history.history['loss'].at(-1));
  document.body.dataset.prediction = String(p);
  remote.dispose();
  document.body.dataset.state = 'done';
}

main().catch((error) => {
  document.body.dataset.error = `${error?.name}: ${error?.message}`;
  document.body.dataset.state = 'failed';
});
