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

#include "tfm/Dialect/Tfm/ShapeUtils.h"

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

/// argmax/argmin: `input`'s shape without `axis` (size 1 with `keepdims`),
/// of i64.
LogicalResult inferArgReductionType(StringRef opName,
                                    std::optional<Location> loc, Type inputType,
                                    int64_t axis, bool keepdims,
                                    SmallVectorImpl<Type> &inferred);

/// The output size of a pool window along one spatial dimension (see
/// tfm.max_pool), or nullopt when no window fits.
std::optional<int64_t> getPoolOutputSize(int64_t in, int64_t kernel,
                                         int64_t stride, int64_t padLow,
                                         int64_t padHigh, int64_t dilation,
                                         bool ceilMode);

/// max_pool/avg_pool: `[N, C, out...]` (constraints 1 to 3).
LogicalResult inferPoolType(StringRef opName, std::optional<Location> loc,
                            Type inputType, ArrayRef<int64_t> kernel,
                            ArrayRef<int64_t> strides,
                            ArrayRef<int64_t> padding,
                            ArrayRef<int64_t> dilations, bool ceilMode,
                            SmallVectorImpl<Type> &inferred);

} // namespace mlir::tfm::detail

#endif // TFM_DIALECTS_TFM_TYPERULES_H
