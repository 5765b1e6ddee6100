// Activation functions shared by every kernel that applies or differentiates one.
// Codes (TypeScript: src/kernels/activations.ts): 0 linear, 1 relu, 2 sigmoid, 3 tanh,
// 4 leaky_relu, 5 elu, 6 gelu, 7 softplus, 8 swish.
// `alpha` is leaky_relu's negative slope and elu's scale (each kernel passes its override
// constant); the other activations ignore it.
// Derivatives are written in terms of a SAVED value: the activation's OUTPUT y for every
// activation but gelu and swish, so backward passes need only the stored layer outputs; gelu
// and swish are not invertible from y, so for them the saved value is the pre-activation z,
// which the dense forward pass stores next to y in training (dense.wgsl STORE_PRE).

const ACT_LINEAR: u32 = 0u;
const ACT_RELU: u32 = 1u;
const ACT_SIGMOID: u32 = 2u;
const ACT_TANH: u32 = 3u;
const ACT_LEAKY_RELU: u32 = 4u;
const ACT_ELU: u32 = 5u;
const ACT_GELU: u32 = 6u;
const ACT_SOFTPLUS: u32 = 7u;
const ACT_SWISH: u32 = 8u;

const INV_SQRT_2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

fn sigmoid(pre: f32) -> f32 {
  // Below -88, exp(-pre) overflows to +inf and the quotient is exactly 0: no NaN.
  return 1.0 / (1.0 + exp(-pre));
}

// sigmoid without any overflowing intermediate: exp of a non-positive argument only.
fn sigmoid_stable(v: f32) -> f32 {
  let e = exp(-abs(v));
  let s = 1.0 / (1.0 + e);
  return select(e * s, s, v >= 0.0);
}

// exp(v) − 1 without cancellation near 0 (WGSL has no expm1): Taylor through v⁵ for |v| < 0.1
// (remainder < 1.4e-8 relative, below f32's ulp); beyond, exp(v) − 1 loses < 1e-6 relative.
fn expm1_f32(v: f32) -> f32 {
  if (abs(v) < 0.1) {
    return v * (1.0 + v * (0.5 + v * (0.16666667 + v * (0.041666668 + v * 0.008333334))));
  }
  return exp(v) - 1.0;
}

// log(1 + u) for u in [0, 1] from basic arithmetic only (WGSL has no log1p, and log near 1 is
// only accurate to 2⁻²¹ absolute): 2·atanh(s), s = u / (2 + u) ≤ 1/3, as its odd series through
// s¹⁵ (remainder < 1.5e-9 relative).
fn log1p_unit(u: f32) -> f32 {
  let s = u / (2.0 + u);
  let s2 = s * s;
  let series = 1.0 + s2 * (0.33333334 + s2 * (0.2 + s2 * (0.14285715 + s2 * (0.11111111 + s2 * (0.09090909 + s2 * (0.07692308 + s2 * 0.06666667))))));
  return 2.0 * s * series;
}

// erfc(v), Numerical Recipes' Chebyshev fit `erfcc` (fractional error < 1.2e-7 everywhere in
// exact arithmetic; in f32 a few ulp more). Relative accuracy in the tail is what keeps
// gelu(z) accurate for negative z, where 1 + erf(z/√2) would cancel. |v| is capped at 10
// (erfc(10) ≈ 2e-45 is already 0 in f32) so v·v never overflows.
fn erfc_approx(v: f32) -> f32 {
  let a = min(abs(v), 10.0);
  let t = 1.0 / (1.0 + 0.5 * a);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = t * exp(p - a * a);
  return select(2.0 - r, r, v >= 0.0);
}

// Φ(z), the standard normal CDF: 0.5·(1 + erf(z/√2)) = 0.5·erfc(−z/√2).
fn normal_cdf(pre: f32) -> f32 {
  return 0.5 * erfc_approx(-pre * INV_SQRT_2);
}

// d gelu / dz = Φ(z) + z·φ(z); z is capped at ±20 inside φ (φ(20) ≈ 5e-88 is 0 in f32).
fn gelu_slope(pre: f32) -> f32 {
  let c = clamp(pre, -20.0, 20.0);
  return normal_cdf(pre) + c * exp(-0.5 * c * c) * INV_SQRT_2PI;
}

fn activate(code: u32, alpha: f32, pre: f32) -> f32 {
  switch code {
    case ACT_RELU: { return max(pre, 0.0); }
    case ACT_SIGMOID: { return sigmoid(pre); }
    // Clamped because some backends expand tanh through exp(2z), which overflows to NaN;
    // tanh(±15) already rounds to ±1 in f32.
    case ACT_TANH: { return tanh(clamp(pre, -15.0, 15.0)); }
    case ACT_LEAKY_RELU: { return select(alpha * pre, pre, pre > 0.0); }
    case ACT_ELU: { return select(alpha * expm1_f32(min(pre, 0.0)), pre, pre > 0.0); }
    // Keras's default gelu (approximate=False): z·Φ(z).
    case ACT_GELU: { return pre * normal_cdf(pre); }
    // max(z, 0) + log1p(exp(−|z|)): exact to f32 at both ends, no overflow.
    case ACT_SOFTPLUS: { return max(pre, 0.0) + log1p_unit(exp(-abs(pre))); }
    case ACT_SWISH: { return pre * sigmoid_stable(pre); }
    default: { return pre; }
  }
}

fn activate4(code: u32, alpha: f32, pre: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(activate(code, alpha, pre.x), activate(code, alpha, pre.y), activate(code, alpha, pre.z), activate(code, alpha, pre.w));
}

// True when activation_slope takes the pre-activation z (gelu, swish) instead of the output y.
fn slope_needs_pre(code: u32) -> bool {
  return code == ACT_GELU || code == ACT_SWISH;
}

// d act / d z, from the saved value: y = act(z), or z itself where slope_needs_pre.
// ReLU's derivative at 0 is taken as 0 (as in TF); leaky_relu's and elu's as alpha (TF's too).
// The output-based forms of leaky_relu and elu need alpha ≥ 0 (then y > 0 ⇔ z > 0).
fn activation_slope(code: u32, alpha: f32, saved: f32) -> f32 {
  switch code {
    case ACT_RELU: { return select(0.0, 1.0, saved > 0.0); }
    case ACT_SIGMOID: { return saved * (1.0 - saved); }
    case ACT_TANH: { return 1.0 - saved * saved; }
    case ACT_LEAKY_RELU: { return select(alpha, 1.0, saved > 0.0); }
    // For z ≤ 0: alpha·exp(z) = y + alpha.
    case ACT_ELU: { return select(saved + alpha, 1.0, saved > 0.0); }
    case ACT_GELU: { return gelu_slope(saved); }
    // sigmoid(z) = 1 − exp(−y), without cancellation for small y.
    case ACT_SOFTPLUS: { return -expm1_f32(-saved); }
    // d(z·s)/dz = s·(1 + z·(1 − s)), s = sigmoid(z).
    case ACT_SWISH: {
      let s = sigmoid_stable(saved);
      return s * (1.0 + saved * (1.0 - s));
    }
    default: { return 1.0; }
  }
}

fn activation_slope4(code: u32, alpha: f32, saved: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(
    activation_slope(code, alpha, saved.x), activation_slope(code, alpha, saved.y),
    activation_slope(code, alpha, saved.z), activation_slope(code, alpha, saved.w));
}
