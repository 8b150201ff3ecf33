//===- Attention.cpp - attention and rope to tiled linalg -----------------===//
//
// `tfm.attention` becomes a flash-attention style kernel: an scf.forall over
// (batch, query head, query block) whose body walks the keys in tiles of T
// with an online softmax (running row maximum m, row sum l and output
// accumulator acc, rescaled by exp(m_old - m_new) per tile), so that the
// Sq x Skv score matrix never exists beyond one [T, Bq] tile. With `causal`
// the key loop stops at the block's diagonal. Per-tile work is linalg ops
// that the CPU pipeline vectorizes like any other. With `past` operands (a
// cache), the new keys come first and the loop over the cache stops after
// the last tile that the mask shows (see kHiddenMask).
//
// Scores are computed transposed, sT = k (scale q)^T: the query block is
// transposed once per block, where s = q k^T would transpose a key tile
// for every block and tile; the softmax then reduces over keys along rows
// (elementwise across vectors rather than a horizontal reduction per row),
// and p v reads p transposed, which costs an outer product nothing. A
// block of one query, or of a key/value head's query heads with one query
// each (decode), keeps its scores as rows instead (see rowScores).
//
// With `batched` (the GPU's choice), the same computation is whole-tensor
// ops over every batch and head: scaled queries, the scores of all heads
// at once (transposed, initialized with the mask), their softmax in three
// ops (row maximum, exponentials, row sum), the weighted values and the
// normalization. A GPU runs each as one kernel, where the tiled form would
// be a dozen kernels per head.
//
// `tfm.rope` becomes one generic over the two rotated halves (or the even
// and odd elements) of each head, written back with insert_slice.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

/// The tile size for a dimension of `size`: the largest power of two up to
/// `preferred` that divides it, the whole dimension when it is small, else
/// its largest divisor up to `preferred`.
int64_t pickTile(int64_t size, int64_t preferred, int64_t wholeLimit) {
  for (int64_t t = preferred; t >= 8; t /= 2)
    if (size % t == 0)
      return t;
  if (size <= wholeLimit)
    return size;
  for (int64_t t = preferred; t > 1; --t)
    if (size % t == 0)
      return t;
  return 1;
}

/// A [B, *, *, D] view of an attention operand with the positions of its
/// head and sequence dimensions: rank-4 operands are [B, H, S, D]; rank-3
/// packed operands are expanded to [B, S, H, D].
struct HeadView {
  Value value;
  int64_t headAxis, seqAxis;
  int64_t seqLen, headDim;
};

HeadView viewHeads(OpBuilder &b, Location loc, Value operand, int64_t heads) {
  auto type = cast<RankedTensorType>(operand.getType());
  if (type.getRank() == 4)
    return {operand, 1, 2, type.getDimSize(2), type.getDimSize(3)};
  int64_t headDim = type.getDimSize(2) / heads;
  Value expanded =
      reshapeTo(b, loc, operand,
                {type.getDimSize(0), type.getDimSize(1), heads, headDim});
  return {expanded, 2, 1, type.getDimSize(1), headDim};
}

/// A cache stored narrower than the new keys (an f16 or bf16 cache of f32
/// keys) extended whole to their type `f`, for the batched form's
/// concatenation; a cache of type `f` as it is. (The tiled form extends
/// each tile where a product reads it.)
Value extendCache(OpBuilder &b, Location loc, Value cache, Type f) {
  auto type = cast<RankedTensorType>(cache.getType());
  if (type.getElementType() == f)
    return cache;
  return buildElementwise(b, loc, type.getShape(), f, cache,
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            return extendTo(nb, nl, args[0], f);
                          });
}

/// `past` followed by `fresh` along the sequence axis of attention operands
/// (2 for [B, H, S, D], 1 for packed [B, S, H·D]).
Value concatSequence(OpBuilder &b, Location loc, Value past, Value fresh) {
  auto pastType = cast<RankedTensorType>(past.getType());
  auto freshType = cast<RankedTensorType>(fresh.getType());
  past = extendCache(b, loc, past, freshType.getElementType());
  int64_t axis = pastType.getRank() == 4 ? 2 : 1;
  SmallVector<int64_t> shape(freshType.getShape());
  shape[axis] += pastType.getDimSize(axis);
  Value result = createEmpty(b, loc, shape, freshType.getElementType());
  SmallVector<int64_t> offsets(shape.size(), 0), strides(shape.size(), 1);
  MLIRContext *ctx = b.getContext();
  result = tensor::InsertSliceOp::create(
      b, loc, past, result, getAsIndexOpFoldResult(ctx, offsets),
      getAsIndexOpFoldResult(ctx, pastType.getShape()),
      getAsIndexOpFoldResult(ctx, strides));
  offsets[axis] = pastType.getDimSize(axis);
  return tensor::InsertSliceOp::create(
      b, loc, fresh, result, getAsIndexOpFoldResult(ctx, offsets),
      getAsIndexOpFoldResult(ctx, freshType.getShape()),
      getAsIndexOpFoldResult(ctx, strides));
}

/// Offsets and sizes of the [heads · rows, headDim] tile at (batch, head,
/// row0): `rows` rows of `heads` consecutive heads (one of the two is 1).
void tileCoordinates(OpBuilder &b, const HeadView &view, Value batch,
                     Value head, Value row0, int64_t rows,
                     SmallVectorImpl<OpFoldResult> &offsets,
                     SmallVectorImpl<OpFoldResult> &sizes, int64_t heads = 1) {
  offsets.assign(4, b.getIndexAttr(0));
  sizes.assign(4, b.getIndexAttr(1));
  offsets[0] = batch;
  offsets[view.headAxis] = head;
  offsets[view.seqAxis] = row0;
  sizes[view.headAxis] = b.getIndexAttr(heads);
  sizes[view.seqAxis] = b.getIndexAttr(rows);
  sizes[3] = b.getIndexAttr(view.headDim);
}

Value extractTile(OpBuilder &b, Location loc, const HeadView &view, Value batch,
                  Value head, Value row0, int64_t rows, int64_t heads = 1) {
  SmallVector<OpFoldResult> offsets, sizes;
  tileCoordinates(b, view, batch, head, row0, rows, offsets, sizes, heads);
  auto type = cast<RankedTensorType>(view.value.getType());
  auto tileType = RankedTensorType::get({heads * rows, view.headDim},
                                        type.getElementType());
  return tensor::ExtractSliceOp::create(
      b, loc, tileType, view.value, offsets, sizes,
      getAsIndexOpFoldResult(b.getContext(), {1, 1, 1, 1}));
}

