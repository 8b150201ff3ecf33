//===- Passes.td - graph-level passes on tfm ----------------*- tablegen -*-===//

#ifndef TFM_PASSES_TD
#define TFM_PASSES_TD

include "mlir/Pass/PassBase.td"

def RefineShapesPass : Pass<"tfm-refine-shapes", "ModuleOp"> {
  let summary = "Propagates static shapes through tfm ops into function results";
  let description = [{
    Re-infers the result type of every tfm op from its operands, in program
    order, and keeps the more refined of the declared and inferred types: a
    dynamic dimension (`?`) becomes static wherever the operands determine it.
    Ops whose result types are declared refine the dimensions their input
    determines: `tfm.cast` takes its input's shape, `tfm.split` pieces the
    input's dimensions off the axis, `tfm.expand` the dimensions the input
    does not broadcast, and `tfm.reshape` its single unknown dimension from
    the element count. Function result types follow
    the refined values returned, for single-block functions that no call
    site in the module references; every other user outside tfm keeps the
    declared type through a `tensor.cast`.

    This is how a graph imported with unknown dimensions becomes static once
    its inputs are fixed. Shapes that turn out to be incompatible are
    reported at the op that cannot accept them.

    Example:

    ```mlir
    func.func @f(%x: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
      %0 = tfm.add %x, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
      return %0 : tensor<?x8xf32>
    }
    ```

    becomes a function returning `tensor<2x8xf32>`, with `%0` of that type.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let options = [
    Option<"updateSignatures", "update-signatures", "bool", /*default=*/"true",
           "Refine the result types of functions that no call references">
  ];
}

def EliminateDeadNodesPass : Pass<"tfm-eliminate-dead-nodes", "::mlir::func::FuncOp"> {
  let summary = "Removes ops that do not affect the graph outputs";
  let description = [{
    Removes, until nothing changes:
    * ops without side effects whose results are unused, unused weights
      (`tfm.constant`) among them;
    * identities, through the ops' folders: `x + 0`, `x · 1`, casts,
      reshapes, expands, transposes and slices that change nothing,
      single-input concats and splits (Dropout and Identity never reach tfm:
      the importer forwards their inputs);
    * chains the folders compose: `transpose∘transpose`, `reshape∘reshape`,
      `expand∘expand`, `neg∘neg`;
    * duplicate subexpressions (upstream CSE).

    Function arguments and results (the graph's inputs and outputs) are
    kept. Folds that would create constants are left to
    `tfm-fold-constants`.
  }];
}

def FoldEmptyTensorsPass
    : Pass<"tfm-fold-empty-tensors", "::mlir::func::FuncOp"> {
  let summary = "Replaces computations on zero-element tensors by their value";
  let description = [{
    A tensor with a zero dimension has no elements, so every op producing
    one is a constant (`dense<>`), and an op that reads one but produces
    elements computes over an empty set. This pass rewrites both, so that
    no zero-size computation reaches code generation, at every optimization
    level:

    * results with no elements, and graph inputs with none, become
      `tfm.constant dense<>` for their users;
    * products whose reduced dimension is empty (`matmul` with K = 0,
      `linear`, `conv` over zero input channels, `attention` over zero keys)
      become zeros, plus the bias where there is one;
    * reductions over an empty axis become ONNX's value for an empty set:
      0 for `reduce_sum`, NaN for `reduce_mean`, -inf (or the lowest
      integer) for `reduce_max`, +inf (or the highest) for `reduce_min`;
    * `concat` drops empty operands.

    An op that reads an empty tensor in a way that has no value (`gather`
    from an empty axis with indices to read) is reported.

    Example:

    ```mlir
    %0 = tfm.matmul %a, %b : (tensor<3x0xf32>, tensor<0x4xf32>) -> tensor<3x4xf32>
    ```

    becomes `%0 = tfm.constant dense<0.0> : tensor<3x4xf32>`.
  }];
}

def FoldConstantsPass : Pass<"tfm-fold-constants", "::mlir::func::FuncOp"> {
  let summary = "Evaluates ops over constants at compile time";
  let description = [{
    Evaluates every tfm op whose operands are all constants with the ops'
    folders, weights (resource blobs) included, and replaces it with the
    result: shape subgraphs, masks, rotary tables, and weight layout
    changes such as the concatenated weights of merged linears or scaled
    weights. Canonicalization folds only results of up to 16 Ki elements;
    this pass folds up to `max-elements`.

    A `transpose(W, [1, 0])` that only feeds `tfm.linear` weights is the
    backend's layout already (the CPU lowering reads `W` as `[K, N]` in
    place) and stays.
  }];
  let options = [
    Option<"maxElements", "max-elements", "int64_t", /*default=*/"1 << 24",
           "Largest result, in elements, to materialize">
  ];
}

def SparsifyWeightsPass : Pass<"tfm-sparsify-weights", "::mlir::func::FuncOp"> {
  let summary = "Stores mostly-zero linear weights block-sparse";
  let description = [{
    An -O3 layout decision, before `tfm-pack-weights`. A `tfm.linear` with
    a constant f32 weight `[N, K]`, or int8 codes with one scale per output
    feature (`tfm-quantize`'s int8-weights; the codes stay int8), and an
    f32 input of static shape, whose output features
    divide into panels of `block-width` becomes a `tfm.sparse_linear` when
    at least `min-sparsity` of its `block-width x 1` blocks (the weights of
    one input feature in one panel) are all zero: the panels keep only
    their nonzero blocks, with the input feature of each and the range of
    each panel's blocks. Exact (only zeros are dropped); bias, activation
    and residual carry over. The CPU lowering then visits only the stored
    blocks. Pruned models get there with `tfm-prune{method=block
    block-rows=16 block-cols=1}` (any multiple of the width in rows), and
    imported models whose weights are already sparse in such blocks are
    detected the same way.

    Otherwise, when the linear has at most `nm-max-rows` input rows (a
    decode step's), an f32 weight with at most n nonzeros in every group of m
    consecutive input features (m in 2, 4, 8, 16; n / m at most 1 -
    `min-sparsity`; the smallest n / m, then the smallest m) becomes a
    `tfm.nm_sparse_linear` in the same panels: each group's n kept
    weights and their places. That reads n / m of the weights plus the
    places, which speeds up products that wait on memory; picking each
    weight's input costs selects, so products of many rows (about 16 and
    more on AVX-512) and int8 codes stay dense. Kept weight t picks among
    m - n + 1 inputs, so a pattern costs `n (m - n) / m` selects per input
    feature (2:4: 1, 4:8: 2); patterns above `nm-max-selects` stay dense:
    measured, 4:8 is 1.45x dense in 16-lane panels (AVX-512) but slower
    than dense in 8-lane ones (AVX2), where 2:4 is 1.42x.
    2:4 and 4:8 pruning (`tfm-prune{method=n-m}`) give such weights.

    `block-width` 0 takes the module target's vector register: half its
    weight panel width (16 lanes of f32 on AVX-512, 8 on AVX2).
  }];
  let options = [
    Option<"minSparsity", "min-sparsity", "double", /*default=*/"0.5",
           "Fraction of zero blocks from which a weight is stored sparse, "
           "in (0, 1]">,
    Option<"blockWidth", "block-width", "int64_t", /*default=*/"0",
           "Output features per block (0: the target's vector lanes)">,
    Option<"nmMaxRows", "nm-max-rows", "int64_t", /*default=*/"8",
           "Most input rows of a linear given an N:M weight (0: none)">,
    Option<"nmMaxSelects", "nm-max-selects", "double", /*default=*/"0",
           "Most selects per input feature an N:M pattern may cost, "
           "n (m - n) / m (0: 2 in panels of 16 lanes or more, else 1)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Report each weight made sparse (a remark): shape and blocks or "
           "pattern kept">
  ];
  let statistics = [
    Statistic<"numSparsified", "num-sparsified",
              "Linears given a block-sparse weight">,
    Statistic<"numNmSparsified", "num-nm-sparsified",
              "Linears given an N:M weight">
  ];
}

def PackWeightsPass : Pass<"tfm-pack-weights", "::mlir::func::FuncOp"> {
  let summary = "Packs constant (or int8) linear weights into the CPU's panel layout";
  let description = [{
    The `-O3` layout decision. Rewrites every `tfm.linear` whose weight is a
    constant `[N, K]` matrix (or `transpose` of a constant `[K, N]` one)
    with at least `panel-width` output features to read the weight in the
    panel layout `[ceil(N / w), K, w]`, `w = panel-width`, computed at
    compile time: panel `p` holds output features `p·w .. p·w + w - 1`
    (zero-padded past N), and each step along K reads `w` contiguous
    elements. The CPU's register tiles are `w` features wide, so the
    product streams each panel from memory in order instead of striding
    through a `[K, N]` matrix. A weight several linears share is packed
    once.

    A quantized weight, `dequantize` of a constant int8 `[N, K]` matrix
    with one scale per feature (or one for all) and no zero point, packs
    the same way: the int8 panels, and the per-feature scales as a blocked
    scale `[P, 1, w]` (blocks of K along axis 1; 1 in the padding).

    Run it last: the fusions and `tfm-merge-linears` leave linears with a
    packed weight alone.

    The panel width is the target's (`getWeightPanelWidth` of the module's
    `tfm.target`: 16 f32 lanes for an AVX2 `#tfm.cpu_target`, 32 for
    AVX-512; none for a `#tfm.cuda_target`, whose weights keep their
    layout), 16 when the module names no target; `panel-width` overrides
    it.
  }];
  let options = [
    Option<"panelWidth", "panel-width", "int64_t", /*default=*/"0",
           "Output features per panel; 0: the module target's (16 without "
           "a target)">
  ];
}

def PrunePass : Pass<"tfm-prune", "::mlir::func::FuncOp"> {
  let summary = "Prunes the constant weights of linear layers";
  let description = [{
    Sets weights of `tfm.linear` ops (and of `tfm.matmul` by a constant 2-D
    matrix) to zero, chosen at compile time by their magnitude, or removes
    whole FFN channels:

    * `magnitude` (unstructured): the `sparsity` fraction of each weight's
      elements with the smallest |w| (`global`: of all pruned weights
      together, one threshold for the model) become 0;
    * `block`: the weight `[N, K]` is cut into blocks of `block-rows` x
      `block-cols` (the last ones smaller where they do not divide N or K);
      the `sparsity` fraction of the blocks with the smallest root mean
      square (per weight, or over all with `global`) become 0;
    * `n-m`: in every run of `m` consecutive weights along K, the `m - n`
      of smallest |w| become 0 (2:4, 4:8; `sparsity` is not used); a
      weight whose K is not a multiple of `m` is left alone;
    * `ffn-channels` (structured): in every feed-forward block, a linear
      (any activation epilogue) or a linear into `tfm.swiglu` whose result
      only the next linear reads, the `sparsity` fraction of the hidden
      channels with the smallest score is removed: the rows of the first
      weight and bias (both halves' rows for SwiGLU) and the columns of the
      second weight. The score of channel c is the product of the L2 norms
      of its rows in the first weight and of its column in the second.
      The FFN is smaller, so it is faster without sparse kernels.
    * `heads` (structured): in every attention fed by a merged QKV linear
      split in three (a mask without a head dimension; the queries and
      keys possibly rotated by `tfm.rope`) whose result only an output
      linear reads, the `sparsity` fraction of the heads with the smallest
      `||W_v rows of h|| · ||W_o columns of h||` is removed: their Q, K
      and V rows (and bias) and output columns; the attention keeps its
      scale (the head size does not change). The attention takes the
      three either `[B, S, H * D]`, or split into heads by reshape and
      transpose `[B, H, S, D]` (merged back the same way), then possibly
      with a key/value cache: function arguments (past) that only the
      attention and the present read, the present being the new rows
      (possibly cast to the cache's type) alone or concatenated to the
      past, returned by the function. The cache's arguments and results
      then lose the pruned heads too (the function's type changes: a
      prefill model must be pruned alike). With grouped queries the unit
      is a key/value head with the query heads that read it, scored by
      its value rows and those query heads' output columns.

    Zeroed weights stay dense constants (pruning before `tfm-quantize`
    keeps them zero: 0 is exact in every quantized form). A weight that
    something other than linears reads (a tied embedding table) is left
    alone, as are those `exclude` names (node or weight names containing
    one of the strings, or the op kinds `linear`, `matmul`) and weights in
    the panel layout (run it before `tfm-pack-weights`). Ties at the
    threshold are pruned in storage order, so that exactly the requested
    count goes.

    Example (`method=n-m n=2 m=4`): a weight row `[0.1, -3, 0.5, 2, ...]`
    becomes `[0, -3, 0, 2, ...]`.
  }];
  let options = [
    Option<"method", "method", "::mlir::tfm::PruningMethod",
           "::mlir::tfm::PruningMethod::Magnitude", "The pruning method",
           "TFM_PRUNING_METHOD_VALUES">,
    Option<"sparsity", "sparsity", "double", /*default=*/"0.5",
           "Fraction of the weights (magnitude), blocks (block), FFN "
           "channels (ffn-channels) or heads (heads) to prune, in [0, 1)">,
    Option<"global", "global", "bool", /*default=*/"false",
           "magnitude and block: one threshold over all pruned weights "
           "instead of the same fraction of each">,
    Option<"blockRows", "block-rows", "int64_t", /*default=*/"1",
           "Rows (output features) of a block">,
    Option<"blockCols", "block-cols", "int64_t", /*default=*/"16",
           "Columns (elements of K) of a block">,
    Option<"n", "n", "int64_t", /*default=*/"2",
           "n-m: weights kept in every group of m">,
    Option<"m", "m", "int64_t", /*default=*/"4",
           "n-m: size of a group along K">,
    ListOption<"exclude", "exclude", "std::string",
               "Leave linears alone whose node or weight name contains one "
               "of these strings, or whose op kind (linear, matmul) is one "
               "of them">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Report each pruned weight (a remark): name, shape and the "
           "fraction of zeros, or the FFN's channels before and after">
  ];
  let statistics = [
    Statistic<"numPruned", "num-pruned", "Weights pruned">,
    Statistic<"numFfns", "num-ffns", "FFN blocks made narrower">,
    Statistic<"numAttentions", "num-attentions",
              "Attention blocks given fewer heads">,
    Statistic<"numSkipped", "num-skipped",
              "Weights left alone: shared with a non-linear user, excluded, "
              "or (n-m) with a K that m does not divide">
  ];
}

def QuantizePass : Pass<"tfm-quantize", "::mlir::func::FuncOp"> {
  let summary = "Quantizes (or narrows) the constant weights of linear layers";
  let description = [{
    Replaces the float weight of every `tfm.linear` (and of every
    `tfm.matmul` by a constant 2-D matrix, which becomes a linear) by a
    quantized constant and a `tfm.dequantize`, computed at compile time:

    * `none`: nothing changes;
    * `int8-weights`: symmetric per-output-channel int8, scale
      `max_k |W[n, k]| / 127` (1 for an all-zero row), values rounded half
      to even; activations stay in float;
    * `w8a8-dynamic`: weights as `int8-weights`, and the linear's f32 input
      quantized at run time, per token (each row of its last axis), into
      uint8 around a zero point of 128 with scale `max_k |x[..., k]| / 127`:
      `dequantize(quantize(x, s, 128), s, 128)` in one block of K along
      the last axis (with dynamic rows: int8 without a zero point, the same
      values less 128). Products are then integer (u8 x s8 into i32);
    * `w8a8-static`: weights as `int8-weights`; the input of each linear
      that carries a calibrated range `tfm.input_range = array<f32: lo,
      hi>` (set by `tfmc --calibrate`, which runs the fp32 model on sample
      inputs) is quantized per tensor into uint8 with constants:
      `s = (max(hi, 0) - min(lo, 0)) / 255`, `z = round(-min(lo, 0) / s)`.
      A linear without a range keeps a float input (int8 weights);
    * `int4-weights`: asymmetric uint4 in blocks of `block-size` elements
      of K, each block with its scale and zero point: with
      `lo = min(0, min W)`, `hi = max(0, max W)` and the factor f of 1,
      0.95, .., 0.75 whose quantization has the least squared error (a
      clipped range: outliers saturate, the rest gets finer steps),
      `s = (hi - lo) · f / 15` (rounded to a value f16 holds, so that the
      backend stores it in 16 bits), `z = round(-lo · f / s)`, values rounded
      half to even and clamped to [0, 15]; the weight
      becomes `dequantize(Q [N, K] ui4, S [N, K/b], Z [N, K/b] ui4)
      {axis = 1, block_size = b}`. A linear whose K is not a multiple of
      the block size gets int8-weights instead. The backend packs two
      values per byte and dequantizes them in registers.
    * `bf16`, `fp16` (mixed precision): the weight is rounded to the
      narrow float at compile time (to nearest, ties to even) and read
      through `tfm.cast` to f32, and the linear's f32 input is rounded the
      same way at run time: `linear(cast<f32>(cast<bf16>(x)),
      cast<f32>(W16))`. The product of two narrow values is exact in f32,
      so this is the bf16/f16 product with f32 accumulation; the bias, the
      epilogue, norms, softmax and the residual stream stay f32. The
      backend reads the narrow operands directly (at -O3 with
      `vdpbf16ps` where the target has AVX-512 BF16). Embedding tables
      are stored narrow and widened after the gather. A weight with a
      finite value the narrow type cannot hold (beyond 65504 for f16)
      stays f32. A widening cast of a non-splat constant is never folded,
      so the narrow weight stays.

    An embedding table, a constant `[V, D]` matrix gathered along axis 0,
    is quantized as a linear weight of V features (and shared with a tied
    output projection): the gather reads rows of codes (and of scales and
    zero points), dequantized after it along the last axis. The op kind
    `gather` in `exclude` leaves tables in float.

    The backend contracts the int8 weight directly and applies the scales
    after the product (`convert-tfm-to-linalg`), so the weight stays a
    quarter of its f32 size in the weights file and in memory bandwidth.

    A linear is left in float when its node name or its weight's name
    contains one of the `exclude` strings, or when its op kind (`linear`,
    `matmul`) is listed there. Weights already in the panel layout are
    left alone: run it before `tfm-pack-weights`. A weight several linears
    share is quantized once.

    Example (`mode=int8-weights`):

    ```mlir
    %y = tfm.linear %x, %w, %b : (tensor<8x64xf32>, tensor<32x64xf32>,
        tensor<32xf32>) -> tensor<8x32xf32>
    ```

    becomes

    ```mlir
    %q = tfm.constant dense_resource<w.int8> : tensor<32x64xi8>
    %s = tfm.constant dense<...> : tensor<32xf32>
    %wd = tfm.dequantize %q, %s {axis = 0 : i64}
        : (tensor<32x64xi8>, tensor<32xf32>) -> tensor<32x64xf32>
    %y = tfm.linear %x, %wd, %b : (...) -> tensor<8x32xf32>
    ```
  }];
  let options = [
    Option<"mode", "mode", "::mlir::tfm::QuantizationMode",
           "::mlir::tfm::QuantizationMode::Int8Weights",
           "The quantization scheme", "TFM_QUANTIZATION_MODE_VALUES">,
    ListOption<"exclude", "exclude", "std::string",
               "Leave linears in float whose node or weight name contains "
               "one of these strings, or whose op kind (linear, matmul) is "
               "one of them">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"32",
           "Elements of K per scale and zero point in int4-weights mode "
           "(even, 2 to 4096)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Report each quantized weight (a remark at its constant): name, "
           "shape, scheme, max |W - dequantized W| and relative RMS error">
  ];
  let statistics = [
    Statistic<"numQuantized", "num-quantized",
              "Linears whose weight was quantized">,
    Statistic<"numEmbeddings", "num-embeddings",
              "Embedding tables (gathers) whose table was quantized">,
    Statistic<"numExcluded", "num-excluded",
              "Linears left in float by `exclude`">,
    Statistic<"numCalibrated", "num-calibrated",
              "Linears whose input was quantized with a calibrated range "
              "(w8a8-static)">
  ];
}

def FuseNormsPass : Pass<"tfm-fuse-norms", "::mlir::func::FuncOp"> {
  let summary = "Fuses LayerNorm and RMSNorm spelled out in primitives";
  let description = [{
    Recognizes the norms as exporters below opset 17 emit them:
    `x / sqrt(mean(x²) + ε)` (also `x · rsqrt(..)` and `x · (1 / sqrt(..))`,
    with `x²` as `Pow(x, 2)` or `x · x`) becomes `tfm.rms_norm`, and
    `rms_norm(x - mean(x))` over the same trailing axes `tfm.layer_norm`; a
    following `· γ` and (layer norm) `+ β` of the normalized shape become
    the `scale` and `bias` operands. Every intermediate must have no other
    user, the means must keep dimensions over trailing axes, and ε must be
    added inside the square root; anything else stays as it is.
  }];
}

def FuseSkipNormsPass : Pass<"tfm-fuse-skip-norms", "::mlir::func::FuncOp"> {
  let summary = "Fuses a residual add into the norm that reads it";
  let description = [{
    `layer_norm(a + b)` becomes `layer_norm(a) residual(b)` (rms_norm
    alike), the skip-norm of ONNX Runtime's `SkipLayerNormalization`: the
    add's other users read the norm's second result, the sum. Both operands
    must have the sum's type (no broadcasting). An add whose operand comes
    from a matmul or from a linear without a residual is left to the
    linear's epilogue (`tfm-fuse-linear`), which `tfm-fuse` runs first.
  }];
}

def FuseActivationsPass : Pass<"tfm-fuse-activations", "::mlir::func::FuncOp"> {
  let summary = "Fuses GELU (erf and tanh forms) and SiLU";
  let description = [{
    `0.5 · x · (1 + erf(x / √2))` (or `x · (1/√2)`) becomes `tfm.gelu`,
    `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))` (`x³` as `Pow` or
    two products) `tfm.gelu` with `approximate = tanh`, and `x · sigmoid(x)`
    `tfm.silu`. The three factors of the outer product may come in any
    association and order; constants match to a relative 1e-4.
  }];
}

def FuseLinearPass : Pass<"tfm-fuse-linear", "::mlir::func::FuncOp"> {
  let summary = "Turns MatMul by a weight into linear and folds its epilogue in";
  let description = [{
    `matmul(x, W)` by a constant 2-D `W` becomes
    `tfm.linear(x, transpose(W))`; then a bias `Add` of shape `[N]`, a
    following `gelu`/`silu`/`relu`, a residual `Add` of the result's shape
    and a scalar `Mul`/`Div` (folded into the weight and bias) join it, each
    only while the linear's result has no other user and in the order
    bias, activation, residual.
  }];
}

def FuseQuantizedPass : Pass<"tfm-fuse-quantized", "::mlir::func::FuncOp"> {
  let summary = "Brings imported quantized products to tfm's quantized linear";
  let description = [{
    Quantized ONNX graphs spell an integer product in several ways:
    `MatMulInteger` (an exact int32 product of `Q - Z`) followed by a
    `Cast` and the scales, QDQ pairs around a `MatMul`, ONNX Runtime's
    fused ops. These rewrites bring them to the form `tfm-quantize` makes,
    `linear(dequantize(Qa, Sa, Za), dequantize(Q, S))`, which the backend
    contracts in integers with the scales applied after the product:

    * `cast<f32>(matmul<i32>(cast(Qa) - cast(Za), cast(Q) - cast(Z)))`
      (an operand may be an i32 constant within 8 bits, as the importer
      folds constant ones) becomes the matmul of `dequantize(Qa, 1, Za)`
      and `dequantize(Q, 1, Z)`; the activations' zero point must be one
      value, the weight's one value or one per column;
    * `matmul(x, dequantize(Q [K, N], S, Z))` of a constant `Q` becomes
      `linear(x, dequantize(Qᵀ, ...))`, `Q` transposed at compile time and
      the scheme's axis with it;
    * a `dequantize` of 8-bit constants with a constant zero point, not
      blocked, whose `Q - Z` all fit int8, becomes a symmetric int8
      `dequantize` without zero point;
    * `linear(..) · c` of a quantized linear without epilogue: a constant
      `c` of one value or one per feature multiplies the weight's scales, a
      single value computed at run time the scale of a dequantized input,
      and a product of both splits in two (so that linears reading one
      input keep one input, and `tfm-merge-linears` can merge them).

    Every rewrite keeps the value (up to the rounding of the scales'
    products). The patterns run inside `tfm-fuse` too.
  }];
}

def MergeLinearsPass : Pass<"tfm-merge-linears", "::mlir::func::FuncOp"> {
  let summary = "Merges linears that share an input into one wide linear";
  let description = [{
    Linears reading the same input with the same activation and no residual
    (the Q, K and V projections; the gate and up projections once their
    epilogues are settled) become one linear over the concatenated weights
    and biases, followed by a `tfm.split`. Only linears whose results feed
    data movement, attention or rope merge, so that epilogue fusions always
    go first.
  }];
}

def FuseAttentionPass : Pass<"tfm-fuse-attention", "::mlir::func::FuncOp"> {
  let summary = "Fuses scaled dot-product attention and its head plumbing";
  let description = [{
    `softmax(mask(scale · Q·Kᵀ)) · V` on `[B, H, S, D]` heads becomes
    `tfm.attention`: the scale may be a `Mul`/`Div` on the scores, on Q or
    on Kᵀ; the mask an additive tensor, a `Where(cond, scores, fill)` or
    both, and a constant one that hides exactly the keys after the causal
    diagonal becomes the `causal` flag. Keys and values repeated for grouped
    heads (reshape/expand/reshape) are read at their own head count. The
    softmax must be over the last axis and every intermediate used once.
    Attention whose inputs come from `transpose(reshape(x, [B, S, H, D]),
    [0, 2, 1, 3])` and whose result is merged back the same way then reads
    the packed `[B, S, H·D]` tensors directly, and a `tfm.rope` on split
    heads moves before the split.
  }];
}

def FuseRopePass : Pass<"tfm-fuse-rope", "::mlir::func::FuncOp"> {
  let summary = "Fuses rotary position embedding in its rotate-half form";
  let description = [{
    `x · cos + concat(-x[..., D/2:], x[..., :D/2]) · sin` on `[B, H, S, D]`
    heads becomes `tfm.rope`, when the `[..., S, D]` cos and sin tables are
    known to repeat their first half (constants, or `concat(f, f)`): the
    rope reads the `[S, D/2]` halves.
  }];
}

def FuseSoftmaxPass : Pass<"tfm-fuse-softmax", "::mlir::func::FuncOp"> {
  let summary = "Fuses softmax and log-softmax spelled out in primitives";
  let description = [{
    With `d = x - reduce_max(x)` and `s = reduce_sum(exp(d))` along one
    axis (both keeping it), as ONNX's Softmax-13 and LogSoftmax-13 function
    bodies and hand-written stable softmaxes compute them, `exp(d) / s`
    becomes `tfm.softmax` and `d - log(s)` `tfm.log_softmax` along that
    axis. The intermediates' other users, if any, keep them.
  }];
}

def FuseKvCachePass : Pass<"tfm-fuse-kv-cache", "::mlir::func::FuncOp"> {
  let summary = "Reads a key/value cache in place in attention";
  let description = [{
    `tfm.attention` whose keys and values are `concat(past, new)` along the
    sequence axis (how exporters append to a cache) reads `new` with
    `past` as its `past_key`/`past_value` operands instead: the
    concatenation is no longer computed for the attention, and goes when
    nothing else (a full `present` output) uses it.
  }];
}

def NarrowKvCachePass : Pass<"tfm-narrow-kv-cache", "::mlir::func::FuncOp"> {
  let summary = "Stores a key/value cache in f16 or bf16";
  let description = [{
    A decoder export's cache is an f32 argument `past` and a result
    `concat(past, new)` along the sequence axis of an attention operand
    (rank 4 axis 2, rank 3 axis 1; the `present` outputs). Each such
    argument takes the narrow `type`, the result appends `new` rounded to
    it (to nearest, ties to even), and the argument's readers see it
    extended to f32: `tfm.attention` reads the narrow cache in place
    (`tfm-fuse-kv-cache` drops the extension) and extends each tile it
    reads. A decode step then reads half the cache bytes; the rows the
    step appends are used at f32 in that step and rounded in the cache for
    the next ones. Run before `tfm-present-new-rows`. Enabled by
    `tfmc --kv-cache=f16|bf16`.
  }];
  let options = [
    Option<"type", "type", "::mlir::tfm::KvCacheType",
           "::mlir::tfm::KvCacheType::F16", "The cache's element type",
           "TFM_KV_CACHE_TYPE_VALUES">,
  ];
}

def PresentNewRowsPass : Pass<"tfm-present-new-rows", "::mlir::func::FuncOp"> {
  let summary = "Returns only the rows a cache output appends to its input";
  let description = [{
    A function result that is `concat(%arg, new)` along the sequence axis of
    an attention operand (rank 4 axis 2, rank 3 axis 1) with `%arg` a
    function argument (the `present` outputs of decoder exports, appending
    to their `past` inputs) returns `new` instead, and the function type
    changes with it. The caller keeps the cache and appends the rows
    (`tfm_model_generate`), so no step copies the whole cache. Enabled by
    `tfmc --present=new-rows`.
  }];
}

def FusePass : Pass<"tfm-fuse", "::mlir::func::FuncOp"> {
  let summary = "Runs every graph fusion together to a fixed point";
  let description = [{
    The patterns of `tfm-fuse-norms`, `tfm-fuse-softmax`,
    `tfm-fuse-activations`, `tfm-fuse-linear`, `tfm-fuse-quantized`,
    `tfm-merge-linears`, `tfm-fuse-attention`, `tfm-fuse-kv-cache` and
    `tfm-fuse-rope`, with the
    tfm ops' canonicalizations, applied together
    until none applies; then, with `tfm-fuse-skip-norms` added, again, so
    that a residual add goes into a norm only when no linear's epilogue
    took it. The patterns are written so that the result does not depend on
    the order they fire in.
  }];
}

#endif // TFM_PASSES_TD
