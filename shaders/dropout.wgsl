//!include lib/activation_functions.wgsl
//!include lib/grid.wgsl

// Inverted dropout (Keras): in training, each element is kept with probability ≈ 1 − rate and
// scaled by 1/(1 − rate), or set to 0. The mask is a pure function of (seed, optimizer step,
// batch row, unit) — a counter-based hash, identical to src/reference/dropout.ts — so the
// forward and backward dispatches of a step, and the float64 reference, draw the same mask
// without storing it.

struct DropoutParams {
  rows: u32,
  width: u32,
  // First row of `source` read: the first layer's input is a window of the resident dataset.
  source_row_offset: u32,
  seed: u32,
  // Optimizer step (1-based): a new mask every step.
  step: u32,
  // An element whose hash is below this is dropped (⌊rate·2³²⌋).
  threshold: u32,
  scale: f32,
}

// Folded into backward: the activation derivative of the layer whose output was dropped,
// for producers of the gradient that saw only the dropped copy (the fused output head).
override PREV_ACTIVATION: u32 = 0u;
override PREV_ACTIVATION_ALPHA: f32 = 0.0;
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: DropoutParams;
@group(0) @binding(1) var<storage, read> source: array<f32>;
@group(0) @binding(2) var<storage, read_write> dropped: array<f32>;
@group(0) @binding(3) var<storage, read_write> gradient: array<f32>;
// The undropped output of the previous layer, or its pre-activation for an activation whose
// derivative needs it (gelu, swish): what PREV_ACTIVATION's derivative reads.
@group(0) @binding(4) var<storage, read> y_prev: array<f32>;

// lowbias32 (Chris Wellons): a bijective 32-bit mixer.
fn mix32(value: u32) -> u32 {
  var x = value;
  x = (x ^ (x >> 16u)) * 0x7feb352du;
  x = (x ^ (x >> 15u)) * 0x846ca68bu;
  return x ^ (x >> 16u);
}

fn dropout_hash(seed: u32, step: u32, row: u32, unit: u32) -> u32 {
  var h = mix32(seed ^ 0x9e3779b9u);
  h = mix32(h ^ step);
  h = mix32(h ^ row);
  return mix32(h ^ unit);
}

fn keeps(i: u32) -> bool {
  return dropout_hash(params.seed, params.step, i / params.width, i % params.width) >= params.threshold;
}

// dropped = source ⊙ mask over a [rows × width] batch.
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.rows * params.width) { return; }
  let value = source[params.source_row_offset * params.width + i];
  dropped[i] = select(0.0, value * params.scale, keeps(i));
}

// gradient ⊙= mask ⊙ act_prev'(y_prev), in place: from the gradient w.r.t. the dropped copy to
// the gradient w.r.t. the previous layer's pre-activation (with PREV_ACTIVATION = linear, the
// gradient w.r.t. the undropped input).
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.rows * params.width) { return; }
  let slope = activation_slope(PREV_ACTIVATION, PREV_ACTIVATION_ALPHA, y_prev[i]);
  gradient[i] = select(0.0, gradient[i] * params.scale * slope, keeps(i));
}
