//===- Elementwise.cpp - elementwise tfm ops to linalg.generic ------------===//
//
// Every elementwise op becomes one all-parallel linalg.generic whose operands
// broadcast through their indexing maps; later elementwise fusion merges
// chains of them. Transcendental functions on f16/bf16 compute in f32.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

//===----------------------------------------------------------------------===//
// Scalar bodies
//===----------------------------------------------------------------------===//

/// Applies `fn` in the compute type of `type` (f32 for f16/bf16).
static Value computeWidened(OpBuilder &b, Location loc, Value x,
                            function_ref<Value(Value)> fn) {
  Type type = x.getType();
  if (!isNarrowFloat(type))
    return fn(x);
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
  return arith::TruncFOp::create(b, loc, type, fn(wide));
}

/// A math op applied in the compute type of `x`.
template <typename MathOp>
static Value widenedMath(OpBuilder &b, Location loc, Value x) {
  return computeWidened(
      b, loc, x, [&](Value v) -> Value { return MathOp::create(b, loc, v); });
}

/// An integer divisor that never traps on zero: 0 reads as 1.
static Value guardZeroDivisor(OpBuilder &b, Location loc, Value rhs) {
  Type type = rhs.getType();
  Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs,
                                       createScalar(b, loc, type, 0));
  return arith::SelectOp::create(b, loc, isZero, createScalar(b, loc, type, 1),
                                 rhs);
}

/// Integer division that never traps: a zero divisor reads as 1, and so
/// does -1 under the most negative dividend (whose quotient wraps to itself).
static Value buildIntegerDivision(OpBuilder &b, Location loc, Value lhs,
                                  Value rhs, bool isUnsigned) {
  Type type = lhs.getType();
  Value one = createScalar(b, loc, type, 1);
  Value divisor = guardZeroDivisor(b, loc, rhs);
  if (isUnsigned)
    return arith::DivUIOp::create(b, loc, lhs, divisor);
  unsigned width = type.getIntOrFloatBitWidth();
  Value minValue = arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
  Value minusOne = createScalar(b, loc, type, -1);
  Value overflows = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, minValue),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, divisor,
                            minusOne));
  divisor = arith::SelectOp::create(b, loc, overflows, one, divisor);
  return arith::DivSIOp::create(b, loc, lhs, divisor);
}

/// `lhs % rhs` truncated (sign of `lhs`), or with `floored` the sign of
/// `rhs`; integer remainders by zero are 0, and the signed minimum by -1
/// (which overflows in hardware) is 0 as it is mathematically.
static Value buildRemainder(OpBuilder &b, Location loc, Value lhs, Value rhs,
                            bool isUnsigned, bool floored) {
  Type type = lhs.getType();
  Value zero = createScalar(b, loc, type, 0);
  Value remainder;
  if (isa<FloatType>(type)) {
    remainder = arith::RemFOp::create(b, loc, lhs, rhs);
  } else {
    Value one = createScalar(b, loc, type, 1);
    Value divisor = guardZeroDivisor(b, loc, rhs);
    if (isUnsigned)
      return arith::RemUIOp::create(b, loc, lhs, divisor);
    // x rem -1 is 0: divide by 1 instead (the minimum's rem -1 traps).
    Value minusOne = createScalar(b, loc, type, -1);
    Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                             divisor, minusOne);
    divisor = arith::SelectOp::create(b, loc, isMinusOne, one, divisor);
    remainder = arith::RemSIOp::create(b, loc, lhs, divisor);
    rhs = divisor;
  }
  if (!floored || isUnsigned)
    return remainder;
  // A nonzero remainder whose sign differs from the divisor's moves by it.
  bool isFloat = isa<FloatType>(type);
  auto lessThanZero = [&](Value v) -> Value {
    if (isFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
  };
  Value nonzero = isFloat
                      ? arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE,
                                              remainder, zero)
                            .getResult()
                      : arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                              remainder, zero)
                            .getResult();
  Value signsDiffer =
      arith::XOrIOp::create(b, loc, lessThanZero(remainder), lessThanZero(rhs));
  Value adjust = arith::AndIOp::create(b, loc, nonzero, signsDiffer);
  Value moved = isFloat
                    ? arith::AddFOp::create(b, loc, remainder, rhs).getResult()
                    : arith::AddIOp::create(b, loc, remainder, rhs).getResult();
  return arith::SelectOp::create(b, loc, adjust, moved, remainder);
}

