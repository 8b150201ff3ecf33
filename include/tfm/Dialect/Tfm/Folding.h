//===- Folding.h - tfm's constant folders and weight bytes ------*- C++ -*-===//

#ifndef TFM_DIALECT_TFM_FOLDING_H
#define TFM_DIALECT_TFM_FOLDING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir::tfm {

/// Bytes one element of `elementType` takes in a constant's storage: its
/// width in bytes, 1 for the 4-bit integers (the value in the low nibble,
/// as MLIR stores them), 0 for types without byte storage (i1, odd widths).
int64_t getStorageBytes(Type elementType);

/// The elements of the constant `value` (a dense literal or a resource
/// blob, not of type i1) as row-major bytes (getStorageBytes each); a splat
/// literal is expanded into `storage`. Fails when the bytes are not available
/// (an elided blob, or one whose size does not match its type).
FailureOr<ArrayRef<char>> getConstantBytes(Attribute value,
                                           SmallVectorImpl<char> &storage);

/// A constant of `type` holding `bytes`, in the form of `like`: a dense
/// literal stays a literal, a weight blob becomes a new blob named
/// `<like's name><suffix>`.
ElementsAttr createConstantLike(Attribute like, ShapedType type,
                                StringRef suffix, ArrayRef<char> bytes);

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
