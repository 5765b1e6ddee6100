/**
 * The feature toggles' thumbnails, as in the TensorFlow Playground: each feature's value over
 * the plot's domain, through the same expansion the models take (data/features.ts), in coolwarm
 * scaled to the feature's own range over the domain (blue low, red high).
 */
import { expandFeatures, type FeatureName } from '../../data/features.js';
import { COOLWARM, coolwarmIndex } from './colors.js';
import { gridPoints, type Domain } from './geometry.js';

/** RGBA pixels (size × size, row-major from the top-left corner) of `feature` over `domain`. */
export function featureThumbnail(feature: FeatureName, domain: Domain, size: number): Uint8ClampedArray<ArrayBuffer> {
  const values = expandFeatures(gridPoints(domain, size), size * size, [feature]);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  const pixels = new Uint8ClampedArray(size * size * 4);
  values.forEach((v, i) => {
    const c = coolwarmIndex((v - min) / span) * 3;
    pixels.set([COOLWARM[c]!, COOLWARM[c + 1]!, COOLWARM[c + 2]!, 255], i * 4);
  });
  return pixels;
}
