//===- FuseNorms.cpp - LayerNorm and RMSNorm from their primitives -------===//
//
// Exporters below opset 17 (and every exporter for RMSNorm) spell the norms
// out as ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add. The fusion is
// built from small confluent steps so that it reaches the same graph in any
// order:
//
//   x / sqrt(mean(x²) + ε)              -> rms_norm(x)      (also x·rsqrt(..),
//                                                            x·(1/sqrt(..)))
//   rms_norm(x - mean(x))               -> layer_norm(x)
//   (x - mean(x)) / sqrt(mean(x²) - mean(x)² + ε) -> layer_norm(x)
//   norm(x) · γ, layer_norm(x) + β      -> scale / bias operands
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSENORMSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::fusion;

namespace {

/// True when `axes` are the trailing dimensions of a rank-`rank` value.
bool areTrailingAxes(ArrayRef<int64_t> axes, int64_t rank) {
  int64_t count = axes.size();
  if (count == 0 || count > rank)
    return false;
  for (int64_t i = 0; i < count; ++i) {
    // Axis i is rank - count + i, or that minus rank when negative.
    int64_t expected = rank - count + i;
    if (axes[i] != expected && axes[i] != expected - rank)
      return false;
  }
  return true;
}

/// Trailing axes of a keepdims mean over `x`, normalized to be non-negative.
std::optional<SmallVector<int64_t>> getMeanAxes(ReduceMeanOp mean, Value x) {
  if (!mean || mean.getInput() != x || !mean.getKeepdims())
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  if (!areTrailingAxes(mean.getAxes(), rank))
    return std::nullopt;
  SmallVector<int64_t> axes;
  for (int64_t axis : mean.getAxes())
    axes.push_back(axis < 0 ? axis + rank : axis);
  return axes;
}

/// x / sqrt(mean(x²) + ε) in its exporter spellings -> rms_norm(x).
struct FuseRmsNorm : RewritePattern {
  FuseRmsNorm(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<DivOp, MulOp>(op))
      return failure();
    // The denominator: sqrt(a) divided by, or rsqrt(a) / 1/sqrt(a)
    // multiplied with.
    Value x, a;
    SmallVector<Operation *> chain;
    if (auto div = dyn_cast<DivOp>(op)) {
      auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
      if (!sqrt)
        return failure();
      x = div.getLhs();
      a = sqrt.getInput();
      chain.push_back(sqrt);
    } else {
      Value other;
      Value inv = matchEither(
          op,
          [&](Value v) {
            if (auto rsqrt = v.getDefiningOp<RsqrtOp>()) {
              a = rsqrt.getInput();
              chain = {rsqrt};
              return true;
            }
            auto reciprocal = v.getDefiningOp<DivOp>();
            if (!reciprocal || !isSplatFloat(reciprocal.getLhs(), 1.0))
              return false;
            auto sqrt = reciprocal.getRhs().getDefiningOp<SqrtOp>();
            if (!sqrt)
              return false;
            a = sqrt.getInput();
            chain = {reciprocal, sqrt};
            return true;
          },
          other);
      if (!inv)
        return failure();
      x = other;
    }
    // a = mean(x²) + ε.
    auto add = a.getDefiningOp<AddOp>();
    if (!add)
      return failure();
    Value epsValue;
    auto mean = matchOperand<ReduceMeanOp>(add, epsValue);
    std::optional<double> eps = getSplatFloat(epsValue);
    if (!mean || !eps || *eps < 0)
      return failure();
    Operation *square = mean.getInput().getDefiningOp();
    if (auto pow = dyn_cast_or_null<PowOp>(square)) {
      if (pow.getLhs() != x || !isSplatFloat(pow.getRhs(), 2.0))
        return failure();
    } else if (auto mul = dyn_cast_or_null<MulOp>(square)) {
      if (mul.getLhs() != x || mul.getRhs() != x)
        return failure();
    } else {
      return failure();
    }
    std::optional<SmallVector<int64_t>> axes =
        getMeanAxes(ReduceMeanOp(mean), mean.getInput());
    if (!axes || x.getType() != op->getResult(0).getType())
      return failure();
    // Every intermediate feeds only the next step.
    chain.append({add, mean, square});
    Operation *user = op;
    for (Operation *step : chain) {
      if (!isOnlyUsedBy(step->getResult(0), user))
        return failure();
      user = step;
    }
    rewriter.replaceOpWithNewOp<RmsNormOp>(op, x, /*residual=*/Value(),
                                           /*scale=*/Value(), *axes,
                                           APFloat(static_cast<float>(*eps)));
    return success();
  }
};

