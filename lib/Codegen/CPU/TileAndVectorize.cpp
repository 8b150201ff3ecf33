//===- TileAndVectorize.cpp - thread and register tiling, vectorization ---===//
//
// Two levels of tiling on linalg ops, then vectorization:
//
// 1. Threads. Each top-level linalg op with enough work becomes an
//    scf.forall over about `num-threads` tiles of its parallel loops (later
//    an OpenMP parallel loop). Tile counts divide the loop sizes so that
//    tiles are equal and static. A contraction splits its batch, then N
//    (each thread streams its part of the weights), then M. The fill or
//    bias broadcast that initializes an op's output is fused into its tiles.
//
// 2. Registers. Inside, a contraction is tiled to mr x nr micro-tiles (N
//    outer, so that a K x nr panel of the right operand stays in cache
//    while the rows of the left one stream past) with K stepped by one:
//    vectorized, each step is an outer product of an mr-vector and an
//    nr-vector accumulated into mr x nr registers. Other ops are tiled to
//    one vector along their innermost loop. Loops whose size the tile does
//    not divide are peeled, so that every tile has a static shape. A
//    contraction tile that is not a plain matmul (a product by a weight in
//    the panel layout, [P, K, 16]) drops its unit loops and becomes one,
//    keeping its maps when an operand is transposed. An op that reads an
//    operand transposed is tiled to 8 x 8 blocks, transposed in registers.
//    A row reduction is first split into 32 partial sums per row, which
//    accumulate elementwise in registers. A contraction with a long K and
//    more rows than one micro-tile walks K in blocks, outermost, so that
//    the left operand's block stays in L2.
//
// Dynamic loops (a sequence length known at run time) are split over
// threads only in ops without static parallelism to split (a norm over a
// prompt's rows): in chunks of rows, all of them in one chunk when they are
// too few to be worth the threads (see distributeDynamicRows). A
// contraction's dynamic rows are split into whole register tiles up to the last
// multiple of the tile height and one-row tiles after it, each with K
// innermost; other dynamic loops take whole tiles, and their peeled remainder
// is walked one step at a time, so that every vectorized tile is static.
//
// Ops the vectorizer does not handle (non-projected indexing maps, i1
// buffers whose bytes LLVM would bit-pack) stay scalar and become loops.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "../IndexArithmetic.h"
#include "CpuCodegen.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_TILEANDVECTORIZEPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;

namespace {

/// The register tile of a contraction: two vector registers wide, and as
/// many rows as the register file holds accumulators for. AVX2 (sixteen
/// registers), f32: 6 x 16 is twelve 8-lane accumulators, leaving three
/// registers for the two weight vectors and the broadcast input element of
/// a K step; twelve independent FMAs per step cover the FMA latency on both
/// pipes, where 4 x 16's eight did not (a 128 x 768 x 768 product: 161 ->
/// 185 GFLOP/s on 2 threads, bench/gemm_bench.py). AVX-512 (32 registers),
/// f32: 8 x 32 is sixteen 16-lane accumulators and divides the 128 rows of
/// a sequence; MiniLM-L6 on Zen 5 (interleaved medians, ms): 4 rows 10.59,
/// 8 rows 10.01, 12 rows 10.16, 14 rows 10.47 (6 x 16, i.e. the AVX2 tile
/// in half as many 512-bit registers, 11.91); a 128 x 768 x 768 product
/// reaches 386 GFLOP/s, 93 % of the 16-lane peak.
struct MicroTile {
  int64_t rows;
  int64_t bits;
};
MicroTile getMicroTile(int64_t vectorBits) {
  return {vectorBits >= 512 ? 8 : 6, 2 * vectorBits};
}
/// How many times wider than a micro-tile a one-row product's tile is.
constexpr int64_t kOneRowWidening = 4;
/// Reductions longer than kMaxUnblockedK are walked in blocks of kKBlock:
/// 128 rows of 768 f32 (384 KiB) stay in the 512 KiB L2 while the weight
/// panels stream past. BERT-base -O3 (FFN2, K = 3072): 127.6 -> 126.2 ms
/// median over two interleaved rounds; blocks of 256 and 512 were in
/// between.
constexpr int64_t kMaxUnblockedK = 1024;
constexpr int64_t kKBlock = 768;
/// Vector registers one vectorized elementwise tile covers.
constexpr int64_t kVectorTileRegisters = 4;
/// Trip counts up to which the innermost K loop of a product that
/// dequantizes its weight is unrolled (the two 4-bit values of a byte).
constexpr int64_t kMaxUnrolledTrips = 2;

/// Trip count of `loop` when its bounds are constants, else a large value.
int64_t getConstantLoopTripCount(scf::ForOp loop) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *step <= 0)
    return std::numeric_limits<int64_t>::max();
  return llvm::divideCeil(*ub - *lb, *step);
}

/// Rows and columns of the block an op reading a transposed operand is
/// tiled to: an 8 x 8 f32 block is eight AVX2 loads and a register
/// transpose.
constexpr int64_t kTransposeBlock = 8;

int64_t getElementBits(linalg::LinalgOp op) {
  int64_t bits = 0;
  for (Value operand : op->getOperands())
    if (auto shaped = dyn_cast<ShapedType>(operand.getType()))
      if (shaped.getElementType().isIntOrFloat())
        bits = std::max<int64_t>(bits, shaped.getElementTypeBitWidth());
  return std::max<int64_t>(bits, 8);
}

/// True when a contraction of A elements of `activation` type by W
/// elements of `weight` type, `size` consecutive K elements per 32-bit
/// lane, is one of the CPU's dot product layouts: four 8-bit integers
/// (VNNI's vpdpbusd), two 8-bit integers with A widened to 16 bits
/// (vpmaddwd, on AVX2 and AVX-512 without VNNI; A's bytes may also be
/// widened in registers), or two bf16 (AVX-512 BF16's vdpbf16ps).
bool isDotGroup(Type activation, Type weight, int64_t size) {
  if (weight.isInteger(8) && activation.isInteger(8))
    return size == 4 || size == 2;
  if (weight.isInteger(8) && activation.isInteger(16))
    return size == 2;
  return weight.isBF16() && activation.isBF16() && size == 2;
}

/// True when loop `dim` of the contraction `op` is the innermost loop and
/// a whole dot group of both operands.
bool isDotGroupLoop(linalg::LinalgOp op, unsigned dim) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  return op.getNumDpsInputs() == 2 && dim + 1 == ranges.size() &&
         isDotGroup(getElementTypeOrSelf(op.getDpsInputs()[0].getType()),
                    getElementTypeOrSelf(op.getDpsInputs()[1].getType()),
                    ranges[dim]);
}

/// True when the body of `op` is `acc + zext(a) * sext(w)` on its inputs
/// (a, w) and output (acc).
bool isUnsignedSignedDotBody(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add || add.getLhs() != body.getArgument(2))
    return false;
  auto mul = add.getRhs().getDefiningOp<arith::MulIOp>();
  if (!mul)
    return false;
  auto zext = mul.getLhs().getDefiningOp<arith::ExtUIOp>();
  auto sext = mul.getRhs().getDefiningOp<arith::ExtSIOp>();
  return zext && sext && zext.getIn() == body.getArgument(0) &&
         sext.getIn() == body.getArgument(1) &&
         body.getOperations().size() == 5;
}

/// True when the body of `op` is `acc + extf(a) * extf(w)` on its inputs
/// (a, w) and f32 output (acc).
bool isFloatDotBody(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || add.getLhs() != body.getArgument(2) || !add.getType().isF32())
    return false;
  auto mul = add.getRhs().getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  auto lhs = mul.getLhs().getDefiningOp<arith::ExtFOp>();
  auto rhs = mul.getRhs().getDefiningOp<arith::ExtFOp>();
  return lhs && rhs && lhs.getIn() == body.getArgument(0) &&
         rhs.getIn() == body.getArgument(1) && body.getOperations().size() == 5;
}

/// True when `op` is a register tile of a dot product layout: loops
/// (m, p, g, j, t) over A[m, g, t] and W[p, g, j, t] into C[m, p, j], with
/// one step of p and g, output features in whole registers of `lanes` and
/// the group t whole; uint8 x int8 into i32 (groups of four or pairs) or
/// bf16 x bf16 into f32 (pairs).
bool isDotGroupTile(linalg::LinalgOp linalgOp, int64_t lanes) {
  auto op = dyn_cast<linalg::GenericOp>(linalgOp.getOperation());
  if (!op)
    return false;
  MLIRContext *ctx = op.getContext();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.size() != 5 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || ranges[1] != 1 || ranges[2] != 1 ||
      !isDotGroupLoop(linalgOp, 4) || ShapedType::isDynamic(ranges[0]) ||
      ShapedType::isDynamic(ranges[3]) || ranges[3] % lanes != 0 ||
      !op.hasPureTensorSemantics())
    return false;
  Type weightType = getElementTypeOrSelf(op.getDpsInputs()[1].getType());
  if (isa<IntegerType>(weightType) ? !isUnsignedSignedDotBody(op)
                                   : !isFloatDotBody(op))
    return false;
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> expected = {
      AffineMap::get(5, 0, {dim(0), dim(2), dim(4)}, ctx),
      AffineMap::get(5, 0, {dim(1), dim(2), dim(3), dim(4)}, ctx),
      AffineMap::get(5, 0, {dim(0), dim(1), dim(3)}, ctx)};
  return op.getIndexingMapsArray() == expected;
}

