//===- TensorCoreMatmul.cpp - f16 matmuls as mma.sync kernels -------------===//
//
// A matmul becomes a kernel of its own, written at warp level: the block's
// threads stage A and B tiles in shared memory, then each warp reads
// fragments of the mma.sync shape (16x16 of A, 16x8 of B) and accumulates
// with vector.contract. Upstream's conversion to mma.sync distributes the
// warp-level vectors to lanes (ldmatrix, mma.sync); this pass decides the
// tiling, writes the copies, and fuses the elementwise ops around the
// product into the lanes' loads and stores of C.
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
/// `aTransposed`; B is stored K x N, or N x K when `bTransposed`; for every
/// index of the leading batch loops (none for a plain matmul).
struct Matmul {
  Value a, b, c;
  int64_t m, n, k;
  bool aTransposed, bTransposed;
  SmallVector<int64_t> batchSizes;
  /// Per operand (A, B, C) and dimension: the batch loop it is indexed by,
  /// or -1 for the matrix's two dimensions.
  SmallVector<int64_t> batchLoops[3];
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

/// The strides of a static memref (empty where they are not static).
static SmallVector<int64_t> getStaticStrides(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type.hasStaticShape() ||
      failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return {};
  return strides;
}

/// The row stride of a 2-D memref with static strides.
static int64_t getRowStride(MemRefType type) {
  return getStaticStrides(type)[0];
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

/// For the access `map` of an operand by the loops (batch..., m, n, k):
/// the batch loop of each of its dimensions (-1 for the two matrix
/// dimensions) and the matrix dimensions' loops in storage order; none if
/// the operand does not use every batch loop once, as a plain dimension.
static std::optional<std::pair<SmallVector<int64_t>, SmallVector<unsigned>>>
analyzeAccess(AffineMap map, unsigned numBatch) {
  SmallVector<int64_t> batchLoops;
  SmallVector<unsigned> matrixLoops;
  llvm::SmallBitVector seen(map.getNumDims());
  for (AffineExpr expr : map.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim || seen.test(dim.getPosition()))
      return std::nullopt;
    seen.set(dim.getPosition());
    bool isBatch = dim.getPosition() < numBatch;
    batchLoops.push_back(isBatch ? static_cast<int64_t>(dim.getPosition())
                                 : int64_t(-1));
    if (!isBatch)
      matrixLoops.push_back(dim.getPosition());
  }
  if (matrixLoops.size() != 2 || batchLoops.size() != numBatch + 2)
    return std::nullopt;
  return std::make_pair(batchLoops, matrixLoops);
}

static std::optional<Matmul> matchMatmul(linalg::LinalgOp op,
                                         bool roundF32Operands) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() < 3)
    return std::nullopt;
  // Loops (batch..., m, n, k): parallel but the last.
  unsigned numBatch = op.getNumLoops() - 3;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (auto [i, iterator] : llvm::enumerate(iterators))
    if ((iterator == utils::IteratorType::reduction) != (i == numBatch + 2))
      return std::nullopt;
  if (!hasMultiplyAccumulateBody(op))
    return std::nullopt;
  unsigned m = numBatch, n = numBatch + 1, k = numBatch + 2;

  Matmul mm;
  mm.a = op.getDpsInputOperand(0)->get();
  mm.b = op.getDpsInputOperand(1)->get();
  mm.c = op.getDpsInitOperand(0)->get();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<unsigned> matrixLoops[3];
  Value operands[] = {mm.a, mm.b, mm.c};
  for (int i = 0; i < 3; ++i) {
    auto access = analyzeAccess(maps[i], numBatch);
    if (!access)
      return std::nullopt;
    std::tie(mm.batchLoops[i], matrixLoops[i]) = *access;
    // Rows contiguous: the matrix's second dimension is the innermost one,
    // of stride 1, and the row stride is static.
    auto type = cast<MemRefType>(operands[i].getType());
    SmallVector<int64_t> strides = getStaticStrides(type);
    if (strides.empty() || mm.batchLoops[i].back() != -1 || strides.back() != 1)
      return std::nullopt;
  }
  using Loops = SmallVector<unsigned>;
  if ((matrixLoops[0] != Loops{m, k} && matrixLoops[0] != Loops{k, m}) ||
      (matrixLoops[1] != Loops{k, n} && matrixLoops[1] != Loops{n, k}) ||
      matrixLoops[2] != Loops{m, n})
    return std::nullopt;
  mm.aTransposed = matrixLoops[0] == Loops{k, m};
  mm.bTransposed = matrixLoops[1] == Loops{n, k};

  // f16 products: at least one operand is f16 (both may be f32 when asked),
  // the other f16 or f32 (an f32 operand is rounded to f16 on its way to
  // shared memory, as the fp16 precision of the pipeline asks).
  MLIRContext *ctx = op.getContext();
  Type f16 = Float16Type::get(ctx), f32 = Float32Type::get(ctx);
  Type aElement = getElementTypeOrSelf(mm.a.getType());
  Type bElement = getElementTypeOrSelf(mm.b.getType());
  if (getElementTypeOrSelf(mm.c.getType()) != f32 ||
      (aElement != f16 && bElement != f16 && !roundF32Operands) ||
      (aElement != f16 && aElement != f32) ||
      (bElement != f16 && bElement != f32))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  mm.batchSizes.assign(ranges.begin(), ranges.begin() + numBatch);
  mm.m = ranges[m];
  mm.n = ranges[n];
  mm.k = ranges[k];
  // One block row of the grid per batch index.
  int64_t batches = 1;
  for (int64_t size : mm.batchSizes)
    batches *= size;
  if (batches > 65535)
    return std::nullopt;
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

