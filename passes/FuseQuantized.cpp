//===- FuseQuantized.cpp - imported quantized products -> quantized linear ===//
//
// Quantized ONNX graphs spell an integer product in several ways; these
// patterns bring them to the form tfm-quantize makes and the backend
// contracts in integers, linear(dequantize(Qa, Sa, Za), dequantize(Q, S)):
//
//   cast<f32>(matmul<i32>(Qa - Za, Q - Z))   (MatMulInteger + Cast)
//     -> matmul(dequantize(Qa, 1, Za), dequantize(Q, 1, Z))
//   matmul(x, dequantize(Q [K, N] constant, ..))
//     -> linear(x, dequantize(Qᵀ [N, K], ..))      (transposed at compile time)
//   dequantize(Q, S, Z) of constants, Q - Z within int8
//     -> dequantize(Q - Z as i8, S)              (a symmetric int8 weight)
//   linear(x, dequantize(Q, S)) · c     (c constant: one value or one per
//     -> linear(x, dequantize(Q, S · c))  feature)
//   linear(dequantize(Qa, Sa, Za), W) · s        (s one value, at run time)
//     -> linear(dequantize(Qa, Sa · s, Za), W)
//   linear(..) · (s · c)                         (as above)
//     -> (linear(..) · s) · c
//
// Each rewrite keeps the value: the scales move between the product's two
// sides and its result, the codes stay the codes.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>
#include <limits>

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSEQUANTIZEDPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::fusion;

namespace {

/// True when `value` holds a single element (rank 0, or sizes of 1).
bool isSingleValue(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.hasStaticShape() && type.getNumElements() == 1;
}

/// `value` (a single element) as a rank-0 tensor.
Value toScalar(PatternRewriter &rewriter, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 0)
    return value;
  return ReshapeOp::create(rewriter, loc, type.clone(ArrayRef<int64_t>{}),
                           value);
}

/// An 8-bit integer tensor.
bool isEightBit(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType().isInteger(8);
}

/// The 8-bit codes and zero point behind an i32 operand of an integer
/// product: cast(Q), cast(Q) - cast(Z), or a constant (the importer folds
/// those of constants) whose values fit 8 bits.
/// A constant's codes stay an attribute until the rewrite is certain:
/// a pattern that fails must leave the IR as it found it.
struct IntegerOperand {
  Value codes;
  Value zeroPoint;
  ElementsAttr constantCodes;
  /// A constant's uint8 zero points, one per column, when its values only
  /// fit 8 bits column by column.
  ElementsAttr constantZeroPoints;

  RankedTensorType getType() const {
    return codes ? cast<RankedTensorType>(codes.getType())
                 : cast<RankedTensorType>(constantCodes.getType());
  }
};

/// The values `ints` of a [..., K, N] constant as uint8 codes with one
/// zero point per column (Q = v + Z[n], Z in [0, 255]): what an asymmetric
/// per-column uint8 weight becomes once the importer folds Q - Z. Fails
/// when a column spans more than 255.
std::optional<std::pair<SmallVector<char>, SmallVector<char>>>
splitPerColumn(ArrayRef<int64_t> ints, int64_t n) {
  SmallVector<int64_t> lo(n, std::numeric_limits<int64_t>::max()),
      hi(n, std::numeric_limits<int64_t>::min());
  for (auto [i, v] : llvm::enumerate(ints)) {
    lo[i % n] = std::min(lo[i % n], v);
    hi[i % n] = std::max(hi[i % n], v);
  }
  SmallVector<char> zeroPoints(n);
  for (int64_t c = 0; c < n; ++c) {
    int64_t z = std::clamp<int64_t>(-lo[c], 0, 255);
    if (lo[c] + z < 0 || hi[c] + z > 255)
      return std::nullopt;
    zeroPoints[c] = static_cast<char>(z);
  }
  SmallVector<char> codes =
      llvm::map_to_vector(llvm::enumerate(ints), [&](auto iv) {
        return static_cast<char>(
            iv.value() + static_cast<uint8_t>(zeroPoints[iv.index() % n]));
      });
  return std::make_pair(std::move(codes), std::move(zeroPoints));
}