/// Vectorizes a dot-group tile (isDotGroupTile) register by register: for
/// each row and each `lanes` output features,
///
///   acc[j] += Σ_t ext(a[t]) · ext(W[j, t])
///
/// with W's register read as one 32-bit word per feature (its group), as a
/// multi_reduction over t. This is the exact form of one vpdpbusd (uint8 x
/// int8 into i32, zext and sext; a pair: one vpmaddwd on the bytes widened
/// to 16 bits) or one vdpbf16ps (bf16 x bf16 into f32),
/// which tfm-cpu-lower-vectors emits on targets that have them (the
/// activation group broadcast to every lane).
void vectorizeDotGroupTile(RewriterBase &rewriter, linalg::GenericOp op,
                           int64_t lanes) {
  MLIRContext *ctx = op.getContext();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t rows = ranges[0], width = ranges[3];
  Location loc = op.getLoc();
  Type activationType = getElementTypeOrSelf(op.getDpsInputs()[0].getType());
  Type weightType = getElementTypeOrSelf(op.getDpsInputs()[1].getType());
  Type accType = getElementTypeOrSelf(op.getDpsInits()[0].getType());
  int64_t group = ranges[4];
  bool isFloat = isa<FloatType>(accType);
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Constants at the function's entry: the accumulator's transfers must
  // have loop-invariant operands to be hoisted out of the K loop.
  rewriter.setInsertionPointToStart(
      &op->getParentOfType<func::FuncOp>().getBody().front());
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  auto zeroOf = [&](Type type) -> Value {
    return arith::ConstantOp::create(rewriter, loc, type,
                                     rewriter.getZeroAttr(type));
  };
  Value zeroActivation = zeroOf(activationType),
        zeroWeight = zeroOf(weightType), zeroAcc = zeroOf(accType);
  SmallVector<Value> offsets;
  for (int64_t c = 0; c < width; c += lanes)
    offsets.push_back(arith::ConstantIndexOp::create(rewriter, loc, c * group));
  rewriter.setInsertionPoint(op);
  auto read = [&](Value source, VectorType type, AffineMap map, Value pad) {
    int64_t rank = cast<ShapedType>(source.getType()).getRank();
    return vector::TransferReadOp::create(
               rewriter, loc, type, source, SmallVector<Value>(rank, zero), pad,
               map, SmallVector<bool>(type.getRank(), true))
        .getResult();
  };
  // The widening of each operand to the accumulator's type.
  auto extend = [&](Value value, bool isActivation) -> Value {
    auto type = cast<VectorType>(value.getType()).clone(accType);
    if (isFloat)
      return arith::ExtFOp::create(rewriter, loc, type, value);
    if (isActivation)
      return arith::ExtUIOp::create(rewriter, loc, type, value);
    return arith::ExtSIOp::create(rewriter, loc, type, value);
  };
  // Each operand's tile without its unit dimensions.
  Value activations =
      read(op.getDpsInputs()[0], VectorType::get({rows, group}, activationType),
           AffineMap::get(3, 0, {dim(0), dim(2)}, ctx), zeroActivation);
  // The accumulator tile is read and written whole (a transfer pair that
  // loop hoisting keeps in registers across the K loop).
  auto accTileType = VectorType::get({rows, 1, width}, accType);
  AffineMap accMap = AffineMap::getMultiDimIdentityMap(3, ctx);
  Value acc = vector::ShapeCastOp::create(
      rewriter, loc, VectorType::get({rows, width}, accType),
      read(op.getDpsInits()[0], accTileType, accMap, zeroAcc));
  // The weight tile is `width` x `group` contiguous elements: one plain
  // load per register.
  Value weights = tensor::CollapseShapeOp::create(
      rewriter, loc, op.getDpsInputs()[1],
      SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
  SmallVector<Value> panelRegisters;
  for (Value offset : offsets) {
    Value elements = vector::TransferReadOp::create(
        rewriter, loc, VectorType::get({lanes * group}, weightType), weights,
        ValueRange{offset}, zeroWeight, ArrayRef<bool>{true});
    Value groups = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({lanes, group}, weightType), elements);
    panelRegisters.push_back(extend(groups, /*isActivation=*/false));
  }
  Value result = acc;
  for (int64_t r = 0; r < rows; ++r) {
    Value elements = vector::ExtractOp::create(rewriter, loc, activations,
                                               ArrayRef<int64_t>{r});
    Value broadcast =
        extend(vector::BroadcastOp::create(
                   rewriter, loc,
                   VectorType::get({lanes, group}, activationType), elements),
               /*isActivation=*/true);
    Value row =
        vector::ExtractOp::create(rewriter, loc, acc, ArrayRef<int64_t>{r});
    for (auto [c, panel] : llvm::enumerate(panelRegisters)) {
      int64_t offset = static_cast<int64_t>(c) * lanes;
      Value sums = vector::ExtractStridedSliceOp::create(
          rewriter, loc, row, ArrayRef<int64_t>{offset},
          ArrayRef<int64_t>{lanes}, ArrayRef<int64_t>{1});
      Value products =
          isFloat ? arith::MulFOp::create(rewriter, loc, broadcast, panel)
                        .getResult()
                  : arith::MulIOp::create(rewriter, loc, broadcast, panel)
                        .getResult();
      Value dot = vector::MultiDimReductionOp::create(
          rewriter, loc, products, sums, ArrayRef<bool>{false, true},
          vector::CombiningKind::ADD);
      row = vector::InsertStridedSliceOp::create(rewriter, loc, dot, row,
                                                 ArrayRef<int64_t>{offset},
                                                 ArrayRef<int64_t>{1});
    }
    result = vector::InsertOp::create(rewriter, loc, row, result,
                                      ArrayRef<int64_t>{r});
  }
  Value written =
      vector::TransferWriteOp::create(
          rewriter, loc,
          vector::ShapeCastOp::create(rewriter, loc, accTileType, result),
          op.getDpsInits()[0], SmallVector<Value>(3, zero), accMap,
          SmallVector<bool>(3, true))
          .getResult();
  rewriter.replaceOp(op, written);
}

/// True when the body widens an operand as unsigned (a uint8 activation):
/// vector.contract sign-extends narrower operands, so such a contraction
/// must keep its extensions and not become a named matmul or a direct
/// vector.contract.
bool hasUnsignedExtension(linalg::LinalgOp op) {
  return llvm::any_of(op.getBlock()->getOperations(), [](Operation &bodyOp) {
    return isa<arith::ExtUIOp, arith::UIToFPOp>(bodyOp);
  });
}

bool hasBooleanOperand(linalg::LinalgOp op) {
  for (Value operand : op->getOperands())
    if (getElementTypeOrSelf(operand.getType()).isInteger(1))
      return true;
  for (Value result : op->getResults())
    if (getElementTypeOrSelf(result.getType()).isInteger(1))
      return true;
  return false;
}

/// A fill, or an all-parallel generic (a broadcast bias, attention's mask),
/// with a single use: when that use is as an output, its only role is to
/// initialize the output, and it can be computed tile by tile with it.
bool isInitializer(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || op->getNumResults() != 1 ||
      llvm::count_if(op->getUsers(), [](Operation *user) {
        return !isa<tensor::DimOp>(user);
      }) != 1)
    return false;
  return isa<linalg::FillOp>(op) ||
         linalgOp.getNumParallelLoops() == linalgOp.getNumLoops();
}

/// Points the size queries (tensor.dim) of an initializer's result at its
/// destination, which has the same sizes: tiling a consumer over a dynamic
/// dimension reads them, and the initializer must be left with one use to
/// be fused and erased.
void redirectSizeQueries(RewriterBase &rewriter, Operation *initializer) {
  Value dest = cast<DestinationStyleOpInterface>(initializer)
                   .getDpsInitsMutable()[0]
                   .get();
  for (OpOperand &use :
       llvm::make_early_inc_range(initializer->getResult(0).getUses()))
    if (auto dim = dyn_cast<tensor::DimOp>(use.getOwner()))
      rewriter.modifyOpInPlace(dim, [&] { use.set(dest); });
}

/// An initializer used as the output of a linalg op in its block, which
/// tiling fuses into that op's tiles.
bool isFusableInit(Operation *op) {
  if (!isInitializer(op))
    return false;
  OpOperand &use = *op->getResult(0).getUses().begin();
  auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
  return consumer && consumer.isDpsInit(&use) &&
         consumer->getBlock() == op->getBlock();
}

/// The loop that an input of `op` reads contiguously when it is not the
/// innermost loop (the input is read transposed), if any input does.
std::optional<unsigned> getTransposedReadLoop(linalg::LinalgOp op) {
  unsigned innermost = op.getNumLoops() - 1;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() < 2 || !map.isProjectedPermutation())
      continue;
    unsigned contiguous = map.getDimPosition(map.getNumResults() - 1);
    if (contiguous != innermost && map.isFunctionOfDim(innermost))
      return contiguous;
  }
  return std::nullopt;
}

/// Lanes a row reduction is split into (four AVX2 vectors of f32).
constexpr int64_t kReductionLanes = 32;

