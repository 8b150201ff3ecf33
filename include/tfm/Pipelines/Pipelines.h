//===- Pipelines.h - tfm pass pipelines -------------------------*- C++ -*-===//
//
// Pipelines are C++ builders with options; tfm-opt registers them under their
// names and tfmc calls the builders directly.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_PIPELINES_PIPELINES_H
#define TFM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::tfm {

/// Options of the graph-level pipeline on tfm.
struct GraphPipelineOptions : public PassPipelineOptions<GraphPipelineOptions> {
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: shape refinement only; 1 or more: also folding, "
                     "canonicalization and common-subexpression elimination"),
      llvm::cl::init(2)};
};

/// Graph-level optimization of a module of tfm functions (the `graph` phase).
void buildGraphPipeline(OpPassManager &pm, const GraphPipelineOptions &options);

/// Registers every tfm pipeline with the pass registry (`tfm-opt`).
void registerPipelines();

} // namespace mlir::tfm

#endif // TFM_PIPELINES_PIPELINES_H
