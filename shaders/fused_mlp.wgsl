//!include lib/binary_crossentropy_terms.wgsl

// A whole multilayer perceptron in one dispatch (tiny-cuda-nn's "fully fused" MLP, in WGSL):
// a workgroup takes a tile of batch rows through every layer with the activations kept in
// workgroup memory, so small networks pay one dispatch instead of a few per layer, and no
// layer boundary goes through global memory.
//
//   train:   forward → binary cross-entropy from the logits (lib/binary_crossentropy_terms.wgsl,
//            running sums of lib/metrics.wgsl) → backward, layer by layer: dW, db and dZ of the
//            layer below, with that layer's activation slope taken from its stored output
//            (so hidden activations whose slope needs the pre-activation — gelu, swish — are
//            not fused: the engine keeps them on the layered kernels).
//            The batch's tiles are dealt to the workgroups (workgroup g takes tiles g, g + G,
//            …); each writes the gradient of its rows to a slice of its own (adding its later
//            tiles' shares) and its running sums to a metrics record of its own. The optimizer
//            sums the slices in slice order, the CPU the records once it reads them:
//            deterministic, no float atomics. One workgroup: the gradient buffer is as after the
//            layered backward pass.
//   predict: forward only; one workgroup per tile of rows, the last layer's output to `y`.
//
// The architecture comes from `layers` (a storage array of descriptors written once per plan),
// the batch from the uniform `params`: one pipeline serves every network that fits and every
// batch size. Workgroup memory holds, for the tile's rows, the input and every layer's output:
//   tile = [ X (tile_rows × inputs₀) | A₀ (tile_rows × units₀) | A₁ … ]
// Backward overwrites each layer's slot in place with its dZ (a row's dZ needs only that row's
// own output for the slope), so the tile needs no second copy.
//
// The tile is an array of vec4s and every row of a slot starts on a vec4 (its width rounded up
// to 4), so the inner loops load four columns at a time: per 64 multiply-adds, four vec4s of the
// tile and four of the weights (the parameter buffer's tensors start on 64-float boundaries, so
// a kernel row is a vec4 load whenever its width is a multiple of 4). The padding lanes of the
// tile are always zero: every vec4 stored into it is masked past its slot's width, so a padding
// lane contributes 0 · (a finite weight) wherever it meets one.
//
// Work is split into 4 × 4 blocks of an output (rows × units, inputs × units or rows × inputs),
// four vec4 accumulators per invocation as in dense.wgsl; row indices are clamped to the last
// valid row (duplicated values land in lanes that are never stored).

struct FusedParams {
  // Rows of the batch (train) or of the window (predict): bce_row divides the gradient by it.
  rows: u32,
  // Windows of the resident dataset: X rows and labels (and sample weights).
  x_row_offset: u32,
  label_row_offset: u32,
  // Predict: the first row of `y` written.
  y_row_offset: u32,
  layer_count: u32,
  // Rows per tile: at most what the workgroup memory holds for this network (TILE_VEC4S).
  tile_rows: u32,
  // Train: floats from one workgroup's gradient slice to the next (the parameter count in vec4s).
  gradient_stride: u32,
}

// One dense layer: where its kernel [inputs, units] and bias sit in the flat parameter buffer
// (and so in the gradient buffer), and its activation (lib/activation_functions.wgsl codes).
struct Layer {
  inputs: u32,
  units: u32,
  weights_offset: u32,
  // NO_BIAS for a layer without bias.
  bias_offset: u32,
  activation: u32,
  alpha: f32,
}

const NO_BIAS: u32 = 0xffffffffu;

override WG: u32 = 64u;
// vec4s of workgroup memory for the tile: chosen by the engine from the adapter's
// maxComputeWorkgroupStorageSize (a pipeline per adapter, never per batch).
override TILE_VEC4S: u32 = 960u;
override WEIGHTED: bool = false;

@group(0) @binding(0) var<uniform> params: FusedParams;
@group(0) @binding(1) var<storage, read> layers: array<Layer>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> parameters: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> labels: array<f32>;
// lib/metrics.wgsl's accumulate() adds to it; the train entry adds to `metric_slots` instead.
@group(0) @binding(5) var<storage, read_write> metrics: Metrics;
// Train: one slice of the parameters' length (gradient_stride floats) per workgroup.
@group(0) @binding(6) var<storage, read_write> gradients: array<vec4<f32>>;
// Read only when WEIGHTED (unweighted plans bind the labels in its place).
@group(0) @binding(7) var<storage, read> sample_weight: array<f32>;
@group(0) @binding(8) var<storage, read_write> y: array<f32>;
// Train: the running sums of each workgroup's rows (slot g: workgroup g), from the epoch's start.
@group(0) @binding(9) var<storage, read_write> metric_slots: array<Metrics>;