/// rms_norm(x - mean(x)) -> layer_norm(x).
struct LayerNormFromCenteredRms : OpRewritePattern<RmsNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RmsNormOp op,
                                PatternRewriter &rewriter) const override {
    auto sub = op.getInput().getDefiningOp<SubOp>();
    if (op.getResidual() || !sub || !isOnlyUsedBy(sub, op))
      return failure();
    auto mean = sub.getRhs().getDefiningOp<ReduceMeanOp>();
    Value x = sub.getLhs();
    std::optional<SmallVector<int64_t>> axes = getMeanAxes(mean, x);
    if (!axes || !isOnlyUsedBy(mean, sub) ||
        ArrayRef<int64_t>(*axes) != op.getAxes() ||
        x.getType() != op.getResult().getType())
      return failure();
    rewriter.replaceOpWithNewOp<LayerNormOp>(op, x, /*residual=*/Value(),
                                             op.getScale(), /*bias=*/Value(),
                                             op.getAxes(), op.getEpsilon());
    return success();
  }
};

/// True when `value` is `x · x` or `x ^ 2`.
bool isSquareOf(Value value, Value x) {
  if (auto mul = value.getDefiningOp<MulOp>())
    return mul.getLhs() == x && mul.getRhs() == x;
  auto pow = value.getDefiningOp<PowOp>();
  return pow && pow.getLhs() == x && isSplatFloat(pow.getRhs(), 2.0);
}

/// (x - mean(x)) / sqrt(mean(x²) - mean(x)² + ε) -> layer_norm(x): the
/// variance as E[x²] - E[x]², as ONNX's LayerNormalization function body
/// spells it (its `_expanded` node tests). The mean and the deviation may
/// have other users (the function's Mean and InvStdDev outputs): they stay
/// for them, as the LayerNormalization import computes them beside the
/// norm.
struct LayerNormFromMomentVariance : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp op,
                                PatternRewriter &rewriter) const override {
    auto centered = op.getLhs().getDefiningOp<SubOp>();
    auto sqrt = op.getRhs().getDefiningOp<SqrtOp>();
    if (!centered || !sqrt)
      return failure();
    Value x = centered.getLhs();
    auto mean = centered.getRhs().getDefiningOp<ReduceMeanOp>();
    std::optional<SmallVector<int64_t>> axes = getMeanAxes(mean, x);
    if (!axes || x.getType() != op.getType())
      return failure();
    // sqrt(mean(x²) - mean(x)² + ε), ε on either side.
    auto add = sqrt.getInput().getDefiningOp<AddOp>();
    if (!add)
      return failure();
    Value epsValue;
    auto variance = matchOperand<SubOp>(add, epsValue);
    std::optional<double> eps = getSplatFloat(epsValue);
    if (!variance || !eps || *eps < 0)
      return failure();
    auto meanOfSquares = variance.getLhs().getDefiningOp<ReduceMeanOp>();
    if (!meanOfSquares || !isSquareOf(variance.getRhs(), mean) ||
        !isSquareOf(meanOfSquares.getInput(), x))
      return failure();
    std::optional<SmallVector<int64_t>> squareAxes =
        getMeanAxes(meanOfSquares, meanOfSquares.getInput());
    if (!squareAxes || *squareAxes != *axes)
      return failure();
    rewriter.replaceOpWithNewOp<LayerNormOp>(
        op, x, /*residual=*/Value(), /*scale=*/Value(), /*bias=*/Value(), *axes,
        APFloat(static_cast<float>(*eps)));
    return success();
  }
};

