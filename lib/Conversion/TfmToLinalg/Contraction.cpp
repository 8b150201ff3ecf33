//===- Contraction.cpp - matmul, linear and conv to linalg ----------------===//
//
// Matrix products take the named linalg.matmul/batch_matmul form whenever
// the batch dimensions allow it (a matmul by a 2-D weight folds its batch
// into M), and a contraction linalg.generic otherwise. f16/bf16 products
// accumulate in f32. `linear` reads its PyTorch-layout [N, K] weight
// transposed: a constant weight is transposed once at compile time, so the
// product streams rows of a [K, N] matrix. A weight in the panel layout
// ([P, K, w], chosen by tfm-pack-weights) is contracted as it is, into
// [M, P, w] = [M, P·w]. A weight read through a widening cast of a bf16 or
// f16 constant (mixed precision) is contracted narrow, accumulating in f32;
// bf16 x bf16 panels take the 2-way layout of vdpbf16ps.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/ShapeUtils.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

/// `x` as a float of `type`: extended, or converted from a (signed)
/// integer.
Value toFloat(OpBuilder &b, Location loc, Value x, Type type) {
  if (isa<IntegerType>(x.getType()))
    return arith::SIToFPOp::create(b, loc, type, x);
  return extendTo(b, loc, x, type);
}

/// acc + a * b in the accumulator's type; a float accumulation reads a
/// signed integer operand (a quantized weight) as a float.
Value buildMultiplyAccumulate(OpBuilder &b, Location loc, Value lhs, Value rhs,
                              Value acc) {
  Type accType = acc.getType();
  if (isa<FloatType>(accType)) {
    return arith::AddFOp::create(
        b, loc, acc,
        arith::MulFOp::create(b, loc, toFloat(b, loc, lhs, accType),
                              toFloat(b, loc, rhs, accType)));
  }
  return arith::AddIOp::create(b, loc, acc,
                               arith::MulIOp::create(b, loc, lhs, rhs));
}

/// acc + zext(a) · sext(w) in the i32 accumulator.
Value buildUnsignedSignedMultiplyAccumulate(OpBuilder &b, Location loc, Value a,
                                            Value w, Value acc) {
  Type accType = acc.getType();
  Value product =
      arith::MulIOp::create(b, loc, arith::ExtUIOp::create(b, loc, accType, a),
                            arith::ExtSIOp::create(b, loc, accType, w));
  return arith::AddIOp::create(b, loc, acc, product);
}

/// Sizes [rows of `rowsOf`, rest...]: a product's or epilogue's sizes, its
/// rows (possibly dynamic) those of its left operand.
SmallVector<OpFoldResult> rowSizes(OpBuilder &b, Location loc, Value rowsOf,
                                   ArrayRef<int64_t> rest) {
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, rowsOf, 0)};
  llvm::append_range(sizes, getAsIndexOpFoldResult(b.getContext(), rest));
  return sizes;
}

/// The first `n` columns of a [M, padded] product (its last panel's
/// padding dropped), M possibly dynamic.
Value sliceColumns(OpBuilder &b, Location loc, Value product, int64_t n) {
  auto type = cast<RankedTensorType>(product.getType());
  if (type.getDimSize(1) == n)
    return product;
  return tensor::ExtractSliceOp::create(
      b, loc, product, {b.getIndexAttr(0), b.getIndexAttr(0)},
      rowSizes(b, loc, product, {n}), {b.getIndexAttr(1), b.getIndexAttr(1)});
}

/// The body of a product: acc + lhs · rhs for one element of each.
using MultiplyAccumulateFn = Value (*)(OpBuilder &, Location, Value, Value,
                                       Value);

/// Truncates an f32 accumulator tensor back to a narrow float type.
Value truncateTo(OpBuilder &b, Location loc, Value value, Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  return buildElementwise(
      b, loc, type.getShape(), elementType, value,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return arith::TruncFOp::create(nb, l, elementType, args[0]).getResult();
      });
}

/// [M, K] x [K, N] accumulated into `init` [M, N] by `multiplyAccumulate`.
Value buildMatmul2D(
    OpBuilder &b, Location loc, Value lhs, Value rhs, Value init,
    MultiplyAccumulateFn multiplyAccumulate = buildMultiplyAccumulate) {
  Type accType = getElementTypeOrSelf(init.getType());
  if (getElementTypeOrSelf(lhs.getType()) == accType &&
      getElementTypeOrSelf(rhs.getType()) == accType)
    return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                    ValueRange{lhs, rhs}, ValueRange{init})
        .getResult(0);
  MLIRContext *ctx = b.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {m, k}, ctx),
                                 AffineMap::get(3, 0, {k, n}, ctx),
                                 AffineMap::get(3, 0, {m, n}, ctx)};
  return buildGeneric(
             b, loc, ValueRange{lhs, rhs}, init, maps,
             {utils::IteratorType::parallel, utils::IteratorType::parallel,
              utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location l,
                 ValueRange args) -> SmallVector<Value> {
               return {multiplyAccumulate(nb, l, args[0], args[1], args[2])};
             })
      .front();
}

/// Reads a matmul operand `[batch..., r, c]` in a loop nest whose leading
/// dimensions are the result's batch dimensions `batchShape`: broadcast
/// batch dimensions are collapsed away, the last two are indexed by
/// `rowExpr` and `colExpr`.
BroadcastOperand matmulOperand(OpBuilder &b, Location loc, Value operand,
                               ArrayRef<int64_t> batchShape, int64_t numLoops,
                               AffineExpr rowExpr, AffineExpr colExpr) {
  auto type = cast<RankedTensorType>(operand.getType());
  int64_t rank = type.getRank();
  int64_t batchRank = rank - 2;
  int64_t offset = static_cast<int64_t>(batchShape.size()) - batchRank;
  SmallVector<AffineExpr> exprs;
  SmallVector<int64_t> keptShape;
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t i = 0; i < rank; ++i) {
    pending.push_back(i);
    bool isBatch = i < batchRank;
    if (isBatch && type.getDimSize(i) == 1 && batchShape[offset + i] != 1)
      continue;
    groups.push_back(pending);
    pending.clear();
    keptShape.push_back(type.getDimSize(i));
    if (isBatch)
      exprs.push_back(b.getAffineDimExpr(offset + i));
  }
  exprs.push_back(rowExpr);
  exprs.push_back(colExpr);
  Value value = operand;
  if (static_cast<int64_t>(keptShape.size()) != rank)
    value = tensor::CollapseShapeOp::create(b, loc, type.clone(keptShape),
                                            operand, groups);
  return {value, AffineMap::get(numLoops, 0, exprs, b.getContext())};
}

