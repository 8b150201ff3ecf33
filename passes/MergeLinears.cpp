//===- MergeLinears.cpp - linears sharing an input -> one wide linear ----===//
//
//   q = linear(x, Wq, bq); k = linear(x, Wk, bk); v = linear(x, Wv, bv)
//     -> qkv = linear(x, concat(Wq, Wk, Wv), concat(bq, bk, bv))
//        q, k, v = split(qkv)
//
//   silu(linear(x, Wg)) * linear(x, Wu) -> swiglu(linear(x, concat(Wg, Wu)))
//
// Quantized weights, dequantize(Q, S[, Z]), merge as dequantize(concat(Q),
// concat(S)[, concat(Z)]): they stay quantized.
//
// One product over the concatenated weights reads `x` once and gives the
// backend a wider N. Only linears whose results feed data movement,
// attention or rope merge: a result that still feeds an op an epilogue
// could absorb (a bias, an activation, a residual) waits for that fusion,
// which keeps the outcome independent of the order the fusions run in.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_MERGELINEARSPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::fusion;

namespace {

/// True when every user of the linear's result is one the fusions leave
/// alone: data movement, attention, rope, the graph outputs.
bool feedsOnlyDataMovement(LinearOp linear) {
  return llvm::all_of(linear->getUsers(), [](Operation *user) {
    return isa<ReshapeOp, TransposeOp, SplitOp, SliceOp, AttentionOp, RopeOp,
               func::ReturnOp>(user);
  });
}

/// True when the weight is built as transpose(W) of a [K, N] matrix W.
bool isTransposedWeight(LinearOp linear) {
  auto transpose = linear.getWeight().getDefiningOp<TransposeOp>();
  return transpose && transpose.getPerm() == ArrayRef<int64_t>{1, 0};
}

/// True when `value` is a constant, or data movement or a concatenation of
/// constants: merged weights then concatenate at compile time rather than on
/// every run. A concatenation counts before it is folded (canonicalization
/// folds only small ones; tfm-fold-constants the rest), so that a linear
/// merges with an already merged group whichever order they meet in.
bool isConstantDerived(Value value) {
  Operation *def = value.getDefiningOp();
  if (isa_and_nonnull<ConstantOp>(def))
    return true;
  if (isa_and_nonnull<TransposeOp, ReshapeOp, ConcatOp, ExpandOp, DequantizeOp>(
          def))
    return llvm::all_of(def->getOperands(), isConstantDerived);
  return false;
}

/// The quantized [N, K] weight of a linear, `dequantize(Q, S[, Z])` with one
/// scale per tensor or per feature, or blocks along K: merged weights
/// concatenate their codes and scales and stay quantized.
DequantizeOp getQuantizedWeight(LinearOp linear) {
  auto dequantize = linear.getWeight().getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getType().getRank() != 2)
    return nullptr;
  bool perFeature = !dequantize.getBlockSize() &&
                    (dequantize.isPerTensor() || *dequantize.getAxis() == 0);
  bool blockedAlongK = dequantize.getBlockSize() && *dequantize.getAxis() == 1;
  return perFeature || blockedAlongK ? dequantize : nullptr;
}

/// True when the quantized weights `a` and `b` concatenate into one.
bool areMergeableQuantized(DequantizeOp a, DequantizeOp b) {
  return a.getInput().getType().getElementType() ==
             b.getInput().getType().getElementType() &&
         static_cast<bool>(a.getZeroPoint()) ==
             static_cast<bool>(b.getZeroPoint()) &&
         a.getBlockSizeAttr() == b.getBlockSizeAttr();
}

/// True when the weights and biases of `a` and `b` (constant, alike in
/// type, presence and layout) can be concatenated at compile time.
bool haveMergeableParameters(LinearOp a, LinearOp b) {
  auto hasConstantParameters = [](LinearOp linear) {
    return !linear.hasPackedWeight() && isConstantDerived(linear.getWeight()) &&
           (!linear.getBias() || isConstantDerived(linear.getBias()));
  };
  if (!hasConstantParameters(a) || !hasConstantParameters(b) ||
      a.getWeight().getType().getElementType() !=
          b.getWeight().getType().getElementType() ||
      static_cast<bool>(a.getBias()) != static_cast<bool>(b.getBias()) ||
      isTransposedWeight(a) != isTransposedWeight(b))
    return false;
  // Quantized weights merge with quantized weights of the same scheme.
  auto quantizedA = a.getWeight().getDefiningOp<DequantizeOp>();
  auto quantizedB = b.getWeight().getDefiningOp<DequantizeOp>();
  if (!quantizedA && !quantizedB)
    return true;
  quantizedA = getQuantizedWeight(a);
  quantizedB = getQuantizedWeight(b);
  return quantizedA && quantizedB &&
         areMergeableQuantized(quantizedA, quantizedB);
}