/// An op reducing its innermost loop only (a norm's statistics), long
/// enough to be split into kReductionLanes partial results. Its rows may
/// be dynamic (runOnOperation walks them first).
bool isInnermostRowReduction(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty() || op.getNumReductionLoops() != 1 ||
      op.getNumDpsInits() != 1 || isaContractionOpInterface(op) ||
      op.hasIndexSemantics() || ShapedType::isDynamic(ranges.back()))
    return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators.back() != utils::IteratorType::reduction)
    return false;
  // linalg::splitReduction reads every map as a permutation of loops: a
  // map like grouped-query attention's (d1 floordiv g) is out of reach.
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation(/*allowZeroInResults=*/true);
      }))
    return false;
  int64_t size = ranges.back();
  return size >= 2 * kReductionLanes && size % kReductionLanes == 0 &&
         getElementBits(op) == 32;
}

/// Splits a row reduction into a partial reduction into kReductionLanes
/// lanes per row ([rows, N / lanes, lanes] -> [rows, lanes], accumulated
/// elementwise in vector registers) and a final reduction of the lanes.
/// Vectorized as it is, every vector of the row would be reduced
/// horizontally on its own.
void splitRowReduction(RewriterBase &rewriter, linalg::LinalgOp op) {
  unsigned outputRank =
      op.getMatchingIndexingMap(op.getDpsInitOperand(0)).getNumResults();
  rewriter.setInsertionPoint(op);
  (void)linalg::splitReduction(rewriter, op, [&](linalg::LinalgOp) {
    return linalg::SplitReductionOptions{kReductionLanes, outputRank,
                                         /*innerParallel=*/true};
  });
}

bool isContraction(linalg::LinalgOp op) {
  return linalg::isaContractionOpInterface(op) &&
         succeeded(linalg::inferContractionDims(op));
}

/// A weight dequantizer: an all-parallel generic computing a float tensor
/// from constants, one of them integer (a quantized weight's codes), read
/// only as an input of contractions. It is not computed on its own: each
/// K step of a product computes the slice it reads (fuseWeightDequantizers),
/// so that the weight is dequantized in registers and never stored in
/// float.
bool isWeightDequantizer(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic->getNumResults() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.hasPureTensorSemantics() ||
      !isa<FloatType>(getElementTypeOrSelf(generic->getResult(0).getType())))
    return false;
  bool readsIntegers = false;
  for (Value input : generic.getDpsInputs()) {
    if (!input.getDefiningOp<arith::ConstantOp>())
      return false;
    readsIntegers |= isa<IntegerType>(getElementTypeOrSelf(input.getType()));
  }
  if (!readsIntegers || generic->use_empty())
    return false;
  return llvm::all_of(generic->getUses(), [](OpOperand &use) {
    auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
    return consumer && consumer.isDpsInput(&use) &&
           linalg::isaContractionOpInterface(consumer);
  });
}

/// Whether `op` is an epilogue of the product result `product`: an
/// all-parallel generic with one result reading `product` with an identity
/// map (the dequantize, activation and residual the conversion puts after
/// a product). An epilogue is computed in the product's tiles, from its
/// accumulators, instead of in a pass of its own over the stored product.
/// Over dynamic rows it shares the product's thread tiles; the product's
/// split into whole and one-row register tiles leaves it a pass over the
/// thread's tile.
bool isEpilogueOf(Operation *op, Value product) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic->getNumResults() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.hasPureTensorSemantics())
    return false;
  return llvm::any_of(generic.getDpsInputOperands(), [&](OpOperand *input) {
    return input->get() == product &&
           generic.getMatchingIndexingMap(input).isIdentity();
  });
}

/// The contraction whose epilogue `op` is, or null: its result, used only
/// by `op`, in `op`'s block.
linalg::LinalgOp getEpilogueProduct(Operation *op) {
  for (Value operand : op->getOperands()) {
    auto product = operand.getDefiningOp<linalg::LinalgOp>();
    if (product && isContraction(product) && product->getNumResults() == 1 &&
        product->hasOneUse() && product->getBlock() == op->getBlock() &&
        isEpilogueOf(op, operand))
      return product;
  }
  return nullptr;
}

/// Rewrites each `tensor.dim` of a dynamic dimension of a destination-style
/// op's result (or of a collapse that keeps that dimension) into the
/// `tensor.empty` size its init chain starts from: a product and the
/// collapse of its result keep their one consumer (the epilogue), rather
/// than a size query each.
void resolveProductSizes(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<tensor::DimOp> dims;
  func.walk([&](tensor::DimOp dim) { dims.push_back(dim); });
  for (tensor::DimOp dim : dims) {
    std::optional<int64_t> index = dim.getConstantIndex();
    if (!index)
      continue;
    int64_t d = *index;
    Value source = dim.getSource();
    if (auto collapse = source.getDefiningOp<tensor::CollapseShapeOp>()) {
      ReassociationIndices group = collapse.getReassociationIndices()[d];
      if (group.size() != 1)
        continue;
      d = group.front();
      source = collapse.getSrc();
    }
    bool throughOp = false;
    while (auto result = dyn_cast<OpResult>(source)) {
      auto dps = dyn_cast<DestinationStyleOpInterface>(result.getOwner());
      if (!dps)
        break;
      source = dps.getDpsInitOperand(result.getResultNumber())->get();
      throughOp = true;
    }
    auto empty = source.getDefiningOp<tensor::EmptyOp>();
    if (!throughOp || !empty || !empty.getType().isDynamicDim(d))
      continue;
    rewriter.replaceOp(dim, empty.getDynamicSize(d));
  }
}

/// Whether `fused` (an operand of an epilogue, defined by a collapse of a
/// product's result) should be folded by expanding the epilogue to the
/// product's shape: then the epilogue reads the product directly.
bool isCollapsedProductOperand(OpOperand *fused) {
  auto generic = dyn_cast<linalg::GenericOp>(fused->getOwner());
  auto collapse = fused->get().getDefiningOp<tensor::CollapseShapeOp>();
  if (!generic || !collapse || generic->getNumResults() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.isDpsInput(fused) || !collapse->hasOneUse())
    return false;
  auto product = collapse.getSrc().getDefiningOp<linalg::LinalgOp>();
  return product && isContraction(product) && product->hasOneUse();
}

/// Computes, in the K step of the register tile `tiled`, the slices of its
/// inputs that come from weight dequantizers: the chain of unit-stride
/// slices (threads, register tile, K step) from the dequantizer's result
/// to the operand is composed into one slice, which the dequantizer's tile
/// replaces.
bool fuseWeightDequantizers(RewriterBase &rewriter, linalg::LinalgOp tiled,
                            const DenseSet<Operation *> &dequantizers) {
  bool fusedAny = false;
  for (OpOperand *input : tiled.getDpsInputOperands()) {
    SmallVector<tensor::ExtractSliceOp> chain;
    Value source = input->get();
    while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>()) {
      if (slice.getSourceType().getRank() != slice.getResultType().getRank() ||
          !slice.hasUnitStride())
        break;
      chain.push_back(slice);
      source = slice.getSource();
    }
    auto producer = dyn_cast<OpResult>(source);
    if (chain.empty() || !producer ||
        !dequantizers.contains(producer.getOwner()))
      continue;
    rewriter.setInsertionPoint(tiled);
    Location loc = tiled.getLoc();
    // Offsets add up along the chain; the sizes are the innermost slice's.
    SmallVector<OpFoldResult> offsets = chain.back().getMixedOffsets();
    for (tensor::ExtractSliceOp slice :
         llvm::reverse(ArrayRef(chain).drop_back()))
      for (auto [total, offset] :
           llvm::zip_equal(offsets, slice.getMixedOffsets())) {
        AffineExpr s0, s1;
        bindSymbols(rewriter.getContext(), s0, s1);
        total = affine::makeComposedFoldedAffineApply(rewriter, loc, s0 + s1,
                                                      {total, offset});
      }
    SmallVector<OpFoldResult> sizes = chain.front().getMixedSizes();
    SmallVector<OpFoldResult> strides(sizes.size(), rewriter.getIndexAttr(1));
    auto slice = tensor::ExtractSliceOp::create(rewriter, loc, producer,
                                                offsets, sizes, strides);
    FailureOr<TilingResult> fused =
        tensor::replaceExtractSliceWithTiledProducer(rewriter, slice, producer);
    if (failed(fused) || fused->tiledValues.size() != 1 ||
        fused->tiledValues[0].getType() != input->get().getType()) {
      rewriter.eraseOp(slice);
      continue;
    }
    rewriter.modifyOpInPlace(tiled, [&] { input->set(fused->tiledValues[0]); });
    rewriter.eraseOp(slice);
    fusedAny = true;
    // The tile writes a tile-sized tensor of its own, not a slice of the
    // whole weight's (which would be allocated in full).
    for (Operation *op : fused->tiledOps) {
      auto tile = dyn_cast<DestinationStyleOpInterface>(op);
      if (!tile)
        continue;
      for (OpOperand &init : tile.getDpsInitsMutable()) {
        auto initSlice = init.get().getDefiningOp<tensor::ExtractSliceOp>();
        if (!initSlice ||
            !initSlice.getSource().getDefiningOp<tensor::EmptyOp>())
          continue;
        rewriter.setInsertionPoint(op);
        Value empty =
            tensor::EmptyOp::create(rewriter, loc, initSlice.getMixedSizes(),
                                    initSlice.getResultType().getElementType());
        rewriter.modifyOpInPlace(op, [&] { init.set(empty); });
      }
    }
  }
  return fusedAny;
}

