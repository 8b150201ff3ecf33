//===- ConstantOps.cpp - ONNX ops that produce constants ------------------===//
//
// Constant, ConstantOfShape, Range, Shape, Size and Trilu. With input shapes
// fixed, all but Trilu on a run-time input become constants while importing.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

static LogicalResult convertConstant(NodeImporter &n) {
  if (failed(n.expectArity(0, 0, 1, 1)))
    return failure();
  if (n.node.attribute_size() != 1)
    return n.emitError() << "needs exactly one value attribute, got "
                         << n.node.attribute_size();
  const onnx::AttributeProto &attr = n.node.attribute(0);
  StringRef name = attr.name();
  Builder &b = n.b;
  if (name == "value") {
    const onnx::TensorProto *tensor = n.tensorAttr("value");
    if (!tensor)
      return failure();
    ElementsAttr value = n.importTensorAttr("value", *tensor);
    if (!value)
      return failure();
    n.setOutput(0, n.constant(value));
  } else if (name == "value_float") {
    n.setOutput(0, n.scalar(b.getF32Type(), n.floatAttr(name, 0.0)));
  } else if (name == "value_int") {
    n.setOutput(0, n.scalar(b.getI64Type(), n.intAttr(name, 0)));
  } else if (name == "value_ints") {
    n.setOutput(0, n.int64s(n.intsAttr(name, ArrayRef<int64_t>())));
  } else if (name == "value_floats") {
    if (attr.type() != onnx::AttributeProto::FLOATS)
      return n.emitError() << "attribute 'value_floats' must be a list of "
                              "floats";
    SmallVector<float> values(attr.floats().begin(), attr.floats().end());
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      b.getF32Type());
    n.setOutput(0, n.constant(DenseElementsAttr::get(type,
                                                     ArrayRef<float>(values))));
  } else {
    return n.emitError() << "attribute '" << name << "' is not supported";
  }
  return n.finish();
}

static LogicalResult convertConstantOfShape(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  std::optional<SmallVector<int64_t>> shape =
      n.requireConstantInts(0, "shape");
  if (!shape)
    return failure();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return n.emitError() << "shape has a negative dimension";
  Attribute element = n.b.getF32FloatAttr(0.0f);
  if (const onnx::TensorProto *tensor = n.tensorAttr("value")) {
    ElementsAttr value = n.importTensorAttr("value", *tensor);
    if (!value)
      return failure();
    if (value.getNumElements() != 1)
      return n.emitError() << "attribute 'value' must hold one element";
    element = *value.getValues<Attribute>().begin();
  }
  if (n.failed())
    return failure();
  auto type =
      RankedTensorType::get(*shape, cast<TypedAttr>(element).getType());
  n.setOutput(0, n.constant(DenseElementsAttr::get(type, element)));
  return n.finish();
}

static LogicalResult convertRange(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  std::optional<double> start = n.requireConstantScalar(0, "start");
  std::optional<double> limit = n.requireConstantScalar(1, "limit");
  std::optional<double> delta = n.requireConstantScalar(2, "delta");
  if (!start || !limit || !delta)
    return failure();
  if (*delta == 0)
    return n.emitError() << "delta is 0";
  int64_t count = std::max<int64_t>(
      0, static_cast<int64_t>(std::ceil((*limit - *start) / *delta)));
  Type elementType = NodeImporter::getType(n.input(0)).getElementType();
  auto type = RankedTensorType::get({count}, elementType);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < count; ++i) {
    double v = *start + i * *delta;
    values.push_back(isa<FloatType>(elementType)
                         ? Attribute(n.b.getFloatAttr(elementType, v))
                         : Attribute(n.b.getIntegerAttr(
                               elementType, static_cast<int64_t>(v))));
  }
  n.setOutput(0, n.constant(DenseElementsAttr::get(type, values)));
  return n.finish();
}

static LogicalResult convertShape(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  ArrayRef<int64_t> shape = NodeImporter::getType(n.input(0)).getShape();
  int64_t rank = shape.size();
  // Opset 15 added start/end, clamped like Python slices.
  int64_t start = n.intAttr("start", 0), end = n.intAttr("end", rank);
  if (n.failed())
    return failure();
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  start = clampIndex(start);
  end = std::max(start, clampIndex(end));
  n.setOutput(0, n.int64s(shape.slice(start, end - start)));
  return n.finish();
}

static LogicalResult convertSize(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  n.setOutput(0, n.scalar(n.b.getI64Type(),
                          NodeImporter::getType(n.input(0)).getNumElements()));
  return n.finish();
}

static LogicalResult convertTrilu(NodeImporter &n) {
  if (failed(n.expectArity(1, 2, 1, 1)))
    return failure();
  bool upper = n.intAttr("upper", 1) != 0;
  int64_t k = 0;
  if (n.hasInput(1)) {
    std::optional<double> diagonal = n.requireConstantScalar(1, "k");
    if (!diagonal)
      return failure();
    k = static_cast<int64_t>(*diagonal);
  }
  if (n.failed())
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (type.getRank() < 2)
    return n.emitError() << "input must have rank 2 or more, got " << type;
  // The kept triangle as a boolean mask over the last two dimensions.
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  SmallVector<bool> keep;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      keep.push_back(upper ? j - i >= k : j - i <= k);
  auto maskType = RankedTensorType::get({rows, cols}, n.b.getI1Type());
  Value mask = n.constant(DenseElementsAttr::get(maskType, keep));
  Value zero = n.scalar(type.getElementType(), 0);
  n.setOutput(0, n.create<WhereOp>(mask, x, zero));
  return n.finish();
}

void mlir::tfm::onnx_import::populateConstantConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Constant", 1, convertConstant);
  r.add(onnx, "ConstantOfShape", 9, convertConstantOfShape);
  r.add(onnx, "Range", 11, convertRange);
  r.add(onnx, "Shape", 1, convertShape);
  r.add(onnx, "Size", 1, convertSize);
  r.add(onnx, "Trilu", 14, convertTrilu);
}
