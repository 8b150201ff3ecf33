//===- SerialKernels.cpp - one-point kernels for serial host code ---------===//
//
// On the GPU every buffer is device memory: host code may only launch
// kernels on it. Loops over buffers that no scf.parallel encloses (an op
// whose parallel dimensions were all of size 1, folded away) are given a
// one-point scf.parallel, so that the GPU mapping makes them a kernel.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_SERIALKERNELSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// Whether `op` is, or holds, an op of one of the types `Ops`.
template <typename... Ops> bool containsAny(Operation *op) {
  return op
      ->walk([](Operation *inner) {
        return isa<Ops...>(inner) ? WalkResult::interrupt()
                                  : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether `op` holds a parallel loop (or is one): a host loop around
/// kernels (attention's loop over heads), which stays on the host.
bool launchesKernels(Operation *op) {
  return containsAny<scf::ParallelOp, gpu::LaunchOp, gpu::LaunchFuncOp>(op);
}

/// Whether `op` (a top-level op of a host function, holding no parallel
/// loop) reads or writes a buffer element itself or in its regions. (The
/// accesses a kernel body can hold, by name: other buffer effects, such as
/// an allocation, keep the op on the host for tfm-gpu-check-host-code.)
bool touchesBuffers(Operation *op) {
  return containsAny<memref::LoadOp, memref::StoreOp, vector::TransferReadOp,
                     vector::TransferWriteOp, vector::LoadOp, vector::StoreOp>(
      op);
}

/// Whether `op` may sit inside a run: a buffer access, or a pure op.
bool joinsRun(Operation *op) {
  if (op->hasTrait<OpTrait::IsTerminator>() || launchesKernels(op))
    return false;
  return touchesBuffers(op) || isPure(op);
}

struct SerialKernelsPass
    : public tfm::impl::SerialKernelsPassBase<SerialKernelsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &body = func.getBody().front();
    // Maximal runs of ops that may join, trimmed to start and end with a
    // buffer access.
    SmallVector<SmallVector<Operation *>> runs;
    SmallVector<Operation *> run;
    auto closeRun = [&] {
      while (!run.empty() && !touchesBuffers(run.back()))
        run.pop_back();
      if (!run.empty())
        runs.push_back(run);
      run.clear();
    };
    for (Operation &op : body) {
      if (!joinsRun(&op)) {
        closeRun();
        continue;
      }
      if (run.empty() && !touchesBuffers(&op))
        continue;
      run.push_back(&op);
    }
    closeRun();

    for (ArrayRef<Operation *> ops : runs) {
      llvm::SmallPtrSet<Operation *, 16> members(ops.begin(), ops.end());
      auto usedAfter = [&](Operation *op) {
        for (Operation *user : op->getUsers()) {
          Operation *top = body.findAncestorOpInBlock(*user);
          if (!top || !members.contains(top))
            return true;
        }
        return false;
      };
      auto definedInside = [&](Value v) {
        Operation *def = v.getDefiningOp();
        return def && members.contains(def);
      };
      // Pure ops that later ops use, with operands from before the run,
      // move before it; any other result used after the run keeps the
      // run on the host.
      bool escapes = false;
      SmallVector<Operation *> kept;
      for (Operation *op : ops) {
        if (!usedAfter(op)) {
          kept.push_back(op);
          continue;
        }
        if (isPure(op) && op->getNumRegions() == 0 &&
            llvm::none_of(op->getOperands(), definedInside)) {
          op->moveBefore(ops.front());
          members.erase(op);
          continue;
        }
        escapes = true;
        break;
      }
      if (escapes || kept.empty())
        continue;
      OpBuilder b(kept.front());
      Location loc = kept.front()->getLoc();
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      auto parallel = scf::ParallelOp::create(b, loc, zero, one, one);
      Operation *terminator = parallel.getBody()->getTerminator();
      for (Operation *op : kept)
        op->moveBefore(terminator);
    }
  }
};

} // namespace
