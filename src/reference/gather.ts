/** destination[r, :] = source[indices[r], :]. */
export function gatherRows(source: ArrayLike<number>, indices: ArrayLike<number>, width: number): Float64Array {
  const out = new Float64Array(indices.length * width);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * width;
    for (let c = 0; c < width; c++) out[r * width + c] = source[from + c]!;
  }
  return out;
}
