//!include lib/activation_functions.wgsl

// Dense (fully connected) layer: Y = act(X · W + b), and its gradients.
// Layouts are row-major and Keras's: X [rows, inputs], W [inputs, units], b [units],
// Y [rows, units]. `rows` is the batch.
//
// Every entry point is register-blocked: an invocation owns a 4×4 block of its output and
// keeps it in four vec4 accumulators. Per step of the reduction it loads 4 + 4 operands and
// does 16 multiply-adds, a quarter of the loads of one-thread-per-element; on SwiftShader that
// measured ~8x faster. Loads clamp their row/column index to the last valid one, so the inner
// loop has no branches for ragged edges (duplicated values land in lanes that are never
// stored); stores are masked. Hence any shape ≥ 1 works, not only multiples of 4.
// Workgroup shape (WG_X × WG_Y blocks, i.e. a (4·WG_X) × (4·WG_Y) output tile) is chosen from
// the output's columns by TypeScript through the override constants (never from the batch's
// rows, so every batch size shares the pipelines).

struct DenseParams {
  rows: u32,
  inputs: u32,
  units: u32,
  // First row of `x` read: a batch is a window of a dataset resident on the GPU.
  x_row_offset: u32,
  // First row of `y` written: predictions over large inputs are computed in chunks.
  y_row_offset: u32,
  // With STORE_PRE: the float of `y` where the pre-activations start. A uniform, not an
  // override, because it depends on the batch's rows: one pipeline serves every batch size.
  pre_offset: u32,
}

override ACTIVATION: u32 = 0u;       // this layer's activation (lib/activation_functions.wgsl codes)
override ACTIVATION_ALPHA: f32 = 0.0;
override PREV_ACTIVATION: u32 = 0u;  // the previous layer's, folded into backward_data
override PREV_ACTIVATION_ALPHA: f32 = 0.0;
// Training a gelu or swish layer: forward also writes the pre-activations Z into `y`, at
// params.pre_offset floats (a multiple of 64, i.e. 256 bytes: the next layer's backward_data
// binds that range as `y_prev`, lib/activation_functions.wgsl's saved value). Off everywhere else.
override STORE_PRE: bool = false;
override USE_BIAS: bool = true;
override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

@group(0) @binding(0) var<uniform> params: DenseParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> weights: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read> dz: array<f32>;
@group(0) @binding(6) var<storage, read> y_prev: array<f32>;
@group(0) @binding(7) var<storage, read_write> dz_prev: array<f32>;
@group(0) @binding(8) var<storage, read_write> d_weights: array<f32>;
@group(0) @binding(9) var<storage, read_write> d_bias: array<f32>;

// The 4 indices first, first+1, ... clamped to count-1.
fn clamped4(first: u32, count: u32) -> vec4<u32> {
  return min(vec4<u32>(first) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(count - 1u));
}

// Forward: Y[r, u] = act(Σ_i X[r, i] W[i, u] + b[u]).
// Grid: x over blocks of 4 units, y over blocks of 4 rows.
@compute @workgroup_size(WG_X, WG_Y)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let rows = params.rows;
  let inputs = params.inputs;
  let units = params.units;
  let u0 = gid.x * 4u;
  let r0 = gid.y * 4u;
  if (u0 >= units || r0 >= rows) { return; }
  let u = clamped4(u0, units);
  let xr = (clamped4(r0, rows) + vec4<u32>(params.x_row_offset)) * inputs;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var i = 0u; i < inputs; i++) {
    let wi = i * units;
    let w = vec4<f32>(weights[wi + u.x], weights[wi + u.y], weights[wi + u.z], weights[wi + u.w]);
    acc0 += x[xr.x + i] * w;
    acc1 += x[xr.y + i] * w;
    acc2 += x[xr.z + i] * w;
    acc3 += x[xr.w + i] * w;
  }
  if (USE_BIAS) {
    let b = vec4<f32>(bias[u.x], bias[u.y], bias[u.z], bias[u.w]);
    acc0 += b;
    acc1 += b;
    acc2 += b;
    acc3 += b;
  }
  store_block(0u, r0, u0,
    activate4(ACTIVATION, ACTIVATION_ALPHA, acc0), activate4(ACTIVATION, ACTIVATION_ALPHA, acc1),
    activate4(ACTIVATION, ACTIVATION_ALPHA, acc2), activate4(ACTIVATION, ACTIVATION_ALPHA, acc3));
  if (STORE_PRE) { store_block(params.pre_offset, r0, u0, acc0, acc1, acc2, acc3); }
}

