//===- LowerVectors.cpp - vector ops to 1-D vectors, loads and stores -----===//
//
// The staging follows what LLVM's x86 backend handles well: first keep
// accumulators in registers (hoisting), then unroll n-D vector ops into
// 1-D ones (contractions become outer products, i.e. broadcast + FMA), and
// last turn transfers into plain (or masked) vector loads and stores.
// Before that, a register tile streaming a packed weight panel for few
// rows prefetches the next panel, and a reduction loop with too few
// accumulator registers to hide the FMA latency is split into partial
// accumulators.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "CpuCodegen.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_LOWERVECTORSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using mlir::tfm::kMinFmaChains;

namespace {

/// Register tiles sharing a weight panel up to which every tile prefetches
/// the next panel; with more, only the first tile does.
constexpr int64_t kMaxTilesPerPrefetchedPanel = 4;
/// Into L2 (prefetcht1): a 768-row panel of 48 KiB does not fit in L1, and
/// its tiles re-read it from L2 anyway.
constexpr uint32_t kPanelPrefetchLocality = 2;

/// A register tile's K loop over a weight in the panel layout [P, K, 16]:
/// the read of the panel row, and how many tiles of rows share the panel
/// (the rows of the left operand over the tile's rows).
struct PanelLoop {
  scf::ForOp kLoop;
  vector::TransferReadOp panelRead;
  vector::TransferReadOp rowsRead;
  int64_t tilesPerPanel;
};

std::optional<PanelLoop> matchPanelLoop(vector::ContractionOp contract) {
  auto read = contract.getRhs().getDefiningOp<vector::TransferReadOp>();
  auto rowsRead = contract.getLhs().getDefiningOp<vector::TransferReadOp>();
  auto loop = contract->getParentOfType<scf::ForOp>();
  if (!read || !rowsRead || !loop || read->getParentOp() != loop)
    return std::nullopt;
  auto type = dyn_cast<MemRefType>(read.getBase().getType());
  if (!type || type.getRank() != 3 || !type.hasStaticShape() ||
      type.getDimSize(0) < 2)
    return std::nullopt;
  ValueRange indices = read.getIndices();
  // The panel row is the K loop's induction variable, offset by the start
  // of the K block when the reduction is blocked.
  Value row = indices[1];
  auto isLoopRow = [&](Value v) {
    if (v == loop.getInductionVar())
      return true;
    auto apply = v.getDefiningOp<affine::AffineApplyOp>();
    return apply &&
           llvm::is_contained(apply.getMapOperands(), loop.getInductionVar());
  };
  if (!isLoopRow(row) || getConstantIntValue(indices[2]) != 0)
    return std::nullopt;
  auto rowsType = dyn_cast<MemRefType>(rowsRead.getBase().getType());
  auto tileType = dyn_cast<VectorType>(contract.getLhsType());
  if (!rowsType || !rowsType.hasStaticShape() || rowsType.getRank() != 2 ||
      !tileType || tileType.getRank() != 2)
    return std::nullopt;
  return PanelLoop{loop, read, rowsRead,
                   static_cast<int64_t>(llvm::divideCeil(
                       rowsType.getDimSize(0), tileType.getDimSize(0)))};
}

/// Bytes of a cache line, the unit of a prefetch.
constexpr int64_t kCacheLineBytes = 64;

/// Prefetches, before the panel read `read`, the same row of the next
/// panel (clamped to the last): every cache line of it (two for a panel
/// of 32 f32).
void insertPanelPrefetch(vector::TransferReadOp read) {
  auto type = cast<MemRefType>(read.getBase().getType());
  ValueRange indices = read.getIndices();
  OpBuilder b(read);
  Location loc = read.getLoc();
  Value next = arith::AddIOp::create(b, loc, indices[0],
                                     arith::ConstantIndexOp::create(b, loc, 1));
  next = arith::MinUIOp::create(
      b, loc, next,
      arith::ConstantIndexOp::create(b, loc, type.getDimSize(0) - 1));
  int64_t lanesPerLine =
      std::max<int64_t>(1, kCacheLineBytes * 8 / type.getElementTypeBitWidth());
  for (int64_t lane = 0; lane < type.getDimSize(2); lane += lanesPerLine)
    memref::PrefetchOp::create(
        b, loc, read.getBase(),
        ValueRange{next, indices[1],
                   lane == 0 ? indices[2]
                             : arith::ConstantIndexOp::create(b, loc, lane)},
        /*isWrite=*/false, /*localityHint=*/kPanelPrefetchLocality,
        /*isDataCache=*/true);
}

/// Prefetches the next weight panel while a product streams the current
/// one: the tiles of a panel re-read it from cache, but the first tile of
/// the next panel would wait on memory, since the hardware prefetcher does
/// not run ahead across the restart of each tile's stream. Where few tiles
/// share a panel, every tile prefetches; where many do, the loop over row
/// tiles is peeled and only its first tile prefetches (an instruction per
/// K step in every tile cost BERT-base at 128 rows 2 %). Where one tile
/// streams each panel, there is no restart, and nothing is prefetched.
void prefetchNextPanels(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<PanelLoop> panelLoops;
  func.walk([&](vector::ContractionOp contract) {
    if (std::optional<PanelLoop> match = matchPanelLoop(contract))
      panelLoops.push_back(*match);
  });
  for (PanelLoop &panelLoop : panelLoops) {
    // A panel that one register tile streams once (a product of a row or
    // a few: decode) is a plain sequential read, which the hardware
    // prefetcher runs best alone: without these prefetches GPT-2 small's
    // decode took 10.2 ms/token against 13.2 on two threads (17.5 against
    // 23.1 on one; Zen 5, five alternating runs each).
    if (panelLoop.tilesPerPanel == 1)
      continue;
    if (panelLoop.tilesPerPanel <= kMaxTilesPerPrefetchedPanel) {
      insertPanelPrefetch(panelLoop.panelRead);
      continue;
    }
    // The loop over row tiles: the tile's first row is its induction
    // variable (a peeled remainder tile, at a constant row, is left alone).
    auto rowLoop = panelLoop.kLoop->getParentOfType<scf::ForOp>();
    if (!rowLoop ||
        panelLoop.rowsRead.getIndices()[0] != rowLoop.getInductionVar())
      continue;
    scf::ForOp firstTile;
    rewriter.setInsertionPoint(rowLoop);
    if (failed(scf::peelForLoopFirstIteration(rewriter, rowLoop, firstTile)))
      continue;
    SmallVector<vector::TransferReadOp> firstTileReads;
    firstTile.getBody()->walk([&](vector::ContractionOp contract) {
      if (std::optional<PanelLoop> match = matchPanelLoop(contract))
        firstTileReads.push_back(match->panelRead);
    });
    for (vector::TransferReadOp read : firstTileReads)
      insertPanelPrefetch(read);
  }
}

/// Follows `value` through the element conversions and bit operations that
/// dequantize a weight, and the shape casts and broadcasts between, to the
/// contraction that multiplies it; returns the contraction and its other
/// factor (or nulls).
std::pair<vector::ContractionOp, Value> findOtherFactor(Value value) {
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    for (Operation *user : current.getUsers()) {
      if (auto contract = dyn_cast<vector::ContractionOp>(user)) {
        if (contract.getLhs() == current)
          return {contract, contract.getRhs()};
        if (contract.getRhs() == current)
          return {contract, contract.getLhs()};
        continue;
      }
      if (isa<arith::ExtUIOp, arith::ExtSIOp, arith::SIToFPOp, arith::UIToFPOp,
              arith::AndIOp, arith::ShRUIOp, arith::ShRSIOp, arith::SubIOp,
              vector::ShapeCastOp, vector::BroadcastOp>(user) &&
          user->getNumResults() == 1)
        worklist.push_back(user->getResult(0));
    }
  }
  return {};
}

