//===- Bufferize.cpp - One-Shot Bufferize for generated code --------------===//

#include "tfm/Codegen/Passes.h"

#include "IndexArithmetic.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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

/// Stores a reshaped result into its output as the result itself into the
/// reshaped output (a view of it): `materialize(collapse(x), out)` becomes
/// `materialize(x, expand(out))`, so that the op computing `x` (an epilogue
/// computed in a product's [M, P, w] panel shape) writes the output buffer
/// directly instead of a buffer copied into it.
void sinkReshapesIntoOutputs(ModuleOp module) {
  module.walk([](bufferization::MaterializeInDestinationOp op) {
    auto output = dyn_cast<TypedValue<MemRefType>>(op.getDest());
    if (!output || !output.getType().getLayout().isIdentity())
      return;
    // The reshaped output must dominate the computation that will write
    // it (empty-tensor elimination hands it to the op computing `x`).
    OpBuilder b(op);
    if (auto arg = dyn_cast<BlockArgument>(output))
      b.setInsertionPointToStart(arg.getOwner());
    else
      b.setInsertionPointAfterValue(output);
    Value source = op.getSource(), dest = output;
    while (true) {
      if (auto collapse = source.getDefiningOp<tensor::CollapseShapeOp>()) {
        dest = memref::ExpandShapeOp::create(
            b, op.getLoc(), collapse.getSrcType().getShape(), dest,
            collapse.getReassociationIndices());
        source = collapse.getSrc();
        continue;
      }
      if (auto expand = source.getDefiningOp<tensor::ExpandShapeOp>()) {
        dest = memref::CollapseShapeOp::create(
            b, op.getLoc(), dest, expand.getReassociationIndices());
        source = expand.getSrc();
        continue;
      }
      break;
    }
    if (source == op.getSource())
      return;
    op.getSourceMutable().set(source);
    op.getDestMutable().set(dest);
  });
}

struct BufferizePass : public tfm::impl::BufferizePassBase<BufferizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    duplicateSharedDestinations(module);
    tfm::expandDividingApplies(module);

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
    sinkReshapesIntoOutputs(module);
    {
      // reshape(tensor.empty) is a tensor.empty: one the elimination below
      // can replace with an output.
      RewritePatternSet patterns(&getContext());
      tensor::populateFoldTensorEmptyPatterns(patterns,
                                              /*foldSingleUseOnly=*/true);
      if (failed(applyPatternsGreedily(module, std::move(patterns))))
        return signalPassFailure();
    }
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
