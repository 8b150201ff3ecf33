//===- QuantizationOps.cpp - QDQ and the quantized products --------------===//
//
// The QDQ form of quantized ONNX graphs maps onto tfm.quantize and
// tfm.dequantize, whose schemes follow ONNX's: per tensor (a scalar scale,
// or one of a single element), per axis (1-D, opset 13+) and blocked
// (opset 21+). The quantized products (QLinearMatMul, ONNX Runtime's
// MatMulIntegerToFloat, DynamicQuantizeMatMul and MatMulNBits) become
// products of dequantized operands; MatMulInteger an exact int32 product
// that tfm-fuse-quantized turns into one.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

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

/// The uint8 codes, scale and zero point of DynamicQuantizeLinear(x), as
/// ONNX defines it: [min(0, min x), max(0, max x)] mapped onto [0, 255],
///   scale = (hi - lo) / 255, zero point = saturate(round(-lo / scale)),
///   y = saturate(round(x / scale) + zero point);
/// the rounding and saturation are tfm.quantize's.
struct DynamicQuantization {
  Value codes, scale, zeroPoint;
};

std::optional<DynamicQuantization> quantizeDynamically(NodeImporter &n,
                                                       Value x) {
  RankedTensorType type = NodeImporter::getType(x);
  if (!type.getElementType().isF32()) {
    n.emitError() << "quantizing " << type.getElementType()
                  << " is not supported (float)";
    return std::nullopt;
  }
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
  Value codes =
      n.createTyped<QuantizeOp>(type.clone(u8), x, scale, MaybeValue{zeroPoint},
                                IntegerAttr(), IntegerAttr());
  if (n.failed())
    return std::nullopt;
  return DynamicQuantization{codes, scale, zeroPoint};
}

LogicalResult convertDynamicQuantizeLinear(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 3, 3)))
    return failure();
  Value x = n.input(0);
  if (!x)
    return n.finish();
  std::optional<DynamicQuantization> quantized = quantizeDynamically(n, x);
  if (!quantized)
    return n.finish();
  n.setOutput(0, quantized->codes);
  n.setOutput(1, quantized->scale);
  n.setOutput(2, quantized->zeroPoint);
  return n.finish();
}

/// Which operand of a quantized matmul: A [..., M, K] takes a zero point
/// (and a scale) per tensor or per row, B [..., K, N] per tensor or per
/// column.
enum class MatmulOperand { lhs, rhs };

StringRef getOperandName(MatmulOperand operand) {
  return operand == MatmulOperand::lhs ? "A" : "B";
}

/// Checks that `x` holds 8-bit integers, and `zeroPoint` (when given) the
/// same type.
LogicalResult checkEightBitOperand(NodeImporter &n, Value x, Value zeroPoint,
                                   MatmulOperand operand) {
  Type type = NodeImporter::getType(x).getElementType();
  if (!type.isInteger(8))
    return n.emitError() << getOperandName(operand) << " of " << type
                         << " is not supported (int8 or uint8)";
  if (zeroPoint && NodeImporter::getType(zeroPoint).getElementType() != type)
    return n.emitError() << "the zero point of " << getOperandName(operand)
                         << " is "
                         << NodeImporter::getType(zeroPoint).getElementType()
                         << ", not " << type;
  return success();
}

/// The granularity of a scale or zero point `v` of `operand` `x`: true per
/// tensor (one element), false per row (A) or column (B), as a 1-D tensor
/// of that many elements; reports anything else.
std::optional<bool> isPerTensorOperand(NodeImporter &n, Value x, Value v,
                                       MatmulOperand operand, StringRef what) {
  RankedTensorType type = NodeImporter::getType(x);
  RankedTensorType vType = NodeImporter::getType(v);
  if (vType.hasStaticShape() && vType.getNumElements() == 1 &&
      vType.getRank() <= 1)
    return true;
  int64_t axis = type.getRank() - (operand == MatmulOperand::lhs ? 2 : 1);
  if (vType.getRank() == 1 && type.getRank() == 2 &&
      vType.getDimSize(0) == type.getDimSize(axis))
    return false;
  n.emitError() << "the " << what << " " << vType << " of "
                << getOperandName(operand) << " " << type << " is neither "
                << "one value nor one per "
                << (operand == MatmulOperand::lhs ? "row" : "column")
                << " of a 2-D operand";
  return std::nullopt;
}

