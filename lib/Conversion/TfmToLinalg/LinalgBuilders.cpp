//===- LinalgBuilders.cpp - building blocks of the tfm-to-linalg patterns -===//

#include "LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

Type lowering::toSignless(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type)) {
    // 4-bit values live one per byte (their 8-bit extension).
    if (intType.getWidth() == 4)
      return IntegerType::get(type.getContext(), 8);
    return intType.isSignless()
               ? type
               : IntegerType::get(type.getContext(), intType.getWidth());
  }
  if (auto tensorType = dyn_cast<RankedTensorType>(type))
    return tensorType.clone(toSignless(tensorType.getElementType()));
  return type;
}

FailureOr<RankedTensorType>
lowering::getStaticResultType(Operation *op, PatternRewriter &rewriter) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  for (Value operand : op->getOperands())
    if (auto operandType = dyn_cast<RankedTensorType>(operand.getType());
        operandType && !operandType.hasStaticShape())
      return rewriter.notifyMatchFailure(
          op, "dynamic operand shapes reach code generation");
  if (!type.hasStaticShape())
    return rewriter.notifyMatchFailure(
        op, "dynamic result shapes reach code generation");
  return type;
}

Value lowering::extendTo(OpBuilder &b, Location loc, Value x, Type type) {
  if (x.getType() == type)
    return x;
  return arith::ExtFOp::create(b, loc, type, x);
}

