//===- FactorBlockScales.cpp - block scales applied once per block --------===//
//
// A product by a block-quantized weight dequantizes the weight in its K
// loop (tfm-cpu-tile-and-vectorize fuses the dequantizer into the K steps):
// per K step and register tile, W = (u - z)·s from the codes u, with the
// block's zero point z and scale s. Inside one block's loop z and s do not
// change, so
//
//   Σ_k x_k·(u_k - z)·s = s·(Σ_k x_k·u_k - z·Σ_k x_k)
//
// and the loop only needs to convert the codes and accumulate: the scale
// (and, for one-row tiles, the zero point) is applied once per block, on
// the accumulators. The block's sums start from zero in accumulators of
// their own, one per contraction of the step (the two 4-bit codes of a
// byte) and, where that leaves few FMA chains, per copy of the unrolled
// loop: the chains are independent, which the one accumulator every step
// used to update (two dependent FMAs per byte of codes) was not.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "CpuCodegen.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FACTORBLOCKSCALESPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using mlir::tfm::kMinFmaChains;

namespace {

/// One K step of the chain: acc' = contract(x, W, acc), W = [shape_cast]
/// (sitofp(codes - zero) · scale).
struct ScaledStep {
  vector::ContractionOp contract;
  /// The integer codes (the subtraction's left operand).
  Value codes;
  arith::SIToFPOp convert;
};

/// A reduction loop over one block of a block-quantized weight.
struct BlockLoop {
  scf::ForOp loop;
  SmallVector<ScaledStep> steps;
  /// Invariant in the loop: the block's scale (float) and zero point
  /// (integer, null when the codes are taken as they are).
  Value scale, zero;
};

/// Whether `contract` is the outer product of a column x [M, 1] and a row
/// W [1, N] accumulated into [M, N] (one K step of a register tile).
bool isOuterProductStep(vector::ContractionOp contract) {
  if (contract.getKind() != vector::CombiningKind::ADD)
    return false;
  MLIRContext *ctx = contract.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  SmallVector<AffineMap> expected = {AffineMap::get(3, 0, {m, k}, ctx),
                                     AffineMap::get(3, 0, {k, n}, ctx),
                                     AffineMap::get(3, 0, {m, n}, ctx)};
  if (contract.getIndexingMapsArray() != ArrayRef<AffineMap>(expected))
    return false;
  auto lhs = contract.getLhsType();
  auto acc = dyn_cast<VectorType>(contract.getAccType());
  return acc && acc.getRank() == 2 && acc.getElementType().isF32() &&
         lhs.getShape() == ArrayRef<int64_t>{acc.getDimSize(0), 1} &&
         contract.getRhsType().getShape() ==
             ArrayRef<int64_t>{1, acc.getDimSize(1)};
}

/// The chain of contractions of `loop`'s single accumulator, each step's
/// weight a scaled conversion of integer codes, or nothing. Loop-invariant
/// code is hoisted first, so that the block's scale and zero point are
/// defined outside the loop when they do not change in it.
std::optional<BlockLoop> matchBlockLoop(scf::ForOp loop) {
  if (loop.getNumRegionIterArgs() != 1)
    return std::nullopt;
  // The chain: acc -> contract -> ... -> contract -> yield.
  SmallVector<vector::ContractionOp> chain;
  Value current = loop.getRegionIterArgs()[0];
  while (current.hasOneUse()) {
    auto contract = dyn_cast<vector::ContractionOp>(*current.user_begin());
    if (!contract || contract.getAcc() != current ||
        contract->getParentOp() != loop || !isOuterProductStep(contract))
      break;
    chain.push_back(contract);
    current = contract.getResult();
  }
  Operation *yield = loop.getBody()->getTerminator();
  if (chain.empty() || !current.hasOneUse() || *current.user_begin() != yield)
    return std::nullopt;
  // Each step's weight: [shape_cast] mulf(sitofp(...), scale).
  auto scaledCodes = [](vector::ContractionOp contract)
      -> std::optional<std::pair<arith::SIToFPOp, Value>> {
    Value rhs = contract.getRhs();
    if (auto cast = rhs.getDefiningOp<vector::ShapeCastOp>())
      rhs = cast.getSource();
    auto mul = rhs.getDefiningOp<arith::MulFOp>();
    if (!mul)
      return std::nullopt;
    for (auto [a, b] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                        std::make_pair(mul.getRhs(), mul.getLhs())})
      if (auto convert = a.getDefiningOp<arith::SIToFPOp>();
          convert && getElementTypeOrSelf(convert.getType()).isF32())
        return std::make_pair(convert, b);
    return std::nullopt;
  };
  SmallVector<std::pair<arith::SIToFPOp, Value>> weights;
  for (vector::ContractionOp contract : chain) {
    std::optional<std::pair<arith::SIToFPOp, Value>> weight =
        scaledCodes(contract);
    if (!weight)
      return std::nullopt;
    weights.push_back(*weight);
  }
  (void)moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));

  BlockLoop block{loop, {}, {}, {}};
  for (auto [contract, weight] : llvm::zip_equal(chain, weights)) {
    auto [convert, scale] = weight;
    if (!loop.isDefinedOutsideOfLoop(scale) ||
        (block.scale && block.scale != scale))
      return std::nullopt;
    block.scale = scale;
    Value codes = convert.getIn();
    Value zero;
    // The zero point comes out of the loop with the scale for one-row
    // tiles only: the row sums it then needs cost M additions per K step,
    // against one subtraction per register of the row's weights.
    if (auto sub = codes.getDefiningOp<arith::SubIOp>();
        sub && loop.isDefinedOutsideOfLoop(sub.getRhs()) &&
        contract.getLhsType().getDimSize(0) == 1) {
      codes = sub.getLhs();
      zero = sub.getRhs();
    }
    if (!block.steps.empty() && block.zero != zero)
      return std::nullopt;
    block.zero = zero;
    block.steps.push_back({contract, codes, convert});
  }
  return block;
}