/// MatMulInteger's operand `x - zero_point` in i32 (exact).
Value widenOperand(NodeImporter &n, Value x, Value zeroPoint,
                   MatmulOperand operand) {
  Type i32 = n.b.getI32Type();
  Value wide = n.cast(x, i32);
  if (!zeroPoint)
    return wide;
  std::optional<bool> perTensor =
      isPerTensorOperand(n, x, zeroPoint, operand, "zero point");
  if (!perTensor)
    return Value();
  if (*perTensor)
    zeroPoint = n.reshape(zeroPoint, {});
  else if (operand == MatmulOperand::lhs)
    zeroPoint = n.reshape(zeroPoint,
                          {NodeImporter::getType(zeroPoint).getDimSize(0), 1});
  return n.create<SubOp>(wide, n.cast(zeroPoint, i32));
}

/// MatMulInteger: (A - a_zero_point) · (B - b_zero_point) in int32, exactly;
/// the graph optimizer turns it, with the Cast and the scales exporters put
/// after it, into a product of dequantized operands (tfm-fuse-quantized).
LogicalResult convertMatMulInteger(NodeImporter &n) {
  if (failed(n.expectArity(2, 4, 1, 1)))
    return failure();
  Value a = n.input(0), b = n.input(1);
  if (!a || !b)
    return n.finish();
  Value aZero = n.hasInput(2) ? n.input(2) : Value();
  Value bZero = n.hasInput(3) ? n.input(3) : Value();
  if (failed(checkEightBitOperand(n, a, aZero, MatmulOperand::lhs)) ||
      failed(checkEightBitOperand(n, b, bZero, MatmulOperand::rhs)))
    return failure();
  Value lhs = widenOperand(n, a, aZero, MatmulOperand::lhs);
  Value rhs = widenOperand(n, b, bZero, MatmulOperand::rhs);
  n.setOutput(0, createMatmul(n, lhs, rhs));
  return n.finish();
}

/// dequantize(x, scale, zero_point) of an operand of a quantized matmul,
/// per tensor or per row of A / column of B.
Value dequantizeOperand(NodeImporter &n, Value x, Value scale, Value zeroPoint,
                        MatmulOperand operand) {
  if (!x || !scale)
    return Value();
  if (failed(checkEightBitOperand(n, x, zeroPoint, operand)))
    return Value();
  RankedTensorType scaleType = NodeImporter::getType(scale);
  if (!isa<FloatType>(scaleType.getElementType())) {
    n.emitError() << "the scale of " << getOperandName(operand) << " is "
                  << scaleType.getElementType() << ", not a float";
    return Value();
  }
  std::optional<bool> perTensor =
      isPerTensorOperand(n, x, scale, operand, "scale");
  if (!perTensor)
    return Value();
  if (zeroPoint) {
    std::optional<bool> zeroPerTensor =
        isPerTensorOperand(n, x, zeroPoint, operand, "zero point");
    if (!zeroPerTensor)
      return Value();
    if (*zeroPerTensor != *perTensor) {
      n.emitError() << "the zero point and the scale of "
                    << getOperandName(operand)
                    << " have different granularities";
      return Value();
    }
  }
  RankedTensorType type = NodeImporter::getType(x);
  IntegerAttr axis;
  if (*perTensor) {
    scale = n.reshape(scale, {});
    if (zeroPoint)
      zeroPoint = n.reshape(zeroPoint, {});
  } else {
    axis = n.b.getI64IntegerAttr(operand == MatmulOperand::lhs ? 0 : 1);
  }
  return n.createTyped<DequantizeOp>(type.clone(scaleType.getElementType()), x,
                                     scale, MaybeValue{zeroPoint}, axis,
                                     IntegerAttr());
}

