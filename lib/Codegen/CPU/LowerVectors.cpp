//===- LowerVectors.cpp - vector ops to 1-D vectors, loads and stores -----===//
//
// The staging follows what LLVM's x86 backend handles well: first keep
// accumulators in registers (hoisting), then unroll n-D vector ops into
// 1-D ones (contractions become outer products, i.e. broadcast + FMA), and
// last turn transfers into plain (or masked) vector loads and stores.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_LOWERVECTORSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;

namespace {

struct LowerVectorsPass
    : public tfm::impl::LowerVectorsPassBase<LowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();

    // Accumulators stay in registers across reduction loops.
    linalg::hoistRedundantVectorTransfers(func);
    IRRewriter rewriter(ctx);
    vector::transferOpflowOpt(rewriter, func);

    auto apply = [&](function_ref<void(RewritePatternSet &)> populate) {
      RewritePatternSet patterns(ctx);
      populate(patterns);
      return applyPatternsGreedily(func, std::move(patterns));
    };

    // Canonical forms: no leading unit dimensions.
    if (failed(apply([&](RewritePatternSet &patterns) {
          vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
          vector::populateVectorTransferDropUnitDimsPatterns(patterns);
          vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
          vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
        })))
      return signalPassFailure();

    // A transfer that reads or writes transposed becomes a plain transfer
    // and a vector.transpose, lowered with the other transposes below.
    if (failed(apply([&](RewritePatternSet &patterns) {
          vector::populateVectorTransferPermutationMapLoweringPatterns(
              patterns);
        })))
      return signalPassFailure();

    // Contractions to outer products (broadcast + FMA), reductions and
    // transposes to 1-D operations.
    if (failed(apply([&](RewritePatternSet &patterns) {
          vector::populateVectorContractLoweringPatterns(
              patterns, vector::VectorContractLowering::OuterProduct);
          vector::populateVectorOuterProductLoweringPatterns(patterns);
          vector::populateVectorMultiReductionLoweringPatterns(
              patterns, vector::VectorMultiReductionLowering::InnerReduction);
          vector::populateVectorTransposeLoweringPatterns(
              patterns, vector::VectorTransposeLowering::Shuffle1D);
        })))
      return signalPassFailure();

    // Transfers to loads and stores.
    if (failed(apply([&](RewritePatternSet &patterns) {
          vector::populateVectorTransferPermutationMapLoweringPatterns(
              patterns);
          vector::populateVectorTransferLoweringPatterns(patterns,
                                                         /*maxRank=*/1);
          populateVectorToSCFConversionPatterns(
              patterns, VectorTransferToSCFOptions().enableFullUnroll());
        })))
      return signalPassFailure();

    // What remains of n-D vectors.
    if (failed(apply([&](RewritePatternSet &patterns) {
          vector::populateVectorBroadcastLoweringPatterns(patterns);
          vector::populateVectorShapeCastLoweringPatterns(patterns);
          vector::populateVectorMaskOpLoweringPatterns(patterns);
          vector::populateVectorStepLoweringPatterns(patterns);
          vector::populateVectorGatherLoweringPatterns(patterns);
        })))
      return signalPassFailure();
  }
};

} // namespace
