//===- ExternalizeWeights.cpp - constants into the weights blob -----------===//
//
// Weights do not belong in generated code: as LLVM constants they would be
// copied through every stage of code generation. The entry function reads
// them instead from a caller-provided blob, whose layout the module records
// for the driver.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_EXTERNALIZEWEIGHTSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

constexpr int64_t kAlignment = 64;

/// Byte size of a global's value in the blob (booleans take a byte each).
int64_t getBlobBytes(MemRefType type) {
  Type elementType = type.getElementType();
  int64_t elementBytes =
      std::max<int64_t>(1, (elementType.getIntOrFloatBitWidth() + 7) / 8);
  return type.getNumElements() * elementBytes;
}

struct ExternalizeWeightsPass
    : public tfm::impl::ExternalizeWeightsPassBase<ExternalizeWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SymbolTable symbols(module);

    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(kEntryAttrName) && !func.isExternal())
        entries.push_back(func);

    // Globals worth moving, referenced only from entry functions.
    SmallVector<memref::GlobalOp> moved;
    for (auto global : module.getOps<memref::GlobalOp>()) {
      if (!global.getConstant() || !global.getInitialValue() ||
          !isa<ElementsAttr>(*global.getInitialValue()))
        continue;
      MemRefType type = global.getType();
      if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat() ||
          getBlobBytes(type) < minBytes)
        continue;
      std::optional<SymbolTable::UseRange> symbolUses =
          SymbolTable::getSymbolUses(global.getSymNameAttr(), module);
      bool usedElsewhere = false;
      if (symbolUses)
        for (const SymbolTable::SymbolUse &use : *symbolUses) {
          auto func = use.getUser()->getParentOfType<func::FuncOp>();
          if (!isa<memref::GetGlobalOp>(use.getUser()) || !func ||
              !func->hasAttr(kEntryAttrName))
            usedElsewhere = true;
        }
      if (!usedElsewhere)
        moved.push_back(global);
    }

    // Layout: in program order, each weight 64-byte aligned.
    SmallVector<Attribute> layout;
    DenseMap<StringAttr, int64_t> offsets;
    int64_t size = 0;
    for (memref::GlobalOp global : moved) {
      offsets[global.getSymNameAttr()] = size;
      layout.push_back(DictionaryAttr::get(
          ctx,
          {NamedAttribute(StringAttr::get(ctx, "name"),
                          global.getSymNameAttr()),
           NamedAttribute(StringAttr::get(ctx, "offset"),
                          IntegerAttr::get(IntegerType::get(ctx, 64), size)),
           NamedAttribute(StringAttr::get(ctx, "value"),
                          *global.getInitialValue())}));
      size += (getBlobBytes(global.getType()) + kAlignment - 1) / kAlignment *
              kAlignment;
    }

    auto blobType = MemRefType::get({size}, IntegerType::get(ctx, 8));
    for (func::FuncOp func : entries) {
      if (failed(func.insertArgument(
              0, blobType,
              DictionaryAttr::get(
                  ctx, {NamedAttribute(kWeightsAttrName, UnitAttr::get(ctx))}),
              func.getLoc())))
        return signalPassFailure();
      Value blob = func.getArgument(0);
      SmallVector<memref::GetGlobalOp> toReplace;
      func.walk([&](memref::GetGlobalOp op) {
        if (offsets.count(op.getNameAttr().getAttr()))
          toReplace.push_back(op);
      });
      for (memref::GetGlobalOp op : toReplace) {
        OpBuilder b(op);
        Value offset = arith::ConstantIndexOp::create(
            b, op.getLoc(), offsets[op.getNameAttr().getAttr()]);
        Value view = memref::ViewOp::create(b, op.getLoc(), op.getType(), blob,
                                            offset, ValueRange{});
        op.getResult().replaceAllUsesWith(view);
        op.erase();
      }
    }
    for (memref::GlobalOp global : moved)
      global.erase();
    module->setAttr(kWeightsAttrName, ArrayAttr::get(ctx, layout));
    module->setAttr("tfm.weights_size",
                    IntegerAttr::get(IntegerType::get(ctx, 64), size));
  }
};

} // namespace