/// Pairwise sum of `values`.
Value sumPairwise(OpBuilder &b, Location loc, SmallVector<Value> values) {
  while (values.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i + 1 < values.size(); i += 2)
      next.push_back(arith::AddFOp::create(b, loc, values[i], values[i + 1]));
    if (values.size() % 2)
      next.push_back(values.back());
    values = std::move(next);
  }
  return values.front();
}

/// Rewrites the block loop: block sums in fresh accumulators (each step,
/// each of `factor` unrolled copies), then acc + s·(Σ - z·Σx) after it.
void factorBlockLoop(RewriterBase &rewriter, const BlockLoop &block,
                     int64_t vectorBits) {
  scf::ForOp loop = block.loop;
  Location loc = loop.getLoc();
  auto accType = cast<VectorType>(loop.getRegionIterArgs()[0].getType());
  int64_t rows = accType.getDimSize(0);
  int64_t steps = block.steps.size();
  // Unrolled copies: enough independent chains (registers of the
  // accumulator, times steps, times copies) to cover the FMA latency.
  int64_t registers =
      llvm::divideCeil(accType.getNumElements() * 32, vectorBits);
  int64_t factor = 1;
  std::optional<APInt> trips = loop.getStaticTripCount();
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  while (trips && step && registers * steps * factor * 2 <= kMinFmaChains &&
         trips->getSExtValue() % (factor * 2) == 0)
    factor *= 2;
  int64_t accumulators = steps * factor;

  rewriter.setInsertionPoint(loop);
  auto zeros = [&](VectorType type) -> Value {
    return arith::ConstantOp::create(
        rewriter, loc, type, cast<TypedAttr>(rewriter.getZeroAttr(type)));
  };
  auto rowType = VectorType::get({rows, 1}, accType.getElementType());
  // Block sums, then (with the zero point) as many row sums: one add per
  // K step in each chain, not all of a step's adds in one.
  SmallVector<Value> inits(accumulators, zeros(accType));
  if (block.zero)
    inits.append(accumulators, zeros(rowType));
  Value newStep = loop.getStep();
  if (factor > 1)
    newStep = arith::ConstantIndexOp::create(rewriter, loc, *step * factor);

  DenseMap<Operation *, int64_t> stepIndex;
  for (auto [i, scaled] : llvm::enumerate(block.steps))
    stepIndex[scaled.contract] = i;
  auto newLoop = scf::ForOp::create(
      rewriter, loc, loop.getLowerBound(), loop.getUpperBound(), newStep, inits,
      [&](OpBuilder &b, Location l, Value iv, ValueRange args) {
        SmallVector<Value> results(args.size());
        for (int64_t copy = 0; copy < factor; ++copy) {
          IRMapping mapping;
          Value copyIv = iv;
          if (copy > 0)
            copyIv = arith::AddIOp::create(
                b, l, iv, arith::ConstantIndexOp::create(b, l, copy * *step));
          mapping.map(loop.getInductionVar(), copyIv);
          for (Operation &op : loop.getBody()->without_terminator()) {
            auto it = stepIndex.find(&op);
            if (it == stepIndex.end()) {
              b.clone(op, mapping);
              continue;
            }
            ScaledStep scaled = block.steps[it->second];
            vector::ContractionOp contract = scaled.contract;
            Value codes = arith::SIToFPOp::create(
                b, l, scaled.convert.getType(), mapping.lookup(scaled.codes));
            if (codes.getType() != contract.getRhsType())
              codes = vector::ShapeCastOp::create(b, l, contract.getRhsType(),
                                                  codes);
            Value x = mapping.lookup(contract.getLhs());
            int64_t chain = copy * steps + it->second;
            results[chain] = vector::ContractionOp::create(
                b, l, x, codes, args[chain], contract.getIndexingMaps(),
                contract.getIteratorTypes(), contract.getKind());
            if (block.zero)
              results[accumulators + chain] =
                  arith::AddFOp::create(b, l, args[accumulators + chain], x);
          }
        }
        scf::YieldOp::create(b, l, results);
      });
  // The copies of the old weights' arithmetic that nothing reads.
  SmallVector<Operation *> ops;
  for (Operation &op : newLoop.getBody()->without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      rewriter.eraseOp(op);

  // acc + s·(Σ x·u - z·Σ x), s and z broadcast over the tile's rows.
  auto overRows = [&](Value value) -> Value {
    auto rowVector =
        VectorType::get({1, accType.getDimSize(1)}, accType.getElementType());
    Value row = vector::ShapeCastOp::create(rewriter, loc, rowVector, value);
    if (rowVector == accType)
      return row;
    return vector::BroadcastOp::create(rewriter, loc, accType, row);
  };
  Value sum = sumPairwise(
      rewriter, loc,
      SmallVector<Value>(newLoop.getResults().take_front(accumulators)));
  if (block.zero) {
    auto zeroType = cast<VectorType>(block.zero.getType());
    Value zero = arith::SIToFPOp::create(
        rewriter, loc, zeroType.clone(accType.getElementType()), block.zero);
    Value rowSums = vector::BroadcastOp::create(
        rewriter, loc, accType,
        sumPairwise(
            rewriter, loc,
            SmallVector<Value>(newLoop.getResults().drop_front(accumulators))));
    sum = arith::SubFOp::create(
        rewriter, loc, sum,
        arith::MulFOp::create(rewriter, loc, rowSums, overRows(zero)));
  }
  Value result = vector::FMAOp::create(rewriter, loc, overRows(block.scale),
                                       sum, loop.getInitArgs()[0]);
  rewriter.replaceOp(loop, result);
}

struct FactorBlockScalesPass
    : public tfm::impl::FactorBlockScalesPassBase<FactorBlockScalesPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(tfm::checkVectorBits(getOperation(),
                                    "tfm-cpu-factor-block-scales", vectorBits)))
      return signalPassFailure();
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : loops)
      if (std::optional<BlockLoop> block = matchBlockLoop(loop))
        factorBlockLoop(rewriter, *block, vectorBits);
  }
};

} // namespace