/// QLinearMatMul: quantize(dequantize(a) · dequantize(b), y_scale,
/// y_zero_point), the integer product and its requantization in tfm's
/// quantized ops.
LogicalResult convertQLinearMatMul(NodeImporter &n) {
  if (failed(n.expectArity(8, 8, 1, 1)))
    return failure();
  Value a = dequantizeOperand(n, n.input(0), n.input(1), n.input(2),
                              MatmulOperand::lhs);
  Value b = dequantizeOperand(n, n.input(3), n.input(4), n.input(5),
                              MatmulOperand::rhs);
  Value yScale = n.input(6), yZero = n.input(7);
  if (!a || !b || !yScale || !yZero)
    return n.finish();
  RankedTensorType yScaleType = NodeImporter::getType(yScale);
  RankedTensorType yZeroType = NodeImporter::getType(yZero);
  if (!yScaleType.hasStaticShape() || yScaleType.getNumElements() != 1 ||
      yZeroType != yScaleType.clone(yZeroType.getElementType()))
    return n.emitError() << "y_scale " << yScaleType << " and y_zero_point "
                         << yZeroType << " must be single values of one shape";
  auto yType = dyn_cast<IntegerType>(yZeroType.getElementType());
  if (!yType || yType.getWidth() != 8)
    return n.emitError() << "Y of " << yZeroType.getElementType()
                         << " is not supported (int8 or uint8)";
  Value product = createMatmul(n, a, b);
  if (!product)
    return n.finish();
  if (NodeImporter::getType(product).getElementType() !=
      yScaleType.getElementType())
    product = n.cast(product, yScaleType.getElementType());
  n.setOutput(0, n.createTyped<QuantizeOp>(
                     NodeImporter::getType(product).clone(yType), product,
                     n.reshape(yScale, {}), MaybeValue{n.reshape(yZero, {})},
                     IntegerAttr(), IntegerAttr()));
  return n.finish();
}

/// Output 0 of a quantized product node: a · b, plus input `biasIndex`
/// when the node has it.
LogicalResult finishProduct(NodeImporter &n, Value a, Value b,
                            unsigned biasIndex) {
  Value y = createMatmul(n, a, b);
  if (n.hasInput(biasIndex))
    y = n.create<AddOp>(y, n.input(biasIndex));
  n.setOutput(0, y);
  return n.finish();
}

/// com.microsoft.MatMulIntegerToFloat: dequantize(A) · dequantize(B)
/// (+ bias), the fused form ONNX Runtime makes of MatMulInteger graphs.
LogicalResult convertMatMulIntegerToFloat(NodeImporter &n) {
  if (failed(n.expectArity(4, 7, 1, 1)))
    return failure();
  Value aZero = n.hasInput(4) ? n.input(4) : Value();
  Value bZero = n.hasInput(5) ? n.input(5) : Value();
  Value a =
      dequantizeOperand(n, n.input(0), n.input(2), aZero, MatmulOperand::lhs);
  Value b =
      dequantizeOperand(n, n.input(1), n.input(3), bZero, MatmulOperand::rhs);
  return finishProduct(n, a, b, /*biasIndex=*/6);
}

/// com.microsoft.DynamicQuantizeMatMul: A quantized at run time as
/// DynamicQuantizeLinear does, times dequantize(B) (+ bias).
LogicalResult convertDynamicQuantizeMatMul(NodeImporter &n) {
  if (failed(n.expectArity(3, 5, 1, 1)))
    return failure();
  Value x = n.input(0);
  if (!x)
    return n.finish();
  std::optional<DynamicQuantization> quantized = quantizeDynamically(n, x);
  if (!quantized)
    return n.finish();
  Value a = dequantizeOperand(n, quantized->codes, quantized->scale,
                              quantized->zeroPoint, MatmulOperand::lhs);
  Value bZero = n.hasInput(3) ? n.input(3) : Value();
  Value b =
      dequantizeOperand(n, n.input(1), n.input(2), bZero, MatmulOperand::rhs);
  return finishProduct(n, a, b, /*biasIndex=*/4);
}

