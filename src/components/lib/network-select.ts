/**
 * What the network view shows of a model: its Dense weights split per layer (from the flat
 * array `getWeights()` returns), which units of a wide layer are drawn (the strongest by
 * outgoing weight magnitude), and which edges between the drawn units (the strongest, capped).
 * Pure functions: the element only draws their results.
 */

/** One Dense layer's parameters: `kernel` row-major [inputs × units] (Keras order), `bias` [units] if it has one. */
export interface DenseParams {
  readonly inputs: number;
  readonly units: number;
  readonly kernel: ArrayLike<number>;
  readonly bias: ArrayLike<number> | undefined;
}

/** An edge between two drawn units: `layer` is the Dense layer (0 = inputs → first layer). */
export interface Edge {
  readonly layer: number;
  readonly from: number;
  readonly to: number;
  readonly weight: number;
}

/**
 * Splits `getWeights()`'s arrays ([W0, b0, W1, b1, …]) into one DenseParams per layer;
 * `widths` is [inputs, units of layer 1, …, units of the output]. Undefined when the arrays do
 * not match the widths (weights of another model, e.g. while a new one is being built).
 */
export function denseParams(
  weights: readonly ArrayLike<number>[],
  widths: readonly number[],
  useBias: readonly boolean[] = [],
): DenseParams[] | undefined {
  const out: DenseParams[] = [];
  let k = 0;
  for (let layer = 0; layer + 1 < widths.length; layer++) {
    const inputs = widths[layer]!;
    const units = widths[layer + 1]!;
    const kernel = weights[k++];
    if (!kernel || kernel.length !== inputs * units) return undefined;
    let bias: ArrayLike<number> | undefined;
    if (useBias[layer] ?? true) {
      bias = weights[k++];
      if (!bias || bias.length !== units) return undefined;
    }
    out.push({ inputs, units, kernel, bias });
  }
  return k === weights.length ? out : undefined;
}

/** Σ_j |W[i, j]| for every input unit i of a layer: how much unit i feeds the next layer. */
export function outgoingMagnitude(params: DenseParams): Float64Array {
  const scores = new Float64Array(params.inputs);
  for (let i = 0; i < params.inputs; i++) {
    let sum = 0;
    for (let j = 0; j < params.units; j++) sum += Math.abs(params.kernel[i * params.units + j]!);
    scores[i] = sum;
  }
  return scores;
}

/** The indices of the `k` largest scores (ties: the lower index), in ascending index order. NaN ranks last. */
export function topUnits(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const rank = (i: number): number => (Number.isNaN(scores[i]!) ? -Infinity : scores[i]!);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rank(b) - rank(a) || a - b);
  return order.slice(0, Math.max(0, k)).sort((a, b) => a - b);
}

/**
 * The units drawn in each column ([inputs, layer 1, …, output]): all of a column of at most
 * `maxUnits`, or of an `expanded` one; else the `maxUnits` strongest by outgoing weight
 * magnitude (the first ones while there are no weights). The output column has no outgoing
 * weights and is always drawn whole.
 */
export function visibleUnits(
  widths: readonly number[],
  params: readonly DenseParams[] | undefined,
  maxUnits: number,
  expanded: ReadonlySet<number>,
): number[][] {
  return widths.map((width, column) => {
    const all = column === widths.length - 1 || width <= maxUnits || expanded.has(column);
    if (all) return Array.from({ length: width }, (_, i) => i);
    const next = params?.[column];
    return next ? topUnits(outgoingMagnitude(next), maxUnits) : Array.from({ length: maxUnits }, (_, i) => i);
  });
}

/**
 * The edges between drawn units of adjacent columns, at most `maxPerLayer` per layer (the
 * strongest), ordered weakest first so that strong edges are drawn on top.
 */
export function visibleEdges(visible: readonly (readonly number[])[], params: readonly DenseParams[], maxPerLayer: number): Edge[] {
  const edges: Edge[] = [];
  params.forEach((p, layer) => {
    const layerEdges: Edge[] = [];
    for (const from of visible[layer] ?? []) {
      for (const to of visible[layer + 1] ?? []) layerEdges.push({ layer, from, to, weight: p.kernel[from * p.units + to]! });
    }
    layerEdges.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
    edges.push(...layerEdges.slice(0, maxPerLayer));
  });
  return edges.sort((a, b) => Math.abs(a.weight) - Math.abs(b.weight));
}

/** The weights into unit `unit` of a layer, strongest first, with their source unit. */
export function incomingWeights(params: DenseParams, unit: number): { from: number; weight: number }[] {
  const out = Array.from({ length: params.inputs }, (_, from) => ({ from, weight: params.kernel[from * params.units + unit]! }));
  return out.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.from - b.from);
}
