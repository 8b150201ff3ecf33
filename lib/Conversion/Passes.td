//===- Passes.td - conversions out of the tfm dialect -------*- tablegen -*-===//

#ifndef TFM_CONVERSION_PASSES_TD
#define TFM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTfmToLinalgPass : Pass<"convert-tfm-to-linalg", "ModuleOp"> {
  let summary = "Lowers tfm ops to linalg, tensor, arith, math and scf on tensors";
  let description = [{
    Rewrites every tfm op into destination-style linalg ops on tensors, the
    form that tiling, fusion, vectorization and bufferization work on:

    * elementwise ops, casts and activations: one all-parallel
      `linalg.generic` each, operands broadcast through indexing maps;
    * `linear` with a weight (and input) read through a widening cast of
      bf16 or f16 (tfm-quantize's mixed precision): the narrow weight is
      contracted directly, accumulating in f32; with `bf16-dot`, bf16
      panels and a bf16 input take the 2-way layout of `vdpbf16ps`;
    * `matmul`: `linalg.matmul` (batch folded into rows for 2-D weights),
      `linalg.batch_matmul`, or a contraction generic for broadcast batch
      dimensions; `linear` transposes a constant weight to `[K, N]` at
      compile time; `conv`: a grouped contraction generic on the padded
      input;
    * reductions, `softmax` and the norms: numerically stable multi-pass
      generics accumulating f16/bf16 in f32;
    * `attention`: a tiled kernel with online softmax (`scf.forall` over
      batch, heads and query blocks, `scf.for` over key tiles) that never
      materializes the full score matrix, or with `attention-batched` the
      whole-tensor form (scores of every head, their softmax, the weighted
      values); `rope`: a generic over the rotated pairs;
    * shape ops: `tensor` views (`collapse_shape`, `expand_shape`,
      `extract_slice`) where the layout allows, copies otherwise; gathers
      read through `tensor.extract` with wrapped and clamped indices.

    Unsigned integer types become signless; the arithmetic chosen keeps
    their unsigned semantics. Function signatures are converted alike.
    Code generation needs static shapes: an op with a dynamic dimension is
    reported and the pass fails.
  }];
  let options = [
    Option<"bf16Dot", "bf16-dot", "bool", /*default=*/"false",
           "The target has a bf16 pair dot product (vdpbf16ps): bf16 x bf16 "
           "products of panel weights take its 2-way layout, [P, K/2, w, 2]; "
           "otherwise they read f32 rows and widen the bf16 weight">,
    Option<"int8Group", "int8-group", "int64_t", /*default=*/"4",
           "K elements per 32-bit lane of u8 x s8 products of panel weights: "
           "4 for vpdpbusd (VNNI), 2 for vpmaddwd (AVX2, AVX-512 without "
           "VNNI); the weight is laid out [P, K/g, w, g]">,
    Option<"attentionQueryBlock", "attention-query-block", "int64_t",
           /*default=*/"64",
           "Queries per attention block (the largest power of two up to it "
           "that divides the sequence): the target's tiling choice">,
    Option<"attentionKeyTile", "attention-key-tile", "int64_t",
           /*default=*/"128",
           "Keys per tile of attention's online softmax (as above)">,
    Option<"attentionBatched", "attention-batched", "bool",
           /*default=*/"false",
           "Lower attention as whole-tensor ops over every batch and head "
           "(scores, softmax, weighted values: a GPU kernel each) instead of "
           "the tiled loop with an online softmax">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // TFM_CONVERSION_PASSES_TD