/// The memref a contraction operand was read from, through conversions,
/// shape casts and broadcasts (or null).
MemRefType findReadMemRef(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto read = dyn_cast<vector::TransferReadOp>(def))
      return dyn_cast<MemRefType>(read.getBase().getType());
    if (!isa<arith::ExtFOp, arith::ExtUIOp, arith::ExtSIOp, arith::SIToFPOp,
             arith::UIToFPOp, vector::ShapeCastOp, vector::BroadcastOp>(def))
      return nullptr;
    value = def->getOperand(0);
  }
  return nullptr;
}

/// Prefetches, `distanceBytes` ahead, the weight that a product of a
/// single register tile of rows streams as integer codes (int8 or packed
/// int4 panels: a decode step's products). The codes cost a conversion per
/// value, so the loop consumes its stream slower than a float product and
/// keeps fewer cache misses in flight than memory needs: on an Intel Xeon
/// (2 threads) GPT-2's int8 FFN products read 11.8 GB/s against 24.5 for
/// the machine; a one-row int8 panel product of 40 MB read 7-12 GB/s on
/// one thread without these prefetches and 16-19 GB/s with them 2 KiB ahead
/// (a float one 11-12 GB/s either way). The target runs along the weight's
/// storage into the next panel, the one the tile reads next, clamped to the
/// weight's last element. Products of several tiles re-read each panel from
/// cache, and float weights stream at memory speed: neither is prefetched.
void prefetchWeightStreams(func::FuncOp func, int64_t distanceBytes) {
  if (distanceBytes <= 0)
    return;
  SmallVector<vector::TransferReadOp> streams;
  func.walk([&](vector::TransferReadOp read) {
    auto type = dyn_cast<MemRefType>(read.getBase().getType());
    if (!type || type.getRank() < 3 || !type.hasStaticShape() ||
        !type.getLayout().isIdentity() || !type.getElementType().isInteger() ||
        type.getElementTypeBitWidth() > 8 ||
        !read->getParentOfType<scf::ForOp>())
      return;
    // The rows: the activation's leading dimension, all within the tile
    // (the accumulator's leading dimension).
    auto [contract, rows] = findOtherFactor(read);
    if (!contract)
      return;
    MemRefType rowsType = findReadMemRef(rows);
    auto accType = dyn_cast<VectorType>(contract.getAccType());
    if (!rowsType || rowsType.getRank() < 2 || rowsType.isDynamicDim(0) ||
        !accType || accType.getRank() < 1 ||
        rowsType.getDimSize(0) > accType.getDimSize(0))
      return;
    streams.push_back(read);
  });
  for (vector::TransferReadOp read : streams) {
    auto type = cast<MemRefType>(read.getBase().getType());
    OpBuilder b(read);
    Location loc = read.getLoc();
    SmallVector<ReassociationIndices> all(1);
    for (int64_t dim = 0; dim < type.getRank(); ++dim)
      all.front().push_back(dim);
    Value flat = memref::CollapseShapeOp::create(b, loc, read.getBase(), all);
    Value offset = affine::AffineLinearizeIndexOp::create(
        b, loc, read.getIndices(), type.getShape(), /*disjoint=*/true);
    int64_t elementBytes =
        std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
    Value target = arith::AddIOp::create(
        b, loc, offset,
        arith::ConstantIndexOp::create(b, loc, distanceBytes / elementBytes));
    target = arith::MinUIOp::create(
        b, loc, target,
        arith::ConstantIndexOp::create(b, loc, type.getNumElements() - 1));
    memref::PrefetchOp::create(b, loc, flat, ValueRange{target},
                               /*isWrite=*/false, /*localityHint=*/3,
                               /*isDataCache=*/true);
  }
}