std::optional<IntegerOperand> matchIntegerOperand(PatternRewriter &rewriter,
                                                  Value value,
                                                  bool allowPerColumn = false) {
  auto widened = [](Value v) -> Value {
    auto cast = v.getDefiningOp<CastOp>();
    if (!cast || !isEightBit(cast.getInput()))
      return Value();
    return cast.getInput();
  };
  if (Value codes = widened(value))
    return IntegerOperand{codes, Value(), ElementsAttr(), ElementsAttr()};
  if (auto sub = value.getDefiningOp<SubOp>()) {
    Value codes = widened(sub.getLhs()), zeroPoint = widened(sub.getRhs());
    if (!codes || !zeroPoint ||
        cast<RankedTensorType>(codes.getType()).getElementType() !=
            cast<RankedTensorType>(zeroPoint.getType()).getElementType())
      return std::nullopt;
    return IntegerOperand{codes, zeroPoint, ElementsAttr(), ElementsAttr()};
  }
  // A constant: 8-bit codes when its values fit int8 (or else uint8).
  Attribute attr;
  auto type = cast<RankedTensorType>(value.getType());
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  FailureOr<SmallVector<int64_t>> ints = getConstantInts(attr);
  if (failed(ints) || ints->empty())
    return std::nullopt;
  auto [lo, hi] = std::minmax_element(ints->begin(), ints->end());
  bool isSigned = *lo >= -128 && *hi <= 127;
  if (!isSigned && (*lo < 0 || *hi > 255)) {
    if (!allowPerColumn || type.getRank() < 1 || !type.hasStaticShape())
      return std::nullopt;
    int64_t n = type.getShape().back();
    auto split = splitPerColumn(*ints, n);
    if (!split)
      return std::nullopt;
    auto u8 = IntegerType::get(rewriter.getContext(), 8, IntegerType::Unsigned);
    return IntegerOperand{
        Value(), Value(),
        createConstantLike(attr, type.clone(u8), ".codes", split->first),
        createConstantLike(attr, RankedTensorType::get({n}, u8), ".zero_points",
                           split->second)};
  }
  auto codeType = IntegerType::get(rewriter.getContext(), 8,
                                   isSigned ? IntegerType::Signless
                                            : IntegerType::Unsigned);
  SmallVector<char> bytes = llvm::map_to_vector(
      *ints, [](int64_t v) { return static_cast<char>(v); });
  return IntegerOperand{
      Value(), Value(),
      createConstantLike(attr, type.clone(codeType), ".codes", bytes),
      ElementsAttr()};
}

/// dequantize(codes, 1, zero point) in `floatType`: per tensor, or with a
/// zero point per index of the last axis.
Value dequantizeUnscaled(PatternRewriter &rewriter, Location loc,
                         const IntegerOperand &operand, Type floatType) {
  RankedTensorType type = operand.getType();
  Value codes = operand.codes
                    ? operand.codes
                    : ConstantOp::create(rewriter, loc, operand.constantCodes)
                          .getResult();
  Value zeroPoint = operand.zeroPoint;
  if (operand.constantZeroPoints)
    zeroPoint = ConstantOp::create(rewriter, loc, operand.constantZeroPoints);
  IntegerAttr axis;
  SmallVector<int64_t> scaleShape;
  if (zeroPoint && !isSingleValue(zeroPoint)) {
    int64_t n = type.getShape().back();
    scaleShape.push_back(n);
    axis = rewriter.getI64IntegerAttr(type.getRank() - 1);
    auto zType = cast<RankedTensorType>(zeroPoint.getType());
    zeroPoint =
        ReshapeOp::create(rewriter, loc, zType.clone(scaleShape), zeroPoint);
  } else if (zeroPoint) {
    zeroPoint = toScalar(rewriter, loc, zeroPoint);
  }
  Value scale = createSplat(rewriter, loc,
                            RankedTensorType::get(scaleShape, floatType), 1.0);
  return DequantizeOp::create(rewriter, loc, type.clone(floatType), codes,
                              scale, zeroPoint, axis, IntegerAttr());
}

/// True when the zero point `zeroPoint` of a [..., K, N] operand is one
/// value, or one per column: [N] with leading ones.
bool isPerColumn(Value zeroPoint, int64_t n) {
  if (!zeroPoint || isSingleValue(zeroPoint))
    return true;
  ArrayRef<int64_t> shape =
      dropLeadingOnes(cast<RankedTensorType>(zeroPoint.getType()).getShape());
  return shape.size() == 1 && shape[0] == n;
}

