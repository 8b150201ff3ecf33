//===- Folding.h - limits of tfm's constant folders -------------*- C++ -*-===//

#ifndef TFM_DIALECT_TFM_FOLDING_H
#define TFM_DIALECT_TFM_FOLDING_H

#include <cstdint>

namespace mlir::tfm {

/// While alive, lets the folders of tfm ops on this thread materialize
/// non-splat constants of up to `maxElements` elements instead of the
/// default 16 Ki that keeps canonicalization cheap.
class FoldingLimitScope {
public:
  explicit FoldingLimitScope(int64_t maxElements);
  ~FoldingLimitScope();
  FoldingLimitScope(const FoldingLimitScope &) = delete;
  FoldingLimitScope &operator=(const FoldingLimitScope &) = delete;

private:
  int64_t previous;
};

} // namespace mlir::tfm

#endif // TFM_DIALECT_TFM_FOLDING_H