// Stores the 4×4 block of batch rows r0… and units u0… at float `first` of y (the output, or
// the pre-activations after it); rows past the batch and units past the layer are skipped.
fn store_block(first: u32, r0: u32, u0: u32, b0: vec4<f32>, b1: vec4<f32>, b2: vec4<f32>, b3: vec4<f32>) {
  let rows = params.rows;
  let row = params.y_row_offset + r0;
  store_y(first, row, r0 < rows, u0, b0);
  store_y(first, row + 1u, r0 + 1u < rows, u0, b1);
  store_y(first, row + 2u, r0 + 2u < rows, u0, b2);
  store_y(first, row + 3u, r0 + 3u < rows, u0, b3);
}

fn store_y(first: u32, row: u32, in_range: bool, u0: u32, v: vec4<f32>) {
  if (!in_range) { return; }
  let units = params.units;
  let base = first + row * units + u0;
  y[base] = v.x;
  if (u0 + 1u < units) { y[base + 1u] = v.y; }
  if (u0 + 2u < units) { y[base + 2u] = v.z; }
  if (u0 + 3u < units) { y[base + 3u] = v.w; }
}

// Gradient w.r.t. the layer input, with the previous layer's activation derivative folded in:
// dZprev[r, i] = (Σ_u dZ[r, u] W[i, u]) · act_prev'(Yprev[r, i]).
// With PREV_ACTIVATION = linear this is the plain dX = dZ · Wᵀ. For a gelu or swish previous
// layer, `y_prev` holds its pre-activations instead (see activation_slope).
// Grid: x over blocks of 4 inputs, y over blocks of 4 rows.
@compute @workgroup_size(WG_X, WG_Y)
fn backward_data(@builtin(global_invocation_id) gid: vec3<u32>) {
  let rows = params.rows;
  let inputs = params.inputs;
  let units = params.units;
  let i0 = gid.x * 4u;
  let r0 = gid.y * 4u;
  if (i0 >= inputs || r0 >= rows) { return; }
  let wr = clamped4(i0, inputs) * units;
  let dr = clamped4(r0, rows) * units;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var u = 0u; u < units; u++) {
    let w = vec4<f32>(weights[wr.x + u], weights[wr.y + u], weights[wr.z + u], weights[wr.w + u]);
    acc0 += dz[dr.x + u] * w;
    acc1 += dz[dr.y + u] * w;
    acc2 += dz[dr.z + u] * w;
    acc3 += dz[dr.w + u] * w;
  }
  store_dz_prev(r0, rows, i0, acc0);
  store_dz_prev(r0 + 1u, rows, i0, acc1);
  store_dz_prev(r0 + 2u, rows, i0, acc2);
  store_dz_prev(r0 + 3u, rows, i0, acc3);
}

fn store_dz_prev(row: u32, rows: u32, i0: u32, v: vec4<f32>) {
  if (row >= rows) { return; }
  let inputs = params.inputs;
  let base = row * inputs + i0;
  let yi = min(vec4<u32>(base) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(row * inputs + inputs - 1u));
  let slope = activation_slope4(
    PREV_ACTIVATION, PREV_ACTIVATION_ALPHA, vec4<f32>(y_prev[yi.x], y_prev[yi.y], y_prev[yi.z], y_prev[yi.w]));
  let g = v * slope;
  dz_prev[base] = g.x;
  if (i0 + 1u < inputs) { dz_prev[base + 1u] = g.y; }
  if (i0 + 2u < inputs) { dz_prev[base + 2u] = g.z; }
  if (i0 + 3u < inputs) { dz_prev[base + 3u] = g.w; }
}

// Gradients w.r.t. the parameters: dW[i, u] = Σ_r X[r, i] dZ[r, u] and db[u] = Σ_r dZ[r, u].
// Both are written, never accumulated, so repeating a step gives the same gradients.
// Grid: x over blocks of 4 units, y over blocks of 4 inputs; the blocks of the first input
// row also write the bias gradient.
@compute @workgroup_size(WG_X, WG_Y)
fn backward_weights(@builtin(global_invocation_id) gid: vec3<u32>) {
  let rows = params.rows;
  let inputs = params.inputs;
  let units = params.units;
  let u0 = gid.x * 4u;
  let i0 = gid.y * 4u;
  if (u0 >= units || i0 >= inputs) { return; }
  let u = clamped4(u0, units);
  let i = clamped4(i0, inputs);

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var acc_bias = vec4<f32>(0.0);
  for (var r = 0u; r < rows; r++) {
    let xr = (params.x_row_offset + r) * inputs;
    let dr = r * units;
    let d = vec4<f32>(dz[dr + u.x], dz[dr + u.y], dz[dr + u.z], dz[dr + u.w]);
    acc0 += x[xr + i.x] * d;
    acc1 += x[xr + i.y] * d;
    acc2 += x[xr + i.z] * d;
    acc3 += x[xr + i.w] * d;
    acc_bias += d;
  }
  store_d_weights(i0, inputs, u0, acc0);
  store_d_weights(i0 + 1u, inputs, u0, acc1);
  store_d_weights(i0 + 2u, inputs, u0, acc2);
  store_d_weights(i0 + 3u, inputs, u0, acc3);
  if (USE_BIAS && i0 == 0u) {
    d_bias[u0] = acc_bias.x;
    if (u0 + 1u < units) { d_bias[u0 + 1u] = acc_bias.y; }
    if (u0 + 2u < units) { d_bias[u0 + 2u] = acc_bias.z; }
    if (u0 + 3u < units) { d_bias[u0 + 3u] = acc_bias.w; }
  }
}

