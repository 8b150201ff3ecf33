//===- TensorCoreMatmul.cpp - f16 matmuls as mma.sync kernels -------------===//
//
// A matmul becomes a kernel of its own, written at warp level: the block's
// threads stage A and B tiles in shared memory, then each warp reads
// fragments of the mma.sync shape (16x16 of A, 16x8 of B) and accumulates
// with vector.contract. `convert-vector-to-gpu{use-nvgpu}` distributes the
// warp-level vectors to lanes (ldmatrix, mma.sync); this pass only decides
// the tiling and writes the copies.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Conversion/VectorToGPU/VectorToGPU.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_TENSORCOREMATMULPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// The mma.sync shape for f16: m16n8k16.
constexpr int64_t kMmaM = 16;
constexpr int64_t kMmaN = 8;
constexpr int64_t kMmaK = 16;
constexpr int64_t kWarpSize = 32;
/// Elements of a 16-byte copy (cp.async's widest) of f16.
constexpr int64_t kCopyElements = 8;
/// Shared-memory rows are padded by 16 bytes: consecutive rows then start
/// in different banks, and ldmatrix's row addresses stay 16-byte aligned.
constexpr int64_t kRowPadding = 8;

/// `C += A * B` with C: M x N; A is stored M x K, or K x M when
/// `aTransposed`; B is stored K x N, or N x K when `bTransposed`.
struct Matmul {
  Value a, b, c;
  int64_t m, n, k;
  bool aTransposed, bTransposed;
};

/// A kernel's tiles: each warp computes warpM x warpN of C, a block
/// warpsM x warpsN warps; K advances blockK per shared-memory stage.
struct Tiling {
  int64_t warpM, warpN, warpsM, warpsN, blockK;
  int64_t blockM() const { return warpM * warpsM; }
  int64_t blockN() const { return warpN * warpsN; }
  int64_t threads() const { return kWarpSize * warpsM * warpsN; }
};

} // namespace

/// Whether `type` is a static 2-D memref whose rows are contiguous and
/// whose row stride is static.
static bool hasContiguousRows(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (type.getRank() != 2 || !type.hasStaticShape() ||
      failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides[1] == 1 && !ShapedType::isDynamic(strides[0]);
}

static int64_t getRowStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  (void)type.getStridesAndOffset(strides, offset);
  return strides[0];
}

/// Whether `value` is `arg`, or `arg` extended to a wider float.
static bool isArgOrItsExtension(Value value, BlockArgument arg) {
  if (auto ext = value.getDefiningOp<arith::ExtFOp>())
    value = ext.getIn();
  return value == arg;
}

/// Whether the body of `op` is `out + a * b`, a and b possibly extended.
static bool hasMultiplyAccumulateBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  for (Operation &inner : body->without_terminator())
    if (!isa<arith::ExtFOp, arith::MulFOp, arith::AddFOp>(inner))
      return false;
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  BlockArgument acc = body->getArgument(2);
  Value product = add.getLhs() == acc   ? add.getRhs()
                  : add.getRhs() == acc ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul)
    return false;
  BlockArgument a = body->getArgument(0), b = body->getArgument(1);
  return (isArgOrItsExtension(mul.getLhs(), a) &&
          isArgOrItsExtension(mul.getRhs(), b)) ||
         (isArgOrItsExtension(mul.getLhs(), b) &&
          isArgOrItsExtension(mul.getRhs(), a));
}

static std::optional<Matmul> matchMatmul(linalg::LinalgOp op,
                                         bool roundF32Operands) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 3)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel ||
      iterators[2] != utils::IteratorType::reduction)
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  auto map = [&](AffineExpr row, AffineExpr column) {
    return AffineMap::get(3, 0, {row, column}, ctx);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if ((maps[0] != map(m, k) && maps[0] != map(k, m)) ||
      (maps[1] != map(k, n) && maps[1] != map(n, k)) || maps[2] != map(m, n))
    return std::nullopt;
  if (!hasMultiplyAccumulateBody(op))
    return std::nullopt;

  Matmul mm;
  mm.aTransposed = maps[0] == map(k, m);
  mm.bTransposed = maps[1] == map(n, k);
  mm.a = op.getDpsInputOperand(0)->get();
  mm.b = op.getDpsInputOperand(1)->get();
  mm.c = op.getDpsInitOperand(0)->get();
  auto aType = cast<MemRefType>(mm.a.getType());
  auto bType = cast<MemRefType>(mm.b.getType());
  auto cType = cast<MemRefType>(mm.c.getType());
  if (!hasContiguousRows(aType) || !hasContiguousRows(bType) ||
      !hasContiguousRows(cType))
    return std::nullopt;
  // f16 products: at least one operand is f16 (both may be f32 when asked),
  // the other f16 or f32 (an f32 operand is rounded to f16 on its way to
  // shared memory, as the fp16 precision of the pipeline asks).
  Type f16 = Float16Type::get(ctx), f32 = Float32Type::get(ctx);
  Type aElement = aType.getElementType(), bElement = bType.getElementType();
  if (cType.getElementType() != f32 ||
      (aElement != f16 && bElement != f16 && !roundF32Operands) ||
      (aElement != f16 && aElement != f32) ||
      (bElement != f16 && bElement != f32))
    return std::nullopt;
  mm.m = cType.getDimSize(0);
  mm.n = cType.getDimSize(1);
  mm.k = aType.getDimSize(mm.aTransposed ? 0 : 1);
  return mm;
}

