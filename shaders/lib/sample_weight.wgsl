//!needs WEIGHTED sample_weight params.label_row_offset

// Keras's per-sample loss weight of batch row `r`, shared by the loss kernels and the fused
// output head.
//
// Needs of its includer: `override WEIGHTED: bool`, a uniform `params` with a
// `label_row_offset: u32` field (weights are windowed like the labels), and a read-only storage
// binding `sample_weight: array<f32>` (bound to any buffer, never read, when unweighted).
fn weight_of(r: u32) -> f32 {
  if (WEIGHTED) { return sample_weight[params.label_row_offset + r]; }
  return 1.0;
}
