// The size budget's minimal training page: Sequential + Dense + fit + predict.
import { Dense, Sequential } from 'shadernet';

const model = new Sequential();
model.add(new Dense({ units: 16, activation: 'relu', inputDim: 2 }));
model.add(new Dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
model
  .fit({ data: new Float32Array([0, 0, 1, 1]), shape: [2, 2] }, [0, 1])
  .then(() => model.predict([[0.5, 0.5]]))
  .then(console.log);
