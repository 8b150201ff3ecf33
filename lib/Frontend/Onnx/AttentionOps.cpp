//===- AttentionOps.cpp - attention and rotary embedding ------------------===//
//
// ONNX Attention-23 and RotaryEmbedding-23, and ONNX Runtime's Attention,
// MultiHeadAttention, GroupQueryAttention and RotaryEmbedding, all mapped
// onto tfm.attention and tfm.rope. Masks of every form these ops accept
// become one additive mask; KV caches given as inputs are concatenated in
// front of the new keys and values.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

namespace {

/// Attention operands in the split-head layout [B, H, S, D].
struct Heads {
  Value value;
  int64_t batch, heads, seq, dim;
};

} // namespace

/// [B, S, H*D] -> [B, H, S, D].
static Heads splitHeads(NodeImporter &n, Value packed, int64_t heads) {
  RankedTensorType type = NodeImporter::getType(packed);
  int64_t b = type.getDimSize(0), s = type.getDimSize(1),
          d = type.getDimSize(2) / heads;
  Value split = n.reshape(packed, {b, s, heads, d});
  return {n.transpose(split, {0, 2, 1, 3}), b, heads, s, d};
}

/// [B, H, S, D] -> [B, S, H*D].
static Value mergeHeads(NodeImporter &n, Value split) {
  if (!split)
    return split;
  RankedTensorType type = NodeImporter::getType(split);
  int64_t b = type.getDimSize(0), h = type.getDimSize(1),
          s = type.getDimSize(2), d = type.getDimSize(3);
  return n.reshape(n.transpose(split, {0, 2, 1, 3}), {b, s, h * d});
}

static Heads describeSplit(Value split) {
  RankedTensorType type = NodeImporter::getType(split);
  return {split, type.getDimSize(0), type.getDimSize(1), type.getDimSize(2),
          type.getDimSize(3)};
}

/// The optional `scale` attribute of the attention ops, or null.
static FloatAttr getScaleAttr(NodeImporter &n) {
  if (!n.hasAttr("scale"))
    return {};
  return n.b.getF32FloatAttr(n.floatAttr("scale", std::nullopt));
}

/// Sums two optional additive masks.
static Value addMasks(NodeImporter &n, Value a, Value b) {
  if (!a)
    return b;
  if (!b)
    return a;
  return n.create<AddOp>(a, b);
}

/// A constant [Sq, Skv] additive mask: 0 where `allowed(i, j)`, -inf else.
template <typename Allowed>
static Value constantMask(NodeImporter &n, Type elementType, int64_t sq,
                          int64_t skv, Allowed allowed) {
  SmallVector<Attribute> values;
  Attribute zero = n.b.getFloatAttr(elementType, 0.0);
  Attribute hidden = n.b.getFloatAttr(elementType, -INFINITY);
  for (int64_t i = 0; i < sq; ++i)
    for (int64_t j = 0; j < skv; ++j)
      values.push_back(allowed(i, j) ? zero : hidden);
  auto type = RankedTensorType::get({sq, skv}, elementType);
  return n.constant(DenseElementsAttr::get(type, values));
}

/// Turns a boolean mask (true = attend) into an additive one.
static Value boolToAdditive(NodeImporter &n, Value mask, Type elementType,
                            double hidden) {
  return n.create<WhereOp>(mask, n.scalar(elementType, 0.0),
                           n.scalar(elementType, hidden));
}

/// A key padding mask from per-sequence lengths `lengths` [B]: keys at or
/// beyond the length are hidden. Gives [B, 1, 1, Skv].
static Value lengthMask(NodeImporter &n, Value lengths, int64_t skv,
                        Type elementType, double hidden) {
  RankedTensorType type = NodeImporter::getType(lengths);
  int64_t batch = type.getDimSize(0);
  SmallVector<Attribute> positions;
  for (int64_t j = 0; j < skv; ++j)
    positions.push_back(n.b.getIntegerAttr(type.getElementType(), j));
  Value iota = n.constant(DenseElementsAttr::get(
      RankedTensorType::get({skv}, type.getElementType()), positions));
  Value keep = n.create<CompareOp>(ComparisonPredicate::lt, iota,
                                   n.reshape(lengths, {batch, 1}));
  return n.reshape(boolToAdditive(n, keep, elementType, hidden),
                   {batch, 1, 1, skv});
}

/// ONNX Runtime's 0/1 integer masks (1 = attend) to additive form, as
/// (1 - mask) * filter.
static Value binaryToAdditive(NodeImporter &n, Value mask, Type elementType,
                              double filter) {
  Value asFloat = n.cast(mask, elementType);
  Value inverted = n.create<SubOp>(n.scalar(elementType, 1.0), asFloat);
  return n.create<MulOp>(inverted, n.scalar(elementType, filter));
}

