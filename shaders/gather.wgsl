//!include lib/grid.wgsl

// Gathers rows: destination[r, :] = source[indices[r], :]. With the dataset resident on the
// GPU, shuffling an epoch is one upload of a permutation and one gather per array; every
// batch of the epoch is then a contiguous window of the gathered copy.

struct GatherParams {
  rows: u32,
  width: u32,
}

override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: GatherParams;
@group(0) @binding(1) var<storage, read> indices: array<u32>;
@group(0) @binding(2) var<storage, read> source: array<f32>;
@group(0) @binding(3) var<storage, read_write> destination: array<f32>;

@compute @workgroup_size(WG)
fn gather_rows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  let width = params.width;
  if (i >= params.rows * width) { return; }
  let row = i / width;
  let column = i - row * width;
  destination[i] = source[indices[row] * width + column];
}
