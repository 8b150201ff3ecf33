//===- LinalgBuilders.h - building blocks of the tfm-to-linalg patterns --===//
//
// Helpers shared by the op-family files of the TfmToLinalg conversion: empty
// and filled tensors, NumPy broadcasting as indexing maps, static reshapes,
// element conversions with the signedness of the original tfm type, and
// linalg.generic construction.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_CONVERSION_TFMTOLINALG_LINALGBUILDERS_H
#define TFM_CONVERSION_TFMTOLINALG_LINALGBUILDERS_H

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tfm::lowering {

/// True for the `ui*` element types, whose arithmetic is unsigned.
inline bool isUnsignedInteger(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  return intType && intType.isUnsigned();
}

/// `type` with `ui*`/`si*` element types made signless, as lowered code sees
/// it.
Type toSignless(Type type);

/// f16 and bf16 compute in f32 (accumulations, transcendental functions).
inline bool isNarrowFloat(Type type) { return type.isF16() || type.isBF16(); }

/// `x` extended to the wider float type `type` (itself when it has it).
Value extendTo(OpBuilder &b, Location loc, Value x, Type type);

/// The type arithmetic on elements of `type` is carried out in.
inline Type getComputeType(Type type) {
  return isNarrowFloat(type) ? Float32Type::get(type.getContext()) : type;
}

/// The type of `op`'s first result, or a match failure naming the problem
/// when its shape, or an operand's, is not static: for the patterns that
/// handle static shapes only (see `supportsDynamicShapes`).
FailureOr<RankedTensorType> getStaticResultType(Operation *op,
                                                PatternRewriter &rewriter);

/// A `tensor.empty` of a static shape.
Value createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type elementType);
/// ... of sizes that may be run-time values.
Value createEmpty(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  Type elementType);

/// A tensor of `shape` filled with the scalar `value` (`linalg.fill`).
Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Value value);
Value createFilled(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Value value);

/// The sizes of a loop nest of `shape` over `operands` broadcast
/// NumPy-style: a dynamic dimension's size is read (`tensor.dim`) from the
/// first operand whose aligned dimension is dynamic. Two dynamic dimensions
/// that meet are equal (a dimension that broadcasts is a static 1), which
/// the shape rules already assume.
SmallVector<OpFoldResult> getBroadcastSizes(OpBuilder &b, Location loc,
                                            ArrayRef<int64_t> shape,
                                            ValueRange operands);

/// `values` (sizes, a shape) without the entries at `dropped`.
template <typename T>
SmallVector<T> dropEntries(ArrayRef<T> values, ArrayRef<int64_t> dropped) {
  SmallVector<T> kept;
  for (auto [i, value] : llvm::enumerate(values))
    if (!llvm::is_contained(dropped, static_cast<int64_t>(i)))
      kept.push_back(value);
  return kept;
}

/// A scalar constant of `type` (float or signless integer) holding `value`.
Value createScalar(OpBuilder &b, Location loc, Type type, double value);

/// The larger (`isMax`) or smaller of `lhs` and `rhs`: NaN wins for floats;
/// integers compare unsigned when `isUnsigned` (`ui*`, `i1`).
Value buildMinMax(OpBuilder &b, Location loc, Value lhs, Value rhs, bool isMax,
                  bool isUnsigned);

/// The identity (0 for sums) or the neutral element of a max/min reduction
/// for element type `type`, signedness taken from `originalType`.
TypedAttr getLowestValue(Type type, Type originalType);
TypedAttr getHighestValue(Type type, Type originalType);

/// How an operand is read by a loop nest of `loopShape` under NumPy
/// broadcasting: `value` is the operand with its broadcast unit dimensions
/// collapsed away, `map` its indexing map.
struct BroadcastOperand {
  Value value;
  AffineMap map;
};
BroadcastOperand broadcastOperand(OpBuilder &b, Location loc, Value operand,
                                  ArrayRef<int64_t> loopShape);

/// The map (d0..dn-1) -> (dims not in `dropped`).
AffineMap getDropDimsMap(MLIRContext *ctx, int64_t numDims,
                         ArrayRef<int64_t> dropped);

/// True when reshaping `type` to `shape` is one collapse or one expand
/// whose every expanded group has at most one dynamic size (`[1, ?, 768]`
/// to `[?, 768]` and back), or nothing: what `reshapeTo` takes with
/// dynamic dimensions.
bool isViewReshape(RankedTensorType type, ArrayRef<int64_t> shape);

/// Reshapes a tensor to `shape` with collapse/expand ops; a dynamically
/// shaped one must be a view reshape (`isViewReshape`).
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> shape);

/// The unit-stride slice of `source` at static `offsets` with static
/// `sizes`, of the same rank.
Value extractStaticSlice(OpBuilder &b, Location loc, Value source,
                         ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes);

/// Converts a scalar between element types with tfm.cast semantics; the
/// original (possibly unsigned) types give the signedness.
Value convertScalar(OpBuilder &b, Location loc, Value value, Type srcOriginal,
                    Type dstOriginal);

/// Body of a generic: receives the block arguments, returns the yielded
/// values.
using GenericBodyFn =
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// A linalg.generic over all-parallel loops of `shape` whose `operands`
/// broadcast NumPy-style into one result of `resultElementType`; `body` maps
/// the operand elements to the result element. Dynamic loop sizes are read
/// from the operands (`getBroadcastSizes`).
Value buildElementwise(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type resultElementType,
    ValueRange operands,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// A linalg.generic with explicit maps and iterator types.
SmallVector<Value> buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                                ValueRange outputs, ArrayRef<AffineMap> maps,
                                ArrayRef<utils::IteratorType> iterators,
                                GenericBodyFn body);

/// Scalar activations, on float values of their compute type.
Value buildSigmoid(OpBuilder &b, Location loc, Value x);
Value buildGelu(OpBuilder &b, Location loc, Value x,
                GeluApproximation approximation);
/// The activation a fused `tfm.linear` applies.
Value buildActivation(OpBuilder &b, Location loc, Value x,
                      Activation activation);
/// The epilogue of a linear's [m, n] product `result` (in the compute
/// type): the activation, then the residual (any shape of m x n elements).
Value buildLinearEpilogue(OpBuilder &b, Location loc, Value result,
                          std::optional<Activation> activation, Value residual,
                          int64_t m, int64_t n);

} // namespace mlir::tfm::lowering

#endif // TFM_CONVERSION_TFMTOLINALG_LINALGBUILDERS_H
