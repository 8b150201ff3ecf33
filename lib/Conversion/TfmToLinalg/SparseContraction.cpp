//===- SparseContraction.cpp - sparse linears to loops --------------------===//
//
// `tfm.sparse_linear` and `tfm.nm_sparse_linear` become loop nests on
// tensors that read only the stored weights: an scf.forall over the panels
// of w output features (the threads' work), and in each panel, for tiles
// of up to kRowTile rows of the [M, K] input, one vector<w> accumulator per
// row, started at the bias (int8 values: at 0, then acc * scales + bias
// once after the weights).
//
// Block-sparse: the panel's stored w x 1 blocks, each loaded once for the
// tile's rows:
//
//   for i in offsets[p] .. offsets[p + 1]:
//     wv = values[i, :]
//     for r: acc[r] = fma(broadcast(x[m + r, cols[i]]), wv, acc[r])
//
// N:M (f32): every group of m input features, whose n kept weights per feature
// have their places packed in meta[p, g, :]; each lane picks its input
// among the m candidates with selects (the place of kept weight t lies in
// [t, m - n + t]):
//
//   for g in 0 .. K / m:
//     place_t = (meta[p, g, :] >> t * b) & (2^b - 1)        t in [0, n)
//     for r: x_i = broadcast(x[m + r, g * m + i])           i in [0, m)
//            acc[r] = fma(select(place_t == i, x_i, ...), values[p, g*n+t, :],
//                         acc[r])
//
// The epilogue (activation, residual) follows as the linear's does.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

/// Input rows one pass over a panel's weights accumulates (one vector
/// register each).
constexpr int64_t kRowTile = 8;

/// A panel's bias and int8 scales as vectors, the accumulators' start, and
/// the accumulators' finish.
struct PanelScaling {
  Value init, scales, bias;

  PanelScaling(OpBuilder &b, Location loc, VectorType type, Value scaleTensor,
               Value biasTensor, Value n0) {
    Value zero = arith::ConstantOp::create(
        b, loc, type.getElementType(), b.getZeroAttr(type.getElementType()));
    auto read = [&](Value tensor) -> Value {
      return vector::TransferReadOp::create(
          b, loc, type, tensor, ValueRange{n0}, zero, ArrayRef<bool>{true});
    };
    // int8 codes accumulate unscaled from 0; the panel's scales (and bias)
    // apply once after the weights.
    if (scaleTensor)
      scales = read(scaleTensor);
    if (biasTensor)
      bias = read(biasTensor);
    init = bias && !scales ? bias
                           : vector::BroadcastOp::create(b, loc, type, zero);
  }

  Value finish(OpBuilder &b, Location loc, Value acc) const {
    if (!scales)
      return acc;
    if (bias)
      return vector::FMAOp::create(b, loc, acc, scales, bias);
    return arith::MulFOp::create(b, loc, acc, scales);
  }
};

/// One vector of w weights at `at` of `values`, widened from int8 codes.
Value readWeights(OpBuilder &b, Location loc, Value values, ValueRange at,
                  VectorType type) {
  Type element = cast<RankedTensorType>(values.getType()).getElementType();
  if (element == type.getElementType()) {
    Value zero =
        arith::ConstantOp::create(b, loc, element, b.getZeroAttr(element));
    return vector::TransferReadOp::create(b, loc, type, values, at, zero,
                                          ArrayRef<bool>{true});
  }
  Value codes = vector::TransferReadOp::create(
      b, loc, VectorType::get(type.getShape(), element), values, at,
      arith::ConstantIntOp::create(b, loc, 0, 8), ArrayRef<bool>{true});
  return arith::SIToFPOp::create(b, loc, type, codes);
}

/// Writes each row's finished accumulator into `tile` at rows m0 + r.
Value writeRows(OpBuilder &b, Location loc, Value tile, Value m0,
                ValueRange accs, const PanelScaling &scaling) {
  Value zeroIndex = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [r, acc] : llvm::enumerate(accs)) {
    Value row = arith::AddIOp::create(
        b, loc, m0, arith::ConstantIndexOp::create(b, loc, r));
    tile = vector::TransferWriteOp::create(b, loc, scaling.finish(b, loc, acc),
                                           tile, ValueRange{row, zeroIndex},
                                           ArrayRef<bool>{true})
               .getResult();
  }
  return tile;
}

