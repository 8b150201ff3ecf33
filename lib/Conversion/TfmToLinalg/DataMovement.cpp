//===- DataMovement.cpp - shape and indexing ops to tensor/linalg ---------===//
//
// Views stay views where the tensor dialect has one (reshape, slice, split,
// select become collapse/expand/extract_slice, which bufferize to
// subviews); copies that rearrange elements are linalg ops (transpose,
// broadcast) or generics that read through tensor.extract (gather,
// gather_elements). Gathered indices are wrapped when negative and clamped
// to the axis, so that an out-of-range id cannot read outside the tensor.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::lowering;

namespace {

/// An index into an axis of `size` elements from an i32/i64 element:
/// negative values count from the end, the result is clamped to the axis.
Value normalizeIndex(OpBuilder &b, Location loc, Value index,
                     OpFoldResult size) {
  Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value sizeValue = getValueOrCreateConstantIndexOp(b, loc, size);
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  idx = arith::SelectOp::create(
      b, loc, isNegative, arith::AddIOp::create(b, loc, idx, sizeValue), idx);
  Value last = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, sizeValue, one), zero);
  idx = arith::MaxSIOp::create(b, loc, idx, zero);
  return arith::MinSIOp::create(b, loc, idx, last);
}

/// a + b, folded when both are constants.
OpFoldResult addSizes(OpBuilder &b, Location loc, OpFoldResult x,
                      OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x),
                         cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx + *cy);
  if (cx == 0)
    return y;
  if (cy == 0)
    return x;
  return arith::AddIOp::create(b, loc,
                               getValueOrCreateConstantIndexOp(b, loc, x),
                               getValueOrCreateConstantIndexOp(b, loc, y))
      .getResult();
}

struct TransposeOpLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, op.getLoc(), adaptor.getInput());
    SmallVector<OpFoldResult> sizes = llvm::map_to_vector(
        op.getPerm(), [&](int64_t axis) { return inputSizes[axis]; });
    Value init = createEmpty(rewriter, op.getLoc(), sizes,
                             toSignless(type.getElementType()));
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPerm())
                               .getResult());
    return success();
  }
};

/// Dynamic reshapes are one collapse or expand (isViewReshape).
struct ReshapeOpLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     type.getShape()));
    return success();
  }
};

struct ExpandOpLowering : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // A dynamic result dimension is the input's (supportsDynamicShapes).
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, op.getLoc(), type.getShape(),
            toSignless(type.getElementType()), adaptor.getInput(),
            [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
    return success();
  }
};

struct ConcatOpLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    int64_t rank = type.getRank();
    // The inputs' sizes: along the axis, their sum; across it, the first
    // input's (they are equal).
    SmallVector<SmallVector<OpFoldResult>> inputSizes;
    OpFoldResult total = rewriter.getIndexAttr(0);
    for (Value input : adaptor.getInputs()) {
      inputSizes.push_back(tensor::getMixedSizes(rewriter, loc, input));
      total = addSizes(rewriter, loc, total, inputSizes.back()[axis]);
    }
    SmallVector<OpFoldResult> sizes = inputSizes.front();
    sizes[axis] = total;
    Value result =
        createEmpty(rewriter, loc, sizes, toSignless(type.getElementType()));
    OpFoldResult offset = rewriter.getIndexAttr(0);
    for (auto [input, inputSize] : llvm::zip(adaptor.getInputs(), inputSizes)) {
      if (isConstantIntValue(inputSize[axis], 0))
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = offset;
      result = tensor::InsertSliceOp::create(
          rewriter, loc, input, result, offsets, inputSize,
          SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(1)));
      offset = addSizes(rewriter, loc, offset, inputSize[axis]);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SplitOpLowering : OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // The split axis is static (supportsDynamicShapes).
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    SmallVector<Value> pieces;
    int64_t offset = 0;
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, adaptor.getInput());
    for (Value result : op.getResults()) {
      auto type = cast<RankedTensorType>(toSignless(result.getType()));
      SmallVector<OpFoldResult> sizes = inputSizes;
      sizes[axis] = rewriter.getIndexAttr(type.getDimSize(axis));
      // An empty piece may start at the end of the axis, where a slice's
      // offset would be out of bounds: it reads nothing anyway.
      if (llvm::is_contained(type.getShape(), 0)) {
        pieces.push_back(
            createEmpty(rewriter, loc, type.getShape(), type.getElementType()));
        continue;
      }
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      offsets[axis] = rewriter.getIndexAttr(offset);
      pieces.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, type, adaptor.getInput(), offsets, sizes,
          SmallVector<OpFoldResult>(type.getRank(), rewriter.getIndexAttr(1))));
      offset += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, pieces);
    return success();
  }
};

