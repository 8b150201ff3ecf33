//===- Normalization.cpp - layer_norm and rms_norm to linalg.generic ------===//
//
// Two-pass, numerically stable forms accumulated in the compute type:
// layer_norm sums x, then (x - mean)^2, then normalizes; rms_norm sums x^2,
// then scales. The normalized axes are the trailing ones, so statistics are
// indexed by the leading dimensions and scale/bias by the trailing ones.
// With a residual, the sum is computed first (it is also a result); the
// linalg elementwise fusion folds it into the statistics' loops.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

/// Loop-nest bookkeeping shared by both norms: the input is `[outer...,
/// inner...]` with the normalized `inner` dimensions trailing.
struct NormLoops {
  int64_t rank;
  int64_t numOuter;
  int64_t count; // elements per normalized group (static axes)
  SmallVector<OpFoldResult> outerSizes;
  AffineMap identity, outerMap, innerMap;
  SmallVector<utils::IteratorType> reduceIterators, parallelIterators;

  NormLoops(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes) {
    auto type = cast<RankedTensorType>(input.getType());
    rank = type.getRank();
    numOuter = rank - static_cast<int64_t>(axes.size());
    count = 1;
    for (int64_t i = numOuter; i < rank; ++i)
      count *= type.getDimSize(i);
    outerSizes = llvm::to_vector(
        ArrayRef(tensor::getMixedSizes(b, loc, input)).take_front(numOuter));
    MLIRContext *ctx = b.getContext();
    identity = b.getMultiDimIdentityMap(rank);
    outerMap = getDropDimsMap(ctx, rank, axes);
    SmallVector<int64_t> outerDims =
        llvm::to_vector(llvm::seq<int64_t>(0, numOuter));
    innerMap = getDropDimsMap(ctx, rank, outerDims);
    parallelIterators.assign(rank, utils::IteratorType::parallel);
    reduceIterators = parallelIterators;
    for (int64_t i = numOuter; i < rank; ++i)
      reduceIterators[i] = utils::IteratorType::reduction;
  }
};

/// The norm's input, plus its residual when it has one; the sum is added to
/// `results` (the norm's second result).
Value buildNormInput(OpBuilder &b, Location loc, RankedTensorType type,
                     Value input, Value residual,
                     SmallVectorImpl<Value> &results) {
  if (!residual)
    return input;
  Type elementType = type.getElementType();
  Type computeType = getComputeType(elementType);
  Value sum = buildElementwise(
      b, loc, type.getShape(), elementType, ValueRange{input, residual},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value x =
            arith::AddFOp::create(nb, l, extendTo(nb, l, args[0], computeType),
                                  extendTo(nb, l, args[1], computeType));
        if (computeType != elementType)
          x = arith::TruncFOp::create(nb, l, elementType, x);
        return x;
      });
  results.push_back(sum);
  return sum;
}

/// sum over the normalized axes of f(x, stats...).
Value buildGroupSum(
    OpBuilder &b, Location loc, const NormLoops &loops, Type computeType,
    ValueRange inputs, ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> term) {
  Value init = createFilled(b, loc, loops.outerSizes,
                            createScalar(b, loc, computeType, 0));
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(loops.outerMap);
  return buildGeneric(b, loc, inputs, init, maps, loops.reduceIterators,
                      [&](OpBuilder &nb, Location l,
                          ValueRange args) -> SmallVector<Value> {
                        Value t = term(nb, l, args.drop_back());
                        return {arith::AddFOp::create(nb, l, args.back(), t)};
                      })
      .front();
}

