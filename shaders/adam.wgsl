// Adam, in place, over one flat buffer holding every parameter of a model (one dispatch per
// step, whatever the number of layers), four parameters per invocation: vec4 loads and math
// cut the per-element cost ~3x on SwiftShader, so buffers are sized in whole vec4s (the
// parameter buffers pad every tensor anyway; a padding element has zero gradient, so zero
// moments and a zero update). Keras's formula and order of operations:
//   m += (g − m)(1 − β1);  v += (g² − v)(1 − β2);  θ −= m·α / (√v + ε)
// with α = lr·√(1 − β2^t) / (1 − β1^t) computed on the CPU per step (t = step number from 1),
// so ε applies to √v of the uncorrected v ("epsilon hat"), exactly as Keras does.

struct AdamParams {
  // Number of vec4 groups to update.
  count: u32,
  alpha: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
}

override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: AdamParams;
@group(0) @binding(1) var<storage, read_write> theta: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> v: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn step(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  let g = grad[i];
  let m_new = m[i] + (g - m[i]) * (1.0 - params.beta1);
  let v_new = v[i] + (g * g - v[i]) * (1.0 - params.beta2);
  m[i] = m_new;
  v[i] = v_new;
  theta[i] -= m_new * params.alpha / (sqrt(v_new) + params.epsilon);
}
