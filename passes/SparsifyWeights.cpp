//===- SparsifyWeights.cpp - sparse weights for mostly-zero linears -------===//
//
//   linear(x, W [N, K] constant, b) with most w x 1 blocks of W zero
//     -> sparse_linear(x, values [B, w], cols [B], offsets [N/w + 1], b)
//   linear(x [rows <= nm-max-rows, K], W with <= n nonzeros in m)
//     -> nm_sparse_linear(x, values [N/w, K/m * n, w], meta [N/w, K/m, w], b)
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
#include "tfm/Dialect/Tfm/ShapeUtils.h"
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
    if (!(minSparsity > 0 && minSparsity <= 1) || blockWidth < 0 ||
        !(nmMaxSelects >= 0)) {
      getOperation().emitError("tfm-sparsify-weights: min-sparsity must be "
                               "in (0, 1], block-width and nm-max-selects at "
                               "least 0");
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
    // (The sparse lowerings take static rows.)
    if (!inputType.hasStaticShape() || !inputType.getElementType().isF32())
      return success();
    std::optional<Weight> weight = getWeight(linear, minSparsity);
    if (!weight || weight->n % width != 0)
      return success();
    if (Operation *sparse = makeBlockSparse(linear, *weight, width)) {
      replaceLinear(linear, sparse);
      ++numSparsified;
      return success();
    }
    // N:M weights speed up products that wait on memory (f32 ones: picking
    // the inputs costs more than int8 codes save).
    int64_t rows = getNumElements(inputType.getShape().drop_back());
    if (rows > nmMaxRows || weight->scales)
      return success();
    if (Operation *sparse = makeNmSparse(linear, *weight, width)) {
      replaceLinear(linear, sparse);
      ++numNmSparsified;
    }
    return success();
  }

  /// Replaces `linear` by `sparse` and erases its dense weight (through its
  /// transpose or dequantize) if nothing else reads it.
  static void replaceLinear(LinearOp linear, Operation *sparse) {
    Value denseWeight = linear.getWeight();
    linear.replaceAllUsesWith(sparse->getResult(0));
    linear.erase();
    if (Operation *def = denseWeight.getDefiningOp()) {
      llvm::SetVector<Operation *> unused;
      unused.insert(def);
      eraseUnusedWeightOps(unused);
    }
  }

  template <typename T> static ArrayRef<char> bytesOf(ArrayRef<T> elements) {
    return ArrayRef<char>(reinterpret_cast<const char *>(elements.data()),
                          elements.size() * sizeof(T));
  }

  /// A constant named after the weight holding `values` (floats, or the
  /// int8 codes of an int8 weight) in `shape`.
  static Value createValues(OpBuilder &builder, Location loc,
                            const Weight &weight, ArrayRef<int64_t> shape,
                            ArrayRef<float> values) {
    if (!weight.scales)
      return ConstantOp::create(
          builder, loc,
          createConstantLike(weight.like,
                             RankedTensorType::get(shape, builder.getF32Type()),
                             ".sparse_values", bytesOf(values)));
    // int8 codes stay one byte each.
    SmallVector<int8_t> codes;
    for (float value : values)
      codes.push_back(static_cast<int8_t>(value));
    return ConstantOp::create(
        builder, loc,
        createConstantLike(weight.like,
                           RankedTensorType::get(shape, builder.getI8Type()),
                           ".sparse_values", bytesOf(ArrayRef(codes))));
  }

  /// The block-sparse linear, when at least `minSparsity` of its `width`
  /// x 1 blocks are zero.
  Operation *makeBlockSparse(LinearOp linear, const Weight &weight,
                             int64_t width) {
    int64_t n = weight.n, k = weight.k;
    ArrayRef<float> rows = weight.rows;
    // The nonzero blocks, panel by panel.
    int64_t panels = n / width;
    SmallVector<int32_t> offsets = {0}, cols;
    SmallVector<float> values;
    for (int64_t p = 0; p < panels; ++p) {
      for (int64_t c = 0; c < k; ++c) {
        bool zero = true;
        for (int64_t j = 0; j < width && zero; ++j)
          zero = rows[(p * width + j) * k + c] == 0.0f;
        if (zero)
          continue;
        cols.push_back(static_cast<int32_t>(c));
        for (int64_t j = 0; j < width; ++j)
          values.push_back(rows[(p * width + j) * k + c]);
      }
      offsets.push_back(static_cast<int32_t>(cols.size()));
    }
    int64_t blocks = cols.size();
    double sparsity = 1.0 - static_cast<double>(blocks) / (panels * k);
    if (sparsity < minSparsity)
      return nullptr;
    OpBuilder builder(linear);
    Location loc = linear.getWeight().getLoc();
    auto i32 = builder.getI32Type();
    // (An all-zero weight keeps one block, so that no tensor is empty.)
    if (blocks == 0) {
      cols.push_back(0);
      values.append(width, 0.0f);
      for (int32_t &offset : llvm::drop_begin(offsets))
        offset = 1;
      blocks = 1;
    }
    Value valuesConstant =
        createValues(builder, loc, weight, {blocks, width}, values);
    Value colsConstant = ConstantOp::create(
        builder, loc,
        createConstantLike(weight.like, RankedTensorType::get({blocks}, i32),
                           ".sparse_cols", bytesOf(ArrayRef(cols))));
    Value offsetsConstant = ConstantOp::create(
        builder, loc,
        createConstantLike(weight.like,
                           RankedTensorType::get({panels + 1}, i32),
                           ".sparse_offsets", bytesOf(ArrayRef(offsets))));
    auto sparse = SparseLinearOp::create(
        builder, linear.getLoc(), linear.getType(), linear.getInput(),
        valuesConstant, colsConstant, offsetsConstant, weight.scales,
        linear.getBias(), linear.getResidual(), linear.getActivationAttr(),
        builder.getI64IntegerAttr(n));
    if (report)
      emitRemark(sparse.getLoc())
          << "block-sparse weight [" << n << ", " << k << "]: " << blocks
          << " of " << panels * k << " blocks of " << width << " x 1 kept";
    return sparse;
  }

  /// The most nonzeros of `weight` in any group of `m` consecutive input
  /// features of one output feature, or `limit + 1` once more than `limit`.
  static int64_t getMostNonzeros(const Weight &weight, int64_t m,
                                 int64_t limit) {
    int64_t most = 0;
    for (int64_t i = 0, e = weight.n * weight.k; i < e && most <= limit;
         i += m) {
      int64_t count = 0;
      for (int64_t j = 0; j < m; ++j)
        count += weight.rows[i + j] != 0.0f;
      most = std::max(most, count);
    }
    return most;
  }

  /// The N:M linear, when every group of m input features keeps at most n
  /// nonzeros with n / m at most 1 - `minSparsity`.
  Operation *makeNmSparse(LinearOp linear, const Weight &weight,
                          int64_t width) {
    // The selects a pattern may cost per input feature (measured: 4:8's 2
    // pay in 16-lane panels, not in 8-lane ones).
    double maxSelects = nmMaxSelects > 0 ? double(nmMaxSelects)
                        : width >= 16    ? 2.0
                                         : 1.0;
    int64_t kept = 0, groupSize = 0;
    for (int64_t m : {2, 4, 8, 16}) {
      if (weight.k % m != 0)
        continue;
      auto limit = static_cast<int64_t>((1.0 - minSparsity) * m + 1e-9);
      int64_t n = std::max<int64_t>(1, getMostNonzeros(weight, m, limit));
      // (The places of a group fill at most an i32.)
      if (n > limit || n >= m || n * NmSparseLinearOp::getPlaceBits(m) > 32 ||
          static_cast<double>(n * (m - n)) / m > maxSelects)
        continue;
      // The sparsest pattern; of equal ones, the smallest groups.
      if (!groupSize || n * groupSize < kept * m)
        kept = n, groupSize = m;
    }
    if (!groupSize)
      return nullptr;
    int64_t bits = NmSparseLinearOp::getPlaceBits(groupSize);
    int64_t wordBits = kept * bits <= 8 ? 8 : kept * bits <= 16 ? 16 : 32;
    int64_t n = weight.n, k = weight.k;
    int64_t panels = n / width, groups = k / groupSize;
    // values[p, g * kept + t, j] and meta[p, g, j], lanes j innermost.
    SmallVector<float> values(panels * groups * kept * width);
    SmallVector<uint32_t> words(panels * groups * width);
    for (int64_t feature = 0; feature < n; ++feature) {
      int64_t p = feature / width, j = feature % width;
      for (int64_t g = 0; g < groups; ++g) {
        const float *group = &weight.rows[feature * k + g * groupSize];
        // The nonzeros' places, then zeros' places up to `kept`, in order.
        SmallVector<int64_t, 16> places;
        for (int64_t i = 0; i < groupSize; ++i)
          if (group[i] != 0.0f)
            places.push_back(i);
        for (int64_t i = 0; i < groupSize && places.size() < size_t(kept); ++i)
          if (group[i] == 0.0f)
            places.push_back(i);
        llvm::sort(places);
        uint32_t word = 0;
        for (auto [t, place] : llvm::enumerate(places)) {
          word |= static_cast<uint32_t>(place) << (t * bits);
          values[((p * groups + g) * kept + t) * width + j] = group[place];
        }
        words[(p * groups + g) * width + j] = word;
      }
    }
    OpBuilder builder(linear);
    Location loc = linear.getWeight().getLoc();
    Value valuesConstant = createValues(builder, loc, weight,
                                        {panels, groups * kept, width}, values);
    // The places in the narrowest word that holds them (little endian).
    SmallVector<char> metaBytes;
    for (uint32_t word : words)
      for (int64_t byte = 0; byte < wordBits / 8; ++byte)
        metaBytes.push_back(static_cast<char>((word >> (8 * byte)) & 0xff));
    Value metaConstant = ConstantOp::create(
        builder, loc,
        createConstantLike(
            weight.like,
            RankedTensorType::get({panels, groups, width},
                                  builder.getIntegerType(wordBits)),
            ".sparse_meta", metaBytes));
    auto sparse = NmSparseLinearOp::create(
        builder, linear.getLoc(), linear.getType(), linear.getInput(),
        valuesConstant, metaConstant, linear.getBias(), linear.getResidual(),
        linear.getActivationAttr(), builder.getI64IntegerAttr(kept),
        builder.getI64IntegerAttr(groupSize));
    if (report)
      emitRemark(sparse.getLoc())
          << "N:M sparse weight [" << n << ", " << k << "]: " << kept << ":"
          << groupSize << " in panels of " << width;
    return sparse;
  }
};

} // namespace