/// Splits the accumulator of a reduction loop that has too few independent
/// FMA chains: a register tile of few rows (the last rows of a product when
/// its tile height does not divide M, or a single row) updates its
/// accumulator's vectors each K step, and with fewer than kMinFmaChains of
/// them every step waits for the previous one's FMAs. The loop is unrolled
/// by the factor that brings the chains to kMinFmaChains, each copy
/// accumulating into its own zero-initialized accumulator (the first into
/// the loop's), and the partial sums are added after the loop: the
/// reassociation every BLAS kernel makes. The 2-row tail of a 128-row
/// product by 6-row tiles: 2.9 -> 1.8 % of MiniLM's FFN-up time (1.6 % of
/// its work); a 128 x 768 x 768 linear 0.804 -> 0.799 ms.
void splitAccumulatorChains(RewriterBase &rewriter, func::FuncOp func,
                            int64_t registerBits) {
  SmallVector<std::pair<scf::ForOp, int64_t>> candidates;
  func.walk([&](scf::ForOp loop) {
    if (loop.getNumRegionIterArgs() != 1)
      return;
    BlockArgument acc = loop.getRegionIterArgs()[0];
    auto type = dyn_cast<VectorType>(acc.getType());
    if (!type || !type.getElementType().isF32() || !acc.hasOneUse())
      return;
    auto contract = dyn_cast<vector::ContractionOp>(*acc.user_begin());
    Operation *yield = loop.getBody()->getTerminator();
    if (!contract || contract.getAcc() != acc ||
        contract.getKind() != vector::CombiningKind::ADD ||
        contract->getParentOp() != loop ||
        yield->getOperand(0) != contract.getResult() ||
        !contract.getResult().hasOneUse())
      return;
    int64_t chains = llvm::divideCeil(
        type.getNumElements() * type.getElementTypeBitWidth(), registerBits);
    int64_t factor = 1;
    while (chains * factor * 2 <= kMinFmaChains)
      factor *= 2;
    std::optional<APInt> trips = loop.getStaticTripCount();
    if (factor < 2 || !trips || trips->getSExtValue() % factor != 0 ||
        trips->getSExtValue() < 2 * factor ||
        !getConstantIntValue(loop.getStep()))
      return;
    candidates.emplace_back(loop, factor);
  });

  for (auto &candidate : candidates) {
    scf::ForOp loop = candidate.first;
    int64_t factor = candidate.second;
    Location loc = loop.getLoc();
    rewriter.setInsertionPoint(loop);
    auto type = cast<VectorType>(loop.getRegionIterArgs()[0].getType());
    Value zero = arith::ConstantOp::create(
        rewriter, loc, type, cast<TypedAttr>(rewriter.getZeroAttr(type)));
    SmallVector<Value> inits(factor, zero);
    inits[0] = loop.getInitArgs()[0];
    int64_t step = *getConstantIntValue(loop.getStep());
    Value newStep =
        arith::ConstantIndexOp::create(rewriter, loc, step * factor);
    Value yielded = loop.getBody()->getTerminator()->getOperand(0);
    auto unrolled = scf::ForOp::create(
        rewriter, loc, loop.getLowerBound(), loop.getUpperBound(), newStep,
        inits, [&](OpBuilder &b, Location loc, Value iv, ValueRange accs) {
          SmallVector<Value> results;
          for (int64_t copy = 0; copy < factor; ++copy) {
            IRMapping mapping;
            Value copyIv = iv;
            if (copy > 0)
              copyIv = arith::AddIOp::create(
                  b, loc, iv,
                  arith::ConstantIndexOp::create(b, loc, copy * step));
            mapping.map(loop.getInductionVar(), copyIv);
            mapping.map(loop.getRegionIterArgs()[0], accs[copy]);
            for (Operation &op : loop.getBody()->without_terminator())
              b.clone(op, mapping);
            results.push_back(mapping.lookup(yielded));
          }
          scf::YieldOp::create(b, loc, results);
        });
    // Pairwise sums of the partial accumulators.
    SmallVector<Value> partial(unrolled.getResults());
    while (partial.size() > 1) {
      SmallVector<Value> next;
      for (size_t i = 0; i + 1 < partial.size(); i += 2)
        next.push_back(
            arith::AddFOp::create(rewriter, loc, partial[i], partial[i + 1]));
      if (partial.size() % 2)
        next.push_back(partial.back());
      partial = std::move(next);
    }
    rewriter.replaceOp(loop, partial.front());
  }
}

