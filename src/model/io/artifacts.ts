/**
 * A model file's parts, whichever container they came in (model.json, TF.js ModelArtifacts,
 * `{ modelJson, weightData }`), and their parse: format, topology, training config, manifest,
 * byte length and values, all validated before anything is built (the model is built in one
 * place, model/model-from-artifacts.ts).
 */
import { ShapeError, ValueError } from '../../errors.js';
import { LAYERS_MODEL_FORMAT, type RawArtifacts } from './format.js';
import { MODEL_LIMITS } from './limits.js';
import { loadedMetadata, type ModelMetadata } from './metadata.js';
import { checkName } from './names.js';
import { parseTopology, type ParsedLayer, type ParsedTopology } from './topology.js';
import { parseTraining, type ParsedTraining } from './training-config.js';
import { checkNesting, describe, dict, get, parseJsonText, present } from './untrusted-json.js';
import { decodeFloat32, expectedWeights, matchWeights, parseSpecs, weightBytes, type ParsedSpec } from './weights.js';

/** A fully validated model, ready to be built without any check left to fail. */
export interface ParsedModel {
  readonly name: string;
  readonly inputs: number;
  readonly layers: readonly ParsedLayer[];
  readonly weights: readonly Float32Array[];
  readonly training: ParsedTraining | undefined;
  /** The user's part of userDefinedMetadata (without shadernet's key); {} when the file has none. */
  readonly metadata: ModelMetadata;
}

function checkFormat(format: unknown): void {
  // Files from TF.js < 1.0 have no format field; anything else must be layers-model.
  if (format === undefined || format === LAYERS_MODEL_FORMAT) return;
  const hint = format === 'graph-model' ? ' (a TF.js graph model: shadernet loads Keras-style layers models only)' : '';
  throw new ValueError(`Wrong format: expected '${LAYERS_MODEL_FORMAT}', got ${describe(format)}${hint}.`);
}

/** Everything a model file says but its weight values, validated. */
interface ModelDescription {
  readonly topology: ParsedTopology;
  readonly training: ParsedTraining | undefined;
  /** Every manifest entry, optimizer weights included, in manifest (byte) order. */
  readonly specs: readonly ParsedSpec[];
  /** The manifest entries of the model's weights, in the model's order. */
  readonly weights: readonly ParsedSpec[];
}

/**
 * The checks of a model file short of its weight bytes: nesting, format, topology, training
 * config (unless `compile` is false), manifest and its match to the topology. The loader runs
 * them on what it reads and serializeModel on what it writes, so a model that saves also loads.
 */
function describeModel(raw: RawArtifacts, options: { readonly compile?: boolean }): ModelDescription {
  checkNesting(raw.modelTopology, 'modelTopology');
  checkNesting(raw.weightSpecs, 'weightsManifest weights');
  checkNesting(raw.trainingConfig, 'trainingConfig');
  checkNesting(raw.userDefinedMetadata, 'userDefinedMetadata');
  checkFormat(raw.format);
  const topology = parseTopology(raw.modelTopology);
  const training =
    options.compile === false
      ? undefined
      : parseTraining(
          raw.trainingConfig ?? topology.wrappedTrainingConfig,
          raw.userDefinedMetadata,
          topology.layers[topology.layers.length - 1]!,
        );
  const expected = expectedWeights(topology.layers, topology.inputs);
  const parameters = expected.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
  if (parameters * 4 > MODEL_LIMITS.weightBytes) {
    throw new ValueError(
      `The model declares ${parameters.toLocaleString('en-US')} parameters (${parameters * 4} bytes), over the limit of ${MODEL_LIMITS.weightBytes} bytes.`,
    );
  }
  const specs = parseSpecs(raw.weightSpecs, 'weightsManifest weights');
  return { topology, training, specs, weights: matchWeights(expected, specs) };
}

/**
 * Validates everything (topology, training config unless `compile` is false, manifest, byte
 * length, shapes, values) and returns the model's description and weights. Throws ValueError,
 * ShapeError or UnsupportedError naming the problem.
 */