/// Gathers the rotary tables of `positions` from caches [max, R/2].
static std::pair<Value, Value> gatherRotary(NodeImporter &n, Value cos,
                                            Value sin, Value positions) {
  if (cos &&
      failed(n.checkConstantIndices(
          positions, NodeImporter::getType(cos).getDimSize(0), "position id")))
    return {};
  return {n.create<GatherOp>(cos, positions, int64_t(0)),
          n.create<GatherOp>(sin, positions, int64_t(0))};
}

/// Positions offset + [0, S) as an i64 constant.
static Value positionRange(NodeImporter &n, int64_t offset, int64_t seq) {
  SmallVector<int64_t> positions;
  for (int64_t i = 0; i < seq; ++i)
    positions.push_back(offset + i);
  return n.int64s(positions);
}

//===----------------------------------------------------------------------===//
// ONNX Attention-23
//===----------------------------------------------------------------------===//

/// Attention written out op by op, for the features tfm.attention does not
/// have: a softcap on the scores, and the scores as an output
/// (`qk_matmul_output`). Operands in the split layout; `mask` additive
/// (null: none), causal already folded into it. As ONNX Runtime computes
/// it: scores = (q k^T) * scale; capped = c * tanh(scores / c) with a
/// softcap c; biased = capped + mask; probs = softmax(biased), where a row
/// whose keys are all hidden gives zeros (not NaN); out = probs v. Key and
/// value heads repeat for grouped queries (each for its group of query
/// heads, in order). Returns the output and the scores at `qkMode` (0:
/// scaled product, 1: capped, 2: biased, 3: probabilities).
static std::pair<Value, Value>
writeOutAttention(NodeImporter &n, const Heads &q, const Heads &k,
                  const Heads &v, Value mask, FloatAttr scale, double softcap,
                  int64_t qkMode) {
  Type elementType = NodeImporter::getType(q.value).getElementType();
  auto repeatHeads = [&](const Heads &kv) {
    if (kv.heads == q.heads)
      return kv.value;
    int64_t group = q.heads / kv.heads;
    Value wide = n.reshape(kv.value, {kv.batch, kv.heads, 1, kv.seq, kv.dim});
    wide = n.expand(wide, {kv.batch, kv.heads, group, kv.seq, kv.dim});
    return n.reshape(wide, {kv.batch, q.heads, kv.seq, kv.dim});
  };
  Value keys = repeatHeads(k), values = repeatHeads(v);
  double factor = scale ? scale.getValueAsDouble()
                        : 1.0 / std::sqrt(static_cast<double>(q.dim));
  Value scores = n.create<MatmulOp>(q.value, n.transpose(keys, {0, 1, 3, 2}));
  scores = n.create<MulOp>(scores, n.scalar(elementType, factor));
  Value qk = scores;
  if (softcap > 0.0) {
    Value cap = n.scalar(elementType, softcap);
    scores =
        n.create<MulOp>(n.create<TanhOp>(n.create<DivOp>(scores, cap)), cap);
  }
  if (qkMode == 1)
    qk = scores;
  if (mask)
    scores = n.create<AddOp>(scores, mask);
  if (qkMode == 2)
    qk = scores;
  // A softmax whose fully hidden rows are zeros: the maximum of such a row
  // (-inf) is replaced by 0, so that every exponential is 0, and the sum
  // by 1.
  SmallVector<int64_t> lastAxis{3};
  Value maximum = n.create<ReduceMaxOp>(scores, lastAxis, /*keepdims=*/true);
  Value negInf = n.scalar(elementType, -INFINITY);
  Value zero = n.scalar(elementType, 0.0);
  Value hiddenRow =
      n.create<CompareOp>(ComparisonPredicate::eq, maximum, negInf);
  maximum = n.create<WhereOp>(hiddenRow, zero, maximum);
  Value exps = n.create<ExpOp>(n.create<SubOp>(scores, maximum));
  Value sum = n.create<ReduceSumOp>(exps, lastAxis, /*keepdims=*/true);
  Value emptyRow = n.create<CompareOp>(ComparisonPredicate::eq, sum, zero);
  sum = n.create<WhereOp>(emptyRow, n.scalar(elementType, 1.0), sum);
  Value probs = n.create<DivOp>(exps, sum);
  if (qkMode == 3)
    qk = probs;
  return {n.create<MatmulOp>(probs, values), qk};
}

