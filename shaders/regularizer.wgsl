//!include lib/workgroup_reduce.wgsl

// Kernel regularizers (Keras L1L2) of a whole model in one dispatch: for every regularized
// tensor listed in `table` (offsets into the flat parameter buffers), add the penalty's
// gradient l1·sign(W) + 2·l2·W (sign(0) = 0, as TensorFlow) to the gradients, and add
// penalty × rows to the loss sum of a metrics record, where
//   penalty = Σ_tensors (l1·Σ|W| + l2·ΣW²).
// Keras adds the penalty to every batch's loss and its loss tracker weights batch losses by
// batch size, hence × rows (the batch's rows in training, the dataset's in evaluation).
//
// One workgroup strides over every tensor and tree-reduces the penalty
// (lib/workgroup_reduce.wgsl), so the sum needs no atomics: dispatches in a pass run in order and only invocation 0 writes the loss sum. The
// tensors are vec4-aligned slices (ParameterBuffers pads each to its storage alignment with
// zeros, and a zero weight adds zero penalty and zero gradient), so it works in vec4 groups.

struct RegularizerParams {
  // Entries of `table` to process.
  tensors: u32,
  // The penalty is added to the loss sum this many times.
  rows: u32,
}

struct RegularizedTensor {
  // First vec4 group of the tensor in `values`/`gradients`, and its number of groups.
  offset: u32,
  groups: u32,
  l1: f32,
  l2: f32,
}

override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: RegularizerParams;
@group(0) @binding(1) var<storage, read> table: array<RegularizedTensor>;
@group(0) @binding(2) var<storage, read> values: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> gradients: array<vec4<f32>>;
// A metrics record seen as floats: only its first field, loss_sum, is written.
@group(0) @binding(4) var<storage, read_write> metrics: array<f32>;

alias Partial = f32;

fn combine(a: f32, b: f32) -> f32 {
  return a + b;
}

fn group_penalty(w: vec4<f32>, l1: f32, l2: f32) -> f32 {
  return l1 * dot(abs(w), vec4<f32>(1.0)) + l2 * dot(w, w);
}

// Reduces every invocation's penalty and adds the total × rows to the loss sum.
fn add_to_loss(lid: u32, amount: f32) {
  let total = workgroup_reduce(lid, amount);
  if (lid == 0u) { metrics[0] += total * f32(params.rows); }
}

// Training: penalty gradient added in place (after backward, before the optimizer), penalty to the loss.
@compute @workgroup_size(WG)
fn train(@builtin(local_invocation_index) lid: u32) {
  var total = 0.0;
  for (var t = 0u; t < params.tensors; t++) {
    let entry = table[t];
    var sum = 0.0;
    for (var i = lid; i < entry.groups; i += WG) {
      let w = values[entry.offset + i];
      sum += group_penalty(w, entry.l1, entry.l2);
      gradients[entry.offset + i] += entry.l1 * sign(w) + 2.0 * entry.l2 * w;
    }
    total += sum;
  }
  add_to_loss(lid, total);
}

// Evaluation: the penalty only.
@compute @workgroup_size(WG)
fn penalty(@builtin(local_invocation_index) lid: u32) {
  var total = 0.0;
  for (var t = 0u; t < params.tensors; t++) {
    let entry = table[t];
    var sum = 0.0;
    for (var i = lid; i < entry.groups; i += WG) {
      sum += group_penalty(values[entry.offset + i], entry.l1, entry.l2);
    }
    total += sum;
  }
  add_to_loss(lid, total);
}