/// The u8 x s8 dot product of a register over groups of `group` K
/// elements: the multi_reduction over the group of
///
///   zext(broadcast(a : vector<g x i8>)) * sext(w : vector<L x g x i8>)
///
/// into acc : vector<L x i32>, L lanes of 32 bits filling a register; for
/// pairs, a may already be widened to i16. Returns (a, w).
std::optional<std::pair<Value, Value>>
matchIntegerDotGroup(vector::MultiDimReductionOp op, int64_t lanes,
                     int64_t group) {
  VectorType sourceType = op.getSourceVectorType();
  if (op.getKind() != vector::CombiningKind::ADD ||
      sourceType.getShape() != ArrayRef<int64_t>{lanes, group} ||
      !sourceType.getElementType().isInteger(32) ||
      op.getReductionMask() != ArrayRef<bool>{false, true})
    return std::nullopt;
  auto mul = op.getSource().getDefiningOp<arith::MulIOp>();
  if (!mul)
    return std::nullopt;
  for (auto [lhs, rhs] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                          std::make_pair(mul.getRhs(), mul.getLhs())}) {
    auto zext = lhs.getDefiningOp<arith::ExtUIOp>();
    auto sext = rhs.getDefiningOp<arith::ExtSIOp>();
    if (!zext || !sext)
      continue;
    auto broadcast = zext.getIn().getDefiningOp<vector::BroadcastOp>();
    auto sourceVector =
        broadcast ? dyn_cast<VectorType>(broadcast.getSourceType()) : nullptr;
    if (!sourceVector || sourceVector.getShape() != ArrayRef<int64_t>{group} ||
        !getElementTypeOrSelf(sext.getIn().getType()).isInteger(8))
      continue;
    Type activation = sourceVector.getElementType();
    if (activation.isInteger(8) || (group == 2 && activation.isInteger(16)))
      return std::make_pair(broadcast.getSource(), sext.getIn());
  }
  return std::nullopt;
}

