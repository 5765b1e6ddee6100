// Activation functions shared by every kernel that applies or differentiates one.
// Codes (TypeScript: src/kernels/activation-codes.ts): 0 linear, 1 relu, 2 sigmoid, 3 tanh.
// Derivatives are written in terms of the activation's OUTPUT y, so backward passes need
// only the stored layer outputs, never the pre-activations.

const ACT_LINEAR: u32 = 0u;
const ACT_RELU: u32 = 1u;
const ACT_SIGMOID: u32 = 2u;
const ACT_TANH: u32 = 3u;

fn sigmoid(pre: f32) -> f32 {
  // Below -88, exp(-pre) overflows to +inf and the quotient is exactly 0: no NaN.
  return 1.0 / (1.0 + exp(-pre));
}

fn activate(code: u32, pre: f32) -> f32 {
  switch code {
    case ACT_RELU: { return max(pre, 0.0); }
    case ACT_SIGMOID: { return sigmoid(pre); }
    // Clamped because some backends expand tanh through exp(2z), which overflows to NaN;
    // tanh(±15) already rounds to ±1 in f32.
    case ACT_TANH: { return tanh(clamp(pre, -15.0, 15.0)); }
    default: { return pre; }
  }
}

fn activate4(code: u32, pre: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(activate(code, pre.x), activate(code, pre.y), activate(code, pre.z), activate(code, pre.w));
}

// d act / d z, expressed through y = act(z). ReLU's derivative at 0 is taken as 0 (as in TF).
fn activation_slope(code: u32, post: f32) -> f32 {
  switch code {
    case ACT_RELU: { return select(0.0, 1.0, post > 0.0); }
    case ACT_SIGMOID: { return post * (1.0 - post); }
    case ACT_TANH: { return 1.0 - post * post; }
    default: { return 1.0; }
  }
}

fn activation_slope4(code: u32, post: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(
    activation_slope(code, post.x), activation_slope(code, post.y),
    activation_slope(code, post.z), activation_slope(code, post.w));
}