static LogicalResult convertAttention(NodeImporter &n) {
  if (failed(n.expectArity(3, 7, 1, 4)))
    return failure();
  bool causal = n.intAttr("is_causal", 0) != 0;
  FloatAttr scale = getScaleAttr(n);
  double softcap = n.floatAttr("softcap", 0.0);
  int64_t qkMode = n.intAttr("qk_matmul_output_mode", 0);
  if (n.failed())
    return failure();
  if (softcap < 0.0 || std::isnan(softcap))
    return n.emitError() << "softcap is " << softcap
                         << "; it must be 0 (none) or positive";
  if (qkMode < 0 || qkMode > 3)
    return n.emitError() << "qk_matmul_output_mode is " << qkMode
                         << "; expected 0 to 3";
  if (n.hasInput(4) != n.hasInput(5))
    return n.emitError() << "past_key and past_value must be given together";
  // A softcap or the scores as an output: attention written out op by op.
  bool writeOut = softcap > 0.0 || n.hasOutput(3);

  Value q = n.input(0), k = n.input(1), v = n.input(2);
  RankedTensorType qType = NodeImporter::getType(q);
  Type elementType = qType.getElementType();
  int64_t rank = qType.getRank();
  if (rank != 3 && rank != 4)
    return n.emitError() << "Q must have rank 3 or 4, got " << qType;
  int64_t qHeads, kvHeads;
  if (rank == 3) {
    qHeads = n.intAttr("q_num_heads", std::nullopt);
    kvHeads = n.intAttr("kv_num_heads", std::nullopt);
    if (n.failed())
      return failure();
    if (qHeads <= 0 || kvHeads <= 0)
      return n.emitError() << "q_num_heads and kv_num_heads must be positive";
  } else {
    qHeads = qType.getDimSize(1);
    kvHeads = NodeImporter::getType(k).getDimSize(1);
  }

  // With a cache, or present outputs, work in the split layout.
  bool needSplit = rank == 4 || n.hasInput(4) || n.hasOutput(1) ||
                   n.hasOutput(2) || writeOut;
  Heads qs, ks, vs;
  if (rank == 3 && needSplit) {
    qs = splitHeads(n, q, qHeads);
    ks = splitHeads(n, k, kvHeads);
    vs = splitHeads(n, v, kvHeads);
  } else if (rank == 4) {
    qs = describeSplit(q);
    ks = describeSplit(k);
    vs = describeSplit(v);
  }
  int64_t past = 0;
  if (n.hasInput(4)) {
    past = NodeImporter::getType(n.input(4)).getDimSize(2);
    ks.value = n.create<ConcatOp>(ValueRange{n.input(4), ks.value}, int64_t(2));
    vs.value = n.create<ConcatOp>(ValueRange{n.input(5), vs.value}, int64_t(2));
    if (n.failed())
      return failure();
    ks.seq += past;
    vs.seq += past;
  }
  int64_t sq = needSplit ? qs.seq : qType.getDimSize(1);
  int64_t skv = needSplit ? ks.seq : NodeImporter::getType(k).getDimSize(1);

  Value mask;
  if (Value given = n.input(3)) {
    RankedTensorType maskType = NodeImporter::getType(given);
    bool isBool = maskType.getElementType().isInteger(1);
    // A mask shorter than the keys is padded with hidden columns.
    int64_t width = maskType.getDimSize(maskType.getRank() - 1);
    if (width < skv) {
      SmallVector<int64_t> padShape(maskType.getShape());
      padShape.back() = skv - width;
      Value pad = n.splat(maskType.clone(padShape), isBool ? 0.0 : -INFINITY);
      given = n.create<ConcatOp>(ValueRange{given, pad},
                                 int64_t(maskType.getRank() - 1));
    }
    mask = isBool ? boolToAdditive(n, given, elementType, -INFINITY) : given;
  }
  // Attention-24's nonpad_kv_seqlen [B]: the keys of batch b from its
  // length on are padding. Without a past cache, it also places the causal
  // diagonal of each batch at its length: query i sees key j <= i +
  // length - Sq (as ONNX's reference and ONNX Runtime compute it).
  Value lengths = n.input(6);
  bool lengthCausal = causal && lengths && past == 0;
  if (lengths) {
    RankedTensorType lengthsType = NodeImporter::getType(lengths);
    if (lengthsType.getRank() != 1 ||
        !lengthsType.getElementType().isInteger(64))
      return n.emitError() << "nonpad_kv_seqlen must be an int64 vector, got "
                           << lengthsType;
    if (ShapedType::isDynamic(skv))
      return n.emitError() << "nonpad_kv_seqlen with a run-time key length "
                              "is not supported";
    mask =
        addMasks(n, mask, lengthMask(n, lengths, skv, elementType, -INFINITY));
    if (lengthCausal) {
      if (ShapedType::isDynamic(sq))
        return n.emitError() << "nonpad_kv_seqlen with is_causal and a "
                                "run-time query length is not supported";
      int64_t batch = lengthsType.getDimSize(0);
      Value keys = n.positionsAlong(4, 3, skv);
      Value queries = n.positionsAlong(4, 2, sq);
      if (!keys || !queries)
        return failure();
      Value frontier = n.create<AddOp>(
          queries, n.reshape(n.create<SubOp>(
                                 lengths, n.scalar(lengthsType.getElementType(),
                                                   static_cast<double>(sq))),
                             {batch, 1, 1, 1}));
      Value keep = n.create<CompareOp>(ComparisonPredicate::le, keys, frontier);
      mask = addMasks(n, mask, boolToAdditive(n, keep, elementType, -INFINITY));
    }
    if (n.failed())
      return failure();
  }
  // Attention-23 aligns the causal diagonal at the top left unless a past
  // cache is given; tfm aligns it bottom right. They agree when Sq == Skv or
  // with the cache, else an explicit mask carries the ONNX rule.
  bool tfmCausal = causal && !lengthCausal && (sq == skv || past > 0);
  if (causal && !tfmCausal && !lengthCausal)
    mask = addMasks(n, mask,
                    constantMask(n, elementType, sq, skv,
                                 [](int64_t i, int64_t j) { return j <= i; }));

  Value out;
  if (writeOut) {
    if (ShapedType::isDynamic(sq) || ShapedType::isDynamic(skv))
      return n.emitError() << "softcap or qk_matmul_output with a run-time "
                              "sequence length is not supported";
    if (tfmCausal)
      mask = addMasks(
          n, mask,
          constantMask(n, elementType, sq, skv, [&](int64_t i, int64_t j) {
            return j <= i + (skv - sq);
          }));
    if (n.failed())
      return failure();
    Value qk;
    std::tie(out, qk) =
        writeOutAttention(n, qs, ks, vs, mask, scale, softcap, qkMode);
    if (rank == 3)
      out = mergeHeads(n, out);
    n.setOutput(3, qk);
  } else if (needSplit) {
    out = n.create<AttentionOp>(qs.value, ks.value, vs.value, MaybeValue{},
                                MaybeValue{}, MaybeValue{mask}, qHeads, kvHeads,
                                tfmCausal, scale);
    if (rank == 3)
      out = mergeHeads(n, out);
  } else {
    out = n.create<AttentionOp>(q, k, v, MaybeValue{}, MaybeValue{},
                                MaybeValue{mask}, qHeads, kvHeads, tfmCausal,
                                scale);
  }
  n.setOutput(0, out);
  n.setOutput(1, ks.value);
  n.setOutput(2, vs.value);
  return n.finish();
}