struct MatmulOpLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // M, N and K may be dynamic, not the batch (supportsDynamicShapes):
    // sizes are read from the operands.
    auto type = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    Type elementType = lhsType.getElementType();
    Type accType = getComputeType(elementType);
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = type.getRank();
    int64_t m = shape[rank - 2], n = shape[rank - 1];
    int64_t k = lhsType.getDimSize(lhsType.getRank() - 1);
    ArrayRef<int64_t> batchShape = shape.drop_back(2);
    int64_t batch = getNumElements(batchShape);
    Value zero = createScalar(rewriter, loc, accType, 0);
    OpFoldResult mSize =
        tensor::getMixedSize(rewriter, loc, lhs, lhsType.getRank() - 2);
    OpFoldResult nSize =
        tensor::getMixedSize(rewriter, loc, rhs, rhsType.getRank() - 1);
    auto indexAttrs = [&](ArrayRef<int64_t> sizes) {
      return getAsIndexOpFoldResult(rewriter.getContext(), sizes);
    };

    Value result;
    if (rhsType.getRank() == 2) {
      // [batch..., M, K] x [K, N]: the batch folds into the rows.
      Value lhs2D = reshapeTo(
          rewriter, loc, lhs,
          {ShapedType::isDynamic(m) ? ShapedType::kDynamic : batch * m, k});
      Value init = createFilled(
          rewriter, loc, {tensor::getMixedSize(rewriter, loc, lhs2D, 0), nSize},
          zero);
      result = buildMatmul2D(rewriter, loc, lhs2D, rhs, init);
    } else if (lhsType.getShape().drop_back(2) == batchShape &&
               rhsType.getShape().drop_back(2) == batchShape &&
               accType == elementType) {
      Value lhs3D = reshapeTo(rewriter, loc, lhs, {batch, m, k});
      Value rhs3D = reshapeTo(rewriter, loc, rhs, {batch, k, n});
      SmallVector<OpFoldResult> sizes = indexAttrs(batch);
      sizes.append({mSize, nSize});
      Value init = createFilled(rewriter, loc, sizes, zero);
      result = linalg::BatchMatmulOp::create(
                   rewriter, loc, TypeRange{init.getType()},
                   ValueRange{lhs3D, rhs3D}, ValueRange{init})
                   .getResult(0);
    } else {
      // Broadcast batch dimensions: a contraction generic over
      // [batch..., M, N, K].
      int64_t numLoops = rank + 1;
      AffineExpr mExpr = rewriter.getAffineDimExpr(rank - 2);
      AffineExpr nExpr = rewriter.getAffineDimExpr(rank - 1);
      AffineExpr kExpr = rewriter.getAffineDimExpr(rank);
      BroadcastOperand lhsAccess =
          matmulOperand(rewriter, loc, lhs, batchShape, numLoops, mExpr, kExpr);
      BroadcastOperand rhsAccess =
          matmulOperand(rewriter, loc, rhs, batchShape, numLoops, kExpr, nExpr);
      SmallVector<AffineExpr> outExprs;
      for (int64_t i = 0; i < rank; ++i)
        outExprs.push_back(rewriter.getAffineDimExpr(i));
      AffineMap outMap =
          AffineMap::get(numLoops, 0, outExprs, rewriter.getContext());
      SmallVector<utils::IteratorType> iterators(numLoops,
                                                 utils::IteratorType::parallel);
      iterators.back() = utils::IteratorType::reduction;
      SmallVector<OpFoldResult> sizes = indexAttrs(batchShape);
      sizes.append({mSize, nSize});
      Value init = createFilled(rewriter, loc, sizes, zero);
      result = buildGeneric(rewriter, loc,
                            ValueRange{lhsAccess.value, rhsAccess.value}, init,
                            {lhsAccess.map, rhsAccess.map, outMap}, iterators,
                            [&](OpBuilder &b, Location l,
                                ValueRange args) -> SmallVector<Value> {
                              return {buildMultiplyAccumulate(
                                  b, l, args[0], args[1], args[2])};
                            })
                   .front();
    }
    result = reshapeTo(rewriter, loc, result, shape);
    rewriter.replaceOp(op, truncateTo(rewriter, loc, result, elementType));
    return success();
  }
};

/// The [N, K] constant `weight` transposed to [K, N], or null when its bytes
/// are not available.
TypedAttr transposeConstantMatrix(Attribute weight, RankedTensorType type) {
  auto transposedType = type.clone({type.getDimSize(1), type.getDimSize(0)});
  if (auto dense = dyn_cast<DenseElementsAttr>(weight);
      dense && dense.isSplat())
    return dense.reshape(transposedType);
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(weight, storage);
  if (failed(bytes))
    return nullptr;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  int64_t width = getStorageBytes(type.getElementType());
  SmallVector<char> out(bytes->size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(&out[(c * rows + r) * width],
                  &(*bytes)[(r * cols + c) * width], width);
  return createConstantLike(weight, transposedType, ".transposed", out);
}

/// The [K, N] matrix a `linear` with an [N, K] weight streams: a weight the
/// graph built as transpose(W) (MatMul + bias fused into linear) is W
/// itself; a constant one is transposed at compile time.
Value getTransposedWeight(ConversionPatternRewriter &rewriter, Location loc,
                          LinearOp op, Value weight) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  if (auto transpose = op.getWeight().getDefiningOp<TransposeOp>();
      transpose && transpose.getPerm() == ArrayRef<int64_t>{1, 0})
    return rewriter.getRemappedValue(transpose.getInput());
  Attribute weightAttr;
  if (matchPattern(op.getWeight(), m_Constant(&weightAttr)))
    if (TypedAttr transposed = transposeConstantMatrix(weightAttr, weightType))
      return arith::ConstantOp::create(rewriter, loc, transposed);
  Value init = createEmpty(rewriter, loc,
                           {weightType.getDimSize(1), weightType.getDimSize(0)},
                           weightType.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, weight, init,
                                     ArrayRef<int64_t>{1, 0})
      .getResult()
      .front();
}

/// The integer weight of a linear whose weight is `dequantize` of a
/// constant i8 matrix with one scale per output feature (or one for all)
/// and no zero point: W = Q · S, so x·Wᵀ = (x·Qᵀ) · S, and the product
/// reads Q (a quarter of the bytes) and scales its accumulators. Q is
/// [N, K] (axis 0 scales [N]), or [P, K, w] in the panel layout (scales
/// [P, 1, w] in blocks of K along axis 1, as tfm-pack-weights makes them).
///
/// With `allowZeroPoints`, also 8-bit codes (int8 or uint8) with constant
/// zero points laid out like the scales (imported per-column uint8
/// weights): W = (Q - Z) · S, which only an integer product takes, the
/// zero points' share through the activations' row sums.
struct QuantizedWeight {
  DequantizeOp dequantize;
  Attribute values;
  Attribute zeroPoints;
};

std::optional<QuantizedWeight> getQuantizedWeight(LinearOp op,
                                                  bool allowZeroPoints) {
  auto dequantize = op.getWeight().getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return std::nullopt;
  Type codeType = dequantize.getInput().getType().getElementType();
  Attribute zeroPoints;
  if (Value zeroPoint = dequantize.getZeroPoint()) {
    if (!allowZeroPoints || !codeType.isInteger(8) ||
        !matchPattern(zeroPoint, m_Constant(&zeroPoints)))
      return std::nullopt;
  } else if (!codeType.isSignlessInteger(8)) {
    return std::nullopt;
  }
  RankedTensorType type = dequantize.getInput().getType();
  if (op.hasPackedWeight()) {
    bool perFeature = dequantize.getBlockSize() && *dequantize.getAxis() == 1 &&
                      *dequantize.getBlockSize() == type.getDimSize(1);
    if (!dequantize.isPerTensor() && !perFeature)
      return std::nullopt;
    return QuantizedWeight{dequantize, Attribute(), zeroPoints};
  }
  if (dequantize.getBlockSize() ||
      (!dequantize.isPerTensor() && *dequantize.getAxis() != 0))
    return std::nullopt;
  Attribute values;
  if (!matchPattern(dequantize.getInput(), m_Constant(&values)))
    return std::nullopt;
  return QuantizedWeight{dequantize, values, zeroPoints};
}

/// A linear's input `dequantize(Qa, Sa[, Za])` of 8-bit integers with one
/// scale (and zero point) for the whole tensor, or one per row (blocked
/// along the last axis in one block: per-token quantization). With a
/// quantized weight the product is then integer:
///
///   y[m, n] = (Σ_k Qa[m, k]·Q[n, k] - Za[m]·Σ_k Q[n, k]) · Sa[m] · S[n]
///
/// The activations enter the product as uint8 (an int8 one is offset by
/// 128, its zero point with it), the operand order of the 4-way
/// u8 x s8 integer dot products of CPUs; the zero point's share is a
/// compile-time column sum of the weight.
struct QuantizedInput {
  DequantizeOp dequantize;
  bool isUnsigned;
  bool isPerRow;
};

std::optional<QuantizedInput> getQuantizedInput(LinearOp op, int64_t k) {
  auto dequantize = op.getInput().getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return std::nullopt;
  RankedTensorType type = dequantize.getInput().getType();
  auto intType = cast<IntegerType>(type.getElementType());
  // The i32 sums hold K products of 255 · 128 at most without overflow.
  if (intType.getWidth() != 8 ||
      k > std::numeric_limits<int32_t>::max() / (255 * 128))
    return std::nullopt;
  bool isPerRow = dequantize.getBlockSize() &&
                  *dequantize.getAxis() == type.getRank() - 1 &&
                  *dequantize.getBlockSize() >= k;
  if (!dequantize.isPerTensor() && !isPerRow)
    return std::nullopt;
  return QuantizedInput{dequantize, intType.isUnsigned(), isPerRow};
}

