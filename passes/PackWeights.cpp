//===- PackWeights.cpp - linear weights in the panel layout ---------------===//
//
//   linear(x, W [N, K] constant)
//     -> linear(x, Wp [ceil(N/w), K, w] constant) {out_features = N}
//
// with Wp[p, k, j] = W[p·w + j, k], zero past N, computed at compile time.
// A quantized weight (dequantize of constants) or a narrow float one (cast
// of a bf16/f16 constant) packs its constants and keeps its form.
//
//===----------------------------------------------------------------------===//

#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/SetVector.h"

#include <cstring>

namespace mlir::tfm {
#define GEN_PASS_DEF_PACKWEIGHTSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// Where a linear's [N, K] weight comes from: a constant, read as [N, K] or
/// (under a transpose) as [K, N].
struct WeightSource {
  Attribute value;
  bool isTransposed;
};

std::optional<WeightSource> getWeightSource(LinearOp linear) {
  Value weight = linear.getWeight();
  bool isTransposed = false;
  if (auto transpose = weight.getDefiningOp<TransposeOp>()) {
    if (transpose.getPerm() != ArrayRef<int64_t>{1, 0})
      return std::nullopt;
    weight = transpose.getInput();
    isTransposed = true;
  }
  Attribute value;
  if (!matchPattern(weight, m_Constant(&value)))
    return std::nullopt;
  return WeightSource{value, isTransposed};
}

/// The panel layout of the [N, K] weight in `source`, or null when its
/// bytes are not available.
ElementsAttr packPanels(const WeightSource &source, RankedTensorType type,
                        int64_t width) {
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(source.value, storage);
  if (failed(bytes))
    return nullptr;
  int64_t n = type.getDimSize(0), k = type.getDimSize(1);
  int64_t panels = llvm::divideCeil(n, width);
  int64_t size = getStorageBytes(type.getElementType());
  SmallVector<char> packed(panels * k * width * size, 0);
  for (int64_t row = 0; row < n; ++row) {
    int64_t panel = row / width, lane = row % width;
    for (int64_t col = 0; col < k; ++col) {
      int64_t from = source.isTransposed ? col * n + row : row * k + col;
      int64_t to = (panel * k + col) * width + lane;
      std::memcpy(&packed[to * size], &(*bytes)[from * size], size);
    }
  }
  auto packedType =
      RankedTensorType::get({panels, k, width}, type.getElementType());
  return createConstantLike(source.value, packedType, ".panels", packed);
}

/// A quantized weight `dequantize(Q [N, K], S[, Z])` with one scale (and
/// zero point) per output feature, or one for all, packed as
/// `dequantize(Qp [P, K, w], Sp[, Zp])`: Q in panels like a float weight,
/// and a per-feature S as the blocked scale [P, 1, w] (block K along axis
/// 1, so that each panel column keeps its feature's scale; 1 past N), Z
/// alike (0 past N).
///
/// A weight quantized in blocks along K (`axis = 1`, scales and zero points
/// [N, K/b]) packs its scales and zero points in panels too, [P, K/b, w]
/// (zero past N), still blocked along axis 1.
Value packBlockQuantized(IRRewriter &rewriter, DequantizeOp dequantize,
                         int64_t width) {
  RankedTensorType qType = dequantize.getInput().getType();
  Attribute q, scale, zeroPoint;
  if (qType.getRank() != 2 || !qType.hasStaticShape() ||
      *dequantize.getAxis() != 1 ||
      !matchPattern(dequantize.getInput(), m_Constant(&q)) ||
      !matchPattern(dequantize.getScale(), m_Constant(&scale)) ||
      (dequantize.getZeroPoint() &&
       !matchPattern(dequantize.getZeroPoint(), m_Constant(&zeroPoint))))
    return nullptr;
  SmallVector<ElementsAttr> packed;
  for (Attribute value : {q, scale, zeroPoint}) {
    if (!value)
      continue;
    packed.push_back(packPanels(
        {value, /*isTransposed=*/false},
        cast<RankedTensorType>(cast<TypedAttr>(value).getType()), width));
    if (!packed.back())
      return nullptr;
  }
  rewriter.setInsertionPointAfter(dequantize);
  Location loc = dequantize.getLoc();
  SmallVector<Value> operands =
      llvm::map_to_vector(packed, [&](ElementsAttr v) -> Value {
        return ConstantOp::create(rewriter, loc, v).getResult();
      });
  int64_t numPanels = llvm::divideCeil(qType.getDimSize(0), width);
  return DequantizeOp::create(
      rewriter, loc,
      RankedTensorType::get({numPanels, qType.getDimSize(1), width},
                            dequantize.getType().getElementType()),
      operands[0], operands[1], operands.size() > 2 ? operands[2] : Value(),
      dequantize.getAxisAttr(), dequantize.getBlockSizeAttr());
}

Value packQuantized(IRRewriter &rewriter, DequantizeOp dequantize,
                    int64_t width) {
  if (dequantize.getBlockSize())
    return packBlockQuantized(rewriter, dequantize, width);
  RankedTensorType qType = dequantize.getInput().getType();
  Attribute q, scale, zeroPoint;
  if (qType.getRank() != 2 || !qType.hasStaticShape() ||
      (!dequantize.isPerTensor() && *dequantize.getAxis() != 0) ||
      !matchPattern(dequantize.getInput(), m_Constant(&q)) ||
      !matchPattern(dequantize.getScale(), m_Constant(&scale)) ||
      (dequantize.getZeroPoint() &&
       !matchPattern(dequantize.getZeroPoint(), m_Constant(&zeroPoint))))
    return nullptr;
  ElementsAttr panels = packPanels({q, /*isTransposed=*/false}, qType, width);
  if (!panels)
    return nullptr;
  int64_t n = qType.getDimSize(0), k = qType.getDimSize(1);
  int64_t numPanels = llvm::divideCeil(n, width);
  Type floatType = dequantize.getType().getElementType();
  Location loc = dequantize.getLoc();
  rewriter.setInsertionPointAfter(dequantize);
  Value packedScale = dequantize.getScale();
  Value packedZeroPoint = dequantize.getZeroPoint();
  IntegerAttr axis, blockSize;
  if (!dequantize.isPerTensor()) {
    FailureOr<SmallVector<float>> scales = getConstantFloats(scale);
    if (failed(scales) || !floatType.isF32())
      return nullptr;
    SmallVector<float> padded(numPanels * width, 1.0f);
    llvm::copy(*scales, padded.begin());
    packedScale = ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({numPanels, 1, width}, floatType),
            ArrayRef<float>(padded)));
    if (zeroPoint) {
      // Zero points go with their scales, 0 past N.
      auto zType = cast<RankedTensorType>(cast<TypedAttr>(zeroPoint).getType());
      SmallVector<char> storage;
      FailureOr<ArrayRef<char>> bytes = getConstantBytes(zeroPoint, storage);
      int64_t size = getStorageBytes(zType.getElementType());
      if (failed(bytes))
        return nullptr;
      SmallVector<char> paddedZ(numPanels * width * size, 0);
      llvm::copy(*bytes, paddedZ.begin());
      packedZeroPoint = ConstantOp::create(
          rewriter, loc,
          createConstantLike(zeroPoint, zType.clone({numPanels, 1, width}),
                             ".panels", paddedZ));
    }
    axis = rewriter.getI64IntegerAttr(1);
    blockSize = rewriter.getI64IntegerAttr(k);
  }
  Value packedQ = ConstantOp::create(rewriter, loc, panels);
  return DequantizeOp::create(
      rewriter, loc, RankedTensorType::get({numPanels, k, width}, floatType),
      packedQ, packedScale, packedZeroPoint, axis, blockSize);
}