export function parseArtifacts(raw: RawArtifacts, data: Uint8Array, options: { readonly compile?: boolean } = {}): ParsedModel {
  const { topology, training, specs, weights } = describeModel(raw, options);
  const declared = specs.reduce((n, s) => n + s.byteLength, 0);
  if (data.byteLength < declared) {
    throw new ShapeError(
      `The weight data is truncated: it has ${data.byteLength} bytes, the weights manifest declares ${declared} (${specs.length} weights).`,
    );
  }
  if (data.byteLength > declared) {
    throw new ShapeError(
      `The weight data has ${data.byteLength - declared} extra bytes: it has ${data.byteLength} bytes, the weights manifest declares ${declared}.`,
    );
  }
  const metadata = loadedMetadata(raw.userDefinedMetadata);
  return {
    name: topology.name,
    inputs: topology.inputs,
    layers: topology.layers,
    weights: weights.map((spec) => decodeFloat32(data, spec)),
    training,
    metadata,
  };
}

/** model.json's parts, with the manifest flattened: weight files in order, their weights in order. */
export interface ModelJsonParts {
  readonly raw: RawArtifacts;
  readonly paths: readonly string[];
}

/** Parses (if text) and checks the container of a model.json: format, modelTopology, weightsManifest. */
export function modelJsonParts(modelJson: unknown): ModelJsonParts {
  const json = typeof modelJson === 'string' ? parseJsonText(modelJson, 'model.json') : modelJson;
  const root = dict(json, 'model.json');
  checkFormat(get(root, 'format'));
  if (!present(root, 'modelTopology')) throw new ValueError('model.json has no modelTopology.');
  const manifest = get(root, 'weightsManifest');
  if (!Array.isArray(manifest))
    throw new ValueError(`model.json weightsManifest must be an array of { paths, weights }, got ${describe(manifest)}.`);
  if (manifest.length > MODEL_LIMITS.weightFiles) {
    throw new ValueError(`model.json weightsManifest has ${manifest.length} groups, over the limit of ${MODEL_LIMITS.weightFiles}.`);
  }
  const paths: string[] = [];
  const weights: unknown[] = [];
  manifest.forEach((entry: unknown, index) => {
    const group = dict(entry, `weightsManifest[${index}]`);
    const groupPaths = get(group, 'paths');
    const groupWeights = get(group, 'weights');
    if (!Array.isArray(groupPaths))
      throw new ValueError(`weightsManifest[${index}].paths must be an array of file names, got ${describe(groupPaths)}.`);
    if (!Array.isArray(groupWeights))
      throw new ValueError(`weightsManifest[${index}].weights must be an array, got ${describe(groupWeights)}.`);
    if (paths.length + groupPaths.length > MODEL_LIMITS.weightFiles) {
      throw new ValueError(`model.json names more than ${MODEL_LIMITS.weightFiles} weight files.`);
    }
    if (weights.length + groupWeights.length > MODEL_LIMITS.weightSpecs) {
      throw new ValueError(`model.json lists more than ${MODEL_LIMITS.weightSpecs} weights, over the limit.`);
    }
    groupPaths.forEach((p: unknown, i) => paths.push(checkName(p, `weightsManifest[${index}].paths[${i}]`)));
    weights.push(...(groupWeights as unknown[]));
  });
  return {
    raw: {
      format: get(root, 'format'),
      modelTopology: get(root, 'modelTopology'),
      weightSpecs: weights,
      trainingConfig: get(root, 'trainingConfig'),
      userDefinedMetadata: get(root, 'userDefinedMetadata'),
    },
    paths,
  };
}

/** The raw parts of TF.js-style artifacts (`{ modelTopology, weightSpecs, weightData, ... }`) or of `{ modelJson, weightData }`. */
export function artifactsFrom(artifacts: unknown): { readonly raw: RawArtifacts; readonly weightData: Uint8Array } {
  const a = dict(artifacts, 'The loaded model artifacts');
  if (present(a, 'modelJson')) return { raw: modelJsonParts(get(a, 'modelJson')).raw, weightData: weightBytes(get(a, 'weightData')) };
  if (!present(a, 'modelTopology')) throw new ValueError('The loaded model artifacts have no modelTopology.');
  if (!present(a, 'weightSpecs') || !present(a, 'weightData'))
    throw new ValueError('The loaded model artifacts have no weights (weightSpecs and weightData).');
  const raw: RawArtifacts = {
    format: get(a, 'format'),
    modelTopology: get(a, 'modelTopology'),
    weightSpecs: get(a, 'weightSpecs'),
    trainingConfig: get(a, 'trainingConfig'),
    userDefinedMetadata: get(a, 'userDefinedMetadata'),
  };
  return { raw, weightData: weightBytes(get(a, 'weightData')) };
}