/// A read of a whole tensor that one transfer_write just wrote in full (a
/// dequantized weight tile handed to its product in the same K step),
/// differing only in unit dimensions: the written vector itself. Upstream's
/// read-after-write folding needs equal vector types.
struct ForwardWholeTensorWrite : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto write = read.getBase().getDefiningOp<vector::TransferWriteOp>();
    if (!write || write.getMask() || read.getMask())
      return failure();
    auto tensorType = dyn_cast<RankedTensorType>(write.getBase().getType());
    VectorType written = write.getVectorType(), wanted = read.getVectorType();
    auto isZero = [](Value v) { return isZeroInteger(v); };
    if (!tensorType || !tensorType.hasStaticShape() ||
        written.getShape() != tensorType.getShape() ||
        !write.getPermutationMap().isMinorIdentity() ||
        !read.getPermutationMap().isMinorIdentity() ||
        !llvm::all_of(write.getIndices(), isZero) ||
        !llvm::all_of(read.getIndices(), isZero) ||
        written.getNumElements() != wanted.getNumElements() ||
        written.getElementType() != wanted.getElementType())
      return failure();
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(read, wanted,
                                                     write.getVector());
    return success();
  }
};

/// The loop a thread split must keep whole register tiles of: for a
/// contraction, the one along the output's contiguous dimension (for a
/// product by a weight in the panel layout, the panel's lanes rather than
/// the reduction, which is the last loop); for other ops the last loop.
unsigned getOutputInnermostLoop(linalg::LinalgOp op) {
  if (!isContraction(op))
    return op.getNumLoops() - 1;
  AffineMap map = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (map.getNumResults() > 0)
    if (auto dim = dyn_cast<AffineDimExpr>(map.getResults().back()))
      return dim.getPosition();
  return op.getNumLoops() - 1;
}

/// The largest divisor of `size` that is at most `limit`.
int64_t largestDivisorAtMost(int64_t size, int64_t limit) {
  for (int64_t d = std::min(size, limit); d > 1; --d)
    if (size % d == 0)
      return d;
  return 1;
}

/// The points of `op`'s iteration space over its static loops (a dynamic
/// loop counts as one iteration).
int64_t getStaticWork(linalg::LinalgOp op) {
  int64_t work = 1;
  for (int64_t size : op.getStaticLoopRanges())
    if (!ShapedType::isDynamic(size))
      work *= size;
  return work;
}

scf::SCFTileAndFuseOptions::ControlFnTy fuseDestinationProducers() {
  return [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
             -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
    if (!isDestination || !isFusableInit(producer.getOwner()))
      return std::nullopt;
    return scf::SCFTileAndFuseOptions::ControlFnResult{};
  };
}

/// Thread tiles also take in the statistics their op reads (a norm's sums
/// and their partial sums), computed for the tile's rows only: each
/// thread then makes one pass over its rows instead of one parallel loop
/// (and a serial one) per statistic. A producer that every tile would
/// need whole, or a product, is left alone.
scf::SCFTileAndFuseOptions::ControlFnTy fuseStatisticsAndDestinations() {
  return [](tensor::ExtractSliceOp slice, OpResult producer, bool isDestination)
             -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
    if (isDestination)
      return fuseDestinationProducers()(slice, producer, isDestination);
    auto linalgOp = dyn_cast<linalg::LinalgOp>(producer.getOwner());
    // (A slice of dynamic sizes is a part: a chunk of a run-time number of
    // rows.)
    if (!linalgOp || isContraction(linalgOp) ||
        linalgOp.getNumReductionLoops() == 0 ||
        (slice.getSourceType().hasStaticShape() &&
         slice.getSourceType().getShape() == slice.getResultType().getShape()))
      return std::nullopt;
    return scf::SCFTileAndFuseOptions::ControlFnResult{};
  };
}

/// Fuses into the loop nest that `tiled` was tiled in the initializers
/// (fills, bias broadcasts) of its outputs: each tile then initializes its
/// own part of the output (in registers, once vectorized) instead of a
/// separate parallel loop writing the whole output first. The loops carry
/// the output through shared outputs and iteration arguments, which
/// upstream's producer fusion does not follow to the initializer.
void fuseInitializers(RewriterBase &rewriter, linalg::LinalgOp tiled,
                      ArrayRef<LoopLikeOpInterface> tileLoops) {
  for (OpOperand &init : tiled.getDpsInitsMutable()) {
    auto slice = init.get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || !slice->hasOneUse())
      continue;
    // Walk out through the loops to the value the outermost one starts
    // from; every loop on the way must only carry the output.
    Value carried = slice.getSource();
    OpOperand *outermost = nullptr;
    while (auto arg = dyn_cast<BlockArgument>(carried)) {
      Operation *owner = arg.getOwner()->getParentOp();
      // Only the loops over the output's tiles: the initializer must not
      // move into a loop over reduction blocks.
      if (!llvm::any_of(tileLoops, [&](LoopLikeOpInterface loop) {
            return loop.getOperation() == owner;
          }))
        break;
      OpOperand *tied = nullptr;
      if (auto forall = dyn_cast<scf::ForallOp>(owner))
        tied = forall.getTiedOpOperand(arg);
      else if (auto loop = dyn_cast<scf::ForOp>(owner))
        tied = loop.getTiedLoopInit(arg);
      if (!tied)
        break;
      outermost = tied;
      carried = tied->get();
    }
    if (!outermost)
      continue;
    auto producer = carried.getDefiningOp<linalg::LinalgOp>();
    Operation *loop = outermost->getOwner();
    if (!producer || !isInitializer(producer) ||
        producer->getBlock() != loop->getBlock())
      continue;
    redirectSizeQueries(rewriter, producer);
    rewriter.setInsertionPoint(tiled);
    FailureOr<TilingResult> fused =
        tensor::replaceExtractSliceWithTiledProducer(rewriter, slice,
                                                     cast<OpResult>(carried));
    if (failed(fused) || fused->tiledOps.size() != 1 ||
        fused->tiledValues.size() != 1)
      continue;
    // The tile initializes the slice of the carried output in place.
    auto tiledInit = cast<DestinationStyleOpInterface>(fused->tiledOps[0]);
    rewriter.modifyOpInPlace(
        tiledInit, [&] { tiledInit.getDpsInitsMutable()[0].set(slice); });
    rewriter.modifyOpInPlace(tiled, [&] { init.set(fused->tiledValues[0]); });
    // The outermost loop now starts from the initializer's destination.
    rewriter.modifyOpInPlace(
        loop, [&] { outermost->set(producer.getDpsInits()[0]); });
  }
}

/// Tiles `op` with `tiling`, fusing the producers `control` accepts into
/// the loops, replaces `op` with the loops' results and fuses its outputs'
/// initializers into its tiles (fuseInitializers).
FailureOr<scf::SCFTileAndFuseResult>
tileFuseAndReplace(RewriterBase &rewriter, linalg::LinalgOp op,
                   const scf::SCFTilingOptions &tiling,
                   scf::SCFTileAndFuseOptions::ControlFnTy control,
                   StringRef what) {
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(control);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return op->emitError("cannot ") << what;
  for (OpResult value : op->getResults())
    rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));
  rewriter.eraseOp(op);
  fuseInitializers(rewriter,
                   cast<linalg::LinalgOp>(result->tiledAndFusedOps.front()),
                   result->loops);
  return result;
}

/// Rewrites a register tile of a contraction that is not a plain 2-D matmul
/// (a product with packed operands, or with batch or tiled-away outer
/// dimensions) as `linalg.matmul`: every unit loop except the tile's
/// innermost M, N and K dimensions is dropped, and the remaining
/// [M, K] x [K, N] generic is specialized. The vectorizer turns a named
/// matmul into one operand-shaped `vector.contract`, which lowers to outer
/// products; a generic contraction would instead be broadcast over its
/// whole iteration space.
void specializeContractionTile(RewriterBase &rewriter, linalg::LinalgOp op) {
  if (isa<linalg::MatmulOp>(op) || !isContraction(op) ||
      hasUnsignedExtension(op))
    return;
  // Operands of different element types (an f32 probability tile by f16
  // values) stay a generic: the named contraction's vectorization would
  // pair them in one vector.contract, which requires equal types.
  if (getElementTypeOrSelf(op.getDpsInputs()[0].getType()) !=
      getElementTypeOrSelf(op.getDpsInputs()[1].getType()))
    return;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
  SmallVector<unsigned> kept = {dims.m.back(), dims.n.back(), dims.k.back()};
  SmallVector<unsigned> dropped;
  for (unsigned i = 0; i < ranges.size(); ++i) {
    if (llvm::is_contained(kept, i))
      continue;
    if (ranges[i] != 1)
      return;
    dropped.push_back(i);
  }
  rewriter.setInsertionPoint(op);
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic) {
    FailureOr<linalg::GenericOp> generalized =
        linalg::generalizeNamedOp(rewriter, op);
    if (failed(generalized))
      return;
    generic = *generalized;
  }
  if (!dropped.empty()) {
    rewriter.setInsertionPoint(generic);
    linalg::ControlDropUnitDims control;
    control.rankReductionStrategy =
        linalg::ControlDropUnitDims::RankReductionStrategy::ExtractInsertSlice;
    control.controlFn = [&](Operation *) { return dropped; };
    FailureOr<linalg::DropUnitDimsResult> reduced =
        linalg::dropUnitDims(rewriter, generic, control);
    if (failed(reduced))
      return;
    rewriter.replaceOp(generic, reduced->replacements);
    generic = cast<linalg::GenericOp>(reduced->resultOp.getOperation());
  }
  rewriter.setInsertionPoint(generic);
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (maps == linalg::MatmulOp::getDefaultIndexingMaps(generic.getContext())) {
    (void)linalg::specializeGenericOp(rewriter, generic);
    return;
  }
  // A transposed operand: a matmul with the generic's own maps (upstream's
  // specialization would drop them and pair the wrong dimensions).
  auto matmul = linalg::MatmulOp::create(
      rewriter, generic.getLoc(), generic.getResultTypes(),
      generic.getDpsInputs(), generic.getDpsInits());
  matmul.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  if (failed(mlir::verify(matmul))) {
    rewriter.eraseOp(matmul);
    return;
  }
  rewriter.replaceOp(generic, matmul->getResults());
}

