//!include lib/metrics.wgsl
//!include lib/sample_weight.wgsl
//!include lib/grid.wgsl

// A softmax output layer fused into categorical cross-entropy, in the stable log-softmax form,
// over a batch of `rows` rows of `classes` logits z (row-major):
//
//   m = max_j z_j,  lse = m + log Σ_j exp(z_j − m),  p_j = exp(z_j − m) / Σ exp(z_k − m)
//   loss = Σ_j t_j (lse − z_j)             (= −Σ t log softmax(z); one-hot or soft labels t)
//   dL/dz_j = w (p_j − t_j) / rows         (Keras's sum_over_batch_size reduction)
//
// Categorical entry points read `classes` targets per row; sparse ones one integer label per
// row (t = one-hot(label)). Accuracy is Keras's: argmax(t) == argmax(z) (categorical) or
// label == argmax(z) (sparse), the first maximum winning ties as argmax does; argmax z =
// argmax p. The mse/mae sums compare p with the targets as Keras's metrics would: with a
// sparse label, Keras broadcasts the label value against every output, and so do we.
// Sample weights (WEIGHTED) scale the loss and gradient, never the metric sums.
//
// One workgroup reduces the whole batch (lib/metrics.wgsl). `softmax` turns logits into
// probabilities in place, one row per invocation, for predict().

struct SoftmaxParams {
  rows: u32,
  classes: u32,
  // Loss entries: first row of `labels` and `sample_weight` read (a batch is a window of the
  // resident dataset). softmax: first row of `values` transformed.
  label_row_offset: u32,
}

override WG: u32 = 256u;
override WEIGHTED: bool = false;

@group(0) @binding(0) var<uniform> params: SoftmaxParams;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> gradient: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: Metrics;
@group(0) @binding(5) var<storage, read> sample_weight: array<f32>;
@group(0) @binding(6) var<storage, read_write> values: array<f32>;

// The row's maximum, its first index, and Σ exp(z − max).
struct RowSoftmax {
  top: f32,
  argmax: u32,
  sum: f32,
}

fn row_softmax(r: u32) -> RowSoftmax {
  let k = params.classes;
  let base = r * k;
  var m = logits[base];
  var arg = 0u;
  for (var j = 1u; j < k; j++) {
    let z = logits[base + j];
    if (z > m) { m = z; arg = j; }
  }
  var s = 0.0;
  for (var j = 0u; j < k; j++) { s += exp(logits[base + j] - m); }
  return RowSoftmax(m, arg, s);
}

// Target t_j of row r: a column of the targets, or one-hot of the sparse label.
fn target_of(r: u32, j: u32, sparse: bool) -> f32 {
  let row = params.label_row_offset + r;
  if (sparse) { return select(0.0, 1.0, f32(j) == labels[row]); }
  return labels[row * params.classes + j];
}

// Adds row r's weighted loss, its accuracy and its (unweighted) errors to `acc`.
fn row_sums(acc: RowSums, r: u32, soft: RowSoftmax, sparse: bool) -> RowSums {
  let k = params.classes;
  let base = r * k;
  let lse = soft.top + log(soft.sum);
  var sparse_label = 0.0;
  if (sparse) { sparse_label = labels[params.label_row_offset + r]; }
  var loss = 0.0;
  var squared = 0.0;
  var absolute = 0.0;
  var true_class = 0u;
  var best = 0.0;
  for (var j = 0u; j < k; j++) {
    let z = logits[base + j];
    let t = target_of(r, j, sparse);
    loss += t * (lse - z);
    if (j == 0u || t > best) { best = t; true_class = j; }
    let e = exp(z - soft.top) / soft.sum - select(t, sparse_label, sparse);
    squared += e * e;
    absolute += abs(e);
  }
  if (sparse) { true_class = u32(sparse_label); }
  let correct = select(0u, 1u, true_class == soft.argmax);
  let kf = f32(k);
  return RowSums(acc.loss + weight_of(r) * loss, acc.correct + correct, acc.squared_error + squared / kf, acc.absolute_error + absolute / kf);
}

fn write_gradient(r: u32, soft: RowSoftmax, sparse: bool) {
  let base = r * params.classes;
  let scale = weight_of(r) / (soft.sum * f32(params.rows));
  let w_over_rows = weight_of(r) / f32(params.rows);
  for (var j = 0u; j < params.classes; j++) {
    gradient[base + j] = exp(logits[base + j] - soft.top) * scale - target_of(r, j, sparse) * w_over_rows;
  }
}

// One workgroup strides over the batch. Training and evaluation stay two functions because an
// evaluation entry point must not statically use the `gradient` binding (its pipeline has none).
fn train_rows(lid: u32, sparse: bool) {
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) {
    let soft = row_softmax(r);
    sums = row_sums(sums, r, soft, sparse);
    write_gradient(r, soft, sparse);
  }
  accumulate(lid, sums, params.rows);
}

fn eval_rows(lid: u32, sparse: bool) {
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) { sums = row_sums(sums, r, row_softmax(r), sparse); }
  accumulate(lid, sums, params.rows);
}

@compute @workgroup_size(WG)
fn categorical_train(@builtin(local_invocation_index) lid: u32) { train_rows(lid, false); }

@compute @workgroup_size(WG)
fn categorical_eval(@builtin(local_invocation_index) lid: u32) { eval_rows(lid, false); }

@compute @workgroup_size(WG)
fn sparse_train(@builtin(local_invocation_index) lid: u32) { train_rows(lid, true); }

@compute @workgroup_size(WG)
fn sparse_eval(@builtin(local_invocation_index) lid: u32) { eval_rows(lid, true); }

@compute @workgroup_size(WG)
fn softmax(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let r = linear_index(gid, groups, WG);
  if (r >= params.rows) { return; }
  let k = params.classes;
  let base = (params.label_row_offset + r) * k;
  var m = values[base];
  for (var j = 1u; j < k; j++) { m = max(m, values[base + j]); }
  var s = 0.0;
  for (var j = 0u; j < k; j++) { s += exp(values[base + j] - m); }
  for (var j = 0u; j < k; j++) { values[base + j] = exp(values[base + j] - m) / s; }
}
