//===- MergeModules.cpp - every kernel in one gpu.module ------------------===//
//
// One image per model instead of one per kernel: a single ptxas run at
// compile time and a single module load at run time.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_MERGEGPUMODULESPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

struct MergeGpuModulesPass
    : public tfm::impl::MergeGpuModulesPassBase<MergeGpuModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Modules meant for other targets (other attributes) stay apart.
    auto sameTarget = [](gpu::GPUModuleOp a, gpu::GPUModuleOp b) {
      return a.getTargetsAttr() == b.getTargetsAttr() &&
             a.getOffloadingHandlerAttr() == b.getOffloadingHandlerAttr() &&
             a->getDiscardableAttrDictionary() ==
                 b->getDiscardableAttrDictionary();
    };
    SmallVector<gpu::GPUModuleOp> kernelModules;
    for (auto kernelModule : module.getOps<gpu::GPUModuleOp>())
      if (kernelModules.empty() ||
          sameTarget(kernelModule, kernelModules.front()))
        kernelModules.push_back(kernelModule);
    if (kernelModules.size() < 2)
      return;
    gpu::GPUModuleOp target = kernelModules.front();
    SymbolTable targetSymbols(target);
    // (module, kernel) -> the kernel's name in `target`.
    DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    for (gpu::GPUModuleOp source : ArrayRef(kernelModules).drop_front()) {
      StringAttr sourceName = source.getSymNameAttr();
      for (Operation &op : llvm::make_early_inc_range(source.getOps())) {
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (!symbol)
          continue;
        StringAttr oldName = symbol.getNameAttr();
        op.moveBefore(target.getBody(), target.getBody()->end());
        // Renames the op when its name is taken.
        StringAttr newName = targetSymbols.insert(&op);
        renamed[{sourceName, oldName}] = newName;
      }
    }
    StringAttr targetName = target.getSymNameAttr();
    WalkResult result = module.walk([&](gpu::LaunchFuncOp launch) {
      StringAttr moduleName = launch.getKernelModuleName();
      if (moduleName == targetName)
        return WalkResult::advance();
      auto it = renamed.find({moduleName, launch.getKernelName()});
      if (it == renamed.end()) {
        launch.emitError() << "launches kernel @" << moduleName.getValue()
                           << "::@" << launch.getKernelName().getValue()
                           << ", which is in no gpu.module";
        return WalkResult::interrupt();
      }
      launch.setKernelAttr(
          SymbolRefAttr::get(targetName, {FlatSymbolRefAttr::get(it->second)}));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    for (gpu::GPUModuleOp source : ArrayRef(kernelModules).drop_front())
      source.erase();
  }
};

} // namespace
