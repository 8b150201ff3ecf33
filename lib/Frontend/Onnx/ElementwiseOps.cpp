//===- ElementwiseOps.cpp - elementwise ONNX ops --------------------------===//
//
// Arithmetic, math, comparisons, logic, casts, Where, Clip, activations
// (including ONNX Runtime's Gelu family), Identity and Dropout.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <limits>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

template <typename OpTy>
static LogicalResult convertBinary(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  n.setOutput(0, n.create<OpTy>(n.input(0), n.input(1)));
  return n.finish();
}

/// BitShift: tfm.shl or tfm.shr by `direction`.
static LogicalResult convertBitShift(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  std::string direction = n.stringAttr("direction", std::nullopt);
  if (n.failed())
    return failure();
  if (direction != "LEFT" && direction != "RIGHT")
    return n.emitError() << "direction '" << direction
                         << "' is neither LEFT nor RIGHT";
  n.setOutput(0, direction == "LEFT" ? n.create<ShlOp>(n.input(0), n.input(1))
                                     : n.create<ShrOp>(n.input(0), n.input(1)));
  return n.finish();
}

template <typename OpTy>
static LogicalResult convertUnary(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  n.setOutput(0, n.create<OpTy>(n.input(0)));
  return n.finish();
}

template <ComparisonPredicate predicate>
static LogicalResult convertCompare(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  n.setOutput(0, n.create<CompareOp>(predicate, n.input(0), n.input(1)));
  return n.finish();
}

/// Max, Min, Sum and Mean fold their variadic inputs left to right.
template <typename OpTy>
static LogicalResult convertVariadic(NodeImporter &n) {
  if (failed(n.expectArity(1, -1, 1, 1)))
    return failure();
  Value result = n.input(0);
  for (unsigned i = 1; i < n.numInputs(); ++i)
    result = n.create<OpTy>(result, n.input(i));
  n.setOutput(0, result);
  return n.finish();
}

static LogicalResult convertMean(NodeImporter &n) {
  if (failed(n.expectArity(1, -1, 1, 1)))
    return failure();
  Value sum = n.input(0);
  for (unsigned i = 1; i < n.numInputs(); ++i)
    sum = n.create<AddOp>(sum, n.input(i));
  if (!sum)
    return failure();
  Type elementType = NodeImporter::getType(sum).getElementType();
  n.setOutput(0, n.create<DivOp>(sum, n.scalar(elementType, n.numInputs())));
  return n.finish();
}

static LogicalResult convertReciprocal(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  Value x = n.input(0);
  Type elementType = NodeImporter::getType(x).getElementType();
  n.setOutput(0, n.create<DivOp>(n.scalar(elementType, 1.0), x));
  return n.finish();
}

static LogicalResult convertPow(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  Value base = n.input(0), exponent = n.input(1);
  // Since opset 12 the exponent may have another type; tfm wants the base's.
  Type elementType = NodeImporter::getType(base).getElementType();
  if (NodeImporter::getType(exponent).getElementType() != elementType)
    exponent = n.cast(exponent, elementType);
  n.setOutput(0, n.create<PowOp>(base, exponent));
  return n.finish();
}

static LogicalResult convertCast(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  int64_t to = n.intAttr("to", std::nullopt);
  if (n.failed())
    return failure();
  Type elementType = getElementType(n.context, static_cast<int32_t>(to));
  if (!elementType)
    return n.emitError() << "casting to " << getDataTypeName(to)
                         << " is not supported";
  n.setOutput(0, n.cast(n.input(0), elementType));
  return n.finish();
}

static LogicalResult convertCastLike(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  Type elementType = NodeImporter::getType(n.input(1)).getElementType();
  n.setOutput(0, n.cast(n.input(0), elementType));
  return n.finish();
}

static LogicalResult convertWhere(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  n.setOutput(0, n.create<WhereOp>(n.input(0), n.input(1), n.input(2)));
  return n.finish();
}

/// Clip: bounds as inputs since opset 11; before, as attributes `min` and
/// `max` (defaults: the float type's extremes).
static LogicalResult convertClip(NodeImporter &n) {
  if (failed(n.expectArity(1, 3, 1, 1)))
    return failure();
  Value result = n.input(0);
  if (n.opset < 11) {
    double lo = n.floatAttr("min", -std::numeric_limits<float>::max());
    double hi = n.floatAttr("max", std::numeric_limits<float>::max());
    if (n.failed())
      return failure();
    Type elementType = NodeImporter::getType(result).getElementType();
    result = n.create<MaxOp>(result, n.scalar(elementType, lo));
    n.setOutput(0, n.create<MinOp>(result, n.scalar(elementType, hi)));
    return n.finish();
  }
  if (n.hasInput(1))
    result = n.create<MaxOp>(result, n.input(1));
  if (n.hasInput(2))
    result = n.create<MinOp>(result, n.input(2));
  n.setOutput(0, result);
  return n.finish();
}