//===----------------------------------------------------------------------===//
// ONNX RotaryEmbedding-23 and com.microsoft.RotaryEmbedding
//===----------------------------------------------------------------------===//

/// Applies tfm.rope to `x` ([B, S, H*D] or [B, H, S, D]) with tables
/// [S, R/2] or [B, S, R/2].
static Value applyRope(NodeImporter &n, Value x, Value cos, Value sin,
                       int64_t numHeads, bool interleaved) {
  if (!x || !cos || !sin)
    return n.create<RopeOp>(x, cos, sin, IntegerAttr(), interleaved);
  IntegerAttr heads;
  if (NodeImporter::getType(x).getRank() == 3)
    heads = n.b.getI64IntegerAttr(numHeads);
  return n.create<RopeOp>(x, cos, sin, heads, interleaved);
}

/// Number of heads of a packed [B, S, H*D] input when the attribute is 0:
/// the head size follows from the cache when the whole head rotates.
static std::optional<int64_t> inferHeads(NodeImporter &n, Value x, Value cos,
                                         int64_t numHeads, int64_t rotaryDim) {
  RankedTensorType type = NodeImporter::getType(x);
  if (numHeads < 0) {
    n.emitError() << "num_heads is " << numHeads << "; it must be positive";
    return std::nullopt;
  }
  if (type.getRank() != 3 || numHeads > 0)
    return numHeads;
  if (rotaryDim > 0) {
    n.emitError() << "num_heads must be given with rotary_embedding_dim";
    return std::nullopt;
  }
  int64_t headDim = 2 * NodeImporter::getType(cos).getDimSize(
                            NodeImporter::getType(cos).getRank() - 1);
  if (headDim <= 0 || type.getDimSize(2) % headDim != 0) {
    n.emitError() << "cannot infer the number of heads of " << type;
    return std::nullopt;
  }
  return type.getDimSize(2) / headDim;
}