static std::optional<Tiling> chooseTiling(const Matmul &mm) {
  if (mm.m % kMmaM || mm.n % kMmaN || mm.k % kMmaK)
    return std::nullopt;
  Tiling t;
  t.warpM = mm.m % (2 * kMmaM) == 0 ? 2 * kMmaM : kMmaM;
  t.warpN = mm.n % (4 * kMmaN) == 0   ? 4 * kMmaN
            : mm.n % (2 * kMmaN) == 0 ? 2 * kMmaN
                                      : kMmaN;
  t.warpsM = mm.m % (2 * t.warpM) == 0 ? 2 : 1;
  t.warpsN = mm.n % (2 * t.warpN) == 0 ? 2 : 1;
  t.blockK = mm.k % (2 * kMmaK) == 0 ? 2 * kMmaK : kMmaK;
  return t;
}

namespace {

/// One operand's staging: `rows` x `cols` of `source` into `shared` at
/// (0, 0), in the source's layout. The tile's corner in the source is
/// (k0, offset) when its rows run along K, else (offset, k0); `offset` is the
/// block's first row of C (for A) or column (for B).
struct TileCopy {
  Value source, shared;
  int64_t rows, cols;
  bool kRows;
  Value offset;
  /// Whether the source's rows start at 16-byte boundaries, checked at run
  /// time (null where its row stride rules that out). Aligned, f16 sources
  /// are copied by cp.async, f32 ones read 16 bytes at a time.
  Value aligned;
};

class KernelBuilder {
public:
  KernelBuilder(ImplicitLocOpBuilder &b, const Matmul &mm, const Tiling &t)
      : b(b), mm(mm), t(t) {}

  /// Writes the kernel at warp level.
  gpu::LaunchOp build();

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, value);
  }
  // Index arithmetic is affine.apply: arith's integer ops would be taken
  // for matrix elementwise ops by the conversion to mma.sync.
  Value apply(AffineExpr expr, ValueRange operands) {
    return affine::AffineApplyOp::create(
        b, AffineMap::get(operands.size(), 0, expr), operands);
  }
  Value add(Value x, int64_t y) {
    return y == 0 ? x : apply(b.getAffineDimExpr(0) + y, x);
  }
  Value add(Value x, Value y) {
    return apply(b.getAffineDimExpr(0) + b.getAffineDimExpr(1), {x, y});
  }
  Value mul(Value x, int64_t y) { return apply(b.getAffineDimExpr(0) * y, x); }
  Value floorDiv(Value x, int64_t y) {
    return apply(b.getAffineDimExpr(0).floorDiv(y), x);
  }
  Value mod(Value x, int64_t y) { return apply(b.getAffineDimExpr(0) % y, x); }

  /// i1: whether `source`'s first element is 16-byte aligned (its rows then
  /// are too, given a row stride of a multiple of 16 bytes).
  Value isAligned(Value source);
  /// Stages `copy`'s tile whose top-left corner is (row0, col0) in the
  /// source, `kCopyElements` per thread and step.
  void copyTile(const TileCopy &copy, Value row0, Value col0, bool aligned,
                SmallVectorImpl<Value> &tokens);
  /// The block's share of one K step: stage A and B, then wait for them.
  void stageTiles(ArrayRef<TileCopy> copies, Value k0);
  /// i1: whether every alignable operand is aligned (null: none is).
  Value allAligned(ArrayRef<TileCopy> copies);

  ImplicitLocOpBuilder &b;
  const Matmul &mm;
  const Tiling &t;
  Value threadId, blockRow, blockColumn, aligned;
};

} // namespace

