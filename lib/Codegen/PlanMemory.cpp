//===- PlanMemory.cpp - static arena placement of intermediates -----------===//
//
// Liveness here is positional: each top-level operation of the entry block
// has an index, and a buffer lives from its allocation to the last top-level
// operation that uses it or any value aliasing it (views, results of ops it
// flows into). Placement is greedy best-fit by decreasing size, the
// classic offline approach of TFLite's arena planner and XLA's heap
// simulator: with static shapes every offset is known at compile time. A
// dynamically shaped buffer takes the room of its largest size, known when
// each dynamic dimension has an upper bound (a sequence length clamped to
// the bound the model is compiled for): its offset stays static.
// Buffers nothing reads (a product's tiles that its epilogue consumed in
// registers) are erased first, with the stores into them.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_PLANMEMORYPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

constexpr int64_t kAlignment = 64;

int64_t alignTo(int64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

/// Erases the allocations nothing reads, with the ops writing them: a
/// buffer whose uses, through views, are only stores and its deallocation
/// (a product's tiles that its epilogue consumed in registers).
void eraseWriteOnlyBuffers(Operation *root) {
  SmallVector<memref::AllocOp> allocs;
  root->walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
  for (memref::AllocOp alloc : allocs) {
    SmallVector<Operation *> users, worklist = {alloc};
    bool isWriteOnly = true;
    while (!worklist.empty() && isWriteOnly) {
      Value buffer = worklist.pop_back_val()->getResult(0);
      for (OpOperand &use : buffer.getUses()) {
        Operation *user = use.getOwner();
        users.push_back(user);
        if (isa<memref::SubViewOp, memref::ExpandShapeOp,
                memref::CollapseShapeOp>(user)) {
          worklist.push_back(user);
        } else if (auto write = dyn_cast<vector::TransferWriteOp>(user)) {
          isWriteOnly &= use.get() == write.getBase();
        } else if (auto store = dyn_cast<memref::StoreOp>(user)) {
          isWriteOnly &= use.get() == store.getMemRef();
        } else {
          isWriteOnly &= isa<memref::DeallocOp>(user);
        }
      }
    }
    if (!isWriteOnly)
      continue;
    // Users after their operands' definitions: erase in reverse.
    for (Operation *user : llvm::reverse(users))
      user->erase();
    alloc->erase();
  }
}

struct Buffer {
  memref::AllocOp alloc;
  int64_t size = 0;
  int64_t start = 0, end = 0;
  int64_t offset = -1;
};

/// The most bytes `alloc` holds: its static size, or for a dynamically
/// shaped one the size at the upper bound of each dynamic dimension
/// (ValueBoundsConstraintSet: a sequence length clamped to the bound the
/// model was compiled for). Nullopt for other layouts, element types, and
/// dimensions without a bound.
std::optional<int64_t> getMaxByteSize(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  if (!type.getLayout().isIdentity())
    return std::nullopt;
  Type elementType = type.getElementType();
  if (!elementType.isIntOrFloat())
    return std::nullopt;
  // Sub-byte types (i1) occupy one byte per element.
  int64_t bytes =
      std::max<int64_t>(1, (elementType.getIntOrFloatBitWidth() + 7) / 8);
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    int64_t size = type.getDimSize(dim);
    if (ShapedType::isDynamic(size)) {
      FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
          presburger::BoundType::UB, {alloc.getResult(), dim},
          /*stopCondition=*/nullptr, /*closedUB=*/true);
      if (failed(bound) || *bound < 0)
        return std::nullopt;
      size = *bound;
    }
    if (llvm::MulOverflow(bytes, size, bytes))
      return std::nullopt;
  }
  return bytes;
}

