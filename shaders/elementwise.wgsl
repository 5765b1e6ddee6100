//!include lib/activation_functions.wgsl
//!include lib/grid.wgsl

// Element-wise activation and its gradient, for activations not fused into a dense layer
// (e.g. a sigmoid output trained through the probability-space cross-entropy).
//   apply:    y = act(z)
//   gradient: dz = dy ⊙ act'(y), `y` holding z instead for gelu and swish (lib/activation_functions.wgsl)

struct ElementwiseParams {
  count: u32,
}

override ACTIVATION: u32 = 0u;
override ACTIVATION_ALPHA: f32 = 0.0;
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: ElementwiseParams;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read_write> y_out: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> dz_out: array<f32>;

@compute @workgroup_size(WG)
fn apply(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let index = linear_index(gid, groups, WG);
  if (index >= params.count) { return; }
  y_out[index] = activate(ACTIVATION, ACTIVATION_ALPHA, z[index]);
}

@compute @workgroup_size(WG)
fn gradient(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let index = linear_index(gid, groups, WG);
  if (index >= params.count) { return; }
  dz_out[index] = dy[index] * activation_slope(ACTIVATION, ACTIVATION_ALPHA, y[index]);
}