/// The dot group `group` (32 bits: four bytes, two 16-bit values) as one
/// word broadcast to every lane of a register of `lanes` 32-bit lanes,
/// read as `type` (the operand type of the instruction that takes it).
Value broadcastGroup(PatternRewriter &rewriter, Location loc, Value group,
                     int64_t lanes, VectorType type) {
  Type i32 = rewriter.getI32Type();
  Value word = vector::ExtractOp::create(
      rewriter, loc,
      vector::BitCastOp::create(rewriter, loc, VectorType::get({1}, i32),
                                group),
      ArrayRef<int64_t>{0});
  return vector::BitCastOp::create(
      rewriter, loc, type,
      vector::BroadcastOp::create(rewriter, loc, VectorType::get({lanes}, i32),
                                  word));
}

/// One vpdpbusd: the multi_reduction over the group of four of
///
///   zext(broadcast(a : vector<4xi8>)) * sext(w : vector<L x 4 x i8>)
///
/// A transfer_read of one element broadcast to a vector (every vector
/// dimension that reads the memref has size 1): a scalar load and a
/// broadcast, whatever the memref's strides. (Upstream's lowering of such
/// a read wants unit strides; over a dynamically strided view, such as the
/// mask of one key of a run-time key count, it left 0-D vectors that do
/// not lower to LLVM.)
struct SingleElementTransferRead : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp op,
                                PatternRewriter &rewriter) const override {
    auto memrefType = dyn_cast<MemRefType>(op.getBase().getType());
    // (Unit strides lower upstream, to the same load and broadcast.)
    if (!memrefType || op.getMask() || memrefType.isLastDimUnitStride())
      return failure();
    VectorType type = op.getVectorType();
    if (type.isScalable())
      return failure();
    for (auto [i, expr] :
         llvm::enumerate(op.getPermutationMap().getResults())) {
      if (auto constant = dyn_cast<AffineConstantExpr>(expr)) {
        if (constant.getValue() != 0)
          return failure();
        continue;
      }
      if (type.getDimSize(i) != 1 || !op.isDimInBounds(i))
        return failure();
    }
    Value scalar = memref::LoadOp::create(rewriter, op.getLoc(), op.getBase(),
                                          op.getIndices());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(op, type, scalar);
    return success();
  }
};