/// The static [M, K] input of a sparse linear, the result type and sizes.
struct SparseProduct {
  RankedTensorType type;
  Value input2D;
  int64_t m, k;
};

template <typename OpTy>
FailureOr<SparseProduct> getSparseProduct(OpTy op, Value input,
                                          ConversionPatternRewriter &rewriter) {
  FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
  if (failed(type))
    return failure();
  if (!type->getElementType().isF32())
    return rewriter.notifyMatchFailure(op, "f32 products only");
  ArrayRef<int64_t> inputShape = op.getInput().getType().getShape();
  SparseProduct product;
  product.type = *type;
  product.k = inputShape.back();
  product.m = getNumElements(inputShape.drop_back());
  product.input2D =
      reshapeTo(rewriter, op.getLoc(), input, {product.m, product.k});
  return product;
}

/// `input[row, col]` broadcast to `type`.
Value broadcastInput(OpBuilder &b, Location loc, Value input, Value row,
                     Value col, VectorType type) {
  Value x = tensor::ExtractOp::create(b, loc, input, ValueRange{row, col});
  return vector::BroadcastOp::create(b, loc, type, x);
}

/// A panel's steps run over [begin, end) (loop bounds built in the panel).
using PanelBounds =
    function_ref<std::pair<Value, Value>(OpBuilder &, Location, Value panel)>;

/// Computes the accumulators after step `iv` of panel `panel`, from the
/// current ones (one per row from `m0`).
using AccumulateStep = function_ref<SmallVector<Value>(
    OpBuilder &, Location, Value panel, Value iv, Value m0, ValueRange accs)>;

/// Rows [m0, m0 + rows) of a panel: an scf.for over [begin, end) carrying
/// one accumulator per row from the panel's start, advanced by `step`; the
/// finished rows are written into `tile`.
Value accumulateRows(OpBuilder &b, Location loc, Value tile, Value panel,
                     Value m0, int64_t rows, Value begin, Value end,
                     const PanelScaling &scaling, AccumulateStep step) {
  SmallVector<Value> accs(rows, scaling.init);
  auto loop = scf::ForOp::create(
      b, loc, begin, end, arith::ConstantIndexOp::create(b, loc, 1), accs,
      [&](OpBuilder &lb, Location l, Value iv, ValueRange iterArgs) {
        scf::YieldOp::create(lb, l, step(lb, l, panel, iv, m0, iterArgs));
      });
  return writeRows(b, loc, tile, m0, loop.getResults(), scaling);
}

/// The [M, N] f32 product of a sparse linear: an scf.forall over its panels
/// of `width` output features, each filling its [M, w] tile in row tiles of
/// kRowTile (an scf.for) and the rest, each row tile accumulating `step`s
/// over the panel's `bounds` from the panel's bias (or 0 with int8
/// `scales`).
Value buildPanels(OpBuilder &b, Location loc, const SparseProduct &product,
                  int64_t width, Value scales, Value bias, PanelBounds bounds,
                  AccumulateStep step) {
  int64_t m = product.m, n = product.type.getShape().back();
  Type f32 = b.getF32Type();
  Value out = createEmpty(b, loc, {m, n}, f32);
  auto forall = scf::ForallOp::create(
      b, loc,
      getAsIndexOpFoldResult(b.getContext(), ArrayRef<int64_t>{n / width}), out,
      std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  Value panel = forall.getInductionVar(0);
  Value n0 = arith::MulIOp::create(
      b, loc, panel, arith::ConstantIndexOp::create(b, loc, width));
  Value shared = forall.getRegionIterArgs().front();
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), n0};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(m), b.getIndexAttr(width)};
  SmallVector<OpFoldResult> strides = {b.getIndexAttr(1), b.getIndexAttr(1)};
  Value tile = tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({m, width}, f32), shared, offsets, sizes,
      strides);
  auto [begin, end] = bounds(b, loc, panel);
  PanelScaling scaling(b, loc, VectorType::get({width}, f32), scales, bias, n0);
  int64_t fullRows = m / kRowTile * kRowTile;
  if (fullRows > 0) {
    auto rowLoop = scf::ForOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, 0),
        arith::ConstantIndexOp::create(b, loc, fullRows),
        arith::ConstantIndexOp::create(b, loc, kRowTile), ValueRange{tile},
        [&](OpBuilder &lb, Location l, Value m0, ValueRange iterArgs) {
          scf::YieldOp::create(lb, l,
                               accumulateRows(lb, l, iterArgs.front(), panel,
                                              m0, kRowTile, begin, end, scaling,
                                              step));
        });
    tile = rowLoop.getResult(0);
  }
  if (m > fullRows)
    tile = accumulateRows(b, loc, tile, panel,
                          arith::ConstantIndexOp::create(b, loc, fullRows),
                          m - fullRows, begin, end, scaling, step);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, tile, shared, offsets, sizes,
                                        strides);
  return forall.getResult(0);
}