struct SliceOpLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Static result dimensions are static limits (over static or dynamic
    // input dimensions); a dynamic one has a run-time limit.
    auto type = cast<RankedTensorType>(op.getType());
    if (type.hasStaticShape() && type.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, op.getLoc(), type.getShape(),
                                         toSignless(type.getElementType())));
      return success();
    }
    SmallVector<OpFoldResult> sizes;
    auto dynamicLimits = adaptor.getDynamicLimits().begin();
    Location loc = op.getLoc();
    for (auto [d, size] : llvm::enumerate(type.getShape())) {
      if (!ShapedType::isDynamic(op.getLimits()[d])) {
        sizes.push_back(rewriter.getIndexAttr(size));
        continue;
      }
      // ceil((limit - start) / stride) elements.
      Value count = *dynamicLimits++;
      if (int64_t start = op.getStarts()[d])
        count = arith::SubIOp::create(
            rewriter, loc, count,
            arith::ConstantIndexOp::create(rewriter, loc, start));
      if (int64_t stride = op.getStrides()[d]; stride != 1)
        count = arith::CeilDivUIOp::create(
            rewriter, loc, count,
            arith::ConstantIndexOp::create(rewriter, loc, stride));
      sizes.push_back(count);
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, cast<RankedTensorType>(toSignless(type)), adaptor.getInput(),
        getAsIndexOpFoldResult(rewriter.getContext(), op.getStarts()), sizes,
        getAsIndexOpFoldResult(rewriter.getContext(), op.getStrides()));
    return success();
  }
};

struct SelectOpLowering : OpConversionPattern<SelectOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = inputType.getRank();
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    offsets[op.getAxis()] = rewriter.getIndexAttr(op.getIndex());
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, op.getLoc(), adaptor.getInput());
    sizes[op.getAxis()] = rewriter.getIndexAttr(1);
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, cast<RankedTensorType>(toSignless(type)), adaptor.getInput(),
        offsets, sizes,
        SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(1)));
    return success();
  }
};

/// A constant table of 4-bit codes gathered along another axis than its
/// last (a quantized embedding): packed two codes per byte along the last
/// axis at compile time ([..., ceil(D/2)], code 2i in the low nibble), so
/// that the weights file holds half a byte per code. Null otherwise.
Value packFourBitTable(OpBuilder &b, Location loc, GatherOp op) {
  RankedTensorType type = op.getInput().getType();
  Attribute value;
  if (!type.getElementType().isInteger(4) || !type.hasStaticShape() ||
      op.getAxis() == type.getRank() - 1 ||
      !matchPattern(op.getInput(), m_Constant(&value)))
    return nullptr;
  FailureOr<SmallVector<int64_t>> codes = getConstantInts(value);
  if (failed(codes))
    return nullptr;
  int64_t d = type.getShape().back(), half = llvm::divideCeil(d, 2);
  int64_t rows = type.getNumElements() / std::max<int64_t>(d, 1);
  SmallVector<char> bytes(rows * half, 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < d; ++i)
      bytes[r * half + i / 2] |=
          static_cast<char>(((*codes)[r * d + i] & 15) << (4 * (i % 2)));
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = half;
  return arith::ConstantOp::create(
      b, loc,
      cast<TypedAttr>(
          createConstantLike(value, RankedTensorType::get(shape, b.getI8Type()),
                             ".packed", bytes)));
}

