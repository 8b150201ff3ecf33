//===- QuantizationOps.cpp - quantize and dequantize ----------------------===//

#include "tfm/Dialect/Tfm/Quantization.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "ConstantFolding.h"
#include "TypeRules.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;

//===----------------------------------------------------------------------===//
// Schemes and compile-time quantization
//===----------------------------------------------------------------------===//

SmallVector<int64_t>
QuantizationScheme::getScaleShape(ArrayRef<int64_t> shape) const {
  if (isPerTensor())
    return {};
  if (!isBlocked())
    return {shape[axis]};
  SmallVector<int64_t> scaleShape(shape);
  if (!ShapedType::isDynamic(shape[axis]))
    scaleShape[axis] = llvm::divideCeil(shape[axis], blockSize);
  return scaleShape;
}

int64_t QuantizationScheme::getScaleIndex(ArrayRef<int64_t> shape,
                                          int64_t index) const {
  if (isPerTensor())
    return 0;
  int64_t inner = getNumElements(shape.drop_front(axis + 1));
  int64_t size = shape[axis];
  int64_t along = (index / inner) % size;
  if (!isBlocked())
    return along;
  int64_t outer = index / (inner * size);
  int64_t blocks = llvm::divideCeil(size, blockSize);
  return (outer * blocks + along / blockSize) * inner + index % inner;
}

std::pair<int64_t, int64_t> mlir::tfm::getQuantizedRange(IntegerType type) {
  unsigned width = type.getWidth();
  if (type.isUnsigned())
    return {0, static_cast<int64_t>((uint64_t{1} << width) - 1)};
  return {-(int64_t{1} << (width - 1)), (int64_t{1} << (width - 1)) - 1};
}

SmallVector<char> mlir::tfm::quantizeValues(ArrayRef<float> values,
                                            ArrayRef<int64_t> shape,
                                            const QuantizationScheme &scheme,
                                            ArrayRef<float> scales,
                                            ArrayRef<int64_t> zeroPoints,
                                            IntegerType resultType) {
  auto [low, high] = getQuantizedRange(resultType);
  int64_t width = getStorageBytes(resultType);
  uint64_t mask = resultType.getWidth() >= 64
                      ? ~uint64_t{0}
                      : (uint64_t{1} << resultType.getWidth()) - 1;
  SmallVector<char> out(values.size() * width);
  for (size_t i = 0, e = values.size(); i < e; ++i) {
    int64_t s = scheme.getScaleIndex(shape, static_cast<int64_t>(i));
    // Half to even, as ONNX (std::nearbyint in the default rounding mode).
    double q = std::nearbyint(static_cast<double>(values[i]) /
                              static_cast<double>(scales[s]));
    if (!zeroPoints.empty())
      q += static_cast<double>(zeroPoints[s]);
    // NaN becomes the lowest value, as in the lowered code.
    if (std::isnan(q))
      q = static_cast<double>(low);
    q = std::min<double>(std::max<double>(q, low), high);
    // A 4-bit value keeps its own bits only (the low nibble).
    auto bits = static_cast<uint64_t>(static_cast<int64_t>(q)) & mask;
    std::memcpy(&out[i * width], &bits, width); // little endian
  }
  return out;
}

FailureOr<SmallVector<float>> mlir::tfm::getConstantFloats(Attribute value) {
  auto type = dyn_cast<ShapedType>(cast<TypedAttr>(value).getType());
  if (!type || !isa<FloatType>(type.getElementType()))
    return failure();
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(value, storage);
  if (failed(bytes))
    return failure();
  int64_t n = type.getNumElements();
  SmallVector<float> out(n);
  Type elementType = type.getElementType();
  const char *data = bytes->data();
  for (int64_t i = 0; i < n; ++i) {
    if (elementType.isF32()) {
      std::memcpy(&out[i], data + 4 * i, 4);
    } else if (elementType.isF64()) {
      double d;
      std::memcpy(&d, data + 8 * i, 8);
      out[i] = static_cast<float>(d);
    } else if (elementType.isBF16()) {
      uint16_t half;
      std::memcpy(&half, data + 2 * i, 2);
      uint32_t bits = uint32_t{half} << 16;
      std::memcpy(&out[i], &bits, 4);
    } else {
      uint16_t half;
      std::memcpy(&half, data + 2 * i, 2);
      out[i] = llvm::APFloat(cast<FloatType>(elementType).getFloatSemantics(),
                             llvm::APInt(16, half))
                   .convertToFloat();
    }
  }
  return out;
}

