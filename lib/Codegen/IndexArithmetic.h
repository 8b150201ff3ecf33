//===- IndexArithmetic.h - index computations of generated code -*- C++ -*-===//
//
// Helpers for the index arithmetic that tiling leaves, shared by the
// codegen passes (internal to lib/Codegen).
//
//===----------------------------------------------------------------------===//

#ifndef TFM_LIB_CODEGEN_INDEXARITHMETIC_H
#define TFM_LIB_CODEGEN_INDEXARITHMETIC_H

#include "mlir/IR/Operation.h"

namespace mlir::tfm {

/// Rewrites the `affine.apply` ops under `root` that divide (floordiv,
/// ceildiv, mod) as arith ops, when `root` computes dynamically shaped
/// tensors (statically shaped code keeps its applies). Upstream's subset
/// comparisons (One-Shot Bufferize's analysis, the empty-tensor
/// elimination, hoistLoopInvariantSubsets) compare slices' offsets and
/// sizes with ValueBoundsConstraintSet, for which a division is a local
/// variable of a Presburger system: over the sizes of dynamic tiles
/// (whole tiles up to `s floordiv 6 * 6`, then `s mod 6` rows) every
/// comparison of two slices was a costly solve, and compiling a dynamic
/// model took tens of times as long as a static one. An arith division is
/// a plain value to it (the same value still compares equal), and lowers
/// the same way.
void expandDividingApplies(Operation *root);

} // namespace mlir::tfm

#endif // TFM_LIB_CODEGEN_INDEXARITHMETIC_H
