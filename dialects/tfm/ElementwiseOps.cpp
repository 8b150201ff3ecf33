//===- ElementwiseOps.cpp - binary, unary, cast and where -----------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "ConstantFolding.h"
#include "TypeRules.h"

#include "llvm/ADT/APSInt.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;
using llvm::APFloat;
using llvm::APInt;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// True when `attr` is a splat constant equal to `value`.
static bool isSplatOf(Attribute attr, int64_t value) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (auto floatType = dyn_cast<FloatType>(dense.getElementType())) {
    APFloat expected(static_cast<double>(value));
    bool losesInfo;
    expected.convert(floatType.getFloatSemantics(),
                     APFloat::rmNearestTiesToEven, &losesInfo);
    return dense.getSplatValue<APFloat>().compare(expected) ==
           APFloat::cmpEqual;
  }
  APInt splat = dense.getSplatValue<APInt>();
  return splat == APInt(splat.getBitWidth(), value, /*isSigned=*/true);
}

/// `x` when it already has the op's result type (broadcasting did not grow
/// it), else null.
static OpFoldResult keepIfSameType(Value x, Type resultType) {
  return x.getType() == resultType ? OpFoldResult(x) : OpFoldResult();
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    if (OpFoldResult r = keepIfSameType(getLhs(), getType()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 0))
    if (OpFoldResult r = keepIfSameType(getRhs(), getType()))
      return r;
  auto onFloats = [](ArrayRef<APFloat> a) { return a[0] + a[1]; };
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0] + a[1];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    if (OpFoldResult r = keepIfSameType(getLhs(), getType()))
      return r;
  auto onFloats = [](ArrayRef<APFloat> a) { return a[0] - a[1]; };
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0] - a[1];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = keepIfSameType(getLhs(), getType()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 1))
    if (OpFoldResult r = keepIfSameType(getRhs(), getType()))
      return r;
  auto onFloats = [](ArrayRef<APFloat> a) { return a[0] * a[1]; };
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0] * a[1];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = keepIfSameType(getLhs(), getType()))
      return r;
  auto onFloats = [](ArrayRef<APFloat> a) { return a[0] / a[1]; };
  auto onInts = [](ArrayRef<APInt> a, bool isUnsigned) -> std::optional<APInt> {
    if (a[1].isZero())
      return std::nullopt;
    if (isUnsigned)
      return a[0].udiv(a[1]);
    if (a[0].isMinSignedValue() && a[1].isAllOnes())
      return std::nullopt; // Overflows: undefined.
    return a[0].sdiv(a[1]);
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

/// Integer remainder as tfm.rem (truncated) or tfm.mod (floored) define
/// it: by zero, and the signed minimum by -1, give 0.
static APInt integerRemainder(const APInt &lhs, const APInt &rhs,
                              bool isUnsigned, bool floored) {
  if (rhs.isZero() || (!isUnsigned && rhs.isAllOnes()))
    return APInt::getZero(lhs.getBitWidth());
  if (isUnsigned)
    return lhs.urem(rhs);
  APInt r = lhs.srem(rhs);
  if (floored && !r.isZero() && r.isNegative() != rhs.isNegative())
    r += rhs;
  return r;
}

static APFloat floatRemainder(const APFloat &lhs, const APFloat &rhs,
                              bool floored) {
  APFloat r = lhs;
  r.mod(rhs); // fmod: the sign of lhs.
  if (floored && !r.isZero() && !r.isNaN() &&
      r.isNegative() != rhs.isNegative())
    r.add(rhs, APFloat::rmNearestTiesToEven);
  return r;
}

OpFoldResult RemOp::fold(FoldAdaptor adaptor) {
  auto onFloats = [](ArrayRef<APFloat> a) {
    return floatRemainder(a[0], a[1], /*floored=*/false);
  };
  auto onInts = [](ArrayRef<APInt> a, bool isUnsigned) -> std::optional<APInt> {
    return integerRemainder(a[0], a[1], isUnsigned, /*floored=*/false);
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  auto onFloats = [](ArrayRef<APFloat> a) {
    return floatRemainder(a[0], a[1], /*floored=*/true);
  };
  auto onInts = [](ArrayRef<APInt> a, bool isUnsigned) -> std::optional<APInt> {
    return integerRemainder(a[0], a[1], isUnsigned, /*floored=*/true);
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = keepIfSameType(getLhs(), getType()))
      return r;
  auto onFloats = [](ArrayRef<APFloat> a) {
    bool losesInfo;
    APFloat base = a[0], exponent = a[1];
    base.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
    exponent.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                     &losesInfo);
    APFloat result(
        std::pow(base.convertToDouble(), exponent.convertToDouble()));
    result.convert(a[0].getSemantics(), APFloat::rmNearestTiesToEven,
                   &losesInfo);
    return result;
  };
  auto onInts = [](ArrayRef<APInt> a, bool isUnsigned) -> std::optional<APInt> {
    APInt base = a[0], exponent = a[1];
    unsigned width = base.getBitWidth();
    if (!isUnsigned && exponent.isNegative()) {
      if (base.isOne())
        return base;
      if (base.isAllOnes()) // -1 to a negative power: +1 for even, -1 for odd.
        return exponent[0] ? base : APInt(width, 1);
      return APInt(width, 0);
    }
    APInt result(width, 1);
    for (; !exponent.isZero(); exponent = exponent.lshr(1)) {
      if (exponent[0])
        result *= base;
      base *= base;
    }
    return result;
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  auto onFloats = [](ArrayRef<APFloat> a) { return llvm::maximum(a[0], a[1]); };
  auto onInts = [](ArrayRef<APInt> a, bool isUnsigned) -> std::optional<APInt> {
    return isUnsigned ? llvm::APIntOps::umax(a[0], a[1])
                      : llvm::APIntOps::smax(a[0], a[1]);
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  auto onFloats = [](ArrayRef<APFloat> a) { return llvm::minimum(a[0], a[1]); };
  auto onInts = [](ArrayRef<APInt> a, bool isUnsigned) -> std::optional<APInt> {
    return isUnsigned ? llvm::APIntOps::umin(a[0], a[1])
                      : llvm::APIntOps::smin(a[0], a[1]);
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0] & a[1];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {nullptr, onInts});
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0] | a[1];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {nullptr, onInts});
}