/// Sign: 1, -1 or 0 by the sign of x; NaN stays NaN.
static LogicalResult convertSign(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  Value x = n.input(0);
  Type elementType = NodeImporter::getType(x).getElementType();
  Value zero = n.scalar(elementType, 0);
  // (Unsigned types have no -1, and x < 0 never holds for them.)
  Value below = elementType.isUnsignedInteger()
                    ? zero
                    : n.create<WhereOp>(
                          n.create<CompareOp>(ComparisonPredicate::lt, x, zero),
                          n.scalar(elementType, -1), zero);
  Value y =
      n.create<WhereOp>(n.create<CompareOp>(ComparisonPredicate::gt, x, zero),
                        n.scalar(elementType, 1), below);
  if (isa<FloatType>(elementType))
    y = n.create<WhereOp>(n.create<CompareOp>(ComparisonPredicate::ne, x, x), x,
                          y);
  n.setOutput(0, y);
  return n.finish();
}

/// IsNaN: x != x, which holds exactly for NaN.
static LogicalResult convertIsNaN(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  Value x = n.input(0);
  n.setOutput(0, n.create<CompareOp>(ComparisonPredicate::ne, x, x));
  return n.finish();
}

/// IsInf: x == +inf (detect_positive) or x == -inf (detect_negative).
static LogicalResult convertIsInf(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  bool negative = n.intAttr("detect_negative", 1) != 0;
  bool positive = n.intAttr("detect_positive", 1) != 0;
  if (n.failed())
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  double inf = std::numeric_limits<double>::infinity();
  Value y;
  if (positive && negative)
    y = n.create<CompareOp>(ComparisonPredicate::eq, n.create<AbsOp>(x),
                            n.scalar(type.getElementType(), inf));
  else if (positive || negative)
    y = n.create<CompareOp>(
        ComparisonPredicate::eq, x,
        n.scalar(type.getElementType(), positive ? inf : -inf));
  else
    y = n.splat(type.clone(n.b.getI1Type()), 0);
  n.setOutput(0, y);
  return n.finish();
}

static LogicalResult convertIdentity(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  n.setOutput(0, n.input(0));
  return n.finish();
}

static LogicalResult convertDropout(NodeImporter &n) {
  if (failed(n.expectArity(1, 3, 1, 2)))
    return failure();
  // Inference: the input passes through; a requested mask keeps everything.
  if (n.hasInput(2)) {
    std::optional<double> training = n.requireConstantScalar(2, "training_mode");
    if (!training)
      return failure();
    if (*training != 0)
      return n.emitError() << "training mode is not supported";
  }
  Value x = n.input(0);
  n.setOutput(0, x);
  if (n.hasOutput(1))
    n.setOutput(1, n.splat(NodeImporter::getType(x).clone(n.b.getI1Type()), 1));
  return n.finish();
}

static LogicalResult convertGelu(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  std::string approximate = n.stringAttr("approximate", StringRef("none"));
  if (n.failed())
    return failure();
  if (approximate != "none" && approximate != "tanh")
    return n.emitError() << "attribute 'approximate' must be \"none\" or "
                            "\"tanh\", got \""
                         << approximate << "\"";
  n.setOutput(0, n.create<GeluOp>(n.input(0),
                                  approximate == "tanh"
                                      ? GeluApproximation::tanh
                                      : GeluApproximation::none));
  return n.finish();
}

//===----------------------------------------------------------------------===//
// Activations composed from tfm ops
//===----------------------------------------------------------------------===//

namespace {
/// Builds the composite activations: constants of the input's element type
/// and the usual comparisons.
struct Composer {
  NodeImporter &n;
  Value x;
  Type elementType;

  Composer(NodeImporter &n, Value x)
      : n(n), x(x), elementType(NodeImporter::getType(x).getElementType()) {}