/// Checks rotary_embedding_dim, when given, against the head size and the
/// caches: an even number of at most the head size, twice the caches' last
/// dimension.
static LogicalResult checkRotaryDim(NodeImporter &n, Value x, Value cos,
                                    int64_t numHeads, int64_t rotaryDim) {
  RankedTensorType type = NodeImporter::getType(x);
  RankedTensorType cacheType = NodeImporter::getType(cos);
  int64_t half = cacheType.getDimSize(cacheType.getRank() - 1);
  int64_t headDim = type.getRank() == 4 ? type.getDimSize(3)
                    : numHeads > 0      ? type.getDimSize(2) / numHeads
                                        : ShapedType::kDynamic;
  if (type.getRank() == 3 && numHeads > 0 &&
      type.getDimSize(2) % numHeads != 0) {
    n.emitError() << "num_heads " << numHeads << " does not divide the hidden "
                  << "size " << type.getDimSize(2) << " of " << type;
    return failure();
  }
  if (rotaryDim < 0 || rotaryDim % 2 != 0) {
    n.emitError() << "rotary_embedding_dim " << rotaryDim
                  << " must be a non-negative even number";
    return failure();
  }
  int64_t rotated = rotaryDim > 0 ? rotaryDim : 2 * half;
  if (!ShapedType::isDynamic(headDim) && rotated > headDim) {
    n.emitError() << "rotates " << rotated << " elements of each head, more "
                  << "than the head size " << headDim;
    return failure();
  }
  if (rotaryDim > 0 && rotaryDim != 2 * half) {
    n.emitError() << "rotary_embedding_dim " << rotaryDim << " needs caches of "
                  << rotaryDim / 2 << " values per position; they hold "
                  << half;
    return failure();
  }
  return success();
}

static LogicalResult convertRotaryEmbedding(NodeImporter &n) {
  if (failed(n.expectArity(3, 4, 1, 1)))
    return failure();
  bool interleaved = n.intAttr("interleaved", 0) != 0;
  int64_t numHeads = n.intAttr("num_heads", 0);
  int64_t rotaryDim = n.intAttr("rotary_embedding_dim", 0);
  if (n.failed())
    return failure();
  Value x = n.input(0), cos = n.input(1), sin = n.input(2);
  if (Value positions = n.input(3))
    std::tie(cos, sin) = gatherRotary(n, cos, sin, positions);
  if (!cos)
    return failure();
  std::optional<int64_t> heads = inferHeads(n, x, cos, numHeads, rotaryDim);
  if (!heads || failed(checkRotaryDim(n, x, cos, *heads, rotaryDim)))
    return failure();
  n.setOutput(0, applyRope(n, x, cos, sin, *heads, interleaved));
  return n.finish();
}

static LogicalResult convertMicrosoftRotaryEmbedding(NodeImporter &n) {
  if (failed(n.expectArity(4, 4, 1, 1)))
    return failure();
  bool interleaved = n.intAttr("interleaved", 0) != 0;
  int64_t numHeads = n.intAttr("num_heads", 0);
  int64_t rotaryDim = n.intAttr("rotary_embedding_dim", 0);
  double scale = n.floatAttr("scale", 1.0);
  bool packed = n.intAttr("is_packed_batching", 0) != 0;
  if (n.failed())
    return failure();
  if (scale != 1.0 || packed)
    return n.emitError() << "scale and is_packed_batching are not supported";
  Value x = n.input(0), positions = n.input(1), cos = n.input(2),
        sin = n.input(3);
  RankedTensorType xType = NodeImporter::getType(x);
  int64_t seq = xType.getDimSize(xType.getRank() == 3 ? 1 : 2);
  // position_ids of shape [1] hold the offset of the first position.
  if (NodeImporter::getType(positions).getRank() == 1) {
    std::optional<double> offset = n.requireConstantScalar(1, "position_ids");
    if (!offset)
      return failure();
    positions = positionRange(n, static_cast<int64_t>(*offset), seq);
  }
  std::tie(cos, sin) = gatherRotary(n, cos, sin, positions);
  if (!cos)
    return failure();
  std::optional<int64_t> heads = inferHeads(n, x, cos, numHeads, rotaryDim);
  if (!heads || failed(checkRotaryDim(n, x, cos, *heads, rotaryDim)))
    return failure();
  n.setOutput(0, applyRope(n, x, cos, sin, *heads, interleaved));
  return n.finish();
}