OpFoldResult XorOp::fold(FoldAdaptor adaptor) {
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0] ^ a[1];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {nullptr, onInts});
}

OpFoldResult ShlOp::fold(FoldAdaptor adaptor) {
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    unsigned width = a[0].getBitWidth();
    if (a[1].uge(width))
      return APInt(width, 0);
    return a[0].shl(a[1].getZExtValue());
  };
  return foldElementwise(adaptor.getOperands(), getType(), {nullptr, onInts});
}

OpFoldResult ShrOp::fold(FoldAdaptor adaptor) {
  auto onInts = [](ArrayRef<APInt> a, bool isUnsigned) -> std::optional<APInt> {
    unsigned width = a[0].getBitWidth();
    if (isUnsigned)
      return a[1].uge(width) ? APInt(width, 0) : a[0].lshr(a[1].getZExtValue());
    return a[0].ashr(a[1].uge(width) ? width - 1 : a[1].getZExtValue());
  };
  return foldElementwise(adaptor.getOperands(), getType(), {nullptr, onInts});
}

//===----------------------------------------------------------------------===//
// compare
//===----------------------------------------------------------------------===//

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  SmallVector<Type, 1> operandResult;
  if (failed(inferBinaryType(getOperationName(), location,
                             adaptor.getLhs().getType(),
                             adaptor.getRhs().getType(), operandResult)))
    return failure();
  inferred.push_back(cast<RankedTensorType>(operandResult.front())
                         .clone(IntegerType::get(context, 1)));
  return success();
}

/// Evaluates `predicate` on an ordering result (-1, 0, 1; nullopt when
/// unordered, i.e. a NaN took part).
static bool evaluatePredicate(ComparisonPredicate predicate,
                              std::optional<int> order) {
  if (!order)
    return predicate == ComparisonPredicate::ne;
  switch (predicate) {
  case ComparisonPredicate::eq:
    return *order == 0;
  case ComparisonPredicate::ne:
    return *order != 0;
  case ComparisonPredicate::lt:
    return *order < 0;
  case ComparisonPredicate::le:
    return *order <= 0;
  case ComparisonPredicate::gt:
    return *order > 0;
  case ComparisonPredicate::ge:
    return *order >= 0;
  }
  llvm_unreachable("unknown comparison predicate");
}

