//===- UnrollHostLoops.cpp - straight-line kernel launches ----------------===//
//
// Host loops of a GPU model only sequence kernel launches; unrolled, the
// sequence is explicit, which the async region and the launch lowering
// both prefer.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_UNROLLGPUHOSTLOOPSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

struct UnrollGpuHostLoopsPass
    : public tfm::impl::UnrollGpuHostLoopsPassBase<UnrollGpuHostLoopsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      // Innermost loops first: post-order.
      SmallVector<scf::ForOp> loops;
      func.walk([&](scf::ForOp loop) {
        bool launches = false;
        loop.walk([&](gpu::LaunchFuncOp) { launches = true; });
        if (launches)
          loops.push_back(loop);
      });
      for (scf::ForOp loop : loops) {
        if (!loop.getStaticTripCount())
          continue;
        if (failed(loopUnrollFull(loop))) {
          loop.emitError("cannot unroll this host loop of kernel launches");
          return signalPassFailure();
        }
      }
    }
  }
};

} // namespace
