//===- Contraction.cpp - matmul, linear and conv to linalg ----------------===//
//
// Matrix products take the named linalg.matmul/batch_matmul form whenever
// the batch dimensions allow it (a matmul by a 2-D weight folds its batch
// into M), and a contraction linalg.generic otherwise. f16/bf16 products
// accumulate in f32. `linear` reads its PyTorch-layout [N, K] weight
// transposed: a constant weight is transposed once at compile time, so the
// product streams rows of a [K, N] matrix. A weight in the panel layout
// ([P, K, w], chosen by tfm-pack-weights) is contracted as it is, into
// [M, P, w] = [M, P·w].
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/ShapeUtils.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

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

/// [M, K] x [K, N] accumulated into `init` [M, N].
Value buildMatmul2D(OpBuilder &b, Location loc, Value lhs, Value rhs,
                    Value init) {
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
  return buildGeneric(b, loc, ValueRange{lhs, rhs}, init, maps,
                      {utils::IteratorType::parallel,
                       utils::IteratorType::parallel,
                       utils::IteratorType::reduction},
                      [&](OpBuilder &nb, Location l,
                          ValueRange args) -> SmallVector<Value> {
                        return {buildMultiplyAccumulate(nb, l, args[0], args[1],
                                                        args[2])};
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
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    Type elementType = lhsType.getElementType();
    Type accType = getComputeType(elementType);
    ArrayRef<int64_t> shape = type->getShape();
    int64_t rank = type->getRank();
    int64_t m = shape[rank - 2], n = shape[rank - 1];
    int64_t k = lhsType.getDimSize(lhsType.getRank() - 1);
    ArrayRef<int64_t> batchShape = shape.drop_back(2);
    int64_t batch = getNumElements(batchShape);
    Value zero = createScalar(rewriter, loc, accType, 0);

    Value result;
    if (rhsType.getRank() == 2) {
      // [batch..., M, K] x [K, N]: the batch folds into the rows.
      Value lhs2D = reshapeTo(rewriter, loc, lhs, {batch * m, k});
      Value init = createFilled(rewriter, loc, {batch * m, n}, zero);
      result = buildMatmul2D(rewriter, loc, lhs2D, rhs, init);
    } else if (lhsType.getShape().drop_back(2) == batchShape &&
               rhsType.getShape().drop_back(2) == batchShape &&
               accType == elementType) {
      Value lhs3D = reshapeTo(rewriter, loc, lhs, {batch, m, k});
      Value rhs3D = reshapeTo(rewriter, loc, rhs, {batch, k, n});
      Value init = createFilled(rewriter, loc, {batch, m, n}, zero);
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
      Value init = createFilled(rewriter, loc, shape, zero);
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
  int64_t width = type.getElementTypeBitWidth() / 8;
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
struct QuantizedWeight {
  DequantizeOp dequantize;
  Attribute values;
};

std::optional<QuantizedWeight> getQuantizedWeight(LinearOp op) {
  auto dequantize = op.getWeight().getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getZeroPoint() ||
      !dequantize.getInput().getType().getElementType().isSignlessInteger(8))
    return std::nullopt;
  RankedTensorType type = dequantize.getInput().getType();
  if (op.hasPackedWeight()) {
    bool perFeature = dequantize.getBlockSize() && *dequantize.getAxis() == 1 &&
                      *dequantize.getBlockSize() == type.getDimSize(1);
    if (!dequantize.isPerTensor() && !perFeature)
      return std::nullopt;
    return QuantizedWeight{dequantize, Attribute()};
  }
  if (dequantize.getBlockSize() ||
      (!dequantize.isPerTensor() && *dequantize.getAxis() != 0))
    return std::nullopt;
  Attribute values;
  if (!matchPattern(dequantize.getInput(), m_Constant(&values)))
    return std::nullopt;
  return QuantizedWeight{dequantize, values};
}

/// input [M, K] x the panel weight [P, K, w] + the bias (zero-padded to
/// whole panels), as one contraction over (m, p, j, k) into [M, P, w];
/// returned collapsed to [M, P·w], the padding columns last.
Value buildPanelProduct(OpBuilder &b, Location loc, Value input, Value weight,
                        Value bias, Type accType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t m = inputType.getDimSize(0);
  int64_t panels = weightType.getDimSize(0), width = weightType.getDimSize(2);
  MLIRContext *ctx = b.getContext();
  AffineExpr mE = getAffineDimExpr(0, ctx), pE = getAffineDimExpr(1, ctx),
             jE = getAffineDimExpr(2, ctx), kE = getAffineDimExpr(3, ctx);
  Value init;
  if (bias) {
    // Padded with zeros to whole panels, then broadcast over the rows.
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
    init =
        buildGeneric(
            b, loc, bias, createEmpty(b, loc, {m, panels, width}, accType),
            {AffineMap::get(3, 0, {pE, jE}, ctx),
             AffineMap::getMultiDimIdentityMap(3, ctx)},
            SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location l,
                ValueRange args) -> SmallVector<Value> {
              return {extendTo(nb, l, args[0], accType)};
            })
            .front();
  } else {
    init = createFilled(b, loc, {m, panels, width},
                        createScalar(b, loc, accType, 0));
  }
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {mE, kE}, ctx),
                                 AffineMap::get(4, 0, {pE, kE, jE}, ctx),
                                 AffineMap::get(4, 0, {mE, pE, jE}, ctx)};
  Value product =
      buildGeneric(
          b, loc, ValueRange{input, weight}, init, maps,
          {utils::IteratorType::parallel, utils::IteratorType::parallel,
           utils::IteratorType::parallel, utils::IteratorType::reduction},
          [&](OpBuilder &nb, Location l,
              ValueRange args) -> SmallVector<Value> {
            return {buildMultiplyAccumulate(nb, l, args[0], args[1], args[2])};
          })
          .front();
  return reshapeTo(b, loc, product, {m, panels * width});
}

