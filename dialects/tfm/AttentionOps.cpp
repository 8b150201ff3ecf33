//===- AttentionOps.cpp - attention and rope ------------------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "TypeRules.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;

/// Sizes of one attention operand under the op's layout. For the packed
/// rank-3 layout the head size is derived from the last dimension.
struct HeadLayout {
  int64_t batch, heads, seq, headDim;
};

static HeadLayout getHeadLayout(RankedTensorType type, int64_t heads) {
  ArrayRef<int64_t> s = type.getShape();
  if (type.getRank() == 4)
    return {s[0], s[1], s[2], s[3]};
  int64_t headDim = ShapedType::isDynamic(s[2]) || heads <= 0
                        ? ShapedType::kDynamic
                        : s[2] / heads;
  return {s[0], heads, s[1], headDim};
}

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto q = dyn_cast<RankedTensorType>(adaptor.getQuery().getType());
  auto k = dyn_cast<RankedTensorType>(adaptor.getKey().getType());
  auto v = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!q || !k || !v)
    return failure();
  StringRef name = getOperationName();

  int64_t rank = q.getRank();
  if ((rank != 3 && rank != 4) || k.getRank() != rank || v.getRank() != rank)
    return violation(location, name, 1,
                     "query, key and value must all have rank 3 or all rank 4, "
                     "got ",
                     q, ", ", k, ", ", v);
  if (k.getElementType() != q.getElementType() ||
      v.getElementType() != q.getElementType())
    return violation(
        location, name, 1,
        "query, key and value element types differ: ", q.getElementType(), ", ",
        k.getElementType(), ", ", v.getElementType());

  int64_t heads = adaptor.getNumHeads(), kvHeads = adaptor.getNumKvHeads();
  if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
    return violation(
        location, name, 2, "num_heads = ", heads,
        " must be a positive multiple of num_kv_heads = ", kvHeads);

  auto checkHeads = [&](StringRef operand, RankedTensorType type,
                        int64_t expected) -> LogicalResult {
    int64_t dim = rank == 4 ? type.getDimSize(1) : type.getDimSize(2);
    if (ShapedType::isDynamic(dim))
      return success();
    if (rank == 4 && dim != expected)
      return violation(location, name, 3, operand, " ",
                       formatShape(type.getShape()), " has ", dim,
                       " heads in dimension 1, expected ", expected);
    if (rank == 3 && dim % expected != 0)
      return violation(location, name, 3, operand, " ",
                       formatShape(type.getShape()), " last dimension ", dim,
                       " is not a multiple of its ", expected, " heads");
    return success();
  };
  if (failed(checkHeads("query", q, heads)) ||
      failed(checkHeads("key", k, kvHeads)) ||
      failed(checkHeads("value", v, kvHeads)))
    return failure();

  HeadLayout ql = getHeadLayout(q, heads), kl = getHeadLayout(k, kvHeads),
             vl = getHeadLayout(v, kvHeads);
  if (!dimsAgree(ql.headDim, kl.headDim))
    return violation(location, name, 4, "query head size ", ql.headDim,
                     " differs from key head size ", kl.headDim);
  if (!dimsAgree(ql.batch, kl.batch) || !dimsAgree(ql.batch, vl.batch))
    return violation(location, name, 5, "batch sizes differ: query ",
                     formatShape(q.getShape()), ", key ",
                     formatShape(k.getShape()), ", value ",
                     formatShape(v.getShape()));
  if (!dimsAgree(kl.seq, vl.seq))
    return violation(location, name, 5, "key sequence length ", kl.seq,
                     " differs from value sequence length ", vl.seq);

  // The keys: the past's rows, then the new ones.
  int64_t keyLength = kl.seq;
  if (adaptor.getPastKey() || adaptor.getPastValue()) {
    if (!adaptor.getPastKey() || !adaptor.getPastValue())
      return violation(location, name, 8,
                       "past_key and past_value must be given together");
    auto pk = dyn_cast<RankedTensorType>(adaptor.getPastKey().getType());
    auto pv = dyn_cast<RankedTensorType>(adaptor.getPastValue().getType());
    if (!pk || !pv)
      return failure();
    // A cache may be stored narrower than the keys it receives (an f16 or
    // bf16 cache of f32 keys): its rows are extended when read.
    auto storable = [&](Type cacheType, Type keyType) {
      return cacheType == keyType ||
             ((isa<Float16Type, BFloat16Type>(cacheType)) && keyType.isF32());
    };
    if (pk.getRank() != rank || pv.getRank() != rank ||
        pk.getElementType() != pv.getElementType() ||
        !storable(pk.getElementType(), k.getElementType()) ||
        !storable(pv.getElementType(), v.getElementType()))
      return violation(location, name, 8, "past_key ", pk, " and past_value ",
                       pv,
                       " must have the rank of key and its element type (f16 "
                       "or bf16 for f32 keys), the same for both; key ",
                       k);
    HeadLayout pkl = getHeadLayout(pk, kvHeads),
               pvl = getHeadLayout(pv, kvHeads);
    bool agree =
        dimsAgree(pkl.batch, kl.batch) && dimsAgree(pvl.batch, vl.batch) &&
        dimsAgree(pkl.heads, kl.heads) && dimsAgree(pvl.heads, vl.heads) &&
        dimsAgree(pkl.headDim, kl.headDim) &&
        dimsAgree(pvl.headDim, vl.headDim) && dimsAgree(pkl.seq, pvl.seq) &&
        (rank == 4 || (dimsAgree(pk.getDimSize(2), k.getDimSize(2)) &&
                       dimsAgree(pv.getDimSize(2), v.getDimSize(2))));
    if (!agree)
      return violation(
          location, name, 8, "past_key ", formatShape(pk.getShape()),
          " and past_value ", formatShape(pv.getShape()),
          " must match key and value but for their length, "
          "the same for both: key ",
          formatShape(k.getShape()), ", value ", formatShape(v.getShape()));
    keyLength = ShapedType::isDynamic(pkl.seq) || ShapedType::isDynamic(kl.seq)
                    ? ShapedType::kDynamic
                    : pkl.seq + kl.seq;
  }

  if (Value maskValue = adaptor.getMask()) {
    auto mask = dyn_cast<RankedTensorType>(maskValue.getType());
    if (!mask)
      return failure();
    SmallVector<int64_t> scores = {ql.batch, heads, ql.seq, keyLength};
    if (mask.getElementType() != q.getElementType() || mask.getRank() > 4 ||
        !broadcastsTo(mask.getShape(), scores))
      return violation(location, name, 6, "mask ", mask,
                       " does not broadcast to the scores' shape ",
                       formatShape(scores), " with element type ",
                       q.getElementType());
  }

  SmallVector<int64_t> shape;
  if (rank == 4) {
    shape = {ql.batch, heads, ql.seq, vl.headDim};
  } else {
    int64_t width = ShapedType::isDynamic(vl.headDim) ? ShapedType::kDynamic
                                                      : heads * vl.headDim;
    shape = {ql.batch, ql.seq, width};
  }
  inferred.push_back(RankedTensorType::get(shape, q.getElementType()));
  return success();
}

