//===- Reduction.cpp - reductions, pools and softmax to linalg.generic ----===//
//
// Reductions accumulate in the compute type (f32 for f16/bf16). Softmax and
// log-softmax take the numerically stable three-step form: the row maximum,
// the sum of exp(x - max), then the normalized result. Pools reduce each
// window of the padded input in one generic; cumsum is a loop along its
// axis carrying the running sum.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
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
                       case ReductionKind::Min:
                         return {buildMinMax(
                             b, l, acc, x, Kind == ReductionKind::Max,
                             isUnsigned || elementType.isInteger(1))};
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

/// How many of the `kernel` taps of window `o` (taps `dilation` apart,
/// windows `stride` apart) fall in [lo, hi), for each of `out` windows.
SmallVector<int64_t> countTaps(int64_t out, int64_t stride, int64_t kernel,
                               int64_t dilation, int64_t lo, int64_t hi) {
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < out; ++o) {
    int64_t count = 0;
    for (int64_t j = 0; j < kernel; ++j) {
      int64_t position = o * stride + j * dilation;
      count += position >= lo && position < hi;
    }
    counts.push_back(count);
  }
  return counts;
}

/// max_pool and avg_pool as one generic over [n, c, out..., kernel...] on
/// the padded input (the lowest value for max, zeros for avg; ceil-mode
/// windows reaching past the explicit padding get more of it); the average
/// then divides by a per-position constant of its counted taps.
template <typename OpTy, bool IsMax>
struct PoolOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type originalType = getElementTypeOrSelf(op.getInput().getType());
    Type elementType = inputType.getElementType();
    Type accType = IsMax ? elementType : getComputeType(elementType);
    int64_t d = inputType.getRank() - 2;
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding(), dilations = op.getDilations();
    ArrayRef<int64_t> outShape = type->getShape().drop_front(2);

    // Padding: the explicit one, and past it what ceil-mode windows reach.
    SmallVector<OpFoldResult> low(2, rewriter.getIndexAttr(0)),
        high(2, rewriter.getIndexAttr(0));
    SmallVector<int64_t> paddedShape(inputType.getShape().take_front(2));
    bool padded = false;
    for (int64_t i = 0; i < d; ++i) {
      int64_t in = inputType.getDimSize(2 + i);
      int64_t reach =
          (outShape[i] - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1;
      int64_t after = std::max(padding[d + i], reach - in - padding[i]);
      low.push_back(rewriter.getIndexAttr(padding[i]));
      high.push_back(rewriter.getIndexAttr(after));
      paddedShape.push_back(padding[i] + in + after);
      padded |= padding[i] != 0 || after != 0;
    }
    if (padded) {
      TypedAttr fill = IsMax ? getLowestValue(elementType, originalType)
                             : rewriter.getZeroAttr(elementType);
      input = tensor::PadOp::create(
          rewriter, loc, inputType.clone(paddedShape), input, low, high,
          Value(arith::ConstantOp::create(rewriter, loc, fill)));
    }

    // Loops: n, c, out_0..out_{d-1}, k_0..k_{d-1}; the kernel-shaped empty
    // tensor gives the window loops their sizes.
    int64_t numLoops = 2 + 2 * d;
    auto dim = [&](int64_t i) { return rewriter.getAffineDimExpr(i); };
    SmallVector<AffineExpr> inExprs = {dim(0), dim(1)},
                            outExprs = {dim(0), dim(1)}, windowExprs;
    for (int64_t i = 0; i < d; ++i) {
      inExprs.push_back(dim(2 + i) * strides[i] +
                        dim(2 + d + i) * dilations[i]);
      outExprs.push_back(dim(2 + i));
      windowExprs.push_back(dim(2 + d + i));
    }
    SmallVector<AffineMap> maps = {
        AffineMap::get(numLoops, 0, inExprs, ctx),
        AffineMap::get(numLoops, 0, windowExprs, ctx),
        AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(2 + d,
                                               utils::IteratorType::parallel);
    iterators.append(d, utils::IteratorType::reduction);
    Value window = createEmpty(rewriter, loc, kernel, elementType);
    TypedAttr initAttr = IsMax ? getLowestValue(accType, originalType)
                               : rewriter.getZeroAttr(accType);
    Value init =
        createFilled(rewriter, loc, type->getShape(),
                     arith::ConstantOp::create(rewriter, loc, initAttr));
    bool isUnsigned =
        isUnsignedInteger(originalType) || elementType.isInteger(1);
    Value result =
        buildGeneric(rewriter, loc, ValueRange{input, window}, init, maps,
                     iterators,
                     [&](OpBuilder &b, Location l,
                         ValueRange args) -> SmallVector<Value> {
                       Value x = args[0], acc = args[2];
                       if (!IsMax)
                         return {arith::AddFOp::create(
                             b, l, acc, extendTo(b, l, x, accType))};
                       return {buildMinMax(b, l, acc, x, /*isMax=*/true,
                                           isUnsigned)};
                     })
            .front();
    if (!IsMax)
      result = divideByTaps(rewriter, loc, op, result, *type, accType);
    rewriter.replaceOp(op, result);
    return success();
  }

  /// The window sums divided by each window's counted taps: those inside
  /// the input, or with count_include_pad inside the explicitly padded
  /// input. (The divisor depends on the shapes only: a constant.)
  Value divideByTaps(ConversionPatternRewriter &rewriter, Location loc, OpTy op,
                     Value sums, RankedTensorType type, Type accType) const {
    int64_t d = type.getRank() - 2;
    ArrayRef<int64_t> outShape = type.getShape().drop_front(2);
    ArrayRef<int64_t> padding = op.getPadding();
    ArrayRef<int64_t> inputShape =
        cast<RankedTensorType>(op.getInput().getType()).getShape();
    bool includePad = false;
    if constexpr (!IsMax)
      includePad = op.getCountIncludePad();
    SmallVector<SmallVector<int64_t>> counts;
    for (int64_t i = 0; i < d; ++i) {
      int64_t in = inputShape[2 + i];
      int64_t lo = includePad ? 0 : padding[i];
      int64_t hi =
          includePad ? padding[i] + in + padding[d + i] : padding[i] + in;
      counts.push_back(countTaps(outShape[i], op.getStrides()[i],
                                 op.getKernel()[i], op.getDilations()[i], lo,
                                 hi));
    }
    SmallVector<Attribute> divisors;
    SmallVector<int64_t> strides = computeStrides(outShape);
    for (int64_t flat = 0, e = computeProduct(outShape); flat < e; ++flat) {
      SmallVector<int64_t> position = delinearize(flat, strides);
      double product = 1;
      for (int64_t i = 0; i < d; ++i)
        product *= static_cast<double>(counts[i][position[i]]);
      divisors.push_back(rewriter.getFloatAttr(accType, product));
    }
    auto divisorType = RankedTensorType::get(outShape, accType);
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
    Type elementType = type.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = type.getRank();
    SmallVector<AffineExpr> spatial;
    for (int64_t i = 0; i < d; ++i)
      spatial.push_back(rewriter.getAffineDimExpr(2 + i));
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   AffineMap::get(rank, 0, spatial, ctx),
                                   rewriter.getMultiDimIdentityMap(rank)};
    Value init = createEmpty(rewriter, loc, type.getShape(), elementType);
    return buildGeneric(rewriter, loc, ValueRange{sums, divisor}, init, maps,
                        SmallVector<utils::IteratorType>(
                            rank, utils::IteratorType::parallel),
                        [&](OpBuilder &b, Location l,
                            ValueRange args) -> SmallVector<Value> {
                          Value v =
                              arith::DivFOp::create(b, l, args[0], args[1]);
                          if (accType != elementType)
                            v = arith::TruncFOp::create(b, l, elementType, v);
                          return {v};
                        })
        .front();
  }
};

