//===- Patterns.h - tfm-to-linalg patterns by op family ---------*- C++ -*-===//

#ifndef TFM_CONVERSION_TFMTOLINALG_PATTERNS_H
#define TFM_CONVERSION_TFMTOLINALG_PATTERNS_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::tfm {

/// constant, binary/unary arithmetic, activations, compare, cast, where.
void populateElementwiseToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns);
/// The target's choices for products in weight panels.
struct ContractionLoweringOptions {
  /// bf16 x bf16 products in the 2-way layout of vdpbf16ps.
  bool bf16Dot = false;
  /// K elements per lane of u8 x s8 products: 4 (vpdpbusd) or 2
  /// (vpmaddwd).
  int64_t int8Group = 4;
};

/// matmul, linear, conv.
void populateContractionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const ContractionLoweringOptions &options);
/// sparse_linear (block-sparse weights), nm_sparse_linear (N:M weights).
void populateSparseContractionToLinalgPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns);
/// reduce_*, softmax, log_softmax.
void populateReductionToLinalgPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns);
/// layer_norm, rms_norm.
void populateNormalizationToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns);
/// The target's tiles for attention: queries per block, keys per tile
/// (each the largest power of two up to it dividing the sequence).
struct AttentionLoweringOptions {
  int64_t queryBlock = 64;
  int64_t keyTile = 128;
  /// Whole-tensor ops over every batch and head instead of the tiled loop.
  bool batched = false;
};

/// attention (tiled, online softmax; or batched) and rope.
void populateAttentionToLinalgPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns,
                                       const AttentionLoweringOptions &options);
/// transpose, reshape, expand, concat, split, slice, gather, select,
/// gather_elements, reverse.
void populateDataMovementToLinalgPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);

/// quantize, dequantize.
void populateQuantizationToLinalgPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);

/// True when `op`'s lowering handles its dynamic dimensions: elementwise
/// ops, norms over static trailing axes, softmax and reductions along
/// static axes, linears and products over a static batch,
/// (de)quantization, data movement whose sizes follow its operands', tiled
/// attention (not `batchedAttention`) over run-time query and key counts,
/// and RoPE. The conversion rejects a dynamically shaped op outside this set
/// before it starts.
bool supportsDynamicShapes(Operation *op, bool batchedAttention);

} // namespace mlir::tfm

#endif // TFM_CONVERSION_TFMTOLINALG_PATTERNS_H
