//===- ContractionOps.cpp - matmul and linear -----------------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"
#include "tfm/Dialect/Tfm/TfmTraits.h"

#include "TypeRules.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"

#include <cstring>

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto lhs = dyn_cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = dyn_cast<RankedTensorType>(adaptor.getRhs().getType());
  if (!lhs || !rhs)
    return failure();
  StringRef name = getOperationName();
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return violation(location, name, 1,
                     "operands must have rank >= 2, got lhs ", lhs, " and rhs ",
                     rhs);
  if (lhs.getElementType() != rhs.getElementType())
    return violation(location, name, 2, "lhs element type ",
                     lhs.getElementType(), " differs from rhs element type ",
                     rhs.getElementType());
  ArrayRef<int64_t> lhsShape = lhs.getShape(), rhsShape = rhs.getShape();
  int64_t k1 = lhsShape.back(), k2 = rhsShape[rhsShape.size() - 2];
  if (!dimsAgree(k1, k2))
    return violation(location, name, 3, "contracted dimensions differ: lhs ",
                     formatShape(lhsShape), " has K = ", k1, ", rhs ",
                     formatShape(rhsShape), " has K = ", k2);
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes({lhsShape.drop_back(2), rhsShape.drop_back(2)});
  if (failed(batch))
    return violation(location, name, 4, "batch dimensions of lhs ",
                     formatShape(lhsShape), " and rhs ", formatShape(rhsShape),
                     " are not broadcast-compatible");
  SmallVector<int64_t> shape = *batch;
  shape.push_back(lhsShape[lhsShape.size() - 2]);
  shape.push_back(rhsShape.back());
  inferred.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// sparse_linear
//===----------------------------------------------------------------------===//

/// Whether `type` is one value per output feature: `[features]` of
/// `elementType` (a sparse linear's bias or scales).
static bool isPerFeatureVector(Type type, int64_t features, Type elementType) {
  auto tensor = cast<RankedTensorType>(type);
  return tensor.getRank() == 1 && dimsAgree(tensor.getDimSize(0), features) &&
         tensor.getElementType() == elementType;
}

/// Checks a sparse linear's bias (`[features]` of the input's element type)
/// and residual (the result's type), constraint 4 of both ops.
static LogicalResult verifyEpilogueOperands(std::optional<Location> location,
                                            StringRef name, Value bias,
                                            Value residual, int64_t features,
                                            RankedTensorType result) {
  if (bias &&
      !isPerFeatureVector(bias.getType(), features, result.getElementType()))
    return violation(location, name, 4, "bias must be [", features,
                     "] of the input's element type, got ", bias.getType());
  if (residual && !areCompatibleTensorTypes(TypeRange{residual.getType()},
                                            TypeRange{result}))
    return violation(location, name, 4, "residual ", residual.getType(),
                     " must have the result's type ", Type(result));
  return success();
}

LogicalResult SparseLinearOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto values = dyn_cast<RankedTensorType>(adaptor.getValues().getType());
  auto cols = dyn_cast<RankedTensorType>(adaptor.getCols().getType());
  auto offsets = dyn_cast<RankedTensorType>(adaptor.getOffsets().getType());
  if (!input || !values || !cols || !offsets)
    return failure();
  StringRef name = getOperationName();
  if (values.getRank() != 2 || cols.getRank() != 1 || offsets.getRank() != 1)
    return violation(location, name, 1,
                     "values must have rank 2 [B, w] and cols and offsets "
                     "rank 1, got ",
                     values, ", ", cols, ", ", offsets);
  bool int8 = values.getElementType().isSignlessInteger(8);
  if (!int8 && values.getElementType() != input.getElementType())
    return violation(
        location, name, 1, "values element type ", values.getElementType(),
        " differs from input element type ", input.getElementType());
  if (int8 != static_cast<bool>(adaptor.getScales()))
    return violation(location, name, 1,
                     int8 ? "i8 values need scales"
                          : "float values take no scales");
  if (!dimsAgree(values.getDimSize(0), cols.getDimSize(0)))
    return violation(location, name, 1, "values has ", values.getDimSize(0),
                     " blocks and cols ", cols.getDimSize(0));
  int64_t width = values.getDimSize(1);
  int64_t features = static_cast<int64_t>(adaptor.getOutFeatures());
  if (ShapedType::isDynamic(width) || width <= 0 || features <= 0 ||
      features % width != 0)
    return violation(location, name, 2, "out_features = ", features,
                     " must be a positive multiple of the block width ", width);
  if (!dimsAgree(offsets.getDimSize(0), features / width + 1))
    return violation(location, name, 1, "offsets must have ",
                     features / width + 1, " elements (one per panel of ",
                     width, ", plus one), got ", offsets);
  if (input.getRank() < 1)
    return violation(location, name, 3, "input must have rank >= 1, got ",
                     input);
  SmallVector<int64_t> shape(input.getShape());
  shape.back() = features;
  auto result = RankedTensorType::get(shape, input.getElementType());
  // Scales and bias: one value per output feature, [N].
  if (Value scales = adaptor.getScales();
      scales &&
      !isPerFeatureVector(scales.getType(), features, input.getElementType()))
    return violation(location, name, 1, "scales must be [", features,
                     "] of the input's element type, got ", scales.getType());
  if (failed(verifyEpilogueOperands(location, name, adaptor.getBias(),
                                    adaptor.getResidual(), features, result)))
    return failure();
  inferred.push_back(result);
  return success();
}