/// The bytes of a function argument that a memref covers, where known.
struct BufferRange {
  Value base;
  int64_t begin, end;
};

/// A prologue (computing C's initial value) or epilogue (reading C) fused
/// into a matmul's kernel: an all-parallel 2-D linalg.generic, evaluated
/// per element of C by the lane that holds it.
struct Fusion {
  linalg::GenericOp op;
  /// The epilogue's input that is C (unused for a prologue).
  int64_t cInput = -1;
};

} // namespace

static int64_t getSizeInBytes(MemRefType type) {
  return type.getNumElements() * type.getElementTypeBitWidth() / 8;
}

/// The range of `value` through views of a function argument, an
/// allocation or a constant (which share no bytes with one another; the
/// same constant fetched twice is never written): memref.view at a
/// constant byte shift, reshapes, and subviews (taken as their whole
/// source). None when the chain is anything else.
static std::optional<BufferRange> getBufferRange(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  Operation *def = value.getDefiningOp();
  // A constant is read only: its range never matters but as its own.
  if (isa<BlockArgument>(value) ||
      isa<memref::AllocOp, memref::GetGlobalOp>(def)) {
    if (!type.getLayout().isIdentity())
      return std::nullopt;
    return BufferRange{value, 0, getSizeInBytes(type)};
  }
  if (auto view = dyn_cast<memref::ViewOp>(def)) {
    std::optional<BufferRange> source = getBufferRange(view.getSource());
    std::optional<int64_t> shift = getConstantIntValue(view.getByteShift());
    if (!source || !shift || !type.getLayout().isIdentity())
      return std::nullopt;
    int64_t begin = source->begin + *shift;
    return BufferRange{source->base, begin, begin + getSizeInBytes(type)};
  }
  if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp, memref::SubViewOp,
          memref::CastOp>(def))
    return getBufferRange(def->getOperand(0));
  return std::nullopt;
}

/// Whether `x` and `y` may share bytes (unknown ranges may).
static bool mayOverlap(Value x, Value y) {
  if (x == y)
    return true;
  std::optional<BufferRange> a = getBufferRange(x), b = getBufferRange(y);
  if (!a || !b)
    return true;
  return a->base == b->base && a->begin < b->end && b->begin < a->end;
}