/// The signed bytes of the constant int8 `weight` (any layout; a splat
/// expanded).
FailureOr<SmallVector<int8_t>> getWeightBytes(Value weight) {
  Attribute value;
  if (!matchPattern(weight, m_Constant(&value)))
    return failure();
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(value, storage);
  if (failed(bytes))
    return failure();
  return llvm::map_to_vector(*bytes,
                             [](char c) { return static_cast<int8_t>(c); });
}

/// Σ_k Q[n, k] for the n < `n` output features of the [N, K] or panel
/// [P, K, w] int8 weight `bytes` of `type`.
SmallVector<int32_t> getColumnSums(ArrayRef<int8_t> bytes,
                                   RankedTensorType type, int64_t n) {
  SmallVector<int32_t> sums(n, 0);
  int64_t k = type.getDimSize(1);
  if (type.getRank() == 2) {
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < k; ++j)
        sums[i] += bytes[i * k + j];
    return sums;
  }
  int64_t width = type.getDimSize(2);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      sums[i] += bytes[((i / width) * k + j) * width + i % width];
  return sums;
}

/// The uint8 activations [M, K] of a quantized input, and the zero point
/// that goes with them (i32, one per row or one for all; null when 0).
std::pair<Value, Value> getUnsignedActivations(OpBuilder &b, Location loc,
                                               const QuantizedInput &input,
                                               Value quantized, Value zeroPoint,
                                               int64_t m, int64_t k) {
  Value activations = reshapeTo(b, loc, quantized, {m, k});
  Type i8 = b.getIntegerType(8), i32 = b.getI32Type();
  if (zeroPoint) {
    zeroPoint =
        reshapeTo(b, loc, zeroPoint,
                  input.isPerRow ? ArrayRef<int64_t>{m} : ArrayRef<int64_t>{});
  }
  if (input.isUnsigned) {
    if (!zeroPoint)
      return {activations, Value()};
    auto type = cast<RankedTensorType>(zeroPoint.getType());
    return {
        activations,
        buildElementwise(
            b, loc, type.getShape(), i32, zeroPoint,
            [&](OpBuilder &nb, Location l, ValueRange args) {
              return arith::ExtUIOp::create(nb, l, i32, args[0]).getResult();
            })};
  }
  // int8 q as uint8 q + 128 (its sign bit flipped), zero point z + 128.
  Value signBit = createScalar(b, loc, i8, -128);
  activations = buildElementwise(
      b, loc, {m, k}, i8, activations,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return arith::XOrIOp::create(nb, l, args[0], signBit).getResult();
      });
  Value offset = createScalar(b, loc, i32, 128);
  if (!zeroPoint)
    return {activations,
            createFilled(b, loc,
                         input.isPerRow ? rowSizes(b, loc, activations, {})
                                        : SmallVector<OpFoldResult>{},
                         offset)};
  auto type = cast<RankedTensorType>(zeroPoint.getType());
  return {activations,
          buildElementwise(
              b, loc, type.getShape(), i32, zeroPoint,
              [&](OpBuilder &nb, Location l, ValueRange args) {
                Value z = arith::ExtSIOp::create(nb, l, i32, args[0]);
                return arith::AddIOp::create(nb, l, z, offset).getResult();
              })};
}

/// A product's accumulator of `sizes`: `bias` read through `biasMap` (a
/// broadcast over the other dimensions) and extended to `accType`, or
/// zeros without a bias.
Value buildBiasInit(OpBuilder &b, Location loc, Value bias, AffineMap biasMap,
                    ArrayRef<OpFoldResult> sizes, Type accType) {
  if (!bias)
    return createFilled(b, loc, sizes, createScalar(b, loc, accType, 0));
  unsigned rank = sizes.size();
  return buildGeneric(b, loc, bias, createEmpty(b, loc, sizes, accType),
                      {biasMap, b.getMultiDimIdentityMap(rank)},
                      SmallVector<utils::IteratorType>(
                          rank, utils::IteratorType::parallel),
                      [&](OpBuilder &nb, Location l,
                          ValueRange args) -> SmallVector<Value> {
                        return {extendTo(nb, l, args[0], accType)};
                      })
      .front();
}

/// ... with `bias` the trailing dimensions, broadcast over the rows.
Value buildRowInit(OpBuilder &b, Location loc, Value bias,
                   ArrayRef<OpFoldResult> sizes, Type accType) {
  return buildBiasInit(b, loc, bias,
                       getDropDimsMap(b.getContext(), sizes.size(), {0}), sizes,
                       accType);
}

/// The [M, N] accumulator of a linear's product: the bias broadcast over
/// the rows (extended to `accType`), or zeros.
Value buildMatrixInit(OpBuilder &b, Location loc, Value bias, OpFoldResult m,
                      int64_t n, Type accType) {
  return buildRowInit(b, loc, bias, {m, b.getIndexAttr(n)}, accType);
}

/// The [M, P, w] accumulator of a panel product: the bias (zero-padded to
/// whole panels) broadcast over the rows, or zeros.
Value buildPanelInit(OpBuilder &b, Location loc, Value bias, OpFoldResult m,
                     int64_t panels, int64_t width, Type accType) {
  if (bias) {
    int64_t n = cast<RankedTensorType>(bias.getType()).getDimSize(0);
    if (n != panels * width) {
      Type elementType = getElementTypeOrSelf(bias.getType());
      bias = tensor::PadOp::create(
          b, loc, RankedTensorType::get({panels * width}, elementType), bias,
          ArrayRef<OpFoldResult>{b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(panels * width - n)},
          createScalar(b, loc, elementType, 0));
    }
    bias = reshapeTo(b, loc, bias, {panels, width});
  }
  return buildRowInit(b, loc, bias,
                      {m, b.getIndexAttr(panels), b.getIndexAttr(width)},
                      accType);
}

/// input [M, K] x the panel weight [P, K, w] + the bias (zero-padded to
/// whole panels), as one contraction over (m, p, j, k) into [M, P, w];
/// returned collapsed to [M, P·w], the padding columns last. K may be
/// split into several dimensions, input [M, K1, .., Kr] by weight
/// [P, K1, .., Kr, w], reduced over all of them.
Value buildPanelProduct(
    OpBuilder &b, Location loc, Value input, Value weight, Value bias,
    Type accType,
    MultiplyAccumulateFn multiplyAccumulate = buildMultiplyAccumulate) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t m = inputType.getDimSize(0);
  OpFoldResult mSize = tensor::getMixedSize(b, loc, input, 0);
  int64_t kRank = weightType.getRank() - 2;
  int64_t panels = weightType.getDimSize(0),
          width = weightType.getDimSize(kRank + 1);
  MLIRContext *ctx = b.getContext();
  AffineExpr mE = getAffineDimExpr(0, ctx), pE = getAffineDimExpr(1, ctx),
             jE = getAffineDimExpr(2, ctx);
  Value init = buildPanelInit(b, loc, bias, mSize, panels, width, accType);
  unsigned numLoops = 3 + kRank;
  SmallVector<AffineExpr> inputExprs = {mE}, weightExprs = {pE};
  for (int64_t i = 0; i < kRank; ++i) {
    inputExprs.push_back(getAffineDimExpr(3 + i, ctx));
    weightExprs.push_back(getAffineDimExpr(3 + i, ctx));
  }
  weightExprs.push_back(jE);
  SmallVector<AffineMap> maps = {
      AffineMap::get(numLoops, 0, inputExprs, ctx),
      AffineMap::get(numLoops, 0, weightExprs, ctx),
      AffineMap::get(numLoops, 0, {mE, pE, jE}, ctx)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.append(kRank, utils::IteratorType::reduction);
  Value product =
      buildGeneric(b, loc, ValueRange{input, weight}, init, maps, iterators,
                   [&](OpBuilder &nb, Location l,
                       ValueRange args) -> SmallVector<Value> {
                     return {
                         multiplyAccumulate(nb, l, args[0], args[1], args[2])};
                   })
          .front();
  return reshapeTo(b, loc, product, {m, panels * width});
}