/// scale · q in the compute type `f`, rounded to the keys' element type
/// (so that the scores' product has matching operands).
Value scaleQuery(OpBuilder &b, Location loc, Value q, Type f, Type keyElement,
                 double scale) {
  Value scaled = arith::MulFOp::create(b, loc, extendTo(b, loc, q, f),
                                       createScalar(b, loc, f, scale));
  if (keyElement != f)
    scaled = arith::TruncFOp::create(b, loc, keyElement, scaled);
  return scaled;
}

/// The [cols, rows] transpose of a [rows, cols] tile, extended to `f` when
/// it is narrower (a tile of an f16 or bf16 cache): one op, whose
/// transposed reads the CPU pipeline vectorizes as blocks transposed in
/// registers, each extended as it is read.
Value transposeTile(OpBuilder &b, Location loc, Value tile, Type f = {}) {
  auto type = cast<RankedTensorType>(tile.getType());
  if (f && f != type.getElementType()) {
    MLIRContext *ctx = b.getContext();
    AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
    return buildGeneric(
               b, loc, tile,
               createEmpty(b, loc, {type.getDimSize(1), type.getDimSize(0)}, f),
               {AffineMap::get(2, 0, {j, i}, ctx),
                AffineMap::get(2, 0, {i, j}, ctx)},
               {utils::IteratorType::parallel, utils::IteratorType::parallel},
               [&](OpBuilder &nb, Location l,
                   ValueRange args) -> SmallVector<Value> {
                 return {extendTo(nb, l, args[0], f)};
               })
        .front();
  }
  return linalg::TransposeOp::create(
             b, loc, tile,
             createEmpty(b, loc, {type.getDimSize(1), type.getDimSize(0)},
                         type.getElementType()),
             ArrayRef<int64_t>{1, 0})
      .getResult()
      .front();
}

/// acc[i, j] += sum_k lhs[i, k] * rhs[k, j] as a generic contraction that
/// extends each operand element to the accumulator's type as it reads it;
/// with `lhsTransposed`, `lhs` is stored [k, i].
Value buildExtendingProduct(OpBuilder &b, Location loc, Value lhs, Value rhs,
                            Value acc, bool lhsTransposed) {
  MLIRContext *ctx = b.getContext();
  AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  Type f = getElementTypeOrSelf(acc.getType());
  SmallVector<AffineExpr> lhsExprs = lhsTransposed
                                         ? SmallVector<AffineExpr>{k, i}
                                         : SmallVector<AffineExpr>{i, k};
  return buildGeneric(
             b, loc, ValueRange{lhs, rhs}, acc,
             {AffineMap::get(3, 0, lhsExprs, ctx),
              AffineMap::get(3, 0, {k, j}, ctx),
              AffineMap::get(3, 0, {i, j}, ctx)},
             {utils::IteratorType::parallel, utils::IteratorType::parallel,
              utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location l,
                 ValueRange args) -> SmallVector<Value> {
               Value product =
                   arith::MulFOp::create(nb, l, extendTo(nb, l, args[0], f),
                                         extendTo(nb, l, args[1], f));
               return {arith::AddFOp::create(nb, l, args[2], product)};
             })
      .front();
}

/// acc[i, j] += sum_k lhs[i, k] * rhs[k, j], as a named matmul: the CPU
/// pipeline vectorizes it into outer products (a generic contraction would
/// be vectorized over its broadcast iteration space instead).
/// Operands of two types (a narrow cache's value tile) take the
/// extending contraction instead.
Value buildTileProduct(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value acc) {
  if (getElementTypeOrSelf(lhs.getType()) !=
      getElementTypeOrSelf(rhs.getType()))
    return buildExtendingProduct(b, loc, lhs, rhs, acc,
                                 /*lhsTransposed=*/false);
  return linalg::MatmulOp::create(b, loc, TypeRange{acc.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{acc})
      .getResult(0);
}

/// acc[i, j] += sum_k lhsT[k, i] * rhs[k, j]: a product whose left operand
/// is stored transposed. Its register tiles read a row of `lhsT` per K step,
/// which is as cheap as the column of a row-major operand: each element is
/// broadcast on its own.
Value buildTransposedLhsProduct(OpBuilder &b, Location loc, Value lhsT,
                                Value rhs, Value acc) {
  return buildExtendingProduct(b, loc, lhsT, rhs, acc,
                               /*lhsTransposed=*/true);
}

/// Max or sum of a [rows, cols] tile over dimension `reduced` into `init`
/// ([cols] or [rows]). Over the rows it is vectorized along the columns,
/// each row one elementwise max or add; over the columns (a single row of
/// scores) along the row.
Value buildTileReduction(OpBuilder &b, Location loc, Value tile, Value init,
                         bool isMax, unsigned reduced) {
  MLIRContext *ctx = b.getContext();
  AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
  auto red = utils::IteratorType::reduction,
       par = utils::IteratorType::parallel;
  return buildGeneric(
             b, loc, tile, init,
             {AffineMap::get(2, 0, {i, j}, ctx),
              AffineMap::get(2, 0, {reduced == 0 ? j : i}, ctx)},
             {reduced == 0 ? red : par, reduced == 0 ? par : red},
             [&](OpBuilder &nb, Location l,
                 ValueRange args) -> SmallVector<Value> {
               if (isMax)
                 return {arith::MaximumFOp::create(nb, l, args[1], args[0])};
               return {arith::AddFOp::create(nb, l, args[1], args[0])};
             })
      .front();
}

/// Mask values at or below this hide a key for good: a score plus such a
/// mask lies at least 1e30 below the maximum of any row that has a visible
/// key, so its exponential is exactly 0 in f32. Exporters mask with the
/// type's lowest value or -inf (`masked_fill`, boolean masks); masks of
/// -1e4 or -1e9 are never taken as hiding.
constexpr double kHiddenMask = -1e30;

/// The tile of the cache rows past its last whole tile of the key tile's
/// size (the rest are walked one row at a time).
constexpr int64_t kCacheRemainderTile = 8;

/// acc / l, the output of a row whose exponentials sum to l; 0 for a row
/// whose every key is hidden by -inf (l = 0: its exponentials are all 0),
/// as ONNX Runtime and ONNX's reference give, rather than 0 / 0 = NaN.
Value divideByRowSum(OpBuilder &b, Location loc, Value acc, Value l) {
  Value zero = createScalar(b, loc, l.getType(), 0.0);
  Value empty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, l, zero);
  return arith::SelectOp::create(b, loc, empty,
                                 createScalar(b, loc, acc.getType(), 0.0),
                                 arith::DivFOp::create(b, loc, acc, l));
}