OpFoldResult CompareOp::fold(FoldAdaptor adaptor) {
  auto lhs = dyn_cast_if_present<DenseElementsAttr>(adaptor.getLhs());
  auto rhs = dyn_cast_if_present<DenseElementsAttr>(adaptor.getRhs());
  if (!lhs || !rhs ||
      !isFoldableResult(getType(), lhs.isSplat() && rhs.isSplat()))
    return {};
  ArrayRef<int64_t> shape = getType().getShape();
  SmallVector<int64_t> li = broadcastIndices(lhs.getType().getShape(), shape);
  SmallVector<int64_t> ri = broadcastIndices(rhs.getType().getShape(), shape);
  Type elementType = lhs.getElementType();
  SmallVector<bool> out;
  if (isa<FloatType>(elementType)) {
    auto l = llvm::to_vector(lhs.getValues<APFloat>());
    auto r = llvm::to_vector(rhs.getValues<APFloat>());
    for (size_t i = 0; i < li.size(); ++i) {
      APFloat::cmpResult c = l[li[i]].compare(r[ri[i]]);
      std::optional<int> order;
      if (c != APFloat::cmpUnordered)
        order = c == APFloat::cmpLessThan ? -1 : c == APFloat::cmpEqual ? 0 : 1;
      out.push_back(evaluatePredicate(getPredicate(), order));
    }
  } else {
    bool isUnsigned =
        elementType.isUnsignedInteger() || elementType.isInteger(1);
    auto l = llvm::to_vector(lhs.getValues<APInt>());
    auto r = llvm::to_vector(rhs.getValues<APInt>());
    for (size_t i = 0; i < li.size(); ++i) {
      const APInt &a = l[li[i]], &b = r[ri[i]];
      int order = a == b ? 0 : (isUnsigned ? a.ult(b) : a.slt(b)) ? -1 : 1;
      out.push_back(evaluatePredicate(getPredicate(), order));
    }
  }
  return DenseElementsAttr::get(getType(), out);
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  auto onFloats = [](ArrayRef<APFloat> a) { return -a[0]; };
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return -a[0];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  // relu is idempotent.
  if (auto inner = getInput().getDefiningOp<ReluOp>())
    return inner.getResult();
  auto onFloats = [](ArrayRef<APFloat> a) {
    return a[0].isNegative() && !a[0].isNaN()
               ? APFloat::getZero(a[0].getSemantics())
               : a[0];
  };
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0].isNegative() ? APInt(a[0].getBitWidth(), 0) : a[0];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<AbsOp>())
    return inner.getResult();
  auto onFloats = [](ArrayRef<APFloat> a) { return llvm::abs(a[0]); };
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return a[0].abs();
  };
  return foldElementwise(adaptor.getOperands(), getType(), {onFloats, onInts});
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NotOp>())
    return inner.getInput();
  auto onInts = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    return ~a[0];
  };
  return foldElementwise(adaptor.getOperands(), getType(), {nullptr, onInts});
}

OpFoldResult FloorOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::floor(x); });
}
OpFoldResult CeilOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::ceil(x); });
}
OpFoldResult RoundOp::fold(FoldAdaptor adaptor) {
  // (std::nearbyint rounds halves to even in the default rounding mode.)
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::nearbyint(x); });
}

OpFoldResult SinOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::sin(x); });
}
OpFoldResult CosOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::cos(x); });
}

OpFoldResult TanOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::tan(x); });
}
OpFoldResult AsinOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::asin(x); });
}
OpFoldResult AcosOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::acos(x); });
}
OpFoldResult AtanOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::atan(x); });
}
OpFoldResult SinhOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::sinh(x); });
}
OpFoldResult CoshOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::cosh(x); });
}
OpFoldResult AsinhOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::asinh(x); });
}
OpFoldResult AcoshOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::acosh(x); });
}
OpFoldResult AtanhOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::atanh(x); });
}

static double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
static double rsqrt(double x) { return 1.0 / std::sqrt(x); }
static double silu(double x) { return x * sigmoid(x); }
static double geluErf(double x) {
  return 0.5 * x * (1.0 + std::erf(x * M_SQRT1_2));
}
static double geluTanh(double x) {
  const double kSqrt2OverPi = 0.7978845608028654;
  return 0.5 * x * (1.0 + std::tanh(kSqrt2OverPi * (x + 0.044715 * x * x * x)));
}

OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::exp(x); });
}
OpFoldResult LogOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::log(x); });
}
OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::sqrt(x); });
}
OpFoldResult RsqrtOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), rsqrt);
}
OpFoldResult TanhOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::tanh(x); });
}
OpFoldResult ErfOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        [](double x) { return std::erf(x); });
}
OpFoldResult SigmoidOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), sigmoid);
}
OpFoldResult SiluOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), silu);
}
OpFoldResult GeluOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(),
                        getApproximate() == GeluApproximation::tanh ? geluTanh
                                                                    : geluErf);
}

