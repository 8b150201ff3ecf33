//===- CpuCodegen.h - helpers shared by the CPU passes ----------*- C++ -*-===//
//
// Shared by the CPU code generation passes (tfm-cpu-tile-and-vectorize,
// tfm-cpu-factor-block-scales, tfm-cpu-lower-vectors): the FMA latency
// figure they size register accumulators by, and the check of their
// `vector-bits` option.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_CODEGEN_CPU_CPUCODEGEN_H
#define TFM_CODEGEN_CPU_CPUCODEGEN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>

namespace mlir::tfm {

/// Independent FMA chains that keep both of the core's FMA pipes busy: two
/// pipes times a four-cycle latency (Zen 3, and Intel cores since Skylake).
constexpr int64_t kMinFmaChains = 8;

/// Fails, naming `pass` and the value, unless `vectorBits` is a vector
/// register width the CPU passes generate code for (128, 256 or 512).
inline LogicalResult checkVectorBits(func::FuncOp func, StringRef pass,
                                     int64_t vectorBits) {
  if (vectorBits == 128 || vectorBits == 256 || vectorBits == 512)
    return success();
  return func.emitError(pass)
         << ": vector-bits must be 128, 256 or 512, got " << vectorBits;
}

} // namespace mlir::tfm

#endif // TFM_CODEGEN_CPU_CPUCODEGEN_H