/// The constant panels `like` of `type` [P, K, w] (row-major bytes
/// `bytes`) regrouped as [P, K/g, w, g]: g consecutive K elements of a
/// feature together, what one 32-bit lane of a g-way dot product reads.
Value createGroupedPanels(OpBuilder &b, Location loc, Attribute like,
                          RankedTensorType type, ArrayRef<char> bytes,
                          int64_t group, StringRef suffix) {
  int64_t p = type.getDimSize(0), k = type.getDimSize(1),
          w = type.getDimSize(2);
  int64_t size = getStorageBytes(type.getElementType());
  int64_t groups = k / group;
  SmallVector<char> grouped(bytes.size());
  for (int64_t panel = 0; panel < p; ++panel)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t j = 0; j < w; ++j)
        for (int64_t t = 0; t < group; ++t)
          std::memcpy(
              &grouped[(((panel * groups + g) * w + j) * group + t) * size],
              &bytes[((panel * k + group * g + t) * w + j) * size], size);
  auto groupedType =
      RankedTensorType::get({p, groups, w, group}, type.getElementType());
  return arith::ConstantOp::create(
      b, loc,
      cast<TypedAttr>(createConstantLike(like, groupedType, suffix, grouped)));
}

/// A [M, K/g, g] x [P, K/g, w, g] product into the [M, P, w] accumulator
/// `init`, as one contraction over (m, p, g, j, t): the dot-group layout of
/// the CPU's dot product instructions (a group of g K elements of a feature
/// in one 32-bit lane).
Value buildDotGroupProduct(OpBuilder &b, Location loc, Value input,
                           Value weight, Value init,
                           MultiplyAccumulateFn multiplyAccumulate) {
  MLIRContext *ctx = b.getContext();
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {dim(0), dim(2), dim(4)}, ctx),
      AffineMap::get(5, 0, {dim(1), dim(2), dim(3), dim(4)}, ctx),
      AffineMap::get(5, 0, {dim(0), dim(1), dim(3)}, ctx)};
  return buildGeneric(
             b, loc, ValueRange{input, weight}, init, maps,
             {utils::IteratorType::parallel, utils::IteratorType::parallel,
              utils::IteratorType::reduction, utils::IteratorType::parallel,
              utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location l,
                 ValueRange args) -> SmallVector<Value> {
               return {multiplyAccumulate(nb, l, args[0], args[1], args[2])};
             })
      .front();
}

/// uint8 activations [M, K] x the int8 panel weight [P, K, w] in i32,
/// [M, P·w]. With K a multiple of the dot group g (4 for vpdpbusd, 2 for
/// vpmaddwd) the panels are laid out as [P, K/g, w, g] at compile time (g
/// consecutive K elements of a feature together, what one 32-bit lane of
/// a g-way dot product reads) and the activations read as [M, K/g, g]
/// (widened to 16 bits for pairs: vpmaddwd's operands).
Value buildIntegerPanelProduct(OpBuilder &b, Location loc, Value activations,
                               Value panels, ArrayRef<int8_t> panelBytes,
                               int64_t group) {
  auto type = cast<RankedTensorType>(panels.getType());
  int64_t m = cast<RankedTensorType>(activations.getType()).getDimSize(0);
  int64_t p = type.getDimSize(0), k = type.getDimSize(1),
          w = type.getDimSize(2);
  Type i32 = b.getI32Type();
  if (k % group == 0) {
    Attribute like;
    (void)matchPattern(panels, m_Constant(&like));
    Value weight = createGroupedPanels(
        b, loc, like, type,
        ArrayRef<char>(reinterpret_cast<const char *>(panelBytes.data()),
                       panelBytes.size()),
        group, (".dot" + Twine(group)).str());
    if (group == 2) {
      // vpmaddwd multiplies 16-bit values: the activations are widened
      // once, not per register tile.
      Type i16 = b.getI16Type();
      activations = buildElementwise(
          b, loc, {m, k}, i16, activations,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            return arith::ExtUIOp::create(nb, l, i16, args[0]).getResult();
          });
    }
    Value input = reshapeTo(b, loc, activations, {m, k / group, group});
    Value init = createFilled(b, loc, rowSizes(b, loc, activations, {p, w}),
                              createScalar(b, loc, i32, 0));
    Value product = buildDotGroupProduct(b, loc, input, weight, init,
                                         buildUnsignedSignedMultiplyAccumulate);
    return reshapeTo(b, loc, product, {m, p * w});
  }
  // K not in whole groups: the plain panels.
  return buildPanelProduct(b, loc, activations, panels, /*bias=*/Value(), i32,
                           buildUnsignedSignedMultiplyAccumulate);
}

/// A linear weight quantized in blocks along K, of 4-bit or 8-bit codes:
/// `dequantize(Q, S[, Z]) {axis = 1, block_size = b}` of constants, with Q
/// [N, K] (S and Z [N, K/b]) or, in the panel layout, [P, K, w] (S and Z
/// [P, K/b, w]), b dividing K (and even for 4-bit codes). The product
/// dequantizes the weight in registers, one K step at a time, from packed
/// bytes (two 4-bit codes per byte): W = u·S + C per block, u the unsigned
/// code and C = -Z·S precomputed.
struct BlockQuantizedWeight {
  DequantizeOp dequantize;
  Attribute codes, scales, zeroPoints;
  int64_t bits;
  int64_t blockSize;
};

std::optional<BlockQuantizedWeight> getBlockQuantizedWeight(LinearOp op) {
  auto dequantize = op.getWeight().getDefiningOp<DequantizeOp>();
  if (!dequantize || !dequantize.getBlockSize() || *dequantize.getAxis() != 1)
    return std::nullopt;
  RankedTensorType type = dequantize.getInput().getType();
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  int64_t blockSize = *dequantize.getBlockSize();
  if (!intType || (intType.getWidth() != 4 && intType.getWidth() != 8) ||
      !type.hasStaticShape() ||
      type.getRank() != (op.hasPackedWeight() ? 3 : 2) ||
      type.getDimSize(1) % blockSize != 0 ||
      (intType.getWidth() == 4 && blockSize % 2 != 0))
    return std::nullopt;
  BlockQuantizedWeight weight{dequantize,         {},       {}, {},
                              intType.getWidth(), blockSize};
  if (!matchPattern(dequantize.getInput(), m_Constant(&weight.codes)) ||
      !matchPattern(dequantize.getScale(), m_Constant(&weight.scales)) ||
      (dequantize.getZeroPoint() &&
       !matchPattern(dequantize.getZeroPoint(),
                     m_Constant(&weight.zeroPoints))))
    return std::nullopt;
  return weight;
}

