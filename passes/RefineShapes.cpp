//===- RefineShapes.cpp - propagate static shapes through tfm ops --------===//

#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_REFINESHAPESPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

/// Keeps every static dimension of `current` and takes the rest from
/// `inferred`; the two are known to be compatible.
static Type refineType(Type current, Type inferred) {
  auto currentTensor = dyn_cast<RankedTensorType>(current);
  auto inferredTensor = dyn_cast<RankedTensorType>(inferred);
  if (!currentTensor || !inferredTensor ||
      currentTensor.getRank() != inferredTensor.getRank())
    return current;
  SmallVector<int64_t> shape(currentTensor.getShape());
  for (auto [dim, other] : llvm::zip_equal(shape, inferredTensor.getShape()))
    if (ShapedType::isDynamic(dim))
      dim = other;
  return currentTensor.clone(shape);
}

/// Result types of the ops whose results are declared rather than inferred,
/// with every dimension their operand determines filled in: a split piece's
/// dimensions off the axis, an expanded dimension the input does not
/// broadcast, and the single unknown dimension of a reshape.
static void inferDeclaredShapes(Operation *op,
                                SmallVectorImpl<Type> &inferred) {
  if (auto castOp = dyn_cast<CastOp>(op)) {
    inferred.push_back(
        castOp.getType().clone(castOp.getInput().getType().getShape()));
  } else if (auto split = dyn_cast<SplitOp>(op)) {
    ArrayRef<int64_t> input = split.getInput().getType().getShape();
    for (Type type : split.getResultTypes()) {
      auto piece = cast<RankedTensorType>(type);
      SmallVector<int64_t> shape(input);
      shape[split.getAxis()] = piece.getDimSize(split.getAxis());
      inferred.push_back(piece.clone(shape));
    }
  } else if (auto expand = dyn_cast<ExpandOp>(op)) {
    ArrayRef<int64_t> input = expand.getInput().getType().getShape();
    SmallVector<int64_t> shape(expand.getType().getShape());
    size_t offset = shape.size() - input.size();
    for (auto [i, dim] : llvm::enumerate(input))
      if (dim != 1 && ShapedType::isDynamic(shape[offset + i]))
        shape[offset + i] = dim;
    inferred.push_back(expand.getType().clone(shape));
  } else if (auto reshape = dyn_cast<ReshapeOp>(op)) {
    RankedTensorType input = reshape.getInput().getType();
    SmallVector<int64_t> shape(reshape.getType().getShape());
    auto dynamic = llvm::make_filter_range(shape, ShapedType::isDynamic);
    if (input.hasStaticShape() && llvm::hasSingleElement(dynamic)) {
      int64_t known = 1;
      for (int64_t dim : shape)
        known *= ShapedType::isDynamic(dim) ? 1 : dim;
      if (known != 0 && input.getNumElements() % known == 0)
        *dynamic.begin() = input.getNumElements() / known;
    }
    inferred.push_back(reshape.getType().clone(shape));
  }
}

/// The result types `op` would have given its current operands, or failure
/// (with a diagnostic) when the operands are no longer acceptable.
static LogicalResult inferResultTypes(Operation *op,
                                      SmallVectorImpl<Type> &inferred) {
  auto inferrable = dyn_cast<InferTypeOpInterface>(op);
  if (!inferrable) {
    inferDeclaredShapes(op, inferred);
    return success();
  }
  return inferrable.inferReturnTypes(
      op->getContext(), op->getLoc(), op->getOperands(),
      op->getRawDictionaryAttrs(), op->getPropertiesStorage(), op->getRegions(),
      inferred);
}

namespace {
struct RefineShapesPass : tfm::impl::RefineShapesPassBase<RefineShapesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      bool updateSignature =
          updateSignatures && SymbolTable::symbolKnownUseEmpty(func, module);
      if (failed(refineBody(func, updateSignature)))
        return signalPassFailure();
      if (updateSignature)
        updateResultTypes(func);
    }
  }

  /// Refines the result types of tfm ops in `func`. Users outside tfm keep
  /// seeing the declared type through a `tensor.cast`, except the returns of
  /// a function whose signature follows.
  LogicalResult refineBody(func::FuncOp func, bool updateSignature) {
    SmallVector<std::pair<Value, Type>> refined;
    WalkResult walk = func.walk([&](Operation *op) {
      if (!isa<TfmDialect>(op->getDialect()))
        return WalkResult::advance();
      SmallVector<Type> inferred;
      if (failed(inferResultTypes(op, inferred)))
        return WalkResult::interrupt();
      for (auto [result, type] : llvm::zip(op->getResults(), inferred)) {
        Type declared = result.getType();
        Type refinedType = refineType(declared, type);
        if (refinedType == declared)
          continue;
        result.setType(refinedType);
        refined.emplace_back(result, declared);
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    for (auto [value, declared] : refined) {
      Value castBack;
      for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
        Operation *user = use.getOwner();
        if (isa<TfmDialect>(user->getDialect()) ||
            (updateSignature && isa<func::ReturnOp>(user)))
          continue;
        if (!castBack) {
          OpBuilder builder(value.getContext());
          builder.setInsertionPointAfterValue(value);
          castBack =
              tensor::CastOp::create(builder, value.getLoc(), declared, value);
        }
        use.set(castBack);
      }
    }
    return success();
  }

  static void updateResultTypes(func::FuncOp func) {
    auto ret = dyn_cast<func::ReturnOp>(func.getBody().back().getTerminator());
    if (!ret || !func.getBody().hasOneBlock())
      return;
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                   ret.getOperandTypes()));
  }
};
} // namespace
