//===- ApproximateMath.cpp - polynomial approximations of math ops --------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_APPROXIMATEMATHPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;

namespace {

/// The functions transformer graphs spend time in and whose f32
/// approximations are accurate to a few ulp over the whole range.
bool isApproximated(StringRef name) {
  static constexpr llvm::StringLiteral kNames[] = {
      "exp", "expm1", "log", "log1p", "log2", "tanh", "erf", "sin", "cos"};
  name.consume_front("math.");
  return llvm::is_contained(kNames, name);
}

/// f32 `erf` as one rational function, `erf(x) = x·P(x²) / Q(x²)` on x
/// clamped to [-c, c], where erf(c) rounds to 1: ten FMAs, a division and no
/// interval selection. Upstream's approximation evaluates three intervals'
/// rational functions and selects each coefficient per element (72 blends
/// and 98 constant loads in MiniLM's GELU loop of 4 vectors); GELU, which
/// BERT-style models apply to every FFN activation, took twice the time with
/// it (MiniLM: 3.1 % of an inference, 1.5 % with this one).
///
/// The coefficients are a minimax fit of erf(x)/x in x² for relative error
/// on [0, c], then tuned by single f32 ulps under FMA evaluation with
/// R(c) == 1 exactly, so that ±inf and large inputs give ±1
/// (`scripts/fit_erf.py`). Measured over [-6, 6]: at most 5.5 ulp (3.3e-7)
/// from the correctly rounded erf, 0.6 ulp on average; upstream's is at
/// most 4.1 ulp (2.4e-7). NaN propagates through the clamp.
struct ErfRationalApproximation : public OpRewritePattern<math::ErfOp> {
  // Above upstream's patterns, which stay for the f16/bf16 extension.
  ErfRationalApproximation(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/2) {}

  static constexpr float kClamp = 3.925f;
  static constexpr float kNumerator[] = {1.128379107e+00f, 1.905944496e-01f,
                                         5.276939273e-02f, 3.772580530e-03f,
                                         2.848443692e-04f, 2.046023610e-06f};
  static constexpr float kDenominator[] = {1.000000000e+00f, 5.022426844e-01f,
                                           1.141830161e-01f, 1.498325914e-02f,
                                           1.163865440e-03f, 3.804777953e-05f};

  LogicalResult matchAndRewrite(math::ErfOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    Location loc = op.getLoc();
    auto constant = [&](float value) -> Value {
      TypedAttr attr = rewriter.getF32FloatAttr(value);
      if (auto vector = dyn_cast<VectorType>(type))
        attr = SplatElementsAttr::get(vector, attr);
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    // Clamped as `c < x ? c : x`, so that a NaN x falls through unchanged
    // (one vminps/vmaxps each on x86).
    Value x = op.getOperand();
    Value high = constant(kClamp), low = constant(-kClamp);
    Value above = arith::CmpFOp::create(rewriter, loc,
                                        arith::CmpFPredicate::OLT, high, x);
    x = arith::SelectOp::create(rewriter, loc, above, high, x);
    Value below =
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OGT, low, x);
    x = arith::SelectOp::create(rewriter, loc, below, low, x);

    Value square = arith::MulFOp::create(rewriter, loc, x, x);
    auto horner = [&](ArrayRef<float> coefficients) {
      Value result = constant(coefficients.back());
      for (float c : llvm::reverse(coefficients.drop_back()))
        result =
            math::FmaOp::create(rewriter, loc, result, square, constant(c));
      return result;
    };
    Value numerator =
        arith::MulFOp::create(rewriter, loc, x, horner(kNumerator));
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, numerator,
                                               horner(kDenominator));
    return success();
  }
};

/// A math op on vectors that neither an approximation nor an LLVM
/// intrinsic covers (acosh, asinh, atanh) as one scalar op per element:
/// MathToLibm then calls libm for each. (MathToLibm scalarizes vectors
/// itself, but after vector-to-LLVM has run, so its vector.extracts would
/// be left unlowered.)
template <typename OpTy>
struct ScalarizeLibmOnlyOp : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getType());
    if (!type || type.isScalable())
      return failure();
    Location loc = op.getLoc();
    Value result = arith::ConstantOp::create(rewriter, loc, type,
                                             rewriter.getZeroAttr(type));
    SmallVector<int64_t> strides = computeStrides(type.getShape());
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
      SmallVector<int64_t> position = delinearize(i, strides);
      Value element =
          vector::ExtractOp::create(rewriter, loc, op.getOperand(), position);
      Value scalar = OpTy::create(rewriter, loc, element);
      result =
          vector::InsertOp::create(rewriter, loc, scalar, result, position);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ApproximateMathPass
    : public tfm::impl::ApproximateMathPassBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ErfRationalApproximation, ScalarizeLibmOnlyOp<math::AcoshOp>,
                 ScalarizeLibmOnlyOp<math::AsinhOp>,
                 ScalarizeLibmOnlyOp<math::AtanhOp>>(&getContext());
    populateMathF32ExpansionPatterns(patterns, isApproximated);
    populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