FailureOr<SmallVector<int64_t>> mlir::tfm::getConstantInts(Attribute value) {
  auto type = dyn_cast<ShapedType>(cast<TypedAttr>(value).getType());
  if (!type || !isa<IntegerType>(type.getElementType()))
    return failure();
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(value, storage);
  if (failed(bytes))
    return failure();
  auto intType = cast<IntegerType>(type.getElementType());
  int64_t width = getStorageBytes(intType);
  unsigned bitWidth = intType.getWidth();
  uint64_t mask = bitWidth >= 64 ? ~uint64_t{0} : (uint64_t{1} << bitWidth) - 1;
  int64_t n = type.getNumElements();
  SmallVector<int64_t> out(n);
  for (int64_t i = 0; i < n; ++i) {
    uint64_t raw = 0;
    std::memcpy(&raw, bytes->data() + width * i, width); // little endian
    llvm::APInt bits(bitWidth, raw & mask);
    out[i] = intType.isUnsigned() ? static_cast<int64_t>(bits.getZExtValue())
                                  : bits.getSExtValue();
  }
  return out;
}

/// `value` as a normal f16, or std::nullopt; `isExact` says whether the
/// conversion kept the value.
static std::optional<llvm::APFloat> toNormalHalf(float value, bool &isExact) {
  llvm::APFloat half(value);
  bool losesInfo = false;
  half.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
               &losesInfo);
  isExact = !losesInfo;
  if (!half.isFiniteNonZero() || half.isDenormal())
    return std::nullopt;
  return half;
}

float mlir::tfm::roundToHalf(float value) {
  bool isExact;
  std::optional<llvm::APFloat> half = toNormalHalf(value, isExact);
  if (!half)
    return value;
  half->convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
                &isExact);
  return half->convertToFloat();
}

std::optional<SmallVector<uint16_t>>
mlir::tfm::getExactHalves(ArrayRef<float> values) {
  SmallVector<uint16_t> bits;
  bits.reserve(values.size());
  for (float value : values) {
    bool isExact;
    std::optional<llvm::APFloat> half = toNormalHalf(value, isExact);
    if (!half || !isExact)
      return std::nullopt;
    bits.push_back(
        static_cast<uint16_t>(half->bitcastToAPInt().getZExtValue()));
  }
  return bits;
}

//===----------------------------------------------------------------------===//
// Verification
//===----------------------------------------------------------------------===//