struct LayerNormOpLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getResult().getType());
    Location loc = op.getLoc();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    SmallVector<Value> sums;
    Value input = buildNormInput(rewriter, loc, type, adaptor.getInput(),
                                 adaptor.getResidual(), sums);
    NormLoops loops(rewriter, loc, input, op.getAxes());
    double invCount = 1.0 / static_cast<double>(loops.count);

    Value sum =
        buildGroupSum(rewriter, loc, loops, computeType, input, loops.identity,
                      [&](OpBuilder &b, Location l, ValueRange args) {
                        return extendTo(b, l, args[0], computeType);
                      });
    Value sumSq = buildGroupSum(
        rewriter, loc, loops, computeType, ValueRange{input, sum},
        {loops.identity, loops.outerMap},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value mean = arith::MulFOp::create(
              b, l, args[1], createScalar(b, l, computeType, invCount));
          Value d = arith::SubFOp::create(
              b, l, extendTo(b, l, args[0], computeType), mean);
          return arith::MulFOp::create(b, l, d, d);
        });

    SmallVector<Value> inputs = {input, sum, sumSq};
    SmallVector<AffineMap> maps = {loops.identity, loops.outerMap,
                                   loops.outerMap};
    if (adaptor.getScale()) {
      inputs.push_back(adaptor.getScale());
      maps.push_back(loops.innerMap);
    }
    if (adaptor.getBias()) {
      inputs.push_back(adaptor.getBias());
      maps.push_back(loops.innerMap);
    }
    maps.push_back(loops.identity);
    bool hasScale = static_cast<bool>(adaptor.getScale());
    bool hasBias = static_cast<bool>(adaptor.getBias());
    double epsilon = op.getEpsilon().convertToDouble();
    Value init =
        createEmpty(rewriter, loc, tensor::getMixedSizes(rewriter, loc, input),
                    elementType);
    Value result =
        buildGeneric(
            rewriter, loc, inputs, init, maps, loops.parallelIterators,
            [&](OpBuilder &b, Location l,
                ValueRange args) -> SmallVector<Value> {
              Value invN = createScalar(b, l, computeType, invCount);
              Value mean = arith::MulFOp::create(b, l, args[1], invN);
              Value var = arith::MulFOp::create(b, l, args[2], invN);
              Value rstd = math::RsqrtOp::create(
                  b, l,
                  arith::AddFOp::create(
                      b, l, var, createScalar(b, l, computeType, epsilon)));
              Value y = arith::MulFOp::create(
                  b, l,
                  arith::SubFOp::create(
                      b, l, extendTo(b, l, args[0], computeType), mean),
                  rstd);
              unsigned next = 3;
              if (hasScale)
                y = arith::MulFOp::create(
                    b, l, y, extendTo(b, l, args[next++], computeType));
              if (hasBias)
                y = arith::AddFOp::create(
                    b, l, y, extendTo(b, l, args[next++], computeType));
              if (computeType != elementType)
                y = arith::TruncFOp::create(b, l, elementType, y);
              return {y};
            })
            .front();
    SmallVector<Value> results = {result};
    llvm::append_range(results, sums);
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct RmsNormOpLowering : OpConversionPattern<RmsNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RmsNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getResult().getType());
    Location loc = op.getLoc();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    SmallVector<Value> sums;
    Value input = buildNormInput(rewriter, loc, type, adaptor.getInput(),
                                 adaptor.getResidual(), sums);
    NormLoops loops(rewriter, loc, input, op.getAxes());
    double invCount = 1.0 / static_cast<double>(loops.count);

    Value sumSq =
        buildGroupSum(rewriter, loc, loops, computeType, input, loops.identity,
                      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                        Value x = extendTo(b, l, args[0], computeType);
                        return arith::MulFOp::create(b, l, x, x);
                      });
    SmallVector<Value> inputs = {input, sumSq};
    SmallVector<AffineMap> maps = {loops.identity, loops.outerMap};
    bool hasScale = static_cast<bool>(adaptor.getScale());
    if (hasScale) {
      inputs.push_back(adaptor.getScale());
      maps.push_back(loops.innerMap);
    }
    maps.push_back(loops.identity);
    double epsilon = op.getEpsilon().convertToDouble();
    Value init =
        createEmpty(rewriter, loc, tensor::getMixedSizes(rewriter, loc, input),
                    elementType);
    Value result =
        buildGeneric(
            rewriter, loc, inputs, init, maps, loops.parallelIterators,
            [&](OpBuilder &b, Location l,
                ValueRange args) -> SmallVector<Value> {
              Value meanSq = arith::MulFOp::create(
                  b, l, args[1], createScalar(b, l, computeType, invCount));
              Value rms = math::RsqrtOp::create(
                  b, l,
                  arith::AddFOp::create(
                      b, l, meanSq, createScalar(b, l, computeType, epsilon)));
              Value y = arith::MulFOp::create(
                  b, l, extendTo(b, l, args[0], computeType), rms);
              if (hasScale)
                y = arith::MulFOp::create(b, l, y,
                                          extendTo(b, l, args[2], computeType));
              if (computeType != elementType)
                y = arith::TruncFOp::create(b, l, elementType, y);
              return {y};
            })
            .front();
    SmallVector<Value> results = {result};
    llvm::append_range(results, sums);
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void mlir::tfm::populateNormalizationToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<LayerNormOpLowering, RmsNormOpLowering>(converter,
                                                       patterns.getContext());
}
