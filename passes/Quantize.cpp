//===- Quantize.cpp - quantized weights for linear layers -----------------===//
//
//   linear(x, W [N, K] constant)
//     -> linear(x, dequantize(Q [N, K] i8 constant, S [N]) {axis = 0})
//
// with S[n] = max_k |W[n, k]| / 127 and Q = round_half_even(W / S), computed
// at compile time. A matmul by a constant [K, N] matrix becomes such a
// linear first. In w8a8-dynamic mode the input is quantized too, per token
// (row of K) at run time, symmetrically into uint8 around 128:
//
//   s = max(max_k |x[..., k]|, tiny) / 127
//   x -> dequantize(quantize(x, s, 128), s, 128)   (blocks of K, last axis)
//
// which the backend contracts in integers with the int8 weight. In
// w8a8-static mode the input's range [lo, hi] comes from a calibration (the
// linear's `tfm.input_range`), per tensor and asymmetric:
//
//   s = (max(hi, 0) - min(lo, 0)) / 255, z = round(-min(lo, 0) / s)
//   x -> dequantize(quantize(x, s, z), s, z)
//
// In int4-weights mode the weight is quantized in blocks of b elements of K,
// asymmetrically into uint4:
//
//   lo = min(0, min W[n, block]), hi = max(0, max W[n, block])
//   S = (hi - lo)·f / 15, Z = round(-lo·f / S), Q = clamp(round(W / S) + Z)
//
// with S rounded to a value f16 holds (the backend stores it in 16 bits),
// and the clip factor f in {1, 0.95, .., 0.75} of least squared error.
//   W -> dequantize(Q ui4, S [N, K/b], Z ui4 [N, K/b]) {axis 1, block b}
//
// In the mixed-precision modes (bf16, fp16) the weight is rounded to the
// narrow float at compile time and the input at run time:
//
//   linear(x, W) -> linear(cast<f32>(cast<bf16>(x)), cast<f32>(W bf16))
//
//===----------------------------------------------------------------------===//

#include "WeightUtils.h"
#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace mlir::tfm {
#define GEN_PASS_DEF_QUANTIZEPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::weights;

namespace {

struct QuantizePass : tfm::impl::QuantizePassBase<QuantizePass> {
  using Base::Base;

  /// The dequantized [N, K] weight of `source`, made once per constant.
  FailureOr<Value> getQuantizedWeight(OpBuilder &builder,
                                      const WeightSource &source) {
    auto key = std::make_pair(source.constant, int(source.isTransposed));
    if (auto it = cache.find(key); it != cache.end())
      return it->second;
    auto type = cast<RankedTensorType>(source.constant.getType());
    int64_t n, k;
    FailureOr<SmallVector<float>> rows = getWeightRows(source, n, k);
    if (failed(rows))
      return failure();
    ArrayRef<float> weight = *rows;
    Location loc = source.constant.getLoc();
    Type floatType = type.getElementType();
    if (mode == QuantizationMode::Int4Weights && k % blockSize == 0) {
      FailureOr<Value> dequantized =
          createInt4Weight(builder, source, weight, n, k, floatType);
      if (succeeded(dequantized))
        cache[key] = *dequantized;
      return dequantized;
    }
    SmallVector<float> scales(n);
    for (int64_t r = 0; r < n; ++r) {
      float maxAbs = 0;
      for (int64_t c = 0; c < k; ++c)
        maxAbs = std::max(maxAbs, std::fabs(weight[r * k + c]));
      // A row of zeros (or of non-finite values, kept as their saturation)
      // gets scale 1.
      scales[r] = (maxAbs > 0 && std::isfinite(maxAbs)) ? maxAbs / 127.0f : 1;
    }
    auto scaleType = RankedTensorType::get({n}, floatType);
    FailureOr<DenseElementsAttr> scaleAttr = roundScales(scales, scaleType);
    if (failed(scaleAttr))
      return failure();
    QuantizationScheme scheme{/*axis=*/0, /*blockSize=*/0};
    auto i8 = IntegerType::get(&getContext(), 8);
    SmallVector<char> bytes =
        quantizeValues(weight, {n, k}, scheme, scales, {}, i8);
    if (report) {
      SmallVector<float> approx(n * k);
      for (int64_t i = 0; i < n * k; ++i)
        approx[i] =
            static_cast<float>(static_cast<int8_t>(bytes[i])) * scales[i / k];
      reportError(loc, source, weight, approx, n, k, "int8 per channel");
    }
    auto quantizedType = RankedTensorType::get({n, k}, i8);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointAfter(source.constant.getDefiningOp());
    Value quantized = ConstantOp::create(
        builder, loc,
        createConstantLike(source.value, quantizedType, ".int8", bytes));
    // A weight blob's scales are a blob too (`<name>.scale`): printed IR
    // stays small for wide layers.
    SmallVector<char> storage; // a splat's expanded bytes
    Value scale = ConstantOp::create(
        builder, loc,
        createConstantLike(source.value, scaleType, ".scale",
                           *getConstantBytes(*scaleAttr, storage)));
    Value dequantized = DequantizeOp::create(
        builder, loc, RankedTensorType::get({n, k}, floatType), quantized,
        scale, /*zero_point=*/Value(), builder.getI64IntegerAttr(0),
        /*block_size=*/IntegerAttr());
    cache[key] = dequantized;
    return dequantized;
  }