/// The all-parallel 2-D generic of an M x N iteration space that could be
/// computed per element of C, or null.
static linalg::GenericOp getElementwiseGeneric(Operation *op,
                                               const Matmul &mm) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureBufferSemantics() ||
      generic.getNumLoops() != 2 || generic.getNumReductionLoops() != 0 ||
      generic.getNumDpsInits() != 1 ||
      generic.getStaticLoopRanges() != SmallVector<int64_t>{mm.m, mm.n})
    return nullptr;
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, op->getContext());
  for (OpOperand &operand : generic->getOpOperands())
    if (!generic.getMatchingIndexingMap(&operand).isProjectedPermutation() ||
        !cast<MemRefType>(operand.get().getType()).hasStaticShape())
      return nullptr;
  if (generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)) != identity)
    return nullptr;
  for (Operation &inner : generic.getBody()->without_terminator())
    if (inner.getNumRegions() != 0 || !isMemoryEffectFree(&inner))
      return nullptr;
  return generic;
}

/// The op that reads or writes memory next to `op` in its block (after it,
/// or before it), skipping views, constants and allocations.
static Operation *getNeighborWithEffects(Operation *op, bool after) {
  Operation *next = after ? op->getNextNode() : op->getPrevNode();
  while (next && next->getNumRegions() == 0 &&
         (isMemoryEffectFree(next) || isa<memref::AllocOp>(next)))
    next = after ? next->getNextNode() : next->getPrevNode();
  return next;
}

/// The generic just before `matmul` that computes C's initial value (the
/// bias, or zero) from other buffers.
static std::optional<Fusion> matchPrologue(Operation *matmul,
                                           const Matmul &mm) {
  if (!mm.batchSizes.empty())
    return std::nullopt;
  linalg::GenericOp generic = getElementwiseGeneric(
      getNeighborWithEffects(matmul, /*after=*/false), mm);
  if (!generic || generic.getDpsInitOperand(0)->get() != mm.c ||
      generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0)))
    return std::nullopt;
  for (Value input : generic.getDpsInputs())
    if (mayOverlap(input, mm.c))
      return std::nullopt;
  return Fusion{generic};
}

/// The generic just after `matmul` that reads C elementwise (an activation,
/// a residual) and writes another buffer or C itself.
static std::optional<Fusion> matchEpilogue(Operation *matmul,
                                           const Matmul &mm) {
  if (!mm.batchSizes.empty())
    return std::nullopt;
  linalg::GenericOp generic =
      getElementwiseGeneric(getNeighborWithEffects(matmul, /*after=*/true), mm);
  if (!generic)
    return std::nullopt;
  Value out = generic.getDpsInitOperand(0)->get();
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(2, generic.getContext());
  Fusion fusion{generic};
  for (OpOperand *input : generic.getDpsInputOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(input);
    if (input->get() == mm.c && map == identity && fusion.cInput < 0) {
      fusion.cInput = input->getOperandNumber();
      continue;
    }
    // Other inputs are not C, and share bytes with the output only at the
    // same element (read by the lane before it writes).
    if (mayOverlap(input->get(), mm.c) ||
        (mayOverlap(input->get(), out) &&
         (input->get() != out || map != identity)))
      return std::nullopt;
  }
  // Other blocks still read A and B while this one writes its output.
  if (fusion.cInput < 0 || mayOverlap(out, mm.a) || mayOverlap(out, mm.b))
    return std::nullopt;
  if (out != mm.c && mayOverlap(out, mm.c))
    return std::nullopt;
  return fusion;
}