/// Replaces `op` by the [M, N] `product2D` through the linear's epilogue
/// (activation, residual), in the result's shape.
template <typename OpTy>
void replaceWithEpilogue(OpTy op, Value product2D, Value residual,
                         const SparseProduct &product,
                         ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Value result =
      buildLinearEpilogue(rewriter, loc, product2D, op.getActivation(),
                          residual, product.m, product.type.getShape().back());
  rewriter.replaceOp(op,
                     reshapeTo(rewriter, loc, result, product.type.getShape()));
}

struct SparseLinearOpLowering : OpConversionPattern<SparseLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SparseLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<SparseProduct> product =
        getSparseProduct(op, adaptor.getInput(), rewriter);
    if (failed(product))
      return failure();
    Location loc = op.getLoc();
    int64_t width =
        cast<RankedTensorType>(adaptor.getValues().getType()).getDimSize(1);
    auto vectorType = VectorType::get({width}, rewriter.getF32Type());
    Value cols = adaptor.getCols();
    Value offsets = adaptor.getOffsets();
    // One stored block: its weights loaded once, one FMA per row.
    auto step = [&](OpBuilder &b, Location l, Value panel, Value i, Value m0,
                    ValueRange accs) {
      Value col = tensor::ExtractOp::create(b, l, cols, i);
      col = arith::IndexCastOp::create(b, l, b.getIndexType(), col);
      Value weights =
          readWeights(b, l, adaptor.getValues(),
                      {i, arith::ConstantIndexOp::create(b, l, 0)}, vectorType);
      SmallVector<Value> next;
      for (auto [r, acc] : llvm::enumerate(accs)) {
        Value row = arith::AddIOp::create(
            b, l, m0, arith::ConstantIndexOp::create(b, l, r));
        Value xs = broadcastInput(b, l, product->input2D, row, col, vectorType);
        next.push_back(vector::FMAOp::create(b, l, xs, weights, acc));
      }
      return next;
    };
    // The panel's stored blocks.
    auto bounds = [&](OpBuilder &b, Location l, Value panel) {
      auto readOffset = [&](Value at) -> Value {
        Value offset = tensor::ExtractOp::create(b, l, offsets, at);
        return arith::IndexCastOp::create(b, l, b.getIndexType(), offset);
      };
      return std::make_pair(
          readOffset(panel),
          readOffset(arith::AddIOp::create(
              b, l, panel, arith::ConstantIndexOp::create(b, l, 1))));
    };
    Value result =
        buildPanels(rewriter, loc, *product, width, adaptor.getScales(),
                    adaptor.getBias(), bounds, step);
    replaceWithEpilogue(op, result, adaptor.getResidual(), *product, rewriter);
    return success();
  }
};

/// For each kept weight t of a group, whether its place, unpacked from the
/// group's metadata `word` (vector<w x iB>), is t + 1 + i, for i in
/// [0, m - n): the places of kept weight t lie in [t, m - n + t].
SmallVector<SmallVector<Value>> unpackPlaces(OpBuilder &b, Location loc,
                                             Value word, int64_t kept,
                                             int64_t groupSize) {
  auto wordType = cast<VectorType>(word.getType());
  auto splat = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(
        b, loc, wordType,
        DenseElementsAttr::get(
            wordType, b.getIntegerAttr(wordType.getElementType(), value)));
  };
  int64_t bits = NmSparseLinearOp::getPlaceBits(groupSize);
  Value placeMask = splat((int64_t{1} << bits) - 1);
  SmallVector<SmallVector<Value>> atPlace(kept);
  for (int64_t t = 0; t < kept; ++t) {
    Value place = word;
    if (t > 0)
      place = arith::ShRUIOp::create(b, loc, place, splat(t * bits));
    place = arith::AndIOp::create(b, loc, place, placeMask);
    for (int64_t i = t + 1; i <= groupSize - kept + t; ++i)
      atPlace[t].push_back(arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, place, splat(i)));
  }
  return atPlace;
}

