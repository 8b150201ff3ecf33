//===- FuseRope.cpp - rotary embedding from its rotate-half form ---------===//
//
//   x · cos + concat(-x[..., D/2:], x[..., :D/2]) · sin  -> rope(x, cos', sin')
//
// on [B, H, S, D] heads, with cos/sin tables of shape [..., S, D] whose two
// halves are equal (as `cat(freqs, freqs)` makes them); cos' and sin' are
// their first halves, [S, D/2].
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"
#include "tfm/Passes/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_FUSEROPEPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::fusion;

namespace {

/// True when `slice` takes [begin, end) of the last dimension of `x` and
/// all of the others.
bool isLastDimSlice(SliceOp slice, Value x, int64_t begin, int64_t end) {
  if (!slice || slice.getInput() != x)
    return false;
  unsigned last = cast<RankedTensorType>(x.getType()).getRank() - 1;
  for (unsigned axis = 0; axis < last; ++axis)
    if (!slice.keepsWholeDim(axis))
      return false;
  return slice.getStarts()[last] == begin && slice.getLimits()[last] == end &&
         slice.getStrides()[last] == 1;
}

/// x when `value` is rotate_half(x) = concat(-x[.., D/2:], x[.., :D/2]).
Value matchRotateHalf(Value value, Operation *user) {
  auto concat = value.getDefiningOp<ConcatOp>();
  if (!concat || !isOnlyUsedBy(value, user) || concat.getInputs().size() != 2)
    return Value();
  auto type = cast<RankedTensorType>(concat.getType());
  int64_t rank = type.getRank();
  if (concat.getAxis() != rank - 1 && concat.getAxis() != -1)
    return Value();
  auto neg = concat.getInputs()[0].getDefiningOp<NegOp>();
  auto low = concat.getInputs()[1].getDefiningOp<SliceOp>();
  if (!neg || !low || !isOnlyUsedBy(neg, concat) || !isOnlyUsedBy(low, concat))
    return Value();
  auto high = neg.getInput().getDefiningOp<SliceOp>();
  if (!high || !isOnlyUsedBy(high, neg))
    return Value();
  Value x = low.getInput();
  int64_t d = type.getShape().back();
  if (d % 2 != 0 || !isLastDimSlice(high, x, d / 2, d) ||
      !isLastDimSlice(low, x, 0, d / 2))
    return Value();
  return x;
}

/// Where the [S, D/2] half of a [..., S, D] cos or sin table comes from:
/// the `f` of `cat(f, f)` (or of `cos(cat(f, f))`, `sin(...)`, as exports
/// that compute the angles from position ids do: then `unary` is that op),
/// or the first halves of a constant whose two halves are equal.
struct HalfTable {
  Value repeated;
  DenseElementsAttr constant;
  Operation *unary = nullptr;
  explicit operator bool() const { return repeated || constant; }
};

/// Finds the half table of `table`; empty when its halves are not known to
/// be equal. Changes nothing.
HalfTable findHalfTable(Value table, int64_t s, int64_t d) {
  auto type = cast<RankedTensorType>(table.getType());
  ArrayRef<int64_t> shape = type.getShape();
  if (shape.size() < 2 || shape.take_back(2) != ArrayRef<int64_t>{s, d} ||
      !llvm::all_of(shape.drop_back(2), [](int64_t v) { return v == 1; }))
    return {};
  auto halfType = RankedTensorType::get({s, d / 2}, type.getElementType());
  // cat(f, f) along the last axis, possibly reshaped.
  Value source = table;
  if (auto reshape = source.getDefiningOp<ReshapeOp>())
    source = reshape.getInput();
  // cos(cat(f, f)) is cat(cos(f), cos(f)).
  Operation *unary = source.getDefiningOp();
  if (isa_and_nonnull<CosOp, SinOp>(unary))
    source = unary->getOperand(0);
  else
    unary = nullptr;
  if (auto concat = source.getDefiningOp<ConcatOp>()) {
    auto concatType = cast<RankedTensorType>(concat.getType());
    if (concat.getInputs().size() == 2 &&
        concat.getInputs()[0] == concat.getInputs()[1] &&
        (concat.getAxis() == concatType.getRank() - 1 ||
         concat.getAxis() == -1)) {
      Value half = concat.getInputs()[0];
      int64_t halfShape[] = {s, d / 2};
      if (dropLeadingOnes(cast<RankedTensorType>(half.getType()).getShape()) !=
          dropLeadingOnes(halfShape))
        return {};
      return {half, nullptr, unary};
    }
  }
  DenseElementsAttr attr;
  if (ShapedType::isDynamic(s) || !matchPattern(table, m_Constant(&attr)))
    return {};
  SmallVector<Attribute> values(attr.getValues<Attribute>());
  SmallVector<Attribute> half;
  for (int64_t i = 0; i < s; ++i)
    for (int64_t j = 0; j < d / 2; ++j) {
      if (values[i * d + j] != values[i * d + j + d / 2])
        return {};
      half.push_back(values[i * d + j]);
    }
  return {Value(), DenseElementsAttr::get(halfType, half)};
}

/// Materializes a half table found by findHalfTable as [S, D/2].
Value buildHalfTable(PatternRewriter &rewriter, Location loc,
                     const HalfTable &table, int64_t s, int64_t d) {
  if (table.constant)
    return ConstantOp::create(rewriter, loc, table.constant);
  Value half = table.repeated;
  if (isa_and_nonnull<CosOp>(table.unary))
    half = CosOp::create(rewriter, loc, half.getType(), half);
  else if (isa_and_nonnull<SinOp>(table.unary))
    half = SinOp::create(rewriter, loc, half.getType(), half);
  auto elementType = cast<RankedTensorType>(half.getType()).getElementType();
  return ReshapeOp::create(
      rewriter, loc, RankedTensorType::get({s, d / 2}, elementType), half);
}

struct FuseRotateHalfRope : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    // Heads [B, H, S, D]; the sequence S may be dynamic.
    auto type = cast<RankedTensorType>(op.getType());
    if (type.getRank() != 4 || type.getNumDynamicDims() > 1 ||
        (type.getNumDynamicDims() == 1 && !type.isDynamicDim(2)))
      return failure();
    int64_t s = type.getDimSize(2), d = type.getDimSize(3);
    for (unsigned i = 0; i < 2; ++i) {
      auto direct = op->getOperand(i).getDefiningOp<MulOp>();
      auto rotated = op->getOperand(1 - i).getDefiningOp<MulOp>();
      if (!direct || !rotated || !isOnlyUsedBy(direct, op) ||
          !isOnlyUsedBy(rotated, op))
        continue;
      for (unsigned j = 0; j < 2; ++j) {
        Value rot = rotated->getOperand(j), sin = rotated->getOperand(1 - j);
        Value x = matchRotateHalf(rot, rotated);
        if (!x || x.getType() != type)
          continue;
        Value cos;
        if (matchEither(
                direct, [&](Value v) { return v == x; }, cos) != x)
          continue;
        Location loc = op.getLoc();
        HalfTable cosHalf = findHalfTable(cos, s, d);
        HalfTable sinHalf = findHalfTable(sin, s, d);
        if (!cosHalf || !sinHalf)
          continue;
        Value cosTable = buildHalfTable(rewriter, loc, cosHalf, s, d);
        Value sinTable = buildHalfTable(rewriter, loc, sinHalf, s, d);
        rewriter.replaceOpWithNewOp<RopeOp>(op, x, cosTable, sinTable,
                                            /*num_heads=*/IntegerAttr(),
                                            /*interleaved=*/false);
        return success();
      }
    }
    return failure();
  }
};

struct FuseRopePass : tfm::impl::FuseRopePassBase<FuseRopePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseRopePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tfm::populateFuseRopePatterns(RewritePatternSet &patterns) {
  patterns.add<FuseRotateHalfRope>(patterns.getContext());
}
