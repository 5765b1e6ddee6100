//!include lib/activation.wgsl
//!include lib/metrics.wgsl
//!include lib/sample_weight.wgsl
//!include lib/binary_crossentropy.wgsl

// Binary cross-entropy of a batch (formulas in lib/binary_crossentropy.wgsl): the gradient of
// the batch loss, plus running sums (lib/metrics.wgsl) that stay on the GPU until someone reads
// them (once per epoch).
//
// With per-sample weights w (WEIGHTED), Keras's sum_over_batch_size reduction: the batch loss
// is Σ w·l / rows, so the loss sum gets w·l and the gradient w·dl/rows. The error and accuracy
// sums stay unweighted (Keras's `metrics`, not `weighted_metrics`).
//
// One workgroup reduces the whole batch: each invocation strides over rows, then a tree
// reduction in workgroup memory.

struct LossParams {
  rows: u32,
  // First row of `labels` (and `sample_weight`) read: a batch is a window of the resident dataset.
  label_row_offset: u32,
}

override WG: u32 = 256u;
override WEIGHTED: bool = false;

@group(0) @binding(0) var<uniform> params: LossParams;
@group(0) @binding(1) var<storage, read> prediction: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> gradient: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: Metrics;
@group(0) @binding(5) var<storage, read> sample_weight: array<f32>;

@compute @workgroup_size(WG)
fn logits_train(@builtin(local_invocation_index) lid: u32) {
  let rows = params.rows;
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < rows; r += WG) {
    let z = prediction[r];
    let t = labels[params.label_row_offset + r];
    let p = sigmoid(z);
    let w = weight_of(r);
    sums = bce_row(sums, logits_loss(z, t), p, t, w);
    gradient[r] = w * (p - t) / f32(rows);
  }
  accumulate(lid, sums, rows);
}

@compute @workgroup_size(WG)
fn logits_eval(@builtin(local_invocation_index) lid: u32) {
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) {
    let z = prediction[r];
    let t = labels[params.label_row_offset + r];
    sums = bce_row(sums, logits_loss(z, t), sigmoid(z), t, weight_of(r));
  }
  accumulate(lid, sums, params.rows);
}

@compute @workgroup_size(WG)
fn probs_train(@builtin(local_invocation_index) lid: u32) {
  let rows = params.rows;
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < rows; r += WG) {
    let p = prediction[r];
    let t = labels[params.label_row_offset + r];
    let w = weight_of(r);
    sums = bce_row(sums, probs_loss(p, t), p, t, w);
    gradient[r] = w * probs_gradient(p, t, f32(rows));
  }
  accumulate(lid, sums, rows);
}

@compute @workgroup_size(WG)
fn probs_eval(@builtin(local_invocation_index) lid: u32) {
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) {
    let p = prediction[r];
    let t = labels[params.label_row_offset + r];
    sums = bce_row(sums, probs_loss(p, t), p, t, weight_of(r));
  }
  accumulate(lid, sums, params.rows);
}