/// into acc : vector<L x i32>, with L lanes of 32 bits filling a register.
struct DotGroupToVnni : OpRewritePattern<vector::MultiDimReductionOp> {
  DotGroupToVnni(MLIRContext *ctx, int64_t vectorBits)
      : OpRewritePattern(ctx), vectorBits(vectorBits) {}

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    int64_t lanes = vectorBits / 32;
    std::optional<std::pair<Value, Value>> group =
        matchIntegerDotGroup(op, lanes, 4);
    if (!group)
      return failure();
    auto [bytes, weights] = *group;
    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto laneType = VectorType::get({lanes}, i32);
    // The intrinsic takes both byte operands as vectors of i8.
    auto byteType = VectorType::get({lanes * 4}, i8);
    Value broadcast = broadcastGroup(rewriter, loc, bytes, lanes, byteType);
    Value weightBytes =
        vector::ShapeCastOp::create(rewriter, loc, byteType, weights);
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, laneType,
        rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd." +
                               std::to_string(vectorBits)),
        ValueRange{op.getAcc(), broadcast, weightBytes});
    return success();
  }

  int64_t vectorBits;
};

/// A u8 x s8 pair dot product of a register: the multi_reduction over the
/// pair of
///
///   zext(broadcast(a : vector<2xi8 or 2xi16>)) * sext(w : vector<L x 2 x i8>)
///
/// into acc : vector<L x i32>, as one vpmaddwd (16-bit products summed in
/// pairs into 32 bits; a uint8 widened to 16 bits is non-negative, so its
/// signed product is exact) on the bytes widened to 16 bits, and an add.
struct DotPairToPmaddwd : OpRewritePattern<vector::MultiDimReductionOp> {
  DotPairToPmaddwd(MLIRContext *ctx, int64_t vectorBits)
      : OpRewritePattern(ctx), vectorBits(vectorBits) {}

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    int64_t lanes = vectorBits / 32;
    std::optional<std::pair<Value, Value>> group =
        matchIntegerDotGroup(op, lanes, 2);
    if (!group)
      return failure();
    auto [pair, weights] = *group;
    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i16 = rewriter.getI16Type(),
         i32 = rewriter.getI32Type();
    auto halfType = VectorType::get({lanes * 2}, i16);
    // The pair in 16 bits (widened here unless it already is), as one word
    // broadcast to every lane.
    if (cast<VectorType>(pair.getType()).getElementType().isInteger(8))
      pair = arith::ExtUIOp::create(rewriter, loc, VectorType::get({2}, i16),
                                    pair);
    Value broadcast = broadcastGroup(rewriter, loc, pair, lanes, halfType);
    Value weightHalves = arith::ExtSIOp::create(
        rewriter, loc, halfType,
        vector::ShapeCastOp::create(rewriter, loc,
                                    VectorType::get({lanes * 2}, i8), weights));
    StringRef name = vectorBits == 512   ? "llvm.x86.avx512.pmaddw.d.512"
                     : vectorBits == 256 ? "llvm.x86.avx2.pmadd.wd"
                                         : "llvm.x86.sse2.pmadd.wd";
    Value sums =
        LLVM::CallIntrinsicOp::create(
            rewriter, loc, VectorType::get({lanes}, i32),
            rewriter.getStringAttr(name), ValueRange{weightHalves, broadcast})
            .getResult(0);
    rewriter.replaceOpWithNewOp<arith::AddIOp>(op, op.getAcc(), sums);
    return success();
  }

  int64_t vectorBits;
};

