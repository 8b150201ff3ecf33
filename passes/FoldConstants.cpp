//===- FoldConstants.cpp - evaluate ops over constants at compile time ---===//

#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FOLDCONSTANTSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// The constant's elements as a DenseElementsAttr the folders can read
/// (weights live in resource blobs), or null.
DenseElementsAttr getFoldableValue(Value value, int64_t maxElements) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return nullptr;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense;
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource || resource.getType().getNumElements() > maxElements)
    return nullptr;
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(resource, storage);
  if (failed(bytes))
    return nullptr;
  return DenseElementsAttr::getFromRawBuffer(resource.getType(), *bytes);
}

/// True when `op` transposes a [K, N] matrix into the [N, K] weight of
/// linears only: the backend reads the [K, N] matrix in place, so folding
/// would only make it transpose the weight back.
bool isWeightLayoutView(Operation *op) {
  auto transpose = dyn_cast<TransposeOp>(op);
  if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{1, 0})
    return false;
  return llvm::all_of(transpose->getUses(), [](OpOperand &use) {
    auto linear = dyn_cast<LinearOp>(use.getOwner());
    return linear && use.get() == linear.getWeight() &&
           use.getOperandNumber() == 1;
  });
}

struct FoldConstantsPass : tfm::impl::FoldConstantsPassBase<FoldConstantsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FoldingLimitScope limit(maxElements);
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<TfmDialect>(op->getDialect()) && !isa<ConstantOp>(op))
        ops.push_back(op);
    });
    // In program order, so that folded results feed the ops after them.
    for (Operation *op : ops) {
      if (op->getNumOperands() == 0 || isWeightLayoutView(op))
        continue;
      SmallVector<Attribute> operands;
      for (Value operand : op->getOperands())
        operands.push_back(getFoldableValue(operand, maxElements));
      if (llvm::any_of(operands, [](Attribute a) { return !a; }))
        continue;
      SmallVector<OpFoldResult> results;
      if (failed(op->fold(operands, results)) ||
          results.size() != op->getNumResults())
        continue;
      rewriter.setInsertionPoint(op);
      SmallVector<Value> values;
      for (auto [result, folded] : llvm::zip(op->getResults(), results)) {
        if (auto value = dyn_cast<Value>(folded)) {
          values.push_back(value);
          continue;
        }
        auto elements = dyn_cast<ElementsAttr>(cast<Attribute>(folded));
        if (!elements || elements.getType() != result.getType())
          break;
        values.push_back(ConstantOp::create(rewriter, op->getLoc(), elements));
      }
      if (values.size() != op->getNumResults())
        continue;
      rewriter.replaceOp(op, values);
    }
    // The operands of folded ops, weights among them, may now be unused.
    SmallVector<Operation *> all;
    func.walk([&](Operation *op) { all.push_back(op); });
    for (Operation *op : llvm::reverse(all))
      if (isa<ConstantOp>(op) && op->use_empty())
        rewriter.eraseOp(op);
  }
};

} // namespace