/// Whether `generic` only rounds its input to f16 and back, elementwise.
static bool isRoundTripToF16(linalg::GenericOp generic) {
  if (!generic.hasPureBufferSemantics() || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || generic.getNumReductionLoops() != 0 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  Block *body = generic.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto ext = yield.getValues()[0].getDefiningOp<arith::ExtFOp>();
  auto trunc = ext ? ext.getIn().getDefiningOp<arith::TruncFOp>() : nullptr;
  return trunc && trunc.getIn() == body->getArgument(0) &&
         trunc.getType().isF16() && body->getOperations().size() == 3;
}

/// Reads `operand` of `product`, an f32 buffer that a generic just filled
/// with its input rounded to f16 and back, from that input instead: the
/// kernel rounds f32 operands to f16 as it stages them, so the rounding
/// pass is redundant (and a kernel launch). The operand must reach the
/// rounded buffer through reshapes only, the buffer have no other use, the
/// input the buffer's type, and nothing in between write the input.
static void bypassRoundTrip(OpOperand &operand, Operation *product) {
  SmallVector<Operation *> views;
  Value root = operand.get();
  while (Operation *def = root.getDefiningOp()) {
    if (!isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(def))
      break;
    if (!root.hasOneUse())
      return;
    views.push_back(def);
    root = def->getOperand(0);
  }
  auto alloc = root.getDefiningOp<memref::AllocOp>();
  if (!alloc || !alloc.getResult().hasNUses(2))
    return;
  linalg::GenericOp rounding;
  for (Operation *user : alloc->getUsers())
    if (auto generic = dyn_cast<linalg::GenericOp>(user);
        generic && generic.getDpsInitOperand(0)->get() == root &&
        isRoundTripToF16(generic))
      rounding = generic;
  if (!rounding || rounding->getBlock() != product->getBlock() ||
      !rounding->isBeforeInBlock(product))
    return;
  Value input = rounding.getDpsInputOperand(0)->get();
  if (input.getType() != root.getType())
    return;
  for (Operation *op = rounding->getNextNode(); op != product;
       op = op->getNextNode()) {
    if (isMemoryEffectFree(op) || isa<memref::AllocOp>(op))
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || llvm::any_of(linalgOp.getDpsInits(), [&](Value init) {
          return mayOverlap(init, input);
        }))
      return;
  }
  // The same reshapes, of the input.
  Value value = input;
  OpBuilder b(product);
  for (Operation *view : llvm::reverse(views)) {
    IRMapping mapping;
    mapping.map(view->getOperand(0), value);
    value = b.clone(*view, mapping)->getResult(0);
  }
  operand.set(value);
  for (Operation *view : views)
    view->erase();
  rounding->erase();
  alloc->erase();
}

/// Evaluates `fusion`'s body at (row, column): inputs are loaded there
/// (through their maps), but for `known` ones.
static Value evaluateAt(ImplicitLocOpBuilder &b, const Fusion &fusion,
                        Value row, Value column,
                        const DenseMap<int64_t, Value> &known) {
  linalg::GenericOp op = fusion.op;
  Block *body = op.getBody();
  IRMapping mapping;
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = body->getArgument(operand.getOperandNumber());
    if (arg.use_empty())
      continue;
    auto it = known.find(operand.getOperandNumber());
    if (it != known.end()) {
      mapping.map(arg, it->second);
      continue;
    }
    SmallVector<Value> indices;
    for (AffineExpr expr : op.getMatchingIndexingMap(&operand).getResults())
      indices.push_back(cast<AffineDimExpr>(expr).getPosition() == 0 ? row
                                                                     : column);
    mapping.map(arg, memref::LoadOp::create(b, operand.get(), indices));
  }
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), index.getDim() == 0 ? row : column);
      continue;
    }
    b.clone(inner, mapping);
  }
  return mapping.lookup(body->getTerminator()->getOperand(0));
}

/// `index + offset`.
static Value offsetBy(ImplicitLocOpBuilder &b, Value index, int64_t offset) {
  if (offset == 0)
    return index;
  return affine::AffineApplyOp::create(
      b, AffineMap::get(1, 0, b.getAffineDimExpr(0) + offset), index);
}

