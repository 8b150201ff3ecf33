//===- ElementwiseOps.cpp - elementwise ONNX ops --------------------------===//
//
// Arithmetic, math, comparisons, logic, casts, Where, Clip, activations
// (including ONNX Runtime's Gelu family), Identity and Dropout.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

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

static LogicalResult convertClip(NodeImporter &n) {
  if (failed(n.expectArity(1, 3, 1, 1)))
    return failure();
  Value result = n.input(0);
  if (n.hasInput(1))
    result = n.create<MaxOp>(result, n.input(1));
  if (n.hasInput(2))
    result = n.create<MinOp>(result, n.input(2));
  n.setOutput(0, result);
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

void mlir::tfm::onnx_import::populateElementwiseConverters(
    ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Add", 1, convertBinary<AddOp>);
  r.add(onnx, "Sub", 1, convertBinary<SubOp>);
  r.add(onnx, "Mul", 1, convertBinary<MulOp>);
  r.add(onnx, "Div", 1, convertBinary<DivOp>);
  r.add(onnx, "Pow", 1, convertPow);
  r.add(onnx, "And", 1, convertBinary<AndOp>);
  r.add(onnx, "Or", 1, convertBinary<OrOp>);
  r.add(onnx, "Xor", 1, convertBinary<XorOp>);
  r.add(onnx, "Max", 1, convertVariadic<MaxOp>);
  r.add(onnx, "Min", 1, convertVariadic<MinOp>);
  r.add(onnx, "Sum", 1, convertVariadic<AddOp>);
  r.add(onnx, "Mean", 1, convertMean);
  r.add(onnx, "Equal", 1, convertCompare<ComparisonPredicate::eq>);
  r.add(onnx, "Less", 1, convertCompare<ComparisonPredicate::lt>);
  r.add(onnx, "LessOrEqual", 12, convertCompare<ComparisonPredicate::le>);
  r.add(onnx, "Greater", 1, convertCompare<ComparisonPredicate::gt>);
  r.add(onnx, "GreaterOrEqual", 12, convertCompare<ComparisonPredicate::ge>);
  r.add(onnx, "Not", 1, convertUnary<NotOp>);
  r.add(onnx, "Neg", 1, convertUnary<NegOp>);
  r.add(onnx, "Abs", 1, convertUnary<AbsOp>);
  r.add(onnx, "Sqrt", 1, convertUnary<SqrtOp>);
  r.add(onnx, "Exp", 1, convertUnary<ExpOp>);
  r.add(onnx, "Log", 1, convertUnary<LogOp>);
  r.add(onnx, "Erf", 1, convertUnary<ErfOp>);
  r.add(onnx, "Tanh", 1, convertUnary<TanhOp>);
  r.add(onnx, "Sin", 1, convertUnary<SinOp>);
  r.add(onnx, "Cos", 1, convertUnary<CosOp>);
  r.add(onnx, "Sigmoid", 1, convertUnary<SigmoidOp>);
  r.add(onnx, "Relu", 1, convertUnary<ReluOp>);
  r.add(onnx, "Reciprocal", 1, convertReciprocal);
  r.add(onnx, "Cast", 1, convertCast);
  r.add(onnx, "CastLike", 15, convertCastLike);
  r.add(onnx, "Where", 9, convertWhere);
  r.add(onnx, "Clip", 11, convertClip);
  r.add(onnx, "Identity", 1, convertIdentity);
  r.add(onnx, "Dropout", 1, convertDropout);
  r.add(onnx, "Gelu", 20, convertGelu);

  StringRef ms = kMicrosoftDomain;
  r.add(ms, "FastGelu", 1, convertFastGelu);
  r.add(ms, "BiasGelu", 1, convertBiasGelu);
  r.add(ms, "Gelu", 1, convertMicrosoftGelu);
  r.add(ms, "QuickGelu", 1, convertQuickGelu);
}