struct TileAndVectorizePass
    : public tfm::impl::TileAndVectorizePassBase<TileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override;

private:
  SmallVector<int64_t> chooseThreadTiles(linalg::LinalgOp op);
  std::optional<std::pair<unsigned, int64_t>>
  chooseUnevenSplit(linalg::LinalgOp op);
  LogicalResult
  distribute(RewriterBase &rewriter, linalg::LinalgOp op,
             SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr);
  LogicalResult tileForRegisters(RewriterBase &rewriter, linalg::LinalgOp op,
                                 SmallVectorImpl<scf::ForOp> &loops,
                                 int64_t rowTile = 0);
  LogicalResult distributeDynamicRows(RewriterBase &rewriter,
                                      linalg::LinalgOp op,
                                      SmallVectorImpl<Block *> &blocks);

  /// The weight dequantizers of the function (isWeightDequantizer).
  DenseSet<Operation *> dequantizers;
};

/// Tile sizes (0: not split) giving about num-threads equal tiles.
SmallVector<int64_t>
TileAndVectorizePass::chooseThreadTiles(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> tiles(ranges.size(), 0);
  int64_t need = numThreads;

  SmallVector<unsigned> order;
  if (isContraction(op)) {
    linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
    llvm::append_range(order, dims.batch);
    llvm::append_range(order, dims.n);
    llvm::append_range(order, dims.m);
  } else {
    for (unsigned i = 0; i < ranges.size(); ++i)
      if (iterators[i] == utils::IteratorType::parallel)
        order.push_back(i);
  }
  unsigned innermost = getOutputInnermostLoop(op);
  for (unsigned dim : order) {
    if (need <= 1)
      break;
    int64_t size = ranges[dim];
    if (ShapedType::isDynamic(size) || size <= 1)
      continue;
    int64_t count = largestDivisorAtMost(size, need);
    // Splitting the innermost loop must keep whole vectors per tile.
    while (count > 1 && dim == innermost &&
           (size / count) % (getMicroTile(vectorBits).bits / 32) != 0)
      count = largestDivisorAtMost(size, count - 1);
    if (count <= 1)
      continue;
    tiles[dim] = size / count;
    need = (need + count - 1) / count;
  }
  return tiles;
}

/// Where to cut a contraction whose outermost N loop the threads cannot
/// share evenly (GPT-2's 50257-word output projection is 1571 panels of
/// 32): at the largest point that they can, so that the bulk splits over N
/// (each thread streams its own weights) and only the rest splits over M.
std::optional<std::pair<unsigned, int64_t>>
TileAndVectorizePass::chooseUnevenSplit(linalg::LinalgOp op) {
  if (numThreads <= 1 || !isContraction(op) || op->getNumResults() != 1)
    return std::nullopt;
  linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (dims.n.empty() ||
      llvm::any_of(dims.batch, [&](unsigned d) { return ranges[d] != 1; }))
    return std::nullopt;
  unsigned dim = dims.n.front();
  int64_t size = ranges[dim];
  if (ShapedType::isDynamic(size) ||
      largestDivisorAtMost(size, numThreads) == numThreads)
    return std::nullopt;
  // Each thread's share of the cut part keeps whole register tiles when
  // the loop is the innermost one.
  int64_t quantum = numThreads;
  if (dim == getOutputInnermostLoop(op))
    quantum *= getMicroTile(vectorBits).bits / getElementBits(op);
  int64_t cut = size / quantum * quantum;
  if (cut == 0 || cut < size / 2)
    return std::nullopt;
  return std::make_pair(dim, cut);
}

/// Splits `op` along `dim` at `cut` into two ops on the two parts of its
/// iteration space, each writing its part of the output into the output's
/// destination. An initializer of the output (a fill, a bias broadcast) is
/// split with it, so that each part can still fuse its own.
FailureOr<std::pair<linalg::LinalgOp, linalg::LinalgOp>>
splitAt(RewriterBase &rewriter, linalg::LinalgOp op, unsigned dim,
        OpFoldResult cut) {
  auto tilingOp = cast<TilingInterface>(op.getOperation());
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  SmallVector<Range> domain = tilingOp.getIterationDomain(rewriter);
  Value init = op.getDpsInits()[0];
  auto initializer = init.getDefiningOp<linalg::LinalgOp>();
  if (initializer && !isInitializer(initializer))
    initializer = nullptr;
  if (initializer)
    redirectSizeQueries(rewriter, initializer);
  Value dest = initializer ? initializer.getDpsInits()[0] : init;
  SmallVector<linalg::LinalgOp> parts;
  AffineExpr s0, s1;
  bindSymbols(rewriter.getContext(), s0, s1);
  OpFoldResult rest = affine::makeComposedFoldedAffineApply(
      rewriter, loc, s0 - s1, {domain[dim].size, cut});
  for (auto [begin, length] :
       {std::make_pair(OpFoldResult(rewriter.getIndexAttr(0)), cut),
        std::make_pair(cut, rest)}) {
    SmallVector<OpFoldResult> offsets, sizes;
    for (auto [i, range] : llvm::enumerate(domain)) {
      offsets.push_back(i == dim ? begin : range.offset);
      sizes.push_back(i == dim ? length : range.size);
    }
    FailureOr<TilingResult> tiled =
        tilingOp.getTiledImplementation(rewriter, offsets, sizes);
    if (failed(tiled) || tiled->tiledOps.size() != 1)
      return failure();
    auto part = dyn_cast<linalg::LinalgOp>(tiled->tiledOps.front());
    if (!part)
      return failure();
    // The part starts from, and is inserted into, its slice of the one
    // destination, so that bufferization writes it in place.
    rewriter.setInsertionPoint(part);
    SmallVector<OpFoldResult> resultOffsets, resultSizes;
    (void)tilingOp.getResultTilePosition(rewriter, 0, offsets, sizes,
                                         resultOffsets, resultSizes);
    SmallVector<OpFoldResult> strides(resultOffsets.size(),
                                      rewriter.getIndexAttr(1));
    Value destSlice = tensor::ExtractSliceOp::create(
        rewriter, loc, dest, resultOffsets, resultSizes, strides);
    OpOperand &partInit = part.getDpsInitsMutable()[0];
    FailureOr<TilingResult> initTile = failure();
    auto initSlice = partInit.get().getDefiningOp<tensor::ExtractSliceOp>();
    if (initializer && initSlice)
      initTile = tensor::replaceExtractSliceWithTiledProducer(
          rewriter, initSlice, cast<OpResult>(init));
    if (succeeded(initTile) && initTile->tiledOps.size() == 1 &&
        initTile->tiledValues.size() == 1) {
      auto tiledInit = cast<DestinationStyleOpInterface>(initTile->tiledOps[0]);
      rewriter.modifyOpInPlace(
          tiledInit, [&] { tiledInit.getDpsInitsMutable()[0].set(destSlice); });
      rewriter.modifyOpInPlace(part,
                               [&] { partInit.set(initTile->tiledValues[0]); });
    } else if (!initializer) {
      // Without an initializer the destination is the output's initial
      // value; the earlier parts wrote only their own slices of it.
      rewriter.modifyOpInPlace(part, [&] { partInit.set(destSlice); });
    }
    rewriter.setInsertionPointAfter(part);
    dest =
        tensor::InsertSliceOp::create(rewriter, loc, part->getResult(0), dest,
                                      resultOffsets, resultSizes, strides);
    parts.push_back(part);
  }
  rewriter.replaceOp(op, dest);
  if (initializer && initializer->use_empty())
    rewriter.eraseOp(initializer);
  return std::make_pair(parts[0], parts[1]);
}