  Value c(double v) { return n.scalar(elementType, v); }
  Value add(Value a, Value b) { return n.create<AddOp>(a, b); }
  Value sub(Value a, Value b) { return n.create<SubOp>(a, b); }
  Value mul(Value a, Value b) { return n.create<MulOp>(a, b); }
  Value div(Value a, Value b) { return n.create<DivOp>(a, b); }
  Value max(Value a, Value b) { return n.create<MaxOp>(a, b); }
  Value min(Value a, Value b) { return n.create<MinOp>(a, b); }
  Value cmp(ComparisonPredicate p, Value a, Value b) {
    return n.create<CompareOp>(p, a, b);
  }
  Value where(Value cond, Value a, Value b) {
    return n.create<WhereOp>(cond, a, b);
  }
  Value expm1(Value v) { return sub(n.create<ExpOp>(v), c(1.0)); }
  /// log(1 + e^v) without overflow: max(v, 0) + log(1 + e^-|v|).
  Value softplus(Value v) {
    Value tail = n.create<LogOp>(
        add(c(1.0), n.create<ExpOp>(n.create<NegOp>(n.create<AbsOp>(v)))));
    return add(max(v, c(0.0)), tail);
  }
};
} // namespace

/// Reads the float attributes `names` (with their defaults), then builds the
/// activation `build(composer, values)`.
template <typename Build>
static LogicalResult convertActivation(
    NodeImporter &n, ArrayRef<std::pair<StringRef, double>> attributes,
    Build build, int maxInputs = 1) {
  if (failed(n.expectArity(1, maxInputs, 1, 1)))
    return failure();
  SmallVector<double> values;
  for (auto [name, defaultValue] : attributes)
    values.push_back(n.floatAttr(name, defaultValue));
  if (n.failed())
    return failure();
  Composer k(n, n.input(0));
  n.setOutput(0, build(k, values));
  return n.finish();
}

static LogicalResult convertLeakyRelu(NodeImporter &n) {
  return convertActivation(n, {{"alpha", 0.01}}, [](Composer &k, auto a) {
    return k.where(k.cmp(ComparisonPredicate::lt, k.x, k.c(0)),
                   k.mul(k.x, k.c(a[0])), k.x);
  });
}

static LogicalResult convertPRelu(NodeImporter &n) {
  return convertActivation(
      n, {},
      [&](Composer &k, auto) {
        return k.where(k.cmp(ComparisonPredicate::lt, k.x, k.c(0)),
                       k.mul(k.x, n.input(1)), k.x);
      },
      /*maxInputs=*/2);
}

static LogicalResult convertElu(NodeImporter &n) {
  return convertActivation(n, {{"alpha", 1.0}}, [](Composer &k, auto a) {
    return k.where(k.cmp(ComparisonPredicate::lt, k.x, k.c(0)),
                   k.mul(k.c(a[0]), k.expm1(k.x)), k.x);
  });
}

static LogicalResult convertSelu(NodeImporter &n) {
  return convertActivation(
      n, {{"alpha", 1.67326319217681884765625}, {"gamma", 1.05070102214813232421875}},
      [](Composer &k, auto a) {
        Value inner = k.where(k.cmp(ComparisonPredicate::le, k.x, k.c(0)),
                              k.mul(k.c(a[0]), k.expm1(k.x)), k.x);
        return k.mul(k.c(a[1]), inner);
      });
}

static LogicalResult convertCelu(NodeImporter &n) {
  return convertActivation(n, {{"alpha", 1.0}}, [](Composer &k, auto a) {
    Value negative =
        k.mul(k.c(a[0]), k.expm1(k.div(k.x, k.c(a[0]))));
    return k.add(k.max(k.x, k.c(0)), k.min(negative, k.c(0)));
  });
}

static LogicalResult convertHardSigmoid(NodeImporter &n) {
  return convertActivation(
      n, {{"alpha", 0.2}, {"beta", 0.5}}, [](Composer &k, auto a) {
        Value line = k.add(k.mul(k.x, k.c(a[0])), k.c(a[1]));
        return k.max(k.c(0), k.min(k.c(1), line));
      });
}

static LogicalResult convertHardSwish(NodeImporter &n) {
  return convertActivation(n, {}, [](Composer &k, auto) {
    Value line = k.add(k.mul(k.x, k.c(1.0 / 6.0)), k.c(0.5));
    return k.mul(k.x, k.max(k.c(0), k.min(k.c(1), line)));
  });
}

static LogicalResult convertSoftplus(NodeImporter &n) {
  return convertActivation(n, {},
                           [](Composer &k, auto) { return k.softplus(k.x); });
}

