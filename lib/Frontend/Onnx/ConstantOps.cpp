//===- ConstantOps.cpp - ONNX ops that produce constants ------------------===//
//
// Constant, ConstantOfShape, Range, Shape, Size and Trilu. With input shapes
// fixed, all but Trilu on a run-time input become constants while importing
// (Trilu's diagonal k may be computed at run time too).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>
#include <cstdio>

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
  // A splat: one value whatever the shape, as long as the shape is sane.
  if (failed(n.checkConstantSize(type, /*isSplat=*/true, "output")))
    return failure();
  n.setOutput(0, n.constant(DenseElementsAttr::get(type, element)));
  return n.finish();
}

/// EyeLike: ones on the k-th diagonal of a matrix shaped like the input,
/// in `dtype` (default: the input's type).
static LogicalResult convertEyeLike(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  int64_t k = n.intAttr("k", 0);
  std::optional<int64_t> dtype;
  if (n.hasAttr("dtype"))
    dtype = n.intAttr("dtype", std::nullopt);
  if (n.failed())
    return failure();
  RankedTensorType inputType = NodeImporter::getType(n.input(0));
  if (inputType.getRank() != 2)
    return n.emitError() << "input must have rank 2, not "
                         << inputType.getRank();
  if (!inputType.hasStaticShape())
    return n.emitError() << "input must have a static shape";
  Type elementType = inputType.getElementType();
  if (dtype) {
    elementType = getElementType(n.context, static_cast<int32_t>(*dtype));
    if (!elementType)
      return n.emitError() << "dtype " << getDataTypeName(*dtype)
                           << " is not supported";
  }
  auto type = inputType.clone(elementType);
  if (failed(n.checkConstantSize(type, /*isSplat=*/false, "output")))
    return failure();
  auto valueOf = [&](bool on) -> Attribute {
    if (auto floatType = dyn_cast<FloatType>(elementType))
      return FloatAttr::get(floatType, on ? 1.0 : 0.0);
    return IntegerAttr::get(elementType, on ? 1 : 0);
  };
  Attribute one = valueOf(true), zero = valueOf(false);
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  SmallVector<Attribute> values;
  values.reserve(rows * cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      values.push_back(j - i == k ? one : zero);
  n.setOutput(0, n.constant(DenseElementsAttr::get(type, values)));
  return n.finish();
}

/// The element count of Range(start, limit, delta) on integers, computed
/// exactly (limit - start may not fit in 64 bits).
static int64_t getIntegerRangeCount(int64_t start, int64_t limit,
                                    int64_t delta) {
  // In 128 bits, the span and the count are exact.
  __int128 span = static_cast<__int128>(limit) - start;
  __int128 count =
      delta > 0 ? (span + delta - 1) / delta : (span + delta + 1) / delta;
  if (count <= 0)
    return 0;
  return count > INT64_MAX ? INT64_MAX : static_cast<int64_t>(count);
}

static LogicalResult convertRange(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  DenseElementsAttr operands[3];
  const char *names[] = {"start", "limit", "delta"};
  for (unsigned i = 0; i < 3; ++i) {
    operands[i] = n.constantInput(i);
    if (!operands[i] || operands[i].getNumElements() != 1)
      return n.emitError() << "input #" << i << " (" << names[i]
                           << ") must be a one-element constant once input "
                              "shapes are fixed; run-time values here are "
                              "not supported";
  }
  Type elementType = NodeImporter::getType(n.input(0)).getElementType();
  int64_t count;
  SmallVector<Attribute> values;
  if (isa<FloatType>(elementType)) {
    double start =
        (*operands[0].getValues<APFloat>().begin()).convertToDouble();
    double limit =
        (*operands[1].getValues<APFloat>().begin()).convertToDouble();
    double delta =
        (*operands[2].getValues<APFloat>().begin()).convertToDouble();
    auto show = [](double v) {
      char text[32];
      snprintf(text, sizeof(text), "%g", v);
      return std::string(text);
    };
    if (!std::isfinite(start) || !std::isfinite(limit) || !std::isfinite(delta))
      return n.emitError() << "start " << show(start) << ", limit "
                           << show(limit) << " and delta " << show(delta)
                           << " must be finite numbers";
    if (delta == 0)
      return n.emitError() << "delta is 0";
    double steps = std::ceil((limit - start) / delta);
    if (!(steps < 9.2e18))
      return n.emitError() << "Range(" << show(start) << ", " << show(limit)
                           << ", " << show(delta)
                           << ") has more elements than a 64-bit count holds";
    count = std::max<int64_t>(0, static_cast<int64_t>(steps));
    auto type = RankedTensorType::get({count}, elementType);
    if (failed(n.checkConstantSize(type, count <= 1, "output")))
      return failure();
    for (int64_t i = 0; i < count; ++i)
      values.push_back(n.b.getFloatAttr(elementType, start + i * delta));
  } else {
    bool isUnsigned = elementType.isUnsignedInteger();
    auto read = [&](DenseElementsAttr attr) {
      APInt v = *attr.getValues<APInt>().begin();
      return isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                        : v.getSExtValue();
    };
    int64_t start = read(operands[0]), limit = read(operands[1]),
            delta = read(operands[2]);
    if (delta == 0)
      return n.emitError() << "delta is 0";
    count = getIntegerRangeCount(start, limit, delta);
    auto type = RankedTensorType::get({count}, elementType);
    if (failed(n.checkConstantSize(type, count <= 1, "output")))
      return failure();
    // Every value start + i * delta, i < count, lies in [start, limit), so
    // none overflows the element type once the count is known.
    unsigned width = elementType.getIntOrFloatBitWidth();
    for (int64_t i = 0; i < count; ++i)
      values.push_back(n.b.getIntegerAttr(
          elementType,
          APInt(width,
                static_cast<uint64_t>(start) +
                    static_cast<uint64_t>(i) * static_cast<uint64_t>(delta),
                /*isSigned=*/false, /*implicitTrunc=*/true)));
  }
  auto type = RankedTensorType::get({count}, elementType);
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
  if (n.failed())
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (type.getRank() < 2)
    return n.emitError() << "input must have rank 2 or more, got " << type;
  // The kept triangle is {(i, j) : j - i >= k} (upper) or j - i <= k: a
  // comparison of a [rows, cols] difference of iotas with k.
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  Value diagonal;
  if (!n.hasInput(1) || n.constantInput(1)) {
    int64_t k = 0;
    if (n.hasInput(1)) {
      std::optional<SmallVector<int64_t>> given = n.requireConstantInts(1, "k");
      if (!given)
        return failure();
      if (given->size() != 1)
        return n.emitError() << "k must hold one value, got " << given->size();
      k = given->front();
    }
    // Clamped to the range j - i spans, so that k = INT64_MAX keeps nothing
    // (upper) rather than wrapping around as a double.
    k = std::clamp<int64_t>(k, -rows - 1, cols + 1);
    diagonal = n.scalar(n.b.getI64Type(), static_cast<double>(k));
  } else {
    // A k computed at run time: compared as it is (int64, no arithmetic).
    diagonal = n.input(1);
    RankedTensorType kType = NodeImporter::getType(diagonal);
    if (kType.getNumElements() != 1 || kType.getRank() > 1 ||
        !kType.getElementType().isInteger(64))
      return n.emitError() << "k must be one int64, got " << kType;
    diagonal = n.reshape(diagonal, {});
  }
  SmallVector<int64_t> rowIds, colIds;
  for (int64_t i = 0; i < rows; ++i)
    rowIds.push_back(i);
  for (int64_t j = 0; j < cols; ++j)
    colIds.push_back(j);
  Value diff = n.create<SubOp>(n.reshape(n.int64s(colIds), {1, cols}),
                               n.reshape(n.int64s(rowIds), {rows, 1}));
  Value mask = n.create<CompareOp>(
      upper ? ComparisonPredicate::ge : ComparisonPredicate::le, diff,
      diagonal);
  Value zero = n.scalar(type.getElementType(), 0);
  n.setOutput(0, n.create<WhereOp>(mask, x, zero));
  return n.finish();
}

/// NonZero of a constant (its output's shape depends on the values, which
/// only a constant fixes at import): the [rank, count] int64 coordinates
/// of the nonzero elements, in row-major order.
static LogicalResult convertNonZero(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  DenseElementsAttr values = n.constantInput(0);
  if (!values)
    return n.emitError() << "NonZero of a value computed at run time is not "
                            "supported: its shape depends on the values "
                            "(only a constant input is)";
  auto type = cast<RankedTensorType>(values.getType());
  int64_t rank = type.getRank();
  if (rank == 0)
    return n.emitError() << "NonZero of a scalar is not supported";
  Type elementType = type.getElementType();
  SmallVector<int64_t> nonzero;
  int64_t index = 0;
  if (isa<FloatType>(elementType)) {
    for (APFloat v : values.getValues<APFloat>()) {
      if (!v.isZero())
        nonzero.push_back(index);
      ++index;
    }
  } else {
    for (APInt v : values.getValues<APInt>()) {
      if (!v.isZero())
        nonzero.push_back(index);
      ++index;
    }
  }
  int64_t count = nonzero.size();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * type.getDimSize(d + 1);
  SmallVector<int64_t> coordinates(rank * count);
  for (int64_t d = 0; d < rank; ++d)
    for (int64_t i = 0; i < count; ++i)
      coordinates[d * count + i] =
          (nonzero[i] / strides[d]) % type.getDimSize(d);
  auto resultType = RankedTensorType::get({rank, count}, n.b.getI64Type());
  n.setOutput(0, n.constant(DenseElementsAttr::get(
                     resultType, ArrayRef<int64_t>(coordinates))));
  return n.finish();
}

void mlir::tfm::onnx_import::populateConstantConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Constant", 1, convertConstant);
  r.add(onnx, "ConstantOfShape", 9, convertConstantOfShape);
  r.add(onnx, "EyeLike", 9, convertEyeLike);
  r.add(onnx, "Range", 11, convertRange);
  r.add(onnx, "Shape", 1, convertShape);
  r.add(onnx, "Size", 1, convertSize);
  r.add(onnx, "Trilu", 14, convertTrilu);
  r.add(onnx, "NonZero", 9, convertNonZero);
}
