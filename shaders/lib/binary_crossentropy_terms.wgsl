//!include activation_functions.wgsl
//!include metrics.wgsl
//!include sample_weight.wgsl
//!needs labels params.rows params.label_row_offset

// Binary cross-entropy of one row, shared by the loss kernel and the fused output head (their
// running sums: lib/metrics.wgsl). Needs of its includer, beside what metrics.wgsl and
// sample_weight.wgsl need: a read-only storage binding `labels: array<f32>` and a uniform
// `params` with `rows` (the batch's) and `label_row_offset`.
//
// Two forms, as in Keras:
// - from logits z (the output layer's sigmoid fused into the loss), numerically stable:
//     loss = max(z, 0) − z·t + log1p(exp(−|z|)),   dL/dz = (sigmoid(z) − t) / rows
// - from probabilities p, Keras's clipped form with ε = 1e-7:
//     pc = clamp(p, ε, 1 − ε),  loss = −(t·log pc + (1 − t)·log(1 − pc)),
//     dL/dp = (pc − t) / (pc (1 − pc)) / rows inside the clip range, 0 outside.
// Accuracy is Keras's binary accuracy: (p > 0.5) == t, with p = sigmoid(z) for logits.
// With per-sample weights w, Keras's sum_over_batch_size: the loss sum gets w·loss and the
// gradient is w·dL; the error and accuracy sums stay unweighted.

const EPSILON: f32 = 1e-7;

fn log1p_small(e: f32) -> f32 {
  // log(1 + e) loses e's low bits when e is tiny; this correction (Goldberg, 1991) restores them.
  let u = 1.0 + e;
  if (u == 1.0) { return e; }
  return log(u) * e / (u - 1.0);
}

// Row r's sums added to an invocation's, and the row's gradient dL/d(its prediction).
struct BceRow {
  sums: RowSums,
  gradient: f32,
}

// Adds row r, whose prediction is `v` (a logit z when `logits`, else a probability p), to `acc`.
fn bce_row(acc: RowSums, r: u32, v: f32, logits: bool) -> BceRow {
  let t = labels[params.label_row_offset + r];
  let w = weight_of(r);
  var p = v;
  var loss: f32;
  var slope: f32;
  if (logits) {
    p = sigmoid(v);
    loss = max(v, 0.0) - v * t + log1p_small(exp(-abs(v)));
    slope = p - t;
  } else {
    let pc = clamp(v, EPSILON, 1.0 - EPSILON);
    loss = -(t * log(pc) + (1.0 - t) * log(1.0 - pc));
    slope = select(0.0, (v - t) / (v * (1.0 - v)), v > EPSILON && v < 1.0 - EPSILON);
  }
  let e = abs(p - t);
  let correct = select(0u, 1u, select(0.0, 1.0, p > 0.5) == t);
  let sums = RowSums(acc.loss + w * loss, acc.correct + correct, acc.squared_error + e * e, acc.absolute_error + e);
  return BceRow(sums, w * slope / f32(params.rows));
}
