//===- FuseAttention.cpp - scaled dot-product attention from primitives --===//
//
//   softmax(mask(scale · Q·Kᵀ)) · V  -> attention(Q, K, V)
//
// anchored at the product with V. The scale may be a Mul or Div on the
// scores, on Q or on Kᵀ (several multiply); the mask an additive tensor, a
// Where with a fill value, or both. A constant mask that hides exactly the
// keys after each query's diagonal becomes the `causal` flag. Keys and
// values repeated for grouped-query heads (reshape/expand/reshape) are read
// at their own head count. Then the head plumbing goes:
//
//   attention(heads(q), heads(k), heads(v)) with its result merged back
//     -> attention(q, k, v) on packed [B, S, H·D] tensors
//
// where heads(x) = transpose(reshape(x, [B, S, H, D]), [0, 2, 1, 3]), and a
// rope between the split and the attention moves before the split.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Dialect/Tfm/ShapeUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSEATTENTIONPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::fusion;

namespace {

/// Below this a masked score counts as hidden (-inf, finfo.min, -1e4, ...).
constexpr double kHiddenScore = -1e4;

/// What lies between Q·Kᵀ and the softmax.
struct ScoreChain {
  MatmulOp product;
  double scale = 1.0;
  Value mask;      // additive
  Value whereCond; // Where(cond, scores, fill), or with `whereHidesTrue`
  Value whereFill; // Where(cond, fill, scores) (masked_fill's spelling)
  bool whereHidesTrue = false;
};

/// Peels scalar Mul/Div off `value` (each only used by `user`), multiplying
/// `scale`; returns the value underneath.
Value peelScale(Value value, Operation *user, double &scale) {
  while (true) {
    Operation *def = value.getDefiningOp();
    if (!def || !isOnlyUsedBy(value, user))
      return value;
    if (auto div = dyn_cast<DivOp>(def)) {
      std::optional<double> c = getSplatFloat(div.getRhs());
      if (!c || *c == 0 || getSplatFloat(div.getLhs()))
        return value;
      scale /= *c;
      value = div.getLhs();
    } else if (auto mul = dyn_cast<MulOp>(def)) {
      Value c;
      Value x = matchEither(
          mul, [](Value v) { return !getSplatFloat(v).has_value(); }, c);
      std::optional<double> factor = getSplatFloat(c);
      if (!x || !factor)
        return value;
      scale *= *factor;
      value = x;
    } else {
      return value;
    }
    user = def;
  }
}

/// True when `value` leads through scales, masks to a rank-4 matmul.
bool leadsToProduct(Value value) {
  for (int depth = 0; depth < 8; ++depth) {
    Operation *def = value.getDefiningOp();
    if (auto matmul = dyn_cast_or_null<MatmulOp>(def))
      return matmul.getType().getRank() == 4;
    if (isa_and_nonnull<MulOp, DivOp>(def)) {
      double unused = 1;
      Value next = peelScale(value, *value.getUsers().begin(), unused);
      if (next == value)
        return false;
      value = next;
    } else if (auto where = dyn_cast_or_null<WhereOp>(def)) {
      value = getSplatFloat(where.getTrueValue()) ? where.getFalseValue()
                                                  : where.getTrueValue();
    } else if (auto add = dyn_cast_or_null<AddOp>(def)) {
      return leadsToProduct(add.getLhs()) || leadsToProduct(add.getRhs());
    } else {
      return false;
    }
  }
  return false;
}

/// Walks from the softmax input down to Q·Kᵀ.
bool matchScoreChain(Value value, Operation *user, ScoreChain &chain) {
  for (int depth = 0; depth < 8; ++depth) {
    if (!isOnlyUsedBy(value, user))
      return false;
    Operation *def = value.getDefiningOp();
    if (auto matmul = dyn_cast_or_null<MatmulOp>(def)) {
      if (matmul.getType().getRank() != 4)
        return false;
      chain.product = matmul;
      return true;
    }
    if (isa_and_nonnull<MulOp, DivOp>(def)) {
      Value next = peelScale(value, user, chain.scale);
      if (next == value)
        return false;
      // peelScale checked the uses along the way.
      user = next.hasOneUse() ? *next.getUsers().begin() : nullptr;
      value = next;
      if (!user)
        return false;
      continue;
    }
    if (auto add = dyn_cast_or_null<AddOp>(def)) {
      if (chain.mask)
        return false;
      bool lhsScores = leadsToProduct(add.getLhs());
      bool rhsScores = leadsToProduct(add.getRhs());
      if (lhsScores == rhsScores)
        return false;
      chain.mask = lhsScores ? add.getRhs() : add.getLhs();
      value = lhsScores ? add.getLhs() : add.getRhs();
      user = add;
      continue;
    }
    if (auto where = dyn_cast_or_null<WhereOp>(def)) {
      if (chain.whereCond)
        return false;
      // Where(keep, scores, fill), or Where(hide, fill, scores).
      chain.whereHidesTrue = getSplatFloat(where.getTrueValue()).has_value();
      if (!chain.whereHidesTrue && !getSplatFloat(where.getFalseValue()))
        return false;
      chain.whereCond = where.getCondition();
      chain.whereFill =
          chain.whereHidesTrue ? where.getTrueValue() : where.getFalseValue();
      value =
          chain.whereHidesTrue ? where.getFalseValue() : where.getTrueValue();
      user = where;
      continue;
    }
    return false;
  }
  return false;
}

/// True when `shape` broadcasts to [B, H, Sq, Skv] with only unit leading
/// dimensions beyond the last two, which are exactly [Sq, Skv].
bool isSquareMaskShape(ArrayRef<int64_t> shape, int64_t sq, int64_t skv) {
  if (shape.size() < 2 || shape.take_back(2) != ArrayRef<int64_t>{sq, skv})
    return false;
  return llvm::all_of(shape.drop_back(2), [](int64_t d) { return d == 1; });
}

/// True when `visible(i, j)` holds exactly for j <= i + (Skv - Sq).
bool isCausalPattern(int64_t sq, int64_t skv,
                     function_ref<bool(int64_t, int64_t)> visible) {
  int64_t offset = skv - sq;
  for (int64_t i = 0; i < sq; ++i)
    for (int64_t j = 0; j < skv; ++j)
      if (visible(i, j) != (j <= i + offset))
        return false;
  return true;
}

/// Whether `keys` is `queries` + `offset` (the same value for 0).
bool isOffsetLength(Value keys, Value queries, int64_t offset) {
  if (offset == 0)
    return keys == queries;
  auto add = keys.getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  for (auto [a, b] : {std::pair(add.getLhs(), add.getRhs()),
                      std::pair(add.getRhs(), add.getLhs())})
    if (a == queries && getConstantIntValue(b) == offset)
      return true;
  return false;
}

/// For a mask over run-time query and key counts cut from the origin of a
/// constant [R, R + P] mask (`tfm.slice` whose last two limits are L and
/// L + P at run time, as the importer gives a causal mask that the exporter
/// computed from the sequence length, P the cache rows): the constant, with
/// `sq` and `skv` set to its size. The [L, L + P] prefix of a causal
/// [R, R + P] mask is causal (key j visible to query i iff j <= i + P in
/// both). Null otherwise.
Value getCausalCutSource(Value mask, int64_t &sq, int64_t &skv) {
  auto slice = mask.getDefiningOp<SliceOp>();
  if (!slice || !ShapedType::isDynamic(sq) || !ShapedType::isDynamic(skv))
    return Value();
  ArrayRef<int64_t> limits = slice.getLimits();
  int64_t rank = limits.size();
  OperandRange lengths = slice.getDynamicLimits();
  RankedTensorType type = cast<RankedTensorType>(slice.getInput().getType());
  if (rank < 2 || lengths.size() != 2 || !type.hasStaticShape() ||
      !ShapedType::isDynamic(limits[rank - 1]) ||
      !ShapedType::isDynamic(limits[rank - 2]) ||
      !isOffsetLength(lengths[1], lengths[0],
                      type.getDimSize(rank - 1) - type.getDimSize(rank - 2)) ||
      llvm::any_of(slice.getStarts(), [](int64_t v) { return v != 0; }) ||
      llvm::any_of(slice.getStrides(), [](int64_t v) { return v != 1; }))
    return Value();
  sq = type.getDimSize(rank - 2);
  skv = type.getDimSize(rank - 1);
  return slice.getInput();
}

/// True when the additive constant `mask` is 0 on and below the causal
/// diagonal and hidden above it.
bool isCausalAdditiveMask(Value mask, int64_t sq, int64_t skv) {
  if (Value source = getCausalCutSource(mask, sq, skv))
    mask = source;
  DenseElementsAttr attr;
  if (!matchPattern(mask, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()) ||
      !isSquareMaskShape(attr.getType().getShape(), sq, skv) || sq < 2)
    return false;
  SmallVector<double> values;
  for (APFloat v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  bool valid = true;
  bool causal = isCausalPattern(sq, skv, [&](int64_t i, int64_t j) {
    double v = values[i * skv + j];
    if (v != 0 && v > kHiddenScore)
      valid = false;
    return v == 0;
  });
  return causal && valid;
}

/// True when the boolean constant `cond` is true exactly on and below the
/// causal diagonal (`hidesTrue`: exactly above it, as a masked_fill
/// condition).
bool isCausalCondition(Value cond, int64_t sq, int64_t skv,
                       bool hidesTrue = false) {
  if (Value source = getCausalCutSource(cond, sq, skv))
    cond = source;
  DenseElementsAttr attr;
  if (!matchPattern(cond, m_Constant(&attr)) ||
      !attr.getElementType().isInteger(1) ||
      !isSquareMaskShape(attr.getType().getShape(), sq, skv) || sq < 2)
    return false;
  SmallVector<bool> values(attr.getValues<bool>());
  return isCausalPattern(sq, skv, [&](int64_t i, int64_t j) {
    return values[i * skv + j] != hidesTrue;
  });
}

/// For a condition that combines a padding mask with a causal one (keep
/// where `and(pad, causal)`; with `hidesTrue`, hide where
/// `or(pad, anticausal)`): the other operand, which the causal flag leaves
/// to hide. Null otherwise. (A row whose every causally visible key is
/// padding then averages those keys, not every key.)
Value splitCausalOperand(Value cond, int64_t sq, int64_t skv, bool hidesTrue) {
  Operation *def = cond.getDefiningOp();
  if (!def || (hidesTrue ? !isa<OrOp>(def) : !isa<AndOp>(def)))
    return Value();
  for (unsigned i = 0; i < 2; ++i)
    if (isCausalCondition(def->getOperand(i), sq, skv, hidesTrue))
      return def->getOperand(1 - i);
  return Value();
}

/// An additive mask `where(cond, 0, fill)` (or `where(cond, fill, 0)`,
/// cond hiding) with a fill that hides: its condition, fill and sense.
struct SelectMask {
  Value cond, fill;
  bool hidesTrue;
};
std::optional<SelectMask> matchSelectMask(Value mask) {
  auto where = mask.getDefiningOp<WhereOp>();
  if (!where)
    return std::nullopt;
  std::optional<double> t = getSplatFloat(where.getTrueValue());
  std::optional<double> f = getSplatFloat(where.getFalseValue());
  if (t && f && *t == 0 && *f <= kHiddenScore)
    return SelectMask{where.getCondition(), where.getFalseValue(), false};
  if (t && f && *f == 0 && *t <= kHiddenScore)
    return SelectMask{where.getCondition(), where.getTrueValue(), true};
  return std::nullopt;
}

/// where(cond, 0, fill), or where(cond, fill, 0) when `hidesTrue`: the
/// additive mask of a condition.
Value createSelectMask(PatternRewriter &rewriter, Location loc, Value cond,
                       Value fill, bool hidesTrue) {
  Value zero =
      createSplat(rewriter, loc, cast<RankedTensorType>(fill.getType()), 0.0);
  return hidesTrue ? WhereOp::create(rewriter, loc, cond, fill, zero)
                   : WhereOp::create(rewriter, loc, cond, zero, fill);
}

/// True when `mask` is a tensor of `elementType` that broadcasts to the
/// `scores` shape [B, H, Sq, Skv] (its dynamic dimensions those of a
/// run-time sequence).
bool isMaskFor(Value mask, ArrayRef<int64_t> scores, Type elementType) {
  auto type = cast<RankedTensorType>(mask.getType());
  return type.getElementType() == elementType &&
         broadcastsTo(type.getShape(), scores);
}

/// [B, H, S, D] keys or values repeated from [B, Hkv, S, D] for grouped
/// heads: reshape(expand(reshape(x, [B, Hkv, 1, S, D]))). Returns x, or
/// `value` itself.
Value stripRepeatedHeads(Value value) {
  auto outer = value.getDefiningOp<ReshapeOp>();
  if (!outer)
    return value;
  auto expand = outer.getInput().getDefiningOp<ExpandOp>();
  if (!expand)
    return value;
  auto inner = expand.getInput().getDefiningOp<ReshapeOp>();
  if (!inner)
    return value;
  auto source = cast<RankedTensorType>(inner.getInput().getType());
  auto grouped = cast<RankedTensorType>(inner.getType());
  auto expanded = cast<RankedTensorType>(expand.getType());
  auto result = cast<RankedTensorType>(value.getType());
  if (source.getRank() != 4 || grouped.getRank() != 5)
    return value;
  int64_t b = source.getDimSize(0), hkv = source.getDimSize(1),
          s = source.getDimSize(2), d = source.getDimSize(3);
  int64_t rep = expanded.getDimSize(2);
  if (grouped.getShape() != ArrayRef<int64_t>{b, hkv, 1, s, d} ||
      expanded.getShape() != ArrayRef<int64_t>{b, hkv, rep, s, d} ||
      result.getShape() != ArrayRef<int64_t>{b, hkv * rep, s, d})
    return value;
  return inner.getInput();
}

struct FuseScaledDotProductAttention : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (resultType.getRank() != 4)
      return failure();
    auto softmax = op.getLhs().getDefiningOp<SoftmaxOp>();
    if (!softmax || !isOnlyUsedBy(softmax, op))
      return failure();
    int64_t axis = softmax.getAxis();
    if (axis != 3 && axis != -1)
      return failure();
    ScoreChain chain;
    if (!matchScoreChain(softmax.getInput(), softmax, chain))
      return failure();
    // Scales on Q and on Kᵀ.
    Value q = peelScale(chain.product.getLhs(), chain.product, chain.scale);
    Value kt = peelScale(chain.product.getRhs(), chain.product, chain.scale);
    auto qType = cast<RankedTensorType>(q.getType());
    auto ktType = cast<RankedTensorType>(kt.getType());
    // Kᵀ as the transpose of a [B, Hkv, S, D] key, if it is one.
    Value key;
    if (auto transpose = kt.getDefiningOp<TransposeOp>())
      if (transpose.getPerm() == ArrayRef<int64_t>{0, 1, 3, 2})
        key = transpose.getInput();
    Value value = stripRepeatedHeads(op.getRhs());
    if (key)
      key = stripRepeatedHeads(key);
    auto vType = cast<RankedTensorType>(value.getType());
    if (qType.getRank() != 4 || ktType.getRank() != 4 || vType.getRank() != 4)
      return failure();
    int64_t b = qType.getDimSize(0), h = qType.getDimSize(1),
            sq = qType.getDimSize(2), d = qType.getDimSize(3);
    int64_t hkv = key ? cast<RankedTensorType>(key.getType()).getDimSize(1)
                      : ktType.getDimSize(1);
    int64_t skv = ktType.getDimSize(3);
    // The query and key counts may be dynamic (a run-time sequence length);
    // the batch, heads and head size are static.
    if (llvm::any_of(ArrayRef<int64_t>{b, h, d, hkv}, ShapedType::isDynamic) ||
        ktType.getDimSize(0) != b || ktType.getDimSize(2) != d ||
        vType.getDimSize(0) != b || vType.getDimSize(1) != hkv ||
        vType.getDimSize(2) != skv || hkv <= 0 || h % hkv != 0 ||
        qType.getElementType() != ktType.getElementType() ||
        vType.getElementType() != qType.getElementType())
      return failure();
    Type elementType = qType.getElementType();
    SmallVector<int64_t> scores = {b, h, sq, skv};
    bool causal = false;
    Value mask = chain.mask;
    // An additive mask of where(and(pad, causal), 0, fill): the causal flag
    // and where(pad, 0, fill), made below.
    std::optional<SelectMask> maskSplit;
    Value maskRest;
    if (mask && isCausalAdditiveMask(mask, sq, skv)) {
      causal = true;
      mask = Value();
    } else if (mask && (maskSplit = matchSelectMask(mask)) &&
               (maskRest = splitCausalOperand(maskSplit->cond, sq, skv,
                                              maskSplit->hidesTrue))) {
      causal = true;
    }
    if (mask && !isMaskFor(mask, scores, elementType))
      return failure();
    bool whereCausal = false;
    Value whereRest; // the condition left beside a causal one
    if (chain.whereCond) {
      // Only a fill that hides the score becomes an additive mask.
      std::optional<double> fill = getSplatFloat(chain.whereFill);
      if (*fill > kHiddenScore)
        return failure();
      bool hides = !causal;
      whereCausal = hides && isCausalCondition(chain.whereCond, sq, skv,
                                               chain.whereHidesTrue);
      if (hides && !whereCausal)
        whereRest =
            splitCausalOperand(chain.whereCond, sq, skv, chain.whereHidesTrue);
      if (!whereCausal && !isMaskFor(whereRest ? whereRest : chain.whereCond,
                                     scores, rewriter.getI1Type()))
        return failure();
      if (cast<RankedTensorType>(chain.whereFill.getType()).getElementType() !=
          elementType)
        return failure();
    }

    // Rewrite.
    Location loc = op.getLoc();
    if (!key)
      key = transposeLastTwo(rewriter, loc, kt);
    if (maskRest)
      mask = createSelectMask(rewriter, loc, maskRest, maskSplit->fill,
                              maskSplit->hidesTrue);
    if (chain.whereCond) {
      if (whereCausal) {
        causal = true;
      } else {
        // where(c, s, fill) == s + where(c, 0, fill) after the softmax
        // (where(c, fill, s) == s + where(c, fill, 0)); with a causal
        // operand split off, the flag and the rest.
        causal |= static_cast<bool>(whereRest);
        Value extra = createSelectMask(rewriter, loc,
                                       whereRest ? whereRest : chain.whereCond,
                                       chain.whereFill, chain.whereHidesTrue);
        mask = mask ? AddOp::create(rewriter, loc, mask, extra).getResult()
                    : extra;
      }
    }
    auto attention = AttentionOp::create(
        rewriter, loc, q, key, value, /*past_key=*/Value(),
        /*past_value=*/Value(), mask, h, hkv, causal,
        rewriter.getF32FloatAttr(static_cast<float>(chain.scale)));
    if (attention.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "unexpected attention type");
    rewriter.replaceOp(op, attention);
    return success();
  }
};

