//!include lib/activation_functions.wgsl
//!include lib/binary_crossentropy_terms.wgsl

// The binary output head fused into one dispatch: the last Dense layer (1 unit, sigmoid),
// binary cross-entropy from its logits, and that layer's whole backward pass. A training step
// of an MLP then needs one dispatch for its output instead of four (forward, loss, weight
// gradient, data gradient), and on small models dispatches, not FLOPs, are the cost.
//
//   z[r]        = Σ_i X[r, i] w[i] + b                    (logits; X is the previous output)
//   loss, acc   += bce_row of lib/binary_crossentropy_terms.wgsl   (running sums of lib/metrics.wgsl, read once per epoch)
//   dz[r]       = w[r] · (sigmoid(z[r]) − t[r]) / rows       (w: sample weights, 1 unless WEIGHTED)
//   dw[i]       = Σ_r X[r, i] dz[r],   db = Σ_r dz[r]
//   dZprev[r,i] = dz[r] · w[i] · act_prev'(X[r, i])        (only when a previous layer exists)
//
// A single workgroup runs the phases in order, separated by barriers; dz goes through a
// global scratch buffer (storageBarrier makes it visible to the whole workgroup), so any batch
// size works.

struct HeadParams {
  rows: u32,
  inputs: u32,
  // Windows of the resident dataset: X rows (when the head is the only layer) and labels.
  x_row_offset: u32,
  label_row_offset: u32,
  // Where this layer's kernel and bias sit in the model's flat parameter buffer, and so in its
  // gradient buffer (same layout). One binding each keeps the kernel within WebGPU's default
  // limit of 8 storage buffers per stage.
  weights_offset: u32,
  bias_offset: u32,
  // Where a gelu or swish previous layer keeps its pre-activations in `x` (floats; dense.wgsl
  // STORE_PRE): their derivative needs z, not the output. A uniform because it depends on the
  // batch's rows: one pipeline serves every batch size.
  prev_pre_offset: u32,
}

override PREV_ACTIVATION: u32 = 0u;
override PREV_ACTIVATION_ALPHA: f32 = 0.0;
override HAS_PREVIOUS_LAYER: bool = true;
override USE_BIAS: bool = true;
// Keras's sample weights scale each row's loss and gradient (the metrics stay unweighted).
override WEIGHTED: bool = false;
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: HeadParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> parameters: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: Metrics;
@group(0) @binding(5) var<storage, read_write> dz: array<f32>;
@group(0) @binding(6) var<storage, read_write> gradients: array<f32>;
@group(0) @binding(7) var<storage, read_write> dz_prev: array<f32>;
// Read only when WEIGHTED (unweighted heads bind the labels in its place): the eighth storage
// buffer, WebGPU's default per-stage limit.
@group(0) @binding(8) var<storage, read> sample_weight: array<f32>;

@compute @workgroup_size(WG)
fn train(@builtin(local_invocation_index) lid: u32) {
  let rows = params.rows;
  let inputs = params.inputs;
  let first_row = params.x_row_offset;

  // Forward and loss: one row per invocation at a time.
  let w0 = params.weights_offset;
  var b = 0.0;
  if (USE_BIAS) { b = parameters[params.bias_offset]; }
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < rows; r += WG) {
    let xr = (first_row + r) * inputs;
    var z = b;
    for (var i = 0u; i < inputs; i++) { z += x[xr + i] * parameters[w0 + i]; }
    let row = bce_row(sums, r, z, true);
    sums = row.sums;
    dz[r] = row.gradient;
  }
  accumulate(lid, sums, rows);
  storageBarrier();
  workgroupBarrier();

  // Parameter gradients: one input feature per invocation at a time; the bias by reduction.
  for (var i = lid; i < inputs; i += WG) {
    var sum = 0.0;
    for (var r = 0u; r < rows; r++) { sum += x[(first_row + r) * inputs + i] * dz[r]; }
    gradients[w0 + i] = sum;
  }
  if (USE_BIAS) {
    var partial = 0.0;
    for (var r = lid; r < rows; r += WG) { partial += dz[r]; }
    let total = workgroup_reduce(lid, RowSums(partial, 0u, 0.0, 0.0));
    if (lid == 0u) { gradients[params.bias_offset] = total.loss; }
  }

  // The previous layer's pre-activation gradient, its activation derivative folded in.
  if (HAS_PREVIOUS_LAYER) {
    let count = rows * inputs;
    for (var e = lid; e < count; e += WG) {
      let r = e / inputs;
      let i = e - r * inputs;
      let xi = (first_row + r) * inputs + i;
      var saved = x[xi];
      if (slope_needs_pre(PREV_ACTIVATION)) { saved = x[params.prev_pre_offset + xi]; }
      dz_prev[e] = dz[r] * parameters[w0 + i] * activation_slope(PREV_ACTIVATION, PREV_ACTIVATION_ALPHA, saved);
    }
  }
}
