//===- NarrowKvCache.cpp - a key/value cache stored in f16 or bf16 -------===//
//
// tfm-narrow-kv-cache:
//
//   func(%past: f32 ...) { ... return concat(%past, %new) }
//     -> func(%past: f16 ...) { %p = cast(%past) to f32; ... uses %p ...;
//                               return concat(%past, cast(%new) to f16) }
//
// Decode steps read the whole cache for every token; stored in half the
// bytes, that read takes half the memory traffic. The extension of the
// argument is dropped by tfm-fuse-kv-cache where attention reads the cache
// in place (the attention extends each tile it reads).
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_NARROWKVCACHEPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

struct NarrowKvCachePass
    : tfm::impl::NarrowKvCachePassBase<NarrowKvCachePass> {
  using NarrowKvCachePassBase::NarrowKvCachePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || type == KvCacheType::Model)
      return;
    MLIRContext *ctx = &getContext();
    Type narrow = type == KvCacheType::F16 ? Type(Float16Type::get(ctx))
                                           : Type(BFloat16Type::get(ctx));
    Block &entry = func.getBody().front();
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder b(ctx);

    // The caches: f32 arguments appended to by a result (found before any
    // rewrite, since a result may repeat another).
    struct Append {
      OpOperand *result;
      ConcatOp concat;
      BlockArgument past;
      Value rows;
    };
    SmallVector<Append> appends;
    for (OpOperand &result : ret->getOpOperands()) {
      std::optional<std::pair<Value, Value>> append =
          fusion::matchCacheAppend(result.get());
      auto past =
          append ? dyn_cast<BlockArgument>(append->first) : BlockArgument();
      if (past && past.getOwner() == &entry &&
          getElementTypeOrSelf(past.getType()).isF32() &&
          getElementTypeOrSelf(append->second.getType()).isF32())
        appends.push_back({&result, result.get().getDefiningOp<ConcatOp>(),
                           past, append->second});
    }
    if (appends.empty()) {
      // Asked for and not applicable: say so rather than compile the model
      // as it is without a word.
      if (func.isPublic())
        func.emitWarning("tfm-narrow-kv-cache: no key/value cache to "
                         "narrow (no f32 argument that a result appends to "
                         "along a sequence axis)");
      return;
    }
    // Each argument is narrowed once, each append rewritten once.
    llvm::SmallDenseSet<BlockArgument> narrowed;
    llvm::SmallDenseMap<Operation *, Value> rewritten;
    for (auto [result, concat, past, rows] : appends) {
      if (Value done = rewritten.lookup(concat)) {
        result->set(done);
        continue;
      }
      if (narrowed.insert(past).second) {
        // Every reader of the argument sees it extended to f32.
        auto pastType = cast<RankedTensorType>(past.getType());
        past.setType(pastType.clone(narrow));
        b.setInsertionPointToStart(&entry);
        Value ext = CastOp::create(b, func.getLoc(), pastType, past);
        past.replaceAllUsesExcept(ext, ext.getDefiningOp());
      }
      // The result appends the new rows rounded to the cache's type.
      b.setInsertionPoint(concat);
      Value narrowRows = CastOp::create(
          b, concat.getLoc(),
          cast<RankedTensorType>(rows.getType()).clone(narrow), rows);
      Value appended = ConcatOp::create(b, concat.getLoc(),
                                        ValueRange{past, narrowRows},
                                        concat.getAxis());
      rewritten[concat] = appended;
      result->set(appended);
    }
    for (auto &[concat, appended] : rewritten)
      if (concat->use_empty())
        concat->erase();
    func.setType(FunctionType::get(ctx, entry.getArgumentTypes(),
                                   ret.getOperandTypes()));
  }
};

} // namespace