/// The minimum of `tile` (every dimension), a scalar of type `f`.
Value buildScalarMin(OpBuilder &b, Location loc, Value tile, Type f) {
  auto type = cast<RankedTensorType>(tile.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::reduction);
  Value init = createFilled(b, loc, ArrayRef<int64_t>{},
                            createScalar(b, loc, f, INFINITY));
  Value reduced =
      buildGeneric(b, loc, tile, init,
                   {b.getMultiDimIdentityMap(type.getRank()),
                    AffineMap::get(type.getRank(), 0, {}, ctx)},
                   iterators,
                   [&](OpBuilder &nb, Location l,
                       ValueRange args) -> SmallVector<Value> {
                     Value x = extendTo(nb, l, args[0], f);
                     return {arith::MinimumFOp::create(nb, l, args[1], x)};
                   })
          .front();
  return tensor::ExtractOp::create(b, loc, reduced, ValueRange{});
}

/// One past the last key column of `maskSlice` [rows, keys] that some row
/// does not hide (0 when every key is hidden), as an index.
Value buildVisibleKeyEnd(OpBuilder &b, Location loc, Value maskSlice, Type f) {
  MLIRContext *ctx = b.getContext();
  // Column numbers are exact in f32 up to 2^24 keys.
  Value init =
      createFilled(b, loc, ArrayRef<int64_t>{}, createScalar(b, loc, f, 0.0));
  Value end =
      buildGeneric(
          b, loc, maskSlice, init,
          {b.getMultiDimIdentityMap(2), AffineMap::get(2, 0, {}, ctx)},
          {utils::IteratorType::reduction, utils::IteratorType::reduction},
          [&](OpBuilder &nb, Location l,
              ValueRange args) -> SmallVector<Value> {
            Value visible = arith::CmpFOp::create(
                nb, l, arith::CmpFPredicate::OGT, extendTo(nb, l, args[0], f),
                createScalar(nb, l, f, kHiddenMask));
            Value column = arith::IndexCastUIOp::create(
                nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, 1));
            Value next = arith::UIToFPOp::create(
                nb, l, f,
                arith::AddIOp::create(
                    nb, l, column,
                    arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(1))));
            Value candidate = arith::SelectOp::create(
                nb, l, visible, next, createScalar(nb, l, f, 0.0));
            return {arith::MaximumFOp::create(nb, l, args[1], candidate)};
          })
          .front();
  Value scalar = tensor::ExtractOp::create(b, loc, end, ValueRange{});
  return arith::IndexCastUIOp::create(
      b, loc, b.getIndexType(),
      arith::FPToUIOp::create(b, loc, b.getI64Type(), scalar));
}

/// The access map of a HeadView operand from the loop dimensions `batch`,
/// `head`, `seq` and `feature`: [B, H, S, D] or [B, S, H, D] order. The head
/// is divided by `group` for the key and value heads of grouped queries.
AffineMap headMap(const HeadView &view, unsigned numDims, AffineExpr batch,
                  AffineExpr head, AffineExpr seq, AffineExpr feature,
                  int64_t group) {
  if (group != 1)
    head = head.floorDiv(group);
  SmallVector<AffineExpr> exprs =
      view.headAxis == 1 ? SmallVector<AffineExpr>{batch, head, seq, feature}
                         : SmallVector<AffineExpr>{batch, seq, head, feature};
  return AffineMap::get(numDims, 0, exprs, batch.getContext());
}

