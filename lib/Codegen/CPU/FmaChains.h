//===- FmaChains.h - FMA latency figures of the CPU passes ------*- C++ -*-===//
//
// Shared by the CPU code generation passes that size register accumulators
// (tfm-cpu-lower-vectors, tfm-cpu-factor-block-scales).
//
//===----------------------------------------------------------------------===//

#ifndef TFM_CODEGEN_CPU_FMACHAINS_H
#define TFM_CODEGEN_CPU_FMACHAINS_H

#include <cstdint>

namespace mlir::tfm {

/// Independent FMA chains that keep both of the core's FMA pipes busy: two
/// pipes times a four-cycle latency (Zen 3, and Intel cores since Skylake).
constexpr int64_t kMinFmaChains = 8;

} // namespace mlir::tfm

#endif // TFM_CODEGEN_CPU_FMACHAINS_H
