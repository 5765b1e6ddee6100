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
//   predict: forward only; the window's tiles dealt to the workgroups as in train, the last
//            layer's output to `y`.
//
// The architecture comes from `layers` (a storage array of descriptors written once per plan),
// the batch from the uniform `params`: one pipeline serves every network that fits and every
// batch size. Workgroup memory holds, for the tile's rows, the input and every layer's output:
//   tile = [ X (tile_rows × inputs₀) | A₀ (tile_rows × units₀) | A₁ … ]
// Backward overwrites each layer's slot in place with its dZ (a row's dZ needs only that row's
// own output for the slope), so the tile needs no second copy.
//
// Work is split into 4 × 4 blocks of an output (rows × units, inputs × units or rows × inputs),
// four vec4 accumulators per invocation as in dense.wgsl; indices are clamped to the last valid
// row/column (duplicated values land in lanes that are never stored).

struct FusedParams {
  // Rows of the batch (train) or of the window (predict): bce_row divides the gradient by it.
  rows: u32,
  // Windows of the resident dataset: X rows and labels (and sample weights).
  x_row_offset: u32,
  label_row_offset: u32,
  // Predict: the first row of `y` written.
  y_row_offset: u32,
  layer_count: u32,
  // Rows per tile: at most what the workgroup memory holds for this network (TILE_FLOATS).
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
// Floats of workgroup memory for the tile: chosen by the engine from the adapter's
// maxComputeWorkgroupStorageSize (a pipeline per adapter, never per batch).
override TILE_FLOATS: u32 = 3840u;
override WEIGHTED: bool = false;

@group(0) @binding(0) var<uniform> params: FusedParams;
@group(0) @binding(1) var<storage, read> layers: array<Layer>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> parameters: array<f32>;
@group(0) @binding(4) var<storage, read> labels: array<f32>;
// lib/metrics.wgsl's accumulate() adds to it; the train entry adds to `metric_slots` instead.
@group(0) @binding(5) var<storage, read_write> metrics: Metrics;
// Train: one slice of the parameters' length (gradient_stride) per workgroup.
@group(0) @binding(6) var<storage, read_write> gradients: array<f32>;
// Read only when WEIGHTED (unweighted plans bind the labels in its place).
@group(0) @binding(7) var<storage, read> sample_weight: array<f32>;
@group(0) @binding(8) var<storage, read_write> y: array<f32>;
// Train: the running sums of each workgroup's rows (slot g: workgroup g), from the epoch's start.
@group(0) @binding(9) var<storage, read_write> metric_slots: array<Metrics>;

var<workgroup> tile: array<f32, TILE_FLOATS>;

// The 4 indices first, first+1, ... clamped to count-1.
fn block4(first: u32, count: u32) -> vec4<u32> {
  return min(vec4<u32>(first) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(count - 1u));
}

// Four consecutive columns c of row-major [?, width] memory at `base` (tile or parameters).
fn tile4(base: u32, c: vec4<u32>) -> vec4<f32> {
  return vec4<f32>(tile[base + c.x], tile[base + c.y], tile[base + c.z], tile[base + c.w]);
}

fn weights4(base: u32, c: vec4<u32>) -> vec4<f32> {
  return vec4<f32>(parameters[base + c.x], parameters[base + c.y], parameters[base + c.z], parameters[base + c.w]);
}

// Stores v's lanes at columns c0… of tile row `row` (width `width`), skipping columns past it.
fn store_tile4(base: u32, c0: u32, width: u32, v: vec4<f32>) {
  tile[base + c0] = v.x;
  if (c0 + 1u < width) { tile[base + c0 + 1u] = v.y; }
  if (c0 + 2u < width) { tile[base + c0 + 2u] = v.z; }
  if (c0 + 3u < width) { tile[base + c0 + 3u] = v.w; }
}

// Copies the tile's `count` rows of X (from batch row `first`) into the tile's first slot.
fn load_input(lid: u32, first: u32, count: u32, inputs: u32) {
  let start = (params.x_row_offset + first) * inputs;
  for (var e = lid; e < count * inputs; e += WG) { tile[e] = x[start + e]; }
  workgroupBarrier();
}

// A[r, u] = act(Σ_i In[r, i] W[i, u] + b[u]) for the tile's `count` rows; In at tile float
// `in_base`, A written at `out_base`.
fn forward_layer(lid: u32, layer: Layer, in_base: u32, out_base: u32, count: u32) {
  let inputs = layer.inputs;
  let units = layer.units;
  let unit_blocks = (units + 3u) / 4u;
  let blocks = unit_blocks * ((count + 3u) / 4u);
  for (var e = lid; e < blocks; e += WG) {
    let u0 = (e % unit_blocks) * 4u;
    let r0 = (e / unit_blocks) * 4u;
    let u = block4(u0, units);
    let rr = in_base + block4(r0, count) * inputs;
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    for (var i = 0u; i < inputs; i++) {
      let w = weights4(layer.weights_offset + i * units, u);
      acc0 += tile[rr.x + i] * w;
      acc1 += tile[rr.y + i] * w;
      acc2 += tile[rr.z + i] * w;
      acc3 += tile[rr.w + i] * w;
    }
    var b = vec4<f32>(0.0);
    if (layer.bias_offset != NO_BIAS) { b = weights4(layer.bias_offset, u); }
    let out = out_base + r0 * units;
    store_tile4(out, u0, units, acc0 + b);
    if (r0 + 1u < count) { store_tile4(out + units, u0, units, acc1 + b); }
    if (r0 + 2u < count) { store_tile4(out + 2u * units, u0, units, acc2 + b); }
    if (r0 + 3u < count) { store_tile4(out + 3u * units, u0, units, acc3 + b); }
  }
  workgroupBarrier();
  apply_activation(lid, out_base, count * units, layer.activation, layer.alpha);
}

// The activation over `count` floats of the tile from `base`, in a pass of its own: one call site
// of the activation switch (the code is a runtime value here, not an override), which keeps the
// pipeline's compile time small. Relu and linear, the common hidden and logit layers, skip the
// switch: SwiftShader runs a runtime switch per element at a cost of many multiply-adds.
fn apply_activation(lid: u32, base: u32, count: u32, code: u32, alpha: f32) {
  if (code == ACT_LINEAR) { return; }
  if (code == ACT_RELU) {
    for (var e = lid; e < count; e += WG) { tile[base + e] = max(tile[base + e], 0.0); }
  } else {
    for (var e = lid; e < count; e += WG) { tile[base + e] = activate(code, alpha, tile[base + e]); }
  }
  workgroupBarrier();
}

// The outputs of an activation `code` over `count` floats of the tile from `base` become its
// slopes (one call site of the slope switch; relu and linear without it).
fn apply_slope(lid: u32, base: u32, count: u32, code: u32, alpha: f32) {
  if (code == ACT_RELU) {
    for (var e = lid; e < count; e += WG) { tile[base + e] = select(0.0, 1.0, tile[base + e] > 0.0); }
  } else if (code == ACT_LINEAR) {
    for (var e = lid; e < count; e += WG) { tile[base + e] = 1.0; }
  } else {
    for (var e = lid; e < count; e += WG) { tile[base + e] = activation_slope(code, alpha, tile[base + e]); }
  }
  workgroupBarrier();
}

// params.tile_rows, capped to what TILE_FLOATS holds for this network (the engine sizes both;
// the cap keeps a mismatch from reaching past the tile).
fn rows_per_tile() -> u32 {
  var per_row = layers[0].inputs;
  for (var l = 0u; l < params.layer_count; l++) { per_row += layers[l].units; }
  return max(1u, min(params.tile_rows, TILE_FLOATS / per_row));
}

// Runs every layer over the tile (its input already loaded); returns the float of the tile
// where the last layer's output starts.
fn forward_tile(lid: u32, count: u32, tile_rows: u32) -> u32 {
  var in_base = 0u;
  var out_base = tile_rows * layers[0].inputs;
  for (var l = 0u; l < params.layer_count; l++) {
    let layer = layers[l];
    forward_layer(lid, layer, in_base, out_base, count);
    in_base = out_base;
    out_base += tile_rows * layer.units;
  }
  return in_base;
}

// Adds v's lanes to gradients at columns c0… of row `base` (width `width`); a workgroup's first
// tile of a batch writes instead of adding (repeating a step gives the same gradients).
fn store_gradient4(base: u32, c0: u32, width: u32, v: vec4<f32>, first: bool) {
  for (var k = 0u; k < 4u; k++) {
    if (c0 + k < width) {
      let g = select(gradients[base + c0 + k], 0.0, first) + v[k];
      gradients[base + c0 + k] = g;
    }
  }
}

// dW[i, u] += Σ_r In[r, i] dZ[r, u] and db[u] += Σ_r dZ[r, u] over the tile's rows, into the
// gradient slice that starts at float `slice`.
fn weight_gradients(lid: u32, layer: Layer, in_base: u32, dz_base: u32, count: u32, slice: u32, first: bool) {
  let inputs = layer.inputs;
  let units = layer.units;
  let unit_blocks = (units + 3u) / 4u;
  let blocks = unit_blocks * ((inputs + 3u) / 4u);
  for (var e = lid; e < blocks; e += WG) {
    let u0 = (e % unit_blocks) * 4u;
    let i0 = (e / unit_blocks) * 4u;
    let u = block4(u0, units);
    let i = block4(i0, inputs);
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    var acc_bias = vec4<f32>(0.0);
    for (var r = 0u; r < count; r++) {
      let d = tile4(dz_base + r * units, u);
      let a = tile4(in_base + r * inputs, i);
      acc0 += a.x * d;
      acc1 += a.y * d;
      acc2 += a.z * d;
      acc3 += a.w * d;
      acc_bias += d;
    }
    let w = slice + layer.weights_offset;
    store_gradient4(w + i0 * units, u0, units, acc0, first);
    if (i0 + 1u < inputs) { store_gradient4(w + (i0 + 1u) * units, u0, units, acc1, first); }
    if (i0 + 2u < inputs) { store_gradient4(w + (i0 + 2u) * units, u0, units, acc2, first); }
    if (i0 + 3u < inputs) { store_gradient4(w + (i0 + 3u) * units, u0, units, acc3, first); }
    if (i0 == 0u && layer.bias_offset != NO_BIAS) { store_gradient4(slice + layer.bias_offset, u0, units, acc_bias, first); }
  }
  workgroupBarrier();
}

// dZprev[r, i] = (Σ_u dZ[r, u] W[i, u]) · act_prev'(A_prev[r, i]), written over the slopes
// act_prev'(A_prev) that the train loop left at `in_base`: each element reads only its own.
fn input_gradients(lid: u32, layer: Layer, in_base: u32, dz_base: u32, count: u32) {
  let inputs = layer.inputs;
  let units = layer.units;
  let input_blocks = (inputs + 3u) / 4u;
  let blocks = input_blocks * ((count + 3u) / 4u);
  for (var e = lid; e < blocks; e += WG) {
    let i0 = (e % input_blocks) * 4u;
    let r0 = (e / input_blocks) * 4u;
    let wr = layer.weights_offset + block4(i0, inputs) * units;
    let dr = dz_base + block4(r0, count) * units;
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    for (var u = 0u; u < units; u++) {
      let w = vec4<f32>(parameters[wr.x + u], parameters[wr.y + u], parameters[wr.z + u], parameters[wr.w + u]);
      acc0 += tile[dr.x + u] * w;
      acc1 += tile[dr.y + u] * w;
      acc2 += tile[dr.z + u] * w;
      acc3 += tile[dr.w + u] * w;
    }
    let i = block4(i0, inputs);
    var acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
    for (var k = 0u; k < 4u; k++) {
      if (r0 + k < count) {
        let row = in_base + (r0 + k) * inputs;
        store_tile4(row, i0, inputs, acc[k] * tile4(row, i));
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
    for (var e = lid; e < params.gradient_stride; e += WG) { gradients[slice + e] = 0.0; }
    return;
  }
  var sums = RowSums(0.0, 0u, 0.0, 0.0);
  var seen = 0u;
  for (var first = start; first < rows; first += groups.x * tile_rows) {
    let count = min(tile_rows, rows - first);
    seen += count;
    load_input(lid, first, count, inputs);
    var out_base = forward_tile(lid, count, tile_rows);

    // The loss of the tile's rows; the output layer's slot then holds dZ of the logits.
    for (var r = lid; r < count; r += WG) {
      let row = bce_row(sums, first + r, tile[out_base + r], true);
      sums = row.sums;
      tile[out_base + r] = row.gradient;
    }
    workgroupBarrier();

    for (var l = count_layers; l > 0u; l--) {
      let layer = layers[l - 1u];
      let in_base = out_base - tile_rows * layer.inputs;
      weight_gradients(lid, layer, in_base, out_base, count, slice, first == start);
      if (l > 1u) {
        // The previous layer's outputs become their slopes (weight_gradients has read them).
        let previous = layers[l - 2u];
        apply_slope(lid, in_base, count * layer.inputs, previous.activation, previous.alpha);
        input_gradients(lid, layer, in_base, out_base, count);
      }
      out_base = in_base;
    }
  }
  let total = workgroup_reduce(lid, sums);
  if (lid == 0u) { metric_slots[group.x] = add_sums(metric_slots[group.x], total, seen); }
}

// The network's output for a window of rows, the last layer to `y`; workgroup g takes tiles
// g, g + G, … (G workgroups). Few workgroups, each looping over many tiles: on SwiftShader each
// workgroup has a fixed cost (its invocations' coroutines, its workgroup memory zeroed) that a
// tile's forward pass did not outweigh (see FUSED_PREDICT_MIN_MACS_PER_WORKGROUP).
@compute @workgroup_size(WG)
fn predict(
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let tile_rows = rows_per_tile();
  let units = layers[params.layer_count - 1u].units;
  for (var first = group.x * tile_rows; first < params.rows; first += groups.x * tile_rows) {
    let count = min(tile_rows, params.rows - first);
    load_input(lid, first, count, layers[0].inputs);
    let out_base = forward_tile(lid, count, tile_rows);
    let start = (params.y_row_offset + first) * units;
    for (var e = lid; e < count * units; e += WG) { y[start + e] = tile[out_base + e]; }
    // The next tile's input overwrites the start of the tile, which this tile's output may share.
    workgroupBarrier();
  }
}