/// cumsum as an scf.for along the axis carrying the running sum (a slice
/// of the input's shape without the axis, in the compute type) and the
/// result: each step adds one input slice and writes one result slice.
/// Sizes may be dynamic, the axis's included.
struct CumsumOpLowering : OpConversionPattern<CumsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    Type accType = getComputeType(elementType);
    bool isFloat = isa<FloatType>(elementType);
    int64_t axis = op.getAxis(), rank = type.getRank();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<int64_t> rowShape = dropEntries(type.getShape(), {axis});
    Value acc0 =
        createFilled(rewriter, loc, dropEntries<OpFoldResult>(sizes, {axis}),
                     arith::ConstantOp::create(rewriter, loc,
                                               rewriter.getZeroAttr(accType)));
    Value out0 = createEmpty(rewriter, loc, sizes, elementType);
    Value count = getValueOrCreateConstantIndexOp(rewriter, loc, sizes[axis]);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value last = arith::SubIOp::create(rewriter, loc, count, one);
    auto rowType = RankedTensorType::get(rowShape, elementType);
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, count, one, ValueRange{acc0, out0},
        [&](OpBuilder &b, Location l, Value i, ValueRange iter) {
          Value index = reverse ? arith::SubIOp::create(b, l, last, i) : i;
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
          offsets[axis] = index;
          SmallVector<OpFoldResult> sliceSizes = sizes;
          sliceSizes[axis] = b.getIndexAttr(1);
          SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
          Value row = tensor::ExtractSliceOp::create(
              b, l, rowType, input, offsets, sliceSizes, strides);
          Value sum = buildElementwise(
              b, l, rowShape, accType, ValueRange{iter[0], row},
              [&](OpBuilder &eb, Location el, ValueRange args) -> Value {
                if (isFloat)
                  return arith::AddFOp::create(
                      eb, el, args[0], extendTo(eb, el, args[1], accType));
                return arith::AddIOp::create(eb, el, args[0], args[1]);
              });
          Value written = exclusive ? iter[0] : sum;
          if (accType != elementType)
            written = buildElementwise(
                b, l, rowShape, elementType, written,
                [&](OpBuilder &eb, Location el, ValueRange args) -> Value {
                  return arith::TruncFOp::create(eb, el, elementType, args[0]);
                });
          Value out = tensor::InsertSliceOp::create(
              b, l, written, iter[1], offsets, sliceSizes, strides);
          scf::YieldOp::create(b, l, ValueRange{sum, out});
        });
    rewriter.replaceOp(op, loop.getResult(1));
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
               SoftmaxOpLowering<LogSoftmaxOp, /*IsLog=*/true>,
               PoolOpLowering<MaxPoolOp, /*IsMax=*/true>,
               PoolOpLowering<AvgPoolOp, /*IsMax=*/false>, CumsumOpLowering>(
      converter, patterns.getContext());
}