//===----------------------------------------------------------------------===//
// com.microsoft.Attention
//===----------------------------------------------------------------------===//

/// ONNX Runtime's mask_index / key_padding_mask in all the forms tfm can
/// express, as an additive mask broadcastable to [B, H, Sq, Skv].
static Value importMaskIndex(NodeImporter &n, Value mask, int64_t batch,
                             int64_t sq, int64_t skv, Type elementType,
                             double filter) {
  RankedTensorType type = NodeImporter::getType(mask);
  ArrayRef<int64_t> shape = type.getShape();
  if (shape == ArrayRef<int64_t>{batch}) // Right padding: lengths.
    return lengthMask(n, mask, skv, elementType, filter);
  if (shape == ArrayRef<int64_t>{batch, skv}) // 0/1 per key.
    return n.reshape(binaryToAdditive(n, mask, elementType, filter),
                     {batch, 1, 1, skv});
  if (shape == ArrayRef<int64_t>{batch, sq, skv}) // 0/1 per query and key.
    return n.reshape(binaryToAdditive(n, mask, elementType, filter),
                     {batch, 1, sq, skv});
  if (type.getRank() == 4 && shape[0] == batch && shape[1] == 1 &&
      shape[2] >= sq && shape[3] >= skv) { // [B, 1, M, M], M the maximum.
    Value window =
        n.create<SliceOp>(mask, ArrayRef<int64_t>{0, 0, 0, 0},
                          ArrayRef<int64_t>{batch, 1, sq, skv},
                          ArrayRef<int64_t>{1, 1, 1, 1}, ValueRange());
    return binaryToAdditive(n, window, elementType, filter);
  }
  n.emitError() << "mask of type " << type
                << " is not supported (left padding and packed forms are not)";
  return {};
}

static LogicalResult convertMicrosoftAttention(NodeImporter &n) {
  if (failed(n.expectArity(2, 7, 1, 2)))
    return failure();
  int64_t heads = n.intAttr("num_heads", std::nullopt);
  bool unidirectional = n.intAttr("unidirectional", 0) != 0;
  double filter = n.floatAttr("mask_filter_value", -10000.0);
  FloatAttr scale = getScaleAttr(n);
  SmallVector<int64_t> qkvSizes = n.intsAttr("qkv_hidden_sizes",
                                             ArrayRef<int64_t>());
  bool rotary = n.intAttr("do_rotary", 0) != 0;
  if (n.failed())
    return failure();
  if (rotary)
    return n.emitError() << "do_rotary is not supported";
  if (n.hasInput(4) || n.hasInput(6))
    return n.emitError() << "past state (inputs #4 and #6) is not supported";
  n.rejectOutput(1, "present");

  Value input = n.input(0), weights = n.input(1);
  RankedTensorType inputType = NodeImporter::getType(input);
  RankedTensorType weightType = NodeImporter::getType(weights);
  Type elementType = inputType.getElementType();
  if (inputType.getRank() != 3 || weightType.getRank() != 2)
    return n.emitError() << "input must be [B, S, D] and weights 2-D, got "
                         << inputType << " and " << weightType;
  int64_t total = weightType.getDimSize(1);
  if (qkvSizes.empty())
    qkvSizes.assign(3, total / 3);
  if (qkvSizes.size() != 3 || qkvSizes[0] + qkvSizes[1] + qkvSizes[2] != total)
    return n.emitError() << "qkv_hidden_sizes must be three sizes summing to "
                         << total;
  Value qkv = n.create<MatmulOp>(input, weights);
  if (Value bias = n.input(2))
    qkv = n.create<AddOp>(qkv, bias);
  if (!qkv)
    return failure();
  int64_t batch = inputType.getDimSize(0), seq = inputType.getDimSize(1);
  SmallVector<Type> pieceTypes;
  for (int64_t size : qkvSizes)
    pieceTypes.push_back(RankedTensorType::get({batch, seq, size}, elementType));
  SmallVector<Value> qkvParts =
      n.finishResults(SplitOp::create(n.b, n.loc, pieceTypes, qkv, int64_t(2)));
  if (qkvParts.size() != 3)
    return failure();

  Value mask;
  if (Value index = n.input(3))
    mask = importMaskIndex(n, index, batch, seq, seq, elementType, filter);
  mask = addMasks(n, mask, n.input(5));
  n.setOutput(0, n.create<AttentionOp>(qkvParts[0], qkvParts[1], qkvParts[2],
                                       MaybeValue{}, MaybeValue{},
                                       MaybeValue{mask}, heads, heads,
                                       unidirectional, scale));
  return n.finish();
}

