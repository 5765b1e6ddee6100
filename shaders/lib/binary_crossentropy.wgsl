// Binary cross-entropy math and the workgroup reduction of its running sums, shared by the
// loss kernel and the fused output head. A module that includes this file declares
// `override WG: u32` (a power of two, the workgroup size) and a read_write storage binding
// `metrics: Metrics`.
//
// Two forms, as in Keras:
// - from logits z (the output layer's sigmoid fused into the loss), numerically stable:
//     loss = max(z, 0) − z·t + log1p(exp(−|z|)),   dL/dz = (sigmoid(z) − t) / rows
// - from probabilities p, Keras's clipped form with ε = 1e-7:
//     pc = clamp(p, ε, 1 − ε),  loss = −(t·log pc + (1 − t)·log(1 − pc)),
//     dL/dp = (pc − t) / (pc (1 − pc)) / rows inside the clip range, 0 outside.
// Accuracy is Keras's binary accuracy: (p > 0.5) == t, with p = sigmoid(z) for logits.

struct Metrics {
  loss_sum: f32,
  correct: u32,
  seen: u32,
}

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

struct WorkgroupSums {
  loss: f32,
  correct: u32,
}

// Tree-reduces every invocation's (loss, correct) and returns the totals to all of them.
// Every invocation of the workgroup must call it (it contains barriers).
fn workgroup_sums(lid: u32, loss: f32, correct: u32) -> WorkgroupSums {
  workgroupBarrier(); // earlier readers of the totals are done before they are overwritten
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
  return WorkgroupSums(partial_loss[0], partial_correct[0]);
}

// Adds the workgroup's loss and correct count over `rows` samples to `metrics`.
fn accumulate(lid: u32, loss: f32, correct: u32, rows: u32) {
  let sums = workgroup_sums(lid, loss, correct);
  if (lid == 0u) {
    metrics.loss_sum += sums.loss;
    metrics.correct += sums.correct;
    metrics.seen += rows;
  }
}
