//!needs WG Partial combine

// The workgroup tree reduction every single-workgroup kernel shares (the metrics sums, the
// regularizer's penalty). WGSL has no generics, so the includer names what is reduced:
//   `override WG: u32`, the workgroup size (a power of two: the generator refuses others),
//   `alias Partial = …;` and `fn combine(a: Partial, b: Partial) -> Partial` (associative).

var<workgroup> partials: array<Partial, WG>;

// Combines every invocation's `part` and returns the total to all of them. Every invocation of
// the workgroup must call it (it contains barriers).
fn workgroup_reduce(lid: u32, part: Partial) -> Partial {
  workgroupBarrier(); // earlier readers of the total are done before it is overwritten
  partials[lid] = part;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { partials[lid] = combine(partials[lid], partials[lid + stride]); }
    workgroupBarrier();
  }
  return partials[0];
}