/// `tfm.attention` as whole-tensor ops over [B, H]: scores sT[b, h, j, i]
/// for key j and query i (the mask and causal positions as their
/// initializer), m = max_j sT, p = exp(sT - m), l = sum_j p,
/// acc[b, h, i, e] = sum_j p v, out = acc / l.
Value lowerAttentionBatched(OpBuilder &b, Location loc, AttentionOp op,
                            Value query, Value key, Value value, Value mask,
                            RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  int64_t heads = op.getNumHeads();
  int64_t group = heads / op.getNumKvHeads();
  HeadView q = viewHeads(b, loc, query, heads);
  HeadView k = viewHeads(b, loc, key, op.getNumKvHeads());
  HeadView v = viewHeads(b, loc, value, op.getNumKvHeads());
  int64_t batch = cast<RankedTensorType>(query.getType()).getDimSize(0);
  int64_t sq = q.seqLen, skv = k.seqLen, d = q.headDim, dv = v.headDim;
  Type elementType = resultType.getElementType();
  Type f = getComputeType(elementType);
  Type keyElement = getElementTypeOrSelf(k.value.getType());
  double scale = op.getScaleOrDefault();
  bool causal = op.getCausal();
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;
  AffineExpr d0, d1, d2, d3, d4;
  bindDims(ctx, d0, d1, d2, d3, d4);
  auto map4 = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(4, 0, exprs, ctx);
  };
  auto map5 = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(5, 0, exprs, ctx);
  };
  Value negInf = arith::ConstantOp::create(b, loc, getLowestValue(f, f));

  // qT[b, h, c, i] = scale * q[b, h, i, c], in the keys' element type so
  // that the scores' operands match.
  Value qT =
      buildGeneric(b, loc, q.value,
                   createEmpty(b, loc, {batch, heads, d, sq}, keyElement),
                   {headMap(q, 4, d0, d1, d3, d2, 1), map4({d0, d1, d2, d3})},
                   {par, par, par, par},
                   [&](OpBuilder &nb, Location nl,
                       ValueRange args) -> SmallVector<Value> {
                     return {scaleQuery(nb, nl, args[0], f, keyElement, scale)};
                   })
          .front();

  // The scores' initializer sT0[b, h, j, i]: the mask (broadcast from its
  // unit dimensions), causal positions at -inf, else zero.
  SmallVector<int64_t> scoreShape = {batch, heads, skv, sq};
  Value sInit;
  if (!mask && !causal) {
    sInit = createFilled(b, loc, scoreShape, createScalar(b, loc, f, 0.0));
  } else {
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    if (mask) {
      auto maskType = cast<RankedTensorType>(mask.getType());
      SmallVector<int64_t> shape(4 - maskType.getRank(), 1);
      llvm::append_range(shape, maskType.getShape());
      inputs.push_back(reshapeTo(b, loc, mask, shape));
      AffineExpr zero = getAffineConstantExpr(0, ctx);
      maps.push_back(
          map4({shape[0] == 1 ? zero : d0, shape[1] == 1 ? zero : d1,
                shape[2] == 1 ? zero : d3, shape[3] == 1 ? zero : d2}));
    }
    maps.push_back(map4({d0, d1, d2, d3}));
    sInit = buildGeneric(
                b, loc, inputs, createEmpty(b, loc, scoreShape, f), maps,
                {par, par, par, par},
                [&](OpBuilder &nb, Location nl,
                    ValueRange args) -> SmallVector<Value> {
                  Value x = mask ? extendTo(nb, nl, args[0], f)
                                 : createScalar(nb, nl, f, 0.0);
                  if (!causal)
                    return {x};
                  // Key j is hidden from query i past the diagonal.
                  Value col = linalg::IndexOp::create(nb, nl, 2);
                  Value row = arith::AddIOp::create(
                      nb, nl, linalg::IndexOp::create(nb, nl, 3),
                      arith::ConstantIndexOp::create(nb, nl, skv - sq));
                  Value hidden = arith::CmpIOp::create(
                      nb, nl, arith::CmpIPredicate::sgt, col, row);
                  Value ninf =
                      arith::ConstantOp::create(nb, nl, getLowestValue(f, f));
                  return {arith::SelectOp::create(nb, nl, hidden, ninf, x)};
                })
                .front();
  }

  // sT[b, h, j, i] += k[b, h/g, j, c] * qT[b, h, c, i].
  auto multiplyAdd = [&](OpBuilder &nb, Location nl,
                         ValueRange args) -> SmallVector<Value> {
    Value product = arith::MulFOp::create(nb, nl, extendTo(nb, nl, args[0], f),
                                          extendTo(nb, nl, args[1], f));
    return {arith::AddFOp::create(nb, nl, args[2], product)};
  };
  Value scores = buildGeneric(b, loc, ValueRange{k.value, qT}, sInit,
                              {headMap(k, 5, d0, d1, d2, d4, group),
                               map5({d0, d1, d4, d3}), map5({d0, d1, d2, d3})},
                              {par, par, par, par, red}, multiplyAdd)
                     .front();

  // Row statistics over the keys, [B, H, Sq].
  auto rowReduction = [&](Value input, Value init, bool isMax) {
    return buildGeneric(
               b, loc, input, init,
               {map4({d0, d1, d3, d2}), map4({d0, d1, d2})},
               {par, par, par, red},
               [&](OpBuilder &nb, Location nl,
                   ValueRange args) -> SmallVector<Value> {
                 if (isMax)
                   return {arith::MaximumFOp::create(nb, nl, args[1], args[0])};
                 return {arith::AddFOp::create(nb, nl, args[1], args[0])};
               })
        .front();
  };
  Value rowMax =
      rowReduction(scores, createFilled(b, loc, {batch, heads, sq}, negInf),
                   /*isMax=*/true);
  // p = exp(sT - m); a row that sees only -inf keeps a shift of 0.
  Value p =
      buildGeneric(
          b, loc, ValueRange{scores, rowMax},
          createEmpty(b, loc, scoreShape, f),
          {map4({d0, d1, d2, d3}), map4({d0, d1, d3}), map4({d0, d1, d2, d3})},
          {par, par, par, par},
          [&](OpBuilder &nb, Location nl,
              ValueRange args) -> SmallVector<Value> {
            Value isInf = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OEQ, args[1],
                arith::ConstantOp::create(nb, nl, getLowestValue(f, f)));
            Value shift = arith::SelectOp::create(
                nb, nl, isInf, createScalar(nb, nl, f, 0.0), args[1]);
            return {math::ExpOp::create(
                nb, nl, arith::SubFOp::create(nb, nl, args[0], shift))};
          })
          .front();
  Value rowSum = rowReduction(
      p, createFilled(b, loc, {batch, heads, sq}, createScalar(b, loc, f, 0.0)),
      /*isMax=*/false);

  // acc[b, h, i, e] = sum_j p[b, h, j, i] * v[b, h/g, j, e].
  Value acc = buildGeneric(b, loc, ValueRange{p, v.value},
                           createFilled(b, loc, {batch, heads, sq, dv},
                                        createScalar(b, loc, f, 0.0)),
                           {map5({d0, d1, d4, d2}),
                            headMap(v, 5, d0, d1, d4, d3, group),
                            map5({d0, d1, d2, d3})},
                           {par, par, par, par, red}, multiplyAdd)
                  .front();

  // out = acc / l, in the operands' layout.
  SmallVector<int64_t> outShape =
      q.headAxis == 1 ? SmallVector<int64_t>{batch, heads, sq, dv}
                      : SmallVector<int64_t>{batch, sq, heads, dv};
  HeadView outView{Value(), q.headAxis, q.seqAxis, sq, dv};
  Value out =
      buildGeneric(b, loc, ValueRange{acc, rowSum},
                   createEmpty(b, loc, outShape, elementType),
                   {map4({d0, d1, d2, d3}), map4({d0, d1, d2}),
                    headMap(outView, 4, d0, d1, d2, d3, 1)},
                   {par, par, par, par},
                   [&](OpBuilder &nb, Location nl,
                       ValueRange args) -> SmallVector<Value> {
                     Value y = divideByRowSum(nb, nl, args[0], args[1]);
                     if (y.getType() != elementType)
                       y = arith::TruncFOp::create(nb, nl, elementType, y);
                     return {y};
                   })
          .front();
  return reshapeTo(b, loc, out, resultType.getShape());
}

struct AttentionOpLowering : OpConversionPattern<AttentionOp> {
  AttentionOpLowering(const TypeConverter &converter, MLIRContext *ctx,
                      const AttentionLoweringOptions &options)
      : OpConversionPattern(converter, ctx), options(options) {}
  AttentionLoweringOptions options;

