//!include metrics.wgsl

// Binary cross-entropy math, shared by the loss kernel and the fused output head (their running
// sums: lib/metrics.wgsl).
//
// Two forms, as in Keras:
// - from logits z (the output layer's sigmoid fused into the loss), numerically stable:
//     loss = max(z, 0) − z·t + log1p(exp(−|z|)),   dL/dz = (sigmoid(z) − t) / rows
// - from probabilities p, Keras's clipped form with ε = 1e-7:
//     pc = clamp(p, ε, 1 − ε),  loss = −(t·log pc + (1 − t)·log(1 − pc)),
//     dL/dp = (pc − t) / (pc (1 − pc)) / rows inside the clip range, 0 outside.
// Accuracy is Keras's binary accuracy: (p > 0.5) == t, with p = sigmoid(z) for logits.
//
// Requires of its includer: what metrics.wgsl requires (its RowSums is the row accumulator here).

const EPSILON: f32 = 1e-7;

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

// One row's contribution to the running sums: weighted loss, accuracy, and the unweighted
// errors of the probability p against the label t.
fn bce_row(acc: RowSums, loss: f32, p: f32, t: f32, weight: f32) -> RowSums {
  let e = abs(p - t);
  return RowSums(acc.loss + weight * loss, acc.correct + is_correct(p, t), acc.squared_error + e * e, acc.absolute_error + e);
}
