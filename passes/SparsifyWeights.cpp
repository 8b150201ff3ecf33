//===- SparsifyWeights.cpp - block-sparse weights for mostly-zero linears -===//
//
//   linear(x, W [N, K] constant, b) with most w x 1 blocks of W zero
//     -> sparse_linear(x, values [B, w], cols [B], offsets [N/w + 1], b)
//
// The output features are cut into panels of w (one vector register of the
// target); a panel keeps the input features whose w weights are not all
// zero. Exact: only zeros are dropped. An int8-weights linear,
// dequantize(Q, S) with one scale per feature, keeps its codes as values
// and S as the op's scales.
//
//===----------------------------------------------------------------------===//

#include "WeightUtils.h"
#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

namespace mlir::tfm {
#define GEN_PASS_DEF_SPARSIFYWEIGHTSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::weights;

namespace {

/// Block width when the module names no target: an AVX2 register.
constexpr int64_t kDefaultBlockWidth = 8;

struct SparsifyWeightsPass
    : tfm::impl::SparsifyWeightsPassBase<SparsifyWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!(minSparsity > 0 && minSparsity <= 1) || blockWidth < 0) {
      getOperation().emitError("tfm-sparsify-weights: min-sparsity must be "
                               "in (0, 1] and block-width at least 0");
      return signalPassFailure();
    }
    int64_t width = blockWidth;
    if (width == 0) {
      // A weight panel is two vector registers wide.
      TargetAttrInterface target = getTarget(getOperation());
      width = target ? target.getWeightPanelWidth() / 2 : kDefaultBlockWidth;
      if (width <= 0)
        return;
    }
    SmallVector<LinearOp> linears;
    getOperation().walk([&](LinearOp op) { linears.push_back(op); });
    for (LinearOp linear : linears)
      if (failed(sparsify(linear, width)))
        return signalPassFailure();
  }

  /// The [N, K] weight of `linear` as rows of floats (int8 codes exactly),
  /// the constant its storage follows, and for int8 weights the scales.
  struct Weight {
    SmallVector<float> rows;
    int64_t n = 0, k = 0;
    Attribute like;
    Value scales;
  };

  /// Whether at least `fraction` of the `elementBytes`-wide elements (f32
  /// or i8) of `bytes` are zero, read in place: a weight with that many
  /// zero blocks has that many zero elements, so dense weights stop here
  /// without being copied (the scan ends once too many are nonzero).
  static bool hasZeroFraction(ArrayRef<char> bytes, int64_t elementBytes,
                              double fraction) {
    int64_t total = bytes.size() / elementBytes;
    int64_t allowed = static_cast<int64_t>((1.0 - fraction) * total);
    int64_t nonzero = 0;
    for (int64_t i = 0; i < total && nonzero <= allowed; ++i) {
      if (elementBytes == 4) {
        float v;
        std::memcpy(&v, bytes.data() + i * elementBytes, elementBytes);
        nonzero += v != 0.0f;
      } else {
        nonzero += bytes[i] != 0;
      }
    }
    return nonzero <= allowed;
  }

  /// A constant f32 weight, or int8 codes with one f32 scale per output
  /// feature (tfm-quantize's int8-weights); none otherwise, or when fewer
  /// than `minSparsity` of its elements are zero.
  static std::optional<Weight> getWeight(LinearOp linear, double minSparsity) {
    Weight weight;
    if (auto dequantize = linear.getWeight().getDefiningOp<DequantizeOp>()) {
      RankedTensorType codes = dequantize.getInput().getType();
      auto scaleType = cast<RankedTensorType>(dequantize.getScale().getType());
      Attribute value;
      SmallVector<char> storage;
      if (dequantize.getZeroPoint() || dequantize.getBlockSize() ||
          dequantize.getAxis() != std::optional<int64_t>(0) ||
          !codes.getElementType().isSignlessInteger(8) ||
          codes.getRank() != 2 || !codes.hasStaticShape() ||
          scaleType.getRank() != 1 || !scaleType.getElementType().isF32() ||
          !matchPattern(dequantize.getInput(), m_Constant(&value)) ||
          // W8A8: the product is already an integer one.
          linear.getInput().getDefiningOp<DequantizeOp>())
        return std::nullopt;
      FailureOr<ArrayRef<char>> bytes = getConstantBytes(value, storage);
      if (failed(bytes) || !hasZeroFraction(*bytes, 1, minSparsity))
        return std::nullopt;
      weight.n = codes.getDimSize(0);
      weight.k = codes.getDimSize(1);
      for (char byte : *bytes)
        weight.rows.push_back(static_cast<float>(static_cast<int8_t>(byte)));
      weight.like = value;
      weight.scales = dequantize.getScale();
      return weight;
    }
    std::optional<WeightSource> source =
        getConstantWeight(linear.getWeight(), /*isTransposed=*/false);
    if (!source || !cast<RankedTensorType>(source->constant.getType())
                        .getElementType()
                        .isF32())
      return std::nullopt;
    SmallVector<char> storage;
    FailureOr<ArrayRef<char>> bytes = getConstantBytes(source->value, storage);
    if (failed(bytes) || !hasZeroFraction(*bytes, 4, minSparsity))
      return std::nullopt;
    FailureOr<SmallVector<float>> rows =
        getWeightRows(*source, weight.n, weight.k);
    if (failed(rows))
      return std::nullopt;
    weight.rows = std::move(*rows);
    weight.like = source->value;
    return weight;
  }

  LogicalResult sparsify(LinearOp linear, int64_t width) {
    if (linear.hasPackedWeight())
      return success();
    RankedTensorType inputType = linear.getInput().getType();
    // (The sparse lowering takes static rows.)
    if (!inputType.hasStaticShape() || !inputType.getElementType().isF32())
      return success();
    std::optional<Weight> weight = getWeight(linear, minSparsity);
    if (!weight || weight->n % width != 0)
      return success();
    int64_t n = weight->n, k = weight->k;
    const SmallVector<float> *rows = &weight->rows;
    // The nonzero blocks, panel by panel.
    int64_t panels = n / width;
    SmallVector<int32_t> offsets = {0}, cols;
    SmallVector<float> values;
    for (int64_t p = 0; p < panels; ++p) {
      for (int64_t c = 0; c < k; ++c) {
        bool zero = true;
        for (int64_t j = 0; j < width && zero; ++j)
          zero = (*rows)[(p * width + j) * k + c] == 0.0f;
        if (zero)
          continue;
        cols.push_back(static_cast<int32_t>(c));
        for (int64_t j = 0; j < width; ++j)
          values.push_back((*rows)[(p * width + j) * k + c]);
      }
      offsets.push_back(static_cast<int32_t>(cols.size()));
    }
    int64_t blocks = cols.size();
    double sparsity = 1.0 - static_cast<double>(blocks) / (panels * k);
    if (sparsity < minSparsity)
      return success();
    OpBuilder builder(linear);
    Location loc = linear.getWeight().getLoc();
    auto bytesOf = [](const auto &elements) {
      return ArrayRef<char>(reinterpret_cast<const char *>(elements.data()),
                            elements.size() * sizeof(elements[0]));
    };
    auto f32 = builder.getF32Type();
    auto i32 = builder.getI32Type();
    // (An all-zero weight keeps one block, so that no tensor is empty.)
    if (blocks == 0) {
      cols.push_back(0);
      values.append(width, 0.0f);
      for (int32_t &offset : llvm::drop_begin(offsets))
        offset = 1;
      blocks = 1;
    }
    // int8 codes stay one byte each.
    SmallVector<int8_t> codes;
    if (weight->scales)
      for (float value : values)
        codes.push_back(static_cast<int8_t>(value));
    Value valuesConstant = ConstantOp::create(
        builder, loc,
        createConstantLike(weight->like,
                           RankedTensorType::get({blocks, width},
                                                 weight->scales
                                                     ? Type(builder.getI8Type())
                                                     : Type(f32)),
                           ".sparse_values",
                           weight->scales ? bytesOf(codes) : bytesOf(values)));
    Value colsConstant = ConstantOp::create(
        builder, loc,
        createConstantLike(weight->like, RankedTensorType::get({blocks}, i32),
                           ".sparse_cols", bytesOf(cols)));
    Value offsetsConstant = ConstantOp::create(
        builder, loc,
        createConstantLike(weight->like,
                           RankedTensorType::get({panels + 1}, i32),
                           ".sparse_offsets", bytesOf(offsets)));
    auto sparse = SparseLinearOp::create(
        builder, linear.getLoc(), linear.getType(), linear.getInput(),
        valuesConstant, colsConstant, offsetsConstant, weight->scales,
        linear.getBias(), linear.getResidual(), linear.getActivationAttr(),
        builder.getI64IntegerAttr(n));
    Value denseWeight = linear.getWeight();
    linear.replaceAllUsesWith(sparse.getResult());
    linear.erase();
    // The dense weight (through its transpose or dequantize) if nothing
    // else reads it.
    if (Operation *def = denseWeight.getDefiningOp()) {
      llvm::SetVector<Operation *> unused;
      unused.insert(def);
      eraseUnusedWeightOps(unused);
    }
    ++numSparsified;
    if (report)
      emitRemark(sparse.getLoc())
          << "block-sparse weight [" << n << ", " << k << "]: " << blocks
          << " of " << panels * k << " blocks of " << width << " x 1 kept";
    return success();
  }
};

} // namespace