/// cast<float>(matmul<i32>(Qa - Za, Q - Z)) -> the product of the
/// dequantized operands (scale 1): the backend computes it in integers.
struct IntegerProductToDequantized : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    auto matmul = op.getInput().getDefiningOp<MatmulOp>();
    Type floatType = op.getType().getElementType();
    if (!matmul || !matmul.getType().getElementType().isSignlessInteger(32) ||
        !floatType.isF32() || !isOnlyUsedBy(matmul, op))
      return failure();
    std::optional<IntegerOperand> lhs =
        matchIntegerOperand(rewriter, matmul.getLhs());
    std::optional<IntegerOperand> rhs =
        matchIntegerOperand(rewriter, matmul.getRhs(), /*allowPerColumn=*/true);
    auto rhsType = cast<RankedTensorType>(matmul.getRhs().getType());
    // The activations take one zero point.
    if (!lhs || !rhs || (lhs->zeroPoint && !isSingleValue(lhs->zeroPoint)) ||
        !isPerColumn(rhs->zeroPoint, rhsType.getShape().back()))
      return failure();
    Location loc = op.getLoc();
    Value a = dequantizeUnscaled(rewriter, loc, *lhs, floatType);
    Value b = dequantizeUnscaled(rewriter, loc, *rhs, floatType);
    rewriter.replaceOpWithNewOp<MatmulOp>(op, op.getType(), a, b);
    return success();
  }
};

/// The bytes of the constant `value` of `type` [R, C] transposed to [C, R],
/// as a constant in its form; null when its bytes are not available.
Value transposeConstant(PatternRewriter &rewriter, Location loc, Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return Value();
  auto type = cast<RankedTensorType>(value.getType());
  int64_t width = getStorageBytes(type.getElementType());
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(attr, storage);
  if (width == 0 || failed(bytes))
    return Value();
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  SmallVector<char> transposed(bytes->size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(&transposed[(c * rows + r) * width],
                  &(*bytes)[(r * cols + c) * width], width);
  return ConstantOp::create(
      rewriter, loc,
      createConstantLike(attr, type.clone({cols, rows}), ".t", transposed));
}

/// matmul(x, dequantize(Q [K, N], S, Z)) of a constant Q -> linear(x,
/// dequantize(Qᵀ, Sᵀ, Zᵀ)): the scheme's axis follows the transpose.
struct DequantizedMatmulToLinear : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto weight = op.getRhs().getDefiningOp<DequantizeOp>();
    auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
    if (!weight || lhsType.getRank() < 2 ||
        !isa<FloatType>(lhsType.getElementType()) ||
        weight.getInput().getType().getRank() != 2)
      return failure();
    Location loc = op.getLoc();
    Value codes = transposeConstant(rewriter, loc, weight.getInput());
    if (!codes)
      return failure();
    Value scale = weight.getScale(), zeroPoint = weight.getZeroPoint();
    IntegerAttr axis;
    if (!weight.isPerTensor()) {
      axis = rewriter.getI64IntegerAttr(1 - *weight.getAxis());
      // Blocked scales have the tensor's rank and transpose with it.
      if (weight.getBlockSize()) {
        scale = TransposeOp::create(rewriter, loc, scale, {1, 0});
        if (zeroPoint)
          zeroPoint = TransposeOp::create(rewriter, loc, zeroPoint, {1, 0});
      }
    }
    auto codeType = cast<RankedTensorType>(codes.getType());
    Value transposed = DequantizeOp::create(
        rewriter, loc, codeType.clone(weight.getType().getElementType()), codes,
        scale, zeroPoint, axis, weight.getBlockSizeAttr());
    rewriter.replaceOpWithNewOp<LinearOp>(op, op.getLhs(), transposed,
                                          /*bias=*/Value(),
                                          /*residual=*/Value(),
                                          /*activation=*/ActivationAttr());
    return success();
  }
};