/// Ordered comparisons, except `ne`, which is true for NaN.
static arith::CmpFPredicate getFloatPredicate(ComparisonPredicate predicate) {
  switch (predicate) {
  case ComparisonPredicate::eq:
    return arith::CmpFPredicate::OEQ;
  case ComparisonPredicate::ne:
    return arith::CmpFPredicate::UNE;
  case ComparisonPredicate::lt:
    return arith::CmpFPredicate::OLT;
  case ComparisonPredicate::le:
    return arith::CmpFPredicate::OLE;
  case ComparisonPredicate::gt:
    return arith::CmpFPredicate::OGT;
  case ComparisonPredicate::ge:
    return arith::CmpFPredicate::OGE;
  }
  llvm_unreachable("unknown comparison");
}

static arith::CmpIPredicate getIntegerPredicate(ComparisonPredicate predicate,
                                                bool isUnsigned) {
  using P = arith::CmpIPredicate;
  switch (predicate) {
  case ComparisonPredicate::eq:
    return P::eq;
  case ComparisonPredicate::ne:
    return P::ne;
  case ComparisonPredicate::lt:
    return isUnsigned ? P::ult : P::slt;
  case ComparisonPredicate::le:
    return isUnsigned ? P::ule : P::sle;
  case ComparisonPredicate::gt:
    return isUnsigned ? P::ugt : P::sgt;
  case ComparisonPredicate::ge:
    return isUnsigned ? P::uge : P::sge;
  }
  llvm_unreachable("unknown comparison");
}

/// lhs shifted by rhs bits; a shift by the width or more (rhs compared as
/// unsigned, so negative ones too), which arith leaves undefined, gives 0,
/// or the sign for an arithmetic right shift.
static Value buildShift(OpBuilder &b, Location loc, Value lhs, Value rhs,
                        bool left, bool isUnsigned) {
  unsigned width = lhs.getType().getIntOrFloatBitWidth();
  Value widthValue =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(lhs.getType(), width));
  Value tooFar =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, rhs, widthValue);
  if (left || isUnsigned) {
    Value shifted = left ? arith::ShLIOp::create(b, loc, lhs, rhs).getResult()
                         : arith::ShRUIOp::create(b, loc, lhs, rhs).getResult();
    Value zero =
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(lhs.getType(), 0));
    return arith::SelectOp::create(b, loc, tooFar, zero, shifted);
  }
  Value last = arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(lhs.getType(), width - 1));
  Value amount = arith::SelectOp::create(b, loc, tooFar, last, rhs);
  return arith::ShRSIOp::create(b, loc, lhs, amount);
}

static Value buildBinary(Operation *op, OpBuilder &b, Location loc,
                         Type originalType, Value lhs, Value rhs) {
  bool isFloat = isa<FloatType>(lhs.getType());
  bool isUnsigned = isUnsignedInteger(originalType);
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](AddOp) -> Value {
        if (isFloat)
          return arith::AddFOp::create(b, loc, lhs, rhs);
        return arith::AddIOp::create(b, loc, lhs, rhs);
      })
      .Case([&](SubOp) -> Value {
        if (isFloat)
          return arith::SubFOp::create(b, loc, lhs, rhs);
        return arith::SubIOp::create(b, loc, lhs, rhs);
      })
      .Case([&](MulOp) -> Value {
        if (isFloat)
          return arith::MulFOp::create(b, loc, lhs, rhs);
        return arith::MulIOp::create(b, loc, lhs, rhs);
      })
      .Case([&](DivOp) -> Value {
        if (isFloat)
          return arith::DivFOp::create(b, loc, lhs, rhs);
        return buildIntegerDivision(b, loc, lhs, rhs, isUnsigned);
      })
      .Case([&](RemOp) -> Value {
        return buildRemainder(b, loc, lhs, rhs, isUnsigned, /*floored=*/false);
      })
      .Case([&](ModOp) -> Value {
        return buildRemainder(b, loc, lhs, rhs, isUnsigned, /*floored=*/true);
      })
      .Case([&](PowOp) -> Value {
        if (isFloat)
          return computeWidened(b, loc, lhs, [&](Value x) -> Value {
            return math::PowFOp::create(b, loc, x,
                                        extendTo(b, loc, rhs, x.getType()));
          });
        return math::IPowIOp::create(b, loc, lhs, rhs);
      })
      .Case([&](MaxOp) -> Value {
        return buildMinMax(b, loc, lhs, rhs, /*isMax=*/true, isUnsigned);
      })
      .Case([&](MinOp) -> Value {
        return buildMinMax(b, loc, lhs, rhs, /*isMax=*/false, isUnsigned);
      })
      .Case([&](ShlOp) -> Value {
        return buildShift(b, loc, lhs, rhs, true, false);
      })
      .Case([&](ShrOp) -> Value {
        return buildShift(b, loc, lhs, rhs, false, isUnsigned);
      })
      .Case([&](AndOp) -> Value {
        return arith::AndIOp::create(b, loc, lhs, rhs);
      })
      .Case(
          [&](OrOp) -> Value { return arith::OrIOp::create(b, loc, lhs, rhs); })
      .Case([&](XorOp) -> Value {
        return arith::XOrIOp::create(b, loc, lhs, rhs);
      })
      .Case([&](CompareOp compare) -> Value {
        if (isFloat)
          return arith::CmpFOp::create(
              b, loc, getFloatPredicate(compare.getPredicate()), lhs, rhs);
        bool asUnsigned = isUnsigned || lhs.getType().isInteger(1);
        return arith::CmpIOp::create(
            b, loc, getIntegerPredicate(compare.getPredicate(), asUnsigned),
            lhs, rhs);
      });
}

