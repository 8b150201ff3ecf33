//===- FuseKvCache.cpp - attention over a cache, cache outputs -----------===//
//
// tfm-fuse-kv-cache:
//
//   attention(q, concat(pk, k), concat(pv, v))  -> attention(q, k, v,
//                                                             past(pk, pv))
//
// the exporters' cache append (Concat along the sequence) read by attention
// in place; the concatenation stays only while something else (the present
// output) uses it. A past extended from f16 or bf16 (tfm-narrow-kv-cache)
// is read narrow, in place.
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

struct FoldCacheAppend : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getPastKey())
      return rewriter.notifyMatchFailure(op, "already reads a past");
    std::optional<std::pair<Value, Value>> key =
        fusion::matchCacheAppend(op.getKey());
    std::optional<std::pair<Value, Value>> value =
        fusion::matchCacheAppend(op.getValue());
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

/// The f16 or bf16 cache `value` extends to f32, if it is one.
Value getNarrowCache(Value value) {
  auto cast = value.getDefiningOp<CastOp>();
  if (!cast)
    return {};
  Type from = getElementTypeOrSelf(cast.getInput().getType());
  Type to = getElementTypeOrSelf(cast.getType());
  if (!isa<Float16Type, BFloat16Type>(from) || !to.isF32())
    return {};
  return cast.getInput();
}

/// attention(.., past(ext(pk16), ext(pv16))) -> attention(.., past(pk16,
/// pv16)): a cache stored narrow (tfm-narrow-kv-cache) is read in place,
/// each tile extended as it is read, rather than extended whole per step.
struct ReadNarrowCache : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getPastKey())
      return rewriter.notifyMatchFailure(op, "reads no past");
    Value pk = getNarrowCache(op.getPastKey());
    Value pv = getNarrowCache(op.getPastValue());
    if (!pk || !pv ||
        getElementTypeOrSelf(pk.getType()) !=
            getElementTypeOrSelf(pv.getType()))
      return rewriter.notifyMatchFailure(op, "no narrow cache");
    rewriter.modifyOpInPlace(op, [&] {
      op.getPastKeyMutable().assign(pk);
      op.getPastValueMutable().assign(pv);
    });
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
            fusion::matchCacheAppend(operand.get());
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
  patterns.add<FoldCacheAppend, ReadNarrowCache>(patterns.getContext());
}