fn store_d_weights(row: u32, inputs: u32, u0: u32, v: vec4<f32>) {
  if (row >= inputs) { return; }
  let units = params.units;
  let base = row * units + u0;
  d_weights[base] = v.x;
  if (u0 + 1u < units) { d_weights[base + 1u] = v.y; }
  if (u0 + 2u < units) { d_weights[base + 2u] = v.z; }
  if (u0 + 3u < units) { d_weights[base + 3u] = v.w; }
}

// ---------------------------------------------------------------------------------------------
// Aligned variants: when a layer's inputs and units are both multiples of 4 (every hidden
// layer of 128 units, say), rows of X, W, Y and dZ are whole vec4s, so each operand comes in
// with one 16-byte load instead of four scalar ones and the reduction advances 4 at a time
// (16 vec4 multiply-adds per 8 loads). Same 4×4 output blocks, same clamped reads and masked
// writes along rows; columns need no masking. Same-run A/B on SwiftShader, 32×128×128:
// forward 1.29x, backward_data 1.33x, backward_weights 1.76x the generic kernels.

@group(0) @binding(10) var<storage, read> x4: array<vec4<f32>>;
@group(0) @binding(11) var<storage, read> weights4: array<vec4<f32>>;
@group(0) @binding(12) var<storage, read> bias4: array<vec4<f32>>;
@group(0) @binding(13) var<storage, read_write> y4: array<vec4<f32>>;
@group(0) @binding(14) var<storage, read> dz4: array<vec4<f32>>;
@group(0) @binding(15) var<storage, read> y_prev4: array<vec4<f32>>;
@group(0) @binding(16) var<storage, read_write> dz_prev4: array<vec4<f32>>;
@group(0) @binding(17) var<storage, read_write> d_weights4: array<vec4<f32>>;
@group(0) @binding(18) var<storage, read_write> d_bias4: array<vec4<f32>>;

// Forward. Grid: x over groups of 4 units, y over blocks of 4 rows.
@compute @workgroup_size(WG_X, WG_Y)
fn forward_aligned(@builtin(global_invocation_id) gid: vec3<u32>) {
  let rows = params.rows;
  let k4 = params.inputs / 4u;
  let n4 = params.units / 4u;
  let c = gid.x;
  let r0 = gid.y * 4u;
  if (c >= n4 || r0 >= rows) { return; }
  let xr = (clamped4(r0, rows) + vec4<u32>(params.x_row_offset)) * k4;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k = 0u; k < k4; k++) {
    let wb = 4u * k * n4 + c;
    let w0 = weights4[wb];
    let w1 = weights4[wb + n4];
    let w2 = weights4[wb + 2u * n4];
    let w3 = weights4[wb + 3u * n4];
    let a0 = x4[xr.x + k];
    let a1 = x4[xr.y + k];
    let a2 = x4[xr.z + k];
    let a3 = x4[xr.w + k];
    acc0 += a0.x * w0 + a0.y * w1 + a0.z * w2 + a0.w * w3;
    acc1 += a1.x * w0 + a1.y * w1 + a1.z * w2 + a1.w * w3;
    acc2 += a2.x * w0 + a2.y * w1 + a2.z * w2 + a2.w * w3;
    acc3 += a3.x * w0 + a3.y * w1 + a3.z * w2 + a3.w * w3;
  }
  if (USE_BIAS) {
    let b = bias4[c];
    acc0 += b;
    acc1 += b;
    acc2 += b;
    acc3 += b;
  }
  store_block4(0u, r0, c,
    activate4(ACTIVATION, ACTIVATION_ALPHA, acc0), activate4(ACTIVATION, ACTIVATION_ALPHA, acc1),
    activate4(ACTIVATION, ACTIVATION_ALPHA, acc2), activate4(ACTIVATION, ACTIVATION_ALPHA, acc3));
  if (STORE_PRE) { store_block4(params.pre_offset / 4u, r0, c, acc0, acc1, acc2, acc3); }
}