/// x [B, S, H·D] if `value` is heads(x) = transpose(reshape(x, [B, S, H, D]),
/// [0, 2, 1, 3]).
Value getPackedHeads(Value value) {
  auto transpose = value.getDefiningOp<TransposeOp>();
  if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{0, 2, 1, 3})
    return Value();
  auto reshape = transpose.getInput().getDefiningOp<ReshapeOp>();
  if (!reshape)
    return Value();
  auto packed = cast<RankedTensorType>(reshape.getInput().getType());
  ArrayRef<int64_t> split = reshape.getType().getShape();
  if (packed.getRank() != 3 || packed.getDimSize(0) != split[0] ||
      packed.getDimSize(1) != split[1] ||
      packed.getDimSize(2) != split[2] * split[3])
    return Value();
  return reshape.getInput();
}

/// Attention on split heads whose inputs come from packed tensors and whose
/// result is packed again -> attention on the packed tensors.
struct PackAttentionHeads : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    // A cache stays in its [B, H, P, D] layout.
    if (op.getType().getRank() != 4 || !op->hasOneUse() || op.getPastKey())
      return failure();
    Value q = getPackedHeads(op.getQuery());
    Value k = getPackedHeads(op.getKey());
    Value v = getPackedHeads(op.getValue());
    if (!q || !k || !v)
      return failure();
    auto transpose = dyn_cast<TransposeOp>(*op->getUsers().begin());
    if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{0, 2, 1, 3} ||
        !transpose->hasOneUse())
      return failure();
    auto reshape = dyn_cast<ReshapeOp>(*transpose->getUsers().begin());
    auto splitType = cast<RankedTensorType>(transpose.getType());
    if (!reshape || reshape.getType().getRank() != 3 ||
        reshape.getType().getDimSize(2) !=
            splitType.getDimSize(2) * splitType.getDimSize(3))
      return failure();
    auto packed = AttentionOp::create(
        rewriter, op.getLoc(), q, k, v, /*past_key=*/Value(),
        /*past_value=*/Value(), op.getMask(), op.getNumHeads(),
        op.getNumKvHeads(), op.getCausal(), op.getScaleAttr());
    if (packed.getType() != reshape.getType())
      return failure();
    rewriter.replaceOp(reshape, packed);
    return success();
  }
};

/// rope(heads(x)) -> heads(rope(x) with the head count), so that the
/// attention after it can read packed heads.
struct MoveRopeBeforeHeadSplit : OpRewritePattern<RopeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RopeOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getType().getRank() != 4)
      return failure();
    Value packed = getPackedHeads(op.getInput());
    if (!packed)
      return failure();
    auto transpose = op.getInput().getDefiningOp<TransposeOp>();
    auto reshape = transpose.getInput().getDefiningOp<ReshapeOp>();
    int64_t heads = op.getType().getDimSize(1);
    Location loc = op.getLoc();
    Value rotated =
        RopeOp::create(rewriter, loc, packed, op.getCos(), op.getSin(),
                       rewriter.getI64IntegerAttr(heads), op.getInterleaved());
    Value split = ReshapeOp::create(rewriter, loc, reshape.getType(), rotated);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, split, transpose.getPerm());
    return success();
  }
};

struct FuseAttentionPass : tfm::impl::FuseAttentionPassBase<FuseAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseAttentionPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseScaledDotProductAttention, PackAttentionHeads,
               MoveRopeBeforeHeadSplit>(patterns.getContext());
}
