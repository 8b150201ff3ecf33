//===- FuseKvCache.cpp - attention over a cache, cache outputs -----------===//
//
// tfm-fuse-kv-cache:
//
//   attention(q, concat(pk, k), concat(pv, v))  -> attention(q, k, v,
//                                                             past(pk, pv))
//
// the exporters' cache append (Concat along the sequence) read by attention
// in place; the concatenation stays only while something else (the present
// output) uses it.
//
// tfm-present-new-rows:
//
//   return ..., concat(%past_arg, new), ...  -> return ..., new, ...
//
// function results that append rows to a function argument return only the
// appended rows, so that nothing copies the whole cache: the caller keeps
// the cache and appends them (tfm_model_generate does).
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSEKVCACHEPASS
#define GEN_PASS_DEF_PRESENTNEWROWSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// The sequence axis of attention operands of `rank`: [B, H, S, D] or
/// packed [B, S, H·D].
int64_t sequenceAxis(int64_t rank) { return rank == 4 ? 2 : 1; }

/// (past, new) when `value` is concat(past, new) along the sequence axis.
std::optional<std::pair<Value, Value>> matchAppend(Value value) {
  auto concat = value.getDefiningOp<ConcatOp>();
  if (!concat || concat.getInputs().size() != 2)
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(concat.getType()).getRank();
  int64_t axis = concat.getAxis();
  if (axis < 0)
    axis += rank;
  if ((rank != 3 && rank != 4) || axis != sequenceAxis(rank))
    return std::nullopt;
  return std::make_pair(concat.getInputs()[0], concat.getInputs()[1]);
}

struct FoldCacheAppend : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getPastKey())
      return rewriter.notifyMatchFailure(op, "already reads a past");
    std::optional<std::pair<Value, Value>> key = matchAppend(op.getKey());
    std::optional<std::pair<Value, Value>> value = matchAppend(op.getValue());
    if (!key || !value)
      return rewriter.notifyMatchFailure(op, "keys are not an append");
    auto fused = AttentionOp::create(
        rewriter, op.getLoc(), op.getQuery(), key->second, value->second,
        key->first, value->first, op.getMask(), op.getNumHeads(),
        op.getNumKvHeads(), op.getCausal(), op.getScaleAttr());
    // The verifier's shape rules hold for the parts exactly when they hold
    // for the concatenation; the type check guards the rest.
    if (fused.getType() != op.getType()) {
      rewriter.eraseOp(fused);
      return rewriter.notifyMatchFailure(op, "unexpected result type");
    }
    rewriter.replaceOp(op, fused);
    return success();
  }
};

struct FuseKvCachePass : tfm::impl::FuseKvCachePassBase<FuseKvCachePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseKvCachePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

struct PresentNewRowsPass
    : tfm::impl::PresentNewRowsPassBase<PresentNewRowsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    bool changed = false;
    func.walk([&](func::ReturnOp ret) {
      for (OpOperand &operand : ret->getOpOperands()) {
        std::optional<std::pair<Value, Value>> append =
            matchAppend(operand.get());
        auto past =
            append ? dyn_cast<BlockArgument>(append->first) : BlockArgument();
        if (!past || past.getOwner() != &func.getBody().front())
          continue;
        operand.set(append->second);
        changed = true;
      }
    });
    if (!changed)
      return;
    auto type = func.getFunctionType();
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    func.setType(FunctionType::get(&getContext(), type.getInputs(),
                                   ret.getOperandTypes()));
  }
};

} // namespace

void mlir::tfm::populateFuseKvCachePatterns(RewritePatternSet &patterns) {
  patterns.add<FoldCacheAppend>(patterns.getContext());
}
