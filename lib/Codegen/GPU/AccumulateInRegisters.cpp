//===- AccumulateInRegisters.cpp - reductions carried in loop values ------===//
//
// A reduction lowered to loops reads and writes its output element on every
// step: `acc = load out[i]; out[i] = acc + x[i, k]`. On a GPU that is a
// global-memory round trip per step. When nothing else in the loop touches
// the output buffer, the element is loaded once before the loop, carried as
// an iteration value, and stored once after it.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_ACCUMULATEINREGISTERSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

/// The buffer `memref` views: an allocation, a global or an argument.
static Value getRootBuffer(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

/// The memref that `op` reads or writes, if it is a plain load or store.
static Value getAccessedMemRef(Operation *op) {
  if (auto load = dyn_cast<memref::LoadOp>(op))
    return load.getMemRef();
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return store.getMemRef();
  if (auto load = dyn_cast<vector::LoadOp>(op))
    return load.getBase();
  if (auto store = dyn_cast<vector::StoreOp>(op))
    return store.getBase();
  return Value();
}

/// Whether every memory access in `loop` other than `load` and `store` is
/// a plain load or store of another buffer (nothing else may alias it).
static bool isOnlyAccess(scf::ForOp loop, memref::LoadOp load,
                         memref::StoreOp store) {
  Value root = getRootBuffer(load.getMemRef());
  WalkResult result = loop.getBody()->walk([&](Operation *op) {
    if (op == load || op == store)
      return WalkResult::advance();
    if (Value memref = getAccessedMemRef(op))
      return getRootBuffer(memref) == root ? WalkResult::interrupt()
                                           : WalkResult::advance();
    if (op->getNumRegions() != 0 || isMemoryEffectFree(op))
      return WalkResult::advance();
    return WalkResult::interrupt();
  });
  return !result.wasInterrupted();
}

/// Carries one loop-invariant element that `loop` loads and then stores in
/// its body. Returns the new loop, or null when there is none.
static scf::ForOp accumulateOne(RewriterBase &rewriter, scf::ForOp loop) {
  Block *body = loop.getBody();
  for (auto store : body->getOps<memref::StoreOp>()) {
    auto isInvariant = [&](Value v) { return loop.isDefinedOutsideOfLoop(v); };
    if (!llvm::all_of(store.getIndices(), isInvariant) ||
        !isInvariant(store.getMemRef()))
      continue;
    memref::LoadOp load;
    for (auto candidate : body->getOps<memref::LoadOp>())
      if (candidate.getMemRef() == store.getMemRef() &&
          candidate.getIndices() == store.getIndices() &&
          candidate->isBeforeInBlock(store))
        load = candidate;
    if (!load || !isOnlyAccess(loop, load, store))
      continue;

    // out[i] before the loop, the stored value as the next iteration's.
    rewriter.setInsertionPoint(loop);
    Value init = memref::LoadOp::create(rewriter, load.getLoc(),
                                        load.getMemRef(), load.getIndices());
    Value stored = store.getValueToStore();
    FailureOr<LoopLikeOpInterface> replaced =
        cast<LoopLikeOpInterface>(loop.getOperation())
            .replaceWithAdditionalYields(
                rewriter, init, /*replaceInitOperandUsesInLoop=*/false,
                [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
                  return SmallVector<Value>{stored};
                });
    if (failed(replaced))
      return nullptr;
    auto newLoop = cast<scf::ForOp>(replaced->getOperation());
    rewriter.replaceAllUsesWith(load.getResult(),
                                newLoop.getRegionIterArgs().back());
    rewriter.setInsertionPointAfter(newLoop);
    memref::StoreOp::create(rewriter, store.getLoc(),
                            newLoop.getResults().back(), store.getMemRef(),
                            store.getIndices());
    rewriter.eraseOp(store);
    rewriter.eraseOp(load);
    return newLoop;
  }
  return nullptr;
}

namespace {

struct AccumulateInRegistersPass
    : public tfm::impl::AccumulateInRegistersPassBase<
          AccumulateInRegistersPass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : loops)
      while (scf::ForOp next = accumulateOne(rewriter, loop))
        loop = next;
  }
};

} // namespace
