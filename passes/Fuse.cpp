//===- Fuse.cpp - every graph fusion, run together to a fixed point ------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSEPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

struct FusePass : tfm::impl::FusePassBase<FusePass> {
  void runOnOperation() override {
    // Stage 2 adds the skip-norms, which must not take a residual add that
    // an epilogue of stage 1 would take.
    for (bool skipNorms : {false, true}) {
      RewritePatternSet patterns(&getContext());
      populateAllFusionPatterns(patterns);
      if (skipNorms)
        populateFuseSkipNormsPatterns(patterns);
      // The ops' own canonicalizations (identities, transpose/reshape
      // chains) expose more fusions as the fusions expose more of them.
      fusion::populateTfmCanonicalizationPatterns(patterns);
      GreedyRewriteConfig config;
      config.setMaxIterations(GreedyRewriteConfig::kNoLimit);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                       config)))
        return signalPassFailure();
    }
  }
};

} // namespace

void mlir::tfm::populateAllFusionPatterns(RewritePatternSet &patterns) {
  populateFuseNormsPatterns(patterns);
  populateFuseSoftmaxPatterns(patterns);
  populateFuseActivationsPatterns(patterns);
  populateFuseLinearPatterns(patterns);
  populateFuseQuantizedPatterns(patterns);
  populateMergeLinearsPatterns(patterns);
  populateFuseAttentionPatterns(patterns);
  populateFuseKvCachePatterns(patterns);
  populateFuseRopePatterns(patterns);
}
