//===- FoldEmptyTensors.cpp - zero-element tensors become constants -------===//
//
// Code generation tiles and vectorizes iteration spaces; one with a zero
// extent has nothing to tile and upstream's tiling does not expect it. The
// graph says the same thing more simply: a tensor without elements is a
// constant, and a reduction over nothing is the reduction's identity.
//
//===----------------------------------------------------------------------===//

#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/APFloat.h"

#include <limits>

namespace mlir::tfm {
#define GEN_PASS_DEF_FOLDEMPTYTENSORSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// True for a statically shaped tensor with a zero dimension.
bool isEmptyTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         llvm::is_contained(tensor.getShape(), 0);
}

bool hasEmptyOperand(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), isEmptyTensor);
}

/// A splat of `type` holding `value`: a float, or for integer element types
/// the value rounded toward zero (clamped to the type by the caller).
Value createSplat(PatternRewriter &rewriter, Location loc,
                  RankedTensorType type, Attribute element) {
  return ConstantOp::create(rewriter, loc,
                            DenseElementsAttr::get(type, element));
}

Attribute getZero(Builder &b, Type elementType) {
  if (isa<FloatType>(elementType))
    return b.getFloatAttr(elementType, 0.0);
  return b.getIntegerAttr(elementType, 0);
}

/// Every zero-element result of a tfm op (other than a constant) becomes an
/// empty constant for its users.
struct EmptyResultsToConstants : RewritePattern {
  EmptyResultsToConstants(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa_and_nonnull<TfmDialect>(op->getDialect()) || isa<ConstantOp>(op))
      return rewriter.notifyMatchFailure(op, "not a computing tfm op");
    bool changed = false;
    for (OpResult result : op->getResults()) {
      if (!isEmptyTensor(result.getType()) || result.use_empty())
        continue;
      auto type = cast<RankedTensorType>(result.getType());
      Value empty = ConstantOp::create(
          rewriter, op->getLoc(),
          DenseElementsAttr::get(type, ArrayRef<Attribute>()));
      rewriter.replaceAllUsesWith(result, empty);
      changed = true;
    }
    if (!changed)
      return rewriter.notifyMatchFailure(op, "no used empty result");
    if (op->use_empty())
      rewriter.eraseOp(op);
    return success();
  }
};

/// `base` (zeros of the result type) plus `bias` broadcast along
/// `biasAxis` of the result, when there is a bias.
Value addBias(PatternRewriter &rewriter, Location loc, Value base, Value bias,
              int64_t biasAxis) {
  if (!bias)
    return base;
  auto type = cast<RankedTensorType>(base.getType());
  auto biasType = cast<RankedTensorType>(bias.getType());
  // [N] -> [N, 1, ..., 1] so that it broadcasts along `biasAxis`.
  SmallVector<int64_t> shape = {biasType.getNumElements()};
  shape.append(type.getRank() - biasAxis - 1, 1);
  if (ArrayRef<int64_t>(shape) != biasType.getShape())
    bias = ReshapeOp::create(
        rewriter, loc, RankedTensorType::get(shape, biasType.getElementType()),
        bias);
  return AddOp::create(rewriter, loc, base, bias);
}

/// Products over an empty reduced dimension are zeros (plus the bias).
template <typename OpTy> struct EmptyContraction : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!hasEmptyOperand(op) || !type.hasStaticShape() || isEmptyTensor(type))
      return rewriter.notifyMatchFailure(op, "no empty reduction");
    if constexpr (std::is_same_v<OpTy, AttentionOp>) {
      // Only the key sequence may be empty: a head size of 0 would make a
      // softmax over zero scores, not a sum over nothing.
      auto key = cast<RankedTensorType>(op.getKey().getType());
      int64_t keyAxis = key.getRank() == 3 ? 1 : 2;
      if (key.getDimSize(keyAxis) != 0 || op.getPastLength() != 0)
        return rewriter.notifyMatchFailure(op, "keys are not empty");
    }
    Location loc = op.getLoc();
    Value zeros = createSplat(rewriter, loc, type,
                              getZero(rewriter, type.getElementType()));
    Value result = zeros;
    if constexpr (std::is_same_v<OpTy, LinearOp>)
      result = addBias(rewriter, loc, zeros, op.getBias(), type.getRank() - 1);
    else if constexpr (std::is_same_v<OpTy, ConvOp>)
      result = addBias(rewriter, loc, zeros, op.getBias(), 1);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reductions over an empty axis take ONNX's value for an empty set.