static Value buildUnary(Operation *op, OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  bool isFloat = isa<FloatType>(type);
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](NegOp) -> Value {
        if (isFloat)
          return arith::NegFOp::create(b, loc, x);
        return arith::SubIOp::create(b, loc, createScalar(b, loc, type, 0), x);
      })
      .Case([&](ReluOp) -> Value {
        if (isFloat)
          return arith::MaximumFOp::create(b, loc, x,
                                           createScalar(b, loc, type, 0));
        return arith::MaxSIOp::create(b, loc, x, createScalar(b, loc, type, 0));
      })
      .Case([&](AbsOp) -> Value {
        if (isFloat)
          return math::AbsFOp::create(b, loc, x);
        return math::AbsIOp::create(b, loc, x);
      })
      .Case([&](NotOp) -> Value {
        return arith::XOrIOp::create(b, loc, x, createScalar(b, loc, type, 1));
      })
      .Case([&](FloorOp) -> Value { return math::FloorOp::create(b, loc, x); })
      .Case([&](CeilOp) -> Value { return math::CeilOp::create(b, loc, x); })
      .Case([&](RoundOp) -> Value {
        return math::RoundEvenOp::create(b, loc, x);
      })
      .Case([&](SinOp) { return widenedMath<math::SinOp>(b, loc, x); })
      .Case([&](CosOp) { return widenedMath<math::CosOp>(b, loc, x); })
      .Case([&](TanOp) { return widenedMath<math::TanOp>(b, loc, x); })
      .Case([&](AsinOp) { return widenedMath<math::AsinOp>(b, loc, x); })
      .Case([&](AcosOp) { return widenedMath<math::AcosOp>(b, loc, x); })
      .Case([&](AtanOp) { return widenedMath<math::AtanOp>(b, loc, x); })
      .Case([&](SinhOp) { return widenedMath<math::SinhOp>(b, loc, x); })
      .Case([&](CoshOp) { return widenedMath<math::CoshOp>(b, loc, x); })
      .Case([&](AsinhOp) { return widenedMath<math::AsinhOp>(b, loc, x); })
      .Case([&](AcoshOp) { return widenedMath<math::AcoshOp>(b, loc, x); })
      .Case([&](AtanhOp) { return widenedMath<math::AtanhOp>(b, loc, x); })
      .Case([&](ExpOp) { return widenedMath<math::ExpOp>(b, loc, x); })
      .Case([&](LogOp) { return widenedMath<math::LogOp>(b, loc, x); })
      .Case([&](SqrtOp) { return widenedMath<math::SqrtOp>(b, loc, x); })
      .Case([&](RsqrtOp) { return widenedMath<math::RsqrtOp>(b, loc, x); })
      .Case([&](TanhOp) { return widenedMath<math::TanhOp>(b, loc, x); })
      .Case([&](ErfOp) { return widenedMath<math::ErfOp>(b, loc, x); })
      .Case([&](SigmoidOp) {
        return computeWidened(b, loc, x,
                              [&](Value v) { return buildSigmoid(b, loc, v); });
      })
      .Case([&](SiluOp) {
        return computeWidened(b, loc, x, [&](Value v) -> Value {
          return arith::MulFOp::create(b, loc, v, buildSigmoid(b, loc, v));
        });
      })
      .Case([&](GeluOp gelu) {
        return computeWidened(b, loc, x, [&](Value v) {
          return buildGelu(b, loc, v, gelu.getApproximate());
        });
      });
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