/// result[p..., i..., q...] = input[p..., indices[i...], q...]
struct GatherOpLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t axis = op.getAxis();
    int64_t indicesRank = indicesType.getRank();
    int64_t rank = type.getRank();
    // result sizes: the input's before and after the axis, the indices' in
    // its place.
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes(inputSizes.begin(),
                                    inputSizes.begin() + axis);
    llvm::append_range(
        sizes, tensor::getMixedSizes(rewriter, loc, adaptor.getIndices()));
    sizes.append(inputSizes.begin() + axis + 1, inputSizes.end());
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < indicesRank; ++i)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + i));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, indexExprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    OpFoldResult axisSize = inputSizes[axis];
    Value packed = packFourBitTable(rewriter, loc, op);
    bool isSigned =
        !isUnsignedInteger(op.getInput().getType().getElementType());
    if (packed)
      input = packed;
    Value init =
        createEmpty(rewriter, loc, sizes,
                    getElementTypeOrSelf(adaptor.getInput().getType()));
    Value result =
        buildGeneric(
            rewriter, loc, adaptor.getIndices(), init, maps,
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l,
                ValueRange args) -> SmallVector<Value> {
              SmallVector<Value> coords;
              for (int64_t i = 0; i < axis; ++i)
                coords.push_back(linalg::IndexOp::create(b, l, i));
              coords.push_back(normalizeIndex(b, l, args[0], axisSize));
              for (int64_t i = axis + indicesRank; i < rank; ++i)
                coords.push_back(linalg::IndexOp::create(b, l, i));
              if (!packed)
                return {tensor::ExtractOp::create(b, l, input, coords)};
              // Code d of the row: byte d / 2, nibble d % 2.
              Value d = coords.back();
              Value two = arith::ConstantIndexOp::create(b, l, 2);
              coords.back() = arith::DivUIOp::create(b, l, d, two);
              Type i8 = b.getI8Type();
              Value shift = arith::MulIOp::create(
                  b, l,
                  arith::IndexCastOp::create(
                      b, l, i8, arith::RemUIOp::create(b, l, d, two)),
                  createScalar(b, l, i8, 4));
              Value byte = tensor::ExtractOp::create(b, l, input, coords);
              Value four = createScalar(b, l, i8, 4);
              if (!isSigned)
                return {arith::AndIOp::create(
                    b, l, arith::ShRUIOp::create(b, l, byte, shift),
                    createScalar(b, l, i8, 15))};
              // Sign-extended: the nibble to the top, then back down.
              Value up = arith::ShLIOp::create(
                  b, l, byte, arith::SubIOp::create(b, l, four, shift));
              return {arith::ShRSIOp::create(b, l, up, four)};
            })
            .front();
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// result[i...] = input[i... with indices[i...] at axis]
struct GatherElementsOpLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t axis = op.getAxis();
    int64_t rank = type->getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    OpFoldResult axisSize = rewriter.getIndexAttr(inputType.getDimSize(axis));
    Value init = createEmpty(rewriter, loc, type->getShape(),
                             inputType.getElementType());
    Value result =
        buildGeneric(
            rewriter, loc, adaptor.getIndices(), init, {identity, identity},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l,
                ValueRange args) -> SmallVector<Value> {
              SmallVector<Value> coords;
              for (int64_t i = 0; i < rank; ++i)
                coords.push_back(
                    i == axis ? normalizeIndex(b, l, args[0], axisSize)
                              : linalg::IndexOp::create(b, l, i).getResult());
              return {tensor::ExtractOp::create(b, l, input, coords)};
            })
            .front();
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A copy of shape `type` whose element at each position is `input`'s at
/// the coordinates `coordinate` computes from that position's indices, one
/// dimension at a time: a generic reading through tensor.extract.
Value buildExtractCopy(
    OpBuilder &b, Location loc, Value input, RankedTensorType type,
    function_ref<Value(OpBuilder &, Location, int64_t, Value)> coordinate) {
  int64_t rank = type.getRank();
  Value init =
      createEmpty(b, loc, type.getShape(), toSignless(type.getElementType()));
  return buildGeneric(
             b, loc, ValueRange(), init, {b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange) -> SmallVector<Value> {
               SmallVector<Value> coords;
               for (int64_t d = 0; d < rank; ++d)
                 coords.push_back(
                     coordinate(nb, l, d, linalg::IndexOp::create(nb, l, d)));
               return {tensor::ExtractOp::create(nb, l, input, coords)};
             })
      .front();
}