template <typename OpTy> struct EmptyReduction : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!hasEmptyOperand(op) || !type.hasStaticShape() || isEmptyTensor(type))
      return rewriter.notifyMatchFailure(op, "no empty reduction");
    Type elementType = type.getElementType();
    Attribute value;
    if (auto floatType = dyn_cast<FloatType>(elementType)) {
      const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
      llvm::APFloat identity = llvm::APFloat::getZero(semantics);
      if constexpr (std::is_same_v<OpTy, ReduceMeanOp>)
        identity = llvm::APFloat::getNaN(semantics);
      else if constexpr (std::is_same_v<OpTy, ReduceMaxOp>)
        identity = llvm::APFloat::getInf(semantics, /*Negative=*/true);
      else if constexpr (std::is_same_v<OpTy, ReduceMinOp>)
        identity = llvm::APFloat::getInf(semantics, /*Negative=*/false);
      value = FloatAttr::get(elementType, identity);
    } else {
      unsigned width = elementType.getIntOrFloatBitWidth();
      bool isUnsigned = elementType.isUnsignedInteger();
      APInt identity = APInt::getZero(width);
      if constexpr (std::is_same_v<OpTy, ReduceMaxOp>)
        identity = isUnsigned ? APInt::getMinValue(width)
                              : APInt::getSignedMinValue(width);
      else if constexpr (std::is_same_v<OpTy, ReduceMinOp>)
        identity = isUnsigned ? APInt::getMaxValue(width)
                              : APInt::getSignedMaxValue(width);
      value = IntegerAttr::get(elementType, identity);
    }
    rewriter.replaceOp(op, createSplat(rewriter, op.getLoc(), type, value));
    return success();
  }
};

/// Concatenation ignores empty pieces.
struct DropEmptyConcatOperands : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (isEmptyTensor(op.getType()) || !hasEmptyOperand(op))
      return rewriter.notifyMatchFailure(op, "no empty operand to drop");
    SmallVector<Value> kept;
    for (Value input : op.getInputs())
      if (!isEmptyTensor(input.getType()))
        kept.push_back(input);
    if (kept.size() == 1 && kept.front().getType() == op.getType()) {
      rewriter.replaceOp(op, kept.front());
      return success();
    }
    rewriter.replaceOpWithNewOp<ConcatOp>(op, op.getType(), kept, op.getAxis());
    return success();
  }
};

struct FoldEmptyTensorsPass
    : tfm::impl::FoldEmptyTensorsPassBase<FoldEmptyTensorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    if (func.isExternal())
      return;

    // Graph inputs without elements: their users read an empty constant.
    OpBuilder builder(ctx);
    builder.setInsertionPointToStart(&func.front());
    for (BlockArgument arg : func.getArguments())
      if (isEmptyTensor(arg.getType()) && !arg.use_empty()) {
        auto type = cast<RankedTensorType>(arg.getType());
        Value empty = ConstantOp::create(
            builder, arg.getLoc(),
            DenseElementsAttr::get(type, ArrayRef<Attribute>()));
        arg.replaceAllUsesWith(empty);
      }

    RewritePatternSet patterns(ctx);
    patterns.add<EmptyResultsToConstants, EmptyContraction<MatmulOp>,
                 EmptyContraction<LinearOp>, EmptyContraction<ConvOp>,
                 EmptyContraction<AttentionOp>, EmptyReduction<ReduceSumOp>,
                 EmptyReduction<ReduceMeanOp>, EmptyReduction<ReduceMaxOp>,
                 EmptyReduction<ReduceMinOp>, DropEmptyConcatOperands>(ctx);
    GreedyRewriteConfig config;
    // Folding would compute constants here; that is other passes' job.
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(func, std::move(patterns), config)))
      return signalPassFailure();

    // What is left reads an empty tensor to produce elements, which has no
    // value (a gather of rows from an empty table).
    WalkResult result = func.walk([&](Operation *op) {
      if (!isa_and_nonnull<TfmDialect>(op->getDialect()) || op->use_empty() ||
          !hasEmptyOperand(op) ||
          llvm::all_of(op->getResultTypes(), isEmptyTensor))
        return WalkResult::advance();
      op->emitOpError() << "reads a tensor without elements to produce "
                           "elements; there is nothing to read (an index into "
                           "an empty axis is always out of range)";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