Value lowering::createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                            Type elementType) {
  assert(!ShapedType::isDynamicShape(shape) && "dynamic sizes need values");
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

Value lowering::createEmpty(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> sizes, Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

Value lowering::createFilled(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> shape, Value value) {
  Value empty = createEmpty(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value lowering::createFilled(OpBuilder &b, Location loc,
                             ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = createEmpty(b, loc, sizes, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

SmallVector<OpFoldResult> lowering::getBroadcastSizes(OpBuilder &b,
                                                      Location loc,
                                                      ArrayRef<int64_t> shape,
                                                      ValueRange operands) {
  int64_t rank = static_cast<int64_t>(shape.size());
  SmallVector<OpFoldResult> sizes;
  for (auto [i, size] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(size)) {
      sizes.push_back(b.getIndexAttr(size));
      continue;
    }
    Value dim;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t j = static_cast<int64_t>(i) - (rank - type.getRank());
      if (j >= 0 && type.isDynamicDim(j)) {
        dim = tensor::DimOp::create(b, loc, operand, j);
        break;
      }
    }
    assert(dim && "a dynamic loop dimension that no operand has");
    sizes.push_back(dim);
  }
  return sizes;
}

Value lowering::createScalar(OpBuilder &b, Location loc, Type type,
                             double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowering::buildMinMax(OpBuilder &b, Location loc, Value lhs, Value rhs,
                            bool isMax, bool isUnsigned) {
  if (isa<FloatType>(lhs.getType()))
    return isMax ? Value(arith::MaximumFOp::create(b, loc, lhs, rhs))
                 : Value(arith::MinimumFOp::create(b, loc, lhs, rhs));
  if (isUnsigned)
    return isMax ? Value(arith::MaxUIOp::create(b, loc, lhs, rhs))
                 : Value(arith::MinUIOp::create(b, loc, lhs, rhs));
  return isMax ? Value(arith::MaxSIOp::create(b, loc, lhs, rhs))
               : Value(arith::MinSIOp::create(b, loc, lhs, rhs));
}

TypedAttr lowering::getLowestValue(Type type, Type originalType) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return FloatAttr::get(floatType,
                          APFloat::getInf(floatType.getFloatSemantics(),
                                          /*Negative=*/true));
  unsigned width = type.getIntOrFloatBitWidth();
  if (isUnsignedInteger(originalType) || width == 1)
    return IntegerAttr::get(type, APInt::getZero(width));
  return IntegerAttr::get(type, APInt::getSignedMinValue(width));
}

TypedAttr lowering::getHighestValue(Type type, Type originalType) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return FloatAttr::get(floatType,
                          APFloat::getInf(floatType.getFloatSemantics()));
  unsigned width = type.getIntOrFloatBitWidth();
  if (isUnsignedInteger(originalType) || width == 1)
    return IntegerAttr::get(type, APInt::getMaxValue(width));
  return IntegerAttr::get(type, APInt::getSignedMaxValue(width));
}

/// Groups the dimensions of a rank-`rank` shape so that every dimension in
/// `dropped` joins a kept neighbour: the reassociation of a collapse_shape
/// that removes the dropped (unit) dimensions.
static SmallVector<ReassociationIndices>
getDropReassociation(int64_t rank, ArrayRef<bool> dropped) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t i = 0; i < rank; ++i) {
    pending.push_back(i);
    if (!dropped[i]) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty() && !groups.empty())
    groups.back().append(pending.begin(), pending.end());
  return groups;
}

BroadcastOperand lowering::broadcastOperand(OpBuilder &b, Location loc,
                                            Value operand,
                                            ArrayRef<int64_t> loopShape) {
  auto type = cast<RankedTensorType>(operand.getType());
  int64_t rank = type.getRank();
  int64_t offset = static_cast<int64_t>(loopShape.size()) - rank;
  SmallVector<bool> dropped(rank, false);
  SmallVector<AffineExpr> exprs;
  SmallVector<int64_t> keptShape;
  bool anyDropped = false;
  for (int64_t i = 0; i < rank; ++i) {
    if (type.getDimSize(i) == 1 && loopShape[offset + i] != 1) {
      dropped[i] = anyDropped = true;
      continue;
    }
    exprs.push_back(b.getAffineDimExpr(offset + i));
    keptShape.push_back(type.getDimSize(i));
  }
  Value value = operand;
  if (anyDropped)
    value =
        tensor::CollapseShapeOp::create(b, loc, type.clone(keptShape), operand,
                                        getDropReassociation(rank, dropped));
  return {value, AffineMap::get(loopShape.size(), 0, exprs, b.getContext())};
}

AffineMap lowering::getDropDimsMap(MLIRContext *ctx, int64_t numDims,
                                   ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < numDims; ++i)
    if (!llvm::is_contained(dropped, i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(numDims, 0, exprs, ctx);
}

Value lowering::extractStaticSlice(OpBuilder &b, Location loc, Value source,
                                   ArrayRef<int64_t> offsets,
                                   ArrayRef<int64_t> sizes) {
  MLIRContext *ctx = b.getContext();
  return tensor::ExtractSliceOp::create(
      b, loc, source, getAsIndexOpFoldResult(ctx, offsets),
      getAsIndexOpFoldResult(ctx, sizes),
      getAsIndexOpFoldResult(ctx, SmallVector<int64_t>(sizes.size(), 1)));
}

bool lowering::isViewReshape(RankedTensorType type, ArrayRef<int64_t> shape) {
  if (type.getShape() == shape)
    return true;
  auto target = type.clone(shape);
  if (type.getRank() == target.getRank())
    return false;
  bool expands = type.getRank() < target.getRank();
  auto groups = getReassociationIndicesForReshape(type, target);
  if (!groups)
    return false;
  if (!expands)
    return true;
  return llvm::all_of(*groups, [&](const ReassociationIndices &group) {
    return llvm::count_if(
               group, [&](int64_t i) { return target.isDynamicDim(i); }) <= 1;
  });
}

Value lowering::reshapeTo(OpBuilder &b, Location loc, Value value,
                          ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto target = type.clone(shape);
  if (type.getRank() > target.getRank()) {
    if (auto groups = getReassociationIndicesForReshape(type, target))
      return tensor::CollapseShapeOp::create(b, loc, target, value, *groups);
  } else if (type.getRank() < target.getRank()) {
    if (auto groups = getReassociationIndicesForReshape(type, target))
      return tensor::ExpandShapeOp::create(b, loc, target, value, *groups);
  }
  // Through a flat vector: every row-major reshape is a collapse followed by
  // an expand.
  assert(type.hasStaticShape() && target.hasStaticShape() &&
         "a dynamic reshape that is not one collapse or expand");
  int64_t numElements = type.getNumElements();
  auto flatType = type.clone({numElements});
  Value flat;
  if (type.getRank() == 0) {
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, value,
                                         ArrayRef<ReassociationIndices>{});
  } else {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
    flat = type.getRank() == 1 ? value
                               : tensor::CollapseShapeOp::create(
                                     b, loc, flatType, value,
                                     ArrayRef<ReassociationIndices>{all})
                                     .getResult();
  }
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (target.getRank() == 1)
    return flat;
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, target.getRank()));
  return tensor::ExpandShapeOp::create(b, loc, target, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

Value lowering::convertScalar(OpBuilder &b, Location loc, Value value,
                              Type srcOriginal, Type dstOriginal) {
  Type srcType = toSignless(srcOriginal);
  Type dstType = toSignless(dstOriginal);
  if (srcType == dstType)
    return value;
  auto srcFloat = dyn_cast<FloatType>(srcType);
  auto dstFloat = dyn_cast<FloatType>(dstType);
  if (srcFloat && dstFloat) {
    if (srcFloat.getWidth() == dstFloat.getWidth()) {
      // f16 <-> bf16: through f32, which holds both exactly.
      Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
      return arith::TruncFOp::create(b, loc, dstType, wide);
    }
    if (srcFloat.getWidth() < dstFloat.getWidth())
      return arith::ExtFOp::create(b, loc, dstType, value);
    return arith::TruncFOp::create(b, loc, dstType, value);
  }
  if (srcFloat) {
    if (dstType.isInteger(1)) {
      Value zero = createScalar(b, loc, srcType, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    }
    if (isUnsignedInteger(dstOriginal))
      return arith::FPToUIOp::create(b, loc, dstType, value);
    return arith::FPToSIOp::create(b, loc, dstType, value);
  }
  bool srcUnsigned = isUnsignedInteger(srcOriginal) || srcType.isInteger(1);
  if (dstFloat) {
    if (srcUnsigned)
      return arith::UIToFPOp::create(b, loc, dstType, value);
    return arith::SIToFPOp::create(b, loc, dstType, value);
  }
  if (dstType.isInteger(1)) {
    Value zero = createScalar(b, loc, srcType, 0.0);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  }
  unsigned srcWidth = srcType.getIntOrFloatBitWidth();
  unsigned dstWidth = dstType.getIntOrFloatBitWidth();
  if (srcWidth == dstWidth)
    return value;
  if (srcWidth > dstWidth)
    return arith::TruncIOp::create(b, loc, dstType, value);
  if (srcUnsigned)
    return arith::ExtUIOp::create(b, loc, dstType, value);
  return arith::ExtSIOp::create(b, loc, dstType, value);
}

SmallVector<Value>
lowering::buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                       ValueRange outputs, ArrayRef<AffineMap> maps,
                       ArrayRef<utils::IteratorType> iterators,
                       GenericBodyFn body) {
  SmallVector<Type> resultTypes = llvm::to_vector(outputs.getTypes());
  auto generic = linalg::GenericOp::create(
      b, loc, resultTypes, inputs, outputs, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return SmallVector<Value>(generic.getResults());
}

Value lowering::buildElementwise(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type resultElementType,
    ValueRange operands,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    BroadcastOperand access = broadcastOperand(b, loc, operand, shape);
    inputs.push_back(access.value);
    maps.push_back(access.map);
  }
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  Value init = createEmpty(b, loc, getBroadcastSizes(b, loc, shape, operands),
                           resultElementType);
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  return buildGeneric(b, loc, inputs, init, maps, iterators,
                      [&](OpBuilder &nested, Location nestedLoc,
                          ValueRange args) -> SmallVector<Value> {
                        return {body(nested, nestedLoc, args.drop_back())};
                      })
      .front();
}

Value lowering::buildSigmoid(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value one = createScalar(b, loc, type, 1.0);
  Value negExp = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, negExp));
}