/// A copy that reads reversed axes at `size - 1 - d`, through
/// tensor.extract: an indexing map with a negative coefficient would be
/// simpler, but upstream's tiling sizes operand slices for increasing maps
/// only.
struct ReverseOpLowering : OpConversionPattern<ReverseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReverseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    rewriter.replaceOp(
        op,
        buildExtractCopy(
            rewriter, op.getLoc(), adaptor.getInput(), *type,
            [&](OpBuilder &b, Location l, int64_t d, Value index) {
              if (!llvm::is_contained(op.getAxes(), d))
                return index;
              return Value(arith::SubIOp::create(
                  b, l,
                  arith::ConstantIndexOp::create(b, l, type->getDimSize(d) - 1),
                  index));
            }));
    return success();
  }
};

/// pad: constant mode as tensor.pad; edge, reflect and wrap as a copy that
/// reads each output position's source element through tensor.extract at
/// the index the mode maps it to (as reverse reads).
struct PadOpLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = getStaticResultType(op, rewriter);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    ArrayRef<int64_t> low = op.getLow(), high = op.getHigh();
    PadMode mode = op.getMode();
    if (mode == PadMode::constant) {
      Value fill = adaptor.getValue()
                       ? Value(tensor::ExtractOp::create(
                             rewriter, loc, adaptor.getValue(), ValueRange()))
                       : Value(arith::ConstantOp::create(
                             rewriter, loc, rewriter.getZeroAttr(elementType)));
      SmallVector<OpFoldResult> lowFold, highFold;
      for (auto [lo, hi] : llvm::zip(low, high)) {
        lowFold.push_back(rewriter.getIndexAttr(lo));
        highFold.push_back(rewriter.getIndexAttr(hi));
      }
      rewriter.replaceOpWithNewOp<tensor::PadOp>(
          op, type->clone(elementType), input, lowFold, highFold, fill);
      return success();
    }
    // Each padded dimension reads i = o - low mapped into [0, n).
    auto coordinate = [&](OpBuilder &b, Location l, int64_t d,
                          Value index) -> Value {
      if (low[d] == 0 && high[d] == 0)
        return index;
      auto constant = [&](int64_t v) -> Value {
        return arith::ConstantIndexOp::create(b, l, v);
      };
      int64_t n = inputType.getDimSize(d);
      Value i = arith::SubIOp::create(b, l, index, constant(low[d]));
      Value first = constant(0), last = constant(n - 1);
      switch (mode) {
      case PadMode::edge:
        return arith::MinSIOp::create(
            b, l, arith::MaxSIOp::create(b, l, i, first), last);
      case PadMode::reflect: {
        // -i before the start; 2(n - 1) - i past the end.
        Value before =
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, first);
        Value after =
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, i, last);
        Value mirrored = arith::SubIOp::create(b, l, first, i);
        Value folded = arith::SubIOp::create(b, l, constant(2 * (n - 1)), i);
        return arith::SelectOp::create(
            b, l, before, mirrored,
            arith::SelectOp::create(b, l, after, folded, i));
      }
      case PadMode::wrap: {
        // ((i mod n) + n) mod n, as i >= -low may be negative.
        Value size = constant(n);
        Value rem = arith::RemSIOp::create(b, l, i, size);
        return arith::RemSIOp::create(
            b, l, arith::AddIOp::create(b, l, rem, size), size);
      }
      case PadMode::constant:
        break;
      }
      llvm_unreachable("constant pads lower to tensor.pad");
    };
    Value result = buildExtractCopy(rewriter, loc, input, *type, coordinate);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The element `reduction` makes of an input element and an update.
Value combineScatter(OpBuilder &b, Location loc, ScatterReduction reduction,
                     Type elementType, Value old, Value update) {
  bool isFloat = isa<FloatType>(elementType);
  bool isUnsigned = elementType.isUnsignedInteger();
  switch (reduction) {
  case ScatterReduction::none:
    return update;
  case ScatterReduction::add:
    return isFloat ? arith::AddFOp::create(b, loc, old, update).getResult()
                   : arith::AddIOp::create(b, loc, old, update).getResult();
  case ScatterReduction::mul:
    return isFloat ? arith::MulFOp::create(b, loc, old, update).getResult()
                   : arith::MulIOp::create(b, loc, old, update).getResult();
  case ScatterReduction::max:
  case ScatterReduction::min:
    return buildMinMax(b, loc, old, update, reduction == ScatterReduction::max,
                       isUnsigned);
  }
  llvm_unreachable("unknown scatter reduction");
}

