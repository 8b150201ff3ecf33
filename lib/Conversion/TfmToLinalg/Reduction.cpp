//===- Reduction.cpp - reductions and softmax to linalg.generic -----------===//
//
// Reductions accumulate in the compute type (f32 for f16/bf16). Softmax and
// log-softmax take the numerically stable three-step form: the row maximum,
// the sum of exp(x - max), then the normalized result.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

enum class ReductionKind { Sum, Mean, Max, Min };

/// Iterator types of a loop nest of `rank` reducing `axes`.
SmallVector<utils::IteratorType> getIterators(int64_t rank,
                                              ArrayRef<int64_t> axes) {
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  for (int64_t axis : axes)
    iterators[axis] = utils::IteratorType::reduction;
  return iterators;
}

template <typename OpTy, ReductionKind Kind>
struct ReductionOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type originalType = getElementTypeOrSelf(op.getInput().getType());
    Type elementType = inputType.getElementType();
    bool accumulateWide =
        Kind == ReductionKind::Sum || Kind == ReductionKind::Mean;
    Type accType = accumulateWide ? getComputeType(elementType) : elementType;
    ArrayRef<int64_t> axes = op.getAxes();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> reducedShape = dropEntries(inputType.getShape(), axes);

    TypedAttr initAttr;
    if (Kind == ReductionKind::Max)
      initAttr = getLowestValue(accType, originalType);
    else if (Kind == ReductionKind::Min)
      initAttr = getHighestValue(accType, originalType);
    else
      initAttr = rewriter.getZeroAttr(accType);
    Value init = createFilled(
        rewriter, loc,
        dropEntries<OpFoldResult>(
            tensor::getMixedSizes(rewriter, loc, adaptor.getInput()), axes),
        arith::ConstantOp::create(rewriter, loc, initAttr));
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsigned = isUnsignedInteger(originalType);
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank),
        getDropDimsMap(rewriter.getContext(), rank, axes)};
    Value reduced =
        buildGeneric(rewriter, loc, adaptor.getInput(), init, maps,
                     getIterators(rank, axes),
                     [&](OpBuilder &b, Location l,
                         ValueRange args) -> SmallVector<Value> {
                       Value x = args[0], acc = args[1];
                       if (isa<FloatType>(accType))
                         x = extendTo(b, l, x, accType);
                       switch (Kind) {
                       case ReductionKind::Sum:
                       case ReductionKind::Mean:
                         if (isFloat)
                           return {arith::AddFOp::create(b, l, acc, x)};
                         return {arith::AddIOp::create(b, l, acc, x)};
                       case ReductionKind::Max:
                         if (isFloat)
                           return {arith::MaximumFOp::create(b, l, acc, x)};
                         if (isUnsigned || elementType.isInteger(1))
                           return {arith::MaxUIOp::create(b, l, acc, x)};
                         return {arith::MaxSIOp::create(b, l, acc, x)};
                       case ReductionKind::Min:
                         if (isFloat)
                           return {arith::MinimumFOp::create(b, l, acc, x)};
                         if (isUnsigned || elementType.isInteger(1))
                           return {arith::MinUIOp::create(b, l, acc, x)};
                         return {arith::MinSIOp::create(b, l, acc, x)};
                       }
                       llvm_unreachable("unknown reduction");
                     })
            .front();

    int64_t count = 1;
    for (int64_t axis : axes)
      count *= inputType.getDimSize(axis);
    if (Kind == ReductionKind::Mean || accType != elementType) {
      reduced = buildElementwise(
          rewriter, loc, reducedShape, elementType, reduced,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value v = args[0];
            if (Kind == ReductionKind::Mean)
              v = arith::DivFOp::create(b, l, v,
                                        createScalar(b, l, accType, count));
            if (accType != elementType)
              v = arith::TruncFOp::create(b, l, elementType, v);
            return v;
          });
    }
    rewriter.replaceOp(
        op, reshapeTo(rewriter, loc, reduced, resultType.getShape()));
    return success();
  }
};

/// softmax and log_softmax along one axis.
template <typename OpTy, bool IsLog>
struct SoftmaxOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type elementType = resultType.getElementType();
    Type computeType = getComputeType(elementType);
    int64_t rank = resultType.getRank();
    int64_t axis = op.getAxis();
    SmallVector<OpFoldResult> rowSizes = dropEntries<OpFoldResult>(
        tensor::getMixedSizes(rewriter, loc, input), axis);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap rowMap = getDropDimsMap(rewriter.getContext(), rank, axis);

    // m = max(x) along the axis.
    Value maxInit = createFilled(
        rewriter, loc, rowSizes,
        arith::ConstantOp::create(rewriter, loc,
                                  getLowestValue(computeType, computeType)));
    Value rowMax = buildGeneric(rewriter, loc, input, maxInit,
                                {identity, rowMap}, getIterators(rank, axis),
                                [&](OpBuilder &b, Location l,
                                    ValueRange args) -> SmallVector<Value> {
                                  return {arith::MaximumFOp::create(
                                      b, l, args[1],
                                      extendTo(b, l, args[0], computeType))};
                                })
                       .front();
    // s = sum(exp(x - m)) along the axis.
    Value sumInit = createFilled(rewriter, loc, rowSizes,
                                 createScalar(rewriter, loc, computeType, 0));
    Value rowSum =
        buildGeneric(rewriter, loc, ValueRange{input, rowMax}, sumInit,
                     {identity, rowMap, rowMap}, getIterators(rank, axis),
                     [&](OpBuilder &b, Location l,
                         ValueRange args) -> SmallVector<Value> {
                       Value shifted = arith::SubFOp::create(
                           b, l, extendTo(b, l, args[0], computeType), args[1]);
                       return {arith::AddFOp::create(
                           b, l, args[2], math::ExpOp::create(b, l, shifted))};
                     })
            .front();
    // softmax: exp(x - m) / s; log_softmax: x - m - log(s).
    Value init =
        createEmpty(rewriter, loc, tensor::getMixedSizes(rewriter, loc, input),
                    elementType);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value result =
        buildGeneric(rewriter, loc, ValueRange{input, rowMax, rowSum}, init,
                     {identity, rowMap, rowMap, identity}, parallel,
                     [&](OpBuilder &b, Location l,
                         ValueRange args) -> SmallVector<Value> {
                       Value shifted = arith::SubFOp::create(
                           b, l, extendTo(b, l, args[0], computeType), args[1]);
                       Value v;
                       if (IsLog)
                         v = arith::SubFOp::create(
                             b, l, shifted, math::LogOp::create(b, l, args[2]));
                       else
                         v = arith::DivFOp::create(
                             b, l, math::ExpOp::create(b, l, shifted), args[2]);
                       if (computeType != elementType)
                         v = arith::TruncFOp::create(b, l, elementType, v);
                       return {v};
                     })
            .front();
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::tfm::populateReductionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ReductionOpLowering<ReduceSumOp, ReductionKind::Sum>,
               ReductionOpLowering<ReduceMeanOp, ReductionKind::Mean>,
               ReductionOpLowering<ReduceMaxOp, ReductionKind::Max>,
               ReductionOpLowering<ReduceMinOp, ReductionKind::Min>,
               SoftmaxOpLowering<SoftmaxOp, /*IsLog=*/false>,
               SoftmaxOpLowering<LogSoftmaxOp, /*IsLog=*/true>>(
      converter, patterns.getContext());
}