/// The constraints shared by quantize and dequantize (c1..c4 of each).
static LogicalResult
verifyQuantization(Operation *op, RankedTensorType input,
                   RankedTensorType floatType, RankedTensorType quantizedType,
                   RankedTensorType scaleType, Value zeroPoint,
                   std::optional<int64_t> axis,
                   std::optional<int64_t> blockSize, RankedTensorType result) {
  if (scaleType.getElementType() != floatType.getElementType())
    return emitViolation(op, 1)
           << "scale element type " << scaleType.getElementType()
           << " differs from " << floatType.getElementType();
  int64_t rank = input.getRank();
  ArrayRef<int64_t> shape = input.getShape();
  if (axis && (*axis < 0 || *axis >= rank))
    return emitViolation(op, 2)
           << "axis " << *axis << " is out of range for rank " << rank;
  if (blockSize) {
    if (*blockSize <= 0)
      return emitViolation(op, 2)
             << "block_size " << *blockSize << " is not positive";
    if (!axis)
      return emitViolation(op, 2) << "a blocked scheme needs an axis";
  } else if (scaleType.getRank() == 0) {
    if (axis)
      return emitViolation(op, 2)
             << "a per-tensor scale (rank 0) takes no axis";
  } else if (scaleType.getRank() == 1) {
    if (!axis)
      return emitViolation(op, 2) << "a per-axis scale needs an axis";
  } else {
    return emitViolation(op, 2)
           << "scale of rank " << scaleType.getRank()
           << " needs a block_size (per-tensor scales have rank 0, "
              "per-axis ones rank 1)";
  }
  if (axis) {
    QuantizationScheme scheme{*axis, blockSize.value_or(0)};
    SmallVector<int64_t> expected = scheme.getScaleShape(shape);
    if (!llvm::equal(expected, scaleType.getShape(),
                     [](int64_t a, int64_t b) { return dimsAgree(a, b); }) ||
        expected.size() != static_cast<size_t>(scaleType.getRank()))
      return emitViolation(op, 2)
             << "scale shape " << formatShape(scaleType.getShape())
             << " does not match " << formatShape(expected) << " for "
             << formatShape(shape) << " with axis " << *axis
             << (blockSize ? " and block_size " : "")
             << (blockSize ? std::to_string(*blockSize) : "");
  }
  if (zeroPoint) {
    auto zpType = cast<RankedTensorType>(zeroPoint.getType());
    if (zpType.getShape() != scaleType.getShape() ||
        zpType.getElementType() != quantizedType.getElementType())
      return emitViolation(op, 3)
             << "zero point " << zpType << " differs from the scale's shape "
             << formatShape(scaleType.getShape()) << " with element type "
             << quantizedType.getElementType();
  }
  if (result.getRank() != rank ||
      !llvm::equal(shape, result.getShape(),
                   [](int64_t a, int64_t b) { return dimsAgree(a, b); }))
    return emitViolation(op, 4)
           << "result shape " << formatShape(result.getShape())
           << " differs from input shape " << formatShape(shape);
  return success();
}

RankedTensorType QuantizeOp::getFloatType() { return getInput().getType(); }
RankedTensorType QuantizeOp::getQuantizedType() { return getType(); }
RankedTensorType DequantizeOp::getFloatType() { return getType(); }
RankedTensorType DequantizeOp::getQuantizedType() {
  return getInput().getType();
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantization(*this, getInput().getType(), getFloatType(),
                            getQuantizedType(), getScale().getType(),
                            getZeroPoint(), getAxis(), getBlockSize(),
                            getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantization(*this, getInput().getType(), getFloatType(),
                            getQuantizedType(), getScale().getType(),
                            getZeroPoint(), getAxis(), getBlockSize(),
                            getType());
}

//===----------------------------------------------------------------------===//
// Folding
//===----------------------------------------------------------------------===//

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  if (!adaptor.getInput() || !adaptor.getScale() ||
      (getZeroPoint() && !adaptor.getZeroPoint()))
    return {};
  RankedTensorType type = getType();
  auto dense = dyn_cast<DenseElementsAttr>(adaptor.getInput());
  bool splat = dense && dense.isSplat() && isPerTensor();
  if (!isFoldableResult(type, splat))
    return {};
  FailureOr<SmallVector<float>> scales = getConstantFloats(adaptor.getScale());
  FailureOr<SmallVector<int64_t>> zeroPoints = SmallVector<int64_t>();
  if (getZeroPoint())
    zeroPoints = getConstantInts(adaptor.getZeroPoint());
  if (failed(scales) || failed(zeroPoints))
    return {};
  QuantizationScheme scheme{getAxis().value_or(-1), getBlockSize().value_or(0)};
  auto intType = cast<IntegerType>(type.getElementType());
  if (splat) {
    float value =
        getConstantFloats(DenseElementsAttr::get(
                              RankedTensorType::get({}, dense.getElementType()),
                              dense.getSplatValue<Attribute>()))
            ->front();
    SmallVector<char> bytes =
        quantizeValues(value, {}, scheme, *scales, *zeroPoints, intType);
    return DenseElementsAttr::getFromRawBuffer(
               RankedTensorType::get({}, intType), bytes)
        .resizeSplat(type);
  }
  FailureOr<SmallVector<float>> values = getConstantFloats(adaptor.getInput());
  if (failed(values))
    return {};
  SmallVector<char> bytes = quantizeValues(*values, type.getShape(), scheme,
                                           *scales, *zeroPoints, intType);
  return createConstantLike(adaptor.getInput(), type, ".quantized", bytes);
}