Value KernelBuilder::isAligned(Value source) {
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(b, source);
  auto metadata = memref::ExtractStridedMetadataOp::create(b, source);
  int64_t bytes =
      cast<MemRefType>(source.getType()).getElementTypeBitWidth() / 8;
  AffineExpr d0 = b.getAffineDimExpr(0), d1 = b.getAffineDimExpr(1);
  Value misalignment =
      apply((d0 + d1 * bytes) % 16, {pointer, metadata.getOffset()});
  return arith::CmpIOp::create(b, arith::CmpIPredicate::eq, misalignment,
                               index(0));
}

void KernelBuilder::copyTile(const TileCopy &copy, Value row0, Value col0,
                             bool aligned, SmallVectorImpl<Value> &tokens) {
  int64_t perRow = copy.cols / kCopyElements;
  int64_t chunks = copy.rows * perRow;
  Type sourceElement = cast<MemRefType>(copy.source.getType()).getElementType();
  Type f16 = b.getF16Type();
  for (int64_t first = 0; first < chunks; first += t.threads()) {
    // The last step's surplus threads copy the last chunk again: the same
    // value to the same place, cheaper than a branch around the copy.
    Value chunk = add(threadId, first);
    if (first + t.threads() > chunks)
      chunk = affine::AffineMinOp::create(
          b,
          AffineMap::get(
              1, 0,
              {b.getAffineDimExpr(0), b.getAffineConstantExpr(chunks - 1)},
              b.getContext()),
          chunk);
    Value row = floorDiv(chunk, perRow);
    Value column = mul(mod(chunk, perRow), kCopyElements);
    Value sourceRow = add(row0, row), sourceColumn = add(col0, column);
    if (aligned && sourceElement == f16) {
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
          b, nvgpu::DeviceAsyncTokenType::get(b.getContext()), copy.shared,
          ValueRange{row, column}, copy.source,
          ValueRange{sourceRow, sourceColumn}, b.getIndexAttr(kCopyElements),
          /*srcElements=*/Value(), b.getUnitAttr()));
      continue;
    }
    Value data = vector::LoadOp::create(
        b, VectorType::get({kCopyElements}, sourceElement), copy.source,
        ValueRange{sourceRow, sourceColumn}, /*nontemporal=*/false,
        aligned ? llvm::MaybeAlign(16) : llvm::MaybeAlign());
    if (sourceElement != f16)
      data = arith::TruncFOp::create(b, VectorType::get({kCopyElements}, f16),
                                     data);
    vector::StoreOp::create(b, data, copy.shared, ValueRange{row, column},
                            /*nontemporal=*/false, llvm::MaybeAlign(16));
  }
}

Value KernelBuilder::allAligned(ArrayRef<TileCopy> copies) {
  Value all;
  for (const TileCopy &copy : copies)
    if (copy.aligned)
      all = all ? arith::AndIOp::create(b, all, copy.aligned).getResult()
                : copy.aligned;
  return all;
}