/// The last top-level position at which `root` or an alias of it is used,
/// or nullopt when an alias escapes the function.
std::optional<int64_t>
getLastUse(Value root, Block &entry,
           const DenseMap<Operation *, int64_t> &positions) {
  int64_t last = positions.lookup(root.getDefiningOp());
  SmallVector<Value> worklist = {root};
  DenseSet<Value> visited = {root};
  auto push = [&](Value v) {
    if (isa<BaseMemRefType>(v.getType()) && visited.insert(v).second)
      worklist.push_back(v);
  };
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<func::ReturnOp, func::CallOp>(user))
        return std::nullopt;
      Operation *top = entry.findAncestorOpInBlock(*user);
      if (!top)
        return std::nullopt;
      last = std::max(last, positions.lookup(top));
      // Anything the buffer flows into may alias it: view results, results
      // of region ops, and the results of a terminator's parent.
      for (Value result : user->getResults())
        push(result);
      if (user->hasTrait<OpTrait::IsTerminator>())
        if (Operation *parent = user->getParentOp();
            parent && parent != top->getParentOp())
          for (Value result : parent->getResults())
            push(result);
      for (Region &region : user->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            push(arg);
    }
  }
  return last;
}

/// Assigns offsets, largest buffers first, each at the lowest aligned
/// offset that does not collide with a placed buffer whose lifetime
/// overlaps. Returns the arena size.
int64_t assignOffsets(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order =
      llvm::map_to_vector(buffers, [](Buffer &buffer) { return &buffer; });
  // Ties keep program order (the buffers are contiguous in memory).
  llvm::sort(order, [](const Buffer *a, const Buffer *b) {
    return a->size != b->size ? a->size > b->size : a < b;
  });
  int64_t arenaSize = 0;
  SmallVector<Buffer *> placed;
  for (Buffer *buffer : order) {
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (Buffer *other : placed)
      if (!(other->end < buffer->start || buffer->end < other->start))
        busy.push_back({other->offset, other->offset + other->size});
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [begin, end] : busy) {
      if (offset + buffer->size <= begin)
        break;
      offset = std::max(offset, alignTo(end));
    }
    buffer->offset = offset;
    arenaSize = std::max(arenaSize, alignTo(offset + buffer->size));
    placed.push_back(buffer);
  }
  return arenaSize;
}

struct PlanMemoryPass : public tfm::impl::PlanMemoryPassBase<PlanMemoryPass> {
  void runOnOperation() override {
    eraseWriteOnlyBuffers(getOperation());
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func->hasAttr(kEntryAttrName) && !func.isExternal())
        plan(func);
  }

  void plan(func::FuncOp func) {
    Block &entry = func.getBody().front();
    DenseMap<Operation *, int64_t> positions;
    int64_t index = 0;
    for (Operation &op : entry)
      positions[&op] = index++;

    SmallVector<Buffer> buffers;
    for (auto alloc : entry.getOps<memref::AllocOp>()) {
      std::optional<int64_t> size = getMaxByteSize(alloc);
      if (!size)
        continue;
      std::optional<int64_t> last =
          getLastUse(alloc.getResult(), entry, positions);
      if (!last)
        continue;
      Buffer buffer;
      buffer.alloc = alloc;
      buffer.size = *size;
      buffer.start = positions[alloc];
      buffer.end = *last;
      buffers.push_back(buffer);
    }
    int64_t arenaSize = assignOffsets(buffers);

    MLIRContext *ctx = &getContext();
    auto arenaType = MemRefType::get({arenaSize}, IntegerType::get(ctx, 8));
    if (failed(func.insertArgument(
            0, arenaType,
            DictionaryAttr::get(
                ctx, {NamedAttribute(kArenaAttrName, UnitAttr::get(ctx))}),
            func.getLoc())))
      return signalPassFailure();
    Value arena = func.getArgument(0);
    for (Buffer &buffer : buffers) {
      OpBuilder b(buffer.alloc);
      Value offset = arith::ConstantIndexOp::create(b, buffer.alloc.getLoc(),
                                                    buffer.offset);
      Value view = memref::ViewOp::create(b, buffer.alloc.getLoc(),
                                          buffer.alloc.getType(), arena, offset,
                                          buffer.alloc.getDynamicSizes());
      buffer.alloc.getResult().replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    func->setAttr(kArenaSizeAttrName,
                  IntegerAttr::get(IntegerType::get(ctx, 64), arenaSize));
  }
};

} // namespace