// store_block for the aligned kernels: rows r0… of vec4 column c, at vec4 `first` of y4.
fn store_block4(first: u32, r0: u32, c: u32, b0: vec4<f32>, b1: vec4<f32>, b2: vec4<f32>, b3: vec4<f32>) {
  let rows = params.rows;
  let n4 = params.units / 4u;
  let out = first + (params.y_row_offset + r0) * n4 + c;
  y4[out] = b0;
  if (r0 + 1u < rows) { y4[out + n4] = b1; }
  if (r0 + 2u < rows) { y4[out + 2u * n4] = b2; }
  if (r0 + 3u < rows) { y4[out + 3u * n4] = b3; }
}

// dZprev = (dZ·Wᵀ) ⊙ act_prev'(Yprev). Grid: x over groups of 4 inputs, y over blocks of 4 rows.
@compute @workgroup_size(WG_X, WG_Y)
fn backward_data_aligned(@builtin(global_invocation_id) gid: vec3<u32>) {
  let rows = params.rows;
  let k4 = params.inputs / 4u;
  let n4 = params.units / 4u;
  let g = gid.x;
  let r0 = gid.y * 4u;
  if (g >= k4 || r0 >= rows) { return; }
  let dr = clamped4(r0, rows) * n4;
  let wr = 4u * g * n4;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var u = 0u; u < n4; u++) {
    let w0 = weights4[wr + u];
    let w1 = weights4[wr + n4 + u];
    let w2 = weights4[wr + 2u * n4 + u];
    let w3 = weights4[wr + 3u * n4 + u];
    let d0 = dz4[dr.x + u];
    let d1 = dz4[dr.y + u];
    let d2 = dz4[dr.z + u];
    let d3 = dz4[dr.w + u];
    acc0 += vec4<f32>(dot(d0, w0), dot(d0, w1), dot(d0, w2), dot(d0, w3));
    acc1 += vec4<f32>(dot(d1, w0), dot(d1, w1), dot(d1, w2), dot(d1, w3));
    acc2 += vec4<f32>(dot(d2, w0), dot(d2, w1), dot(d2, w2), dot(d2, w3));
    acc3 += vec4<f32>(dot(d3, w0), dot(d3, w1), dot(d3, w2), dot(d3, w3));
  }
  let out = r0 * k4 + g;
  dz_prev4[out] = acc0 * activation_slope4(PREV_ACTIVATION, PREV_ACTIVATION_ALPHA, y_prev4[out]);
  if (r0 + 1u < rows) { dz_prev4[out + k4] = acc1 * activation_slope4(PREV_ACTIVATION, PREV_ACTIVATION_ALPHA, y_prev4[out + k4]); }
  if (r0 + 2u < rows) { dz_prev4[out + 2u * k4] = acc2 * activation_slope4(PREV_ACTIVATION, PREV_ACTIVATION_ALPHA, y_prev4[out + 2u * k4]); }
  if (r0 + 3u < rows) { dz_prev4[out + 3u * k4] = acc3 * activation_slope4(PREV_ACTIVATION, PREV_ACTIVATION_ALPHA, y_prev4[out + 3u * k4]); }
}

// dW = Xᵀ·dZ, db = Σ dZ. Grid: x over groups of 4 units, y over groups of 4 inputs.
@compute @workgroup_size(WG_X, WG_Y)
fn backward_weights_aligned(@builtin(global_invocation_id) gid: vec3<u32>) {
  let rows = params.rows;
  let k4 = params.inputs / 4u;
  let n4 = params.units / 4u;
  let gu = gid.x;
  let gi = gid.y;
  if (gu >= n4 || gi >= k4) { return; }

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var acc_bias = vec4<f32>(0.0);
  for (var r = 0u; r < rows; r++) {
    let a = x4[(params.x_row_offset + r) * k4 + gi];
    let d = dz4[r * n4 + gu];
    acc0 += a.x * d;
    acc1 += a.y * d;
    acc2 += a.z * d;
    acc3 += a.w * d;
    acc_bias += d;
  }
  let out = 4u * gi * n4 + gu;
  d_weights4[out] = acc0;
  d_weights4[out + n4] = acc1;
  d_weights4[out + 2u * n4] = acc2;
  d_weights4[out + 3u * n4] = acc3;
  if (USE_BIAS && gi == 0u) { d_bias4[gu] = acc_bias; }
}
