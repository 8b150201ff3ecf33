//===- GraphPipeline.cpp - graph-level optimization on tfm ----------------===//

#include "tfm/Passes/Passes.h"
#include "tfm/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// Quantization, on the final graph: after the fusions and merges (which
/// see float weights), before the layout decisions.
static void addQuantization(OpPassManager &funcPm,
                            const mlir::tfm::GraphPipelineOptions &options) {
  if (options.quantize == mlir::tfm::QuantizationMode::None)
    return;
  mlir::tfm::QuantizePassOptions quantize;
  quantize.mode = options.quantize;
  quantize.exclude.assign(options.quantizeExclude.begin(),
                          options.quantizeExclude.end());
  quantize.blockSize = options.quantizeBlockSize;
  quantize.report = options.quantizeReport;
  funcPm.addPass(mlir::tfm::createQuantizePass(quantize));
}

/// Pruning, before quantization (zeros stay exact in every quantized form)
/// and after the fusions (FFN channels are found in fused linears).
static void addPruning(OpPassManager &funcPm,
                       const mlir::tfm::GraphPipelineOptions &options) {
  if (options.prune == mlir::tfm::PruningMethod::None)
    return;
  funcPm.addPass(mlir::tfm::createPrunePass(getPruneOptions(options)));
}

void mlir::tfm::buildGraphPipeline(OpPassManager &pm,
                                   const GraphPipelineOptions &options) {
  pm.addPass(createRefineShapesPass());
  // Zero-element tensors become constants at every level: code generation
  // never sees an empty iteration space.
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  // The cache's type first: present-new-rows then returns the rounded rows.
  if (options.kvCache != KvCacheType::Model)
    funcPm.addPass(createNarrowKvCachePass({options.kvCache}));
  if (options.presentNewRows)
    funcPm.addPass(createPresentNewRowsPass());
  funcPm.addPass(createFoldEmptyTensorsPass());
  if (options.optLevel == 0) {
    addPruning(funcPm, options);
    addQuantization(funcPm, options);
    return;
  }
  // -O1: cleanups.
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
  funcPm.addPass(createEliminateDeadNodesPass());
  funcPm.addPass(createFoldConstantsPass());
  if (options.optLevel == 1) {
    addPruning(funcPm, options);
    addQuantization(funcPm, options);
    return;
  }
  // -O2 and up: every fusion, to a fixed point, then the cleanups again
  // (merged weights fold into one constant, plumbing left unused goes).
  funcPm.addPass(createFusePass());
  funcPm.addPass(createEliminateDeadNodesPass());
  funcPm.addPass(createFoldConstantsPass());
  addPruning(funcPm, options);
  addQuantization(funcPm, options);
  if (options.optLevel == 2)
    return;
  // -O3: layout decisions, on the final graph (the fusions leave linears
  // with a packed weight alone): mostly-zero weights block-sparse (or N:M
  // in products of a few rows), the others in panels as wide as the module
  // target's register tiles.
  if (options.sparsifyWeights)
    funcPm.addPass(createSparsifyWeightsPass());
  funcPm.addPass(createPackWeightsPass());
}