/// x [M, K] by a block-quantized weight, + the bias, into f32 [M, N]:
///
///   bytes [P, K/b, b/2, w]   i8: codes 2h and 2h+1 of a block, low nibble
///                            first (8-bit codes: [P, K/b, b, w])
///   scale [P, K/b, w]        S of each block: f16 when f16 holds every
///                            scale exactly (tfm-quantize's), else f32
///   zero [P, K/b, w]         i8: Z of each block
///   W [P, K/b, b/2, 2, w]    f32 = (u - Z)·S, u = (byte >> 4t) & 15
///   x [M, K/b, b/2, 2] · W   the panel product over (K/b, b/2, 2)
///
/// With 4-bit codes and an even number of blocks the zero points are
/// nibbles too, those of blocks 2c and 2c+1 in one byte: the block axis
/// splits into (K/2b, 2) and Z = (zero[p, c, j] >> 4e) & 15 for block
/// 2c+e. An unpacked weight is one panel of all N features (P = 1, w = N);
/// a signed code q is stored as u = q + 2^(bits-1), its zero point with
/// it. Per block of 32 4-bit codes that is 16 bytes of codes, 2 of scale
/// and half a byte of zero point.
/// The dequantizing generic reads only constants: the CPU backend computes
/// it inside the product's K loop, once per K step and register tile.
FailureOr<Value> buildBlockQuantizedLinear(OpBuilder &b, Location loc,
                                           const BlockQuantizedWeight &weight,
                                           Value input2D, Value bias, int64_t m,
                                           int64_t n, int64_t k) {
  DequantizeOp dequantize = weight.dequantize;
  RankedTensorType type = dequantize.getInput().getType();
  bool isPanels = type.getRank() == 3;
  int64_t panels = isPanels ? type.getDimSize(0) : 1;
  int64_t width = isPanels ? type.getDimSize(2) : type.getDimSize(0);
  int64_t blockSize = weight.blockSize, blocks = k / blockSize;
  bool isPacked = weight.bits == 4;
  int64_t perByte = isPacked ? 2 : 1;
  int64_t inner = blockSize / perByte;
  FailureOr<SmallVector<int64_t>> codes = getConstantInts(weight.codes);
  FailureOr<SmallVector<float>> scales = getConstantFloats(weight.scales);
  if (failed(codes) || failed(scales))
    return failure();
  FailureOr<SmallVector<int64_t>> zeroPoints =
      weight.zeroPoints ? getConstantInts(weight.zeroPoints)
                        : FailureOr<SmallVector<int64_t>>(
                              SmallVector<int64_t>(scales->size(), 0));
  if (failed(zeroPoints))
    return failure();
  int64_t offset = isUnsignedInteger(type.getElementType())
                       ? 0
                       : int64_t{1} << (weight.bits - 1);
  auto codeIndex = [&](int64_t p, int64_t kk, int64_t j) {
    return isPanels ? (p * k + kk) * width + j : j * k + kk;
  };
  auto blockIndex = [&](int64_t p, int64_t kb, int64_t j) {
    return isPanels ? (p * blocks + kb) * width + j : j * blocks + kb;
  };
  SmallVector<char> bytes(panels * blocks * inner * width);
  SmallVector<float> blockScales(panels * blocks * width);
  SmallVector<int64_t> blockZeros(panels * blocks * width);
  bool isNibbleZero = isPacked && blocks % 2 == 0;
  for (int64_t p = 0; p < panels; ++p) {
    for (int64_t kb = 0; kb < blocks; ++kb) {
      for (int64_t j = 0; j < width; ++j) {
        int64_t from = blockIndex(p, kb, j), to = (p * blocks + kb) * width + j;
        blockScales[to] = (*scales)[from];
        int64_t zero = (*zeroPoints)[from] + offset;
        if (zero < 0 || zero > 255)
          return failure();
        blockZeros[to] = zero;
        isNibbleZero &= zero < 16;
      }
      for (int64_t h = 0; h < inner; ++h) {
        for (int64_t j = 0; j < width; ++j) {
          unsigned byte = 0;
          for (int64_t t = 0; t < perByte; ++t) {
            int64_t kk = kb * blockSize + h * perByte + t;
            auto u =
                static_cast<unsigned>((*codes)[codeIndex(p, kk, j)] + offset);
            byte |= u << (4 * t);
          }
          bytes[((p * blocks + kb) * inner + h) * width + j] =
              static_cast<char>(byte);
        }
      }
    }
  }
  // Zero points: one byte each, or two nibbles of blocks 2c and 2c+1.
  SmallVector<char> zeroBytes;
  if (isNibbleZero) {
    zeroBytes.assign(panels * blocks / 2 * width, 0);
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t kb = 0; kb < blocks; ++kb)
        for (int64_t j = 0; j < width; ++j)
          zeroBytes[(p * blocks / 2 + kb / 2) * width + j] |= static_cast<char>(
              blockZeros[(p * blocks + kb) * width + j] << (4 * (kb % 2)));
  } else {
    for (int64_t zero : blockZeros)
      zeroBytes.push_back(static_cast<char>(zero));
  }

  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  auto constant = [&](ArrayRef<int64_t> shape, Type elementType,
                      StringRef suffix, ArrayRef<char> data) -> Value {
    return arith::ConstantOp::create(
        b, loc,
        cast<TypedAttr>(createConstantLike(
            weight.codes, RankedTensorType::get(shape, elementType), suffix,
            data)));
  };
  // The block axis: (K/b) or, with nibble zero points, (K/2b, 2).
  SmallVector<int64_t> blockDims = {blocks};
  if (isNibbleZero)
    blockDims = {blocks / 2, 2};
  auto withBlocks = [&](ArrayRef<int64_t> tail) {
    SmallVector<int64_t> shape = {panels};
    llvm::append_range(shape, blockDims);
    llvm::append_range(shape, tail);
    return shape;
  };
  Value packed =
      constant(withBlocks({inner, width}), b.getI8Type(), ".packed", bytes);
  // f16 scales when f16 holds them exactly: half the bytes, same values.
  std::optional<SmallVector<uint16_t>> halfScales = getExactHalves(blockScales);
  Value scale =
      halfScales
          ? constant(withBlocks({width}), b.getF16Type(), ".block_scale",
                     ArrayRef<char>(
                         reinterpret_cast<const char *>(halfScales->data()),
                         halfScales->size() * sizeof(uint16_t)))
          : constant(withBlocks({width}), f32, ".block_scale",
                     ArrayRef<char>(
                         reinterpret_cast<const char *>(blockScales.data()),
                         blockScales.size() * sizeof(float)));
  SmallVector<int64_t> zeroShape = {panels, blockDims.front(), width};
  Value blockZero =
      constant(zeroShape, b.getI8Type(), ".block_zero", zeroBytes);

  // The dequantizing generic over (p, blocks..., h[, t], j).
  SmallVector<int64_t> shape = withBlocks({inner});
  if (isPacked)
    shape.push_back(2);
  shape.push_back(width);
  unsigned rank = shape.size();
  unsigned blockRank = blockDims.size();
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineExpr jE = dim(rank - 1);
  SmallVector<AffineExpr> blockExprs = {dim(0)};
  for (unsigned i = 0; i < blockRank; ++i)
    blockExprs.push_back(dim(1 + i));
  SmallVector<AffineExpr> byteExprs(blockExprs), scaleExprs(blockExprs);
  byteExprs.append({dim(1 + blockRank), jE});
  scaleExprs.push_back(jE);
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, byteExprs, ctx),
      AffineMap::get(rank, 0, scaleExprs, ctx),
      AffineMap::get(rank, 0, {dim(0), dim(1), jE}, ctx),
      AffineMap::getMultiDimIdentityMap(rank, ctx)};
  // (value >> 4·index(dim)) & 15: the nibble `dim` selects.
  auto nibble = [&](OpBuilder &nb, Location l, Value value, unsigned d) {
    Value index = linalg::IndexOp::create(nb, l, d);
    Value shift = arith::IndexCastOp::create(
        nb, l, i32,
        arith::MulIOp::create(nb, l, index,
                              arith::ConstantIndexOp::create(nb, l, 4)));
    return arith::AndIOp::create(nb, l,
                                 arith::ShRUIOp::create(nb, l, value, shift),
                                 createScalar(nb, l, i32, 15));
  };
  Value dequantized =
      buildGeneric(
          b, loc, ValueRange{packed, scale, blockZero},
          createEmpty(b, loc, shape, f32), maps,
          SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location l,
              ValueRange args) -> SmallVector<Value> {
            Value u = arith::ExtUIOp::create(nb, l, i32, args[0]);
            if (isPacked)
              u = nibble(nb, l, u, rank - 2);
            Value zero = arith::ExtUIOp::create(nb, l, i32, args[2]);
            if (isNibbleZero)
              zero = nibble(nb, l, zero, 2);
            Value value = arith::SIToFPOp::create(
                nb, l, f32, arith::SubIOp::create(nb, l, u, zero));
            return {arith::MulFOp::create(nb, l, value,
                                          extendTo(nb, l, args[1], f32))};
          })
          .front();
  SmallVector<int64_t> inputShape = {m};
  llvm::append_range(inputShape, blockDims);
  inputShape.push_back(inner);
  if (isPacked)
    inputShape.push_back(2);
  Value input = reshapeTo(b, loc, input2D, inputShape);
  Value result = buildPanelProduct(b, loc, input, dequantized, bias, f32);
  return sliceColumns(b, loc, result, n);
}

