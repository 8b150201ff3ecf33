//===- Passes.h - graph-level passes on tfm ---------------------*- C++ -*-===//

#ifndef TFM_PASSES_PASSES_H
#define TFM_PASSES_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::tfm {

/// The schemes of `tfm-quantize`.
enum class QuantizationMode {
  None,        // weights stay in float
  Int8Weights, // per-output-channel symmetric int8 weights
  W8A8Dynamic, // int8 weights and per-token uint8 activations at run time
  Int4Weights, // block-wise asymmetric uint4 weights, float activations
  W8A8Static,  // int8 weights and uint8 activations with calibrated ranges
  Bf16,        // bf16 weights and linear inputs, f32 accumulation
  Fp16,        // f16 weights and linear inputs, f32 accumulation
};

/// True for the mixed-precision modes (bf16, fp16): narrow floats, not
/// integer codes.
inline bool isMixedPrecision(QuantizationMode mode) {
  return mode == QuantizationMode::Bf16 || mode == QuantizationMode::Fp16;
}

/// The attribute a calibration sets on a linear: the range [lo, hi] its
/// float input took over the calibration data (array<f32: lo, hi>).
inline constexpr llvm::StringLiteral kInputRangeAttrName = "tfm.input_range";

/// The modes as the values of an enum command-line or pass option.
#define TFM_QUANTIZATION_MODE_VALUES                                           \
  llvm::cl::values(                                                            \
      clEnumValN(::mlir::tfm::QuantizationMode::None, "none",                  \
                 "weights stay in float"),                                     \
      clEnumValN(::mlir::tfm::QuantizationMode::Int8Weights, "int8-weights",   \
                 "per-output-channel symmetric int8 weights, float "           \
                 "activations"),                                               \
      clEnumValN(::mlir::tfm::QuantizationMode::W8A8Dynamic, "w8a8-dynamic",   \
                 "int8 weights as int8-weights, activations quantized per "    \
                 "token at run time; integer products"),                       \
      clEnumValN(::mlir::tfm::QuantizationMode::Int4Weights, "int4-weights",   \
                 "block-wise uint4 weights with scales and zero points, "      \
                 "float activations"),                                         \
      clEnumValN(::mlir::tfm::QuantizationMode::W8A8Static, "w8a8-static",     \
                 "int8 weights as int8-weights, uint8 activations with "       \
                 "ranges calibrated ahead of time; integer products"),         \
      clEnumValN(::mlir::tfm::QuantizationMode::Bf16, "bf16",                  \
                 "bf16 weights and linear inputs, products accumulated in "    \
                 "f32; norms, softmax and the residual stream stay f32"),      \
      clEnumValN(::mlir::tfm::QuantizationMode::Fp16, "fp16",                  \
                 "f16 weights and linear inputs, products accumulated in "     \
                 "f32; norms, softmax and the residual stream stay f32"))

/// The pruning methods of tfm-prune.
enum class PruningMethod {
  None,        // weights stay as they are
  Magnitude,   // unstructured: the smallest |w| of a layer (or of all)
  Block,       // blocks of block-rows x block-cols with the smallest norms
  NM,          // N:M: n nonzeros in every m consecutive weights along K
  FfnChannels, // structured: whole FFN channels removed (a smaller FFN)
  Heads,       // structured: whole attention heads removed
};

#define TFM_PRUNING_METHOD_VALUES                                              \
  llvm::cl::values(                                                            \
      clEnumValN(::mlir::tfm::PruningMethod::None, "none",                     \
                 "weights stay as they are"),                                  \
      clEnumValN(::mlir::tfm::PruningMethod::Magnitude, "magnitude",           \
                 "unstructured: zero the weights of smallest magnitude"),      \
      clEnumValN(::mlir::tfm::PruningMethod::Block, "block",                   \
                 "zero the blocks of smallest L2 norm"),                       \
      clEnumValN(::mlir::tfm::PruningMethod::NM, "n-m",                        \
                 "keep the n largest of every m consecutive weights along "    \
                 "K (2:4, 4:8)"),                                              \
      clEnumValN(::mlir::tfm::PruningMethod::FfnChannels, "ffn-channels",      \
                 "structured: remove the FFN channels of smallest weight "     \
                 "norms, shrinking both linears"),                             \
      clEnumValN(::mlir::tfm::PruningMethod::Heads, "heads",                   \
                 "structured: remove the attention heads of smallest value "   \
                 "and output weight norms"))

/// The element types tfm-narrow-kv-cache stores a key/value cache in.
enum class KvCacheType {
  Model, // as the model declares it
  F16,
  Bf16,
};

#define TFM_KV_CACHE_TYPE_VALUES                                               \
  llvm::cl::values(                                                            \
      clEnumValN(::mlir::tfm::KvCacheType::Model, "model",                     \
                 "as the model declares it"),                                  \
      clEnumValN(::mlir::tfm::KvCacheType::F16, "f16",                         \
                 "f16 (10-bit mantissa): half the bytes of an f32 cache"),     \
      clEnumValN(::mlir::tfm::KvCacheType::Bf16, "bf16",                       \
                 "bf16 (8-bit exponent, 7-bit mantissa): half the bytes"))

#define GEN_PASS_DECL
#include "tfm/Passes/Passes.h.inc"

/// The patterns of each fusion pass, for drivers that combine them.
void populateFuseNormsPatterns(RewritePatternSet &patterns);
void populateFuseSoftmaxPatterns(RewritePatternSet &patterns);
void populateFuseSkipNormsPatterns(RewritePatternSet &patterns);
void populateFuseActivationsPatterns(RewritePatternSet &patterns);
void populateFuseLinearPatterns(RewritePatternSet &patterns);
void populateFuseQuantizedPatterns(RewritePatternSet &patterns);
void populateMergeLinearsPatterns(RewritePatternSet &patterns);
void populateFuseAttentionPatterns(RewritePatternSet &patterns);
void populateFuseRopePatterns(RewritePatternSet &patterns);
void populateFuseKvCachePatterns(RewritePatternSet &patterns);
/// All of the above.
void populateAllFusionPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "tfm/Passes/Passes.h.inc"

} // namespace mlir::tfm

#endif // TFM_PASSES_PASSES_H