struct NmSparseLinearOpLowering : OpConversionPattern<NmSparseLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(NmSparseLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<SparseProduct> product =
        getSparseProduct(op, adaptor.getInput(), rewriter);
    if (failed(product))
      return failure();
    Location loc = op.getLoc();
    auto metaType = cast<RankedTensorType>(adaptor.getMeta().getType());
    int64_t width = metaType.getDimSize(2);
    int64_t kept = op.getN(), groupSize = op.getM();
    auto vectorType = VectorType::get({width}, rewriter.getF32Type());
    auto wordType = VectorType::get({width}, metaType.getElementType());
    Value meta = adaptor.getMeta();
    // One group of m input features: its places unpacked and its kept
    // weights loaded once; per row, each lane's input picked among the
    // group's m with selects, one FMA per kept weight.
    auto step = [&](OpBuilder &b, Location l, Value panel, Value g, Value m0,
                    ValueRange accs) {
      Value c0 = arith::ConstantIndexOp::create(b, l, 0);
      Value word = vector::TransferReadOp::create(
          b, l, wordType, meta, ValueRange{panel, g, c0},
          arith::ConstantOp::create(b, l, wordType.getElementType(),
                                    b.getZeroAttr(wordType.getElementType())),
          ArrayRef<bool>{true});
      SmallVector<SmallVector<Value>> atPlace =
          unpackPlaces(b, l, word, kept, groupSize);
      Value firstKept = arith::MulIOp::create(
          b, l, g, arith::ConstantIndexOp::create(b, l, kept));
      SmallVector<Value> weights;
      for (int64_t t = 0; t < kept; ++t) {
        Value at = arith::AddIOp::create(
            b, l, firstKept, arith::ConstantIndexOp::create(b, l, t));
        weights.push_back(readWeights(b, l, adaptor.getValues(),
                                      {panel, at, c0}, vectorType));
      }
      Value k0 = arith::MulIOp::create(
          b, l, g, arith::ConstantIndexOp::create(b, l, groupSize));
      SmallVector<Value> next;
      for (auto [r, acc] : llvm::enumerate(accs)) {
        Value row = arith::AddIOp::create(
            b, l, m0, arith::ConstantIndexOp::create(b, l, r));
        SmallVector<Value> xs;
        for (int64_t i = 0; i < groupSize; ++i) {
          Value col = arith::AddIOp::create(
              b, l, k0, arith::ConstantIndexOp::create(b, l, i));
          xs.push_back(
              broadcastInput(b, l, product->input2D, row, col, vectorType));
        }
        Value sum = acc;
        for (int64_t t = 0; t < kept; ++t) {
          Value picked = xs[t];
          for (auto [i, isAt] : llvm::enumerate(atPlace[t]))
            picked = arith::SelectOp::create(b, l, isAt, xs[t + 1 + i], picked);
          sum = vector::FMAOp::create(b, l, picked, weights[t], sum);
        }
        next.push_back(sum);
      }
      return next;
    };
    // Every group of m input features.
    auto bounds = [&](OpBuilder &b, Location l, Value) {
      return std::make_pair(
          arith::ConstantIndexOp::create(b, l, 0).getResult(),
          arith::ConstantIndexOp::create(b, l, metaType.getDimSize(1))
              .getResult());
    };
    Value result =
        buildPanels(rewriter, loc, *product, width, /*scales=*/nullptr,
                    adaptor.getBias(), bounds, step);
    replaceWithEpilogue(op, result, adaptor.getResidual(), *product, rewriter);
    return success();
  }
};

} // namespace

void mlir::tfm::populateSparseContractionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<SparseLinearOpLowering, NmSparseLinearOpLowering>(
      converter, patterns.getContext());
}
