//===- TfmToLinalg.cpp - the convert-tfm-to-linalg pass -------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Conversion/Passes.h"
#include "tfm/Dialect/Tfm/TfmDialect.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_CONVERTTFMTOLINALGPASS
#include "tfm/Conversion/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

TfmToLinalgTypeConverter::TfmToLinalgTypeConverter() {
  addConversion([](Type type) { return lowering::toSignless(type); });
}

/// True for a shaped type with a dynamic dimension.
static bool hasDynamicShape(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped && !shaped.hasStaticShape();
}

/// True when a result of `op` has a dynamic dimension that its operands
/// determine: a declared result type less static than the inferred one,
/// or a dynamic result of static operands.
static bool hasLooseResultType(Operation *op) {
  if (!llvm::any_of(op->getResultTypes(), hasDynamicShape))
    return false;
  // (Run-time sizes, as a slice's limits, are index operands.)
  if (llvm::none_of(op->getOperandTypes(), hasDynamicShape) &&
      llvm::none_of(op->getOperandTypes(),
                    [](Type type) { return type.isIndex(); }))
    return true;
  auto infer = dyn_cast<InferTypeOpInterface>(op);
  if (!infer)
    return false;
  SmallVector<Type> inferred;
  if (failed(infer.inferReturnTypes(
          op->getContext(), op->getLoc(), op->getOperands(),
          op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
          op->getRegions(), inferred)))
    return false;
  return TypeRange(inferred) != op->getResultTypes();
}

/// True when none of `type`'s dimensions at `axes` is dynamic.
static bool hasStaticAxes(Type type, ArrayRef<int64_t> axes) {
  auto shaped = cast<ShapedType>(type);
  return llvm::none_of(axes,
                       [&](int64_t axis) { return shaped.isDynamicDim(axis); });
}

/// True when the dimensions before the last two are static.
static bool hasStaticBatch(Type type) {
  auto shaped = cast<ShapedType>(type);
  return !ShapedType::isDynamicShape(shaped.getShape().drop_back(2));
}

bool mlir::tfm::supportsDynamicShapes(Operation *op, bool batchedAttention) {
  if (isa<AddOp, SubOp, MulOp, DivOp, RemOp, ModOp, PowOp, MaxOp, MinOp, AndOp,
          OrOp, XorOp, ShlOp, ShrOp, CompareOp, NegOp, ReluOp, AbsOp, NotOp,
          FloorOp, CeilOp, RoundOp, SinOp, CosOp, TanOp, AsinOp, AcosOp, AtanOp,
          SinhOp, CoshOp, AsinhOp, AcoshOp, AtanhOp, ExpOp, LogOp, SqrtOp,
          RsqrtOp, TanhOp, ErfOp, SigmoidOp, SiluOp, SwigluOp, GeluOp, CastOp,
          WhereOp, SoftmaxOp, LogSoftmaxOp, ReduceSumOp, ReduceMaxOp,
          ReduceMinOp, CumsumOp>(op))
    return true;
  // The mean divides by a count, and the norms by theirs, known statically.
  if (auto mean = dyn_cast<ReduceMeanOp>(op))
    return hasStaticAxes(mean.getInput().getType(), mean.getAxes());
  if (auto norm = dyn_cast<LayerNormOp>(op))
    return hasStaticAxes(norm.getInput().getType(), norm.getAxes());
  if (auto norm = dyn_cast<RmsNormOp>(op))
    return hasStaticAxes(norm.getInput().getType(), norm.getAxes());
  // Data movement: views and copies whose sizes follow their operands'.
  if (isa<TransposeOp, ConcatOp, SelectOp>(op))
    return true;
  // A slice's dynamic result dimensions are its run-time limits.
  if (isa<SliceOp>(op))
    return true;
  if (auto reshape = dyn_cast<ReshapeOp>(op))
    return lowering::isViewReshape(reshape.getInput().getType(),
                                   reshape.getType().getShape());
  // A broadcast to a dynamic size nothing gives (a run-time shape operand)
  // is out of reach; a dynamic dimension the input has is kept.
  if (auto expand = dyn_cast<ExpandOp>(op)) {
    RankedTensorType input = expand.getInput().getType();
    RankedTensorType result = expand.getType();
    int64_t offset = result.getRank() - input.getRank();
    for (int64_t i = 0; i < result.getRank(); ++i)
      if (result.isDynamicDim(i) &&
          (i < offset || !input.isDynamicDim(i - offset)))
        return false;
    return true;
  }
  if (auto split = dyn_cast<SplitOp>(op))
    return !split.getInput().getType().isDynamicDim(split.getAxis());
  // Gathered rows (token ids of a run-time count) from a static table.
  if (auto gather = dyn_cast<GatherOp>(op))
    return gather.getInput().getType().hasStaticShape();
  // Products of any M, N and K over a static batch.
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return llvm::all_of(op->getOperandTypes(), hasStaticBatch) &&
           hasStaticBatch(matmul.getType());
  // Attention's tiled form over run-time query and key counts (the batch,
  // heads, head size and cache size static); RoPE over a run-time
  // sequence.
  if (auto attention = dyn_cast<AttentionOp>(op)) {
    auto staticExceptSequence = [](Value value) {
      if (!value)
        return true;
      auto type = cast<RankedTensorType>(value.getType());
      int64_t seqAxis = type.getRank() == 4 ? 2 : 1;
      for (int64_t i = 0; i < type.getRank(); ++i)
        if (i != seqAxis && type.isDynamicDim(i))
          return false;
      return true;
    };
    auto isStatic = [](Value value) {
      return !value || cast<ShapedType>(value.getType()).hasStaticShape();
    };
    return !batchedAttention && staticExceptSequence(attention.getQuery()) &&
           staticExceptSequence(attention.getKey()) &&
           staticExceptSequence(attention.getValue()) &&
           isStatic(attention.getPastKey()) &&
           isStatic(attention.getPastValue());
  }
  if (auto rope = dyn_cast<RopeOp>(op)) {
    RankedTensorType input = rope.getInput().getType();
    auto cos = cast<RankedTensorType>(rope.getCos().getType());
    return !input.isDynamicDim(input.getRank() - 1) &&
           (input.getRank() != 4 || !input.isDynamicDim(1)) &&
           !cos.isDynamicDim(cos.getRank() - 1);
  }
  // A linear's rows may be dynamic, in every weight form (float, narrow,
  // int8 with or without quantized activations, block-quantized), never
  // its features.
  // (The rows fold into one dimension and back: one of them dynamic.)
  if (auto linear = dyn_cast<LinearOp>(op)) {
    RankedTensorType input = linear.getInput().getType();
    return !input.isDynamicDim(input.getRank() - 1) &&
           input.getNumDynamicDims() <= 1 &&
           linear.getWeight().getType().hasStaticShape();
  }
  // (De)quantization along a static axis.
  if (isa<QuantizeOp, DequantizeOp>(op)) {
    std::optional<int64_t> axis = isa<QuantizeOp>(op)
                                      ? cast<QuantizeOp>(op).getAxis()
                                      : cast<DequantizeOp>(op).getAxis();
    return !axis ||
           !cast<ShapedType>(op->getOperand(0).getType()).isDynamicDim(*axis);
  }
  return false;
}

