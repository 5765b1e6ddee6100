//!include lib/binary_crossentropy_terms.wgsl

// Binary cross-entropy of a batch (formulas and sample weights in
// lib/binary_crossentropy_terms.wgsl): the gradient of the batch loss, plus running sums
// (lib/metrics.wgsl) that stay on the GPU until someone reads them (once per epoch).
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

// One workgroup strides over the batch. Training and evaluation stay two functions because an
// evaluation entry point must not statically use the `gradient` binding (its pipeline has none).
fn train_rows(lid: u32, logits: bool) {
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) {
    let row = bce_row(sums, r, prediction[r], logits);
    sums = row.sums;
    gradient[r] = row.gradient;
  }
  accumulate(lid, sums, params.rows);
}

fn eval_rows(lid: u32, logits: bool) {
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) { sums = bce_row(sums, r, prediction[r], logits).sums; }
  accumulate(lid, sums, params.rows);
}

@compute @workgroup_size(WG)
fn logits_train(@builtin(local_invocation_index) lid: u32) { train_rows(lid, true); }

@compute @workgroup_size(WG)
fn logits_eval(@builtin(local_invocation_index) lid: u32) { eval_rows(lid, true); }

@compute @workgroup_size(WG)
fn probs_train(@builtin(local_invocation_index) lid: u32) { train_rows(lid, false); }

@compute @workgroup_size(WG)
fn probs_eval(@builtin(local_invocation_index) lid: u32) { eval_rows(lid, false); }