/// A loop over the update tuples on a copy of the input, seen as rows (the
/// dimensions the tuples index) of elements (the rest): each tuple's row,
/// its coordinates counted from the end when negative and clamped to their
/// dimensions, becomes the update's row, or its combination with the row.
struct ScatterNDOpLowering : OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    auto updatesType = cast<RankedTensorType>(adaptor.getUpdates().getType());
    if (!inputType.hasStaticShape() || !indicesType.hasStaticShape() ||
        !updatesType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    ArrayRef<int64_t> dims = inputType.getShape();
    int64_t k = indicesType.getShape().back();
    int64_t rows = 1, rowSize = 1, tuples = 1;
    for (int64_t d = 0; d < inputType.getRank(); ++d)
      (d < k ? rows : rowSize) *= dims[d];
    for (int64_t size : indicesType.getShape().drop_back())
      tuples *= size;
    Value table = reshapeTo(b, loc, adaptor.getInput(), {rows, rowSize});
    Value indices = reshapeTo(b, loc, adaptor.getIndices(), {tuples, k});
    Value updates = reshapeTo(b, loc, adaptor.getUpdates(), {tuples, rowSize});
    Type elementType = getElementTypeOrSelf(op.getInput().getType());
    ScatterReduction reduction = op.getReduction();
    SmallVector<OpFoldResult> unit = {b.getIndexAttr(1), b.getIndexAttr(1)};
    SmallVector<OpFoldResult> rowSizes = {b.getIndexAttr(1),
                                          b.getIndexAttr(rowSize)};
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    auto loop = scf::ForOp::create(
        b, loc, zero, arith::ConstantIndexOp::create(b, loc, tuples),
        arith::ConstantIndexOp::create(b, loc, 1), ValueRange{table},
        [&](OpBuilder &nb, Location l, Value tuple, ValueRange acc) {
          Value row = arith::ConstantIndexOp::create(nb, l, 0);
          for (int64_t j = 0; j < k; ++j) {
            Value coordinate = tensor::ExtractOp::create(
                nb, l, indices,
                ValueRange{tuple, arith::ConstantIndexOp::create(nb, l, j)});
            coordinate =
                normalizeIndex(nb, l, coordinate, nb.getIndexAttr(dims[j]));
            row = arith::AddIOp::create(
                nb, l,
                arith::MulIOp::create(
                    nb, l, row, arith::ConstantIndexOp::create(nb, l, dims[j])),
                coordinate);
          }
          SmallVector<OpFoldResult> updateOffsets = {tuple, nb.getIndexAttr(0)};
          SmallVector<OpFoldResult> rowOffsets = {row, nb.getIndexAttr(0)};
          Value update = tensor::ExtractSliceOp::create(
              nb, l, updates, updateOffsets, rowSizes, unit);
          if (reduction != ScatterReduction::none) {
            Value old = tensor::ExtractSliceOp::create(
                nb, l, acc[0], rowOffsets, rowSizes, unit);
            update = buildElementwise(
                nb, l, {1, rowSize}, toSignless(elementType),
                ValueRange{old, update},
                [&](OpBuilder &eb, Location el, ValueRange args) {
                  return combineScatter(eb, el, reduction, elementType, args[0],
                                        args[1]);
                });
          }
          Value next = tensor::InsertSliceOp::create(
              nb, l, update, acc[0], rowOffsets, rowSizes, unit);
          scf::YieldOp::create(nb, l, next);
        });
    rewriter.replaceOp(op, reshapeTo(b, loc, loop.getResult(0), dims));
    return success();
  }
};

} // namespace

void mlir::tfm::populateDataMovementToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TransposeOpLowering, ReshapeOpLowering, ExpandOpLowering,
               ConcatOpLowering, SplitOpLowering, SliceOpLowering,
               SelectOpLowering, GatherOpLowering, GatherElementsOpLowering,
               ReverseOpLowering, PadOpLowering, ScatterNDOpLowering>(
      converter, patterns.getContext());
}