void mlir::tfm::populateTfmToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const ConvertTfmToLinalgPassOptions &options) {
  populateElementwiseToLinalgPatterns(converter, patterns);
  ContractionLoweringOptions contraction;
  contraction.bf16Dot = options.bf16Dot;
  contraction.int8Group = options.int8Group;
  populateContractionToLinalgPatterns(converter, patterns, contraction);
  populateSparseContractionToLinalgPatterns(converter, patterns);
  populateReductionToLinalgPatterns(converter, patterns);
  populateNormalizationToLinalgPatterns(converter, patterns);
  AttentionLoweringOptions attention;
  attention.queryBlock = options.attentionQueryBlock;
  attention.keyTile = options.attentionKeyTile;
  attention.batched = options.attentionBatched;
  populateAttentionToLinalgPatterns(converter, patterns, attention);
  populateDataMovementToLinalgPatterns(converter, patterns);
  populateQuantizationToLinalgPatterns(converter, patterns);
}

namespace {
struct ConvertTfmToLinalgPass
    : public tfm::impl::ConvertTfmToLinalgPassBase<ConvertTfmToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Say at the op that its lowering needs static shapes, rather than
    // failing to legalize it.
    WalkResult dynamic = getOperation().walk([&](Operation *op) {
      if (!isa<TfmDialect>(op->getDialect()))
        return WalkResult::advance();
      if ((llvm::any_of(op->getOperandTypes(), hasDynamicShape) ||
           llvm::any_of(op->getResultTypes(), hasDynamicShape)) &&
          !supportsDynamicShapes(op, attentionBatched)) {
        op->emitOpError("has a dynamic shape that its lowering does not "
                        "handle yet (fix the model's inputs with "
                        "--input-shape)");
        return WalkResult::interrupt();
      }
      // Lowerings read a dynamic result size from an operand: a result
      // declared less static than its operands make it has none to read.
      if (hasLooseResultType(op)) {
        op->emitOpError("declares a dynamic result dimension that its "
                        "operands fix (run tfm-refine-shapes first)");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (dynamic.wasInterrupted())
      return signalPassFailure();
    TfmToLinalgTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addIllegalDialect<TfmDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect, vector::VectorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    ConvertTfmToLinalgPassOptions options;
    options.bf16Dot = bf16Dot;
    if (int8Group != 2 && int8Group != 4) {
      getOperation().emitError("convert-tfm-to-linalg: int8-group must be 2 "
                               "or 4, got ")
          << static_cast<int64_t>(int8Group);
      return signalPassFailure();
    }
    options.int8Group = int8Group;
    if (attentionQueryBlock < 1 || attentionKeyTile < 1) {
      getOperation().emitError("convert-tfm-to-linalg: attention-query-block "
                               "and attention-key-tile must be positive, got ")
          << static_cast<int64_t>(attentionQueryBlock) << " and "
          << static_cast<int64_t>(attentionKeyTile);
      return signalPassFailure();
    }
    options.attentionQueryBlock = attentionQueryBlock;
    options.attentionKeyTile = attentionKeyTile;
    options.attentionBatched = attentionBatched;
    populateTfmToLinalgConversionPatterns(converter, patterns, options);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
