// What a Node project (no DOM library) sees of the package. Compiled strict by the consumer
// typecheck; every `Exact<…>` line fails if a public type is `any` or unresolved.
import {
  Dense,
  GpuContext,
  loadModel,
  makeCircles,
  Sequential,
  trainValidationSplit,
  WorkerModel,
  type Evaluation,
  type History,
} from 'shadernet';
import { SWIFTSHADER_ICD_PATHS } from 'shadernet/node';

type IsAny<T> = 0 extends 1 & T ? true : false;
/** Compiles only for types that are not `any`. */
type NotAny<T> = IsAny<T> extends true ? never : T;
function notAny<T>(value: NotAny<T>): T {
  return value;
}

export async function train(): Promise<void> {
  const { train, validation } = trainValidationSplit(makeCircles({ nSamples: 100, factor: 0.3, noise: 0.05 }), 0.2);
  const model = new Sequential({ seed: 0 });
  model.add(new Dense({ units: 8, activation: 'relu', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = notAny<History>(await model.fit({ data: train.x, shape: [train.nSamples, 2] }, train.y, { epochs: 1 }));
  const evaluation = notAny<Evaluation>(await model.evaluate({ data: validation.x, shape: [validation.nSamples, 2] }, validation.y));
  const probabilities = notAny<Float32Array>(await model.predict([[0, 0]]));
  const loaded = notAny<Sequential>(await loadModel('file://./model'));
  const context = notAny<GpuContext>(await GpuContext.create());
  // The raw device: WebGPU's GPUDevice where the program declares WebGPU, else `unknown`.
  const device = notAny<GpuContext['device']>(context.device);
  // @ts-expect-error a device is not a number (this line would compile if it were `any`)
  const wrong: number = device;
  const remote = notAny<WorkerModel>(await WorkerModel.create(model));
  console.log(history.history, evaluation, probabilities, loaded, wrong, remote, SWIFTSHADER_ICD_PATHS.length);
}