/// The bf16 pair dot product of a register: the multi_reduction over the
/// pair of
///
///   extf(broadcast(a : vector<2xbf16>)) * extf(w : vector<L x 2 x bf16>)
///
/// into acc : vector<L x f32>, L lanes filling a register. Returns (a, w).
std::optional<std::pair<Value, Value>>
matchBf16DotPair(vector::MultiDimReductionOp op, int64_t lanes) {
  VectorType sourceType = op.getSourceVectorType();
  if (op.getKind() != vector::CombiningKind::ADD ||
      sourceType.getShape() != ArrayRef<int64_t>{lanes, 2} ||
      !sourceType.getElementType().isF32() ||
      op.getReductionMask() != ArrayRef<bool>{false, true})
    return std::nullopt;
  auto mul = op.getSource().getDefiningOp<arith::MulFOp>();
  if (!mul)
    return std::nullopt;
  for (auto [lhs, rhs] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                          std::make_pair(mul.getRhs(), mul.getLhs())}) {
    auto lhsExt = lhs.getDefiningOp<arith::ExtFOp>();
    auto rhsExt = rhs.getDefiningOp<arith::ExtFOp>();
    if (!lhsExt || !rhsExt)
      continue;
    auto broadcast = lhsExt.getIn().getDefiningOp<vector::BroadcastOp>();
    auto sourceVector =
        broadcast ? dyn_cast<VectorType>(broadcast.getSourceType()) : nullptr;
    if (!sourceVector || sourceVector.getShape() != ArrayRef<int64_t>{2} ||
        !sourceVector.getElementType().isBF16() ||
        !getElementTypeOrSelf(rhsExt.getIn().getType()).isBF16())
      continue;
    return std::make_pair(broadcast.getSource(), rhsExt.getIn());
  }
  return std::nullopt;
}

/// One vdpbf16ps for a bf16 pair dot product (matchBf16DotPair).
struct DotPairToBf16Dot : OpRewritePattern<vector::MultiDimReductionOp> {
  DotPairToBf16Dot(MLIRContext *ctx, int64_t vectorBits)
      : OpRewritePattern(ctx), vectorBits(vectorBits) {}

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    int64_t lanes = vectorBits / 32;
    std::optional<std::pair<Value, Value>> pair = matchBf16DotPair(op, lanes);
    if (!pair)
      return failure();
    Location loc = op.getLoc();
    auto pairType = VectorType::get({lanes * 2}, rewriter.getBF16Type());
    Value broadcast =
        broadcastGroup(rewriter, loc, pair->first, lanes, pairType);
    Value weights =
        vector::ShapeCastOp::create(rewriter, loc, pairType, pair->second);
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, VectorType::get({lanes}, rewriter.getF32Type()),
        rewriter.getStringAttr("llvm.x86.avx512bf16.dpbf16ps." +
                               std::to_string(vectorBits)),
        ValueRange{op.getAcc(), broadcast, weights});
    return success();
  }

  int64_t vectorBits;
};

