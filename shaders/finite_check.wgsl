//!include lib/grid.wgsl

// Finds the first non-finite value (NaN or ±Inf) of a buffer, for the numerical guard that
// stops training when weights blow up. WGSL has no isNan/isInf, and implementations may assume
// f32 values are finite (folding `v != v`, or a bitcast of a loaded f32), so the floats are
// bound as raw u32 words and never loaded as f32: an all-ones exponent is Inf or NaN.
//
// The result is `count − index` of the first bad element, kept with atomicMax so the lowest
// index wins; 0 (a cleared buffer) means every value is finite.

struct FiniteParams {
  count: u32,
}

override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: FiniteParams;
@group(0) @binding(1) var<storage, read> values: array<u32>; // float32 bit patterns
@group(0) @binding(2) var<storage, read_write> first_bad: atomic<u32>;

@compute @workgroup_size(WG)
fn find_nonfinite(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  if ((values[i] & 0x7f800000u) == 0x7f800000u) {
    atomicMax(&first_bad, params.count - i);
  }
}
