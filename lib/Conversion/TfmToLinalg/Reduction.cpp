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
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

enum class ReductionKind { Sum, Mean, Prod, Max, Min };

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
    bool accumulateWide = Kind == ReductionKind::Sum ||
                          Kind == ReductionKind::Mean ||
                          Kind == ReductionKind::Prod;
    Type accType = accumulateWide ? getComputeType(elementType) : elementType;
    ArrayRef<int64_t> axes = op.getAxes();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> reducedShape = dropEntries(inputType.getShape(), axes);

    TypedAttr initAttr;
    if (Kind == ReductionKind::Max)
      initAttr = getLowestValue(accType, originalType);
    else if (Kind == ReductionKind::Min)
      initAttr = getHighestValue(accType, originalType);
    else if (Kind == ReductionKind::Prod)
      initAttr = isa<FloatType>(accType)
                     ? TypedAttr(rewriter.getFloatAttr(accType, 1.0))
                     : TypedAttr(rewriter.getIntegerAttr(accType, 1));
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
                       case ReductionKind::Prod:
                         if (isFloat)
                           return {arith::MulFOp::create(b, l, acc, x)};
                         return {arith::MulIOp::create(b, l, acc, x)};
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

/// argmax / argmin: one reduction carrying the best value and its position
/// (linalg.index along the axis). A later element replaces the best when
/// strictly better, or also when equal with select_last_index; a NaN beats
/// every number (a first NaN, or the last with select_last_index, wins).
template <typename OpTy, bool IsMax>
struct ArgReductionOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type originalType = getElementTypeOrSelf(op.getInput().getType());
    Type elementType = inputType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis();
    bool last = op.getSelectLastIndex();
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsigned =
        isUnsignedInteger(originalType) || elementType.isInteger(1);
    SmallVector<OpFoldResult> sizes = dropEntries<OpFoldResult>(
        tensor::getMixedSizes(rewriter, loc, input), axis);
    TypedAttr initAttr = IsMax ? getLowestValue(elementType, originalType)
                               : getHighestValue(elementType, originalType);
    Value bestInit =
        createFilled(rewriter, loc, sizes,
                     arith::ConstantOp::create(rewriter, loc, initAttr));
    Type i64 = rewriter.getI64Type();
    Value indexInit =
        createFilled(rewriter, loc, sizes, createScalar(rewriter, loc, i64, 0));
    AffineMap rowMap = getDropDimsMap(rewriter.getContext(), rank, axis);
    SmallVector<Value> results = buildGeneric(
        rewriter, loc, input, ValueRange{bestInit, indexInit},
        {rewriter.getMultiDimIdentityMap(rank), rowMap, rowMap},
        getIterators(rank, axis),
        [&](OpBuilder &b, Location l, ValueRange args) -> SmallVector<Value> {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value index = arith::IndexCastOp::create(
              b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value better;
          if (isFloat) {
            using P = arith::CmpFPredicate;
            P strict = IsMax ? P::OGT : P::OLT;
            P loose = IsMax ? P::OGE : P::OLE;
            Value xIsNan = arith::CmpFOp::create(b, l, P::UNO, x, x);
            Value bestIsNan = arith::CmpFOp::create(b, l, P::UNO, best, best);
            better =
                arith::CmpFOp::create(b, l, last ? loose : strict, x, best);
            // A NaN beats numbers; with select_last_index a later NaN
            // beats an earlier one.
            Value nanWins = arith::AndIOp::create(
                b, l, xIsNan,
                last ? arith::ConstantIntOp::create(b, l, 1, 1).getResult()
                     : arith::XOrIOp::create(
                           b, l, bestIsNan,
                           arith::ConstantIntOp::create(b, l, 1, 1))
                           .getResult());
            // (Ordered comparisons: a number never beats a NaN.)
            better = arith::OrIOp::create(b, l, better, nanWins);
          } else {
            using P = arith::CmpIPredicate;
            P strict = IsMax ? (isUnsigned ? P::ugt : P::sgt)
                             : (isUnsigned ? P::ult : P::slt);
            P loose = IsMax ? (isUnsigned ? P::uge : P::sge)
                            : (isUnsigned ? P::ule : P::sle);
            better =
                arith::CmpIOp::create(b, l, last ? loose : strict, x, best);
          }
          // The first element always takes the place of the initial value.
          Value first =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, index,
                                    createScalar(b, l, i64, 0));
          better = arith::OrIOp::create(b, l, better, first);
          return {arith::SelectOp::create(b, l, better, x, best),
                  arith::SelectOp::create(b, l, better, index, bestIndex)};
        });
    rewriter.replaceOp(
        op, reshapeTo(rewriter, loc, results[1], resultType.getShape()));
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
               ReductionOpLowering<ReduceProdOp, ReductionKind::Prod>,
               ReductionOpLowering<ReduceMaxOp, ReductionKind::Max>,
               ReductionOpLowering<ReduceMinOp, ReductionKind::Min>,
               ArgReductionOpLowering<ArgMaxOp, /*IsMax=*/true>,
               ArgReductionOpLowering<ArgMinOp, /*IsMax=*/false>,
               SoftmaxOpLowering<SoftmaxOp, /*IsLog=*/false>,
               SoftmaxOpLowering<LogSoftmaxOp, /*IsLog=*/true>>(
      converter, patterns.getContext());
}
