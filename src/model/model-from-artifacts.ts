/**
 * The one place a model file becomes a model: its raw parts are parsed (everything validated,
 * io/artifacts.ts), then the Sequential is built from them, when nothing can fail any more.
 * loadModel, deserializeModel and WorkerModel's worker all come through here.
 */
import type { GpuContext } from '../gpu/context.js';
import type { BackendName } from '../spec/backend.js';
import { parseArtifacts, type ParsedModel } from './io/artifacts.js';
import { compileOptionsOf } from './io/training-config.js';
import type { LoadedArtifacts } from './io/transports/common.js';
import { Dense, Dropout } from './layers.js';
import { L1L2 } from './regularizers.js';
import { Sequential } from './sequential.js';
import { boolean, optionsOf } from './validate.js';

export interface DeserializeOptions {
  /** GPU of the new model (the shared default GPU when omitted). */
  readonly gpu?: GpuContext;
  /** Engine of the new model (see SequentialOptions.backend; default 'auto'). */
  readonly backend?: BackendName | 'auto';
  /** Seed of the new model (it only matters for what is not loaded, e.g. fit's shuffles use their own). */
  readonly seed?: number;
  /**
   * Compile the model from the file's training config when it has one (default true). With
   * false the training config is ignored (not even validated): load a model trained elsewhere
   * with an optimizer or loss shadernet does not have, for inference or to compile anew.
   */
  readonly compile?: boolean;
}

/**
 * deserializeModel's and loadModel's options, checked before anything is read: `compile` here,
 * gpu, backend and seed by the Sequential they are handed to.
 */
export function deserializeOptions<O extends DeserializeOptions>(options: O | undefined, what: string): Partial<O> {
  const given = optionsOf(options, what);
  if (given.compile !== undefined) boolean(given.compile, `${what} compile`);
  return given;
}

/** Builds the Sequential model of a validated description. */
function buildModel(parsed: ParsedModel, options: DeserializeOptions): Sequential {
  const model = new Sequential({
    name: parsed.name,
    ...(options.gpu === undefined ? {} : { gpu: options.gpu }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  try {
    parsed.layers.forEach((layer, i) => {
      for (const dropout of layer.dropoutsBefore ?? []) {
        model.add(new Dropout({ rate: dropout.rate, name: dropout.name, ...(dropout.seed === undefined ? {} : { seed: dropout.seed }) }));
      }
      model.add(
        new Dense({
          units: layer.units,
          activation: layer.activation,
          ...(layer.alpha === undefined ? {} : { alpha: layer.alpha }),
          useBias: layer.useBias,
          kernelInitializer: layer.kernelInitializer,
          biasInitializer: layer.biasInitializer,
          name: layer.name,
          ...(layer.kernelRegularizer ? { kernelRegularizer: new L1L2(layer.kernelRegularizer) } : {}),
          ...(i === 0 ? { inputDim: parsed.inputs } : {}),
        }),
      );
    });
    model.setWeights(parsed.weights);
    // Only when there is some: a reloaded model saves the same file (no empty userDefinedMetadata).
    if (Object.keys(parsed.metadata).length) model.metadata = parsed.metadata;
    if (parsed.training) model.compile(compileOptionsOf(parsed.training));
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * The model of a file's raw parts (as a transport read them). Validates everything first
 * (topology, training config unless `options.compile` is false, manifest, byte length, shapes,
 * values); the model is created only when nothing can fail any more.
 */
export function modelFromArtifacts(artifacts: LoadedArtifacts, options: DeserializeOptions): Sequential {
  return buildModel(parseArtifacts(artifacts.raw, artifacts.weightData, options), options);
}