//===----------------------------------------------------------------------===//
// com.microsoft.MultiHeadAttention
//===----------------------------------------------------------------------===//

static LogicalResult convertMultiHeadAttention(NodeImporter &n) {
  if (failed(n.expectArity(1, 10, 1, 4)))
    return failure();
  int64_t heads = n.intAttr("num_heads", std::nullopt);
  bool unidirectional = n.intAttr("unidirectional", 0) != 0;
  double filter = n.floatAttr("mask_filter_value", -10000.0);
  FloatAttr scale = getScaleAttr(n);
  if (n.failed())
    return failure();
  if (!n.hasInput(1) || !n.hasInput(2))
    return n.emitError() << "packed QKV and packed KV forms (no key or value "
                            "input) are not supported";
  if (n.hasInput(8) || n.hasInput(9))
    return n.emitError() << "past_sequence_length and cache_indirection are "
                            "not supported";
  if (n.hasInput(6) != n.hasInput(7))
    return n.emitError() << "past_key and past_value must be given together";
  n.rejectOutput(3, "qk");

  Value q = n.input(0), k = n.input(1), v = n.input(2);
  RankedTensorType qType = NodeImporter::getType(q);
  Type elementType = qType.getElementType();
  bool keysSplit = NodeImporter::getType(k).getRank() == 4;
  if (qType.getRank() != 3)
    return n.emitError() << "query must be [B, S, D], got " << qType;
  if (Value bias = n.input(3)) {
    if (keysSplit)
      return n.emitError() << "bias with keys in [B, N, L, H] form is not "
                              "supported";
    int64_t dq = qType.getDimSize(2), dk = NodeImporter::getType(k).getDimSize(2),
            dv = NodeImporter::getType(v).getDimSize(2);
    q = n.create<AddOp>(q, n.sliceAxis(bias, 0, 0, dq));
    k = n.create<AddOp>(k, n.sliceAxis(bias, 0, dq, dk));
    v = n.create<AddOp>(v, n.sliceAxis(bias, 0, dq + dk, dv));
    if (n.failed())
      return failure();
  }

  bool split = keysSplit || n.hasInput(6) || n.hasOutput(1) || n.hasOutput(2);
  Heads qs = split ? splitHeads(n, q, heads) : Heads{q, 0, 0, 0, 0};
  Heads ks = keysSplit ? describeSplit(k)
                       : (split ? splitHeads(n, k, heads) : Heads{k, 0, 0, 0, 0});
  Heads vs = keysSplit ? describeSplit(v)
                       : (split ? splitHeads(n, v, heads) : Heads{v, 0, 0, 0, 0});
  if (n.hasInput(6)) {
    ks.value = n.create<ConcatOp>(ValueRange{n.input(6), ks.value}, int64_t(2));
    vs.value = n.create<ConcatOp>(ValueRange{n.input(7), vs.value}, int64_t(2));
  }
  if (n.failed())
    return failure();
  int64_t sq = qType.getDimSize(1);
  int64_t skv = split ? NodeImporter::getType(ks.value).getDimSize(2)
                      : NodeImporter::getType(k).getDimSize(1);

  Value mask;
  if (Value padding = n.input(4))
    mask = importMaskIndex(n, padding, qType.getDimSize(0), sq, skv,
                           elementType, filter);
  mask = addMasks(n, mask, n.input(5));
  Value out = n.create<AttentionOp>(qs.value, ks.value, vs.value, MaybeValue{},
                                    MaybeValue{}, MaybeValue{mask}, heads,
                                    heads, unidirectional, scale);
  n.setOutput(0, split ? mergeHeads(n, out) : out);
  n.setOutput(1, ks.value);
  n.setOutput(2, vs.value);
  return n.finish();
}

//===----------------------------------------------------------------------===//
// com.microsoft.GroupQueryAttention
//===----------------------------------------------------------------------===//

