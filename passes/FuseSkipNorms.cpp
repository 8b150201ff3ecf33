//===- FuseSkipNorms.cpp - residual add + norm -> one norm ----------------===//
//
//   s = a + b; y = layer_norm(s)  ->  y, s = layer_norm(a) residual(b)
//
// (and rms_norm alike). The norm reads both operands once and writes the
// sum only for the users that still need it (the residual stream of a
// pre-norm layer). A residual add right after a linear belongs to that
// linear's epilogue, which is cheaper still (the sum never leaves the
// registers); tfm-fuse therefore runs this pattern only once the other
// fusions are done, and the pattern itself leaves such adds alone.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSESKIPNORMSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// True when `value` comes from a product whose epilogue could still take
/// an add of it as a residual.
bool feedsOpenEpilogue(Value value) {
  Operation *def = value.getDefiningOp();
  if (isa_and_nonnull<MatmulOp>(def))
    return true;
  auto linear = dyn_cast_or_null<LinearOp>(def);
  return linear && !linear.getResidual() && linear->hasOneUse();
}

template <typename NormOp> struct FuseSkipNorm : OpRewritePattern<NormOp> {
  using OpRewritePattern<NormOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(NormOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getResidual())
      return failure();
    auto add = op.getInput().template getDefiningOp<AddOp>();
    if (!add)
      return failure();
    Value lhs = add.getLhs(), rhs = add.getRhs();
    Type type = add.getType();
    if (lhs.getType() != type || rhs.getType() != type ||
        feedsOpenEpilogue(lhs) || feedsOpenEpilogue(rhs))
      return failure();
    // The sum's other users read the norm's second result, which must be
    // computed before them: the norm takes the add's place.
    rewriter.setInsertionPoint(add);
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp();
          def && def->getBlock() == add->getBlock() &&
          add->isBeforeInBlock(def))
        return failure();
    NormOp fused = cloneWithResidual(rewriter, op, lhs, rhs);
    rewriter.replaceAllUsesWith(add.getResult(), fused.getSum());
    rewriter.replaceOp(op, fused.getResult());
    rewriter.eraseOp(add);
    return success();
  }

  static LayerNormOp cloneWithResidual(PatternRewriter &rewriter,
                                       LayerNormOp op, Value lhs, Value rhs) {
    return LayerNormOp::create(rewriter, op.getLoc(), lhs, rhs, op.getScale(),
                               op.getBias(), op.getAxes(), op.getEpsilon());
  }
  static RmsNormOp cloneWithResidual(PatternRewriter &rewriter, RmsNormOp op,
                                     Value lhs, Value rhs) {
    return RmsNormOp::create(rewriter, op.getLoc(), lhs, rhs, op.getScale(),
                             op.getAxes(), op.getEpsilon());
  }
};

struct FuseSkipNormsPass : tfm::impl::FuseSkipNormsPassBase<FuseSkipNormsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseSkipNormsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseSkipNormsPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseSkipNorm<LayerNormOp>, FuseSkipNorm<RmsNormOp>>(
      patterns.getContext());
}