/// Σ_k a[m, k] - K·Za of the uint8 activations [M, K] (i32 [M]; Za the
/// activations' i32 zero point, one per row or one for all, or null): the
/// factor of a weight zero point Z in the product,
///   Σ_k (a - Za)(q - Z) = Σ_k (a - Za)·q - Z·(Σ_k a - K·Za).
Value buildRowTerms(OpBuilder &b, Location loc, Value activations,
                    Value zeroPoint32, int64_t m, int64_t k) {
  MLIRContext *ctx = b.getContext();
  Type i32 = b.getI32Type();
  Value sums =
      buildGeneric(
          b, loc, activations,
          createFilled(b, loc, rowSizes(b, loc, activations, {}),
                       createScalar(b, loc, i32, 0)),
          {AffineMap::getMultiDimIdentityMap(2, ctx),
           AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx)},
          {utils::IteratorType::parallel, utils::IteratorType::reduction},
          [&](OpBuilder &nb, Location l,
              ValueRange args) -> SmallVector<Value> {
            Value a = arith::ExtUIOp::create(nb, l, i32, args[0]);
            return {arith::AddIOp::create(nb, l, args[1], a).getResult()};
          })
          .front();
  if (!zeroPoint32)
    return sums;
  bool isPerRow = cast<RankedTensorType>(zeroPoint32.getType()).getRank() == 1;
  Value kValue = createScalar(b, loc, i32, k);
  return buildGeneric(
             b, loc, ValueRange{sums, zeroPoint32},
             createEmpty(b, loc, rowSizes(b, loc, activations, {}), i32),
             {AffineMap::getMultiDimIdentityMap(1, ctx),
              isPerRow ? AffineMap::getMultiDimIdentityMap(1, ctx)
                       : AffineMap::get(1, 0, {}, ctx),
              AffineMap::getMultiDimIdentityMap(1, ctx)},
             {utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location l,
                 ValueRange args) -> SmallVector<Value> {
               Value kz = arith::MulIOp::create(nb, l, args[1], kValue);
               return {arith::SubIOp::create(nb, l, args[0], kz).getResult()};
             })
      .front();
}

/// The float [M, N] result of a linear with a quantized input and weight:
/// the integer product (panels in dot groups of `int8Group`), then its
/// epilogue (zero point compensation, the scales, the bias). The weight is
/// int8: `quantizedT` the transposed [K, N] codes when they are not in
/// panels, else `panels`, with the bytes `weightBytes` either way, and
/// `weightZeroPoints` its zero points (none, one, or one per feature).
Value buildIntegerLinear(ConversionPatternRewriter &rewriter, Location loc,
                         LinearOp op, const QuantizedInput &input,
                         const QuantizedWeight &weight, TypedAttr quantizedT,
                         Value panels, ArrayRef<int8_t> weightBytes,
                         ArrayRef<int32_t> weightZeroPoints, Value bias,
                         int64_t m, int64_t n, int64_t k, int64_t int8Group) {
  DequantizeOp inputDequantize = input.dequantize;
  Value zeroPoint = inputDequantize.getZeroPoint();
  auto [activations, zeroPoint32] = getUnsignedActivations(
      rewriter, loc, input,
      rewriter.getRemappedValue(inputDequantize.getInput()),
      zeroPoint ? rewriter.getRemappedValue(zeroPoint) : Value(), m, k);
  DequantizeOp weightDequantize = weight.dequantize;
  RankedTensorType qType = weightDequantize.getInput().getType();
  Type i32 = rewriter.getI32Type();
  Value weightScale = rewriter.getRemappedValue(weightDequantize.getScale());
  Value product;
  if (op.hasPackedWeight()) {
    product = buildIntegerPanelProduct(rewriter, loc, activations, panels,
                                       weightBytes, int8Group);
    int64_t padded = cast<RankedTensorType>(product.getType()).getDimSize(1);
    product = sliceColumns(rewriter, loc, product, n);
    if (!weightDequantize.isPerTensor()) {
      weightScale = reshapeTo(rewriter, loc, weightScale, {padded});
      if (padded != n)
        weightScale = extractStaticSlice(rewriter, loc, weightScale, {0}, {n});
    }
  } else {
    Value weightT = arith::ConstantOp::create(rewriter, loc, quantizedT);
    product = buildMatmul2D(
        rewriter, loc, activations, weightT,
        createFilled(rewriter, loc, rowSizes(rewriter, loc, activations, {n}),
                     createScalar(rewriter, loc, i32, 0)),
        buildUnsignedSignedMultiplyAccumulate);
  }

  // The epilogue over (m, n).
  MLIRContext *ctx = rewriter.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap rows = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  AffineMap cols = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
  AffineMap scalar = AffineMap::get(2, 0, {}, ctx);
  Value inputScale = rewriter.getRemappedValue(inputDequantize.getScale());
  if (input.isPerRow)
    inputScale = reshapeTo(rewriter, loc, inputScale, {m});
  SmallVector<Value> inputs = {product, inputScale, weightScale};
  SmallVector<AffineMap> maps = {identity, input.isPerRow ? rows : scalar,
                                 weightDequantize.isPerTensor() ? scalar
                                                                : cols};
  auto i32Vector = [&](ArrayRef<int32_t> values) -> Value {
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({static_cast<int64_t>(values.size())}, i32),
            values));
  };
  int64_t activationZeroPoint = -1, weightZeroPoint = -1;
  if (zeroPoint32) {
    // Za · Σ_k q[n, k].
    activationZeroPoint = inputs.size();
    inputs.push_back(zeroPoint32);
    maps.push_back(input.isPerRow ? rows : scalar);
    inputs.push_back(i32Vector(getColumnSums(weightBytes, qType, n)));
    maps.push_back(cols);
  }
  if (!weightZeroPoints.empty()) {
    // Z[n] · (Σ_k a[m, k] - K·Za).
    weightZeroPoint = inputs.size();
    inputs.push_back(
        buildRowTerms(rewriter, loc, activations, zeroPoint32, m, k));
    maps.push_back(rows);
    if (weightZeroPoints.size() == 1) {
      inputs.push_back(createScalar(rewriter, loc, i32, weightZeroPoints[0]));
      inputs.back() = tensor::FromElementsOp::create(
          rewriter, loc, RankedTensorType::get({}, i32), inputs.back());
      maps.push_back(scalar);
    } else {
      inputs.push_back(i32Vector(weightZeroPoints.take_front(n)));
      maps.push_back(cols);
    }
  }
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(cols);
  }
  maps.push_back(identity);
  Type accType = rewriter.getF32Type();
  return buildGeneric(
             rewriter, loc, inputs,
             createEmpty(rewriter, loc, rowSizes(rewriter, loc, product, {n}),
                         accType),
             maps,
             SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
             [&](OpBuilder &b, Location l,
                 ValueRange args) -> SmallVector<Value> {
               Value acc = args[0];
               for (int64_t first : {activationZeroPoint, weightZeroPoint})
                 if (first >= 0)
                   acc = arith::SubIOp::create(
                       b, l, acc,
                       arith::MulIOp::create(b, l, args[first],
                                             args[first + 1]));
               Value v = arith::SIToFPOp::create(b, l, accType, acc);
               v = arith::MulFOp::create(b, l, v,
                                         extendTo(b, l, args[1], accType));
               v = arith::MulFOp::create(b, l, v,
                                         extendTo(b, l, args[2], accType));
               if (bias)
                 v = arith::AddFOp::create(
                     b, l, v, extendTo(b, l, args.drop_back().back(), accType));
               return {v};
             })
      .front();
}

/// A linear operand read through a widening float cast, `cast<f32>(x16)`
/// of a bf16 or f16 `x16` (tfm-quantize's mixed precision): x16, or null.
Value getNarrowFloatSource(Value operand) {
  auto widening = operand.getDefiningOp<CastOp>();
  if (!widening)
    return Value();
  auto from = dyn_cast<FloatType>(
      cast<ShapedType>(widening.getInput().getType()).getElementType());
  auto to = dyn_cast<FloatType>(widening.getType().getElementType());
  if (!from || !to || from.getWidth() >= to.getWidth())
    return Value();
  return widening.getInput();
}

