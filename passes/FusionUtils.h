//===- FusionUtils.h - matching helpers shared by the graph fusions -*- C++
//-*-===//
//
// Internal to the passes library.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_PASSES_FUSIONUTILS_H
#define TFM_PASSES_FUSIONUTILS_H

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::tfm::fusion {

/// The value of a float constant whose elements are all equal (a splat or a
/// one-element tensor), if `value` is one.
std::optional<double> getSplatFloat(Value value);

/// True when `value` is a splat float constant within a relative 1e-4 of
/// `expected` (exporters round constants such as sqrt(2) to f32 or less).
bool isSplatFloat(Value value, double expected);

/// True when every use of `value` is by `user` (and there is at least one).
bool isOnlyUsedBy(Value value, Operation *user);

/// The operand of the two-operand `op` that satisfies `pred`, with the other
/// one in `other`; lhs first. Null when neither does.
Value matchEither(Operation *op, function_ref<bool(Value)> pred, Value &other);

/// The op of type OpTy defining an operand of `op`, lhs first, with the
/// other operand in `other`.
template <typename OpTy> OpTy matchOperand(Operation *op, Value &other) {
  OpTy found;
  matchEither(
      op,
      [&](Value v) {
        found = v.getDefiningOp<OpTy>();
        return static_cast<bool>(found);
      },
      other);
  return found;
}

/// `value` viewed with its last two dimensions swapped, composing with a
/// transpose that produced it (so that transpose(transpose(x)) is x).
Value transposeLastTwo(PatternRewriter &rewriter, Location loc, Value value);

/// Adds the canonicalization patterns of every tfm op.
void populateTfmCanonicalizationPatterns(RewritePatternSet &patterns);

/// A splat constant of `type` holding `value`.
Value createSplat(PatternRewriter &rewriter, Location loc,
                  RankedTensorType type, double value);

/// (past, new) when `value` is concat(past, new) along the sequence axis
/// of an attention operand ([B, H, S, D] axis 2, packed [B, S, H·D] axis
/// 1): how exporters append to a key/value cache.
std::optional<std::pair<Value, Value>> matchCacheAppend(Value value);

/// The shape of `type` without its leading unit dimensions.
ArrayRef<int64_t> dropLeadingOnes(ArrayRef<int64_t> shape);

} // namespace mlir::tfm::fusion

#endif // TFM_PASSES_FUSIONUTILS_H