//===----------------------------------------------------------------------===//
// cast
//===----------------------------------------------------------------------===//

LogicalResult CastOp::verify() {
  auto inputType = getInput().getType();
  auto resultType = getType();
  if (inputType.getRank() != resultType.getRank() ||
      !llvm::all_of(
          llvm::zip_equal(inputType.getShape(), resultType.getShape()),
          [](auto dims) {
            return dimsAgree(std::get<0>(dims), std::get<1>(dims));
          }))
    return emitViolation(*this, 1)
           << "input shape " << formatShape(inputType.getShape())
           << " differs from result shape "
           << formatShape(resultType.getShape());
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // A constant widened from a narrower float (a bf16 or f16 weight read as
  // f32) stays narrow: folding would only grow it, and undo tfm-quantize's
  // mixed precision.
  auto inputType = cast<ShapedType>(getInput().getType());
  auto from = dyn_cast<FloatType>(inputType.getElementType());
  auto to = dyn_cast<FloatType>(getType().getElementType());
  auto value = dyn_cast_if_present<ElementsAttr>(adaptor.getInput());
  if (from && to && from.getWidth() < to.getWidth() && value &&
      !value.isSplat())
    return {};
  return foldCast(adaptor.getInput(), getType());
}

//===----------------------------------------------------------------------===//
// where
//===----------------------------------------------------------------------===//

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto trueType = dyn_cast<RankedTensorType>(adaptor.getTrueValue().getType());
  auto falseType =
      dyn_cast<RankedTensorType>(adaptor.getFalseValue().getType());
  if (!trueType || !falseType)
    return failure();
  if (trueType.getElementType() != falseType.getElementType())
    return violation(location, getOperationName(), 2,
                     "true_value element type ", trueType.getElementType(),
                     " differs from false_value element type ",
                     falseType.getElementType());
  return inferBroadcastType(
      getOperationName(), location,
      {adaptor.getCondition().getType(), trueType, falseType},
      {"condition", "true_value", "false_value"}, trueType.getElementType(), 3,
      inferred);
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  if (getTrueValue() == getFalseValue())
    return keepIfSameType(getTrueValue(), getType());
  auto condition =
      dyn_cast_if_present<DenseElementsAttr>(adaptor.getCondition());
  if (!condition)
    return {};
  if (condition.isSplat())
    return keepIfSameType(condition.getSplatValue<bool>() ? getTrueValue()
                                                          : getFalseValue(),
                          getType());
  auto trueValue =
      dyn_cast_if_present<DenseElementsAttr>(adaptor.getTrueValue());
  auto falseValue =
      dyn_cast_if_present<DenseElementsAttr>(adaptor.getFalseValue());
  if (!trueValue || !falseValue || !isFoldableResult(getType(), false))
    return {};
  ArrayRef<int64_t> shape = getType().getShape();
  SmallVector<int64_t> c =
      broadcastIndices(condition.getType().getShape(), shape);
  SmallVector<int64_t> t =
      broadcastIndices(trueValue.getType().getShape(), shape);
  SmallVector<int64_t> f =
      broadcastIndices(falseValue.getType().getShape(), shape);
  auto flags = llvm::to_vector(condition.getValues<bool>());
  SmallVector<std::pair<unsigned, int64_t>> picks;
  for (size_t i = 0; i < c.size(); ++i)
    picks.push_back(flags[c[i]] ? std::make_pair(0u, t[i])
                                : std::make_pair(1u, f[i]));
  return pickElements({trueValue, falseValue}, getType(), picks);
}

//===----------------------------------------------------------------------===//
// swiglu
//===----------------------------------------------------------------------===//

LogicalResult SwigluOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!type)
    return failure();
  if (type.getRank() < 1)
    return violation(location, getOperationName(), 1,
                     "input must have rank at least 1");
  SmallVector<int64_t> shape(type.getShape());
  int64_t last = shape.back();
  if (!ShapedType::isDynamic(last)) {
    if (last % 2 != 0)
      return violation(location, getOperationName(), 2, "last dimension ", last,
                       " of the input is odd");
    shape.back() = last / 2;
  }
  inferred.push_back(type.clone(shape));
  return success();
}
