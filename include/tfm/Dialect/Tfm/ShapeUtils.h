//===- ShapeUtils.h - shape arithmetic shared across tfm -------*- C++ -*-===//
//
// Broadcasting and axis rules of the tfm dialect, for the dialect itself and
// for the components that build or lower its ops.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_DIALECT_TFM_SHAPEUTILS_H
#define TFM_DIALECT_TFM_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir::tfm {

/// True when two dimensions may be equal: equal, or either is dynamic.
inline bool dimsAgree(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

/// NumPy broadcast of `shapes`; dynamic dimensions broadcast against 1 or an
/// equal size. Returns failure when two static dimensions differ and neither
/// is 1.
FailureOr<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes);

/// True when `shape` broadcasts to exactly `target` (expand, masks).
bool broadcastsTo(ArrayRef<int64_t> shape, ArrayRef<int64_t> target);

/// True when `axes` is non-empty, strictly increasing and within [0, rank).
bool isValidAxisList(ArrayRef<int64_t> axes, int64_t rank);

/// True when `perm` is a permutation of [0, rank).
bool isPermutation(ArrayRef<int64_t> perm, int64_t rank);

/// Formats a shape as "[2, ?, 768]" for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

/// Number of elements of a static shape.
int64_t getNumElements(ArrayRef<int64_t> shape);

/// Number of elements of a static shape, or nullopt when the product
/// overflows int64_t (or a dimension is negative or dynamic).
std::optional<int64_t> getCheckedNumElements(ArrayRef<int64_t> shape);

/// Bytes of a statically shaped tensor of `elementType` as the runtime and
/// the weights blob store it (booleans and other sub-byte types take one
/// byte per element), or nullopt when the count overflows int64_t.
std::optional<int64_t> getCheckedNumBytes(ArrayRef<int64_t> shape,
                                          Type elementType);

/// Largest byte size of one tensor that tfm accepts: 2^48 bytes, the size of
/// x86-64's user address space. Larger static shapes are rejected where they
/// are made (the importer, shape refinement) rather than wrap around in the
/// size arithmetic of the code generator and the runtime.
constexpr int64_t kMaxTensorBytes = int64_t(1) << 48;

/// Checks that `type` is a tensor tfm can hold (static dimensions multiply
/// without overflow and the tensor fits kMaxTensorBytes); returns a reason
/// for diagnostics otherwise.
std::optional<std::string> checkTensorSize(ShapedType type);

} // namespace mlir::tfm

#endif // TFM_DIALECT_TFM_SHAPEUTILS_H