var<workgroup> tile: array<vec4<f32>, TILE_VEC4S>;

const LANES = vec4<u32>(0u, 1u, 2u, 3u);

// vec4s per row of `width` floats.
fn vec4s(width: u32) -> u32 {
  return (width + 3u) / 4u;
}

// The 4 row indices first, first+1, ... clamped to count-1.
fn block4(first: u32, count: u32) -> vec4<u32> {
  return min(vec4<u32>(first) + LANES, vec4<u32>(count - 1u));
}

// v with the lanes of columns c0 + k ≥ width set to zero (a tile row's padding).
fn masked(v: vec4<f32>, c0: u32, width: u32) -> vec4<f32> {
  return select(vec4<f32>(0.0), v, vec4<u32>(c0) + LANES < vec4<u32>(width));
}

// One float of the parameter buffer.
fn parameter(i: u32) -> f32 {
  return parameters[i / 4u][i % 4u];
}

// W[i, u..u+3] of `layer`, row i clamped to the last input: a row past the inputs meets only
// zero lanes of the tile, or lands in lanes that are masked. Lanes past the units repeat the
// last column (finite values that meet zero lanes or are never stored).
fn weight_row4(layer: Layer, i: u32, u: u32) -> vec4<f32> {
  let row = layer.weights_offset + min(i, layer.inputs - 1u) * layer.units;
  if (layer.units % 4u == 0u) { return parameters[(row + u) / 4u]; }
  let c = row + min(vec4<u32>(u) + LANES, vec4<u32>(layer.units - 1u));
  return vec4<f32>(parameter(c.x), parameter(c.y), parameter(c.z), parameter(c.w));
}

// The bias of units u..u+3 (zero without bias; tensors start on a vec4 and are zero-padded).
fn bias4(layer: Layer, u: u32) -> vec4<f32> {
  if (layer.bias_offset == NO_BIAS) { return vec4<f32>(0.0); }
  return parameters[(layer.bias_offset + u) / 4u];
}

// Copies the tile's `count` rows of X (from batch row `first`) into the tile's first slot.
fn load_input(lid: u32, first: u32, count: u32, inputs: u32) {
  let width = vec4s(inputs);
  let start = (params.x_row_offset + first) * inputs;
  for (var e = lid; e < count * width; e += WG) {
    let row = start + (e / width) * inputs;
    let c = (e % width) * 4u;
    var v = vec4<f32>(0.0);
    for (var k = 0u; k < 4u; k++) {
      if (c + k < inputs) { v[k] = x[row + c + k]; }
    }
    tile[e] = v;
  }
  workgroupBarrier();
}

// The element-wise function `code` (an activation, or an activation's slope: one call site of
// its runtime switch, which keeps the pipeline's compile time small) over the first `width`
// columns of the tile's `count` rows in the slot at `base`.
fn apply_per_element(lid: u32, base: u32, width: u32, count: u32, slope: bool, code: u32, alpha: f32) {
  let row_vec4s = vec4s(width);
  for (var e = lid; e < count * width; e += WG) {
    let c = e % width;
    let at = base + (e / width) * row_vec4s + c / 4u;
    let value = tile[at][c % 4u];
    if (slope) {
      tile[at][c % 4u] = activation_slope(code, alpha, value);
    } else {
      tile[at][c % 4u] = activate(code, alpha, value);
    }
  }
  workgroupBarrier();
}

// A[r, u] = act(Σ_i In[r, i] W[i, u] + b[u]) for the tile's `count` rows; In at tile vec4
// `in_base`, A written at `out_base`.
fn forward_layer(lid: u32, layer: Layer, in_base: u32, out_base: u32, count: u32) {
  let in_width = vec4s(layer.inputs);
  let out_width = vec4s(layer.units);
  let blocks = out_width * ((count + 3u) / 4u);
  for (var e = lid; e < blocks; e += WG) {
    let u4 = e % out_width;
    let r0 = (e / out_width) * 4u;
    let rows = in_base + block4(r0, count) * in_width;
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    for (var i4 = 0u; i4 < in_width; i4++) {
      let w0 = weight_row4(layer, i4 * 4u, u4 * 4u);
      let w1 = weight_row4(layer, i4 * 4u + 1u, u4 * 4u);
      let w2 = weight_row4(layer, i4 * 4u + 2u, u4 * 4u);
      let w3 = weight_row4(layer, i4 * 4u + 3u, u4 * 4u);
      let a0 = tile[rows.x + i4];
      let a1 = tile[rows.y + i4];
      let a2 = tile[rows.z + i4];
      let a3 = tile[rows.w + i4];
      acc0 += a0.x * w0 + a0.y * w1 + a0.z * w2 + a0.w * w3;
      acc1 += a1.x * w0 + a1.y * w1 + a1.z * w2 + a1.w * w3;
      acc2 += a2.x * w0 + a2.y * w1 + a2.z * w2 + a2.w * w3;
      acc3 += a3.x * w0 + a3.y * w1 + a3.z * w2 + a3.w * w3;
    }
    let b = bias4(layer, u4 * 4u);
    let out = out_base + r0 * out_width + u4;
    tile[out] = masked(acc0 + b, u4 * 4u, layer.units);
    if (r0 + 1u < count) { tile[out + out_width] = masked(acc1 + b, u4 * 4u, layer.units); }
    if (r0 + 2u < count) { tile[out + 2u * out_width] = masked(acc2 + b, u4 * 4u, layer.units); }
    if (r0 + 3u < count) { tile[out + 3u * out_width] = masked(acc3 + b, u4 * 4u, layer.units); }
  }
  workgroupBarrier();
  apply_per_element(lid, out_base, layer.units, count, false, layer.activation, layer.alpha);
}

