// Binary cross-entropy: per batch, the mean loss's gradient, plus running sums of the loss
// and of correct predictions that stay on the GPU until someone reads them (once per epoch).
//
// Two forms, as in Keras:
// - from logits z (the output layer's sigmoid fused into the loss), numerically stable:
//     loss = max(z, 0) − z·t + log1p(exp(−|z|)),   dL/dz = (sigmoid(z) − t) / rows
// - from probabilities p, Keras's clipped form with ε = 1e-7:
//     pc = clamp(p, ε, 1 − ε),  loss = −(t·log pc + (1 − t)·log(1 − pc)),
//     dL/dp = (pc − t) / (pc (1 − pc)) / rows inside the clip range, 0 outside.
// Accuracy is Keras's binary accuracy: (p > 0.5) == t, with p = sigmoid(z) for logits.
//
// One workgroup reduces the whole batch (each invocation strides over rows, then a tree
// reduction in workgroup memory), so the running sums need no atomics: dispatches in a pass
// run in order, and only invocation 0 touches the sums.

struct LossParams {
  rows: u32,
  // First row of `labels` read: labels of a batch are a window of the resident dataset.
  label_row_offset: u32,
}

struct Metrics {
  loss_sum: f32,
  correct: u32,
  seen: u32,
}

override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: LossParams;
@group(0) @binding(1) var<storage, read> prediction: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> gradient: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: Metrics;

const EPSILON: f32 = 1e-7;

var<workgroup> partial_loss: array<f32, WG>;
var<workgroup> partial_correct: array<u32, WG>;

fn log1p_small(e: f32) -> f32 {
  // log(1 + e) loses e's low bits when e is tiny; this correction (Goldberg, 1991) restores them.
  let u = 1.0 + e;
  if (u == 1.0) { return e; }
  return log(u) * e / (u - 1.0);
}

fn logits_loss(z: f32, t: f32) -> f32 {
  return max(z, 0.0) - z * t + log1p_small(exp(-abs(z)));
}

fn probs_loss(p: f32, t: f32) -> f32 {
  let pc = clamp(p, EPSILON, 1.0 - EPSILON);
  return -(t * log(pc) + (1.0 - t) * log(1.0 - pc));
}

fn probs_gradient(p: f32, t: f32, rows: f32) -> f32 {
  let inside = p > EPSILON && p < 1.0 - EPSILON;
  return select(0.0, (p - t) / (p * (1.0 - p)) / rows, inside);
}

fn is_correct(p: f32, t: f32) -> u32 {
  return select(0u, 1u, select(0.0, 1.0, p > 0.5) == t);
}

// Tree-reduces this invocation's partial sums with the workgroup's and adds the total to
// `metrics`. Every invocation must call it (it contains barriers).
fn accumulate(lid: u32, loss: f32, correct: u32) {
  partial_loss[lid] = loss;
  partial_correct[lid] = correct;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      partial_loss[lid] += partial_loss[lid + stride];
      partial_correct[lid] += partial_correct[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    metrics.loss_sum += partial_loss[0];
    metrics.correct += partial_correct[0];
    metrics.seen += params.rows;
  }
}

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
  accumulate(lid, loss, correct);
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
  accumulate(lid, loss, correct);
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
  accumulate(lid, loss, correct);
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
  accumulate(lid, loss, correct);
}