  /// With `report`, a remark at the weight: its name, shape and scheme,
  /// and the error of its dequantized values `approx` against `weight`.
  void reportError(Location loc, const WeightSource &source,
                   ArrayRef<float> weight, ArrayRef<float> approx, int64_t n,
                   int64_t k, StringRef scheme) {
    if (!report)
      return;
    double maxError = 0, maxAbs = 0, errorSquares = 0, squares = 0;
    for (auto [w, a] : llvm::zip_equal(weight, approx)) {
      double error = std::fabs(static_cast<double>(w) - a);
      maxError = std::max(maxError, error);
      maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(w)));
      errorSquares += error * error;
      squares += static_cast<double>(w) * w;
    }
    StringRef name = getWeightName(source.value);
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "quantized '" << (name.empty() ? StringRef("<literal>") : name)
       << "' [" << n << ", " << k << "] as " << scheme
       << ": max |W - Q| = " << llvm::format("%.3g", maxError) << " ("
       << llvm::format("%.2f", maxAbs > 0 ? 100 * maxError / maxAbs : 0.0)
       << " % of max |W|), relative RMS error "
       << llvm::format("%.3g",
                       squares > 0 ? std::sqrt(errorSquares / squares) : 0.0);
    emitRemark(loc) << text;
  }

  /// Scales in the weight's own type `type`: rounded there first (into
  /// `scales`, in place), so that the values are quantized with the scale
  /// the backend multiplies by. Fails when a scale underflows or overflows
  /// the type (f16 weights below 2^-24 · 127): the weight stays in float.
  static FailureOr<DenseElementsAttr>
  roundScales(SmallVectorImpl<float> &scales, RankedTensorType type) {
    auto floatType = cast<FloatType>(type.getElementType());
    auto attr = DenseElementsAttr::get(
        type, llvm::map_to_vector(scales, [&](float s) {
          APFloat value(s);
          bool losesInfo;
          value.convert(floatType.getFloatSemantics(),
                        APFloat::rmNearestTiesToEven, &losesInfo);
          return value;
        }));
    scales.assign(*getConstantFloats(attr));
    if (llvm::any_of(scales, [](float s) { return !(s > 0) || std::isinf(s); }))
      return failure();
    return attr;
  }

  /// The uint4 zero point of a block whose range starts at `low`.
  static int64_t getInt4ZeroPoint(float low, float scale) {
    return std::clamp<int64_t>(
        static_cast<int64_t>(std::nearbyint(-static_cast<double>(low) / scale)),
        0, 15);
  }

  /// Factors of a block's range tried by int4-weights.
  static constexpr float kClipFactors[] = {1.0f,  0.95f, 0.9f,
                                           0.85f, 0.8f,  0.75f};

  /// The squared error of `block` quantized to uint4 with `scale` and the
  /// zero point of range low `low` (round half to even, saturated).
  static double getBlockError(ArrayRef<float> block, float scale, float low) {
    auto zeroPoint = static_cast<double>(getInt4ZeroPoint(low, scale));
    double error = 0;
    for (float w : block) {
      double q =
          std::clamp(std::nearbyint(static_cast<double>(w) / scale) + zeroPoint,
                     0.0, 15.0);
      double d = (q - zeroPoint) * scale - w;
      error += d * d;
    }
    return error;
  }

  /// The int4-weights form of the [N, K] `weight` (row by row): uint4 in
  /// blocks of blockSize along K, each with a scale and a zero point.
  FailureOr<Value> createInt4Weight(OpBuilder &builder,
                                    const WeightSource &source,
                                    ArrayRef<float> weight, int64_t n,
                                    int64_t k, Type floatType) {
    int64_t blocks = k / blockSize;
    SmallVector<float> scales(n * blocks);
    SmallVector<float> lows(n * blocks);
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t b = 0; b < blocks; ++b) {
        ArrayRef<float> block(&weight[r * k + b * blockSize], blockSize);
        // The range always holds 0, so that zeros stay exact.
        float lo = 0, hi = 0;
        for (float w : block) {
          lo = std::min(lo, w);
          hi = std::max(hi, w);
        }
        float range = hi - lo;
        // An all-zero block (or a non-finite one, kept as its saturation)
        // gets scale 1.
        if (!(range > 0) || !std::isfinite(range)) {
          scales[r * blocks + b] = 1.0f;
          lows[r * blocks + b] = 0.0f;
          continue;
        }
        // The range, shrunk by the factor of kClipFactors whose
        // quantization has the least squared error (outliers saturate,
        // the other values get finer steps).
        double bestError = std::numeric_limits<double>::infinity();
        for (float factor : kClipFactors) {
          float low = lo * factor, scale = range * factor / 15.0f;
          double error = getBlockError(block, scale, low);
          if (error < bestError) {
            bestError = error;
            scales[r * blocks + b] = scale;
            lows[r * blocks + b] = low;
          }
        }
      }
    }
    // Scales f16 holds exactly (normal ones): the backend stores them in
    // half the bytes, with the same values.
    for (float &scale : scales)
      scale = roundToHalf(scale);
    auto scaleType = RankedTensorType::get({n, blocks}, floatType);
    FailureOr<DenseElementsAttr> scaleAttr = roundScales(scales, scaleType);
    if (failed(scaleAttr))
      return failure();
    SmallVector<int64_t> zeroPoints(n * blocks);
    for (auto [z, s, lo] : llvm::zip_equal(zeroPoints, scales, lows))
      z = getInt4ZeroPoint(lo, s);
    QuantizationScheme scheme{/*axis=*/1, blockSize};
    auto u4 = IntegerType::get(&getContext(), 4, IntegerType::Unsigned);
    SmallVector<char> bytes =
        quantizeValues(weight, {n, k}, scheme, scales, zeroPoints, u4);
    SmallVector<char> zeroBytes = llvm::map_to_vector(
        zeroPoints, [](int64_t z) { return static_cast<char>(z); });
    Location loc = source.constant.getLoc();
    if (report) {
      SmallVector<float> approx(n * k);
      for (int64_t i = 0; i < n * k; ++i) {
        int64_t block = (i / k) * blocks + (i % k) / blockSize;
        approx[i] = static_cast<float>(static_cast<uint8_t>(bytes[i]) -
                                       zeroPoints[block]) *
                    scales[block];
      }
      reportError(loc, source, weight, approx, n, k,
                  ("uint4 in blocks of " + Twine(blockSize)).str());
    }
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointAfter(source.constant.getDefiningOp());
    Value quantized = ConstantOp::create(
        builder, loc,
        createConstantLike(source.value, RankedTensorType::get({n, k}, u4),
                           ".int4", bytes));
    SmallVector<char> storage;
    Value scale = ConstantOp::create(
        builder, loc,
        createConstantLike(source.value, scaleType, ".scale",
                           *getConstantBytes(*scaleAttr, storage)));
    Value zeroPoint =
        ConstantOp::create(builder, loc,
                           createConstantLike(source.value, scaleType.clone(u4),
                                              ".zero_point", zeroBytes));
    return DequantizeOp::create(
               builder, loc, RankedTensorType::get({n, k}, floatType),
               quantized, scale, zeroPoint, builder.getI64IntegerAttr(1),
               builder.getI64IntegerAttr(blockSize))
        .getResult();
  }

  /// `x` [..., K] through per-token uint8 quantization (w8a8-dynamic). A
  /// tensor with dynamic rows is quantized to int8 without a zero point
  /// instead, the same values less 128 (its scale is max|x| / 127): a
  /// zero-point constant would need its run-time shape. The integer product
  /// reads either as uint8.
  static Value quantizeTokens(OpBuilder &builder, Location loc, Value x) {
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || type.getRank() < 1 || !type.getElementType().isF32())
      return x;
    int64_t last = type.getRank() - 1;
    int64_t k = type.getDimSize(last);
    // An empty row has nothing to quantize (and no block size to give).
    if (k == 0 || ShapedType::isDynamic(k))
      return x;
    Type f32 = type.getElementType();
    auto scalar = [&](float value) {
      return ConstantOp::create(
          builder, loc,
          DenseElementsAttr::get(RankedTensorType::get({}, f32), value));
    };
    Value maxAbs =
        ReduceMaxOp::create(builder, loc, AbsOp::create(builder, loc, x),
                            builder.getDenseI64ArrayAttr({last}),
                            /*keepdims=*/true);
    // An all-zero row keeps a positive scale (its values quantize to 0).
    Value scale =
        MulOp::create(builder, loc,
                      MaxOp::create(builder, loc, maxAbs,
                                    scalar(std::numeric_limits<float>::min())),
                      scalar(1.0f / 127.0f));
    auto scaleType = cast<RankedTensorType>(scale.getType());
    IntegerAttr axis = builder.getI64IntegerAttr(last);
    IntegerAttr blockSize = builder.getI64IntegerAttr(k);
    if (!type.hasStaticShape()) {
      Value quantized =
          QuantizeOp::create(builder, loc, type.clone(builder.getI8Type()), x,
                             scale, Value(), axis, blockSize);
      return DequantizeOp::create(builder, loc, type, quantized, scale, Value(),
                                  axis, blockSize);
    }
    auto u8 = IntegerType::get(builder.getContext(), 8, IntegerType::Unsigned);
    Value zeroPoint = ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(scaleType.clone(u8),
                               APInt(8, 128, /*isSigned=*/false)));
    Value quantized = QuantizeOp::create(builder, loc, type.clone(u8), x, scale,
                                         zeroPoint, axis, blockSize);
    return DequantizeOp::create(builder, loc, type, quantized, scale, zeroPoint,
                                axis, blockSize);
  }

  /// `x` through per-tensor uint8 quantization with the calibrated range
  /// `range` (w8a8-static), widened to hold 0 (zero stays exact):
  ///   s = (hi - lo) / 255, z = round(-lo / s).
  static Value quantizeCalibrated(OpBuilder &builder, Location loc, Value x,
                                  DenseF32ArrayAttr range) {
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || !type.getElementType().isF32() || range.size() != 2)
      return x;
    float lo = std::min(range[0], 0.0f), hi = std::max(range[1], 0.0f);
    if (!std::isfinite(lo) || !std::isfinite(hi))
      return x;
    float scale = hi > lo ? (hi - lo) / 255.0f : 1.0f;
    auto zeroPoint = static_cast<uint64_t>(std::clamp<int64_t>(
        static_cast<int64_t>(std::nearbyint(-lo / scale)), 0, 255));
    Type f32 = type.getElementType();
    auto u8 = IntegerType::get(builder.getContext(), 8, IntegerType::Unsigned);
    Value s = ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(RankedTensorType::get({}, f32), scale));
    Value z = ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(RankedTensorType::get({}, u8),
                               APInt(8, zeroPoint, /*isSigned=*/false)));
    Value quantized = QuantizeOp::create(builder, loc, type.clone(u8), x, s, z,
                                         IntegerAttr(), IntegerAttr());
    return DequantizeOp::create(builder, loc, type, quantized, s, z,
                                IntegerAttr(), IntegerAttr());
  }

  /// The f32 constant scales `scale` as an f16 constant when f16 holds
  /// every one exactly (the int4 scales tfm-quantize makes), so that a
  /// table gathered from them is stored in 16 bits; null otherwise.
  Value getHalfScales(OpBuilder &builder, Value scale) {
    Attribute value;
    auto type = cast<RankedTensorType>(scale.getType());
    if (!type.getElementType().isF32() ||
        !matchPattern(scale, m_Constant(&value)))
      return nullptr;
    FailureOr<SmallVector<float>> floats = getConstantFloats(value);
    if (failed(floats))
      return nullptr;
    std::optional<SmallVector<uint16_t>> halves = getExactHalves(*floats);
    if (!halves)
      return nullptr;
    return ConstantOp::create(
        builder, scale.getLoc(),
        createConstantLike(
            value, type.clone(builder.getF16Type()), ".f16",
            ArrayRef<char>(reinterpret_cast<const char *>(halves->data()),
                           halves->size() * sizeof(uint16_t))));
  }

  /// gather(dequantize(Q, S[, Z]), ids) along axis 0, as the dequantize of
  /// the gathered rows: gather(Q, ids) with gather(S, ids) (and Z), the
  /// scales along the last axis: one block of D per row (int8, per-row
  /// scales) or the weight's own blocks (int4).
  void quantizeEmbedding(OpBuilder &builder, GatherOp gather,
                         DequantizeOp weight) {
    Location loc = gather.getLoc();
    builder.setInsertionPoint(gather);
    Value ids = gather.getIndices();
    auto gatherRows = [&](Value table) -> Value {
      return GatherOp::create(builder, loc, table, ids,
                              builder.getI64IntegerAttr(0));
    };
    RankedTensorType type = gather.getType();
    int64_t last = type.getRank() - 1;
    Value codes = gatherRows(weight.getInput());
    // Scales f16 holds exactly are gathered from an f16 table and widened.
    Value scale = weight.getScale();
    if (Value half = getHalfScales(builder, scale)) {
      Value rows = gatherRows(half);
      scale = CastOp::create(
          builder, loc,
          cast<RankedTensorType>(rows.getType()).clone(builder.getF32Type()),
          rows);
    } else {
      scale = gatherRows(scale);
    }
    Value zeroPoint =
        weight.getZeroPoint() ? gatherRows(weight.getZeroPoint()) : Value();
    int64_t blockSize = type.getDimSize(last);
    if (weight.getBlockSize()) {
      blockSize = *weight.getBlockSize();
    } else {
      // One scale per row: a block of the whole last axis.
      SmallVector<int64_t> shape(type.getShape());
      shape.back() = 1;
      scale = ReshapeOp::create(
          builder, loc, cast<RankedTensorType>(scale.getType()).clone(shape),
          scale);
      if (zeroPoint)
        zeroPoint = ReshapeOp::create(
            builder, loc,
            cast<RankedTensorType>(zeroPoint.getType()).clone(shape),
            zeroPoint);
    }
    Value rows = DequantizeOp::create(
        builder, loc, type, codes, scale, zeroPoint,
        builder.getI64IntegerAttr(last), builder.getI64IntegerAttr(blockSize));
    gather.replaceAllUsesWith(rows);
    gather.erase();
  }

  bool isExcluded(Operation *op, Attribute weight, StringRef kind) {
    return weights::isExcluded(op, weight, kind, exclude);
  }

  /// The narrow float (bf16 or f16) of the mixed-precision modes.
  FloatType getNarrowType() {
    MLIRContext *ctx = &getContext();
    if (mode == QuantizationMode::Bf16)
      return BFloat16Type::get(ctx);
    return Float16Type::get(ctx);
  }

  /// The [N, K] weight of `source` rounded to the narrow float (a
  /// constant, made once per constant and orientation), read as f32
  /// through a cast; fails for weights that are not f32 or that hold a
  /// finite value beyond the narrow type's range.
  FailureOr<Value> getNarrowWeight(OpBuilder &builder,
                                   const WeightSource &source) {
    auto key = std::make_pair(source.constant, int(source.isTransposed));
    if (auto it = cache.find(key); it != cache.end())
      return it->second;
    auto type = cast<RankedTensorType>(source.constant.getType());
    if (!type.getElementType().isF32())
      return failure();
    int64_t n, k;
    FailureOr<SmallVector<float>> weight = getWeightRows(source, n, k);
    if (failed(weight))
      return failure();
    FloatType narrow = getNarrowType();
    const llvm::fltSemantics &semantics = narrow.getFloatSemantics();
    SmallVector<char> bytes(n * k * 2);
    SmallVector<float> approx(report ? n * k : 0);
    for (auto [i, w] : llvm::enumerate(*weight)) {
      APFloat value(w);
      bool losesInfo;
      value.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
      // A finite weight the narrow type cannot hold (beyond f16's 65504)
      // keeps the whole weight in f32.
      if (value.isInfinity() && std::isfinite(w))
        return failure();
      auto bits = static_cast<uint16_t>(value.bitcastToAPInt().getZExtValue());
      std::memcpy(&bytes[i * 2], &bits, 2);
      if (report) {
        value.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                      &losesInfo);
        approx[i] = value.convertToFloat();
      }
    }
    Location loc = source.constant.getLoc();
    std::string suffix = mode == QuantizationMode::Bf16 ? ".bf16" : ".f16";
    if (report)
      reportError(loc, source, *weight, approx, n, k, suffix.substr(1));
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointAfter(source.constant.getDefiningOp());
    Value narrowWeight = ConstantOp::create(
        builder, loc,
        createConstantLike(source.value, RankedTensorType::get({n, k}, narrow),
                           suffix, bytes));
    Value widened = CastOp::create(
        builder, loc, RankedTensorType::get({n, k}, type.getElementType()),
        narrowWeight);
    cache[key] = widened;
    return widened;
  }

  /// The weight of `source` in the pass's mode: narrow (cast) in the
  /// mixed-precision modes, quantized (dequantize) in the others.
  FailureOr<Value> getModeWeight(OpBuilder &builder,
                                 const WeightSource &source) {
    return isMixedPrecision(mode) ? getNarrowWeight(builder, source)
                                  : getQuantizedWeight(builder, source);
  }

  /// `x` rounded to the narrow float and read back as f32 (one rounding
  /// per value, shared by the linears that read it).
  Value roundInput(OpBuilder &builder, Location loc, Value x) {
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || !type.getElementType().isF32())
      return x;
    Value &rounded = roundedInputs[x];
    if (rounded)
      return rounded;
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointAfterValue(x);
    Value narrow = CastOp::create(builder, loc, type.clone(getNarrowType()), x);
    rounded = CastOp::create(builder, loc, type, narrow);
    return rounded;
  }

  /// gather(cast<f32>(T16), ids) as cast<f32>(gather(T16, ids)): the
  /// table stays narrow, the gathered rows are widened.
  void narrowEmbedding(OpBuilder &builder, GatherOp gather, CastOp weight) {
    builder.setInsertionPoint(gather);
    Value rows = GatherOp::create(builder, gather.getLoc(), weight.getInput(),
                                  gather.getIndices(), gather.getAxisAttr());
    Value widened =
        CastOp::create(builder, gather.getLoc(), gather.getType(), rows);
    gather.replaceAllUsesWith(widened);
    gather.erase();
  }

  void runOnOperation() override {
    if (mode == QuantizationMode::None)
      return;
    if (blockSize < 2 || blockSize > 4096 || blockSize % 2 != 0) {
      getOperation().emitError("tfm-quantize: block-size must be an even "
                               "number from 2 to 4096, got ")
          << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    cache.clear();
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<LinearOp, MatmulOp>(op))
        candidates.push_back(op);
    });
    OpBuilder builder(&getContext());
    for (Operation *op : candidates) {
      std::optional<WeightSource> source;
      StringRef kind;
      if (auto linear = dyn_cast<LinearOp>(op)) {
        if (linear.hasPackedWeight())
          continue;
        kind = "linear";
        source = getConstantWeight(linear.getWeight(), /*isTransposed=*/false);
      } else {
        auto matmul = cast<MatmulOp>(op);
        kind = "matmul";
        if (isa<FloatType>(matmul.getType().getElementType()))
          source = getConstantWeight(matmul.getRhs(), /*isTransposed=*/true);
      }
      if (!source)
        continue;
      if (isExcluded(op, source->value, kind)) {
        ++numExcluded;
        continue;
      }
      FailureOr<Value> weight = getModeWeight(builder, *source);
      if (failed(weight))
        continue;
      if (Operation *def = op->getOperand(1).getDefiningOp())
        replaced.insert(def);
      builder.setInsertionPoint(op);
      Value input = op->getOperand(0);
      if (isMixedPrecision(mode))
        input = roundInput(builder, op->getLoc(), input);
      if (mode == QuantizationMode::W8A8Dynamic)
        input = quantizeTokens(builder, op->getLoc(), input);
      if (mode == QuantizationMode::W8A8Static) {
        // Without a calibrated range the input stays in float.
        if (auto range =
                op->getAttrOfType<DenseF32ArrayAttr>(kInputRangeAttrName)) {
          input = quantizeCalibrated(builder, op->getLoc(), input, range);
          ++numCalibrated;
        }
      }
      if (auto linear = dyn_cast<LinearOp>(op)) {
        linear.getWeightMutable().assign(*weight);
        linear.getInputMutable().assign(input);
      } else {
        auto matmul = cast<MatmulOp>(op);
        Value result =
            LinearOp::create(builder, matmul.getLoc(), input, *weight, Value(),
                             Value(), ActivationAttr());
        matmul.replaceAllUsesWith(result);
        matmul.erase();
      }
      ++numQuantized;
    }
    // Embedding tables.
    SmallVector<GatherOp> gathers;
    getOperation().walk([&](GatherOp gather) {
      if (gather.getAxis() == 0)
        gathers.push_back(gather);
    });
    for (GatherOp gather : gathers) {
      std::optional<WeightSource> source =
          getConstantWeight(gather.getInput(), /*isTransposed=*/false);
      if (!source || source->isTransposed)
        continue;
      if (isExcluded(gather, source->value, "gather")) {
        ++numExcluded;
        continue;
      }
      FailureOr<Value> weight = getModeWeight(builder, *source);
      if (failed(weight))
        continue;
      replaced.insert(gather.getInput().getDefiningOp());
      if (auto narrow = weight->getDefiningOp<CastOp>())
        narrowEmbedding(builder, gather, narrow);
      else
        quantizeEmbedding(builder, gather,
                          weight->getDefiningOp<DequantizeOp>());
      ++numEmbeddings;
    }
    // The dequantized forms only embeddings asked for.
    for (Value weight : llvm::make_second_range(cache))
      if (weight.use_empty())
        replaced.insert(weight.getDefiningOp());

    // Float weights (and their transposes) nothing reads any more.
    eraseUnusedWeightOps(replaced);
    replaced.clear();
    cache.clear();
    roundedInputs.clear();
  }

  llvm::DenseMap<std::pair<Value, int>, Value> cache;
  /// The rounded form of each linear input (mixed precision).
  llvm::DenseMap<Value, Value> roundedInputs;
  llvm::SetVector<Operation *> replaced;
};

} // namespace