static LogicalResult convertSoftsign(NodeImporter &n) {
  return convertActivation(n, {}, [&](Composer &k, auto) {
    return k.div(k.x, k.add(k.c(1), n.create<AbsOp>(k.x)));
  });
}

static LogicalResult convertMish(NodeImporter &n) {
  return convertActivation(n, {}, [&](Composer &k, auto) {
    return k.mul(k.x, n.create<TanhOp>(k.softplus(k.x)));
  });
}

static LogicalResult convertThresholdedRelu(NodeImporter &n) {
  return convertActivation(n, {{"alpha", 1.0}}, [](Composer &k, auto a) {
    return k.where(k.cmp(ComparisonPredicate::gt, k.x, k.c(a[0])), k.x,
                   k.c(0));
  });
}

static LogicalResult convertShrink(NodeImporter &n) {
  return convertActivation(
      n, {{"bias", 0.0}, {"lambd", 0.5}}, [](Composer &k, auto a) {
        Value above = k.where(k.cmp(ComparisonPredicate::gt, k.x, k.c(a[1])),
                              k.sub(k.x, k.c(a[0])), k.c(0));
        return k.where(k.cmp(ComparisonPredicate::lt, k.x, k.c(-a[1])),
                       k.add(k.x, k.c(a[0])), above);
      });
}

//===----------------------------------------------------------------------===//
// com.microsoft activations
//===----------------------------------------------------------------------===//

/// FastGelu(X, bias?) = tanh-approximated GELU of X + bias.
static LogicalResult convertFastGelu(NodeImporter &n) {
  if (failed(n.expectArity(1, 2, 1, 1)))
    return failure();
  Value x = n.input(0);
  if (n.hasInput(1))
    x = n.create<AddOp>(x, n.input(1));
  n.setOutput(0, n.create<GeluOp>(x, GeluApproximation::tanh));
  return n.finish();
}

/// BiasGelu(A, B) = erf GELU of A + B.
static LogicalResult convertBiasGelu(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  Value x = n.create<AddOp>(n.input(0), n.input(1));
  n.setOutput(0, n.create<GeluOp>(x, GeluApproximation::none));
  return n.finish();
}

/// Gelu(X), erf form.
static LogicalResult convertMicrosoftGelu(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  n.setOutput(0, n.create<GeluOp>(n.input(0), GeluApproximation::none));
  return n.finish();
}

/// QuickGelu(X) = X * sigmoid(alpha * X).
static LogicalResult convertQuickGelu(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  double alpha = n.floatAttr("alpha", 1.702);
  if (n.failed())
    return failure();
  Value x = n.input(0);
  Type elementType = NodeImporter::getType(x).getElementType();
  Value scaled = n.create<MulOp>(x, n.scalar(elementType, alpha));
  n.setOutput(0, n.create<MulOp>(x, n.create<SigmoidOp>(scaled)));
  return n.finish();
}

/// Mod: fmod = 1 truncates (C fmod), fmod = 0 floors (Python %), which
/// ONNX defines for integers only.
static LogicalResult convertMod(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  int64_t fmod = n.intAttr("fmod", 0);
  Value lhs = n.input(0), rhs = n.input(1);
  if (fmod != 0 && fmod != 1)
    return n.emitError() << "attribute 'fmod' is " << fmod
                         << "; expected 0 or 1";
  if (fmod == 0 && lhs &&
      isa<FloatType>(cast<RankedTensorType>(lhs.getType()).getElementType()))
    return n.emitError() << "fmod = 0 (integer modulo) on floating-point "
                            "inputs; ONNX Mod takes fmod = 1 for them";
  if (fmod == 1)
    n.setOutput(0, n.create<RemOp>(lhs, rhs));
  else
    n.setOutput(0, n.create<ModOp>(lhs, rhs));
  return n.finish();
}

