//===- Bufferize.cpp - One-Shot Bufferize for generated code --------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_BUFFERIZEPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;

namespace {

/// True for ops whose only role is to provide a fresh destination tensor.
bool isFreshDestination(Operation *op) {
  if (isa<tensor::EmptyOp>(op))
    return true;
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>() != nullptr;
  return false;
}

/// A use of a destination by a slice of it that is written and inserted
/// back (the parts of a product split over its panels): the parts must
/// share the destination's buffer.
bool isSliceUse(OpOperand &use) {
  return isa<tensor::ExtractSliceOp>(use.getOwner()) ||
         (isa<tensor::InsertSliceOp>(use.getOwner()) &&
          use.getOperandNumber() == 1);
}

/// Gives every user of a shared fresh destination its own copy of it, so
/// that CSE'd `tensor.empty`/`linalg.fill` ops do not make bufferization
/// copy one writer's buffer away from the next. Slices of it keep it.
void duplicateSharedDestinations(ModuleOp module) {
  SmallVector<Operation *> shared;
  module.walk([&](Operation *op) {
    if (isFreshDestination(op) && !op->getResult(0).hasOneUse() &&
        !op->getResult(0).use_empty())
      shared.push_back(op);
  });
  for (Operation *op : shared) {
    SmallVector<OpOperand *> uses;
    for (OpOperand &use : op->getResult(0).getUses())
      if (!isSliceUse(use))
        uses.push_back(&use);
    // The first user (or the slices) keeps the original.
    if (uses.size() < op->getResult(0).getNumUses())
      uses.insert(uses.begin(), nullptr);
    for (OpOperand *use : llvm::drop_begin(uses)) {
      OpBuilder b(use->getOwner());
      IRMapping mapping;
      if (auto fill = dyn_cast<linalg::FillOp>(op)) {
        Operation *empty = fill.getDpsInits()[0].getDefiningOp();
        mapping.map(empty->getResult(0), b.clone(*empty)->getResult(0));
      }
      use->set(b.clone(*op, mapping)->getResult(0));
    }
  }
}

struct BufferizePass : public tfm::impl::BufferizePassBase<BufferizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    duplicateSharedDestinations(module);

    bufferization::OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        bufferization::LayoutMapOption::IdentityLayoutMap);
    options.allowReturnAllocsFromLoops = true;
    options.bufferAlignment = 64;
    options.memCpyFn = [](OpBuilder &b, Location loc, Value from,
                          Value to) -> LogicalResult {
      linalg::CopyOp::create(b, loc, from, to);
      return success();
    };
    // Results computed into a fresh tensor that ends up in an output
    // buffer are computed in that buffer instead.
    IRRewriter rewriter(&getContext());
    if (failed(bufferization::eliminateEmptyTensors(rewriter, module)))
      return signalPassFailure();

    bufferization::BufferizationState state;
    if (failed(
            bufferization::runOneShotModuleBufferize(module, options, state)))
      return signalPassFailure();
  }
};

} // namespace