/// `value`, the scale or zero point of a quantized [N, K] weight, as one
/// per feature ([N]) or per block ([N, K / b]): a per-tensor one broadcast.
Value toPerFeature(PatternRewriter &rewriter, Location loc, Value value,
                   int64_t n) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() != 0)
    return value;
  return ExpandOp::create(rewriter, loc, type.clone({n}), value);
}

/// The weights of `group` (quantized, getQuantizedWeight) as one:
/// dequantize(concat(Q), concat(S)[, concat(Z)]) along the features.
Value createMergedQuantizedWeight(PatternRewriter &rewriter, Location loc,
                                  ArrayRef<LinearOp> group) {
  SmallVector<Value> codes, scales, zeroPoints;
  int64_t n = 0;
  for (LinearOp linear : group) {
    DequantizeOp weight = getQuantizedWeight(linear);
    int64_t rows = weight.getType().getDimSize(0);
    n += rows;
    codes.push_back(weight.getInput());
    scales.push_back(toPerFeature(rewriter, loc, weight.getScale(), rows));
    if (weight.getZeroPoint())
      zeroPoints.push_back(
          toPerFeature(rewriter, loc, weight.getZeroPoint(), rows));
  }
  DequantizeOp first = getQuantizedWeight(group.front());
  Value code = ConcatOp::create(rewriter, loc, codes, 0);
  Value scale = ConcatOp::create(rewriter, loc, scales, 0);
  Value zeroPoint =
      zeroPoints.empty()
          ? Value()
          : ConcatOp::create(rewriter, loc, zeroPoints, 0).getResult();
  RankedTensorType type = first.getType();
  return DequantizeOp::create(
      rewriter, loc, type.clone({n, type.getDimSize(1)}), code, scale,
      zeroPoint, rewriter.getI64IntegerAttr(first.getBlockSize() ? 1 : 0),
      first.getBlockSizeAttr());
}

/// True when `a` and `b` can share one product.
bool areMergeable(LinearOp a, LinearOp b) {
  return a.getInput() == b.getInput() && haveMergeableParameters(a, b) &&
         a.getActivation() == b.getActivation() && !a.getResidual() &&
         !b.getResidual();
}

/// One linear over the concatenated weights and biases of `group` (same
/// input, areMergeable), with `activation`, at the insertion point.
LinearOp createMergedLinear(PatternRewriter &rewriter, Location loc,
                            ArrayRef<LinearOp> group,
                            ActivationAttr activation) {
  bool transposed = isTransposedWeight(LinearOp(group.front()));
  SmallVector<Value> weights, biases;
  for (LinearOp linear : group) {
    Value weight = linear.getWeight();
    // Concatenate [K, N] weights along N under one transpose.
    if (transposed)
      weight = weight.getDefiningOp<TransposeOp>().getInput();
    weights.push_back(weight);
    if (linear.getBias())
      biases.push_back(linear.getBias());
  }
  Value weight;
  if (getQuantizedWeight(group.front())) {
    weight = createMergedQuantizedWeight(rewriter, loc, group);
  } else {
    weight = ConcatOp::create(rewriter, loc, weights, transposed ? 1 : 0);
    if (transposed)
      weight = TransposeOp::create(rewriter, loc, weight, {1, 0});
  }
  Value bias = biases.empty()
                   ? Value()
                   : ConcatOp::create(rewriter, loc, biases, 0).getResult();
  LinearOp first = group.front();
  return LinearOp::create(rewriter, loc, first.getInput(), weight, bias,
                          /*residual=*/Value(), activation);
}

/// The linear of a SiLU gate: `linear(x) activation = silu`, or
/// `silu(linear(x))`, each intermediate used only by `user`.
LinearOp getSiluGatedLinear(Value gate, Operation *user) {
  if (!isOnlyUsedBy(gate, user))
    return nullptr;
  if (auto linear = gate.getDefiningOp<LinearOp>())
    return linear.getActivation() == Activation::silu && !linear.getResidual()
               ? linear
               : nullptr;
  auto silu = gate.getDefiningOp<SiluOp>();
  if (!silu)
    return nullptr;
  auto linear = silu.getInput().getDefiningOp<LinearOp>();
  if (!linear || linear.getActivation() || linear.getResidual() ||
      !isOnlyUsedBy(linear.getResult(), silu) ||
      linear.getType() != silu.getType())
    return nullptr;
  return linear;
}

/// silu(x Wg) * (x Wu) -> swiglu(x [Wg | Wu]): the gate and up projections
/// of a LLaMA-style feed-forward layer as one product, gated on the way
/// out. The silu may already be the gate linear's activation.
struct MergeSwiGlu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0; i < 2; ++i) {
      Value gateValue = op->getOperand(i), upValue = op->getOperand(1 - i);
      LinearOp gate = getSiluGatedLinear(gateValue, op);
      auto up = upValue.getDefiningOp<LinearOp>();
      if (!gate || !up || up.getActivation() || up.getResidual() ||
          !isOnlyUsedBy(upValue, op) || gate.getInput() != up.getInput() ||
          gateValue.getType() != op.getType() ||
          upValue.getType() != op.getType() ||
          !haveMergeableParameters(gate, up))
        continue;
      rewriter.setInsertionPoint(op);
      LinearOp merged = createMergedLinear(rewriter, op.getLoc(), {gate, up},
                                           /*activation=*/nullptr);
      rewriter.replaceOpWithNewOp<SwigluOp>(op, merged);
      return success();
    }
    return failure();
  }
};