/// A bf16 pair dot product (matchBf16DotPair) without vdpbf16ps: two FMAs
/// on the halves of each 32-bit lane read as f32 — the even element is the
/// lane shifted left by 16, the odd one the lane with its low half cleared.
struct DotPairToFma : OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    auto accType = dyn_cast<VectorType>(op.getAcc().getType());
    if (!accType || accType.getRank() != 1)
      return failure();
    int64_t lanes = accType.getDimSize(0);
    std::optional<std::pair<Value, Value>> pair = matchBf16DotPair(op, lanes);
    if (!pair)
      return failure();
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type(), f32 = rewriter.getF32Type();
    auto wordsType = VectorType::get({lanes}, i32);
    auto halves = [&](Value words) -> std::pair<Value, Value> {
      auto type = cast<VectorType>(words.getType());
      Value sixteen = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(type, APInt(32, 16)));
      Value high = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(type, APInt(32, 0xFFFF0000u)));
      Type floats = type.clone(f32);
      return {arith::BitcastOp::create(
                  rewriter, loc, floats,
                  arith::ShLIOp::create(rewriter, loc, words, sixteen)),
              arith::BitcastOp::create(
                  rewriter, loc, floats,
                  arith::AndIOp::create(rewriter, loc, words, high))};
    };
    // The activation pair: one word, its halves broadcast.
    Value word = vector::BitCastOp::create(
        rewriter, loc, VectorType::get({1}, i32), pair->first);
    auto [evenA, oddA] = halves(word);
    auto broadcastLane = [&](Value v) -> Value {
      return vector::BroadcastOp::create(
          rewriter, loc, accType,
          vector::ExtractOp::create(rewriter, loc, v, ArrayRef<int64_t>{0}));
    };
    Value weights = vector::BitCastOp::create(
        rewriter, loc, wordsType,
        vector::ShapeCastOp::create(
            rewriter, loc, VectorType::get({lanes * 2}, rewriter.getBF16Type()),
            pair->second));
    auto [evenW, oddW] = halves(weights);
    Value acc = vector::FMAOp::create(rewriter, loc, broadcastLane(evenA),
                                      evenW, op.getAcc());
    rewriter.replaceOpWithNewOp<vector::FMAOp>(op, broadcastLane(oddA), oddW,
                                               acc);
    return success();
  }
};

struct LowerVectorsPass
    : public tfm::impl::LowerVectorsPassBase<LowerVectorsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    if (failed(tfm::checkVectorBits(func, "tfm-cpu-lower-vectors",
                                    vectorBits)))
      return signalPassFailure();

    IRRewriter rewriter(ctx);
    prefetchNextPanels(rewriter, func);
    prefetchWeightStreams(func, weightPrefetchBytes);

    // Accumulators stay in registers across reduction loops.
    linalg::hoistRedundantVectorTransfers(func);
    vector::transferOpflowOpt(rewriter, func);
    splitAccumulatorChains(rewriter, func, vectorBits);

    auto apply = [&](function_ref<void(RewritePatternSet &)> populate) {
      RewritePatternSet patterns(ctx);
      populate(patterns);
      return applyPatternsGreedily(func, std::move(patterns));
    };

    // 4-way integer dot products to the instruction that does them.
    if (vnni && (vectorBits == 256 || vectorBits == 512) &&
        failed(apply([&](RewritePatternSet &patterns) {
          patterns.add<DotGroupToVnni>(ctx, vectorBits);
        })))
      return signalPassFailure();

    // u8 x s8 pair dot products to vpmaddwd.
    if (failed(apply([&](RewritePatternSet &patterns) {
          patterns.add<DotPairToPmaddwd>(ctx, vectorBits);
        })))
      return signalPassFailure();

    // bf16 pair dot products to vdpbf16ps, or to FMAs on the pairs'
    // halves.
    if (failed(apply([&](RewritePatternSet &patterns) {
          if (bf16Dot && (vectorBits == 256 || vectorBits == 512))
            patterns.add<DotPairToBf16Dot>(ctx, vectorBits);
          else
            patterns.add<DotPairToFma>(ctx);
        })))
      return signalPassFailure();

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
    // A contraction whose operands differ in element type (an int8 weight
    // converted to float in the product) was vectorized over its whole
    // iteration space, its operands broadcast: the conversion moves below
    // the broadcast, and the broadcasts fold into the contraction's maps,
    // which lowers to outer products like any matmul tile.
    if (failed(apply([&](RewritePatternSet &patterns) {
          vector::populateVectorTransferPermutationMapLoweringPatterns(
              patterns);
          vector::populateSinkVectorOpsPatterns(patterns);
          vector::populateVectorReductionToContractPatterns(patterns);
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
          patterns.add<SingleElementTransferRead>(ctx, /*benefit=*/2);
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