struct LinearOpLowering : OpConversionPattern<LinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    int64_t n = op.getNumOutputFeatures(), k = weightType.getDimSize(1);
    int64_t m = getNumElements(
        cast<RankedTensorType>(op.getInput().getType()).getShape().drop_back());
    Type elementType = type->getElementType();
    Type accType = getComputeType(elementType);
    Value input2D = reshapeTo(rewriter, loc, adaptor.getInput(), {m, k});

    Value result;
    Value bias = adaptor.getBias();
    std::optional<QuantizedWeight> quantized = getQuantizedWeight(op);
    TypedAttr quantizedT;
    if (quantized && quantized->values)
      quantizedT = transposeConstantMatrix(
          quantized->values, quantized->dequantize.getInput().getType());
    if (quantizedT || (quantized && op.hasPackedWeight())) {
      // (x · Qᵀ) · S + b: the product accumulates from zero, its epilogue
      // scales, adds the bias and goes on as a float linear's.
      Value scale = rewriter.getRemappedValue(quantized->dequantize.getScale());
      if (quantizedT) {
        Value weightT = arith::ConstantOp::create(rewriter, loc, quantizedT);
        Value init = createFilled(rewriter, loc, {m, n},
                                  createScalar(rewriter, loc, accType, 0));
        result = buildMatmul2D(rewriter, loc, input2D, weightT, init);
      } else {
        Value panels =
            rewriter.getRemappedValue(quantized->dequantize.getInput());
        result = buildPanelProduct(rewriter, loc, input2D, panels,
                                   /*bias=*/Value(), accType);
        int64_t padded = cast<RankedTensorType>(result.getType()).getDimSize(1);
        if (padded != n)
          result = extractStaticSlice(rewriter, loc, result, {0, 0}, {m, n});
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
                       createEmpty(rewriter, loc, {m, n}, accType), maps,
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
      int64_t padded = cast<RankedTensorType>(result.getType()).getDimSize(1);
      if (padded != n)
        result = extractStaticSlice(rewriter, loc, result, {0, 0}, {m, n});
    } else {
      Value weightT =
          getTransposedWeight(rewriter, loc, op, adaptor.getWeight());
      Value init;
      if (Value bias = adaptor.getBias()) {
        init = buildElementwise(rewriter, loc, {m, n}, accType, bias,
                                [&](OpBuilder &b, Location l, ValueRange args) {
                                  return extendTo(b, l, args[0], accType);
                                });
      } else {
        init = createFilled(rewriter, loc, {m, n},
                            createScalar(rewriter, loc, accType, 0));
      }
      result = buildMatmul2D(rewriter, loc, input2D, weightT, init);
    }
    // The epilogue: activation, then the residual, in the compute type.
    std::optional<Activation> activation = op.getActivation();
    Value residual = adaptor.getResidual();
    if (activation || residual) {
      SmallVector<Value> operands = {result};
      if (residual)
        operands.push_back(reshapeTo(rewriter, loc, residual, {m, n}));
      result =
          buildElementwise(rewriter, loc, {m, n}, accType, operands,
                           [&](OpBuilder &b, Location l, ValueRange args) {
                             Value v = args[0];
                             if (activation)
                               v = buildActivation(b, l, v, *activation);
                             if (residual)
                               v = arith::AddFOp::create(
                                   b, l, v, extendTo(b, l, args[1], accType));
                             return v;
                           });
    }
    result = reshapeTo(rewriter, loc, result, type->getShape());
    rewriter.replaceOp(op, truncateTo(rewriter, loc, result, elementType));
    return success();
  }
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
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value groupedBias = reshapeTo(rewriter, loc, bias, {groups, mg});
      SmallVector<AffineExpr> biasExprs = {dim(1), dim(2)};
      int64_t outRank = 3 + d;
      AffineMap biasMap = AffineMap::get(outRank, 0, biasExprs, ctx);
      init = buildGeneric(rewriter, loc, groupedBias,
                          createEmpty(rewriter, loc, groupedOutShape, accType),
                          {biasMap, rewriter.getMultiDimIdentityMap(outRank)},
                          SmallVector<utils::IteratorType>(
                              outRank, utils::IteratorType::parallel),
                          [&](OpBuilder &b, Location l,
                              ValueRange args) -> SmallVector<Value> {
                            return {extendTo(b, l, args[0], accType)};
                          })
                 .front();
    } else {
      init = createFilled(rewriter, loc, groupedOutShape,
                          createScalar(rewriter, loc, accType, 0));
    }
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
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<MatmulOpLowering, LinearOpLowering, ConvOpLowering>(
      converter, patterns.getContext());
}
