//===- EliminateDeadNodes.cpp - drop what does not affect the outputs ----===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_ELIMINATEDEADNODESPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// Replaces tfm ops whose folder forwards a value (identities such as
/// `x + 0`, no-op casts, reshapes and transposes) and lets folders compose
/// chains in place (transpose∘transpose, reshape∘reshape). Folds that would
/// create constants are left to tfm-fold-constants. Returns true on change.
bool forwardIdentities(func::FuncOp func, RewriterBase &rewriter) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<TfmDialect>(op->getDialect()) && !isa<ConstantOp>(op))
      ops.push_back(op);
  });
  bool changed = false;
  for (Operation *op : ops) {
    // Folders recognize identities by their constant operands (`x + 0`).
    SmallVector<Attribute> constants;
    for (Value operand : op->getOperands()) {
      Attribute attr;
      constants.push_back(matchPattern(operand, m_Constant(&attr)) ? attr
                                                                   : nullptr);
    }
    SmallVector<OpFoldResult> results;
    if (failed(op->fold(constants, results)))
      continue;
    if (results.empty() ||
        llvm::equal(results, op->getResults(), [](OpFoldResult r, Value v) {
          return dyn_cast<Value>(r) == v;
        })) {
      changed = true; // updated in place
      continue;
    }
    if (!llvm::all_of(results, [](OpFoldResult r) { return isa<Value>(r); }))
      continue;
    SmallVector<Value> values;
    for (OpFoldResult r : results)
      values.push_back(cast<Value>(r));
    rewriter.replaceOp(op, values);
    changed = true;
  }
  return changed;
}

/// Erases ops without side effects whose results are unused, weights
/// included, last to first so that chains go at once.
bool eraseUnused(func::FuncOp func, RewriterBase &rewriter) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) { ops.push_back(op); });
  bool changed = false;
  for (Operation *op : llvm::reverse(ops)) {
    if (isOpTriviallyDead(op)) {
      rewriter.eraseOp(op);
      changed = true;
    }
  }
  return changed;
}

struct EliminateDeadNodesPass
    : tfm::impl::EliminateDeadNodesPassBase<EliminateDeadNodesPass> {
  LogicalResult initialize(MLIRContext *ctx) override {
    // The ops' canonicalization patterns compose chains (transposes), with
    // folding off so that no constant is computed here.
    RewritePatternSet patterns(ctx);
    fusion::populateTfmCanonicalizationPatterns(patterns);
    chainPatterns = std::move(patterns);
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    GreedyRewriteConfig config;
    config.enableFolding(false);
    bool changed = true;
    while (changed) {
      changed = false;
      bool composed = false;
      (void)applyPatternsGreedily(func, chainPatterns, config, &composed);
      changed |= composed;
      changed |= forwardIdentities(func, rewriter);
      changed |= eraseUnused(func, rewriter);
      DominanceInfo dominance(func);
      bool merged = false;
      eliminateCommonSubExpressions(rewriter, dominance, func, &merged);
      changed |= merged;
    }
  }

  FrozenRewritePatternSet chainPatterns;
};

} // namespace