  LogicalResult
  matchAndRewrite(AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Dynamic only in the tiled form (supportsDynamicShapes).
    auto resultType = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    if (options.batched) {
      // Whole-tensor ops read one key tensor: the past's rows and the new
      // ones, concatenated.
      Value key = adaptor.getKey(), value = adaptor.getValue();
      if (adaptor.getPastKey()) {
        key = concatSequence(b, loc, adaptor.getPastKey(), key);
        value = concatSequence(b, loc, adaptor.getPastValue(), value);
      }
      rewriter.replaceOp(
          op, lowerAttentionBatched(b, loc, op, adaptor.getQuery(), key, value,
                                    adaptor.getMask(), resultType));
      return success();
    }
    int64_t heads = op.getNumHeads();
    int64_t kvHeads = op.getNumKvHeads();
    int64_t group = heads / kvHeads;
    HeadView q = viewHeads(b, loc, adaptor.getQuery(), heads);
    HeadView k = viewHeads(b, loc, adaptor.getKey(), kvHeads);
    HeadView v = viewHeads(b, loc, adaptor.getValue(), kvHeads);
    auto queryType = cast<RankedTensorType>(adaptor.getQuery().getType());
    int64_t batch = queryType.getDimSize(0);
    // Keys come in segments: the past's rows (attention over a cache), then
    // the new ones; positions count across both.
    std::optional<HeadView> pastK, pastV;
    if (adaptor.getPastKey()) {
      pastK = viewHeads(b, loc, adaptor.getPastKey(), kvHeads);
      pastV = viewHeads(b, loc, adaptor.getPastValue(), kvHeads);
    }
    // The query and new key counts may be dynamic (a sequence length known
    // at run time); the cache's is static.
    int64_t past = pastK ? pastK->seqLen : 0;
    int64_t sq = q.seqLen, dv = v.headDim;
    bool dynamicQueries = ShapedType::isDynamic(sq);
    bool dynamicKeys = ShapedType::isDynamic(k.seqLen);
    Value sqValue = getValueOrCreateConstantIndexOp(
        b, loc, tensor::getMixedSize(b, loc, q.value, q.seqAxis));
    Value keyCount = getValueOrCreateConstantIndexOp(
        b, loc, tensor::getMixedSize(b, loc, k.value, k.seqAxis));
    Type elementType = resultType.getElementType();
    Type f = getComputeType(elementType);
    double scale = op.getScaleOrDefault();
    bool causal = op.getCausal();

    int64_t bq = dynamicQueries
                     ? options.queryBlock
                     : pickTile(sq, options.queryBlock, options.queryBlock);
    // A static query count that only small blocks divide (a prime such as
    // 127 made 127 one-query blocks, each a pass over every key) takes the
    // tiers of a run-time count: whole blocks, then halves, then single
    // queries.
    bool tieredQueries =
        dynamicQueries ||
        (bq < std::min<int64_t>(8, options.queryBlock) && sq > bq);
    if (tieredQueries)
      bq = options.queryBlock;
    int64_t tk = dynamicKeys
                     ? options.keyTile
                     : pickTile(k.seqLen, options.keyTile, 4 * options.keyTile);
    // Cache tiles no longer than the key tile, even for a cache that would
    // make one tile: the loop over the cache stops after the last tile the
    // mask shows, so smaller tiles skip more of a cache that is filling.
    // Tiles are a power of two whether or not they divide the cache: a
    // cache of 255 rows took tiles of its divisor 85, which vectorized into
    // scalar remainders (attention was 85 us a layer in a GPT-2 decode
    // step); the rows past the last whole tile take tiles of
    // kCacheRemainderTile, then single rows.
    int64_t pastTile =
        past ? static_cast<int64_t>(llvm::bit_floor(
                   static_cast<uint64_t>(std::min(past, options.keyTile))))
             : 0;
    // One query per head (decode) with grouped queries: a block holds the
    // query heads of one key/value head, one row each, so that the group
    // reads its key and value tiles once rather than once per head.
    int64_t decodeHeadsPerBlock = sq == 1 ? group : 1;

    // The mask as a rank-4 tensor broadcasting to [B, Hq, Sq, Skv].
    Value mask = adaptor.getMask();
    SmallVector<int64_t> maskShape;
    if (mask) {
      auto maskType = cast<RankedTensorType>(mask.getType());
      maskShape.assign(4 - maskType.getRank(), 1);
      llvm::append_range(maskShape, maskType.getShape());
      mask = reshapeTo(b, loc, mask, maskShape);
    }

    // The result, in the operands' layout: [B, Hq, Sq, Dv] or
    // [B, Sq, Hq, Dv].
    SmallVector<OpFoldResult> outSizes(4, b.getIndexAttr(batch));
    outSizes[3] = b.getIndexAttr(dv);
    outSizes[q.headAxis] = b.getIndexAttr(heads);
    outSizes[q.seqAxis] = getAsOpFoldResult(sqValue);
    HeadView out{createEmpty(b, loc, outSizes, elementType), q.headAxis,
                 q.seqAxis, sq, dv};

    // Blocks of `bq` queries (of `headsPerBlock` heads) from query `qBase`
    // on, `numQBlocks` of them, written into `outInit`: every block is
    // whole, so that its tiles are static. Dynamic queries take blocks of
    // bq up to the last multiple of bq, then blocks of one query.
    auto buildBlocks = [&](int64_t bq, int64_t headsPerBlock,
                           OpFoldResult numQBlocks, Value qBase,
                           Value outInit) -> Value {
      int64_t rows = headsPerBlock * bq;
      SmallVector<OpFoldResult> blockCounts = getAsIndexOpFoldResult(
          b.getContext(), {batch, heads / headsPerBlock});
      blockCounts.push_back(numQBlocks);
      auto forall =
          scf::ForallOp::create(b, loc, blockCounts, outInit, std::nullopt);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(forall.getBody());
        Value bIv = forall.getInductionVar(0);
        // The block's first query head.
        Value hIv = forall.getInductionVar(1);
        if (headsPerBlock > 1)
          hIv = arith::MulIOp::create(
              b, loc, hIv,
              arith::ConstantIndexOp::create(b, loc, headsPerBlock));
        Value qBlock = forall.getInductionVar(2);
        Value q0 = arith::MulIOp::create(
            b, loc, qBlock, arith::ConstantIndexOp::create(b, loc, bq));
        if (qBase)
          q0 = arith::AddIOp::create(b, loc, q0, qBase);
        Value kvHead = arith::DivUIOp::create(
            b, loc, hIv, arith::ConstantIndexOp::create(b, loc, group));
        // The query block transposed and scaled once, qT[d, i] = scale *
        // q[i, d]: every key tile's scores are then sT = k qT, a plain
        // product whose rows stream contiguous rows of qT (a transposed key
        // tile per block and tile would cost Skv / Bq times as much). Scores
        // kept as rows (below) take the scaled query rows as they are,
        // [rows, D]. It keeps the keys' element type, so that the product's
        // operands match (f16 operands, f32 accumulation); the scale is
        // applied in the compute type before rounding.
        Value qTile = extractTile(b, loc, q, bIv, hIv, q0, bq, headsPerBlock);
        Type keyElement = getElementTypeOrSelf(k.value.getType());
        bool rowScores = rows == 1 || headsPerBlock > 1;
        Value qScaled =
            buildGeneric(
                b, loc, qTile,
                createEmpty(b, loc,
                            rowScores ? SmallVector<int64_t>{rows, q.headDim}
                                      : SmallVector<int64_t>{q.headDim, rows},
                            keyElement),
                {rowScores ? b.getMultiDimIdentityMap(2)
                           : AffineMap::getPermutationMap(
                                 ArrayRef<unsigned>{1, 0}, b.getContext()),
                 b.getMultiDimIdentityMap(2)},
                {utils::IteratorType::parallel, utils::IteratorType::parallel},
                [&](OpBuilder &nb, Location nl,
                    ValueRange args) -> SmallVector<Value> {
                  return {scaleQuery(nb, nl, args[0], f, keyElement, scale)};
                })
                .front();

        Value negInf = arith::ConstantOp::create(b, loc, getLowestValue(f, f));
        Value zero = createScalar(b, loc, f, 0.0);
        Value mInit = createFilled(b, loc, {rows}, negInf);
        Value lInit = createFilled(b, loc, {rows}, zero);
        Value accInit = createFilled(b, loc, {rows, dv}, zero);

        // Keys past the block's causal diagonal are never visible: stop at
        // the first tile boundary after q0 + bq - 1 + (skv - sq), counted
        // from the new keys' first position. (The past lies before every
        // query's diagonal when Sq <= S.)
        Value kvEnd = keyCount;
        // Key position minus query position on the diagonal: past + new keys
        // - queries.
        Value diagonalShift = arith::SubIOp::create(
            b, loc,
            arith::AddIOp::create(b, loc, keyCount,
                                  arith::ConstantIndexOp::create(b, loc, past)),
            sqValue);
        if (causal) {
          Value lastVisible = arith::AddIOp::create(
              b, loc,
              arith::AddIOp::create(
                  b, loc, q0,
                  arith::ConstantIndexOp::create(b, loc, bq - past + tk - 1)),
              diagonalShift);
          Value tileCount = arith::DivSIOp::create(
              b, loc, lastVisible, arith::ConstantIndexOp::create(b, loc, tk));
          Value bound = arith::MulIOp::create(
              b, loc, tileCount, arith::ConstantIndexOp::create(b, loc, tk));
          bound = arith::MaxSIOp::create(
              b, loc, bound, arith::ConstantIndexOp::create(b, loc, 0));
          kvEnd = arith::MinSIOp::create(b, loc, bound, kvEnd);
        }

        // The block's slice of the mask for `keys` keys from `key0`: [rows,
        // cols], where a mask that varies along queries or keys is sliced at
        // the block's rows or the keys, even for one row or column, and one
        // that does not keeps its single row or column.
        auto sliceMask = [&](OpBuilder &mb, Location ml, Value key0,
                             int64_t keys) {
          SmallVector<OpFoldResult> offsets(4, mb.getIndexAttr(0));
          SmallVector<OpFoldResult> sizes(4, mb.getIndexAttr(1));
          if (maskShape[0] != 1)
            offsets[0] = bIv;
          if (maskShape[1] != 1) {
            offsets[1] = hIv;
            sizes[1] = mb.getIndexAttr(headsPerBlock);
          }
          int64_t sliceRows = (maskShape[1] != 1 ? headsPerBlock : 1) *
                              (maskShape[2] != 1 ? bq : 1);
          int64_t cols = maskShape[3] != 1 ? keys : 1;
          if (maskShape[2] != 1) {
            offsets[2] = q0;
            sizes[2] = mb.getIndexAttr(bq);
          }
          if (maskShape[3] != 1) {
            offsets[3] = key0;
            sizes[3] = mb.getIndexAttr(keys);
          }
          return tensor::ExtractSliceOp::create(
                     mb, ml,
                     RankedTensorType::get(
                         {sliceRows, cols},
                         getElementTypeOrSelf(mask.getType())),
                     mask, offsets, sizes,
                     getAsIndexOpFoldResult(mb.getContext(), {1, 1, 1, 1}))
              .getResult();
        };

        // Scores are kept transposed, sT[j, i] for key j and query i, so that
        // the softmax's reductions over keys are elementwise across rows.
        // A block of one query (decode), or of a key/value head's query heads
        // with one query each, keeps them as rows s[i, j] instead: a column
        // of one element per key would leave the softmax scalar and read the
        // key tile a column at a time; as rows, the scores are the product of
        // the query rows and the key tile transposed in registers, and the
        // softmax is vectorized along the keys. One loop per key
        // segment, carrying the online softmax's state: keys [0, end) of
        // `kSeg`/`vSeg` in tiles of `tk`, at positions base + j.
        unsigned keyDim = rowScores ? 1 : 0;
        auto keyLoop = [&](const HeadView &kSeg, const HeadView &vSeg,
                           int64_t base, int64_t tk, Value end, ValueRange init,
                           Value start = Value()) {
          if (!start)
            start = arith::ConstantIndexOp::create(b, loc, 0);
          return scf::ForOp::create(
              b, loc, start, end, arith::ConstantIndexOp::create(b, loc, tk),
              init,
              [&](OpBuilder &lb, Location l, Value j, ValueRange iterArgs) {
                Value m = iterArgs[0], lsum = iterArgs[1], acc = iterArgs[2];
                // (Tiles of a cache stored narrow are extended as the
                // products read them.)
                Type keyType = getElementTypeOrSelf(k.value.getType());
                Value kTile = extractTile(lb, l, kSeg, bIv, kvHead, j, tk);
                Value vTile = extractTile(lb, l, vSeg, bIv, kvHead, j, tk);
                // The tile's first key position across the segments.
                Value key0 =
                    base == 0
                        ? j
                        : arith::AddIOp::create(
                              lb, l, j,
                              arith::ConstantIndexOp::create(lb, l, base));
                // sT = mask^T + k (scale q)^T, causal positions at -inf: the
                // product accumulates onto the mask (zeros without one), an
                // initializer that the CPU pipeline computes in each register
                // tile rather than as a pass of its own over the scores.
                SmallVector<Value> scoreInputs;
                if (mask) {
                  Value maskTile = sliceMask(lb, l, key0, tk);
                  ArrayRef<int64_t> sliceShape =
                      cast<RankedTensorType>(maskTile.getType()).getShape();
                  int64_t maskRows = sliceShape[0], cols = sliceShape[1];
                  // [rows, cols] -> [cols, rows] for transposed scores: a
                  // reshape when either is 1.
                  if (!rowScores && (maskRows == 1 || cols == 1))
                    maskTile = reshapeTo(lb, l, maskTile, {cols, maskRows});
                  else if (!rowScores)
                    maskTile = transposeTile(lb, l, maskTile);
                  scoreInputs.push_back(maskTile);
                }
                SmallVector<int64_t> scoreShape =
                    rowScores ? SmallVector<int64_t>{rows, tk}
                              : SmallVector<int64_t>{tk, rows};
                Value sInit;
                if (!mask && !causal)
                  sInit = createFilled(lb, l, scoreShape, zero);
                else
                  sInit = buildElementwise(
                      lb, l, scoreShape, f, scoreInputs,
                      [&](OpBuilder &nb, Location nl,
                          ValueRange args) -> Value {
                        Value x = args.empty() ? createScalar(nb, nl, f, 0.0)
                                               : extendTo(nb, nl, args[0], f);
                        if (!causal)
                          return x;
                        Value col = arith::AddIOp::create(
                            nb, nl, key0,
                            linalg::IndexOp::create(nb, nl, keyDim));
                        // (The rows of a block of heads share one query.)
                        Value row = headsPerBlock > 1
                                        ? q0
                                        : arith::AddIOp::create(
                                              nb, nl, q0,
                                              linalg::IndexOp::create(
                                                  nb, nl, 1 - keyDim));
                        Value limit =
                            arith::AddIOp::create(nb, nl, row, diagonalShift);
                        Value hidden = arith::CmpIOp::create(
                            nb, nl, arith::CmpIPredicate::sgt, col, limit);
                        Value ninf = arith::ConstantOp::create(
                            nb, nl, getLowestValue(f, f));
                        return arith::SelectOp::create(nb, nl, hidden, ninf, x);
                      });
                Value scores;
                if (rowScores) {
                  scores = buildTileProduct(
                      lb, l, qScaled, transposeTile(lb, l, kTile, keyType),
                      sInit);
                } else {
                  scores = buildTileProduct(lb, l, kTile, qScaled, sInit);
                }
                // Online softmax update.
                Value mNew = buildTileReduction(lb, l, scores, m,
                                                /*isMax=*/true, keyDim);
                // A row that has seen only -inf keeps a finite shift of 0.
                Value shift = buildElementwise(
                    lb, l, {rows}, f, mNew,
                    [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                      Value isInf = arith::CmpFOp::create(
                          nb, nl, arith::CmpFPredicate::OEQ, args[0],
                          arith::ConstantOp::create(nb, nl,
                                                    getLowestValue(f, f)));
                      return arith::SelectOp::create(
                          nb, nl, isInf, createScalar(nb, nl, f, 0.0), args[0]);
                    });
                // Broadcast along the keys.
                Value shiftRow =
                    reshapeTo(lb, l, shift,
                              rowScores ? SmallVector<int64_t>{rows, 1}
                                        : SmallVector<int64_t>{1, rows});
                auto expOfDifference = [](OpBuilder &nb, Location nl,
                                          ValueRange args) -> Value {
                  return math::ExpOp::create(
                      nb, nl, arith::SubFOp::create(nb, nl, args[0], args[1]));
                };
                Value p = buildElementwise(lb, l, scoreShape, f,
                                           ValueRange{scores, shiftRow},
                                           expOfDifference);
                Value alpha = buildElementwise(
                    lb, l, {rows}, f, ValueRange{m, shift}, expOfDifference);
                Value lScaled = buildElementwise(
                    lb, l, {rows}, f, ValueRange{lsum, alpha},
                    [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                      return arith::MulFOp::create(nb, nl, args[0], args[1]);
                    });
                Value lNew = buildTileReduction(lb, l, p, lScaled,
                                                /*isMax=*/false, keyDim);
                Value alphaCol = reshapeTo(lb, l, alpha, {rows, 1});
                Value accScaled = buildElementwise(
                    lb, l, {rows, dv}, f, ValueRange{acc, alphaCol},
                    [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                      return arith::MulFOp::create(nb, nl, args[0], args[1]);
                    });
                Value accNew =
                    rowScores
                        ? buildTileProduct(lb, l, p, vTile, accScaled)
                        : buildTransposedLhsProduct(lb, l, p, vTile, accScaled);
                scf::YieldOp::create(lb, l, ValueRange{mNew, lNew, accNew});
              });
        };
        // The new keys first: then the cache's loop stops after its last
        // tile that the mask shows to some query of the block (the rows
        // past it are not filled yet), provided that every query has seen a
        // visible key by then (its own, under a causal mask), so that the
        // hidden keys' exponentials are all exactly 0. A row that has seen
        // only hidden keys keeps them all: its softmax is over them.
        SmallVector<Value> state = {mInit, lInit, accInit};
        scf::ForOp loop;
        if (dynamicKeys) {
          // Whole tiles up to the last multiple of tk, then one key at a time.
          Value tkValue = arith::ConstantIndexOp::create(b, loc, tk);
          Value wholeEnd = arith::MulIOp::create(
              b, loc, arith::DivUIOp::create(b, loc, kvEnd, tkValue), tkValue);
          loop = keyLoop(k, v, past, tk, wholeEnd, state);
          loop = keyLoop(k, v, past, 1, kvEnd, loop.getResults(), wholeEnd);
        } else {
          loop = keyLoop(k, v, past, tk, kvEnd, state);
        }
        if (past > 0) {
          Value pastEnd = arith::ConstantIndexOp::create(b, loc, past);
          if (mask && maskShape[3] != 1 &&
              isa<FloatType>(getElementTypeOrSelf(mask.getType()))) {
            Value pastMask = sliceMask(
                b, loc, arith::ConstantIndexOp::create(b, loc, 0), past);
            Value visibleEnd = buildVisibleKeyEnd(b, loc, pastMask, f);
            Value rowsMin = buildScalarMin(b, loc, loop.getResult(0), f);
            Value seen = arith::CmpFOp::create(
                b, loc, arith::CmpFPredicate::OGT, rowsMin,
                createScalar(b, loc, f, kHiddenMask));
            pastEnd =
                arith::SelectOp::create(b, loc, seen, visibleEnd, pastEnd);
          }
          // Tiers of tiles over [start, end): whole tiles of `tile` that fit
          // below the static `limit`, ending with the tile that holds the
          // last row before `end` (the rows the mask hides inside it weigh
          // exactly 0).
          int64_t start = 0;
          for (int64_t tile : {pastTile, kCacheRemainderTile, int64_t(1)}) {
            if (tile > pastTile)
              continue;
            int64_t limit = start + (past - start) / tile * tile;
            if (limit == start)
              continue;
            Value tileValue = arith::ConstantIndexOp::create(b, loc, tile);
            Value rounded =
                tile == 1
                    ? pastEnd
                    : arith::MulIOp::create(b, loc,
                                            arith::CeilDivUIOp::create(
                                                b, loc, pastEnd, tileValue),
                                            tileValue);
            Value end = arith::MinUIOp::create(
                b, loc, rounded, arith::ConstantIndexOp::create(b, loc, limit));
            Value first = arith::ConstantIndexOp::create(b, loc, start);
            loop =
                keyLoop(*pastK, *pastV, 0, tile, end, loop.getResults(), first);
            start = limit;
          }
        }

        Value lCol = reshapeTo(b, loc, loop.getResult(1), {rows, 1});
        Value outTile = buildElementwise(
            b, loc, {rows, dv}, elementType,
            ValueRange{loop.getResult(2), lCol},
            [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
              Value y = divideByRowSum(nb, nl, args[0], args[1]);
              if (y.getType() != elementType)
                y = arith::TruncFOp::create(nb, nl, elementType, y);
              return y;
            });

        SmallVector<OpFoldResult> offsets, sizes;
        HeadView dest = out;
        dest.value = forall.getRegionIterArgs().front();
        tileCoordinates(b, dest, bIv, hIv, q0, bq, offsets, sizes,
                        headsPerBlock);
        b.setInsertionPointToStart(forall.getTerminator().getBody());
        tensor::ParallelInsertSliceOp::create(
            b, loc, outTile, dest.value, offsets, sizes,
            getAsIndexOpFoldResult(b.getContext(), {1, 1, 1, 1}));
      }
      return forall.getResult(0);
    };