/// dequantize(Q, S, Z) of 8-bit constants, not blocked, whose Q - Z all fit
/// int8 -> dequantize(Q - Z as i8, S): the symmetric weight the backend
/// contracts directly.
struct SymmetrizeWeight : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    Attribute codesAttr, zeroAttr;
    if (!op.getZeroPoint() || op.getBlockSize() || !isEightBit(op.getInput()) ||
        !matchPattern(op.getInput(), m_Constant(&codesAttr)) ||
        !matchPattern(op.getZeroPoint(), m_Constant(&zeroAttr)))
      return failure();
    FailureOr<SmallVector<int64_t>> codes = getConstantInts(codesAttr);
    FailureOr<SmallVector<int64_t>> zeroPoints = getConstantInts(zeroAttr);
    if (failed(codes) || failed(zeroPoints))
      return failure();
    RankedTensorType type = op.getInput().getType();
    if (!type.hasStaticShape())
      return failure();
    QuantizationScheme scheme;
    if (!op.isPerTensor())
      scheme.axis = *op.getAxis();
    SmallVector<char> bytes(codes->size());
    for (auto [i, code] : llvm::enumerate(*codes)) {
      int64_t value =
          code - (*zeroPoints)[scheme.getScaleIndex(type.getShape(), i)];
      if (value < -128 || value > 127)
        return failure();
      bytes[i] = static_cast<char>(value);
    }
    Location loc = op.getLoc();
    Value symmetric = ConstantOp::create(
        rewriter, loc,
        createConstantLike(codesAttr, type.clone(rewriter.getIntegerType(8)),
                           ".int8", bytes));
    rewriter.replaceOpWithNewOp<DequantizeOp>(
        op, op.getType(), symmetric, op.getScale(), /*zero_point=*/Value(),
        op.getAxisAttr(), IntegerAttr());
    return success();
  }
};

/// A linear with a quantized weight and nothing after its product, whose
/// result only `user` reads.
LinearOp getQuantizedLinear(Value value, Operation *user) {
  auto linear = value.getDefiningOp<LinearOp>();
  if (!linear || !isOnlyUsedBy(value, user) || linear.getBias() ||
      linear.getActivation() || linear.getResidual() ||
      !linear.getWeight().getDefiningOp<DequantizeOp>())
    return nullptr;
  return linear;
}