/// Replaces the lanes' loads of C (pairs of adjacent elements) with the
/// prologue evaluated there.
static void fusePrologue(gpu::LaunchOp launch, Value c,
                         const Fusion &prologue) {
  SmallVector<vector::LoadOp> loads;
  launch.walk([&](vector::LoadOp load) {
    if (load.getBase() == c)
      loads.push_back(load);
  });
  for (vector::LoadOp load : loads) {
    ImplicitLocOpBuilder b(load.getLoc(), load);
    Value row = load.getIndices()[0], column = load.getIndices()[1];
    SmallVector<Value> elements;
    for (int64_t i = 0; i < load.getVectorType().getNumElements(); ++i) {
      Value at = offsetBy(b, column, i);
      elements.push_back(
          evaluateAt(b, prologue, row, at, DenseMap<int64_t, Value>()));
    }
    load.replaceAllUsesWith(
        vector::FromElementsOp::create(b, load.getVectorType(), elements)
            .getResult());
    load.erase();
  }
}

/// After each lane's store of C (pairs of adjacent elements), computes the
/// epilogue there from the stored values and stores its result.
static void fuseEpilogue(gpu::LaunchOp launch, Value c,
                         const Fusion &epilogue) {
  SmallVector<vector::StoreOp> stores;
  launch.walk([&](vector::StoreOp store) {
    if (store.getBase() == c)
      stores.push_back(store);
  });
  linalg::GenericOp op = epilogue.op;
  Value out = op.getDpsInitOperand(0)->get();
  Type outElement = getElementTypeOrSelf(out.getType());
  for (vector::StoreOp store : stores) {
    ImplicitLocOpBuilder b(store.getLoc(), store->getBlock(),
                           std::next(store->getIterator()));
    Value row = store.getIndices()[0], column = store.getIndices()[1];
    auto type = cast<VectorType>(store.getValueToStore().getType());
    SmallVector<Value> elements;
    for (int64_t i = 0; i < type.getNumElements(); ++i) {
      Value at = offsetBy(b, column, i);
      Value cValue = vector::ExtractOp::create(b, store.getValueToStore(),
                                               ArrayRef<int64_t>{i});
      elements.push_back(
          evaluateAt(b, epilogue, row, at, {{epilogue.cInput, cValue}}));
    }
    Value result = vector::FromElementsOp::create(
        b, VectorType::get(type.getShape(), outElement), elements);
    vector::StoreOp::create(b, result, out, ValueRange{row, column});
  }
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

  /// The 2-D matrix of `operand` (0: A, 1: B, 2: C) at this block's batch
  /// index.
  Value matrixView(int operand, ArrayRef<OpFoldResult> batchIndices);

  ImplicitLocOpBuilder &b;
  const Matmul &mm;
  const Tiling &t;
  Value threadId, blockRow, blockColumn, aligned;
  /// A, B and C as 2-D memrefs.
  Value a, bMatrix, c;
};

} // namespace

