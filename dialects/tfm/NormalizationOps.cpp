//===- NormalizationOps.cpp - layer_norm and rms_norm ---------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "TypeRules.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;

/// Shared rules of the normalization ops: trailing `axes` (c1), affine
/// parameters shaped like the normalized dimensions (c2), non-negative
/// epsilon (c3), a residual of the input's type (c5). The result, and the
/// sum when there is a residual, have the input's type.
static LogicalResult inferNormalizationType(
    StringRef opName, std::optional<Location> loc, Value input, Value residual,
    ArrayRef<int64_t> axes, ArrayRef<std::pair<StringRef, Value>> params,
    const llvm::APFloat &epsilon, SmallVectorImpl<Type> &inferred) {
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  if (!inputType)
    return failure();
  if (residual) {
    auto residualType = dyn_cast<RankedTensorType>(residual.getType());
    if (!residualType)
      return failure();
    if (!areCompatibleTensorTypes(TypeRange{residualType},
                                  TypeRange{inputType}))
      return violation(loc, opName, 5, "residual type ", residualType,
                       " differs from input type ", inputType);
  }
  int64_t rank = inputType.getRank();
  int64_t k = axes.size();
  bool trailing = k > 0 && k <= rank;
  for (int64_t i = 0; trailing && i < k; ++i)
    trailing = axes[i] == rank - k + i;
  if (!trailing)
    return violation(loc, opName, 1, "axes ", formatShape(axes),
                     " must be the trailing dimensions of the rank-", rank,
                     " input in increasing order");
  ArrayRef<int64_t> normalized = inputType.getShape().take_back(k);
  for (auto [name, value] : params) {
    if (!value)
      continue;
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type)
      return failure();
    if (type.getElementType() != inputType.getElementType())
      return violation(
          loc, opName, 2, name, " element type ", type.getElementType(),
          " differs from input element type ", inputType.getElementType());
    bool same = type.getRank() == k;
    for (int64_t i = 0; same && i < k; ++i)
      same = dimsAgree(type.getDimSize(i), normalized[i]);
    if (!same)
      return violation(
          loc, opName, 2, name, " shape ", formatShape(type.getShape()),
          " differs from the normalized shape ", formatShape(normalized));
  }
  if (epsilon.isNegative())
    return violation(loc, opName, 3, "epsilon ", epsilon.convertToDouble(),
                     " is negative");
  inferred.push_back(inputType);
  if (residual)
    inferred.push_back(inputType);
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferNormalizationType(
      getOperationName(), location, adaptor.getInput(), adaptor.getResidual(),
      adaptor.getAxes(),
      {{"scale", adaptor.getScale()}, {"bias", adaptor.getBias()}},
      adaptor.getEpsilon(), inferred);
}

LogicalResult RmsNormOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferNormalizationType(
      getOperationName(), location, adaptor.getInput(), adaptor.getResidual(),
      adaptor.getAxes(), {{"scale", adaptor.getScale()}}, adaptor.getEpsilon(),
      inferred);
}