/// split(split(x)#i) along one axis -> one split of x.
struct FlattenNestedSplits : OpRewritePattern<SplitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SplitOp op,
                                PatternRewriter &rewriter) const override {
    auto outer = op.getInput().getDefiningOp<SplitOp>();
    if (!outer || outer.getAxis() != op.getAxis() ||
        !isOnlyUsedBy(op.getInput(), op))
      return failure();
    unsigned index = cast<OpResult>(op.getInput()).getResultNumber();
    SmallVector<Type> types;
    for (auto [i, type] : llvm::enumerate(outer.getResultTypes())) {
      if (i == index)
        llvm::append_range(types, op.getResultTypes());
      else
        types.push_back(type);
    }
    rewriter.setInsertionPoint(outer);
    auto flat = SplitOp::create(rewriter, op.getLoc(), types, outer.getInput(),
                                outer.getAxis());
    // The flat split's results: outer's before `index`, op's, then outer's
    // after it.
    unsigned inner = op.getNumResults();
    rewriter.replaceOp(op, flat.getResults().slice(index, inner));
    for (unsigned i = 0, e = outer.getNumResults(); i < e; ++i)
      if (i != index)
        rewriter.replaceAllUsesWith(
            outer.getResult(i), flat.getResult(i < index ? i : i + inner - 1));
    rewriter.eraseOp(outer);
    return success();
  }
};

/// True when `value` is available before `point`, or is computed from
/// constants by ops that can move there.
bool canHoistBefore(Value value, Operation *point) {
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != point->getBlock() ||
      def->isBeforeInBlock(point))
    return true;
  return isa<ConstantOp, TransposeOp, ReshapeOp, ConcatOp, ExpandOp,
             DequantizeOp>(def) &&
         llvm::all_of(def->getOperands(), [&](Value operand) {
           return canHoistBefore(operand, point);
         });
}

/// Moves what computes `value` before `point`; canHoistBefore holds.
void hoistBefore(PatternRewriter &rewriter, Value value, Operation *point) {
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != point->getBlock() ||
      def->isBeforeInBlock(point))
    return;
  for (Value operand : def->getOperands())
    hoistBefore(rewriter, operand, point);
  rewriter.moveOpBefore(def, point);
}

struct MergeSiblingLinears : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    if (!feedsOnlyDataMovement(op))
      return failure();
    // The siblings, `op` among them.
    SmallVector<LinearOp> group;
    for (Operation *user : op.getInput().getUsers()) {
      auto sibling = dyn_cast<LinearOp>(user);
      if (sibling && sibling.getInput() == op.getInput() &&
          areMergeable(op, sibling) && feedsOnlyDataMovement(sibling) &&
          !llvm::is_contained(group, sibling))
        group.push_back(sibling);
    }
    if (group.size() < 2)
      return failure();
    llvm::sort(group,
               [](LinearOp a, LinearOp b) { return a->isBeforeInBlock(b); });
    // The merged linear goes where the first one is (any member may find
    // the group: the last to change may not be the first).
    LinearOp first = group.front();
    for (LinearOp linear : group) {
      if (linear->getBlock() != first->getBlock())
        return failure();
    }
    SmallVector<Value> parameters;
    for (LinearOp linear : llvm::drop_begin(group))
      for (Value operand : {linear.getWeight(), linear.getBias()})
        if (operand)
          parameters.push_back(operand);
    if (!llvm::all_of(parameters,
                      [&](Value v) { return canHoistBefore(v, first); }))
      return failure();
    for (Value parameter : parameters)
      hoistBefore(rewriter, parameter, first);

    rewriter.setInsertionPoint(first);
    LinearOp merged = createMergedLinear(rewriter, first.getLoc(), group,
                                         first.getActivationAttr());
    SmallVector<Type> pieceTypes = llvm::map_to_vector(
        group, [](LinearOp linear) -> Type { return linear.getType(); });
    int64_t axis = merged.getType().getRank() - 1;
    auto split =
        SplitOp::create(rewriter, first.getLoc(), pieceTypes, merged, axis);
    for (auto [linear, piece] : llvm::zip(group, split.getResults()))
      rewriter.replaceOp(linear, piece);
    return success();
  }
};

struct MergeLinearsPass : tfm::impl::MergeLinearsPassBase<MergeLinearsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMergeLinearsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateMergeLinearsPatterns(RewritePatternSet &patterns) {
  patterns.add<MergeSiblingLinears, MergeSwiGlu, FlattenNestedSplits>(
      patterns.getContext());
}
