//===- InitTfm.h - registration of tfm dialects and passes ------*- C++ -*-===//

#ifndef TFM_INITTFM_H
#define TFM_INITTFM_H

#include "tfm/Codegen/Passes.h"
#include "tfm/Conversion/Passes.h"
#include "tfm/Dialect/Tfm/TfmDialect.h"
#include "tfm/Passes/Passes.h"
#include "tfm/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::tfm {

/// Adds the dialects tfm programs are written in to `registry`.
inline void registerAllTfmDialects(DialectRegistry &registry) {
  registry.insert<TfmDialect, func::FuncDialect>();
}

/// Registers every tfm pass and pipeline for textual pass pipelines.
inline void registerAllTfmPasses() {
  registerTfmPasses();
  registerTfmConversionPasses();
  registerTfmCodegenPasses();
  registerPipelines();
}

} // namespace mlir::tfm

#endif // TFM_INITTFM_H