/// bf16 input [M, K] x the bf16 panel weight [P, K, w] (constant `like`)
/// + the bias, into f32 [M, P·w], in the 2-way layout (K even): the panels
/// regrouped at compile time as [P, K/2, w, 2] (each 32-bit lane a pair
/// of K elements of one feature, the operand layout of vdpbf16ps), the
/// input read as [M, K/2, 2]. Each product of two bf16 values is exact in
/// f32; the sums are f32.
FailureOr<Value> buildPairPanelProduct(OpBuilder &b, Location loc, Value input,
                                       Attribute like, RankedTensorType type,
                                       Value bias) {
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(like, storage);
  if (failed(bytes))
    return failure();
  int64_t m = cast<RankedTensorType>(input.getType()).getDimSize(0);
  int64_t p = type.getDimSize(0), k = type.getDimSize(1),
          w = type.getDimSize(2);
  int64_t pairs = k / 2;
  Value weight = createGroupedPanels(b, loc, like, type, *bytes, 2, ".dot2");
  Value pairedInput = reshapeTo(b, loc, input, {m, pairs, 2});
  Value init =
      buildPanelInit(b, loc, bias, tensor::getMixedSize(b, loc, input, 0), p, w,
                     b.getF32Type());
  Value product = buildDotGroupProduct(b, loc, pairedInput, weight, init,
                                       buildMultiplyAccumulate);
  return reshapeTo(b, loc, product, {m, p * w});
}

/// The f32 [M, N] result (before the activation and residual) of a linear
/// whose weight is a narrow float constant widened to f32, `narrowWeight`
/// its narrow form: the product reads f32 rows of the input and the narrow
/// weight, widened in registers, and accumulates in f32. With `bf16Dot`
/// (the target has vdpbf16ps) a bf16 x bf16 product in panels takes the
/// 2-way layout instead, reading the narrow input.
Value buildNarrowFloatLinear(ConversionPatternRewriter &rewriter, Location loc,
                             LinearOp op, Value narrowWeight, Value bias,
                             int64_t m, int64_t n, int64_t k, bool bf16Dot) {
  // The input in f32 (widened once, so that the product's register tile
  // reads f32 rows), and narrow when the 2-way bf16 layout reads it.
  Value input2D = reshapeTo(rewriter, loc,
                            rewriter.getRemappedValue(op.getInput()), {m, k});
  Value narrowInput = getNarrowFloatSource(op.getInput());
  Type f32 = rewriter.getF32Type();
  Value weight = rewriter.getRemappedValue(narrowWeight);
  auto weightType = cast<RankedTensorType>(narrowWeight.getType());
  Attribute weightAttr;
  bool isConstant = matchPattern(narrowWeight, m_Constant(&weightAttr));
  if (op.hasPackedWeight()) {
    FailureOr<Value> result = failure();
    if (bf16Dot && isConstant && k % 2 == 0 &&
        weightType.getElementType().isBF16() && narrowInput &&
        getElementTypeOrSelf(narrowInput.getType()).isBF16())
      result = buildPairPanelProduct(
          rewriter, loc,
          reshapeTo(rewriter, loc, rewriter.getRemappedValue(narrowInput),
                    {m, k}),
          weightAttr, weightType, bias);
    if (failed(result))
      result = buildPanelProduct(rewriter, loc, input2D, weight, bias, f32);
    return sliceColumns(rewriter, loc, *result, n);
  }
  Value weightT;
  if (TypedAttr transposed =
          isConstant ? transposeConstantMatrix(weightAttr, weightType)
                     : TypedAttr()) {
    weightT = arith::ConstantOp::create(rewriter, loc, transposed);
  } else {
    Value init =
        createEmpty(rewriter, loc, {k, n}, weightType.getElementType());
    weightT = linalg::TransposeOp::create(rewriter, loc, weight, init,
                                          ArrayRef<int64_t>{1, 0})
                  .getResult()
                  .front();
  }
  return buildMatmul2D(
      rewriter, loc, input2D, weightT,
      buildMatrixInit(rewriter, loc, bias,
                      tensor::getMixedSize(rewriter, loc, input2D, 0), n, f32));
}

struct LinearOpLowering : OpConversionPattern<LinearOp> {
  LinearOpLowering(const TypeConverter &converter, MLIRContext *ctx,
                   const ContractionLoweringOptions &options)
      : OpConversionPattern(converter, ctx), options(options) {}
  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Rows may be dynamic (supportsDynamicShapes).
    auto type = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    int64_t n = op.getNumOutputFeatures(), k = weightType.getDimSize(1);
    ArrayRef<int64_t> rows =
        cast<RankedTensorType>(op.getInput().getType()).getShape().drop_back();
    int64_t m = ShapedType::isDynamicShape(rows) ? ShapedType::kDynamic
                                                 : getNumElements(rows);
    Type elementType = type.getElementType();
    Type accType = getComputeType(elementType);
    Value input2D = reshapeTo(rewriter, loc, adaptor.getInput(), {m, k});
    OpFoldResult mSize = tensor::getMixedSize(rewriter, loc, input2D, 0);

