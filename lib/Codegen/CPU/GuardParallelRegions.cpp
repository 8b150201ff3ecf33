//===- GuardParallelRegions.cpp - skip the team for one-iteration loops ---===//
//
// A parallel loop over a run-time number of chunks (the rows of a prompt,
// split only when there are enough of them) may have a single iteration:
// its omp.parallel is then given the `if` clause `trip count > 1`, so that
// the OpenMP runtime runs the region on the calling thread (a serialized
// parallel region) rather than waking the team to share one iteration.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_GUARDPARALLELREGIONSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;

namespace {

/// The worksharing loop nest that is the whole body of `parallel`, if any.
omp::LoopNestOp getSoleLoopNest(omp::ParallelOp parallel) {
  Block &body = parallel.getRegion().front();
  omp::WsloopOp wsloop;
  for (Operation &op : body) {
    if (isa<omp::TerminatorOp>(op))
      continue;
    auto loop = dyn_cast<omp::WsloopOp>(op);
    if (!loop || wsloop)
      return nullptr;
    wsloop = loop;
  }
  if (!wsloop)
    return nullptr;
  return dyn_cast<omp::LoopNestOp>(wsloop.getWrappedLoop());
}

struct GuardParallelRegionsPass
    : public tfm::impl::GuardParallelRegionsPassBase<GuardParallelRegionsPass> {
  void runOnOperation() override {
    getOperation().walk([](omp::ParallelOp parallel) {
      if (parallel.getIfExpr())
        return;
      omp::LoopNestOp nest = getSoleLoopNest(parallel);
      if (!nest)
        return;
      // The trip count of every loop of the nest, multiplied: constant
      // factors fold, and a nest that is constant and at least 2 is left
      // alone.
      OpBuilder b(parallel);
      Location loc = parallel.getLoc();
      Value trips;
      int64_t constantTrips = 1;
      bool allConstant = true;
      for (auto [lb, ub, step] :
           llvm::zip(nest.getLoopLowerBounds(), nest.getLoopUpperBounds(),
                     nest.getLoopSteps())) {
        std::optional<int64_t> l = getConstantIntValue(lb),
                               u = getConstantIntValue(ub),
                               s = getConstantIntValue(step);
        if (l && u && s && *s > 0) {
          constantTrips *= *u > *l ? llvm::divideCeil(*u - *l, *s) : 0;
          continue;
        }
        allConstant = false;
        // (The bounds are defined before the parallel region: its body is
        // the loop alone.)
        Value count = arith::CeilDivSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, ub, lb), step);
        trips = trips ? arith::MulIOp::create(b, loc, trips, count).getResult()
                      : count;
      }
      if (allConstant)
        return;
      if (constantTrips != 1)
        trips = arith::MulIOp::create(
            b, loc, trips,
            arith::ConstantOp::create(
                b, loc, b.getIntegerAttr(trips.getType(), constantTrips)));
      Value many = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sgt, trips,
          arith::ConstantOp::create(b, loc,
                                    b.getIntegerAttr(trips.getType(), 1)));
      parallel.getIfExprMutable().assign(many);
    });
  }
};

} // namespace