void mlir::tfm::onnx_import::populateElementwiseConverters(
    ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Add", 7, convertBinary<AddOp>);
  r.add(onnx, "Sub", 7, convertBinary<SubOp>);
  r.add(onnx, "Mul", 7, convertBinary<MulOp>);
  r.add(onnx, "Div", 7, convertBinary<DivOp>);
  r.add(onnx, "Pow", 7, convertPow);
  r.add(onnx, "Mod", 10, convertMod);
  r.add(onnx, "And", 7, convertBinary<AndOp>);
  r.add(onnx, "Or", 7, convertBinary<OrOp>);
  r.add(onnx, "Xor", 7, convertBinary<XorOp>);
  r.add(onnx, "BitShift", 11, convertBitShift);
  r.add(onnx, "Max", 6, convertVariadic<MaxOp>);
  r.add(onnx, "Min", 6, convertVariadic<MinOp>);
  r.add(onnx, "Sum", 6, convertVariadic<AddOp>);
  r.add(onnx, "Mean", 6, convertMean);
  r.add(onnx, "Equal", 7, convertCompare<ComparisonPredicate::eq>);
  r.add(onnx, "Less", 7, convertCompare<ComparisonPredicate::lt>);
  r.add(onnx, "LessOrEqual", 12, convertCompare<ComparisonPredicate::le>);
  r.add(onnx, "Greater", 7, convertCompare<ComparisonPredicate::gt>);
  r.add(onnx, "GreaterOrEqual", 12, convertCompare<ComparisonPredicate::ge>);
  r.add(onnx, "Not", 1, convertUnary<NotOp>);
  r.add(onnx, "Floor", 6, convertUnary<FloorOp>);
  r.add(onnx, "Ceil", 6, convertUnary<CeilOp>);
  r.add(onnx, "Round", 11, convertUnary<RoundOp>);
  r.add(onnx, "Neg", 6, convertUnary<NegOp>);
  r.add(onnx, "Abs", 6, convertUnary<AbsOp>);
  r.add(onnx, "Sqrt", 6, convertUnary<SqrtOp>);
  r.add(onnx, "Exp", 6, convertUnary<ExpOp>);
  r.add(onnx, "Log", 6, convertUnary<LogOp>);
  r.add(onnx, "Erf", 9, convertUnary<ErfOp>);
  r.add(onnx, "Tanh", 6, convertUnary<TanhOp>);
  r.add(onnx, "Sin", 7, convertUnary<SinOp>);
  r.add(onnx, "Cos", 7, convertUnary<CosOp>);
  r.add(onnx, "Tan", 7, convertUnary<TanOp>);
  r.add(onnx, "Asin", 7, convertUnary<AsinOp>);
  r.add(onnx, "Acos", 7, convertUnary<AcosOp>);
  r.add(onnx, "Atan", 7, convertUnary<AtanOp>);
  r.add(onnx, "Sinh", 9, convertUnary<SinhOp>);
  r.add(onnx, "Cosh", 9, convertUnary<CoshOp>);
  r.add(onnx, "Asinh", 9, convertUnary<AsinhOp>);
  r.add(onnx, "Acosh", 9, convertUnary<AcoshOp>);
  r.add(onnx, "Atanh", 9, convertUnary<AtanhOp>);
  r.add(onnx, "Sigmoid", 6, convertUnary<SigmoidOp>);
  r.add(onnx, "Relu", 6, convertUnary<ReluOp>);
  r.add(onnx, "Reciprocal", 6, convertReciprocal);
  r.add(onnx, "Cast", 6, convertCast);
  r.add(onnx, "CastLike", 15, convertCastLike);
  r.add(onnx, "Where", 9, convertWhere);
  r.add(onnx, "Clip", 6, convertClip);
  r.add(onnx, "IsNaN", 9, convertIsNaN);
  r.add(onnx, "Sign", 9, convertSign);
  r.add(onnx, "IsInf", 10, convertIsInf);
  r.add(onnx, "Identity", 1, convertIdentity);
  r.add(onnx, "Dropout", 10, convertDropout);
  r.add(onnx, "Gelu", 20, convertGelu);
  r.add(onnx, "LeakyRelu", 6, convertLeakyRelu);
  r.add(onnx, "PRelu", 7, convertPRelu);
  r.add(onnx, "Elu", 6, convertElu);
  r.add(onnx, "Selu", 6, convertSelu);
  r.add(onnx, "Celu", 12, convertCelu);
  r.add(onnx, "HardSigmoid", 6, convertHardSigmoid);
  r.add(onnx, "HardSwish", 14, convertHardSwish);
  r.add(onnx, "Softplus", 1, convertSoftplus);
  r.add(onnx, "Softsign", 1, convertSoftsign);
  r.add(onnx, "Mish", 18, convertMish);
  r.add(onnx, "ThresholdedRelu", 10, convertThresholdedRelu);
  r.add(onnx, "Shrink", 9, convertShrink);

  StringRef ms = kMicrosoftDomain;
  r.add(ms, "FastGelu", 1, convertFastGelu);
  r.add(ms, "BiasGelu", 1, convertBiasGelu);
  r.add(ms, "Gelu", 1, convertMicrosoftGelu);
  r.add(ms, "QuickGelu", 1, convertQuickGelu);
}
