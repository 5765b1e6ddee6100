// The Keras make_circles tutorial, on the GPU: logistic regression cannot separate two
// concentric circles, a ReLU MLP can. Run: npm run tutorial [-- --verbose 0|1|2] [--seed N]
import { Dense, makeCircles, Sequential, trainValidationSplit } from '../src/index.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const verbose = option('verbose', 1) as 0 | 1 | 2;
const seed = option('seed', 0);

// X, y = make_circles(n_samples=5000, factor=.3, noise=.05); first 4000 train, last 1000 val.
const circles = makeCircles({ nSamples: 5000, factor: 0.3, noise: 0.05, randomState: seed });
const { train, validation } = trainValidationSplit(circles, 0.2);

const models: readonly { name: string; hidden: readonly number[]; epochs: number }[] = [
  { name: 'Logistic regression', hidden: [], epochs: 1 },
  { name: 'MLP, 5 hidden units', hidden: [5], epochs: 20 },
  { name: 'MLP, 128 hidden units', hidden: [128], epochs: 10 },
  { name: 'MLP, 2×128 hidden units', hidden: [128, 128], epochs: 10 },
];

const results: { name: string; epochs: number; valAccuracy: number; valLoss: number; seconds: number }[] = [];
for (const spec of models) {
  console.log(`\n${spec.name}`);
  const model = new Sequential({ seed });
  spec.hidden.forEach((units, i) => model.add(new Dense({ units, activation: 'relu', ...(i === 0 ? { inputDim: 2 } : {}) })));
  model.add(new Dense({ units: 1, activation: 'sigmoid', ...(spec.hidden.length === 0 ? { inputDim: 2 } : {}) }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  if (verbose > 0) model.summary();
  const start = performance.now();
  await model.fit(train, { epochs: spec.epochs, batchSize: 32, validationData: validation, verbose, seed });
  const seconds = (performance.now() - start) / 1000;
  const evaluation = await model.evaluate(validation);
  results.push({ name: spec.name, epochs: spec.epochs, valAccuracy: evaluation['accuracy']!, valLoss: evaluation.loss, seconds });
  model.dispose();
}

console.log('\nmodel                       epochs  val accuracy  val loss  train time');
for (const r of results) {
  console.log(
    `${r.name.padEnd(28)}${String(r.epochs).padStart(6)}  ${r.valAccuracy.toFixed(4).padStart(12)}  ${r.valLoss.toFixed(4).padStart(8)}  ${r.seconds.toFixed(2).padStart(9)}s`,
  );
}
process.exit(0);
