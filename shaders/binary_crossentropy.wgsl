// Binary cross-entropy of a batch (formulas in lib/binary_crossentropy.wgsl): the gradient of
// the batch-mean loss, plus running sums of the loss and of correct predictions that stay on
// the GPU until someone reads them (once per epoch).
//
// One workgroup reduces the whole batch (each invocation strides over rows, then a tree
// reduction in workgroup memory), so the running sums need no atomics: dispatches in a pass
// run in order, and only invocation 0 touches the sums.

struct LossParams {
  rows: u32,
  // First row of `labels` read: labels of a batch are a window of the resident dataset.
  label_row_offset: u32,
}

override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: LossParams;
@group(0) @binding(1) var<storage, read> prediction: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> gradient: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: Metrics;

@compute @workgroup_size(WG)
fn logits_train(@builtin(local_invocation_index) lid: u32) {
  let rows = params.rows;
  var loss = 0.0;
  var correct = 0u;
  for (var r = lid; r < rows; r += WG) {
    let z = prediction[r];
    let t = labels[params.label_row_offset + r];
    let p = sigmoid(z);
    loss += logits_loss(z, t);
    correct += is_correct(p, t);
    gradient[r] = (p - t) / f32(rows);
  }
  accumulate(lid, loss, correct, rows);
}

@compute @workgroup_size(WG)
fn logits_eval(@builtin(local_invocation_index) lid: u32) {
  var loss = 0.0;
  var correct = 0u;
  for (var r = lid; r < params.rows; r += WG) {
    let z = prediction[r];
    let t = labels[params.label_row_offset + r];
    loss += logits_loss(z, t);
    correct += is_correct(sigmoid(z), t);
  }
  accumulate(lid, loss, correct, params.rows);
}

@compute @workgroup_size(WG)
fn probs_train(@builtin(local_invocation_index) lid: u32) {
  let rows = params.rows;
  var loss = 0.0;
  var correct = 0u;
  for (var r = lid; r < rows; r += WG) {
    let p = prediction[r];
    let t = labels[params.label_row_offset + r];
    loss += probs_loss(p, t);
    correct += is_correct(p, t);
    gradient[r] = probs_gradient(p, t, f32(rows));
  }
  accumulate(lid, loss, correct, rows);
}

@compute @workgroup_size(WG)
fn probs_eval(@builtin(local_invocation_index) lid: u32) {
  var loss = 0.0;
  var correct = 0u;
  for (var r = lid; r < params.rows; r += WG) {
    let p = prediction[r];
    let t = labels[params.label_row_offset + r];
    loss += probs_loss(p, t);
    correct += is_correct(p, t);
  }
  accumulate(lid, loss, correct, params.rows);
}
