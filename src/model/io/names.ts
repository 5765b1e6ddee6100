/**
 * What a model, layer or weight name may be: one rule for the model-file reader, the writer
 * and the layer and model constructors, so nothing is built or saved that loading refuses.
 */
import { ValueError } from '../../errors.js';
import { MODEL_LIMITS } from './limits.js';
import { describe } from './untrusted-json.js';

/** The longest weight suffix a layer's weights get (`<layer>/kernel`): its names must fit the limit too. */
const LONGEST_WEIGHT_SUFFIX = '/kernel'.length;

/** The longest layer name whose weight names still fit `MODEL_LIMITS.nameLength`. */
export const layerNameLimit = MODEL_LIMITS.nameLength - LONGEST_WEIGHT_SUFFIX;

/** A name as a model file may hold it: a non-empty string of at most `limit` characters. */
export function checkName(value: unknown, what: string, limit: number = MODEL_LIMITS.nameLength): string {
  if (typeof value !== 'string' || value.length === 0) throw new ValueError(`${what} must be a non-empty string, got ${describe(value)}.`);
  if (value.length > limit) throw new ValueError(`${what} has ${value.length} characters, over the limit of ${limit}.`);
  return value;
}

/** How messages name each name of a model file (the reader's wording, used by the writer too). */
export const NAME_FIELDS = {
  model: 'modelTopology.config.name',
  layer: (index: number, className: string): string => `Layer ${index} (${className}): name`,
  weight: (index: number): string => `weightsManifest weights[${index}].name`,
} as const;
