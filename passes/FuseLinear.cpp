//===- FuseLinear.cpp - MatMul by a weight, with its epilogue -> linear --===//
//
//   matmul(x, W)                  -> linear(x, transpose(W))  (W constant, 2-D)
//   linear(..) + b                -> linear(.., b)             (b is [N])
//   act(linear(..))               -> linear(..) activation = act
//   linear(..) + r                -> linear(..) residual(r)    (r of its shape)
//   linear(..) · c, linear(..) / c -> linear with W·c, b·c     (c a scalar;
//                                     a quantized W's scales times c)
//
// Each step applies to a linear whose result has no other use and whose
// epilogue does not yet contain what would follow the new part, so the
// epilogue always keeps the order bias, activation, residual.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSELINEARPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::fusion;

namespace {

/// A linear whose epilogue is still empty from `stage` on.
enum class Stage { bias, activation, residual };
LinearOp getOpenLinear(Value value, Operation *user, Stage stage) {
  auto linear = value.getDefiningOp<LinearOp>();
  if (!linear || !isOnlyUsedBy(value, user) || linear.getResidual())
    return nullptr;
  if (stage <= Stage::activation && linear.getActivation())
    return nullptr;
  if (stage == Stage::bias && linear.getBias())
    return nullptr;
  return linear;
}

/// matmul(x, W) by a constant 2-D W -> linear(x, transpose(W)).
struct MatmulToLinear : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
    if (rhsType.getRank() != 2 || lhsType.getRank() < 2 ||
        !isa<FloatType>(lhsType.getElementType()) ||
        !matchPattern(op.getRhs(), m_Constant()))
      return failure();
    Value weight =
        TransposeOp::create(rewriter, op.getLoc(), op.getRhs(), {1, 0});
    rewriter.replaceOpWithNewOp<LinearOp>(op, op.getLhs(), weight,
                                          /*bias=*/Value(),
                                          /*residual=*/Value(),
                                          /*activation=*/ActivationAttr());
    return success();
  }
};

/// The [N] bias `value` broadcasts from, if any.
Value asBias(PatternRewriter &rewriter, Location loc, Value value, int64_t n,
             Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> shape = dropLeadingOnes(type.getShape());
  if (type.getElementType() != elementType || shape.size() != 1 ||
      shape[0] != n)
    return Value();
  if (type.getRank() == 1)
    return value;
  return ReshapeOp::create(rewriter, loc, type.clone({n}), value);
}

/// linear(..) + b -> linear(.., b), and linear(..) + r -> residual(r).
struct AbsorbAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0; i < 2; ++i) {
      Value value = op->getOperand(i), other = op->getOperand(1 - i);
      if (value.getType() != op.getType())
        continue;
      auto resultType = cast<RankedTensorType>(op.getType());
      int64_t n = resultType.getShape().back();
      // The linear takes a new operand, defined before the add but maybe
      // after the linear: the linear moves down to the add (its only user,
      // so its own operands are still defined before it).
      // A bias goes in before the activation.
      if (LinearOp linear = getOpenLinear(value, op, Stage::bias)) {
        if (Value bias = asBias(rewriter, op.getLoc(), other, n,
                                resultType.getElementType())) {
          rewriter.moveOpBefore(linear, op);
          rewriter.modifyOpInPlace(
              linear, [&] { linear.getBiasMutable().assign(bias); });
          rewriter.replaceOp(op, value);
          return success();
        }
      }
      // A residual of the result's own shape goes in last.
      if (LinearOp linear = getOpenLinear(value, op, Stage::residual)) {
        if (other.getType() == op.getType() &&
            !getSplatFloat(other).has_value()) {
          rewriter.moveOpBefore(linear, op);
          rewriter.modifyOpInPlace(
              linear, [&] { linear.getResidualMutable().assign(other); });
          rewriter.replaceOp(op, value);
          return success();
        }
      }
    }
    return failure();
  }
};

/// gelu / silu / relu of a linear -> its activation.
struct AbsorbActivation : RewritePattern {
  AbsorbActivation(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    std::optional<Activation> activation;
    if (auto gelu = dyn_cast<GeluOp>(op))
      activation = gelu.getApproximate() == GeluApproximation::tanh
                       ? Activation::gelu_tanh
                       : Activation::gelu;
    else if (isa<SiluOp>(op))
      activation = Activation::silu;
    else if (isa<ReluOp>(op))
      activation = Activation::relu;
    if (!activation)
      return failure();
    Value value = op->getOperand(0);
    LinearOp linear = getOpenLinear(value, op, Stage::activation);
    if (!linear || value.getType() != op->getResult(0).getType())
      return failure();
    rewriter.modifyOpInPlace(linear, [&] {
      linear.setActivationAttr(
          ActivationAttr::get(rewriter.getContext(), *activation));
    });
    rewriter.replaceOp(op, value);
    return success();
  }
};

/// linear(..) · c or / c for a scalar constant c -> the weight and bias
/// scaled by c (folded at compile time for constant weights).
struct AbsorbScale : RewritePattern {
  AbsorbScale(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MulOp, DivOp>(op))
      return failure();
    Value value, c;
    if (isa<MulOp>(op)) {
      value = matchEither(
          op,
          [](Value v) {
            return static_cast<bool>(v.getDefiningOp<LinearOp>());
          },
          c);
    } else {
      value = op->getOperand(0);
      c = op->getOperand(1);
    }
    std::optional<double> factor = getSplatFloat(c);
    if (!value || !factor || value.getType() != op->getResult(0).getType())
      return failure();
    LinearOp linear = getOpenLinear(value, op, Stage::activation);
    if (!linear)
      return failure();
    if (isa<DivOp>(op)) {
      if (*factor == 0)
        return failure();
      *factor = 1.0 / *factor;
    }
    Location loc = op->getLoc();
    auto scaleOf = [&](Value v) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      Value scale = createSplat(
          rewriter, loc, RankedTensorType::get({}, type.getElementType()),
          *factor);
      return MulOp::create(rewriter, loc, v, scale);
    };
    // Scale inside a transpose so that the weight keeps its layout.
    Value weight = linear.getWeight();
    if (auto transpose = weight.getDefiningOp<TransposeOp>())
      weight = TransposeOp::create(rewriter, loc, scaleOf(transpose.getInput()),
                                   transpose.getPerm());
    else if (auto dequantize = weight.getDefiningOp<DequantizeOp>())
      // A quantized weight stays quantized: its scales take the factor.
      weight = DequantizeOp::create(
          rewriter, loc, dequantize.getType(), dequantize.getInput(),
          scaleOf(dequantize.getScale()), dequantize.getZeroPoint(),
          dequantize.getAxisAttr(), dequantize.getBlockSizeAttr());
    else
      weight = scaleOf(weight);
    Value bias = linear.getBias() ? scaleOf(linear.getBias()) : Value();
    // The scaled operands are created at `op`, after the linear: the linear
    // moves down to its only user.
    rewriter.moveOpBefore(linear, op);
    rewriter.modifyOpInPlace(linear, [&] {
      linear.getWeightMutable().assign(weight);
      if (bias)
        linear.getBiasMutable().assign(bias);
    });
    rewriter.replaceOp(op, value);
    return success();
  }
};

struct FuseLinearPass : tfm::impl::FuseLinearPassBase<FuseLinearPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseLinearPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseLinearPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulToLinear, AbsorbAdd, AbsorbActivation, AbsorbScale>(
      patterns.getContext());
}