void KernelBuilder::stageTiles(ArrayRef<TileCopy> copies, Value k0) {
  auto stage = [&](bool aligned) {
    SmallVector<Value> tokens;
    for (const TileCopy &copy : copies) {
      Value row0 = copy.kRows ? k0 : copy.offset;
      Value col0 = copy.kRows ? copy.offset : k0;
      copyTile(copy, row0, col0, aligned && copy.aligned, tokens);
    }
    if (tokens.empty())
      return;
    Type token = nvgpu::DeviceAsyncTokenType::get(b.getContext());
    Value group = nvgpu::DeviceAsyncCreateGroupOp::create(b, token, tokens);
    nvgpu::DeviceAsyncWaitOp::create(b, group, b.getI32IntegerAttr(0));
  };
  if (!aligned) {
    stage(/*aligned=*/false);
  } else {
    auto branch = scf::IfOp::create(b, aligned, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(branch.thenBlock());
    stage(/*aligned=*/true);
    b.setInsertionPointToStart(branch.elseBlock());
    stage(/*aligned=*/false);
  }
  // Every thread's copies are in shared memory before any warp reads.
  gpu::BarrierOp::create(b);
}

gpu::LaunchOp KernelBuilder::build() {
  MLIRContext *ctx = b.getContext();
  Type f16 = b.getF16Type(), f32 = b.getF32Type();
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  // Tiles keep their source's layout: rows along M (A) or N (B), or along K.
  auto sharedType = [&](int64_t rows, int64_t cols) {
    return MemRefType::get({rows, cols + kRowPadding}, f16,
                           MemRefLayoutAttrInterface(), workgroup);
  };
  MemRefType aSharedType = mm.aTransposed ? sharedType(t.blockK, t.blockM())
                                          : sharedType(t.blockM(), t.blockK);
  MemRefType bSharedType = mm.bTransposed ? sharedType(t.blockN(), t.blockK)
                                          : sharedType(t.blockK, t.blockN());

  // Both tiles live in the block's dynamic shared memory, which the NVVM
  // lowering aligns to 16 bytes (workgroup attributions get only their
  // element's alignment; ldmatrix and cp.async need 16). At most 10 KiB:
  // below the 48 KiB a launch gets without opting in.
  int64_t aBytes = aSharedType.getNumElements() * 2;
  int64_t sharedBytes = aBytes + bSharedType.getNumElements() * 2;
  Value one = index(1);
  auto launch = gpu::LaunchOp::create(
      b, index(mm.n / t.blockN()), index(mm.m / t.blockM()), one,
      index(t.threads()), one, one,
      arith::ConstantIntOp::create(b, sharedBytes, 32));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  gpu::TerminatorOp::create(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value shared = gpu::DynamicSharedMemoryOp::create(
      b, MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                         MemRefLayoutAttrInterface(), workgroup));
  Value aShared =
      memref::ViewOp::create(b, aSharedType, shared, index(0), ValueRange());
  Value bShared = memref::ViewOp::create(b, bSharedType, shared, index(aBytes),
                                         ValueRange());

  threadId = launch.getThreadIds().x;
  blockRow = mul(launch.getBlockIds().y, t.blockM());
  blockColumn = mul(launch.getBlockIds().x, t.blockN());
  Value warp = floorDiv(threadId, kWarpSize);
  Value warpRow = mul(floorDiv(warp, t.warpsN), t.warpM);
  Value warpColumn = mul(mod(warp, t.warpsN), t.warpN);

  auto alignable = [&](Value source) -> Value {
    auto type = cast<MemRefType>(source.getType());
    if (getRowStride(type) * type.getElementTypeBitWidth() % 128)
      return Value();
    return isAligned(source);
  };
  auto tileCopy = [&](Value source, Value shared, bool kRows, Value offset) {
    auto type = cast<MemRefType>(shared.getType());
    return TileCopy{
        source, shared, type.getDimSize(0), type.getDimSize(1) - kRowPadding,
        kRows,  offset, alignable(source)};
  };
  TileCopy copies[] = {
      tileCopy(mm.a, aShared, /*kRows=*/mm.aTransposed, blockRow),
      tileCopy(mm.b, bShared, /*kRows=*/!mm.bTransposed, blockColumn)};
  aligned = allAligned(copies);

  // The warp's accumulators start from C: zero or the bias, written before
  // the kernel.
  int64_t tilesM = t.warpM / kMmaM, tilesN = t.warpN / kMmaN;
  auto accType = VectorType::get({kMmaM, kMmaN}, f32);
  auto aType = VectorType::get({kMmaM, kMmaK}, f16);
  auto bType = VectorType::get({kMmaN, kMmaK}, f16);
  SmallVector<bool> inBounds(2, true);
  Value rowBase = add(blockRow, warpRow),
        columnBase = add(blockColumn, warpColumn);
  SmallVector<Value> accumulators;
  for (int64_t i = 0; i < tilesM; ++i)
    for (int64_t j = 0; j < tilesN; ++j)
      accumulators.push_back(vector::TransferReadOp::create(
          b, accType, mm.c,
          ValueRange{add(rowBase, i * kMmaM), add(columnBase, j * kMmaN)},
          arith::ConstantOp::create(b, b.getF32FloatAttr(0)).getResult(),
          inBounds));

  AffineExpr d0, d1, d2;
  bindDims(ctx, d0, d1, d2);
  // Fragments are read as mma.sync takes them: A as (m, k), B as (n, k) (its
  // column-major form). A tile stored the other way round is read through
  // a transposing map, which becomes ldmatrix.trans.
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap transposed = AffineMap::get(2, 0, {d1, d0}, ctx);
  ArrayAttr contractMaps = b.getAffineMapArrayAttr(AffineMap::inferFromExprList(
      ArrayRef<ArrayRef<AffineExpr>>{{d0, d2}, {d1, d2}, {d0, d1}}, ctx));
  ArrayAttr iterators = b.getArrayAttr(
      {vector::IteratorTypeAttr::get(ctx, vector::IteratorType::parallel),
       vector::IteratorTypeAttr::get(ctx, vector::IteratorType::parallel),
       vector::IteratorTypeAttr::get(ctx, vector::IteratorType::reduction)});
  Value zeroF16 = arith::ConstantOp::create(b, b.getF16FloatAttr(0));

  auto loop = scf::ForOp::create(b, index(0), index(mm.k), index(t.blockK),
                                 accumulators);
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(loop.getBody());
    stageTiles(copies, loop.getInductionVar());
    SmallVector<Value> acc(loop.getRegionIterArgs());
    for (int64_t kk = 0; kk < t.blockK; kk += kMmaK) {
      SmallVector<Value> aFragments, bFragments;
      // Fragment (row, k) of a tile stored (row, k), or (k, row) read through
      // the transposing map.
      auto fragment = [&](VectorType type, Value shared, Value row,
                          bool kRows) -> Value {
        Value k = index(kk);
        SmallVector<Value, 2> indices = kRows ? SmallVector<Value, 2>{k, row}
                                              : SmallVector<Value, 2>{row, k};
        return vector::TransferReadOp::create(
            b, type, shared, indices,
            AffineMapAttr::get(kRows ? transposed : identity), zeroF16,
            /*mask=*/Value(), b.getBoolArrayAttr(inBounds));
      };
      for (int64_t i = 0; i < tilesM; ++i)
        aFragments.push_back(fragment(aType, aShared, add(warpRow, i * kMmaM),
                                      /*kRows=*/mm.aTransposed));
      for (int64_t j = 0; j < tilesN; ++j)
        bFragments.push_back(fragment(bType, bShared,
                                      add(warpColumn, j * kMmaN),
                                      /*kRows=*/!mm.bTransposed));
      for (int64_t i = 0; i < tilesM; ++i)
        for (int64_t j = 0; j < tilesN; ++j) {
          Value &a = acc[i * tilesN + j];
          a = vector::ContractionOp::create(b, aFragments[i], bFragments[j], a,
                                            contractMaps, iterators);
        }
    }
    // No warp overwrites the tiles while another still reads them.
    gpu::BarrierOp::create(b);
    scf::YieldOp::create(b, acc);
  }

  for (int64_t i = 0; i < tilesM; ++i)
    for (int64_t j = 0; j < tilesN; ++j)
      vector::TransferWriteOp::create(
          b, loop.getResult(i * tilesN + j), mm.c,
          ValueRange{add(rowBase, i * kMmaM), add(columnBase, j * kMmaN)},
          inBounds);
  return launch;
}

