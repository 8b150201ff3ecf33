//===- GraphPipeline.cpp - graph-level optimization on tfm ----------------===//

#include "tfm/Passes/Passes.h"
#include "tfm/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::tfm::buildGraphPipeline(OpPassManager &pm,
                                   const GraphPipelineOptions &options) {
  pm.addPass(createRefineShapesPass());
  if (options.optLevel == 0)
    return;
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
}
