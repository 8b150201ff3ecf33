//===- ReductionOps.cpp - reductions and softmax --------------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "TypeRules.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;

/// A reduction whose axes all have size 1 and keeps them is the identity.
template <typename OpTy> static OpFoldResult foldTrivialReduction(OpTy op) {
  if (!op.getKeepdims() || op.getInput().getType() != op.getType())
    return {};
  ArrayRef<int64_t> shape = op.getInput().getType().getShape();
  for (int64_t axis : op.getAxes())
    if (shape[axis] != 1)
      return {};
  return op.getInput();
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceMeanOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceProdOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceMaxOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceMinOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}

/// Softmax-like ops and cumsum work along one axis (constraint 1).
template <typename OpTy>
static LogicalResult verifySoftmaxAxis(OpTy op) {
  int64_t rank = op.getInput().getType().getRank();
  if (op.getAxis() < 0 || op.getAxis() >= rank)
    return emitViolation(op, 1) << "axis " << op.getAxis()
                                << " is out of range [0, " << rank << ")";
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult CumsumOp::verify() { return verifySoftmaxAxis(*this); }

/// A running sum over one element is that element (or zero, exclusive).
OpFoldResult CumsumOp::fold(FoldAdaptor) {
  if (!getExclusive() && getType().getDimSize(getAxis()) == 1)
    return getInput();
  return {};
}
