//===- Quantization.cpp - quantize and dequantize to linalg ---------------===//
//
// Each op is one elementwise linalg.generic; the scale (and zero point) is
// read through a map of the scheme: no dimension per tensor, the axis per
// axis, the axis divided by the block size (other dimensions kept) per
// block. Arithmetic is in f32 for f16/bf16 tensors.
//
// A dequantized weight feeding a `linear` does not go through here: the
// contraction reads the integer weight itself (Contraction.cpp).
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

/// The map of a scale (or zero point) of `op` in a loop nest over the
/// tensor's dimensions.
template <typename OpTy> AffineMap getScaleMap(OpTy op, int64_t rank) {
  MLIRContext *ctx = op.getContext();
  if (op.isPerTensor())
    return AffineMap::get(rank, 0, {}, ctx);
  int64_t axis = *op.getAxis();
  if (!op.getBlockSize())
    return AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    exprs.push_back(d == axis
                        ? getAffineDimExpr(d, ctx).floorDiv(*op.getBlockSize())
                        : getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// An integer scalar as a float of `type`, by the signedness of its
/// original type.
Value intToFloat(OpBuilder &b, Location loc, Value value, Type originalType,
                 Type type) {
  if (isUnsignedInteger(originalType))
    return arith::UIToFPOp::create(b, loc, type, value);
  return arith::SIToFPOp::create(b, loc, type, value);
}

/// The elementwise generic of a quantize or dequantize of `type` into
/// elements of `elementType`: the body gets the tensor's element, its
/// scale and, when there is one, its zero point (args[2]).
template <typename OpTy, typename Adaptor>
Value buildQuantizationGeneric(OpBuilder &b, OpTy op, Adaptor adaptor,
                               RankedTensorType type, Type elementType,
                               GenericBodyFn body) {
  int64_t rank = type.getRank();
  MLIRContext *ctx = op.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap scaleMap = getScaleMap(op, rank);
  Value scale = adaptor.getScale(), zeroPoint = adaptor.getZeroPoint();
  // One block over the whole axis (per-token activations): the scale's
  // unit dimension is dropped, and its map is a projection (which
  // vectorizes) rather than a division.
  if (op.getBlockSize() &&
      *op.getBlockSize() >= type.getDimSize(*op.getAxis())) {
    int64_t axis = *op.getAxis();
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      shape.push_back(type.getDimSize(d));
      exprs.push_back(getAffineDimExpr(d, ctx));
    }
    scaleMap = AffineMap::get(rank, 0, exprs, ctx);
    scale = reshapeTo(b, op.getLoc(), scale, shape);
    if (zeroPoint)
      zeroPoint = reshapeTo(b, op.getLoc(), zeroPoint, shape);
  }
  SmallVector<Value> inputs = {adaptor.getInput(), scale};
  SmallVector<AffineMap> maps = {identity, scaleMap};
  if (zeroPoint) {
    inputs.push_back(zeroPoint);
    maps.push_back(scaleMap);
  }
  maps.push_back(identity);
  Value init = createEmpty(
      b, op.getLoc(), tensor::getMixedSizes(b, op.getLoc(), adaptor.getInput()),
      elementType);
  return buildGeneric(b, op.getLoc(), inputs, init, maps,
                      SmallVector<utils::IteratorType>(
                          rank, utils::IteratorType::parallel),
                      body)
      .front();
}

struct QuantizeOpLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Dynamic dimensions other than the quantization axis are read from the
    // input (supportsDynamicShapes).
    auto type = cast<RankedTensorType>(op.getType());
    Type originalInt = type.getElementType();
    Type intType = toSignless(originalInt);
    auto [lowest, highest] = getQuantizedRange(cast<IntegerType>(originalInt));
    double low = lowest, high = highest;
    Type computeType = getComputeType(op.getInput().getType().getElementType());
    bool hasZeroPoint = static_cast<bool>(adaptor.getZeroPoint());
    Value result = buildQuantizationGeneric(
        rewriter, op, adaptor, type, intType,
        [&](OpBuilder &b, Location l, ValueRange args) -> SmallVector<Value> {
          Value x = extendTo(b, l, args[0], computeType);
          Value scale = extendTo(b, l, args[1], computeType);
          Value v = math::RoundEvenOp::create(
              b, l, arith::DivFOp::create(b, l, x, scale));
          if (hasZeroPoint)
            v = arith::AddFOp::create(
                b, l, v, intToFloat(b, l, args[2], originalInt, computeType));
          // Saturate; NaN becomes the lowest value (maxnum drops it).
          v = arith::MaxNumFOp::create(b, l, v,
                                       createScalar(b, l, computeType, low));
          v = arith::MinNumFOp::create(b, l, v,
                                       createScalar(b, l, computeType, high));
          Value wide = arith::FPToSIOp::create(b, l, b.getI32Type(), v);
          return {arith::TruncIOp::create(b, l, intType, wide)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeOpLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type floatType = type.getElementType();
    Type computeType = getComputeType(floatType);
    Type originalInt = op.getInput().getType().getElementType();
    bool hasZeroPoint = static_cast<bool>(adaptor.getZeroPoint());
    Value result = buildQuantizationGeneric(
        rewriter, op, adaptor, type, floatType,
        [&](OpBuilder &b, Location l, ValueRange args) -> SmallVector<Value> {
          Value v = intToFloat(b, l, args[0], originalInt, computeType);
          if (hasZeroPoint)
            v = arith::SubFOp::create(
                b, l, v, intToFloat(b, l, args[2], originalInt, computeType));
          v = arith::MulFOp::create(b, l, v,
                                    extendTo(b, l, args[1], computeType));
          if (floatType != computeType)
            v = arith::TruncFOp::create(b, l, floatType, v);
          return {v};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::tfm::populateQuantizationToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeOpLowering, DequantizeOpLowering>(converter,
                                                         patterns.getContext());
}