template <typename OpTy> struct BinaryOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type originalType = getElementTypeOrSelf(op.getLhs().getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type.getShape(),
        toSignless(type.getElementType()), {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildBinary(op, b, loc, originalType, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OpTy> struct UnaryOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type.getShape(),
        toSignless(type.getElementType()), {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildUnary(op, b, loc, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// swiglu: the gate and up halves as slices of the input, read by one
/// elementwise loop (the slices stay views after bufferization).
struct SwigluOpLowering : OpConversionPattern<SwigluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SwigluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = type.getRank();
    int64_t half = type.getShape().back();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    sizes.back() = rewriter.getIndexAttr(half);
    auto halfAt = [&](int64_t start) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets.back() = rewriter.getIndexAttr(start);
      return tensor::ExtractSliceOp::create(
          rewriter, loc, input, offsets, sizes,
          SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(1)));
    };
    Value gate = halfAt(0), up = halfAt(half);
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    Value result = buildElementwise(
        rewriter, loc, type.getShape(), elementType, ValueRange{gate, up},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value g = extendTo(b, l, args[0], computeType);
          Value u = extendTo(b, l, args[1], computeType);
          Value y = arith::MulFOp::create(
              b, l, arith::MulFOp::create(b, l, g, buildSigmoid(b, l, g)), u);
          if (computeType != elementType)
            y = arith::TruncFOp::create(b, l, elementType, y);
          return y;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `pow` by a constant exponent that is a small integer or +-1/2 becomes
/// multiplications or a square root: exact for negative bases, where
/// exp(y log x) is not, and far cheaper than a call to powf.
struct PowByConstantLowering : OpConversionPattern<PowOp> {
  PowByConstantLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern<PowOp>(converter, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(PowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()) || op.getLhs().getType() != type)
      return rewriter.notifyMatchFailure(op, "not a float power of the base");
    DenseFPElementsAttr exponentAttr;
    if (!matchPattern(op.getRhs(), m_Constant(&exponentAttr)) ||
        !exponentAttr.isSplat())
      return rewriter.notifyMatchFailure(op, "exponent is not a constant");
    double exponent = exponentAttr.getSplatValue<APFloat>().convertToDouble();
    static constexpr double kSupported[] = {-1.0, -0.5, 0.0, 0.5,
                                            1.0,  2.0,  3.0, 4.0};
    if (!llvm::is_contained(kSupported, exponent))
      return rewriter.notifyMatchFailure(op, "no cheaper form of exponent");
    Value result = buildElementwise(
        rewriter, op.getLoc(), type.getShape(), type.getElementType(),
        {adaptor.getLhs()}, [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0];
          Type elementType = x.getType();
          if (exponent == 0.0)
            return createScalar(b, loc, elementType, 1.0);
          if (exponent == 1.0)
            return x;
          if (exponent == 0.5)
            return widenedMath<math::SqrtOp>(b, loc, x);
          if (exponent == -0.5)
            return widenedMath<math::RsqrtOp>(b, loc, x);
          if (exponent == -1.0)
            return Value(arith::DivFOp::create(
                b, loc, createScalar(b, loc, elementType, 1.0), x));
          Value square = arith::MulFOp::create(b, loc, x, x);
          if (exponent == 2.0)
            return square;
          if (exponent == 3.0)
            return Value(arith::MulFOp::create(b, loc, square, x));
          return Value(arith::MulFOp::create(b, loc, square, square));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CastOpLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type srcType = getElementTypeOrSelf(op.getInput().getType());
    Type dstType = type.getElementType();
    Value result = buildElementwise(
        rewriter, op.getLoc(), type.getShape(), toSignless(dstType),
        {adaptor.getInput()}, [&](OpBuilder &b, Location loc, ValueRange args) {
          return convertScalar(b, loc, args[0], srcType, dstType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct WhereOpLowering : OpConversionPattern<WhereOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(WhereOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type.getShape(),
        toSignless(type.getElementType()),
        {adaptor.getCondition(), adaptor.getTrueValue(),
         adaptor.getFalseValue()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Splats with more elements than this are filled at run time rather than
/// stored: a `ConstantOfShape` of 2^40 elements is one value, never a
/// 4 TiB weight.
constexpr int64_t kMaxStoredSplatElements = 1024;

/// Literals and weights become arith.constant with signless element types;
/// weights keep their dense_resource blob, shared rather than copied. Large
/// splats become linalg.fill.
struct ConstantOpLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto signlessType = cast<RankedTensorType>(toSignless(type));
    TypedAttr value;
    if (type.getElementType().isInteger(4)) {
      // One byte per value, extended by the value's signedness.
      FailureOr<SmallVector<int64_t>> values = getConstantInts(op.getValue());
      if (failed(values))
        return rewriter.notifyMatchFailure(op, "4-bit constant without bytes");
      SmallVector<char> bytes = llvm::map_to_vector(
          *values, [](int64_t v) { return static_cast<char>(v); });
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          op, signlessType,
          cast<TypedAttr>(
              createConstantLike(op.getValue(), signlessType, ".i8", bytes)));
      return success();
    }
    auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
    if (dense && dense.isSplat() &&
        type.getNumElements() > kMaxStoredSplatElements) {
      Location loc = op.getLoc();
      Type elementType = signlessType.getElementType();
      Attribute element = dense.getSplatValue<Attribute>();
      if (auto integer = dyn_cast<IntegerAttr>(element))
        element = IntegerAttr::get(elementType, integer.getValue());
      Value scalar =
          arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(element));
      Value init =
          createEmpty(rewriter, loc, signlessType.getShape(), elementType);
      rewriter.replaceOp(
          op, linalg::FillOp::create(rewriter, loc, scalar, init).result());
      return success();
    }
    if (dense)
      value = type == signlessType
                  ? dense
                  : dense.bitcast(signlessType.getElementType());
    else if (auto resource = dyn_cast<DenseResourceElementsAttr>(op.getValue()))
      value =
          DenseResourceElementsAttr::get(signlessType, resource.getRawHandle());
    else
      return rewriter.notifyMatchFailure(op, "unsupported constant attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, signlessType, value);
    return success();
  }
};

} // namespace

void mlir::tfm::populateElementwiseToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      BinaryOpLowering<AddOp>, BinaryOpLowering<SubOp>, BinaryOpLowering<MulOp>,
      BinaryOpLowering<DivOp>, BinaryOpLowering<RemOp>, BinaryOpLowering<ModOp>,
      BinaryOpLowering<PowOp>, BinaryOpLowering<MaxOp>, BinaryOpLowering<MinOp>,
      BinaryOpLowering<AndOp>, BinaryOpLowering<OrOp>, BinaryOpLowering<XorOp>,
      BinaryOpLowering<ShlOp>, BinaryOpLowering<ShrOp>,
      BinaryOpLowering<CompareOp>>(converter, ctx);
  patterns.add<
      UnaryOpLowering<NegOp>, UnaryOpLowering<ReluOp>, UnaryOpLowering<AbsOp>,
      UnaryOpLowering<NotOp>, UnaryOpLowering<FloorOp>, UnaryOpLowering<CeilOp>,
      UnaryOpLowering<RoundOp>, UnaryOpLowering<SinOp>, UnaryOpLowering<CosOp>,
      UnaryOpLowering<TanOp>, UnaryOpLowering<AsinOp>, UnaryOpLowering<AcosOp>,
      UnaryOpLowering<AtanOp>, UnaryOpLowering<SinhOp>, UnaryOpLowering<CoshOp>,
      UnaryOpLowering<AsinhOp>, UnaryOpLowering<AcoshOp>,
      UnaryOpLowering<AtanhOp>, UnaryOpLowering<ExpOp>, UnaryOpLowering<LogOp>,
      UnaryOpLowering<SqrtOp>, UnaryOpLowering<RsqrtOp>,
      UnaryOpLowering<TanhOp>, UnaryOpLowering<ErfOp>,
      UnaryOpLowering<SigmoidOp>, UnaryOpLowering<SiluOp>, SwigluOpLowering,
      UnaryOpLowering<GeluOp>>(converter, ctx);
  patterns.add<PowByConstantLowering, CastOpLowering, WhereOpLowering,
               ConstantOpLowering>(converter, ctx);
}
