//!include lib/metrics.wgsl
//!include lib/sample_weight.wgsl

// Mean squared error of a batch of `rows` rows of `units` outputs p (after the output layer's
// activation) against targets t, as Keras computes it: the mean over a row's outputs, then
// Keras's sum_over_batch_size reduction over the batch:
//
//   loss_r = Σ_j (p_j − t_j)² / units,    dL/dp_j = 2 w (p_j − t_j) / (units · rows)
//
// With per-sample weights w (WEIGHTED) the loss sum gets w·loss_r; the mse/mae metric sums
// stay unweighted. No accuracy (a regression has none; compile refuses it). One workgroup
// reduces the whole batch (lib/metrics.wgsl).

struct MseParams {
  rows: u32,
  units: u32,
  // First row of `labels` and `sample_weight` read: a batch is a window of the resident dataset.
  label_row_offset: u32,
}

override WG: u32 = 256u;
override WEIGHTED: bool = false;

@group(0) @binding(0) var<uniform> params: MseParams;
@group(0) @binding(1) var<storage, read> prediction: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> gradient: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: Metrics;
@group(0) @binding(5) var<storage, read> sample_weight: array<f32>;

// Adds row r's weighted loss and its errors to `acc`.
fn mse_row(acc: RowSums, r: u32) -> RowSums {
  let units = params.units;
  var squared = 0.0;
  var absolute = 0.0;
  for (var j = 0u; j < units; j++) {
    let e = prediction[r * units + j] - labels[(params.label_row_offset + r) * units + j];
    squared += e * e;
    absolute += abs(e);
  }
  let n = f32(units);
  return RowSums(acc.loss + weight_of(r) * squared / n, acc.correct, acc.squared_error + squared / n, acc.absolute_error + absolute / n);
}

@compute @workgroup_size(WG)
fn mse_train(@builtin(local_invocation_index) lid: u32) {
  let units = params.units;
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) {
    sums = mse_row(sums, r);
    let scale = 2.0 * weight_of(r) / (f32(units) * f32(params.rows));
    for (var j = 0u; j < units; j++) {
      let e = prediction[r * units + j] - labels[(params.label_row_offset + r) * units + j];
      gradient[r * units + j] = scale * e;
    }
  }
  accumulate(lid, sums, params.rows);
}

@compute @workgroup_size(WG)
fn mse_eval(@builtin(local_invocation_index) lid: u32) {
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  for (var r = lid; r < params.rows; r += WG) { sums = mse_row(sums, r); }
  accumulate(lid, sums, params.rows);
}
