/**
 * Colours of the demo: matplotlib's `coolwarm` (Kenneth Moreland's diverging map, the one the
 * Keras make_circles tutorial plots with), as a 256-entry lookup table.
 */

/** Moreland's 33 control points, RGB 0–255, evenly spaced on [0, 1]. */
const CONTROL: readonly (readonly [number, number, number])[] = [
  [59, 76, 192],
  [68, 90, 204],
  [77, 104, 215],
  [87, 117, 225],
  [98, 130, 234],
  [108, 142, 241],
  [119, 154, 247],
  [130, 165, 251],
  [141, 176, 254],
  [152, 185, 255],
  [163, 194, 255],
  [174, 201, 253],
  [184, 208, 249],
  [194, 213, 244],
  [204, 217, 238],
  [213, 219, 230],
  [221, 221, 221],
  [229, 216, 209],
  [236, 211, 197],
  [241, 204, 185],
  [245, 196, 173],
  [247, 187, 160],
  [247, 177, 148],
  [247, 166, 135],
  [244, 154, 123],
  [241, 141, 111],
  [236, 127, 99],
  [229, 112, 88],
  [222, 96, 77],
  [213, 80, 66],
  [203, 62, 56],
  [192, 40, 47],
  [180, 4, 38],
];

/** 256 × RGB, index round(v·255) for v in [0, 1]. */
export const COOLWARM: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  const last = CONTROL.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * last;
    const k = Math.min(Math.floor(t), last - 1);
    const f = t - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(CONTROL[k]![c]! * (1 - f) + CONTROL[k + 1]![c]! * f);
  }
  return lut;
})();

/** `rgb(...)` of coolwarm at v in [0, 1] (clamped; NaN gives the midpoint). */
export function coolwarmCss(v: number, alpha = 1): string {
  const i = coolwarmIndex(v);
  const [r, g, b] = [COOLWARM[i * 3]!, COOLWARM[i * 3 + 1]!, COOLWARM[i * 3 + 2]!];
  return alpha >= 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}

export function coolwarmIndex(v: number): number {
  if (!(v >= 0)) return Number.isNaN(v) ? 128 : 0;
  return v >= 1 ? 255 : Math.round(v * 255);
}

/** The class colours: label 0 is coolwarm's blue end, label 1 its red end. */
export const CLASS_COLORS = [coolwarmCss(0), coolwarmCss(1)] as const;

/** A CSS linear-gradient of the map, left (0) to right (1). */
export function coolwarmGradient(): string {
  const stops = [];
  for (let i = 0; i <= 8; i++) stops.push(`${coolwarmCss(i / 8)} ${(i / 8) * 100}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/**
 * How much of the map's colour shows over white behind the points (matplotlib's
 * `contourf(..., alpha=0.8)` in the tutorial's plots): the points keep their full colour.
 */
export const MAP_ALPHA = 0.8;

/**
 * Colours of k classes (k ≥ 3): Paul Tol's "bright" qualitative scheme, in his order, designed
 * to stay distinct for colour-blind readers (https://personal.sron.nl/~pault/). Two-class data
 * keeps coolwarm's ends (CLASS_COLORS), as the tutorial plots it.
 */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [68, 119, 170], // blue
  [238, 102, 119], // red
  [34, 136, 51], // green
  [204, 187, 68], // yellow
  [102, 204, 238], // cyan
  [170, 51, 119], // purple
];

/** RGB of class `index` of `classes` (coolwarm's ends for two classes; the palette beyond). */
export function classRgb(index: number, classes: number): readonly [number, number, number] {
  if (classes <= 2) {
    const i = index >= 1 ? 255 : 0;
    return [COOLWARM[i * 3]!, COOLWARM[i * 3 + 1]!, COOLWARM[i * 3 + 2]!];
  }
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

export function classCss(index: number, classes: number): string {
  const [r, g, b] = classRgb(index, classes);
  return `rgb(${r} ${g} ${b})`;
}

/** matplotlib's viridis (perceptually uniform, colour-blind safe), 10 samples evenly spaced on [0, 1]. */
const VIRIDIS_CONTROL: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

/** 256 × RGB of viridis, index round(v·255) for v in [0, 1]: the colours of regression values. */
export const VIRIDIS: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  const last = VIRIDIS_CONTROL.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * last;
    const k = Math.min(Math.floor(t), last - 1);
    const f = t - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(VIRIDIS_CONTROL[k]![c]! * (1 - f) + VIRIDIS_CONTROL[k + 1]![c]! * f);
  }
  return lut;
})();

/** The LUT index (0–255) of a value in [min, max] (clamped; NaN gives the middle). */
export function valueIndex(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return 128;
  const t = max > min ? (value - min) / (max - min) : 0.5;
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

/** A CSS linear-gradient of viridis, left (min) to right (max). */
export function viridisGradient(): string {
  const stops = [];
  for (let i = 0; i <= 8; i++) {
    const k = Math.round((i / 8) * 255) * 3;
    stops.push(`rgb(${VIRIDIS[k]} ${VIRIDIS[k + 1]} ${VIRIDIS[k + 2]}) ${(i / 8) * 100}%`);
  }
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
