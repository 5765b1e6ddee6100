//!include workgroup_reduce.wgsl
//!needs metrics

// The running sums every loss kernel (and the fused output head) adds to, and the workgroup
// reduction that gets them there (workgroup_reduce.wgsl, over RowSums).
//
// Needs of its includer: a read_write storage binding `metrics: Metrics`, and what
// workgroup_reduce.wgsl needs but this file declares (`override WG: u32`, a power of two).
//
// One workgroup reduces a whole batch, so the sums need no atomics: dispatches in a pass run
// in order, and only invocation 0 touches the record. (The fused MLP step, whose workgroups
// share a batch, gives each workgroup a record of its own: add_sums.)

struct Metrics {
  // CONTRACT: the first f32 of the record. Other kernels (e.g. a regularization penalty) add to it.
  loss_sum: f32,
  // Rows whose prediction is right by the loss's accuracy (binary, categorical or sparse).
  correct: u32,
  seen: u32,
  // Σ over rows of the row's mean squared / absolute error over its outputs (Keras's mse/mae
  // metrics, computed on the output after its activation, unweighted).
  squared_error: f32,
  absolute_error: f32,
}

// One invocation's (or the workgroup's) share of the sums.
struct RowSums {
  loss: f32,
  correct: u32,
  squared_error: f32,
  absolute_error: f32,
}

alias Partial = RowSums;

fn combine(a: RowSums, b: RowSums) -> RowSums {
  return RowSums(a.loss + b.loss, a.correct + b.correct, a.squared_error + b.squared_error, a.absolute_error + b.absolute_error);
}

// `record` with `sums` over `rows` more samples added.
fn add_sums(record: Metrics, sums: RowSums, rows: u32) -> Metrics {
  return Metrics(
    record.loss_sum + sums.loss,
    record.correct + sums.correct,
    record.seen + rows,
    record.squared_error + sums.squared_error,
    record.absolute_error + sums.absolute_error,
  );
}

// Adds the workgroup's sums over `rows` samples to `metrics`.
fn accumulate(lid: u32, part: RowSums, rows: u32) {
  let sums = workgroup_reduce(lid, part);
  if (lid == 0u) { metrics = add_sums(metrics, sums, rows); }
}