LogicalResult
TileAndVectorizePass::distribute(RewriterBase &rewriter, linalg::LinalgOp op,
                                 SmallVectorImpl<LoopLikeOpInterface> *loops) {
  if (std::optional<std::pair<unsigned, int64_t>> split =
          chooseUnevenSplit(op)) {
    FailureOr<std::pair<linalg::LinalgOp, linalg::LinalgOp>> parts = splitAt(
        rewriter, op, split->first, rewriter.getIndexAttr(split->second));
    if (succeeded(parts)) {
      if (failed(distribute(rewriter, parts->first, loops)))
        return failure();
      return distribute(rewriter, parts->second, loops);
    }
  }
  // A dynamic loop counts as one iteration: only static loops are split,
  // and a one-row decode step must still be worth the threads.
  if (numThreads <= 1 || getStaticWork(op) < minParallelWork)
    return success();
  SmallVector<int64_t> tiles = chooseThreadTiles(op);
  if (llvm::all_of(tiles, [](int64_t t) { return t == 0; }))
    return success();

  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(op->getContext(), tiles));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> result =
      tileFuseAndReplace(rewriter, op, tiling, fuseStatisticsAndDestinations(),
                         "distribute over threads");
  if (failed(result))
    return failure();
  if (loops)
    llvm::append_range(*loops, result->loops);
  return success();
}

/// Spreads over the threads an op whose parallelism lies in a dynamic loop
/// (a norm or elementwise op over a prompt's rows, whose static loops the
/// threads would not split): an scf.forall over chunks of that loop, each
/// computing the statistics (reductions) its rows need. When the rows at
/// run time bring fewer than min-parallel-work points (a decode step's one
/// row), the chunk is every row: the loop has one iteration, and its
/// parallel region runs on the calling thread (tfm-cpu-guard-parallel-
/// regions), which starting the threads would cost more than it saves.
/// `blocks` receives the bodies of its loops.
LogicalResult
TileAndVectorizePass::distributeDynamicRows(RewriterBase &rewriter,
                                            linalg::LinalgOp op,
                                            SmallVectorImpl<Block *> &blocks) {
  if (numThreads <= 1 || isContraction(op) || op->getNumResults() == 0 ||
      !op.hasPureTensorSemantics())
    return success();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  std::optional<unsigned> dim;
  for (auto [i, range] : llvm::enumerate(ranges))
    if (!dim && ShapedType::isDynamic(range) &&
        iterators[i] == utils::IteratorType::parallel)
      dim = i;
  // The static loops carry enough work on their own: distributed as usual.
  int64_t work = getStaticWork(op);
  if (!dim || work == 0 ||
      (work >= minParallelWork &&
       llvm::any_of(chooseThreadTiles(op), [](int64_t t) { return t != 0; })))
    return success();

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  SmallVector<Range> domain =
      cast<TilingInterface>(op.getOperation()).getIterationDomain(rewriter);
  Value rows =
      getValueOrCreateConstantIndexOp(rewriter, loc, domain[*dim].size);
  Value worth = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::sge,
      arith::MulIOp::create(
          rewriter, loc, rows,
          arith::ConstantIndexOp::create(rewriter, loc, work)),
      arith::ConstantIndexOp::create(rewriter, loc, minParallelWork));
  AffineExpr n;
  bindSymbols(rewriter.getContext(), n);
  Value chunk = getValueOrCreateConstantIndexOp(
      rewriter, loc,
      affine::makeComposedFoldedAffineApply(rewriter, loc,
                                            n.ceilDiv(numThreads), {rows}));
  // (At least 1: a loop of step 0 would not end.)
  Value whole = arith::MaxUIOp::create(
      rewriter, loc, rows, arith::ConstantIndexOp::create(rewriter, loc, 1));
  SmallVector<OpFoldResult> tiles(ranges.size(), rewriter.getIndexAttr(0));
  tiles[*dim] =
      arith::SelectOp::create(rewriter, loc, worth, chunk, whole).getResult();

  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(tiles);
  FailureOr<scf::SCFTileAndFuseResult> result =
      tileFuseAndReplace(rewriter, op, tiling, fuseStatisticsAndDestinations(),
                         "distribute dynamic rows over threads");
  if (failed(result))
    return failure();
  for (LoopLikeOpInterface loop : result->loops)
    if (auto forall = dyn_cast<scf::ForallOp>(loop.getOperation()))
      blocks.push_back(forall.getBody());
  return success();
}

/// Tiles `op` with scf.for loops of `sizes` (0: not tiled) and replaces it
/// with the tiled loops' results; on failure reports "cannot <what>".
FailureOr<scf::SCFTilingResult>
tileAndReplace(RewriterBase &rewriter, linalg::LinalgOp op,
               ArrayRef<int64_t> sizes, StringRef what,
               ArrayRef<int64_t> interchange = {}) {
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  tiling.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), tiling);
  if (failed(result))
    return op->emitError("cannot ") << what;
  rewriter.replaceOp(op, result->replacements);
  return result;
}

/// Tiles the dynamic loops of `op` by one (its other loops whole), so that
/// the tile is static; returns it.
FailureOr<linalg::LinalgOp>
walkDynamicLoops(RewriterBase &rewriter, linalg::LinalgOp op, StringRef what) {
  SmallVector<int64_t> steps = llvm::map_to_vector(
      op.getStaticLoopRanges(),
      [](int64_t range) -> int64_t { return ShapedType::isDynamic(range); });
  FailureOr<scf::SCFTilingResult> result =
      tileAndReplace(rewriter, op, steps, what);
  if (failed(result))
    return failure();
  return cast<linalg::LinalgOp>(result->tiledOps.front());
}

/// Collects the scf.for loops of a tiling result.
void appendForLoops(ArrayRef<LoopLikeOpInterface> loops,
                    SmallVectorImpl<scf::ForOp> &out) {
  for (LoopLikeOpInterface loop : loops)
    if (auto forOp = dyn_cast<scf::ForOp>(loop.getOperation()))
      out.push_back(forOp);
}