    Value result;
    Value bias = adaptor.getBias();
    std::optional<QuantizedWeight> quantized =
        getQuantizedWeight(op, /*allowZeroPoints=*/true);
    std::optional<QuantizedInput> quantizedInput;
    if (quantized && (quantized->values || op.hasPackedWeight()))
      quantizedInput = getQuantizedInput(op, k);
    // Weight zero points fold into an integer product only.
    if (quantized && quantized->zeroPoints && !quantizedInput)
      quantized.reset();
    std::optional<BlockQuantizedWeight> blockQuantized;
    if (!quantized && accType.isF32())
      blockQuantized = getBlockQuantizedWeight(op);
    // The codes as int8: uint8 ones offset by -128, their zero points with
    // them (Q - Z is unchanged).
    TypedAttr quantizedT;
    Value panels;
    FailureOr<SmallVector<int8_t>> weightBytes = failure();
    SmallVector<int32_t> weightZeroPoints;
    if (quantized) {
      Value codes = quantized->dequantize.getInput();
      auto codeType = cast<RankedTensorType>(codes.getType());
      bool isUnsigned = isUnsignedInteger(codeType.getElementType());
      Attribute codesAttr;
      (void)matchPattern(codes, m_Constant(&codesAttr));
      weightBytes = getWeightBytes(codes);
      if (succeeded(weightBytes) && isUnsigned) {
        for (int8_t &byte : *weightBytes)
          byte = static_cast<int8_t>(static_cast<uint8_t>(byte) ^ 0x80);
        codesAttr = createConstantLike(
            codesAttr, codeType.clone(rewriter.getI8Type()), ".s8",
            ArrayRef<char>(reinterpret_cast<const char *>(weightBytes->data()),
                           weightBytes->size()));
      }
      if (quantized->values && codesAttr)
        quantizedT = transposeConstantMatrix(
            codesAttr, codeType.clone(rewriter.getI8Type()));
      if (op.hasPackedWeight())
        panels = isUnsigned && codesAttr
                     ? arith::ConstantOp::create(rewriter, loc,
                                                 cast<TypedAttr>(codesAttr))
                           .getResult()
                     : rewriter.getRemappedValue(codes);
      if (quantized->zeroPoints) {
        FailureOr<SmallVector<int64_t>> zeroPoints =
            getConstantInts(quantized->zeroPoints);
        if (failed(zeroPoints))
          return failure();
        for (int64_t z : *zeroPoints)
          weightZeroPoints.push_back(
              static_cast<int32_t>(isUnsigned ? z - 128 : z));
      }
    }
    FailureOr<Value> blockProduct = failure();
    if (blockQuantized)
      blockProduct = buildBlockQuantizedLinear(rewriter, loc, *blockQuantized,
                                               input2D, bias, m, n, k);
    Value narrowWeight = getNarrowFloatSource(op.getWeight());
    if (succeeded(blockProduct)) {
      result = *blockProduct;
    } else if (narrowWeight && accType.isF32()) {
      result = buildNarrowFloatLinear(rewriter, loc, op, narrowWeight, bias, m,
                                      n, k, options.bf16Dot);
    } else if (quantizedInput && succeeded(weightBytes) &&
               (quantizedT || op.hasPackedWeight())) {
      result = buildIntegerLinear(
          rewriter, loc, op, *quantizedInput, *quantized, quantizedT, panels,
          *weightBytes, weightZeroPoints, bias, m, n, k, options.int8Group);
    } else if (quantizedT || (quantized && op.hasPackedWeight())) {
      // (x · Qᵀ) · S + b: the product accumulates from zero, its epilogue
      // scales, adds the bias and goes on as a float linear's.
      Value scale = rewriter.getRemappedValue(quantized->dequantize.getScale());
      if (quantizedT) {
        Value weightT = arith::ConstantOp::create(rewriter, loc, quantizedT);
        Value init =
            createFilled(rewriter, loc, rowSizes(rewriter, loc, input2D, {n}),
                         createScalar(rewriter, loc, accType, 0));
        result = buildMatmul2D(rewriter, loc, input2D, weightT, init);
      } else {
        Value panels =
            rewriter.getRemappedValue(quantized->dequantize.getInput());
        result = buildPanelProduct(rewriter, loc, input2D, panels,
                                   /*bias=*/Value(), accType);
        int64_t padded = cast<RankedTensorType>(result.getType()).getDimSize(1);
        result = sliceColumns(rewriter, loc, result, n);
        if (!quantized->dequantize.isPerTensor()) {
          scale = reshapeTo(rewriter, loc, scale, {padded});
          if (padded != n)
            scale = extractStaticSlice(rewriter, loc, scale, {0}, {n});
        }
      }
      SmallVector<Value> inputs = {result, scale};
      MLIRContext *ctx = op.getContext();
      SmallVector<AffineMap> maps = {
          AffineMap::getMultiDimIdentityMap(2, ctx),
          quantized->dequantize.isPerTensor()
              ? AffineMap::get(2, 0, {}, ctx)
              : AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx)};
      if (bias) {
        inputs.push_back(bias);
        maps.push_back(AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx));
      }
      maps.push_back(AffineMap::getMultiDimIdentityMap(2, ctx));
      result =
          buildGeneric(rewriter, loc, inputs,
                       createEmpty(rewriter, loc,
                                   rowSizes(rewriter, loc, result, {n}),
                                   accType),
                       maps,
                       SmallVector<utils::IteratorType>(
                           2, utils::IteratorType::parallel),
                       [&](OpBuilder &b, Location l,
                           ValueRange args) -> SmallVector<Value> {
                         Value v = arith::MulFOp::create(
                             b, l, args[0], extendTo(b, l, args[1], accType));
                         if (bias)
                           v = arith::AddFOp::create(
                               b, l, v, extendTo(b, l, args[2], accType));
                         return {v};
                       })
              .front();
    } else if (op.hasPackedWeight()) {
      result = buildPanelProduct(rewriter, loc, input2D, adaptor.getWeight(),
                                 adaptor.getBias(), accType);
      result = sliceColumns(rewriter, loc, result, n);
    } else {
      Value weightT =
          getTransposedWeight(rewriter, loc, op, adaptor.getWeight());
      result = buildMatmul2D(
          rewriter, loc, input2D, weightT,
          buildMatrixInit(rewriter, loc, adaptor.getBias(), mSize, n, accType));
    }
    result = buildLinearEpilogue(rewriter, loc, result, op.getActivation(),
                                 adaptor.getResidual(), m, n);
    result = reshapeTo(rewriter, loc, result, type.getShape());
    rewriter.replaceOp(op, truncateTo(rewriter, loc, result, elementType));
    return success();
  }

  ContractionLoweringOptions options;
};

/// Grouped N-d convolution as one generic over
/// [n, g, m/g, out..., c/g, kernel...] on the zero-padded input.
struct ConvOpLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    int64_t d = inputType.getRank() - 2;
    int64_t groups = op.getGroups();
    int64_t batch = inputType.getDimSize(0);
    int64_t channels = inputType.getDimSize(1);
    int64_t outChannels = weightType.getDimSize(0);
    int64_t cg = channels / groups, mg = outChannels / groups;
    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> padding = op.getPadding();
    ArrayRef<int64_t> dilations = op.getDilations();
    Type elementType = type->getElementType();
    Type accType = getComputeType(elementType);

    // Zero padding.
    Value input = adaptor.getInput();
    SmallVector<int64_t> low(2, 0), high(2, 0);
    SmallVector<int64_t> paddedShape(inputType.getShape().take_front(2));
    bool padded = false;
    for (int64_t i = 0; i < d; ++i) {
      low.push_back(padding[i]);
      high.push_back(padding[d + i]);
      paddedShape.push_back(inputType.getDimSize(2 + i) + padding[i] +
                            padding[d + i]);
      padded |= padding[i] != 0 || padding[d + i] != 0;
    }
    if (padded) {
      SmallVector<OpFoldResult> lowFold, highFold;
      for (auto [lo, hi] : llvm::zip(low, high)) {
        lowFold.push_back(rewriter.getIndexAttr(lo));
        highFold.push_back(rewriter.getIndexAttr(hi));
      }
      input = tensor::PadOp::create(
          rewriter, loc, inputType.clone(paddedShape), input, lowFold, highFold,
          createScalar(rewriter, loc, elementType, 0));
    }
    // Split the channels by group.
    SmallVector<int64_t> groupedInputShape = {batch, groups, cg};
    llvm::append_range(groupedInputShape, ArrayRef(paddedShape).drop_front(2));
    input = reshapeTo(rewriter, loc, input, groupedInputShape);
    SmallVector<int64_t> groupedWeightShape = {groups, mg, cg};
    llvm::append_range(groupedWeightShape, weightType.getShape().drop_front(2));
    Value weight =
        reshapeTo(rewriter, loc, adaptor.getWeight(), groupedWeightShape);

    // Loops: n, g, mg, out_0..out_{d-1}, cg, k_0..k_{d-1}.
    int64_t numLoops = 4 + 2 * d;
    auto dim = [&](int64_t i) { return rewriter.getAffineDimExpr(i); };
    SmallVector<AffineExpr> inExprs = {dim(0), dim(1), dim(3 + d)};
    SmallVector<AffineExpr> wExprs = {dim(1), dim(2), dim(3 + d)};
    SmallVector<AffineExpr> outExprs = {dim(0), dim(1), dim(2)};
    for (int64_t i = 0; i < d; ++i) {
      inExprs.push_back(dim(3 + i) * strides[i] +
                        dim(4 + d + i) * dilations[i]);
      wExprs.push_back(dim(4 + d + i));
      outExprs.push_back(dim(3 + i));
    }
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, inExprs, ctx),
                                   AffineMap::get(numLoops, 0, wExprs, ctx),
                                   AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(3 + d,
                                               utils::IteratorType::parallel);
    iterators.append(1 + d, utils::IteratorType::reduction);

    SmallVector<int64_t> groupedOutShape = {batch, groups, mg};
    llvm::append_range(groupedOutShape, type->getShape().drop_front(2));
    // The bias [G, Mg] broadcast over the batch and output positions.
    Value bias = adaptor.getBias();
    if (bias)
      bias = reshapeTo(rewriter, loc, bias, {groups, mg});
    Value init = buildBiasInit(
        rewriter, loc, bias, AffineMap::get(3 + d, 0, {dim(1), dim(2)}, ctx),
        getAsIndexOpFoldResult(ctx, groupedOutShape), accType);
    Value result =
        buildGeneric(
            rewriter, loc, ValueRange{input, weight}, init, maps, iterators,
            [&](OpBuilder &b, Location l,
                ValueRange args) -> SmallVector<Value> {
              return {buildMultiplyAccumulate(b, l, args[0], args[1], args[2])};
            })
            .front();
    result = reshapeTo(rewriter, loc, result, type->getShape());
    rewriter.replaceOp(op, truncateTo(rewriter, loc, result, elementType));
    return success();
  }
};

} // namespace

void mlir::tfm::populateContractionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const ContractionLoweringOptions &options) {
  patterns.add<MatmulOpLowering, ConvOpLowering>(converter,
                                                 patterns.getContext());
  patterns.add<LinearOpLowering>(converter, patterns.getContext(), options);
}
