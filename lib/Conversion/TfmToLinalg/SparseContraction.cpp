//===- SparseContraction.cpp - block-sparse linear to loops ---------------===//
//
// `tfm.sparse_linear` becomes a loop nest on tensors that visits only the
// stored blocks: an scf.forall over the panels of w output features (the
// threads' work), and in each panel, for tiles of up to kRowTile rows of
// the [M, K] input,
//
//   acc[r] = bias[p*w : p*w + w]                  (vector<w>, one per row)
//   for i in offsets[p] .. offsets[p + 1]:
//     wv = values[i, :]                           (one vector load)
//     for r: acc[r] = fma(broadcast(x[m + r, cols[i]]), wv, acc[r])
//   out[m + r, p*w : p*w + w] = acc[r]
//
// (int8 values: wv converted from 16 bytes, acc from 0, then
// acc * scales[p*w : p*w + w] + bias once after the blocks.)
//
// the block's weights loaded once for the tile's rows. The epilogue
// (activation, residual) follows as the linear's does.
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

/// Input rows one pass over a panel's blocks accumulates (one vector
/// register each).
constexpr int64_t kRowTile = 8;

struct SparseLinearOpLowering : OpConversionPattern<SparseLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SparseLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    if (!type->getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "f32 products only");
    Location loc = op.getLoc();
    auto valuesType = cast<RankedTensorType>(adaptor.getValues().getType());
    int64_t width = valuesType.getDimSize(1);
    int64_t n = op.getOutFeatures();
    int64_t panels = n / width;
    ArrayRef<int64_t> inputShape = op.getInput().getType().getShape();
    int64_t k = inputShape.back();
    int64_t m = getNumElements(inputShape.drop_back());
    Type f32 = rewriter.getF32Type();
    auto vectorType = VectorType::get({width}, f32);
    Value input2D = reshapeTo(rewriter, loc, adaptor.getInput(), {m, k});
    Value values = adaptor.getValues();
    Value cols = adaptor.getCols();
    Value offsets = adaptor.getOffsets();
    Value bias = adaptor.getBias();
    Value scales = adaptor.getScales();

    auto index = [&](OpBuilder &b, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                           rewriter.getF32FloatAttr(0));
    Value out = createEmpty(rewriter, loc, {m, n}, f32);
    auto forall =
        scf::ForallOp::create(rewriter, loc,
                              getAsIndexOpFoldResult(rewriter.getContext(),
                                                     ArrayRef<int64_t>{panels}),
                              out, std::nullopt);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      OpBuilder &b = rewriter;
      b.setInsertionPointToStart(forall.getBody());
      Value panel = forall.getInductionVar(0);
      Value n0 = arith::MulIOp::create(b, loc, panel, index(b, width));
      Value shared = forall.getRegionIterArgs().front();
      SmallVector<OpFoldResult> tileOffsets = {b.getIndexAttr(0), n0};
      SmallVector<OpFoldResult> tileSizes = {b.getIndexAttr(m),
                                             b.getIndexAttr(width)};
      SmallVector<OpFoldResult> unitStrides = {b.getIndexAttr(1),
                                               b.getIndexAttr(1)};
      Value tile = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({m, width}, f32), shared, tileOffsets,
          tileSizes, unitStrides);
      auto readOffset = [&](Value at) -> Value {
        Value offset = tensor::ExtractOp::create(b, loc, offsets, at);
        return arith::IndexCastOp::create(b, loc, b.getIndexType(), offset);
      };
      Value begin = readOffset(panel);
      Value end = readOffset(
          arith::AddIOp::create(b, loc, panel, index(b, 1)).getResult());
      // int8 codes accumulate unscaled from 0; the panel's scales (and
      // bias) apply once after the blocks.
      Value init;
      if (scales) {
        init = vector::BroadcastOp::create(b, loc, vectorType, zero);
      } else if (bias) {
        init = vector::TransferReadOp::create(b, loc, vectorType, bias,
                                              ValueRange{n0}, zero,
                                              ArrayRef<bool>{true});
      } else {
        init = vector::BroadcastOp::create(b, loc, vectorType, zero);
      }

      Value scaleVector, biasVector;
      if (scales) {
        scaleVector = vector::TransferReadOp::create(b, loc, vectorType, scales,
                                                     ValueRange{n0}, zero,
                                                     ArrayRef<bool>{true});
        if (bias)
          biasVector = vector::TransferReadOp::create(b, loc, vectorType, bias,
                                                      ValueRange{n0}, zero,
                                                      ArrayRef<bool>{true});
      }

      // Rows [m0, m0 + rows) of the panel, written into `tile`.
      auto buildRows = [&](Value tileIn, Value m0, int64_t rows) -> Value {
        SmallVector<Value> accs(rows, init);
        auto loop = scf::ForOp::create(
            b, loc, begin, end, index(b, 1), accs,
            [&](OpBuilder &lb, Location l, Value i, ValueRange iterArgs) {
              Value col = tensor::ExtractOp::create(lb, l, cols, i);
              col = arith::IndexCastOp::create(lb, l, lb.getIndexType(), col);
              Value weights;
              SmallVector<Value, 2> at = {
                  i, arith::ConstantIndexOp::create(lb, l, 0)};
              if (scales) {
                Value codes = vector::TransferReadOp::create(
                    lb, l, VectorType::get({width}, lb.getI8Type()), values, at,
                    arith::ConstantIntOp::create(lb, l, 0, 8),
                    ArrayRef<bool>{true});
                weights = arith::SIToFPOp::create(lb, l, vectorType, codes);
              } else {
                weights = vector::TransferReadOp::create(
                    lb, l, vectorType, values, at, zero, ArrayRef<bool>{true});
              }
              SmallVector<Value> next;
              for (int64_t r = 0; r < rows; ++r) {
                Value row = arith::AddIOp::create(
                    lb, l, m0, arith::ConstantIndexOp::create(lb, l, r));
                Value x = tensor::ExtractOp::create(lb, l, input2D, {row, col});
                Value xs = vector::BroadcastOp::create(lb, l, vectorType, x);
                next.push_back(
                    vector::FMAOp::create(lb, l, xs, weights, iterArgs[r]));
              }
              scf::YieldOp::create(lb, l, next);
            });
        Value result = tileIn;
        for (int64_t r = 0; r < rows; ++r) {
          Value row = arith::AddIOp::create(b, loc, m0, index(b, r));
          Value acc = loop.getResult(r);
          if (scales)
            acc = bias ? vector::FMAOp::create(b, loc, acc, scaleVector,
                                               biasVector)
                             .getResult()
                       : arith::MulFOp::create(b, loc, acc, scaleVector)
                             .getResult();
          result = vector::TransferWriteOp::create(b, loc, acc, result,
                                                   ValueRange{row, index(b, 0)},
                                                   ArrayRef<bool>{true})
                       .getResult();
        }
        return result;
      };
      int64_t fullRows = m / kRowTile * kRowTile;
      if (fullRows > 0) {
        auto rowLoop = scf::ForOp::create(
            b, loc, index(b, 0), index(b, fullRows), index(b, kRowTile),
            ValueRange{tile},
            [&](OpBuilder &lb, Location l, Value m0, ValueRange iterArgs) {
              OpBuilder::InsertionGuard inner(b);
              b.setInsertionPoint(lb.getInsertionBlock(),
                                  lb.getInsertionPoint());
              Value written = buildRows(iterArgs.front(), m0, kRowTile);
              scf::YieldOp::create(b, l, written);
            });
        tile = rowLoop.getResult(0);
      }
      if (m > fullRows)
        tile = buildRows(tile, index(b, fullRows), m - fullRows);
      b.setInsertionPointToStart(forall.getTerminator().getBody());
      tensor::ParallelInsertSliceOp::create(b, loc, tile, shared, tileOffsets,
                                            tileSizes, unitStrides);
    }
    Value result =
        buildLinearEpilogue(rewriter, loc, forall.getResult(0),
                            op.getActivation(), adaptor.getResidual(), m, n);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, result, type->getShape()));
    return success();
  }
};

} // namespace

void mlir::tfm::populateSparseContractionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<SparseLinearOpLowering>(converter, patterns.getContext());
}