/// A narrow float weight read as f32, `cast(W16 [N, K])` (mixed
/// precision), packed as `cast(W16p [P, K, w])`: the narrow constant in
/// panels.
Value packWidened(IRRewriter &rewriter, CastOp widening, int64_t width) {
  auto narrowType = dyn_cast<RankedTensorType>(widening.getInput().getType());
  Attribute value;
  if (!narrowType || narrowType.getRank() != 2 ||
      !narrowType.hasStaticShape() ||
      !isa<FloatType>(narrowType.getElementType()) ||
      !matchPattern(widening.getInput(), m_Constant(&value)))
    return nullptr;
  ElementsAttr panels =
      packPanels({value, /*isTransposed=*/false}, narrowType, width);
  if (!panels)
    return nullptr;
  rewriter.setInsertionPointAfter(widening);
  Location loc = widening.getLoc();
  Value packed = ConstantOp::create(rewriter, loc, panels);
  return CastOp::create(rewriter, loc,
                        cast<RankedTensorType>(panels.getType())
                            .clone(widening.getType().getElementType()),
                        packed);
}

/// Panel width when the module names no target: an AVX2 register tile.
constexpr int64_t kDefaultPanelWidth = 16;

struct PackWeightsPass : tfm::impl::PackWeightsPassBase<PackWeightsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (panelWidth < 0) {
      getOperation().emitError("tfm-pack-weights: panel-width must be "
                               "positive (or 0: the target's), got ")
          << static_cast<int64_t>(panelWidth);
      return signalPassFailure();
    }
    int64_t width = panelWidth;
    if (width == 0) {
      TargetAttrInterface target = getTarget(getOperation());
      width = target ? target.getWeightPanelWidth() : kDefaultPanelWidth;
      // The target keeps weights in their own layout.
      if (width == 0)
        return;
    }
    IRRewriter rewriter(&getContext());
    DenseMap<Value, Value> packedWeights;
    SmallVector<LinearOp> linears;
    getOperation().walk([&](LinearOp linear) { linears.push_back(linear); });
    for (LinearOp linear : linears) {
      auto type = cast<RankedTensorType>(linear.getWeight().getType());
      if (linear.hasPackedWeight() || !type.hasStaticShape() ||
          type.getDimSize(0) < width)
        continue;
      std::optional<WeightSource> source = getWeightSource(linear);
      auto dequantize = linear.getWeight().getDefiningOp<DequantizeOp>();
      auto widened = linear.getWeight().getDefiningOp<CastOp>();
      if (!source && !dequantize && !widened)
        continue;
      Value &packed = packedWeights[linear.getWeight()];
      if (!packed && dequantize) {
        packed = packQuantized(rewriter, dequantize, width);
        if (!packed)
          continue;
      } else if (!packed && widened) {
        packed = packWidened(rewriter, widened, width);
        if (!packed)
          continue;
      } else if (!packed) {
        ElementsAttr panels = packPanels(*source, type, width);
        if (!panels)
          continue;
        rewriter.setInsertionPointAfterValue(linear.getWeight());
        packed = ConstantOp::create(rewriter, linear.getLoc(), panels);
      }
      rewriter.modifyOpInPlace(linear, [&] {
        linear.getWeightMutable().assign(packed);
        linear.setOutFeatures(type.getDimSize(0));
      });
    }
    // The [N, K] weights (and the transposes they were read through) no
    // linear reads any more: transposes first, then the constants.
    llvm::SetVector<Operation *> transposes, constants;
    for (Value weight : llvm::make_first_range(packedWeights)) {
      if (isa_and_nonnull<DequantizeOp, CastOp>(weight.getDefiningOp())) {
        // The quantized (or narrow) weight's unpacked form goes first,
        // then its constants.
        Operation *unpacked = weight.getDefiningOp();
        transposes.insert(unpacked);
        for (Value operand : unpacked->getOperands())
          if (auto constant = operand.getDefiningOp<ConstantOp>())
            constants.insert(constant);
        continue;
      }
      if (auto transpose = weight.getDefiningOp<TransposeOp>()) {
        transposes.insert(transpose);
        weight = transpose.getInput();
      }
      if (auto constant = weight.getDefiningOp<ConstantOp>())
        constants.insert(constant);
    }
    for (auto *ops : {&transposes, &constants})
      for (Operation *op : *ops)
        if (op->use_empty())
          rewriter.eraseOp(op);
  }
};

} // namespace
