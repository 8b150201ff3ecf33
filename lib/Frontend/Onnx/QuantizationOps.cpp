//===- QuantizationOps.cpp - QuantizeLinear and DequantizeLinear ----------===//
//
// The QDQ form of quantized ONNX graphs maps onto tfm.quantize and
// tfm.dequantize, whose schemes follow ONNX's: per tensor (a scalar scale,
// or one of a single element), per axis (1-D, opset 13+) and blocked
// (opset 21+).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

namespace {

/// The scale and zero point of a QuantizeLinear/DequantizeLinear node (its
/// inputs 1 and 2) in tfm's form for a tensor of type `type`: a single
/// element becomes rank 0; the axis and block size follow the opset.
struct Scheme {
  Value scale;
  Value zeroPoint;
  IntegerAttr axis;
  IntegerAttr blockSize;
};

std::optional<Scheme> importScheme(NodeImporter &n, RankedTensorType type) {
  Scheme scheme;
  scheme.scale = n.input(1);
  scheme.zeroPoint = n.hasInput(2) ? n.input(2) : Value();
  int64_t axis = n.opset >= 13 ? n.intAttr("axis", 1) : 1;
  int64_t blockSize = n.opset >= 21 ? n.intAttr("block_size", 0) : 0;
  if (n.failed() || !scheme.scale)
    return std::nullopt;
  RankedTensorType scaleType = NodeImporter::getType(scheme.scale);
  if (scheme.zeroPoint && NodeImporter::getType(scheme.zeroPoint).getShape() !=
                              scaleType.getShape()) {
    n.emitError() << "the zero point's shape "
                  << NodeImporter::getType(scheme.zeroPoint)
                  << " differs from the scale's " << scaleType;
    return std::nullopt;
  }
  if (blockSize < 0) {
    n.emitError() << "block_size " << blockSize << " is negative";
    return std::nullopt;
  }
  bool singleElement = scaleType.hasStaticShape() &&
                       scaleType.getNumElements() == 1 &&
                       scaleType.getRank() <= 1;
  if (blockSize == 0 && singleElement) {
    // Per tensor.
    if (scaleType.getRank() == 1) {
      scheme.scale = n.reshape(scheme.scale, {});
      if (scheme.zeroPoint)
        scheme.zeroPoint = n.reshape(scheme.zeroPoint, {});
    }
    return scheme;
  }
  if (blockSize == 0 && scaleType.getRank() != 1) {
    n.emitError() << "the scale " << scaleType
                  << " is neither a scalar nor 1-D, and block_size is 0";
    return std::nullopt;
  }
  if (n.opset < 13) {
    n.emitError() << "the scale " << scaleType
                  << " is not a scalar (per-axis scales need opset 13)";
    return std::nullopt;
  }
  std::optional<int64_t> normalized = n.normalizeAxis(axis, type.getRank());
  if (!normalized)
    return std::nullopt;
  scheme.axis = n.b.getI64IntegerAttr(*normalized);
  if (blockSize > 0)
    scheme.blockSize = n.b.getI64IntegerAttr(blockSize);
  return scheme;
}

LogicalResult convertQuantizeLinear(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 1)))
    return failure();
  Value input = n.input(0);
  if (!input)
    return n.finish();
  RankedTensorType type = NodeImporter::getType(input);
  // The result type: the zero point's, else output_dtype (opset 21), else
  // uint8.
  Type elementType;
  if (n.hasInput(2) && n.input(2)) {
    elementType = NodeImporter::getType(n.input(2)).getElementType();
  } else {
    int64_t dtype = n.opset >= 21 ? n.intAttr("output_dtype", 0) : 0;
    if (n.failed())
      return failure();
    elementType = dtype == 0
                      ? IntegerType::get(n.context, 8, IntegerType::Unsigned)
                      : getElementType(n.context, static_cast<int32_t>(dtype));
    if (!elementType)
      return n.emitError() << "quantizing to " << getDataTypeName(dtype)
                           << " is not supported";
  }
  auto intType = dyn_cast<IntegerType>(elementType);
  if (!intType || intType.getWidth() > 16 || intType.getWidth() < 8)
    return n.emitError() << "quantizing to " << elementType
                         << " is not supported (int8, uint8, int16, uint16)";
  std::optional<Scheme> scheme = importScheme(n, type);
  if (!scheme)
    return n.finish();
  n.setOutput(0, n.createTyped<QuantizeOp>(type.clone(elementType), input,
                                           scheme->scale,
                                           MaybeValue{scheme->zeroPoint},
                                           scheme->axis, scheme->blockSize));
  return n.finish();
}

LogicalResult convertDequantizeLinear(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 1)))
    return failure();
  Value input = n.input(0);
  Value scale = n.input(1);
  if (!input || !scale)
    return n.finish();
  RankedTensorType type = NodeImporter::getType(input);
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType || intType.getWidth() < 8 || intType.getWidth() > 32)
    return n.emitError() << "dequantizing " << type.getElementType()
                         << " is not supported (int8, uint8, int16, uint16, "
                            "int32)";
  std::optional<Scheme> scheme = importScheme(n, type);
  if (!scheme)
    return n.finish();
  Type floatType = NodeImporter::getType(scale).getElementType();
  n.setOutput(0, n.createTyped<DequantizeOp>(type.clone(floatType), input,
                                             scheme->scale,
                                             MaybeValue{scheme->zeroPoint},
                                             scheme->axis, scheme->blockSize));
  return n.finish();
}

/// DynamicQuantizeLinear: uint8 with a range computed at run time, as
/// ONNX defines it: [min(0, min x), max(0, max x)] mapped onto [0, 255],
///   scale = (hi - lo) / 255, zero point = saturate(round(-lo / scale)),
///   y = saturate(round(x / scale) + zero point);
/// the rounding and saturation are tfm.quantize's.
LogicalResult convertDynamicQuantizeLinear(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 3, 3)))
    return failure();
  Value x = n.input(0);
  if (!x)
    return n.finish();
  RankedTensorType type = NodeImporter::getType(x);
  if (!type.getElementType().isF32())
    return n.emitError() << "quantizing " << type.getElementType()
                         << " is not supported (float)";
  auto allAxes = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  Type f32 = type.getElementType();
  Value zero = n.scalar(f32, 0);
  Value lo = n.create<MinOp>(
      n.create<ReduceMinOp>(x, allAxes, /*keepdims=*/false), zero);
  Value hi = n.create<MaxOp>(
      n.create<ReduceMaxOp>(x, allAxes, /*keepdims=*/false), zero);
  Value scale = n.create<DivOp>(n.create<SubOp>(hi, lo), n.scalar(f32, 255));
  auto u8 = IntegerType::get(n.context, 8, IntegerType::Unsigned);
  Value zeroPoint = n.createTyped<QuantizeOp>(
      RankedTensorType::get({}, u8), n.create<NegOp>(lo), scale,
      MaybeValue{Value()}, IntegerAttr(), IntegerAttr());
  n.setOutput(0, n.createTyped<QuantizeOp>(type.clone(u8), x, scale,
                                           MaybeValue{zeroPoint}, IntegerAttr(),
                                           IntegerAttr()));
  n.setOutput(1, scale);
  n.setOutput(2, zeroPoint);
  return n.finish();
}

} // namespace

void mlir::tfm::onnx_import::populateQuantizationConverters(
    ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "QuantizeLinear", 10, convertQuantizeLinear);
  r.add(onnx, "DequantizeLinear", 10, convertDequantizeLinear);
  r.add(onnx, "DynamicQuantizeLinear", 11, convertDynamicQuantizeLinear);
}