    Value result;
    if (!tieredQueries) {
      result = buildBlocks(bq, decodeHeadsPerBlock, b.getIndexAttr(sq / bq),
                           Value(), out.value);
    } else {
      // Whole blocks, then blocks of half, a quarter... down to an eighth
      // of the block (at least 2 queries), each taking what the larger ones
      // leave; the rest in one-query blocks, which group a key/value head's
      // query heads as the static decode does (a decode step is all
      // remainder). A 32-query prompt is one 32-query block, not 32 passes
      // over the keys.
      result = out.value;
      Value start;
      for (int64_t tier = bq; tier >= 2 && tier * 8 >= bq; tier /= 2) {
        Value tierValue = arith::ConstantIndexOp::create(b, loc, tier);
        Value left =
            start ? arith::SubIOp::create(b, loc, sqValue, start).getResult()
                  : sqValue;
        Value blocks = arith::DivUIOp::create(b, loc, left, tierValue);
        // A tier without blocks (every tier, for one token) skips its
        // parallel loop: starting the threads costs microseconds.
        Value any =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, blocks,
                                  arith::ConstantIndexOp::create(b, loc, 0));
        auto ifOp = scf::IfOp::create(b, loc, TypeRange{result.getType()}, any,
                                      /*addThenBlock=*/true,
                                      /*addElseBlock=*/true);
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(ifOp.thenBlock());
          scf::YieldOp::create(b, loc,
                               buildBlocks(tier, 1, blocks, start, result));
          b.setInsertionPointToStart(ifOp.elseBlock());
          scf::YieldOp::create(b, loc, result);
        }
        result = ifOp.getResult(0);
        Value covered = arith::MulIOp::create(b, loc, blocks, tierValue);
        start = start ? arith::AddIOp::create(b, loc, start, covered).getResult()
                      : covered;
      }
      result = buildBlocks(
          1, group, arith::SubIOp::create(b, loc, sqValue, start).getResult(),
          start, result);
    }
    rewriter.replaceOp(op, reshapeTo(b, loc, result, resultType.getShape()));
    return success();
  }
};

