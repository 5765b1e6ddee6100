/** Plot geometry shared by the demo's components: domains, grids, ticks. */

/** The region of the (x₁, x₂) plane a plot shows. */
export interface Domain {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Points as the library's datasets hold them: `x` row-major n×2, `y` one 0/1 label per row. */
export interface PointSet {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly nSamples: number;
}

export const DEFAULT_DOMAIN: Domain = { xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 };

export function sameDomain(a: Domain | undefined, b: Domain | undefined): boolean {
  return a === b || (!!a && !!b && a.xMin === b.xMin && a.xMax === b.xMax && a.yMin === b.yMin && a.yMax === b.yMax);
}

/** A square domain around every point of the sets, with a margin, rounded to 2 decimals. */
export function domainOf(sets: readonly (PointSet | undefined)[]): Domain {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const set of sets) {
    if (!set) continue;
    for (let i = 0; i < set.nSamples; i++) {
      const x = set.x[2 * i]!;
      const y = set.x[2 * i + 1]!;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  }
  if (!Number.isFinite(xMin) || !Number.isFinite(yMin)) return DEFAULT_DOMAIN;
  const round = (v: number): number => Math.round(v * 100) / 100;
  const cx = round((xMin + xMax) / 2);
  const cy = round((yMin + yMax) / 2);
  const half = Math.max(0.5, Math.ceil(Math.max(xMax - cx, cx - xMin, yMax - cy, cy - yMin) * 1.12 * 20) / 20);
  return { xMin: round(cx - half), xMax: round(cx + half), yMin: round(cy - half), yMax: round(cy + half) };
}

/**
 * The centres of a resolution × resolution grid over the domain, row-major from the top-left
 * corner (row 0 is yMax), so value i of a prediction over it is pixel i of an ImageData.
 */
export function gridPoints(domain: Domain, resolution: number): Float32Array {
  const out = new Float32Array(resolution * resolution * 2);
  const dx = (domain.xMax - domain.xMin) / resolution;
  const dy = (domain.yMax - domain.yMin) / resolution;
  let k = 0;
  for (let row = 0; row < resolution; row++) {
    const y = domain.yMax - (row + 0.5) * dy;
    for (let col = 0; col < resolution; col++) {
      out[k++] = domain.xMin + (col + 0.5) * dx;
      out[k++] = y;
    }
  }
  return out;
}

/** About `count` round tick values inside [min, max] (1, 2 or 5 × a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  for (let i = first; i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** A tick label: no trailing zeros, at most 4 significant decimals. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const text = Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(4)));
  return text.replace('-', '−');
}

/**
 * How big and how opaque to draw `count` points: fewer points are bigger, many are smaller, and
 * past a thousand fainter, so the map behind them stays readable (radius ∝ count^-¼ within
 * 1.8–5 px; alpha 1 up to 1,000 points, then falling with log10(count) to 0.45).
 */
export function pointStyle(count: number): { radius: number; alpha: number } {
  const n = Math.max(1, count);
  return {
    radius: Math.min(5, Math.max(1.8, 13 / n ** 0.25)),
    alpha: Math.min(1, Math.max(0.45, 1.6 - 0.2 * Math.log10(n))),
  };
}