Value lowering::buildGelu(OpBuilder &b, Location loc, Value x,
                          GeluApproximation approximation) {
  Type type = x.getType();
  Value half = createScalar(b, loc, type, 0.5);
  Value one = createScalar(b, loc, type, 1.0);
  Value inner;
  if (approximation == GeluApproximation::tanh) {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    Value cubic =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x,
        arith::MulFOp::create(b, loc, createScalar(b, loc, type, 0.044715),
                              cubic));
    Value scaled = arith::MulFOp::create(
        b, loc, createScalar(b, loc, type, std::sqrt(2.0 / M_PI)), poly);
    inner = math::TanhOp::create(b, loc, scaled);
  } else {
    // 0.5 x (1 + erf(x / sqrt(2)))
    Value scaled = arith::MulFOp::create(
        b, loc, x, createScalar(b, loc, type, 1.0 / std::sqrt(2.0)));
    inner = math::ErfOp::create(b, loc, scaled);
  }
  return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, half, x),
                               arith::AddFOp::create(b, loc, one, inner));
}

Value lowering::buildActivation(OpBuilder &b, Location loc, Value x,
                                Activation activation) {
  switch (activation) {
  case Activation::relu:
    return arith::MaximumFOp::create(b, loc, x,
                                     createScalar(b, loc, x.getType(), 0));
  case Activation::gelu:
    return buildGelu(b, loc, x, GeluApproximation::none);
  case Activation::gelu_tanh:
    return buildGelu(b, loc, x, GeluApproximation::tanh);
  case Activation::silu:
    return arith::MulFOp::create(b, loc, x, buildSigmoid(b, loc, x));
  }
  llvm_unreachable("unknown activation");
}

Value lowering::buildLinearEpilogue(OpBuilder &b, Location loc, Value result,
                                    std::optional<Activation> activation,
                                    Value residual, int64_t m, int64_t n) {
  if (!activation && !residual)
    return result;
  Type accType = cast<RankedTensorType>(result.getType()).getElementType();
  SmallVector<Value> operands = {result};
  if (residual)
    operands.push_back(reshapeTo(b, loc, residual, {m, n}));
  return buildElementwise(b, loc, {m, n}, accType, operands,
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            Value v = args[0];
                            if (activation)
                              v = buildActivation(nb, l, v, *activation);
                            if (residual)
                              v = arith::AddFOp::create(
                                  nb, l, v, extendTo(nb, l, args[1], accType));
                            return v;
                          });
}
