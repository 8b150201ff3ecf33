//===- Passes.h - graph-level passes on tfm ---------------------*- C++ -*-===//

#ifndef TFM_PASSES_PASSES_H
#define TFM_PASSES_PASSES_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::tfm {

#define GEN_PASS_DECL
#include "tfm/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tfm/Passes/Passes.h.inc"

} // namespace mlir::tfm

#endif // TFM_PASSES_PASSES_H
