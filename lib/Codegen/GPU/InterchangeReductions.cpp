//===- InterchangeReductions.cpp - parallel loops outermost ---------------===//
//
// On the GPU the parallel loops of an op are its grid; a reduction loop
// outside them would be a host loop of kernel launches.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_INTERCHANGEREDUCTIONSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

struct InterchangeReductionsPass
    : public tfm::impl::InterchangeReductionsPassBase<
          InterchangeReductionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk(
        [&](linalg::GenericOp generic) { generics.push_back(generic); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic : generics) {
      SmallVector<utils::IteratorType> iterators =
          generic.getIteratorTypesArray();
      SmallVector<unsigned> order;
      for (auto [i, iterator] : llvm::enumerate(iterators))
        if (iterator == utils::IteratorType::parallel)
          order.push_back(i);
      for (auto [i, iterator] : llvm::enumerate(iterators))
        if (iterator != utils::IteratorType::parallel)
          order.push_back(i);
      if (llvm::is_sorted(order))
        continue;
      rewriter.setInsertionPoint(generic);
      if (failed(linalg::interchangeGenericOp(rewriter, generic, order))) {
        generic.emitError("cannot move this op's parallel loops outermost");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
