//===- TypeRules.h - shape rules shared by tfm ops --------------*- C++ -*-===//
//
// Broadcasting, axis and dimension checks used by the ops' type inference and
// verifiers, plus the diagnostics that cite a constraint label.
//
// Internal to the dialect library.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_DIALECTS_TFM_TYPERULES_H
#define TFM_DIALECTS_TFM_TYPERULES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/TypeRange.h"

#include <optional>

namespace mlir::tfm::detail {

/// Emits, at `loc`, "'tfm.<op>' op <op>_c<constraint>: " followed by `args`,
/// and returns failure. Emits nothing when no location is given (type
/// inference called speculatively).
template <typename... Args>
LogicalResult violation(std::optional<Location> loc, StringRef opName,
                        unsigned constraint, Args &&...args) {
  if (!loc)
    return failure();
  StringRef mnemonic = opName;
  mnemonic.consume_front("tfm.");
  InFlightDiagnostic diag = emitError(*loc);
  diag << "'" << opName << "' op " << mnemonic << "_c" << constraint << ": ";
  (diag << ... << std::forward<Args>(args));
  return diag;
}

/// Starts an op error that cites constraint `constraint` of `op`.
InFlightDiagnostic emitViolation(Operation *op, unsigned constraint);

/// True when two dimensions may be equal: equal, or either is dynamic.
inline bool dimsAgree(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

/// NumPy broadcast of `shapes`; dynamic dimensions broadcast against 1 or an
/// equal size. Returns failure when two static dimensions differ and neither
/// is 1.
FailureOr<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes);

/// True when `lhs` broadcasts to exactly `target` (used by expand and masks).
bool broadcastsTo(ArrayRef<int64_t> shape, ArrayRef<int64_t> target);

/// True when `axes` is non-empty, strictly increasing and within [0, rank).
bool isValidAxisList(ArrayRef<int64_t> axes, int64_t rank);

/// True when `perm` is a permutation of [0, rank).
bool isPermutation(ArrayRef<int64_t> perm, int64_t rank);

/// Infers the result type of an elementwise op: `elementType` with the
/// broadcast shape of `operandTypes`, whose incompatibility violates
/// constraint `shapeConstraint`. `names` name the operands in diagnostics.
LogicalResult inferBroadcastType(StringRef opName, std::optional<Location> loc,
                                 ArrayRef<Type> operandTypes,
                                 ArrayRef<StringRef> names, Type elementType,
                                 unsigned shapeConstraint,
                                 SmallVectorImpl<Type> &inferred);

/// Infers the result type of a binary elementwise op on `lhs` and `rhs`:
/// constraint 1 is equal element types, constraint 2 broadcastable shapes.
LogicalResult inferBinaryType(StringRef opName, std::optional<Location> loc,
                              Type lhs, Type rhs,
                              SmallVectorImpl<Type> &inferred);

/// Infers the result type of a reduction over `axes` (constraint 1).
LogicalResult inferReductionType(StringRef opName, std::optional<Location> loc,
                                 Type inputType, ArrayRef<int64_t> axes,
                                 bool keepdims,
                                 SmallVectorImpl<Type> &inferred);

/// Formats a shape as "[2, ?, 768]" for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

/// Number of elements of a static shape.
int64_t getNumElements(ArrayRef<int64_t> shape);

} // namespace mlir::tfm::detail

#endif // TFM_DIALECTS_TFM_TYPERULES_H
