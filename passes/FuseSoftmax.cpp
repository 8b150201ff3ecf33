//===- FuseSoftmax.cpp - softmax and log-softmax from their primitives ----===//
//
// ONNX's function bodies for Softmax-13 and LogSoftmax-13 (and models that
// spell the stable softmax out by hand) compute, along one axis,
//
//   d = x - reduce_max(x)      e = exp(d)      s = reduce_sum(e)
//   e / s                      -> softmax(x)
//   d - log(s)                 -> log_softmax(x)
//
// with both reductions keeping the axis.
//
//===----------------------------------------------------------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSESOFTMAXPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// The one axis a keepdims reduction runs along.
std::optional<int64_t> getSingleAxis(ArrayRef<int64_t> axes, bool keepdims) {
  if (!keepdims || axes.size() != 1)
    return std::nullopt;
  return axes[0];
}

/// The stable softmax's parts: `shifted` = x - reduce_max(x) and `sum` =
/// reduce_sum(exp(shifted)), both along `axis`.
struct SoftmaxParts {
  Value x;
  Value shifted;
  int64_t axis;
};

/// Matches `sum` as reduce_sum(exp(x - reduce_max(x))) along one axis.
std::optional<SoftmaxParts> matchSum(Value sum) {
  auto reduce = sum.getDefiningOp<ReduceSumOp>();
  if (!reduce)
    return std::nullopt;
  auto exp = reduce.getInput().getDefiningOp<ExpOp>();
  if (!exp)
    return std::nullopt;
  auto sub = exp.getInput().getDefiningOp<SubOp>();
  if (!sub)
    return std::nullopt;
  auto max = sub.getRhs().getDefiningOp<ReduceMaxOp>();
  Value x = sub.getLhs();
  if (!max || max.getInput() != x || x.getType() != sub.getResult().getType())
    return std::nullopt;
  std::optional<int64_t> sumAxis =
      getSingleAxis(reduce.getAxes(), reduce.getKeepdims());
  std::optional<int64_t> maxAxis =
      getSingleAxis(max.getAxes(), max.getKeepdims());
  if (!sumAxis || sumAxis != maxAxis)
    return std::nullopt;
  return SoftmaxParts{x, sub.getResult(), *sumAxis};
}

/// exp(x - max) / sum -> softmax(x).
struct FuseSoftmax : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    std::optional<SoftmaxParts> parts = matchSum(div.getRhs());
    if (!parts)
      return failure();
    // The numerator is the summed exponential itself.
    Value exp = div.getRhs().getDefiningOp<ReduceSumOp>().getInput();
    if (div.getLhs() != exp || div.getType() != parts->x.getType())
      return failure();
    rewriter.replaceOpWithNewOp<SoftmaxOp>(div, parts->x, parts->axis);
    return success();
  }
};

/// (x - max) - log(sum) -> log_softmax(x).
struct FuseLogSoftmax : OpRewritePattern<SubOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SubOp sub,
                                PatternRewriter &rewriter) const override {
    auto log = sub.getRhs().getDefiningOp<LogOp>();
    if (!log)
      return failure();
    std::optional<SoftmaxParts> parts = matchSum(log.getInput());
    if (!parts || sub.getLhs() != parts->shifted ||
        sub.getType() != parts->x.getType())
      return failure();
    rewriter.replaceOpWithNewOp<LogSoftmaxOp>(sub, parts->x, parts->axis);
    return success();
  }
};

struct FuseSoftmaxPass : tfm::impl::FuseSoftmaxPassBase<FuseSoftmaxPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseSoftmaxPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseSoftmaxPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseSoftmax, FuseLogSoftmax>(patterns.getContext());
}
