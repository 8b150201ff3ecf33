//===- LowerVectors.cpp - vector ops to 1-D vectors, loads and stores -----===//
//
// The staging follows what LLVM's x86 backend handles well: first keep
// accumulators in registers (hoisting), then unroll n-D vector ops into
// 1-D ones (contractions become outer products, i.e. broadcast + FMA), and
// last turn transfers into plain (or masked) vector loads and stores.
// Before that, a register tile streaming a packed weight panel for few
// rows prefetches the next panel.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

/// Register tiles sharing a weight panel up to which the next panel is
/// prefetched.
constexpr int64_t kMaxTilesPerPrefetchedPanel = 4;
/// Into L2 (prefetcht1): a 768-row panel of 48 KiB does not fit in L1, and
/// its tiles re-read it from L2 anyway.
constexpr uint32_t kPanelPrefetchLocality = 2;

/// In a register tile's K loop over a weight in the panel layout
/// [P, K, 16], prefetches the same row of the next panel. The tiles of a
/// panel re-read it from cache; the first tile of the next panel would
/// otherwise wait on memory, since the hardware prefetcher does not run
/// ahead across the restart of each tile's stream.
void prefetchNextPanels(func::FuncOp func) {
  SmallVector<vector::ContractionOp> contracts;
  func.walk([&](vector::ContractionOp op) { contracts.push_back(op); });
  for (vector::ContractionOp contract : contracts) {
    auto read = contract.getRhs().getDefiningOp<vector::TransferReadOp>();
    auto loop = contract->getParentOfType<scf::ForOp>();
    if (!read || !loop || read->getParentOp() != loop)
      continue;
    auto type = dyn_cast<MemRefType>(read.getBase().getType());
    if (!type || type.getRank() != 3 || !type.hasStaticShape() ||
        type.getDimSize(0) < 2)
      continue;
    // Only where few tiles share a panel (small M): with many, the panel's
    // first tile is a small part of its time and the extra instruction in
    // every K step costs more than it saves (BERT-base at 128 rows: 2 %
    // slower; at 16 rows: 12 % faster).
    auto lhsRead = contract.getLhs().getDefiningOp<vector::TransferReadOp>();
    auto lhsType = lhsRead ? dyn_cast<MemRefType>(lhsRead.getBase().getType())
                           : MemRefType();
    auto lhsVector = dyn_cast<VectorType>(contract.getLhsType());
    if (!lhsType || !lhsType.hasStaticShape() || lhsType.getRank() != 2 ||
        !lhsVector || lhsVector.getRank() != 2)
      continue;
    int64_t rows = lhsType.getDimSize(0);
    int64_t tileRows = lhsVector.getDimSize(0);
    if (llvm::divideCeil(rows, tileRows) > kMaxTilesPerPrefetchedPanel)
      continue;
    ValueRange indices = read.getIndices();
    if (indices[1] != loop.getInductionVar() ||
        getConstantIntValue(indices[2]) != 0)
      continue;
    OpBuilder b(read);
    Location loc = read.getLoc();
    Value next = arith::AddIOp::create(
        b, loc, indices[0], arith::ConstantIndexOp::create(b, loc, 1));
    next = arith::MinUIOp::create(
        b, loc, next,
        arith::ConstantIndexOp::create(b, loc, type.getDimSize(0) - 1));
    memref::PrefetchOp::create(
        b, loc, read.getBase(), ValueRange{next, indices[1], indices[2]},
        /*isWrite=*/false, /*localityHint=*/kPanelPrefetchLocality,
        /*isDataCache=*/true);
  }
}

struct LowerVectorsPass
    : public tfm::impl::LowerVectorsPassBase<LowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();

    prefetchNextPanels(func);

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
