//===- TfmContractionOps.td - matmul and linear ------------*- tablegen -*-===//

#ifndef TFM_CONTRACTION_OPS_TD
#define TFM_CONTRACTION_OPS_TD

include "TfmBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Tfm_MatmulOp : Tfm_Op<"matmul",
    [Pure, Tfm_InferTensorTypes<5>]> {
  let summary = "batched matrix multiplication with broadcast batch dimensions";
  let description = [{
    Multiplies the matrices in the two innermost dimensions of `lhs`
    (`[..., M, K]`) and `rhs` (`[..., K, N]`), giving `[..., M, N]`. The
    leading (batch) dimensions broadcast NumPy-style, as in `numpy.matmul`
    for operands of rank 2 or more. Accumulation is in the element type.

    Constraints:
    * (matmul_c1) `lhs` and `rhs` have rank 2 or more.
    * (matmul_c2) `lhs` and `rhs` have the same element type.
    * (matmul_c3) the contracted dimensions agree: `lhs[-1] == rhs[-2]`.
    * (matmul_c4) the batch dimensions `lhs[:-2]` and `rhs[:-2]` are
      broadcast-compatible.
    * (matmul_c5) `result` has the element type of the operands and shape
      `broadcast(lhs[:-2], rhs[:-2]) + [M, N]`.

    Example (attention scores, `Q · Kᵀ`):

    ```mlir
    %s = tfm.matmul %q, %kt : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>)
        -> tensor<1x12x128x128xf32>
    ```
  }];
  let arguments = (ins Tfm_NumericTensor:$lhs, Tfm_NumericTensor:$rhs);
  let results = (outs Tfm_NumericTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Tfm_LinearOp : Tfm_Op<"linear",
    [Pure, AttrSizedOperandSegments, Tfm_InferTensorTypes<6>]> {
  let summary = "fully connected layer with a fused epilogue";
  let description = [{
    Applies a linear layer to the innermost dimension of `input`
    (`[..., K]`) with `weight` in PyTorch's `nn.Linear` layout `[N, K]` and
    an optional `bias` of shape `[N]`, giving `[..., N]`, then the optional
    epilogue: an `activation` and a `residual` added last:

    `result[..., n] = act(sum_k input[..., k] * weight[n, k] + bias[n])
                      + residual[..., n]`

    The graph optimizer folds the bias `Add`, the activation and the
    residual `Add` that exporters emit after a `MatMul` into this op, so
    that the backend can apply them while the product is still in
    registers.

    With `out_features = N` the weight is in the *panel layout* that
    `tfm-pack-weights` chooses at `-O3`: `[P, K, w]`, `P = ceil(N / w)`
    panels of `w` output features each, `weight[p, k, j] = W[p·w + j, k]`
    (zero where `p·w + j >= N`). Each step along K of a panel is `w`
    contiguous elements, which is what the CPU's register tiles read.

    Constraints:
    * (linear_c1) `weight` has rank 2 (`[N, K]`), or rank 3 (`[P, K, w]`,
      panel layout) with `out_features`.
    * (linear_c2) `input` has rank 1 or more.
    * (linear_c3) `input`, `weight`, `bias` and `residual` have the same
      element type.
    * (linear_c4) the contracted dimensions agree: `input[-1] == weight[1]`.
    * (linear_c5) `bias`, when present, has shape `[N]`.
    * (linear_c6) `result` has the element type of `input` and shape
      `input[:-1] + [N]`.
    * (linear_c7) `residual`, when present, has the shape of `result`.
    * (linear_c8) `out_features`, when present, is positive, the weight has
      rank 3, and `P == ceil(out_features / w)`.

    `N` is `out_features` in the panel layout and `weight[0]` otherwise.

    Example (a BERT output projection with its residual connection):

    ```mlir
    %h = tfm.linear %x, %w, %b residual(%r)
        : (tensor<1x128x3072xf32>, tensor<768x3072xf32>, tensor<768xf32>,
           tensor<1x128x768xf32>) -> tensor<1x128x768xf32>
    %g = tfm.linear %x, %w2, %b2 activation = gelu
        : (tensor<1x128x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>)
        -> tensor<1x128x3072xf32>
    // GPT-2's LM head, its weight packed in panels of 16 features.
    %l = tfm.linear %h, %wp {out_features = 50257 : i64}
        : (tensor<1x128x768xf32>, tensor<3142x768x16xf32>)
        -> tensor<1x128x50257xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input, Tfm_FloatTensor:$weight,
                       Optional<Tfm_FloatTensor>:$bias,
                       Optional<Tfm_FloatTensor>:$residual,
                       OptionalAttr<Tfm_ActivationAttr>:$activation,
                       OptionalAttr<I64Attr>:$out_features);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`residual` `(` $residual^ `)`)?
    (`activation` `=` `` $activation^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$weight,
                   "::mlir::Value":$bias, "::mlir::Value":$residual,
                   "::mlir::tfm::ActivationAttr":$activation), [{
      build($_builder, $_state, input, weight, bias, residual, activation,
            /*out_features=*/::mlir::IntegerAttr());
    }]>
  ];
  let extraClassDeclaration = [{
    /// True when the weight is in the panel layout `[P, K, w]`.
    bool hasPackedWeight() { return getOutFeatures().has_value(); }
    /// The number of output features, N.
    int64_t getNumOutputFeatures();
  }];
}

def Tfm_SparseLinearOp : Tfm_Op<"sparse_linear",
    [Pure, AttrSizedOperandSegments, Tfm_InferTensorTypes<6>]> {
  let summary = "fully connected layer with a block-sparse weight";
  let description = [{
    `tfm.linear` with its weight `W [N, K]` stored block-sparse: the output
    features in panels of `w` (the last dimension of `values`; N, given by
    `out_features`, a multiple of w), and of each panel only the input
    features k whose w weights are not all zero, as blocks of w x 1. Panel
    p's blocks are `offsets[p]` to `offsets[p + 1]` (exclusive); block i is
    `values[i, j] = W[p * w + j, cols[i]]`:

    `result[..., n] = activation(bias[n] + sum_k input[..., k] W[n, k])
                      + residual[..., n]`

    `tfm-sparsify-weights` makes it from a linear whose constant weight is
    mostly zero blocks; the CPU lowering visits only the stored blocks.

    Constraints:
    * (sparse_linear_c1) `values` has rank 2 `[B, w]` and the element type
      of `input`, or i8 with `scales` `[N]` of the input's element type
      (int8 weights with one scale per output feature, `W[n, k] =
      values[i, j] * scales[n]`); `cols` rank 1 `[B]` and `offsets` rank 1
      `[N / w + 1]`, both i32.
    * (sparse_linear_c2) `out_features` is a positive multiple of w.
    * (sparse_linear_c3) `input` has rank >= 1 and is a float tensor.
    * (sparse_linear_c4) `bias`, if present, is `[N]` of the input's element
      type; `residual`, if present, has the result's type.
    * (sparse_linear_c5) when `offsets` and `cols` are constants: offsets
      start at 0, do not decrease and end at B; every col is in [0, K).
    * (sparse_linear_c6) `result` is `input[:-1] + [N]`.

    Example (BERT-base's FFN at 90 % in blocks of 16 x 1):

    ```mlir
    %h = tfm.sparse_linear %x, %values, %cols, %offsets, %b activation = gelu
        {out_features = 3072 : i64}
        : (tensor<1x128x768xf32>, tensor<14746x16xf32>, tensor<14746xi32>,
           tensor<193xi32>, tensor<3072xf32>) -> tensor<1x128x3072xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input,
                       RankedTensorOf<[Tfm_Float, I8]>:$values,
                       RankedTensorOf<[I32]>:$cols,
                       RankedTensorOf<[I32]>:$offsets,
                       Optional<Tfm_FloatTensor>:$scales,
                       Optional<Tfm_FloatTensor>:$bias,
                       Optional<Tfm_FloatTensor>:$residual,
                       OptionalAttr<Tfm_ActivationAttr>:$activation,
                       Tfm_I64Attr:$out_features);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $values `,` $cols `,` $offsets
    (`scales` `(` $scales^ `)`)? (`,` $bias^)?
    (`residual` `(` $residual^ `)`)? (`activation` `=` $activation^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tfm_NmSparseLinearOp : Tfm_Op<"nm_sparse_linear",
    [Pure, AttrSizedOperandSegments, Tfm_InferTensorTypes<6>]> {
  let summary = "fully connected layer with an N:M sparse weight";
  let description = [{
    `tfm.linear` with its weight `W [N, K]` stored N:M sparse: in every
    group of `m` consecutive input features, each output feature keeps
    `n` weights (the others are zero), as 2:4 and 4:8 pruning leave them.
    The output features come in panels of `w` (the last dimension of
    `values` and `meta`, one vector register); group `g` of feature
    `p * w + j` keeps

    `W[p * w + j, g * m + i_t] = values[p, g * n + t, j]`, `t` in [0, n),

    where `i_t = (meta[p, g, j] >> (t * b)) & (2^b - 1)` is the kept
    weight's place in its group, `b = ceil(log2(m))` bits per place
    (2:4 packs its two places into four bits of an i8), in increasing
    order. The lowering picks each kept weight's input in registers; the
    weight reads are `n / m` of the dense ones plus the places.

    `result[..., n] = activation(bias[n] + sum_k input[..., k] W[n, k])
                      + residual[..., n]`

    Constraints:
    * (nm_sparse_linear_c1) `values` has rank 3 `[P, G * n, w]` (w > 0) and the
      element type of `input`; `meta` is a signless integer tensor
      `[P, G, w]` wide enough for `n` places of `b` bits.
    * (nm_sparse_linear_c2) `0 < n < m <= 16`.
    * (nm_sparse_linear_c3) `input` is a float tensor of rank >= 1 whose
      last dimension is `K = G * m`.
    * (nm_sparse_linear_c4) `bias`, if present, is `[N]` (`N = P * w`) of
      the input's element type; `residual`, if present, has the result's
      type.
    * (nm_sparse_linear_c5) when `meta` is a constant, each group's places
      are below `m` and increase.
    * (nm_sparse_linear_c6) `result` is `input[:-1] + [N]`.

    Example (a 2:4 FFN-up of GPT-2 in one decode step, 16-lane panels):

    ```mlir
    %h = tfm.nm_sparse_linear %x, %values, %meta, %b activation = gelu
        {n = 2 : i64, m = 4 : i64}
        : (tensor<1x1x768xf32>, tensor<192x384x16xf32>, tensor<192x192x16xi8>,
           tensor<3072xf32>) -> tensor<1x1x3072xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input,
                       Tfm_FloatTensor:$values,
                       RankedTensorOf<[I8, I16, I32]>:$meta,
                       Optional<Tfm_FloatTensor>:$bias,
                       Optional<Tfm_FloatTensor>:$residual,
                       OptionalAttr<Tfm_ActivationAttr>:$activation,
                       Tfm_I64Attr:$n,
                       Tfm_I64Attr:$m);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $values `,` $meta (`,` $bias^)?
    (`residual` `(` $residual^ `)`)? (`activation` `=` $activation^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Bits of `meta` per kept weight's place: ceil(log2(m)).
    static int64_t getPlaceBits(int64_t m) {
      return llvm::Log2_64_Ceil(static_cast<uint64_t>(m));
    }
  }];
  let hasVerifier = 1;
}

def Tfm_ConvOp : Tfm_Op<"conv", [Pure, Tfm_InferTensorTypes<6>]> {
  let summary = "N-dimensional grouped convolution (channels first)";
  let description = [{
    Cross-correlates `input` `[N, C, x1, ..., xd]` with `weight`
    `[M, C/groups, k1, ..., kd]`, adding the optional `bias` `[M]`, as ONNX
    `Conv` and `torch.nn.ConvNd` (ViT patch embeddings, Whisper's audio
    stem). For spatial dimension `i` the input is padded with
    `padding[i]` zeros before and `padding[d + i]` after, and

    `out_i = floor((x_i + padding[i] + padding[d+i] - dilations[i]·(k_i - 1) - 1) / strides[i]) + 1`.

    Input channels are split into `groups` groups; output channel `m` reads
    group `m / (M / groups)`. Integer operands (ONNX `ConvInteger`, i32
    after the zero points' subtraction) accumulate exactly in their type.

    Constraints:
    * (conv_c1) `input` and `weight` have the same rank, at least 3.
    * (conv_c2) `strides` and `dilations` have `d` positive entries and
      `padding` has `2d` non-negative entries.
    * (conv_c3) `groups` is positive, divides `M`, and
      `C == weight[1] · groups`.
    * (conv_c4) `input`, `weight` and `bias` share an element type, and
      `bias`, when present, has shape `[M]`.
    * (conv_c5) every output size `out_i` is at least 1.
    * (conv_c6) `result` has shape `[N, M, out_1, ..., out_d]`.

    Example (ViT-B/16 patch embedding):

    ```mlir
    %p = tfm.conv %img, %w, %b strides = [16, 16] padding = [0, 0, 0, 0]
        dilations = [1, 1] groups = 1
        : (tensor<1x3x224x224xf32>, tensor<768x3x16x16xf32>, tensor<768xf32>)
        -> tensor<1x768x14x14xf32>
    ```
  }];
  let arguments = (ins Tfm_NumericTensor:$input, Tfm_NumericTensor:$weight,
                       Optional<Tfm_NumericTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilations, Tfm_I64Attr:$groups);
  let results = (outs Tfm_NumericTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `strides` `=` $strides
    `padding` `=` $padding `dilations` `=` $dilations `groups` `=` $groups
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TFM_CONTRACTION_OPS_TD
