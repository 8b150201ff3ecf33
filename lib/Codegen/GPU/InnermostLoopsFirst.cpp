//===- InnermostLoopsFirst.cpp - coalescing order for the GPU mapping -----===//
//
// Consecutive threads of a warp should touch consecutive addresses: the
// innermost dimension of a loop nest over row-major buffers goes first, to
// be tiled widest and mapped to threadIdx.x.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/IR/IRMapping.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_INNERMOSTLOOPSFIRSTPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

struct InnermostLoopsFirstPass
    : public tfm::impl::InnermostLoopsFirstPassBase<InnermostLoopsFirstPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          loop.getNumReductions() == 0 && loop.getNumLoops() > 1)
        loops.push_back(loop);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp loop : loops) {
      auto reversed = [](ValueRange values) {
        return llvm::to_vector(llvm::reverse(values));
      };
      rewriter.setInsertionPoint(loop);
      auto newLoop = scf::ParallelOp::create(
          rewriter, loop.getLoc(), reversed(loop.getLowerBound()),
          reversed(loop.getUpperBound()), reversed(loop.getStep()));
      // The old body, with each induction variable replaced by the
      // reversed loop's corresponding one.
      Block *oldBody = loop.getBody();
      Block *newBody = newLoop.getBody();
      rewriter.eraseOp(newBody->getTerminator());
      SmallVector<Value> ivs = reversed(ValueRange(newLoop.getInductionVars()));
      rewriter.mergeBlocks(oldBody, newBody, ivs);
      newLoop->setDiscardableAttrs(loop->getDiscardableAttrDictionary());
      rewriter.eraseOp(loop);
    }
  }
};

} // namespace