Value KernelBuilder::matrixView(int operand,
                                ArrayRef<OpFoldResult> batchIndices) {
  Value source = operand == 0 ? mm.a : operand == 1 ? mm.b : mm.c;
  if (mm.batchSizes.empty())
    return source;
  auto type = cast<MemRefType>(source.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SmallVector<int64_t> matrixShape;
  for (auto [dim, loop] : llvm::enumerate(mm.batchLoops[operand])) {
    strides.push_back(b.getIndexAttr(1));
    if (loop >= 0) {
      offsets.push_back(batchIndices[loop]);
      sizes.push_back(b.getIndexAttr(1));
      continue;
    }
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(b.getIndexAttr(type.getDimSize(dim)));
    matrixShape.push_back(type.getDimSize(dim));
  }
  auto viewType = memref::SubViewOp::inferRankReducedResultType(
      matrixShape, type, offsets, sizes, strides);
  return memref::SubViewOp::create(b, cast<MemRefType>(viewType), source,
                                   offsets, sizes, strides);
}

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
  int64_t batches = 1;
  for (int64_t size : mm.batchSizes)
    batches *= size;
  auto launch = gpu::LaunchOp::create(
      b, index(mm.n / t.blockN()), index(mm.m / t.blockM()), index(batches),
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

  // The batch indices from blockIdx.z, the last batch loop fastest.
  SmallVector<OpFoldResult> batchIndices(mm.batchSizes.size());
  int64_t inner = 1;
  for (int64_t loop = mm.batchSizes.size() - 1; loop >= 0; --loop) {
    int64_t size = mm.batchSizes[loop];
    batchIndices[loop] =
        size == 1
            ? OpFoldResult(b.getIndexAttr(0))
            : OpFoldResult(mod(floorDiv(launch.getBlockIds().z, inner), size));
    inner *= size;
  }
  a = matrixView(0, batchIndices);
  bMatrix = matrixView(1, batchIndices);
  c = matrixView(2, batchIndices);

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
      tileCopy(a, aShared, /*kRows=*/mm.aTransposed, blockRow),
      tileCopy(bMatrix, bShared, /*kRows=*/!mm.bTransposed, blockColumn)};
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
          b, accType, c,
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
          b, loop.getResult(i * tilesN + j), c,
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

  struct Candidate {
    linalg::LinalgOp op;
    Matmul mm;
    Tiling tiling;
    std::optional<Fusion> prologue, epilogue;
  };

  void runOnOperation() override {
    // First the roundings the kernels make redundant: dropping them changes
    // which ops are next to the products.
    getOperation().walk([&](linalg::LinalgOp op) {
      std::optional<Matmul> mm = matchMatmul(op, roundF32Operands);
      if (!mm || !chooseTiling(*mm))
        return;
      // f32 operands are rounded to f16 as they are staged: a pass that
      // only rounds them beforehand is dropped.
      for (int i = 0; i < 2; ++i)
        if (getElementTypeOrSelf(op->getOperand(i).getType()).isF32())
          bypassRoundTrip(op->getOpOperand(i), op);
    });

    std::vector<Candidate> candidates;
    // A generic between two products is fused into one of them at most.
    DenseSet<Operation *> claimed;
    getOperation().walk([&](linalg::LinalgOp op) {
      std::optional<Matmul> mm = matchMatmul(op, roundF32Operands);
      if (!mm)
        return;
      std::optional<Tiling> tiling = chooseTiling(*mm);
      if (!tiling)
        return;
      Candidate candidate{op, *mm, *tiling, std::nullopt, std::nullopt};
      if (fuseElementwise) {
        candidate.prologue = matchPrologue(op, *mm);
        candidate.epilogue = matchEpilogue(op, *mm);
        // The epilogue's output is written while other blocks still read
        // the prologue's inputs.
        if (candidate.prologue && candidate.epilogue) {
          Value out = candidate.epilogue->op.getDpsInitOperand(0)->get();
          if (llvm::any_of(candidate.prologue->op.getDpsInputs(),
                           [&](Value in) { return mayOverlap(in, out); }))
            candidate.prologue.reset();
        }
        for (std::optional<Fusion> *fusion :
             {&candidate.prologue, &candidate.epilogue})
          if (*fusion && !claimed.insert((*fusion)->op).second)
            fusion->reset();
      }
      candidates.push_back(std::move(candidate));
    });
    IRRewriter rewriter(&getContext());
    for (Candidate &candidate : candidates) {
      // At the epilogue, when there is one: views and allocations of its
      // buffers may come between the product and it (nothing else does).
      Operation *position =
          candidate.epilogue ? candidate.epilogue->op : candidate.op;
      ImplicitLocOpBuilder b(candidate.op.getLoc(), position);
      gpu::LaunchOp launch =
          KernelBuilder(b, candidate.mm, candidate.tiling).build();
      candidate.op->erase();
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
      if (candidate.prologue) {
        fusePrologue(launch, candidate.mm.c, *candidate.prologue);
        candidate.prologue->op->erase();
      }
      if (candidate.epilogue) {
        fuseEpilogue(launch, candidate.mm.c, *candidate.epilogue);
        candidate.epilogue->op->erase();
      }
    }
  }
};

} // namespace
