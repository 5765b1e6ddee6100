// The running sums every loss kernel (and the fused output head) adds to, and the workgroup
// reduction that gets them there.
//
// Requires of its includer: `override WG: u32` (a power of two, the workgroup size) and a
// read_write storage binding `metrics: Metrics`.
//
// One workgroup reduces a whole batch, so the sums need no atomics: dispatches in a pass run
// in order, and only invocation 0 touches the record.

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

var<workgroup> partial_loss: array<f32, WG>;
var<workgroup> partial_correct: array<u32, WG>;
var<workgroup> partial_squared: array<f32, WG>;
var<workgroup> partial_absolute: array<f32, WG>;

// Tree-reduces every invocation's sums and returns the totals to all of them.
// Every invocation of the workgroup must call it (it contains barriers).
fn workgroup_sums(lid: u32, part: RowSums) -> RowSums {
  workgroupBarrier(); // earlier readers of the totals are done before they are overwritten
  partial_loss[lid] = part.loss;
  partial_correct[lid] = part.correct;
  partial_squared[lid] = part.squared_error;
  partial_absolute[lid] = part.absolute_error;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      partial_loss[lid] += partial_loss[lid + stride];
      partial_correct[lid] += partial_correct[lid + stride];
      partial_squared[lid] += partial_squared[lid + stride];
      partial_absolute[lid] += partial_absolute[lid + stride];
    }
    workgroupBarrier();
  }
  return RowSums(partial_loss[0], partial_correct[0], partial_squared[0], partial_absolute[0]);
}

// Adds the workgroup's sums over `rows` samples to `metrics`.
fn accumulate(lid: u32, part: RowSums, rows: u32) {
  let sums = workgroup_sums(lid, part);
  if (lid == 0u) {
    metrics.loss_sum += sums.loss;
    metrics.correct += sums.correct;
    metrics.seen += rows;
    metrics.squared_error += sums.squared_error;
    metrics.absolute_error += sums.absolute_error;
  }
}

// Adds one row's error against its target to an invocation's sums (the mean over `count` outputs).
fn add_errors(acc: RowSums, squared: f32, absolute: f32, count: f32) -> RowSums {
  return RowSums(acc.loss, acc.correct, acc.squared_error + squared / count, acc.absolute_error + absolute / count);
}
