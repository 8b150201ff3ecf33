//===- IndexArithmetic.cpp - index computations of generated code ---------===//

#include "IndexArithmetic.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

void mlir::tfm::expandDividingApplies(Operation *root) {
  bool dynamic = false;
  root->walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (auto tensor = dyn_cast<RankedTensorType>(type);
          tensor && !tensor.hasStaticShape())
        dynamic = true;
    return dynamic ? WalkResult::interrupt() : WalkResult::advance();
  });
  if (!dynamic)
    return;
  auto divides = [](AffineMap map) {
    bool found = false;
    for (AffineExpr result : map.getResults())
      result.walk([&](AffineExpr expr) {
        found |= expr.getKind() == AffineExprKind::FloorDiv ||
                 expr.getKind() == AffineExprKind::CeilDiv ||
                 expr.getKind() == AffineExprKind::Mod;
      });
    return found;
  };
  SmallVector<affine::AffineApplyOp> applies;
  root->walk([&](affine::AffineApplyOp op) {
    if (divides(op.getAffineMap()))
      applies.push_back(op);
  });
  for (affine::AffineApplyOp op : applies) {
    OpBuilder b(op);
    std::optional<SmallVector<Value, 8>> values = affine::expandAffineMap(
        b, op.getLoc(), op.getAffineMap(), op.getOperands());
    if (!values)
      continue;
    op.getResult().replaceAllUsesWith(values->front());
    op.erase();
  }
}
