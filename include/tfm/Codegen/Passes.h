//===- Passes.h - code generation passes ------------------------*- C++ -*-===//

#ifndef TFM_CODEGEN_PASSES_H
#define TFM_CODEGEN_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tfm {

#define GEN_PASS_DECL
#include "tfm/Codegen/Passes.h.inc"

/// Attribute names shared by the codegen passes and the driver.
constexpr llvm::StringLiteral kEntryAttrName = "tfm.entry";
constexpr llvm::StringLiteral kArenaAttrName = "tfm.arena";
constexpr llvm::StringLiteral kArenaSizeAttrName = "tfm.arena_size";
constexpr llvm::StringLiteral kWeightsAttrName = "tfm.weights";
constexpr llvm::StringLiteral kNameAttrName = "tfm.name";

#define GEN_PASS_REGISTRATION
#include "tfm/Codegen/Passes.h.inc"

} // namespace mlir::tfm

#endif // TFM_CODEGEN_PASSES_H
