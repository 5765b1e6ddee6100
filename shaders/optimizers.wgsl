//!include lib/grid.wgsl

// Every optimizer, in place, over one flat buffer holding every parameter of a model (one
// dispatch per step, whatever the number of layers), four parameters per invocation: vec4
// loads and math cut the per-element cost ~3x on SwiftShader, so buffers are sized in whole
// vec4s (the parameter buffers pad every tensor anyway; a padding element has zero value and
// zero gradient, so zero slots and a zero update in every formula below).
//
// Keras 3's formulas and order of operations (keras/src/optimizers/*.py). The learning rate
// (a schedule evaluated at the step) and Adam's bias correction are computed on the CPU per
// step, so `step_size` is lr, or for Adam α = lr·√(1 − β2^t) / (1 − β1^t).
// Two state slots per parameter, `m` and `v`; each entry point says what they hold.

struct OptimizerParams {
  // Number of vec4 groups to update.
  count: u32,
  step_size: f32,
  // SGD and RMSprop momentum.
  momentum: f32,
  // RMSprop's ρ.
  rho: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  // Adagrad: the accumulator's initial value (slot v holds accumulator − initial, so a zeroed
  // slot is a fresh accumulator).
  initial_accumulator: f32,
  // AdamW: lr·weight_decay, the decoupled decay applied before the update.
  decay: f32,
  // The gradient arrives in `partials` slices of `partial_stride` vec4s each (the fused MLP
  // kernel's workgroups write one each), summed here in slice order: 1 for every other step.
  partials: u32,
  partial_stride: u32,
}

override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: OptimizerParams;
@group(0) @binding(1) var<storage, read_write> theta: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> v: array<vec4<f32>>;

// The step's gradient of group i: the sum of its slices, in a fixed order (deterministic).
fn gradient(i: u32) -> vec4<f32> {
  var g = grad[i];
  for (var k = 1u; k < params.partials; k++) { g += grad[i + k * params.partial_stride]; }
  return g;
}

// SGD without momentum: θ −= lr·g.
@compute @workgroup_size(WG)
fn sgd(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  theta[i] -= gradient(i) * params.step_size;
}

// m (the velocity) = momentum·m − lr·g.
fn sgd_velocity(i: u32, g: vec4<f32>) -> vec4<f32> {
  let velocity = m[i] * params.momentum - g * params.step_size;
  m[i] = velocity;
  return velocity;
}

// SGD with momentum: θ += m.
@compute @workgroup_size(WG)
fn sgd_momentum(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  theta[i] += sgd_velocity(i, gradient(i));
}

// Nesterov momentum: θ += momentum·m − lr·g (with the new m).
@compute @workgroup_size(WG)
fn sgd_nesterov(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  let g = gradient(i);
  let velocity = sgd_velocity(i, g);
  theta[i] += velocity * params.momentum - g * params.step_size;
}

// v (the mean square) = ρ·v + (1 − ρ)·g².
fn rms_velocity(i: u32, g: vec4<f32>) -> vec4<f32> {
  let velocity = params.rho * v[i] + (1.0 - params.rho) * (g * g);
  v[i] = velocity;
  return velocity;
}

// RMSprop: θ −= lr·g / √(v + ε).
@compute @workgroup_size(WG)
fn rmsprop(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  let g = gradient(i);
  theta[i] -= params.step_size * g / sqrt(rms_velocity(i, g) + params.epsilon);
}

// RMSprop with momentum: m = momentum·m + lr·g / √(v + ε); θ −= m.
@compute @workgroup_size(WG)
fn rmsprop_momentum(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  let g = gradient(i);
  let increment = params.step_size * g / sqrt(rms_velocity(i, g) + params.epsilon);
  let accumulated = params.momentum * m[i] + increment;
  m[i] = accumulated;
  theta[i] -= accumulated;
}

// Centered RMSprop: m (the mean gradient) = ρ·m + (1 − ρ)·g; θ −= lr·g / √(v − m² + ε).
@compute @workgroup_size(WG)
fn rmsprop_centered(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  let g = gradient(i);
  let velocity = rms_velocity(i, g);
  let mean = params.rho * m[i] + (1.0 - params.rho) * g;
  m[i] = mean;
  theta[i] -= params.step_size * g / sqrt(velocity - mean * mean + params.epsilon);
}

// Adagrad: accumulator += g²; θ −= lr·g / √(accumulator + ε).
@compute @workgroup_size(WG)
fn adagrad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  let g = gradient(i);
  let excess = v[i] + g * g;
  v[i] = excess;
  theta[i] -= params.step_size * g / sqrt(excess + params.initial_accumulator + params.epsilon);
}

// m += (g − m)(1 − β1); v += (g² − v)(1 − β2); θ = start − m·α / (√v + ε), so ε applies to √v
// of the uncorrected v ("epsilon hat"), exactly as Keras does.
fn adam_update(i: u32, start: vec4<f32>) {
  let g = gradient(i);
  let m_new = m[i] + (g - m[i]) * (1.0 - params.beta1);
  let v_new = v[i] + (g * g - v[i]) * (1.0 - params.beta2);
  m[i] = m_new;
  v[i] = v_new;
  theta[i] = start - m_new * params.step_size / (sqrt(v_new) + params.epsilon);
}

@compute @workgroup_size(WG)
fn adam(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  adam_update(i, theta[i]);
}

// AdamW: Keras's decoupled decay θ −= θ·weight_decay·lr, then the Adam update.
@compute @workgroup_size(WG)
fn adamw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_index(gid, groups, WG);
  if (i >= params.count) { return; }
  let before = theta[i];
  adam_update(i, before - before * params.decay);
}
