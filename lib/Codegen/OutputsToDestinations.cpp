//===- OutputsToDestinations.cpp - results become output buffers ----------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_OUTPUTSTODESTINATIONSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

struct OutputsToDestinationsPass
    : public tfm::impl::OutputsToDestinationsPassBase<
          OutputsToDestinationsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        entries.push_back(func);
    if (!entryName.empty() && entries.size() != 1) {
      module.emitError() << "tfm-outputs-to-destinations: entry-name needs "
                            "exactly one public function, found "
                         << entries.size();
      return signalPassFailure();
    }
    for (func::FuncOp func : entries)
      if (failed(convert(func)))
        return signalPassFailure();
  }

  /// Buffers without elements cross the entry point as one-dimensional
  /// `0xT` buffers: the bare-pointer convention (and the runtime) need no
  /// more, and upstream lowers `3x0xT` descriptors differently.
  static Type getBoundaryType(RankedTensorType type) {
    if (type.getNumElements() == 0)
      return type.clone(ArrayRef<int64_t>{0});
    return type;
  }

  LogicalResult convert(func::FuncOp func) {
    FunctionType type = func.getFunctionType();
    unsigned numInputs = type.getNumInputs();
    // The entry point passes bare pointers: a dynamic dimension has no way
    // in yet (code generation handles some, the runtime's ABI none).
    for (auto [i, input] : llvm::enumerate(type.getInputs()))
      if (auto tensorType = dyn_cast<RankedTensorType>(input);
          !tensorType || !tensorType.hasStaticShape())
        return func.emitError()
               << "model inputs must be statically shaped tensors, got "
               << input << " for input " << i;
    SmallVector<Type> outputTypes;
    for (Type result : type.getResults()) {
      auto tensorType = dyn_cast<RankedTensorType>(result);
      if (!tensorType || !tensorType.hasStaticShape())
        return func.emitError()
               << "model outputs must be statically shaped tensors, got "
               << result;
      auto boundary = cast<RankedTensorType>(getBoundaryType(tensorType));
      outputTypes.push_back(
          MemRefType::get(boundary.getShape(), boundary.getElementType()));
    }
    // Inputs without elements: their users (if any are left) read an empty
    // tensor of the original shape, which holds nothing to read.
    if (!func.isExternal()) {
      OpBuilder b(func.getContext());
      b.setInsertionPointToStart(&func.front());
      for (BlockArgument arg : func.getArguments()) {
        auto tensorType = dyn_cast<RankedTensorType>(arg.getType());
        if (!tensorType || !tensorType.hasStaticShape() ||
            tensorType.getNumElements() != 0 || tensorType.getRank() == 1)
          continue;
        Value empty =
            tensor::EmptyOp::create(b, arg.getLoc(), tensorType.getShape(),
                                    tensorType.getElementType());
        arg.replaceAllUsesWith(empty);
        arg.setType(getBoundaryType(tensorType));
      }
      SmallVector<Type> inputTypes(func.front().getArgumentTypes());
      func.setFunctionType(
          FunctionType::get(func.getContext(), inputTypes, type.getResults()));
      type = func.getFunctionType();
    }
    SmallVector<DictionaryAttr> resultAttrs;
    func.getAllResultAttrs(resultAttrs);

    // New trailing arguments carry the results' attributes.
    SmallVector<unsigned> indices(outputTypes.size(), numInputs);
    SmallVector<DictionaryAttr> argAttrs = llvm::map_to_vector(
        resultAttrs, [](DictionaryAttr attrs) { return attrs; });
    argAttrs.resize(outputTypes.size());
    SmallVector<Location> locs(outputTypes.size(), func.getLoc());
    if (failed(func.insertArguments(indices, outputTypes, argAttrs, locs)))
      return failure();
    SmallVector<Value> outputs(func.getArguments().drop_front(numInputs));
    llvm::BitVector allResults(type.getNumResults(), true);
    if (failed(func.eraseResults(allResults)))
      return failure();

    // Every return stores its operands into the outputs.
    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp op) { returns.push_back(op); });
    for (func::ReturnOp ret : returns) {
      OpBuilder b(ret);
      for (auto [value, output] : llvm::zip(ret.getOperands(), outputs)) {
        if (cast<MemRefType>(output.getType()).getNumElements() == 0)
          continue; // Nothing to store.
        bufferization::MaterializeInDestinationOp::create(
            b, ret.getLoc(), TypeRange{}, value, output, /*restrict=*/true,
            /*writable=*/true);
      }
      func::ReturnOp::create(b, ret.getLoc());
      ret.erase();
    }
    if (!entryName.empty())
      func.setSymName(entryName);
    func->setAttr(kEntryAttrName, UnitAttr::get(&getContext()));
    // Every buffer crossing the entry point is statically shaped: it takes
    // bare pointers, which the runtime can pass without descriptors.
    func->setAttr("llvm.bareptr", UnitAttr::get(&getContext()));
    return success();
  }
};

} // namespace