// params.tile_rows, capped to what TILE_VEC4S holds for this network (the engine sizes both;
// the cap keeps a mismatch from reaching past the tile).
fn rows_per_tile() -> u32 {
  var per_row = vec4s(layers[0].inputs);
  for (var l = 0u; l < params.layer_count; l++) { per_row += vec4s(layers[l].units); }
  return max(1u, min(params.tile_rows, TILE_VEC4S / per_row));
}

// Runs every layer over the tile (its input already loaded); returns the vec4 of the tile
// where the last layer's output starts.
fn forward_tile(lid: u32, count: u32, tile_rows: u32) -> u32 {
  var in_base = 0u;
  var out_base = tile_rows * vec4s(layers[0].inputs);
  for (var l = 0u; l < params.layer_count; l++) {
    let layer = layers[l];
    forward_layer(lid, layer, in_base, out_base, count);
    in_base = out_base;
    out_base += tile_rows * vec4s(layer.units);
  }
  return in_base;
}

// Adds v's lanes to the gradients at columns c0… of the row of width `width` that starts at
// float `row`; a workgroup's first tile of a batch writes instead of adding (repeating a step
// gives the same gradients). Rows start on a vec4 when the width is a multiple of 4.
fn store_gradient4(row: u32, c0: u32, width: u32, v: vec4<f32>, first: bool) {
  if (width % 4u == 0u) {
    let at = (row + c0) / 4u;
    gradients[at] = select(gradients[at], vec4<f32>(0.0), first) + v;
    return;
  }
  for (var k = 0u; k < 4u; k++) {
    if (c0 + k < width) {
      let at = row + c0 + k;
      gradients[at / 4u][at % 4u] = select(gradients[at / 4u][at % 4u], 0.0, first) + v[k];
    }
  }
}

// dW[i, u] += Σ_r In[r, i] dZ[r, u] and db[u] += Σ_r dZ[r, u] over the tile's rows, into the
// gradient slice that starts at float `slice`.
fn weight_gradients(lid: u32, layer: Layer, in_base: u32, dz_base: u32, count: u32, slice: u32, first: bool) {
  let inputs = layer.inputs;
  let units = layer.units;
  let in_width = vec4s(inputs);
  let out_width = vec4s(units);
  for (var e = lid; e < out_width * in_width; e += WG) {
    let u4 = e % out_width;
    let i4 = e / out_width;
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    var acc_bias = vec4<f32>(0.0);
    for (var r = 0u; r < count; r++) {
      let d = tile[dz_base + r * out_width + u4];
      let a = tile[in_base + r * in_width + i4];
      acc0 += a.x * d;
      acc1 += a.y * d;
      acc2 += a.z * d;
      acc3 += a.w * d;
      acc_bias += d;
    }
    let u0 = u4 * 4u;
    let i0 = i4 * 4u;
    let w = slice + layer.weights_offset;
    store_gradient4(w + i0 * units, u0, units, acc0, first);
    if (i0 + 1u < inputs) { store_gradient4(w + (i0 + 1u) * units, u0, units, acc1, first); }
    if (i0 + 2u < inputs) { store_gradient4(w + (i0 + 2u) * units, u0, units, acc2, first); }
    if (i0 + 3u < inputs) { store_gradient4(w + (i0 + 3u) * units, u0, units, acc3, first); }
    if (i4 == 0u && layer.bias_offset != NO_BIAS) { store_gradient4(slice + layer.bias_offset, u0, units, acc_bias, first); }
  }
  workgroupBarrier();
}