/// Erases the warp-level ops that the distribution to lanes left behind: the
/// K loop still carries the warp-level accumulators (yielding their initial
/// values), which keeps C's warp-level reads alive.
static LogicalResult eraseDeadWarpLevelOps(gpu::LaunchOp launch) {
  MLIRContext *ctx = launch.getContext();
  RewritePatternSet patterns(ctx);
  scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
  // Without folding: constants would move out of the launch, to the host
  // function, and become kernel parameters.
  GreedyRewriteConfig config;
  config.enableFolding(false).enableConstantCSE(false);
  if (failed(
          applyPatternsGreedily(launch.getBody(), std::move(patterns), config)))
    return failure();
  bool left = false;
  launch.walk([&](Operation *op) {
    left |= isa<vector::TransferReadOp, vector::TransferWriteOp,
                vector::ContractionOp>(op);
  });
  return failure(left);
}

namespace {

struct TensorCoreMatmulPass
    : public tfm::impl::TensorCoreMatmulPassBase<TensorCoreMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::tuple<linalg::LinalgOp, Matmul, Tiling>> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      std::optional<Matmul> mm = matchMatmul(op, roundF32Operands);
      if (!mm)
        return;
      if (std::optional<Tiling> tiling = chooseTiling(*mm))
        matmuls.emplace_back(op, *mm, *tiling);
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, mm, tiling] : matmuls) {
      ImplicitLocOpBuilder b(op.getLoc(), op);
      gpu::LaunchOp launch = KernelBuilder(b, mm, tiling).build();
      op->erase();
      // Warp-level fragments to lanes: ldmatrix, mma.sync and the lanes'
      // loads and stores of C. The warp-level ops are left dead.
      if (failed(convertVectorToNVVMCompatibleMMASync(rewriter, launch))) {
        launch.emitError("cannot distribute this matmul's fragments to lanes");
        return signalPassFailure();
      }
      if (failed(eraseDeadWarpLevelOps(launch))) {
        launch.emitError("warp-level ops are left in this matmul's kernel");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