struct RopeOpLowering : OpConversionPattern<RopeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RopeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // The sequence (and batch) may be dynamic: sizes follow the input's.
    auto resultType = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t heads =
        inputType.getRank() == 4 ? inputType.getDimSize(1) : *op.getNumHeads();
    HeadView x = viewHeads(b, loc, adaptor.getInput(), heads);
    auto viewType = cast<RankedTensorType>(x.value.getType());
    auto cosType = cast<RankedTensorType>(adaptor.getCos().getType());
    int64_t half = cosType.getDimSize(cosType.getRank() - 1);
    int64_t rotary = 2 * half;
    bool interleaved = op.getInterleaved();
    Type elementType = resultType.getElementType();
    Type f = getComputeType(elementType);

    // The two members of each rotated pair, as strided views of x.
    SmallVector<int64_t> halfShape(viewType.getShape());
    halfShape[3] = half;
    auto halfType = viewType.clone(halfShape);
    SmallVector<OpFoldResult> viewSizes =
        tensor::getMixedSizes(b, loc, x.value);
    SmallVector<OpFoldResult> halfSizes = viewSizes;
    halfSizes[3] = b.getIndexAttr(half);
    auto sliceAt = [&](Value source, int64_t start, int64_t stride, bool insert,
                       Value into = {}) -> Value {
      SmallVector<OpFoldResult> offsets =
          getAsIndexOpFoldResult(b.getContext(), {0, 0, 0, start});
      SmallVector<OpFoldResult> sizes = halfSizes;
      SmallVector<OpFoldResult> strides =
          getAsIndexOpFoldResult(b.getContext(), {1, 1, 1, stride});
      if (insert)
        return tensor::InsertSliceOp::create(b, loc, source, into, offsets,
                                             sizes, strides);
      return tensor::ExtractSliceOp::create(b, loc, halfType, source, offsets,
                                            sizes, strides);
    };
    int64_t firstStart = 0, secondStart = interleaved ? 1 : half;
    int64_t stride = interleaved ? 2 : 1;
    Value first = sliceAt(x.value, firstStart, stride, /*insert=*/false);
    Value second = sliceAt(x.value, secondStart, stride, /*insert=*/false);

    // cos/sin indexed by (sequence, pair) and, when per batch, batch.
    auto tableAccess = [&](Value table) -> std::pair<Value, AffineMap> {
      auto type = cast<RankedTensorType>(table.getType());
      SmallVector<AffineExpr> exprs;
      if (type.getRank() == 3) {
        if (type.getDimSize(0) == 1)
          table = reshapeTo(b, loc, table,
                            {type.getDimSize(1), type.getDimSize(2)});
        else
          exprs.push_back(b.getAffineDimExpr(0));
      }
      exprs.push_back(b.getAffineDimExpr(x.seqAxis));
      exprs.push_back(b.getAffineDimExpr(3));
      return {table, AffineMap::get(4, 0, exprs, b.getContext())};
    };
    auto [cosTable, cosMap] = tableAccess(adaptor.getCos());
    auto [sinTable, sinMap] = tableAccess(adaptor.getSin());
    AffineMap identity = b.getMultiDimIdentityMap(4);
    SmallVector<Value> rotated = buildGeneric(
        b, loc, ValueRange{first, second, cosTable, sinTable},
        ValueRange{createEmpty(b, loc, halfSizes, elementType),
                   createEmpty(b, loc, halfSizes, elementType)},
        {identity, identity, cosMap, sinMap, identity, identity},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange args) -> SmallVector<Value> {
          Value x1 = extendTo(nb, l, args[0], f),
                x2 = extendTo(nb, l, args[1], f);
          Value c = extendTo(nb, l, args[2], f),
                s = extendTo(nb, l, args[3], f);
          Value y1 =
              arith::SubFOp::create(nb, l, arith::MulFOp::create(nb, l, x1, c),
                                    arith::MulFOp::create(nb, l, x2, s));
          Value y2 =
              arith::AddFOp::create(nb, l, arith::MulFOp::create(nb, l, x2, c),
                                    arith::MulFOp::create(nb, l, x1, s));
          if (f != elementType) {
            y1 = arith::TruncFOp::create(nb, l, elementType, y1);
            y2 = arith::TruncFOp::create(nb, l, elementType, y2);
          }
          return {y1, y2};
        });
    // Elements past the rotary size pass through unchanged.
    Value result = rotary == x.headDim
                       ? createEmpty(b, loc, viewSizes, elementType)
                       : x.value;
    result = sliceAt(rotated[0], firstStart, stride, /*insert=*/true, result);
    result = sliceAt(rotated[1], secondStart, stride, /*insert=*/true, result);
    rewriter.replaceOp(op, reshapeTo(b, loc, result, resultType.getShape()));
    return success();
  }
};

} // namespace

void mlir::tfm::populateAttentionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const AttentionLoweringOptions &options) {
  patterns.add<AttentionOpLowering>(converter, patterns.getContext(), options);
  patterns.add<RopeOpLowering>(converter, patterns.getContext());
}
