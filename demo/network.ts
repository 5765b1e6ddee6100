/**
 * demo/network.html: <sn-network-view> on a model the real engine trains. A 2→8→8→1 MLP (or the
 * hidden widths of `?layers=128,8`) learns make_circles; after every epoch the view gets the
 * model's getWeights(), and the maps of every unit come from the decision map's one GPU pass
 * (`<sn-decision-map with-layers>`'s `map-update`), as the playground has them.
 */
import { Adam, Dense, Sequential, makeCircles, trainValidationSplit, type GpuContext } from '../src/index.js';
import '../src/components/sn-dataset-view.js';
import '../src/components/sn-decision-map.js';
import '../src/components/sn-gpu-status.js';
import '../src/components/sn-network-view.js';
import type { GpuStateDetail } from '../src/components/sn-gpu-status.js';

declare global {
  interface Window {
    /** For the e2e test: the model being trained. */
    networkDemo?: { readonly model: Sequential };
  }
}

const params = new URLSearchParams(location.search);
const hidden = (params.get('layers') ?? '8,8')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n >= 1 && n <= 512);
const epochs = Math.min(500, Math.max(1, Number(params.get('epochs')) || 60));

const view = document.querySelector('sn-network-view')!;
const data = document.querySelector('sn-dataset-view')!;
const map = document.querySelector('sn-decision-map')!;
const status = document.querySelector<HTMLElement>('#status')!;
const { train, validation } = trainValidationSplit(makeCircles({ nSamples: 1000, factor: 0.3, noise: 0.05, randomState: 0 }), 0.2);
data.train = train;
data.validation = validation;
view.layers = [...hidden.map((units) => ({ units, activation: 'tanh' })), { units: 1, activation: 'sigmoid' }];
view.mode = { task: 'binary', discretize: false, threshold: 0.5 };
map.addEventListener('map-update', (event) => {
  view.maps = event.detail.layers ?? [];
  view.resolution = event.detail.resolution;
  view.domain = event.detail.domain;
});

async function trainOn(gpu: GpuContext | undefined): Promise<void> {
  const model = new Sequential({ seed: 0, ...(gpu ? { gpu, backend: 'webgpu' as const } : { backend: 'cpu' as const }) });
  hidden.forEach((units, i) => model.add(new Dense({ units, activation: 'tanh', ...(i === 0 ? { inputDim: 2 } : {}) })));
  model.add(new Dense({ units: 1, activation: 'sigmoid', ...(hidden.length === 0 ? { inputDim: 2 } : {}) }));
  // TensorFlow Playground's learning rate (0.03): the network visibly changes from epoch to epoch.
  model.compile({ optimizer: new Adam({ learningRate: 0.03 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  window.networkDemo = { model };
  view.weights = await model.getWeights();
  map.model = model; // the untrained model's map and unit maps
  await model.fit(train, {
    epochs,
    batchSize: 32,
    seed: 0,
    validationData: validation,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        view.weights = await model.getWeights();
        void map.refresh(); // not awaited: drawing never holds training up
        status.textContent = `Epoch ${epoch + 1}/${epochs} · loss ${logs['loss']?.toFixed(4)} · validation accuracy ${logs['val_accuracy']?.toFixed(3)}`;
        document.body.dataset['epoch'] = String(epoch + 1);
      },
    },
  });
  await map.refresh();
  document.body.dataset['done'] = 'true';
}

const gpuStatus = document.querySelector('sn-gpu-status')!;
let started = false;
const start = (detail: Pick<GpuStateDetail, 'state' | 'context'>): void => {
  if (started || (detail.state !== 'ready' && detail.state !== 'unavailable')) return;
  started = true;
  trainOn(detail.state === 'ready' ? detail.context : undefined).catch(
    (error: unknown) => (status.textContent = `Training failed: ${error instanceof Error ? error.message : String(error)}`),
  );
};
gpuStatus.addEventListener('sn-gpu-state', (event) => start(event.detail));
start({ state: gpuStatus.state, context: gpuStatus.context });