static LogicalResult convertGroupQueryAttention(NodeImporter &n) {
  if (failed(n.expectArity(1, 16, 1, 4)))
    return failure();
  if (!n.hasInput(5) || !n.hasInput(6))
    return n.emitError() << "inputs #5 (seqlens_k) and #6 "
                            "(total_sequence_length) are required";
  int64_t heads = n.intAttr("num_heads", std::nullopt);
  int64_t kvHeads = n.intAttr("kv_num_heads", std::nullopt);
  bool causal = n.intAttr("causal", 1) != 0;
  int64_t window = n.intAttr("local_window_size", -1);
  bool rotary = n.intAttr("do_rotary", 0) != 0;
  bool interleaved = n.intAttr("rotary_interleaved", 0) != 0;
  double softcap = n.floatAttr("softcap", 0.0);
  bool smooth = n.intAttr("smooth_softmax", 0) != 0;
  FloatAttr scale = getScaleAttr(n);
  if (n.failed())
    return failure();
  if (softcap != 0.0 || smooth)
    return n.emitError() << "softcap and smooth_softmax are not supported";
  for (unsigned i = 11; i < n.numInputs(); ++i)
    if (n.hasInput(i))
      return n.emitError() << "input #" << i
                           << " (head_sink, KV-cache quantization or QK norm)"
                              " is not supported";
  if (n.hasInput(3) != n.hasInput(4))
    return n.emitError() << "past_key and past_value must be given together";
  n.rejectOutput(3, "output_qk");

  Value q = n.input(0), k = n.input(1), v = n.input(2);
  RankedTensorType qType = NodeImporter::getType(q);
  Type elementType = qType.getElementType();
  if (qType.getRank() != 3)
    return n.emitError() << "query must be [B, S, D], got " << qType;
  int64_t seq = qType.getDimSize(1);
  if (!k) {
    // Packed QKV: [B, S, (N + 2 * Nkv) * H].
    int64_t headDim = qType.getDimSize(2) / (heads + 2 * kvHeads);
    q = n.sliceAxis(n.input(0), 2, 0, heads * headDim);
    k = n.sliceAxis(n.input(0), 2, heads * headDim, kvHeads * headDim);
    v = n.sliceAxis(n.input(0), 2, (heads + kvHeads) * headDim,
                    kvHeads * headDim);
  }
  if (!k || !v)
    return failure();
  int64_t past =
      n.hasInput(3) ? NodeImporter::getType(n.input(3)).getDimSize(2) : 0;

  if (rotary) {
    if (!n.hasInput(7) || !n.hasInput(8))
      return n.emitError() << "do_rotary needs cos_cache and sin_cache";
    Value positions = n.input(9);
    if (!positions)
      positions = positionRange(n, past, seq);
    auto [cos, sin] = gatherRotary(n, n.input(7), n.input(8), positions);
    q = applyRope(n, q, cos, sin, heads, interleaved);
    k = applyRope(n, k, cos, sin, kvHeads, interleaved);
  }

  bool split = past > 0 || n.hasOutput(1) || n.hasOutput(2);
  Value qa = q, ka = k, va = v;
  if (split) {
    qa = splitHeads(n, q, heads).value;
    ka = splitHeads(n, k, kvHeads).value;
    va = splitHeads(n, v, kvHeads).value;
    if (past > 0) {
      ka = n.create<ConcatOp>(ValueRange{n.input(3), ka}, int64_t(2));
      va = n.create<ConcatOp>(ValueRange{n.input(4), va}, int64_t(2));
    }
  }
  if (n.failed())
    return failure();
  int64_t skv = past + NodeImporter::getType(k).getDimSize(1);

  // seqlens_k holds each sequence's total length - 1: later keys are padding.
  Value mask;
  Value seqlens = n.input(5);
  DenseElementsAttr known = n.constantInput(5);
  bool full = known && llvm::all_of(known.getValues<APInt>(), [&](APInt l) {
                return l.getSExtValue() == skv - 1;
              });
  if (!full) {
    Value lengths = n.create<AddOp>(
        seqlens, n.scalar(NodeImporter::getType(seqlens).getElementType(), 1));
    mask = lengthMask(n, lengths, skv, elementType, -INFINITY);
  }
  if (window > 0)
    mask = addMasks(n, mask,
                    constantMask(n, elementType, seq, skv,
                                 [&](int64_t i, int64_t j) {
                                   return j > i + past - window;
                                 }));
  mask = addMasks(n, mask, n.input(10));
  Value out =
      n.create<AttentionOp>(qa, ka, va, MaybeValue{}, MaybeValue{},
                            MaybeValue{mask}, heads, kvHeads, causal, scale);
  n.setOutput(0, split ? mergeHeads(n, out) : out);
  n.setOutput(1, ka);
  n.setOutput(2, va);
  return n.finish();
}

void mlir::tfm::onnx_import::populateAttentionConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Attention", 23, convertAttention);
  r.add(onnx, "RotaryEmbedding", 23, convertRotaryEmbedding);

  StringRef ms = kMicrosoftDomain;
  r.add(ms, "Attention", 1, convertMicrosoftAttention);
  r.add(ms, "MultiHeadAttention", 1, convertMultiHeadAttention);
  r.add(ms, "GroupQueryAttention", 1, convertGroupQueryAttention);
  r.add(ms, "RotaryEmbedding", 1, convertMicrosoftRotaryEmbedding);
}