/// The elements of the integer constant `value` (literal or blob), if it
/// is one whose bytes are available.
static std::optional<SmallVector<int64_t>> getIndexConstant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  FailureOr<SmallVector<int64_t>> elements = getConstantInts(attr);
  if (failed(elements))
    return std::nullopt;
  return std::move(*elements);
}

LogicalResult SparseLinearOp::verify() {
  std::optional<SmallVector<int64_t>> offsets = getIndexConstant(getOffsets());
  std::optional<SmallVector<int64_t>> cols = getIndexConstant(getCols());
  if (!offsets || !cols)
    return success();
  int64_t blocks = getValues().getType().getDimSize(0);
  int64_t k = getInput().getType().getShape().back();
  int64_t previous = 0, index = 0;
  for (int64_t offset : *offsets) {
    if ((index == 0 && offset != 0) || offset < previous ||
        (!ShapedType::isDynamic(blocks) && offset > blocks))
      return emitOpError("sparse_linear_c5: offsets[")
             << index << "] = " << offset
             << " breaks the panel ranges: offsets must start at 0, not "
                "decrease and stay within the "
             << blocks << " blocks";
    previous = offset;
    ++index;
  }
  if (!ShapedType::isDynamic(blocks) && previous != blocks)
    return emitOpError("sparse_linear_c5: the last offset is ")
           << previous << ", not the number of blocks " << blocks;
  index = 0;
  for (int64_t col : *cols) {
    if (col < 0 || (!ShapedType::isDynamic(k) && col >= k))
      return emitOpError("sparse_linear_c5: cols[")
             << index << "] = " << col << " is outside the input's K = " << k;
    ++index;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// nm_sparse_linear
//===----------------------------------------------------------------------===//

LogicalResult NmSparseLinearOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto values = dyn_cast<RankedTensorType>(adaptor.getValues().getType());
  auto meta = dyn_cast<RankedTensorType>(adaptor.getMeta().getType());
  if (!input || !values || !meta)
    return failure();
  StringRef name = getOperationName();
  int64_t n = static_cast<int64_t>(adaptor.getN());
  int64_t m = static_cast<int64_t>(adaptor.getM());
  if (!(0 < n && n < m && m <= 16))
    return violation(location, name, 2, "needs 0 < n < m <= 16, got ", n, ":",
                     m);
  if (values.getRank() != 3 || meta.getRank() != 3)
    return violation(location, name, 1,
                     "values must have rank 3 [P, G * n, w] and meta rank 3 "
                     "[P, G, w], got ",
                     values, " and ", meta);
  if (values.getElementType() != input.getElementType())
    return violation(
        location, name, 1, "values element type ", values.getElementType(),
        " differs from input element type ", input.getElementType());
  int64_t bits = getPlaceBits(m);
  if (meta.getElementTypeBitWidth() < n * bits)
    return violation(location, name, 1, "meta element type ",
                     meta.getElementType(), " cannot hold ", n, " places of ",
                     bits, " bits");
  int64_t width = values.getDimSize(2);
  if (ShapedType::isDynamic(width) || width <= 0 ||
      !dimsAgree(values.getDimSize(0), meta.getDimSize(0)) ||
      !dimsAgree(values.getDimSize(2), meta.getDimSize(2)) ||
      (!ShapedType::isDynamic(meta.getDimSize(1)) &&
       !dimsAgree(values.getDimSize(1), meta.getDimSize(1) * n)))
    return violation(location, name, 1, "values ",
                     formatShape(values.getShape()), " and meta ",
                     formatShape(meta.getShape()),
                     " must be [P, G * n, w] and [P, G, w] with n = ", n);
  if (input.getRank() < 1)
    return violation(location, name, 3, "input must have rank >= 1, got ",
                     input);
  int64_t groups = meta.getDimSize(1);
  if (!ShapedType::isDynamic(groups) &&
      !dimsAgree(input.getShape().back(), groups * m))
    return violation(location, name, 3, "input ", formatShape(input.getShape()),
                     " must have K = ", groups * m, " (", groups, " groups of ",
                     m, ")");
  int64_t panels = values.getDimSize(0);
  int64_t features =
      ShapedType::isDynamic(panels) ? ShapedType::kDynamic : panels * width;
  SmallVector<int64_t> shape(input.getShape());
  shape.back() = features;
  auto result = RankedTensorType::get(shape, input.getElementType());
  if (failed(verifyEpilogueOperands(location, name, adaptor.getBias(),
                                    adaptor.getResidual(), features, result)))
    return failure();
  inferred.push_back(result);
  return success();
}

LogicalResult NmSparseLinearOp::verify() {
  // The places are read from the constant's bytes in place: a weight's
  // metadata has as many words as its kept weights over n.
  Attribute attr;
  if (!matchPattern(getMeta(), m_Constant(&attr)))
    return success();
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(attr, storage);
  if (failed(bytes))
    return success();
  RankedTensorType metaType = getMeta().getType();
  int64_t wordBytes = getStorageBytes(metaType.getElementType());
  ArrayRef<int64_t> shape = metaType.getShape();
  int64_t n = getN(), m = getM();
  int64_t bits = getPlaceBits(m);
  uint64_t mask = (uint64_t{1} << bits) - 1;
  int64_t words = static_cast<int64_t>(bytes->size()) / wordBytes;
  for (int64_t index = 0; index < words; ++index) {
    uint64_t word = 0;
    std::memcpy(&word, bytes->data() + index * wordBytes, wordBytes);
    int64_t previous = -1;
    for (int64_t t = 0; t < n; ++t) {
      auto place = static_cast<int64_t>((word >> (t * bits)) & mask);
      if (place < m && place > previous) {
        previous = place;
        continue;
      }
      int64_t group = index / shape[2];
      return emitOpError("nm_sparse_linear_c5: meta[")
             << group / shape[1] << ", " << group % shape[1] << ", "
             << index % shape[2] << "] places weight " << t << " at " << place
             << ": places must be below m = " << m << " and increase";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(adaptor.getWeight().getType());
  if (!input || !weight)
    return failure();
  StringRef name = getOperationName();
  std::optional<uint64_t> outFeatures = adaptor.getOutFeatures();
  if (weight.getRank() != (outFeatures ? 3 : 2))
    return violation(location, name, 1,
                     outFeatures ? "a weight in the panel layout "
                                   "(out_features) must have rank 3 [P, K, w]"
                                 : "weight must have rank 2 [N, K]",
                     ", got ", weight);
  int64_t n = weight.getDimSize(0), k = weight.getDimSize(1);
  if (outFeatures) {
    int64_t features = static_cast<int64_t>(*outFeatures);
    int64_t width = weight.getDimSize(2);
    if (features <= 0)
      return violation(location, name, 8, "out_features must be positive, got ",
                       features);
    if (!ShapedType::isDynamic(width) &&
        !dimsAgree(weight.getDimSize(0), llvm::divideCeil(features, width)))
      return violation(location, name, 8, "out_features = ", features,
                       " needs ceil(", features, " / ", width,
                       ") panels, the weight ", formatShape(weight.getShape()),
                       " has ", weight.getDimSize(0));
    n = features;
  }
  if (input.getRank() < 1)
    return violation(location, name, 2, "input must have rank >= 1, got ",
                     input);
  Type elementType = input.getElementType();
  auto bias = adaptor.getBias()
                  ? dyn_cast<RankedTensorType>(adaptor.getBias().getType())
                  : RankedTensorType();
  if (weight.getElementType() != elementType)
    return violation(location, name, 3, "weight element type ",
                     weight.getElementType(),
                     " differs from input element type ", elementType);
  if (bias && bias.getElementType() != elementType)
    return violation(location, name, 3, "bias element type ",
                     bias.getElementType(), " differs from input element type ",
                     elementType);
  if (!dimsAgree(input.getShape().back(), k))
    return violation(location, name, 4, "input ", formatShape(input.getShape()),
                     " does not end in the weight's K = ", k, " (weight ",
                     formatShape(weight.getShape()), ")");
  if (bias && (bias.getRank() != 1 || !dimsAgree(bias.getDimSize(0), n)))
    return violation(location, name, 5, "bias shape ",
                     formatShape(bias.getShape()), " must be [", n,
                     "] to match ", outFeatures ? "out_features" : "weight ",
                     outFeatures ? "" : formatShape(weight.getShape()));
  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(n);
  auto result = RankedTensorType::get(shape, elementType);
  if (Value residualValue = adaptor.getResidual()) {
    auto residual = dyn_cast<RankedTensorType>(residualValue.getType());
    if (!residual)
      return failure();
    if (residual.getElementType() != elementType)
      return violation(location, name, 3, "residual element type ",
                       residual.getElementType(),
                       " differs from input element type ", elementType);
    if (!areCompatibleTensorTypes(residual, result))
      return violation(location, name, 7, "residual shape ",
                       formatShape(residual.getShape()),
                       " differs from the result shape ", formatShape(shape));
  }
  inferred.push_back(result);
  return success();
}

int64_t LinearOp::getNumOutputFeatures() {
  if (std::optional<uint64_t> features = getOutFeatures())
    return static_cast<int64_t>(*features);
  return getWeight().getType().getDimSize(0);
}

//===----------------------------------------------------------------------===//
// conv
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(adaptor.getWeight().getType());
  if (!input || !weight)
    return failure();
  StringRef name = getOperationName();
  int64_t rank = input.getRank();
  if (rank < 3 || weight.getRank() != rank)
    return violation(location, name, 1, "input ", input, " and weight ", weight,
                     " must have the same rank, at least 3");
  int64_t spatial = rank - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides(),
                    padding = adaptor.getPadding(),
                    dilations = adaptor.getDilations();
  auto positive = [](int64_t v) { return v > 0; };
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(padding.size()) != 2 * spatial ||
      !llvm::all_of(strides, positive) || !llvm::all_of(dilations, positive) ||
      llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return violation(location, name, 2, "strides ", formatShape(strides),
                     " and dilations ", formatShape(dilations), " need ",
                     spatial, " positive entries and padding ",
                     formatShape(padding), " ", 2 * spatial,
                     " non-negative ones");
  int64_t groups = adaptor.getGroups();
  int64_t channels = input.getDimSize(1), outChannels = weight.getDimSize(0);
  bool groupsOk = groups > 0;
  if (groupsOk && !ShapedType::isDynamic(outChannels))
    groupsOk = outChannels % groups == 0;
  if (groupsOk && !ShapedType::isDynamic(channels) &&
      !ShapedType::isDynamic(weight.getDimSize(1)))
    groupsOk = channels == weight.getDimSize(1) * groups;
  if (!groupsOk)
    return violation(
        location, name, 3, "groups = ", groups, " must divide the ",
        outChannels, " output channels, and input channels ", channels,
        " must equal weight[1] = ", weight.getDimSize(1), " times groups");
  Type elementType = input.getElementType();
  if (weight.getElementType() != elementType)
    return violation(location, name, 4, "weight element type ",
                     weight.getElementType(),
                     " differs from input element type ", elementType);
  if (Value biasValue = adaptor.getBias()) {
    auto bias = cast<RankedTensorType>(biasValue.getType());
    if (bias.getElementType() != elementType || bias.getRank() != 1 ||
        !dimsAgree(bias.getDimSize(0), outChannels))
      return violation(location, name, 4, "bias ", bias, " must be [",
                       outChannels, "] of element type ", elementType);
  }
  SmallVector<int64_t> shape = {input.getDimSize(0), outChannels};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(2 + i), k = weight.getDimSize(2 + i);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    // In 128 bits: attributes from a model may be as large as int64_t.
    __int128 wide = static_cast<__int128>(in) + padding[i] +
                    padding[spatial + i] -
                    static_cast<__int128>(dilations[i]) * (k - 1) - 1;
    if (wide > INT64_MAX)
      return violation(location, name, 5, "spatial dimension ", i,
                       " padded by ", padding[i], " and ", padding[spatial + i],
                       " exceeds 64-bit sizes");
    int64_t span = wide < 0 ? -1 : static_cast<int64_t>(wide);
    if (span < 0)
      return violation(location, name, 5, "spatial dimension ", i, " of input ",
                       formatShape(input.getShape()),
                       " is smaller than the dilated kernel ",
                       formatShape(weight.getShape()));
    shape.push_back(span / strides[i] + 1);
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}
