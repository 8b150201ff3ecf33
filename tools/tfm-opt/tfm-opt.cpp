//===- tfm-opt.cpp - opt-style driver for tfm and upstream MLIR ----------===//
//
// Parses MLIR, runs passes and pipelines, prints the result. Every upstream
// dialect and pass is registered (they live in libMLIR.so) so that any stage
// of a tfmc compilation can be reproduced, along with every tfm pass and
// pipeline.
//
//===----------------------------------------------------------------------===//

#include "tfm/InitTfm.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates the kernels to LLVM IR.
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  mlir::registerAllPasses();
  mlir::tfm::registerAllTfmDialects(registry);
  mlir::tfm::registerAllTfmPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "tfm optimizer: tfm passes and pipelines\n", registry));
}