/// com.microsoft.MatMulNBits: Y = A · Wᵀ (+ bias) with W [N, K] quantized
/// in blocks of `block_size` along K, unsigned codes of `bits` (4 or 8):
///
///   B [N, ceil(K/bs), bs·bits/8] uint8   codes, 4-bit ones two per byte,
///                                         low nibble first
///   scales [N·ceil(K/bs)]                 float, the type of W
///   zero_points                           uint8 packed like B, [N ·
///                                         ceil(ceil(K/bs)·bits/8)], or
///                                         floats [N·ceil(K/bs)]; default
///                                         2^(bits-1)
///
/// becomes linear(A, dequantize(Q [N, K] ui<bits>, S, Z) {axis = 1,
/// block_size = bs}, bias): the codes are unpacked at import (one per byte)
/// and packed again by the backend in its own layout. B and the zero points
/// must be initializers (the backend's packed product also needs constant
/// scales); g_idx only in its trivial form (i / block_size).
LogicalResult convertMatMulNBits(NodeImporter &n) {
  if (failed(n.expectArity(3, 6, 1, 1)))
    return failure();
  int64_t k = n.intAttr("K", std::nullopt);
  int64_t features = n.intAttr("N", std::nullopt);
  int64_t bits = n.intAttr("bits", 4);
  int64_t blockSize = n.intAttr("block_size", std::nullopt);
  (void)n.intAttr("accuracy_level", 0); // a compute-precision hint
  if (n.failed())
    return failure();
  if (bits != 4 && bits != 8)
    return n.emitError() << "bits " << bits << " is not supported (4 or 8)";
  if (blockSize < 16 || !llvm::isPowerOf2_64(blockSize))
    return n.emitError() << "block_size " << blockSize
                         << " is not a power of 2 of at least 16";
  if (k <= 0 || features <= 0)
    return n.emitError() << "K " << k << " and N " << features
                         << " must be positive";
  Value a = n.input(0);
  if (!a || !n.input(1) || !n.input(2))
    return n.finish();
  RankedTensorType aType = NodeImporter::getType(a);
  if (aType.getRank() < 1 || (!aType.isDynamicDim(aType.getRank() - 1) &&
                              aType.getDimSize(aType.getRank() - 1) != k))
    return n.emitError() << "A " << aType << " does not end in K = " << k;
  int64_t blocks = llvm::divideCeil(k, blockSize);
  int64_t blobSize = blockSize * bits / 8;
  auto constantOf = [&](unsigned i, StringRef what) -> Attribute {
    Attribute value;
    if (!matchPattern(n.input(i), m_Constant(&value))) {
      n.emitError() << what << " must be an initializer";
      return nullptr;
    }
    return value;
  };
  Attribute bAttr = constantOf(1, "B");
  if (!bAttr)
    return failure();
  RankedTensorType bType = NodeImporter::getType(n.input(1));
  if (!bType.getElementType().isUnsignedInteger(8) ||
      bType.getShape() != ArrayRef<int64_t>{features, blocks, blobSize})
    return n.emitError() << "B " << bType << " is not uint8 [N, "
                         << "ceil(K / block_size), block_size · bits / 8] = ["
                         << features << ", " << blocks << ", " << blobSize
                         << "]";
  RankedTensorType scaleType = NodeImporter::getType(n.input(2));
  if (!isa<FloatType>(scaleType.getElementType()) ||
      !scaleType.hasStaticShape() ||
      scaleType.getNumElements() != features * blocks)
    return n.emitError() << "scales " << scaleType << " do not hold N · "
                         << "ceil(K / block_size) = " << features * blocks
                         << " floats";
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(bAttr, storage);
  if (failed(bytes))
    return n.emitError() << "B has no data";
  // The codes, one per byte.
  SmallVector<char> codes(features * k);
  for (int64_t row = 0; row < features; ++row) {
    for (int64_t col = 0; col < k; ++col) {
      int64_t at = (row * blocks + col / blockSize) * blobSize +
                   (col % blockSize) * bits / 8;
      auto byte = static_cast<uint8_t>((*bytes)[at]);
      if (bits == 4)
        byte = col % 2 == 0 ? byte & 15 : byte >> 4;
      codes[row * k + col] = static_cast<char>(byte);
    }
  }
  // The zero points, one per block.
  SmallVector<char> zeroPoints(features * blocks,
                               static_cast<char>(1 << (bits - 1)));
  if (n.hasInput(3) && n.input(3)) {
    Attribute zpAttr = constantOf(3, "zero_points");
    if (!zpAttr)
      return failure();
    RankedTensorType zpType = NodeImporter::getType(n.input(3));
    int64_t highest = (int64_t{1} << bits) - 1;
    if (zpType.getElementType().isUnsignedInteger(8)) {
      int64_t rowBytes = llvm::divideCeil(blocks * bits, 8);
      SmallVector<char> zpStorage;
      FailureOr<ArrayRef<char>> zpBytes = getConstantBytes(zpAttr, zpStorage);
      if (failed(zpBytes) ||
          static_cast<int64_t>(zpBytes->size()) != features * rowBytes)
        return n.emitError() << "packed zero_points " << zpType
                             << " do not hold N · ceil(ceil(K / block_size) "
                                "· bits / 8) = "
                             << features * rowBytes << " bytes";
      for (int64_t row = 0; row < features; ++row)
        for (int64_t b = 0; b < blocks; ++b) {
          auto byte =
              static_cast<uint8_t>((*zpBytes)[row * rowBytes + b * bits / 8]);
          if (bits == 4)
            byte = b % 2 == 0 ? byte & 15 : byte >> 4;
          zeroPoints[row * blocks + b] = static_cast<char>(byte);
        }
    } else if (isa<FloatType>(zpType.getElementType())) {
      FailureOr<SmallVector<float>> values = getConstantFloats(zpAttr);
      if (failed(values) ||
          static_cast<int64_t>(values->size()) != features * blocks)
        return n.emitError()
               << "zero_points " << zpType << " do not hold N "
               << "· ceil(K / block_size) = " << features * blocks << " values";
      for (auto [z, value] : llvm::zip_equal(zeroPoints, *values)) {
        if (value != std::floor(value) || value < 0 || value > highest)
          return n.emitError()
                 << "zero point " << value << " is not an integer in [0, "
                 << highest << "] (fractional zero points are not supported)";
        z = static_cast<char>(static_cast<int64_t>(value));
      }
    } else {
      return n.emitError() << "zero_points " << zpType
                           << " are not supported (uint8 packed, or floats)";
    }
  }
  if (n.hasInput(4) && n.input(4)) {
    std::optional<SmallVector<int64_t>> order =
        n.requireConstantInts(4, "g_idx");
    if (!order)
      return failure();
    for (auto [i, group] : llvm::enumerate(*order))
      if (group != static_cast<int64_t>(i) / blockSize)
        return n.emitError() << "g_idx reorders the blocks (act-order), "
                                "which is not supported";
  }
  Value bias = n.hasInput(5) ? n.input(5) : Value();
  auto codeType = IntegerType::get(n.context, bits, IntegerType::Unsigned);
  Value q = n.constant(createConstantLike(
      bAttr, RankedTensorType::get({features, k}, codeType), ".codes", codes));
  Value z = n.constant(createConstantLike(
      bAttr, RankedTensorType::get({features, blocks}, codeType),
      ".zero_points", zeroPoints));
  Value scale = n.reshape(n.input(2), {features, blocks});
  Value weight = n.createTyped<DequantizeOp>(
      RankedTensorType::get({features, k}, scaleType.getElementType()), q,
      scale, MaybeValue{z}, n.b.getI64IntegerAttr(1),
      n.b.getI64IntegerAttr(blockSize));
  n.setOutput(0, n.create<LinearOp>(a, weight, MaybeValue{bias}, MaybeValue{},
                                    ActivationAttr(), IntegerAttr()));
  return n.finish();
}

} // namespace

void mlir::tfm::onnx_import::populateQuantizationConverters(
    ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "QuantizeLinear", 10, convertQuantizeLinear);
  r.add(onnx, "DequantizeLinear", 10, convertDequantizeLinear);
  r.add(onnx, "DynamicQuantizeLinear", 11, convertDynamicQuantizeLinear);
  r.add(onnx, "MatMulInteger", 10, convertMatMulInteger);
  r.add(onnx, "QLinearMatMul", 10, convertQLinearMatMul);
  r.add(kMicrosoftDomain, "MatMulNBits", 1, convertMatMulNBits);
  r.add(kMicrosoftDomain, "MatMulIntegerToFloat", 1,
        convertMatMulIntegerToFloat);
  r.add(kMicrosoftDomain, "DynamicQuantizeMatMul", 1,
        convertDynamicQuantizeMatMul);
}