LogicalResult TileAndVectorizePass::tileForRegisters(
    RewriterBase &rewriter, linalg::LinalgOp op,
    SmallVectorImpl<scf::ForOp> &loops, int64_t rowTile) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty())
    return success();
  // A tile of `size` along a loop of `range`: the whole loop when shorter;
  // a dynamic loop takes full tiles and a remainder (step 3).
  auto tileOf = [](int64_t range, int64_t size) {
    return ShapedType::isDynamic(range) ? size : std::min(range, size);
  };
  int64_t bits = getElementBits(op);
  MLIRContext *ctx = op->getContext();
  rewriter.setInsertionPoint(op);

  if (isContraction(op)) {
    linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
    unsigned mDim = dims.m.back(), nDim = dims.n.back();
    MicroTile micro = getMicroTile(vectorBits);
    // Dynamic rows: whole register tiles up to the last multiple of their
    // height, then the rest one row at a time, each part with K innermost
    // (a remainder tiled after K would re-read its accumulators every
    // step).
    if (ShapedType::isDynamic(ranges[mDim]) && rowTile == 0) {
      AffineExpr rows;
      bindSymbols(ctx, rows);
      SmallVector<Range> domain =
          cast<TilingInterface>(op.getOperation()).getIterationDomain(rewriter);
      OpFoldResult cut = affine::makeComposedFoldedAffineApply(
          rewriter, op.getLoc(), rows.floorDiv(micro.rows) * micro.rows,
          {domain[mDim].size});
      FailureOr<std::pair<linalg::LinalgOp, linalg::LinalgOp>> parts =
          splitAt(rewriter, op, mDim, cut);
      if (failed(parts))
        return op->emitError("cannot split dynamic rows");
      if (failed(tileForRegisters(rewriter, parts->first, loops, micro.rows)))
        return failure();
      return tileForRegisters(rewriter, parts->second, loops, /*rowTile=*/1);
    }
    // A long reduction is walked in blocks of kKBlock, outermost, so that a
    // block of the left operand's rows stays in L2 while all the thread's
    // panels stream past it (whole rows of 3072 do not fit). The output's
    // initializer then stays a pass of its own before the blocks. Rows
    // that one register tile holds are read once per panel either way:
    // unblocked, each panel streams whole (the blocks broke a one-row
    // decode product's panels into short streams, each restarting the
    // hardware prefetcher: GPT-2's int8 FFN-down at 29 GB/s).
    // Of dynamic rows, only the whole register tiles are blocked (a prompt's
    // rows); the one-row remainder is not (a decode step's single row has
    // no whole tile, and its panels stream whole).
    unsigned kDim = dims.k.back();
    int64_t rows = 1;
    for (unsigned m : dims.m)
      rows = ShapedType::isDynamic(ranges[m]) ? 0 : rows * ranges[m];
    bool manyRows = rows > getMicroTile(vectorBits).rows ||
                    (rows == 0 && rowTile > 1);
    if (dims.k.size() == 1 && ranges[kDim] > kMaxUnblockedK &&
        ranges[kDim] % kKBlock == 0 && manyRows) {
      SmallVector<int64_t> blocks(ranges.size(), 0);
      blocks[kDim] = kKBlock;
      FailureOr<scf::SCFTilingResult> blocked =
          tileAndReplace(rewriter, op, blocks, "block the reduction");
      if (failed(blocked))
        return failure();
      op = cast<linalg::LinalgOp>(blocked->tiledOps.front());
      ranges = op.getStaticLoopRanges();
      rewriter.setInsertionPoint(op);
    }
    SmallVector<int64_t> tiles(ranges.size(), 1);
    for (unsigned k : dims.k)
      tiles[k] = 0;
    tiles[mDim] = tileOf(ranges[mDim], rowTile ? rowTile : micro.rows);
    // A single row (attention's p v in a decode step) takes four times as
    // many columns: eight accumulators rather than two, so that each K step
    // reads a whole row of a cached value tile (a 64-wide head in two
    // strips of 32 read the cache at 6 GB/s) and eight FMA chains cover
    // the FMA latency.
    int64_t columns = micro.bits / bits;
    if (rows == 1 && rowTile == 0)
      columns *= kOneRowWidening;
    tiles[nDim] = tileOf(ranges[nDim], columns);
    // Loop order: batch, N, M (then K, tiled below).
    SmallVector<int64_t> interchange;
    llvm::append_range(interchange, dims.batch);
    llvm::append_range(interchange, dims.n);
    llvm::append_range(interchange, dims.m);
    llvm::append_range(interchange, dims.k);
    for (unsigned i = 0; i < ranges.size(); ++i)
      if (!llvm::is_contained(interchange, static_cast<int64_t>(i)))
        interchange.push_back(i);

    scf::SCFTilingOptions tiling;
    tiling.setTileSizes(getAsIndexOpFoldResult(ctx, tiles));
    tiling.setInterchange(interchange);
    FailureOr<scf::SCFTileAndFuseResult> result = tileFuseAndReplace(
        rewriter, op, tiling, fuseDestinationProducers(), "tile for registers");
    if (failed(result))
      return failure();
    auto tiled = cast<linalg::LinalgOp>(result->tiledAndFusedOps.front());
    // The epilogue (fused into the thread tile with the product) computed
    // per register tile, on the accumulators.
    // (Fusing replaces the loops: `nestLoops` holds the new ones.)
    SmallVector<LoopLikeOpInterface> nestLoops(result->loops);
    if (!nestLoops.empty()) {
      Value nest = nestLoops.front()->getResult(0);
      Operation *epilogue = nullptr;
      if (fuseEpilogues)
        for (Operation *user : nest.getUsers())
          if (isEpilogueOf(user, nest))
            epilogue = user;
      if (epilogue) {
        // Its other operands (slices of the thread tile's) are needed
        // inside the loops: defined before them. An epilogue the loops
        // cannot take (upstream's consumer fusion declines) stays a pass
        // of its own.
        SmallVector<Value> others;
        for (Value operand : epilogue->getOperands())
          if (operand != nest)
            others.push_back(operand);
        if (succeeded(
                moveValueDefinitions(rewriter, others, nestLoops.front())) &&
            succeeded(scf::tileAndFuseConsumer(rewriter, epilogue, nestLoops)))
          rewriter.eraseOp(epilogue);
      }
    }
    // Whole register tiles over a dynamic extent that they divide (the
    // first part of the split above): the tiler could not know it, so its
    // tile-size minimums along the row loop (the innermost of the nest, by
    // the interchange above) are the tile height. That loop is not peeled
    // (its remainder is empty).
    scf::ForOp rowLoop;
    if (rowTile > 1 && ShapedType::isDynamic(ranges[mDim]) &&
        !nestLoops.empty())
      rowLoop = dyn_cast<scf::ForOp>(nestLoops.back().getOperation());
    for (LoopLikeOpInterface loop : nestLoops) {
      auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
      if (!forOp)
        continue;
      if (forOp != rowLoop) {
        loops.push_back(forOp);
        continue;
      }
      SmallVector<affine::AffineMinOp> minimums;
      forOp.getBody()->walk([&](affine::AffineMinOp min) {
        if (llvm::is_contained(min.getOperands(), forOp.getInductionVar()))
          minimums.push_back(min);
      });
      for (affine::AffineMinOp min : minimums) {
        rewriter.setInsertionPoint(min);
        rewriter.replaceOpWithNewOp<arith::ConstantIndexOp>(min, rowTile);
      }
    }

    // K one step at a time: each step is an outer product. A dot group
    // innermost (four 8-bit or two bf16 K elements, the operand layout of
    // the CPU's dot product instructions) stays whole.
    SmallVector<int64_t> kTiles(ranges.size(), 0);
    for (unsigned k : dims.k)
      kTiles[k] = 1;
    if (isDotGroupLoop(tiled, dims.k.back()))
      kTiles[dims.k.back()] = 0;
    FailureOr<scf::SCFTilingResult> kResult =
        tileAndReplace(rewriter, tiled, kTiles, "tile the reduction");
    if (failed(kResult))
      return failure();
    SmallVector<scf::ForOp> kLoops;
    appendForLoops(kResult->loops, kLoops);
    // The innermost K loop over the two values of a byte (4-bit codes) is
    // unrolled, so that each value's shift is a constant.
    if (fuseWeightDequantizers(
            rewriter, cast<linalg::LinalgOp>(kResult->tiledOps.front()),
            dequantizers) &&
        !kLoops.empty() &&
        getConstantLoopTripCount(kLoops.back()) <= kMaxUnrolledTrips &&
        succeeded(loopUnrollFull(kLoops.back())))
      kLoops.pop_back();
    llvm::append_range(loops, kLoops);
    return success();
  }

  // One vector along the innermost loop, one element along the others; an
  // op that reads an operand transposed takes square blocks instead, so
  // that the block is read in rows and transposed in registers (a
  // one-row tile would gather a column element by element).
  // The blocks are walked in the transposed operand's storage order (the
  // loop it reads contiguously innermost), so that a source streaming from
  // memory is read row after row: a decode step's key tile walked in
  // column strips of 8 rows read the cache at 6 GB/s.
  SmallVector<int64_t> tiles(ranges.size(), 1);
  SmallVector<int64_t> interchange;
  if (std::optional<unsigned> dim = getTransposedReadLoop(op)) {
    tiles.back() = tileOf(ranges.back(), kTransposeBlock);
    tiles[*dim] = tileOf(ranges[*dim], kTransposeBlock);
    for (unsigned i = 0; i < ranges.size(); ++i)
      if (i != *dim)
        interchange.push_back(i);
    interchange.push_back(*dim);
  } else {
    tiles.back() =
        tileOf(ranges.back(), kVectorTileRegisters * vectorBits / bits);
  }
  FailureOr<scf::SCFTilingResult> result =
      tileAndReplace(rewriter, op, tiles, "tile for vectors", interchange);
  if (failed(result))
    return failure();
  appendForLoops(result->loops, loops);
  return success();
}

