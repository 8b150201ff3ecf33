//===- WeightUtils.h - constant weights of linear layers --------*- C++ -*-===//
//
// Helpers shared by the passes that rewrite the constant weights of linear
// layers (tfm-quantize, tfm-prune). Internal to the passes library.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_PASSES_WEIGHTUTILS_H
#define TFM_PASSES_WEIGHTUTILS_H

#include "mlir/IR/Value.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::tfm::weights {

/// The names a location carries (node names, fused ones included).
void collectNames(Location loc, SmallVectorImpl<StringRef> &names);

/// A float weight: the constant holding it and whether it is stored as
/// [K, N] (the transpose of the [N, K] weight a linear reads).
struct WeightSource {
  Value constant;
  Attribute value;
  bool isTransposed;
};

/// The constant 2-D float weight `weight` reads, through a [1, 0]
/// transpose; none when it is not one.
std::optional<WeightSource> getConstantWeight(Value weight, bool isTransposed);

/// The name of a weight constant (its blob's), or "".
StringRef getWeightName(Attribute value);

/// The [N, K] weight of `source` row by row (transposed when it is stored
/// as [K, N]), N and K in `n` and `k`.
FailureOr<SmallVector<float>> getWeightRows(const WeightSource &source,
                                            int64_t &n, int64_t &k);

/// True when `op` or its weight `weight` is excluded by `patterns`: a
/// pattern equal to the op's `kind` ("linear", "matmul", "gather"), or
/// contained in a node name of its location or in the weight's name.
bool isExcluded(Operation *op, Attribute weight, StringRef kind,
                ArrayRef<std::string> patterns);

/// True when every use of `weight` satisfies `accept`, directly or through
/// a transpose all of whose uses do.
bool allUsesThroughTranspose(Value weight,
                             function_ref<bool(OpOperand &)> accept);

/// Erases the ops of `candidates` (constants, transposes, dequantizes,
/// casts: a weight's forms) that nothing reads any more, and then those
/// of their producers that this leaves unread. Each op is erased once,
/// after every user it had in the set.
void eraseUnusedWeightOps(llvm::SetVector<Operation *> &candidates);

} // namespace mlir::tfm::weights

#endif // TFM_PASSES_WEIGHTUTILS_H
