//===- FuseActivations.cpp - GELU and SiLU from their primitives ---------===//
//
//   0.5 · x · (1 + erf(x / √2))                         -> gelu(x)
//   0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))  -> gelu(x) tanh
//   x · sigmoid(x)                                      -> silu(x)
//
// with `x / √2` or `x · (1/√2)`, `x³` as Pow or two Muls, and the three
// factors of the outer product associated in any order.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSEACTIVATIONSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::fusion;

namespace {

/// Given `inner` = 1 + f(x) (`f` being erf or tanh of a scaled x), matches
/// the product 0.5 · x · inner in any association and returns the op that
/// computes it; `intermediates` receives the ops that only it uses.
Operation *matchHalfXTimes(Value inner, Value x,
                           SmallVectorImpl<Operation *> &intermediates) {
  if (!inner.hasOneUse())
    return nullptr;
  auto first = dyn_cast<MulOp>(*inner.getUsers().begin());
  if (!first)
    return nullptr;
  Value other = first.getLhs() == inner ? first.getRhs() : first.getLhs();
  // (x · inner) · 0.5 or (0.5 · inner) · x.
  if (other == x || isSplatFloat(other, 0.5)) {
    if (!first->getResult(0).hasOneUse())
      return nullptr;
    auto second = dyn_cast<MulOp>(*first->getResult(0).getUsers().begin());
    if (!second)
      return nullptr;
    Value last = second.getLhs() == first.getResult() ? second.getRhs()
                                                      : second.getLhs();
    bool ok = other == x ? isSplatFloat(last, 0.5) : last == x;
    if (!ok)
      return nullptr;
    intermediates.push_back(first);
    return second;
  }
  // (0.5 · x) · inner.
  auto half = other.getDefiningOp<MulOp>();
  if (!half || !isOnlyUsedBy(half, first))
    return nullptr;
  Value halfOther;
  if (matchEither(
          half, [&](Value v) { return v == x; }, halfOther) != x ||
      !isSplatFloat(halfOther, 0.5))
    return nullptr;
  intermediates.push_back(half);
  return first;
}

/// Matches `add` = 1 + f (either order) with `f` only used by it.
Value matchOnePlus(Value f) {
  if (!f.hasOneUse())
    return Value();
  auto add = dyn_cast<AddOp>(*f.getUsers().begin());
  Value one;
  if (!add ||
      matchEither(
          add, [&](Value v) { return v == f; }, one) != f ||
      !isSplatFloat(one, 1.0))
    return Value();
  return add.getResult();
}

/// erf(x / √2) or erf(x · (1/√2)), anchored at the erf.
struct FuseGeluErf : OpRewritePattern<ErfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ErfOp erf,
                                PatternRewriter &rewriter) const override {
    Operation *scaled = erf.getInput().getDefiningOp();
    Value x;
    if (auto div = dyn_cast_or_null<DivOp>(scaled)) {
      if (!isSplatFloat(div.getRhs(), std::sqrt(2.0)))
        return failure();
      x = div.getLhs();
    } else if (auto mul = dyn_cast_or_null<MulOp>(scaled)) {
      Value c;
      x = matchEither(
          mul, [](Value v) { return !getSplatFloat(v); }, c);
      if (!x || !isSplatFloat(c, 1.0 / std::sqrt(2.0)))
        return failure();
    } else {
      return failure();
    }
    if (!isOnlyUsedBy(scaled->getResult(0), erf))
      return failure();
    Value inner = matchOnePlus(erf.getResult());
    SmallVector<Operation *> intermediates;
    Operation *product =
        inner ? matchHalfXTimes(inner, x, intermediates) : nullptr;
    if (!product || product->getResult(0).getType() != x.getType())
      return failure();
    rewriter.replaceOpWithNewOp<GeluOp>(product, x, GeluApproximation::none);
    return success();
  }
};

/// tanh(√(2/π) · (x + 0.044715 · x³)), anchored at the tanh.
struct FuseGeluTanh : OpRewritePattern<TanhOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TanhOp tanh,
                                PatternRewriter &rewriter) const override {
    auto scaled = tanh.getInput().getDefiningOp<MulOp>();
    if (!scaled || !isOnlyUsedBy(scaled, tanh))
      return failure();
    Value c;
    auto poly = matchOperand<AddOp>(scaled, c);
    if (!poly || !isSplatFloat(c, std::sqrt(2.0 / M_PI)) ||
        !isOnlyUsedBy(poly, scaled))
      return failure();
    // poly = x + 0.044715 · x³, either order.
    for (unsigned i = 0; i < 2; ++i) {
      Value x = poly->getOperand(i);
      auto term = poly->getOperand(1 - i).getDefiningOp<MulOp>();
      if (!term || !isOnlyUsedBy(term, poly))
        continue;
      Value k;
      Value cube = matchEither(
          term,
          [&](Value v) {
            Operation *def = v.getDefiningOp();
            if (auto pow = dyn_cast_or_null<PowOp>(def))
              return pow.getLhs() == x && isSplatFloat(pow.getRhs(), 3.0);
            // x · (x · x) or (x · x) · x.
            auto mul = dyn_cast_or_null<MulOp>(def);
            if (!mul)
              return false;
            Value square;
            if (matchEither(
                    mul, [&](Value w) { return w == x; }, square) != x)
              return false;
            auto sq = square.getDefiningOp<MulOp>();
            return sq && sq.getLhs() == x && sq.getRhs() == x &&
                   isOnlyUsedBy(sq, mul);
          },
          k);
      if (!cube || !isSplatFloat(k, 0.044715) || !isOnlyUsedBy(cube, term))
        continue;
      Value inner = matchOnePlus(tanh.getResult());
      SmallVector<Operation *> intermediates;
      Operation *product =
          inner ? matchHalfXTimes(inner, x, intermediates) : nullptr;
      if (!product || product->getResult(0).getType() != x.getType())
        return failure();
      rewriter.replaceOpWithNewOp<GeluOp>(product, x, GeluApproximation::tanh);
      return success();
    }
    return failure();
  }
};

/// x · sigmoid(x) -> silu(x).
struct FuseSilu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    Value x;
    auto sigmoid = matchOperand<SigmoidOp>(op, x);
    if (!sigmoid || sigmoid.getInput() != x || !isOnlyUsedBy(sigmoid, op) ||
        op.getType() != x.getType())
      return failure();
    rewriter.replaceOpWithNewOp<SiluOp>(op, x);
    return success();
  }
};

struct FuseActivationsPass
    : tfm::impl::FuseActivationsPassBase<FuseActivationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseActivationsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseActivationsPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseGeluErf, FuseGeluTanh, FuseSilu>(patterns.getContext());
}