/// linear(..) · c for a constant c of one value, or one per feature -> the
/// weight's scales times c; for one value s computed at run time -> the
/// input's scale times s; a product s · c of both splits in two.
struct AbsorbScales : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0; i < 2; ++i) {
      Value value = op->getOperand(i), factor = op->getOperand(1 - i);
      LinearOp linear = getQuantizedLinear(value, op);
      if (!linear || value.getType() != op.getType())
        continue;
      if (succeeded(absorbIntoWeight(rewriter, op, linear, factor)) ||
          succeeded(split(rewriter, op, value, factor)) ||
          succeeded(absorbIntoInput(rewriter, op, linear, factor)))
        return success();
    }
    return failure();
  }

  /// `input` with the scale `scale`: an equal dequantize of its codes
  /// before `point` where there is one (the Q, K and V projections of one
  /// input then keep one input, and merge), else a new one.
  static Value getOrCreateDequantize(PatternRewriter &rewriter, Location loc,
                                     DequantizeOp input, Value scale,
                                     Operation *point) {
    for (Operation *user : input.getInput().getUsers()) {
      auto other = dyn_cast<DequantizeOp>(user);
      if (other && other != input && other.getScale() == scale &&
          other.getZeroPoint() == input.getZeroPoint() &&
          other.getAxisAttr() == input.getAxisAttr() &&
          other.getBlockSizeAttr() == input.getBlockSizeAttr() &&
          other->getBlock() == point->getBlock() &&
          other->isBeforeInBlock(point))
        return other;
    }
    // Placed right after its last operand, where every linear of the same
    // input can find it.
    OpBuilder::InsertionGuard guard(rewriter);
    Operation *last = nullptr;
    for (Value operand :
         {Value(input.getInput()), scale, Value(input.getZeroPoint())}) {
      Operation *def = operand ? operand.getDefiningOp() : nullptr;
      if (def && def->getBlock() == point->getBlock() &&
          (!last || last->isBeforeInBlock(def)))
        last = def;
    }
    if (last)
      rewriter.setInsertionPointAfter(last);
    else
      rewriter.setInsertionPointToStart(point->getBlock());
    return DequantizeOp::create(rewriter, loc, input.getType(),
                                input.getInput(), scale, input.getZeroPoint(),
                                input.getAxisAttr(), input.getBlockSizeAttr());
  }

  /// dequantize(Qa, Sa, Za) input: Sa · s.
  static LogicalResult absorbIntoInput(PatternRewriter &rewriter, MulOp op,
                                       LinearOp linear, Value factor) {
    auto input = linear.getInput().getDefiningOp<DequantizeOp>();
    if (!input || !isSingleValue(factor) || !isOnlyUsedBy(input, linear))
      return failure();
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value s = toScalar(rewriter, loc, factor);
    Value scale = input.getScale();
    scale = isSplatFloat(scale, 1.0) && input.isPerTensor()
                ? s
                : MulOp::create(rewriter, loc, scale, s).getResult();
    Value scaled = getOrCreateDequantize(rewriter, loc, input, scale, op);
    rewriter.moveOpBefore(linear, op);
    rewriter.modifyOpInPlace(linear,
                             [&] { linear.getInputMutable().assign(scaled); });
    rewriter.replaceOp(op, linear.getResult());
    return success();
  }

  /// dequantize(Q [N, K], S) weight per tensor or per feature, without a
  /// zero point: S · c for a constant c of one value per feature.
  static LogicalResult absorbIntoWeight(PatternRewriter &rewriter, MulOp op,
                                        LinearOp linear, Value factor) {
    auto weight = linear.getWeight().getDefiningOp<DequantizeOp>();
    RankedTensorType weightType = weight.getType();
    auto factorType = cast<RankedTensorType>(factor.getType());
    ArrayRef<int64_t> shape = dropLeadingOnes(factorType.getShape());
    if (weightType.getRank() != 2 || weight.getZeroPoint() ||
        weight.getBlockSize() ||
        (!weight.isPerTensor() && *weight.getAxis() != 0) ||
        !matchPattern(factor, m_Constant()) ||
        factorType.getElementType() != weightType.getElementType())
      return failure();
    int64_t n = weightType.getDimSize(0);
    if (!isSingleValue(factor) && (shape.size() != 1 || shape[0] != n))
      return failure();
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value c =
        isSingleValue(factor)
            ? toScalar(rewriter, loc, factor)
            : ReshapeOp::create(rewriter, loc, factorType.clone({n}), factor)
                  .getResult();
    Value scale = MulOp::create(rewriter, loc, weight.getScale(), c);
    bool perFeature = !weight.isPerTensor() || !isSingleValue(factor);
    Value scaled = DequantizeOp::create(
        rewriter, loc, weightType, weight.getInput(), scale,
        /*zero_point=*/Value(),
        perFeature ? rewriter.getI64IntegerAttr(0) : IntegerAttr(),
        IntegerAttr());
    rewriter.moveOpBefore(linear, op);
    rewriter.modifyOpInPlace(linear,
                             [&] { linear.getWeightMutable().assign(scaled); });
    rewriter.replaceOp(op, linear.getResult());
    return success();
  }

  /// linear · (s · c) -> (linear · s) · c, s one value computed at run
  /// time and c a constant: each factor then goes to its side.
  static LogicalResult split(PatternRewriter &rewriter, MulOp op, Value value,
                             Value factor) {
    auto product = factor.getDefiningOp<MulOp>();
    if (!product)
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      Value s = product->getOperand(i), c = product->getOperand(1 - i);
      if (!isSingleValue(s) || matchPattern(s, m_Constant()) ||
          !matchPattern(c, m_Constant()))
        continue;
      Location loc = op.getLoc();
      Value scaled =
          MulOp::create(rewriter, loc, value, toScalar(rewriter, loc, s));
      rewriter.replaceOpWithNewOp<MulOp>(op, op.getType(), scaled, c);
      return success();
    }
    return failure();
  }
};

struct FuseQuantizedPass : tfm::impl::FuseQuantizedPassBase<FuseQuantizedPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseQuantizedPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseQuantizedPatterns(RewritePatternSet &patterns) {
  patterns.add<IntegerProductToDequantized, DequantizedMatmulToLinear,
               SymmetrizeWeight, AbsorbScales>(patterns.getContext());
}
