/**
 * compile() settings as plain data, to cross a thread boundary (WorkerModel ↔ its worker).
 *
 * The one mapping between compile options and data is the model file's training config
 * (io/training-config.ts: `trainingConfigOf` writes it, `parseTraining` reads it back through the
 * optimizer, loss and metric resolvers). This file only wraps it, so every optimizer, loss or
 * metric that saving and loading understand crosses to a worker without a change here.
 */
import { StateError } from '../errors.js';
import type { ShadernetMetadata, TrainingConfig } from './io/format.js';
import { compileOptionsOf, parseTraining, trainingConfigOf, type OutputLayer } from './io/training-config.js';
import { Dense } from './layers.js';
import type { Sequential } from './sequential.js';

/** A model's compile() settings as structured-clone-safe data (a TF.js training config + shadernet's metadata). */
export interface CompileConfig {
  readonly trainingConfig: TrainingConfig;
  readonly userDefinedMetadata: ShadernetMetadata;
}

/** The compile() settings of `model` as data, or undefined when it is not compiled. */
export function compileConfigOf(model: Sequential): CompileConfig | undefined {
  const compiled = model.compileConfig;
  return compiled && trainingConfigOf(compiled);
}

/** The output (last Dense) layer as the training-config parser checks it (units against the loss). */
function outputLayerOf(model: Sequential): OutputLayer {
  const dense = model.layers.filter((l): l is Dense => l instanceof Dense);
  const layer = dense[dense.length - 1];
  if (!layer) throw new StateError('Add at least one Dense layer before compile.');
  return { name: layer.name ?? `dense_${dense.length - 1}`, units: layer.units, activation: layer.activation };
}

/**
 * Compiles `model` with settings made by compileConfigOf (validated as a loaded file's training
 * config is: ValueError / UnsupportedError name what does not fit).
 */
export function compileFromConfig(model: Sequential, config: CompileConfig): void {
  const training = parseTraining(config.trainingConfig, config.userDefinedMetadata, outputLayerOf(model));
  if (!training) throw new StateError('The compile config has no training config.');
  model.compile(compileOptionsOf(training));
}
