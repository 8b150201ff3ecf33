//===- CheckHostCode.cpp - GPU host code touches no device memory ---------===//
//
// A GPU model's buffers live in device memory: the host code between kernel
// launches may compute views of them and pass them on, never read, write or
// allocate them. A mapping that leaves a loop nest on the host would
// otherwise fail only at run time, on a GPU, with an illegal address.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_CHECKGPUHOSTCODEPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// What `op` does to a buffer, if anything ("reads", "writes",
/// "allocates", "frees").
std::optional<StringRef> getBufferEffect(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return std::nullopt;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  for (const MemoryEffects::EffectInstance &effect : instances) {
    Value value = effect.getValue();
    if (!value || !isa<BaseMemRefType>(value.getType()))
      continue;
    if (isa<MemoryEffects::Allocate>(effect.getEffect()))
      return StringRef("allocates");
    if (isa<MemoryEffects::Free>(effect.getEffect()))
      return StringRef("frees");
    if (isa<MemoryEffects::Write>(effect.getEffect()))
      return StringRef("writes");
    if (isa<MemoryEffects::Read>(effect.getEffect()))
      return StringRef("reads");
  }
  return std::nullopt;
}

struct CheckGpuHostCodePass
    : public tfm::impl::CheckGpuHostCodePassBase<CheckGpuHostCodePass> {
  void runOnOperation() override {
    bool failed = false;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      // The first offending op of a function names the problem; the rest
      // are counted (one unmapped loop nest has many loads and stores).
      Operation *first = nullptr;
      StringRef firstEffect;
      int64_t others = 0;
      func.walk<WalkOrder::PreOrder>([&](Operation *op) {
        // Kernel bodies not yet outlined run on the device.
        if (isa<gpu::LaunchOp>(op))
          return WalkResult::skip();
        if (std::optional<StringRef> effect = getBufferEffect(op)) {
          if (first) {
            ++others;
          } else {
            first = op;
            firstEffect = *effect;
          }
        }
        return WalkResult::advance();
      });
      if (!first)
        continue;
      InFlightDiagnostic diag =
          first->emitError()
          << "'" << first->getName() << "' " << firstEffect
          << " a buffer in the host code of a GPU model: "
          << (firstEffect == "allocates" || firstEffect == "frees"
                  ? "the memory plan did not place it (a buffer in a loop, "
                    "or of dynamic size)"
                  : "its loop nest was not mapped to a kernel");
      if (others > 0)
        diag.attachNote() << others << " more such operations in '"
                          << func.getName() << "'";
      failed = true;
    }
    if (failed)
      signalPassFailure();
  }
};

} // namespace
