//===- ApproximateMath.cpp - polynomial approximations of math ops --------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_APPROXIMATEMATHPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;

namespace {

/// The functions transformer graphs spend time in and whose f32
/// approximations are accurate to a few ulp over the whole range.
bool isApproximated(StringRef name) {
  static constexpr llvm::StringLiteral kNames[] = {
      "exp", "expm1", "log", "log1p", "log2", "tanh", "erf", "sin", "cos"};
  name.consume_front("math.");
  return llvm::is_contained(kNames, name);
}

struct ApproximateMathPass
    : public tfm::impl::ApproximateMathPassBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathF32ExpansionPatterns(patterns, isApproximated);
    populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