// dZprev[r, i] = (Σ_u dZ[r, u] W[i, u]) · act_prev'(A_prev[r, i]), written over the slopes
// act_prev'(A_prev) that the train loop left at `in_base`: each element reads only its own.
fn input_gradients(lid: u32, layer: Layer, in_base: u32, dz_base: u32, count: u32) {
  let in_width = vec4s(layer.inputs);
  let out_width = vec4s(layer.units);
  let blocks = in_width * ((count + 3u) / 4u);
  for (var e = lid; e < blocks; e += WG) {
    let i4 = e % in_width;
    let r0 = (e / in_width) * 4u;
    let rows = dz_base + block4(r0, count) * out_width;
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    for (var u4 = 0u; u4 < out_width; u4++) {
      // W[i0 + k, u..u+3] for the block's four inputs; dZ rows' padding lanes are zero.
      let w0 = weight_row4(layer, i4 * 4u, u4 * 4u);
      let w1 = weight_row4(layer, i4 * 4u + 1u, u4 * 4u);
      let w2 = weight_row4(layer, i4 * 4u + 2u, u4 * 4u);
      let w3 = weight_row4(layer, i4 * 4u + 3u, u4 * 4u);
      let d0 = tile[rows.x + u4];
      let d1 = tile[rows.y + u4];
      let d2 = tile[rows.z + u4];
      let d3 = tile[rows.w + u4];
      acc0 += vec4<f32>(dot(d0, w0), dot(d0, w1), dot(d0, w2), dot(d0, w3));
      acc1 += vec4<f32>(dot(d1, w0), dot(d1, w1), dot(d1, w2), dot(d1, w3));
      acc2 += vec4<f32>(dot(d2, w0), dot(d2, w1), dot(d2, w2), dot(d2, w3));
      acc3 += vec4<f32>(dot(d3, w0), dot(d3, w1), dot(d3, w2), dot(d3, w3));
    }
    var acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
    for (var k = 0u; k < 4u; k++) {
      if (r0 + k < count) {
        let at = in_base + (r0 + k) * in_width + i4;
        tile[at] = masked(acc[k] * tile[at], i4 * 4u, layer.inputs);
      }
    }
  }
  workgroupBarrier();
}

// One training step over the batch: forward, loss, backward, tile after tile; workgroup g takes
// tiles g, g + G, … (G workgroups).
@compute @workgroup_size(WG)
fn train(
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let rows = params.rows;
  let count_layers = params.layer_count;
  let inputs = layers[0].inputs;
  let tile_rows = rows_per_tile();
  let slice = group.x * params.gradient_stride;
  let start = group.x * tile_rows;
  if (start >= rows) {
    // No rows for this workgroup in this batch (a short last batch): its slice adds nothing.
    for (var e = lid; e < params.gradient_stride / 4u; e += WG) { gradients[slice / 4u + e] = vec4<f32>(0.0); }
    return;
  }
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  var seen = 0u;
  for (var first = start; first < rows; first += groups.x * tile_rows) {
    let count = min(tile_rows, rows - first);
    seen += count;
    load_input(lid, first, count, inputs);
    var out_base = forward_tile(lid, count, tile_rows);

    // The loss of the tile's rows (the output layer has one unit: one vec4 per row); its slot
    // then holds dZ of the logits.
    for (var r = lid; r < count; r += WG) {
      let row = bce_row(sums, first + r, tile[out_base + r].x, true);
      sums = row.sums;
      tile[out_base + r].x = row.gradient;
    }
    workgroupBarrier();

    for (var l = count_layers; l > 0u; l--) {
      let layer = layers[l - 1u];
      let in_base = out_base - tile_rows * vec4s(layer.inputs);
      weight_gradients(lid, layer, in_base, out_base, count, slice, first == start);
      if (l > 1u) {
        // The previous layer's outputs become their slopes (weight_gradients has read them).
        let previous = layers[l - 2u];
        apply_per_element(lid, in_base, layer.inputs, count, true, previous.activation, previous.alpha);
        input_gradients(lid, layer, in_base, out_base, count);
      }
      out_base = in_base;
    }
  }
  let total = workgroup_reduce(lid, sums);
  if (lid == 0u) { metric_slots[group.x] = add_sums(metric_slots[group.x], total, seen); }
}

// The network's output for a window of rows: one workgroup per tile, the last layer to `y`.
@compute @workgroup_size(WG)
fn predict(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3<u32>) {
  let tile_rows = rows_per_tile();
  let first = group.x * tile_rows;
  if (first >= params.rows) { return; }
  let count = min(tile_rows, params.rows - first);
  load_input(lid, first, count, layers[0].inputs);
  let out_base = forward_tile(lid, count, tile_rows);
  let units = layers[params.layer_count - 1u].units;
  let width = vec4s(units);
  let start = (params.y_row_offset + first) * units;
  for (var e = lid; e < count * units; e += WG) {
    let c = e % units;
    y[start + e] = tile[out_base + (e / units) * width + c / 4u][c % 4u];
  }
}