int64_t AttentionOp::getHeadDim() {
  return getHeadLayout(getQuery().getType(), getNumHeads()).headDim;
}

int64_t AttentionOp::getPastLength() {
  if (!getPastKey())
    return 0;
  return getHeadLayout(cast<RankedTensorType>(getPastKey().getType()),
                       getNumKvHeads())
      .seq;
}

double AttentionOp::getScaleOrDefault() {
  if (std::optional<llvm::APFloat> scale = getScale())
    return scale->convertToDouble();
  return 1.0 / std::sqrt(static_cast<double>(getHeadDim()));
}

//===----------------------------------------------------------------------===//
// rope
//===----------------------------------------------------------------------===//

LogicalResult RopeOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto cos = dyn_cast<RankedTensorType>(adaptor.getCos().getType());
  auto sin = dyn_cast<RankedTensorType>(adaptor.getSin().getType());
  if (!input || !cos || !sin)
    return failure();
  StringRef name = getOperationName();

  int64_t rank = input.getRank();
  std::optional<int64_t> numHeads;
  if (adaptor.getNumHeadsAttr())
    numHeads = adaptor.getNumHeadsAttr().getInt();
  if (rank == 4) {
    if (numHeads && !dimsAgree(*numHeads, input.getDimSize(1)))
      return violation(location, name, 1, "num_heads = ", *numHeads,
                       " differs from the ", input.getDimSize(1),
                       " heads of input ", formatShape(input.getShape()));
  } else if (rank == 3) {
    if (!numHeads || *numHeads <= 0)
      return violation(location, name, 1,
                       "a rank-3 input [B, S, H*D] needs a positive num_heads");
    if (!ShapedType::isDynamic(input.getDimSize(2)) &&
        input.getDimSize(2) % *numHeads != 0)
      return violation(location, name, 1, "input last dimension ",
                       input.getDimSize(2),
                       " is not a multiple of num_heads = ", *numHeads);
  } else {
    return violation(location, name, 1, "input must have rank 3 or 4, got ",
                     input);
  }

  if (cos != sin || cos.getElementType() != input.getElementType())
    return violation(location, name, 2, "cos ", cos, " and sin ", sin,
                     " must have the same type, with element type ",
                     input.getElementType());

  HeadLayout layout = getHeadLayout(input, numHeads.value_or(0));
  ArrayRef<int64_t> table = cos.getShape();
  bool ok = cos.getRank() == 2 || cos.getRank() == 3;
  if (ok && cos.getRank() == 3)
    ok = table[0] == 1 || dimsAgree(table[0], layout.batch);
  if (ok)
    ok = dimsAgree(table[table.size() - 2], layout.seq);
  int64_t half = table.back();
  if (ok && !ShapedType::isDynamic(half) &&
      !ShapedType::isDynamic(layout.headDim))
    ok = half > 0 && 2 * half <= layout.headDim;
  if (!ok)
    return violation(location, name, 3, "cos/sin shape ", formatShape(table),
                     " must be [S, R/2] or [B', S, R/2] with S = ", layout.seq,
                     ", B' = 1 or the batch size ", layout.batch,
                     ", and R <= the head size ", layout.headDim);

  inferred.push_back(input);
  return success();
}