/// The normalized shape of a norm over trailing `axes` of `input`.
ArrayRef<int64_t> getNormalizedShape(Value input, ArrayRef<int64_t> axes) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(input.getType()).getShape();
  return shape.take_back(axes.size());
}

/// `value` as a tensor of the normalized shape, if it broadcasts from it
/// (leading unit dimensions only).
Value asNormalizedOperand(PatternRewriter &rewriter, Location loc, Value value,
                          ArrayRef<int64_t> normalized, Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() != elementType ||
      dropLeadingOnes(type.getShape()) != dropLeadingOnes(normalized))
    return Value();
  if (type.getShape() == normalized)
    return value;
  return ReshapeOp::create(rewriter, loc, type.clone(normalized), value);
}

/// True when `value` is the normalized result of a norm (not the sum of a
/// norm with a residual).
bool isNormalized(Value value) {
  Operation *def = value.getDefiningOp();
  return isa_and_nonnull<LayerNormOp, RmsNormOp>(def) &&
         cast<OpResult>(value).getResultNumber() == 0;
}

/// norm(x) · γ -> norm(x) scale(γ).
struct AbsorbNormScale : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    Value gamma;
    Value norm = matchEither(
        op,
        [](Value v) {
          if (!isNormalized(v))
            return false;
          if (auto ln = v.getDefiningOp<LayerNormOp>())
            return !ln.getBias();
          return true;
        },
        gamma);
    if (!norm || !isOnlyUsedBy(norm, op) || op.getType() != norm.getType())
      return failure();
    Operation *normOp = norm.getDefiningOp();
    Value input = normOp->getOperand(0);
    ArrayRef<int64_t> axes = isa<LayerNormOp>(normOp)
                                 ? cast<LayerNormOp>(normOp).getAxes()
                                 : cast<RmsNormOp>(normOp).getAxes();
    Type elementType = op.getType().getElementType();
    Value scale =
        asNormalizedOperand(rewriter, op.getLoc(), gamma,
                            getNormalizedShape(input, axes), elementType);
    if (!scale)
      return failure();
    Value oldScale = isa<LayerNormOp>(normOp)
                         ? cast<LayerNormOp>(normOp).getScale()
                         : cast<RmsNormOp>(normOp).getScale();
    if (oldScale)
      scale = MulOp::create(rewriter, op.getLoc(), oldScale, scale);
    // The scale is made (or defined) before `op`, maybe after the norm:
    // the norm moves down to `op`, its only user.
    rewriter.moveOpBefore(normOp, op);
    rewriter.modifyOpInPlace(normOp, [&] {
      if (auto ln = dyn_cast<LayerNormOp>(normOp))
        ln.getScaleMutable().assign(scale);
      else
        cast<RmsNormOp>(normOp).getScaleMutable().assign(scale);
    });
    rewriter.replaceOp(op, norm);
    return success();
  }
};

/// layer_norm(x) + β -> layer_norm(x) bias(β).
struct AbsorbNormBias : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    Value beta;
    Value norm = matchEither(
        op,
        [](Value v) {
          auto ln = v.getDefiningOp<LayerNormOp>();
          return ln && isNormalized(v) && !ln.getBias();
        },
        beta);
    if (!norm || !isOnlyUsedBy(norm, op) || op.getType() != norm.getType())
      return failure();
    auto ln = norm.getDefiningOp<LayerNormOp>();
    Value bias =
        asNormalizedOperand(rewriter, op.getLoc(), beta,
                            getNormalizedShape(ln.getInput(), ln.getAxes()),
                            op.getType().getElementType());
    if (!bias)
      return failure();
    rewriter.moveOpBefore(ln, op);
    rewriter.modifyOpInPlace(ln, [&] { ln.getBiasMutable().assign(bias); });
    rewriter.replaceOp(op, norm);
    return success();
  }
};

struct FuseNormsPass : tfm::impl::FuseNormsPassBase<FuseNormsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseNormsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseNormsPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseRmsNorm, LayerNormFromCenteredRms,
               LayerNormFromMomentVariance, AbsorbNormScale, AbsorbNormBias>(
      patterns.getContext());
}