void TileAndVectorizePass::runOnOperation() {
  func::FuncOp func = getOperation();
  MLIRContext *ctx = &getContext();
  IRRewriter rewriter(ctx);
  if (failed(tfm::checkVectorBits(func, "tfm-cpu-tile-and-vectorize",
                                  vectorBits)))
    return signalPassFailure();
  // A declaration has no ops to tile.
  if (func.isExternal())
    return;

  // 0. An op that iterates over nothing leaves its outputs as they are:
  //    its results are its inits (tiling cannot divide an empty range).
  SmallVector<linalg::LinalgOp> emptyOps;
  func.walk([&](linalg::LinalgOp op) {
    if (op.hasPureTensorSemantics() &&
        llvm::is_contained(op.getStaticLoopRanges(), 0))
      emptyOps.push_back(op);
  });
  for (linalg::LinalgOp op : emptyOps)
    rewriter.replaceOp(op, op.getDpsInits());

  //    A fill that initializes several outputs (CSE merges the equal
  //    zero fills of same-shaped products) is cloned per output, so that
  //    each can be fused into its own op's tiles instead of being computed
  //    once and copied into every output buffer.
  SmallVector<linalg::FillOp> sharedFills;
  func.walk([&](linalg::FillOp fill) {
    if (fill.hasPureTensorSemantics() && !fill->hasOneUse() &&
        !fill->use_empty())
      sharedFills.push_back(fill);
  });
  for (linalg::FillOp fill : sharedFills) {
    SmallVector<OpOperand *> uses = llvm::map_to_vector(
        fill->getResult(0).getUses(), [](OpOperand &use) { return &use; });
    for (OpOperand *use : llvm::drop_begin(uses)) {
      auto consumer = dyn_cast<linalg::LinalgOp>(use->getOwner());
      if (!consumer || !consumer.isDpsInit(use))
        continue;
      rewriter.setInsertionPoint(consumer);
      Operation *clone = rewriter.clone(*fill);
      rewriter.modifyOpInPlace(consumer,
                               [&] { use->set(clone->getResult(0)); });
    }
  }

  //    An epilogue reads its product directly: a collapse of the product's
  //    result between them is folded by expanding the epilogue.
  if (fuseEpilogues) {
    // Over dynamic rows the epilogue's sizes are read from the collapse,
    // and the fold reads them from the product: both are read where the
    // product's were, so that the product and the collapse have the
    // epilogue as their only use.
    resolveProductSizes(rewriter, func);
    RewritePatternSet patterns(ctx);
    linalg::populateFoldReshapeOpsByExpansionPatterns(
        patterns, isCollapsedProductOperand);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    resolveProductSizes(rewriter, func);
  }

  //    Ops whose parallelism lies in a dynamic loop are spread over the
  //    threads when the rows at run time are worth it, before their
  //    reductions are walked row by row below (consumers first: each
  //    chunk computes the statistics its rows need).
  SmallVector<Block *> blocks = {&func.getBody().front()};
  {
    // (Not the ops computed inside others' tiles: weight dequantizers,
    // fusable initializers, epilogues; nor the statistics, which their
    // consumers' chunks compute.)
    SmallVector<linalg::LinalgOp> roots;
    for (Operation &op : func.getBody().front())
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op))
        if (!isWeightDequantizer(&op) && !isFusableInit(&op) &&
            !(fuseEpilogues && getEpilogueProduct(&op)) &&
            !isInnermostRowReduction(linalgOp))
          roots.push_back(linalgOp);
    for (linalg::LinalgOp op : llvm::reverse(roots)) {
      // (A statistic fused into its consumer's chunks may be left unused.)
      if (op->use_empty())
        continue;
      if (failed(distributeDynamicRows(rewriter, op, blocks)))
        return signalPassFailure();
    }
  }

  //    Row reductions accumulate in vector lanes.
  SmallVector<linalg::LinalgOp> reductions;
  for (Block *block : blocks)
    for (Operation &op : *block)
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op))
        if (isInnermostRowReduction(linalgOp))
          reductions.push_back(linalgOp);
  for (linalg::LinalgOp op : reductions) {
    // Over dynamic rows, one row at a time: linalg::splitReduction would
    // size its partial results statically (an empty tensor without its
    // dynamic sizes).
    if (llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic)) {
      FailureOr<linalg::LinalgOp> row =
          walkDynamicLoops(rewriter, op, "walk a reduction's rows");
      if (failed(row))
        return signalPassFailure();
      op = *row;
    }
    splitRowReduction(rewriter, op);
  }

  // 1. Threads: top-level ops, consumers first. An initializer the tiling
  //    could not fuse into its consumer's scf.forall is distributed itself.
  //    Weight dequantizers stay whole, for their products' K steps. An
  //    epilogue is fused into its product's thread tiles.
  dequantizers.clear();
  for (Operation &op : func.getBody().front())
    if (isWeightDequantizer(&op))
      dequantizers.insert(&op);
  SmallVector<linalg::LinalgOp> roots;
  for (Operation &op : func.getBody().front())
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op))
      roots.push_back(linalgOp);
  for (linalg::LinalgOp op : llvm::reverse(roots)) {
    // Fused into its consumer's tiles, the initializer has no use left.
    if (op->use_empty()) {
      dequantizers.erase(op);
      rewriter.eraseOp(op);
      continue;
    }
    // Computed in its products' K steps instead.
    if (dequantizers.contains(op))
      continue;
    // Distributed with its product, below.
    if (fuseEpilogues && getEpilogueProduct(op))
      continue;
    SmallVector<LoopLikeOpInterface> threadLoops;
    Operation *epilogue = nullptr;
    if (fuseEpilogues && isContraction(op) && op->hasOneUse() &&
        getEpilogueProduct(*op->getUsers().begin()) == op)
      epilogue = *op->getUsers().begin();
    if (failed(distribute(rewriter, op, &threadLoops)))
      return signalPassFailure();
    if (!epilogue)
      continue;
    // Not distributed with it (too little work, an uneven split): on its
    // own.
    bool fused = false;
    if (threadLoops.size() == 1 &&
        llvm::is_contained(epilogue->getOperands(),
                           threadLoops.front()->getResult(0))) {
      // Its other operands are needed inside the loop: defined before it
      // (over dynamic rows, its init is sized after the product).
      SmallVector<Value> others;
      for (Value operand : epilogue->getOperands())
        if (operand != threadLoops.front()->getResult(0))
          others.push_back(operand);
      fused =
          succeeded(moveValueDefinitions(rewriter, others,
                                         threadLoops.front())) &&
          succeeded(scf::tileAndFuseConsumer(rewriter, epilogue, threadLoops));
      if (fused)
        rewriter.eraseOp(epilogue);
    }
    if (!fused && !threadLoops.empty() &&
        failed(distribute(rewriter, cast<linalg::LinalgOp>(epilogue))))
      return signalPassFailure();
  }

  // 2. Registers: contractions first (they absorb their initializers), then
  //    every op that is not yet inside a register tile.
  SmallVector<linalg::LinalgOp> contractions;
  func.walk([&](linalg::LinalgOp op) {
    if (isContraction(op))
      contractions.push_back(op);
  });
  SmallVector<scf::ForOp> loops;
  for (linalg::LinalgOp op : contractions)
    if (failed(tileForRegisters(rewriter, op, loops)))
      return signalPassFailure();
  // Weight dequantizers every product now computes slice by slice.
  for (Operation *op : dequantizers)
    if (op->use_empty())
      rewriter.eraseOp(op);
  dequantizers.clear();
  DenseSet<Operation *> inTiles;
  for (scf::ForOp loop : loops)
    loop.walk([&](linalg::LinalgOp op) { inTiles.insert(op); });
  SmallVector<linalg::LinalgOp> others;
  func.walk([&](linalg::LinalgOp op) {
    if (!inTiles.contains(op))
      others.push_back(op);
  });
  for (linalg::LinalgOp op : others)
    if (failed(tileForRegisters(rewriter, op, loops)))
      return signalPassFailure();

  // 3. Peel the partial last tile of every loop the tile does not divide,
  //    so that both the main loop and the remainder have static tiles; a
  //    loop with a dynamic end is peeled too, its remainder's tile
  //    (shorter than one) being dynamic.
  for (scf::ForOp loop : loops) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    if (!lb || !step || *step == 1 || (ub && (*ub - *lb) % *step == 0))
      continue;
    scf::ForOp remainder;
    rewriter.setInsertionPoint(loop);
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, remainder);
  }
  {
    RewritePatternSet patterns(ctx);
    scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
    affine::AffineMinOp::getCanonicalizationPatterns(patterns, ctx);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
    // A fused initializer tile created before peeling reads its slice
    // through a tensor.cast once the slice is static: fold it in.
    ctx->getLoadedDialect<tensor::TensorDialect>()->getCanonicalizationPatterns(
        patterns);
    tensor::CastOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }

  //    The remainder tiles of dynamic loops walk them one step at a time,
  //    so that every tile is static.
  SmallVector<linalg::LinalgOp> remainders;
  func.walk([&](linalg::LinalgOp op) {
    if (op.hasPureTensorSemantics() &&
        llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
      remainders.push_back(op);
  });
  for (linalg::LinalgOp op : remainders)
    if (failed(walkDynamicLoops(rewriter, op, "tile a dynamic loop")))
      return signalPassFailure();

  // 4. Vectorize every statically shaped tile the vectorizer accepts.
  SmallVector<linalg::LinalgOp> tiles;
  func.walk([&](linalg::LinalgOp op) { tiles.push_back(op); });
  // Dot-group tiles keep their layout: they are vectorized by hand, after
  // the patterns below.
  int64_t lanes = vectorBits / 32;
  for (linalg::LinalgOp op : tiles)
    if (!isDotGroupTile(op, lanes))
      specializeContractionTile(rewriter, op);
  SmallVector<linalg::GenericOp> dotTiles;
  SmallVector<linalg::LinalgOp> candidates;
  func.walk([&](linalg::LinalgOp op) {
    if (isDotGroupTile(op, lanes))
      dotTiles.push_back(cast<linalg::GenericOp>(op.getOperation()));
    else if (!hasBooleanOperand(op) && op.hasPureTensorSemantics())
      candidates.push_back(op);
  });
  for (linalg::LinalgOp op : candidates) {
    bool isStatic = llvm::all_of(op->getOperands(), [](Value v) {
      auto type = dyn_cast<ShapedType>(v.getType());
      return !type || type.hasStaticShape();
    });
    if (!isStatic ||
        failed(linalg::vectorizeOpPrecondition(op, {}, {},
                                               /*vectorizeNDExtract=*/true)))
      continue;
    rewriter.setInsertionPoint(op);
    // Contractions become one vector.contract on operand-shaped vectors
    // (rather than a multiply-reduce over the broadcast iteration space).
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, op, {}, {}, /*vectorizeNDExtract=*/true,
                          /*flatten1DDepthwiseConv=*/false,
                          /*assumeDynamicDimsMatchVecSizes=*/false,
                          /*createNamedContraction=*/isContraction(op) &&
                              !hasUnsignedExtension(op));
    if (succeeded(result))
      rewriter.replaceOp(op, result->replacements);
  }

  RewritePatternSet patterns(ctx);
  patterns.add<ForwardWholeTensorWrite>(ctx);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateSinkVectorOpsPatterns(patterns);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName name : ctx->getRegisteredOperations())
    name.getCanonicalizationPatterns(patterns, ctx);
  if (failed(applyPatternsGreedily(func, std::move(patterns))))
    return signalPassFailure();
  for (linalg::GenericOp op : dotTiles)
    vectorizeDotGroupTile(rewriter, op, lanes);

  // A contraction's accumulator is read and written by every step of its
  // reduction loop: carry it in registers instead (innermost loops first).
  // Accumulators are statically shaped tiles: loops that carry only
  // dynamically shaped tensors (walks over a run-time number of rows) have
  // none, and comparing their slices (ValueBoundsConstraintSet, for which
  // dynamic tiles' divisions are first made arith) cost most of the pass.
  tfm::expandDividingApplies(func);
  SmallVector<scf::ForOp> forOps;
  func.walk([&](scf::ForOp loop) {
    if (llvm::any_of(loop.getRegionIterArgs(), [](Value arg) {
          auto type = dyn_cast<RankedTensorType>(arg.getType());
          return type && type.hasStaticShape();
        }))
      forOps.push_back(loop);
  });
  for (scf::ForOp loop : forOps)
    hoistLoopInvariantSubsets(rewriter, loop);
}

} // namespace
