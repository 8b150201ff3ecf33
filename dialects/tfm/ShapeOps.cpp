//===- ShapeOps.cpp - data movement and shape ops -------------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "ConstantFolding.h"
#include "TypeRules.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;

/// Calls `fn(linearIndex, coords)` for every element of a static `shape`, in
/// row-major order.
static void
forEachIndex(ArrayRef<int64_t> shape,
             llvm::function_ref<void(int64_t, ArrayRef<int64_t>)> fn) {
  int64_t numElements = getNumElements(shape);
  SmallVector<int64_t> coords(shape.size(), 0);
  for (int64_t i = 0; i < numElements; ++i) {
    fn(i, coords);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++coords[d] < shape[d])
        break;
      coords[d] = 0;
    }
  }
}

/// Linear index of `coords` given row-major `strides`.
static int64_t linearize(ArrayRef<int64_t> coords, ArrayRef<int64_t> strides) {
  int64_t index = 0;
  for (auto [c, s] : llvm::zip_equal(coords, strides))
    index += c * s;
  return index;
}

/// A constant source that a data-movement folder may read into `resultType`.
static DenseElementsAttr getFoldableSource(Attribute attr,
                                           ShapedType resultType) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.getType().hasStaticShape() ||
      !isFoldableResult(resultType, dense.isSplat()))
    return {};
  return dense;
}

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (!isPermutation(perm, input.getRank()))
    return violation(location, getOperationName(), 1, "perm ",
                     formatShape(perm), " is not a permutation of [0, ",
                     input.getRank(), ")");
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(input.getDimSize(p));
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto p) {
    return static_cast<int64_t>(p.index()) == p.value();
  });
  if (identity && getInput().getType() == getType())
    return getInput();
  DenseElementsAttr source = getFoldableSource(adaptor.getInput(), getType());
  if (!source)
    return {};
  SmallVector<int64_t> strides = computeStrides(source.getType().getShape());
  SmallVector<int64_t> indices;
  forEachIndex(getType().getShape(), [&](int64_t, ArrayRef<int64_t> coords) {
    int64_t index = 0;
    for (auto [d, p] : llvm::enumerate(perm))
      index += coords[d] * strides[p];
    indices.push_back(index);
  });
  return pickElements(source, getType(), indices);
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1[p2]).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> composed;
    for (int64_t p : op.getPerm())
      composed.push_back(inner.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), inner.getInput(),
                                             composed);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType(), result = getType();
  if (input.getElementType() != result.getElementType())
    return emitViolation(*this, 1)
           << "result element type " << result.getElementType()
           << " differs from input element type " << input.getElementType();
  if (input.hasStaticShape() && result.hasStaticShape() &&
      input.getNumElements() != result.getNumElements())
    return emitViolation(*this, 2)
           << "input shape " << formatShape(input.getShape()) << " has "
           << input.getNumElements() << " elements but result shape "
           << formatShape(result.getShape()) << " has "
           << result.getNumElements();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  return {};
}

//===----------------------------------------------------------------------===//
// expand
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::verify() {
  RankedTensorType input = getInput().getType(), result = getType();
  if (input.getElementType() != result.getElementType() ||
      input.getRank() > result.getRank())
    return emitViolation(*this, 1)
           << "result " << result << " must have the element type of input "
           << input << " and at least its rank";
  if (!broadcastsTo(input.getShape(), result.getShape()))
    return emitViolation(*this, 2)
           << "input shape " << formatShape(input.getShape())
           << " does not broadcast to result shape "
           << formatShape(result.getShape());
  return success();
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ExpandOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  DenseElementsAttr source = getFoldableSource(adaptor.getInput(), getType());
  if (!source)
    return {};
  return pickElements(
      source, getType(),
      broadcastIndices(source.getType().getShape(), getType().getShape()));
}

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return violation(location, name, 1, "needs at least one input");
  SmallVector<RankedTensorType> types;
  for (Value input : inputs) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type)
      return failure();
    types.push_back(type);
  }
  RankedTensorType first = types.front();
  for (auto [i, type] : llvm::enumerate(types))
    if (type.getRank() != first.getRank() ||
        type.getElementType() != first.getElementType())
      return violation(location, name, 1, "input #", i, " ", type,
                       " differs in rank or element type from input #0 ",
                       first);
  int64_t axis = adaptor.getAxis(), rank = first.getRank();
  if (axis < 0 || axis >= rank)
    return violation(location, name, 2, "axis ", axis, " is out of range [0, ",
                     rank, ")");
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (auto [i, type] : llvm::enumerate(types)) {
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      if (!dimsAgree(type.getDimSize(d), shape[d]))
        return violation(location, name, 3, "input #", i, " shape ",
                         formatShape(type.getShape()),
                         " differs from input #0 shape ",
                         formatShape(first.getShape()), " in dimension ", d);
      if (ShapedType::isDynamic(shape[d]))
        shape[d] = type.getDimSize(d);
    }
    int64_t size = type.getDimSize(axis);
    shape[axis] =
        ShapedType::isDynamic(size) || ShapedType::isDynamic(shape[axis])
            ? ShapedType::kDynamic
            : shape[axis] + size;
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  SmallVector<DenseElementsAttr> sources;
  for (Attribute attr : adaptor.getInputs()) {
    DenseElementsAttr source = getFoldableSource(attr, getType());
    if (!source)
      return {};
    sources.push_back(source);
  }
  if (!isFoldableResult(getType(), /*isSplat=*/false))
    return {};
  int64_t axis = getAxis();
  // Map each position along the axis to (source, offset within it).
  SmallVector<std::pair<unsigned, int64_t>> along;
  for (auto [s, source] : llvm::enumerate(sources))
    for (int64_t j = 0; j < source.getType().getDimSize(axis); ++j)
      along.emplace_back(s, j);
  SmallVector<SmallVector<int64_t>> strides;
  for (DenseElementsAttr source : sources)
    strides.push_back(computeStrides(source.getType().getShape()));
  SmallVector<std::pair<unsigned, int64_t>> picks;
  forEachIndex(getType().getShape(), [&](int64_t, ArrayRef<int64_t> coords) {
    auto [s, j] = along[coords[axis]];
    SmallVector<int64_t> local(coords);
    local[axis] = j;
    picks.emplace_back(s, linearize(local, strides[s]));
  });
  return pickElements(sources, getType(), picks);
}

//===----------------------------------------------------------------------===//
// split
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::verify() {
  RankedTensorType input = getInput().getType();
  int64_t axis = getAxis(), rank = input.getRank();
  if (axis < 0 || axis >= rank || getResults().empty())
    return emitViolation(*this, 1)
           << "axis " << axis << " must be in [0, " << rank
           << ") and there must be at least one result";
  int64_t total = 0;
  bool dynamic = false;
  for (auto [i, result] : llvm::enumerate(getResults())) {
    auto type = cast<RankedTensorType>(result.getType());
    bool agrees = type.getElementType() == input.getElementType() &&
                  type.getRank() == rank;
    for (int64_t d = 0; agrees && d < rank; ++d)
      agrees = d == axis || dimsAgree(type.getDimSize(d), input.getDimSize(d));
    if (!agrees)
      return emitViolation(*this, 2)
             << "result #" << i << " " << type << " must match input " << input
             << " except in dimension " << axis;
    int64_t size = type.getDimSize(axis);
    dynamic |= ShapedType::isDynamic(size);
    total += dynamic ? 0 : size;
  }
  int64_t inputSize = input.getDimSize(axis);
  if (!dynamic && !ShapedType::isDynamic(inputSize) && total != inputSize)
    return emitViolation(*this, 3)
           << "result sizes along axis " << axis << " sum to " << total
           << " but input " << formatShape(input.getShape()) << " has "
           << inputSize;
  return success();
}

LogicalResult SplitOp::fold(FoldAdaptor adaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() == 1 && getInput().getType() == getResult(0).getType()) {
    results.push_back(getInput());
    return success();
  }
  auto source = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!source || !source.getType().hasStaticShape())
    return failure();
  int64_t axis = getAxis(), offset = 0;
  SmallVector<int64_t> strides = computeStrides(source.getType().getShape());
  SmallVector<OpFoldResult> folded;
  for (Value result : getResults()) {
    auto type = cast<RankedTensorType>(result.getType());
    if (!isFoldableResult(type, source.isSplat()))
      return failure();
    SmallVector<int64_t> indices;
    forEachIndex(type.getShape(), [&](int64_t, ArrayRef<int64_t> coords) {
      SmallVector<int64_t> global(coords);
      global[axis] += offset;
      indices.push_back(linearize(global, strides));
    });
    folded.push_back(pickElements(source, type, indices));
    offset += type.getDimSize(axis);
  }
  results.append(folded);
  return success();
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  StringRef name = getOperationName();
  ArrayRef<int64_t> starts = adaptor.getStarts(), limits = adaptor.getLimits(),
                    strides = adaptor.getStrides();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(starts.size()) != rank ||
      static_cast<int64_t>(limits.size()) != rank ||
      static_cast<int64_t>(strides.size()) != rank)
    return violation(location, name, 1, "starts, limits and strides have ",
                     starts.size(), ", ", limits.size(), " and ",
                     strides.size(), " entries; input ",
                     formatShape(input.getShape()), " has rank ", rank);
  int64_t numDynamic = llvm::count_if(limits, ShapedType::isDynamic);
  if (numDynamic != static_cast<int64_t>(adaptor.getDynamicLimits().size()))
    return violation(location, name, 1, "limits have ", numDynamic,
                     " dynamic entries for ", adaptor.getDynamicLimits().size(),
                     " index operands");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d);
    if (ShapedType::isDynamic(limits[d])) {
      if (strides[d] <= 0 || starts[d] < 0)
        return violation(location, name, 2, "dimension ", d, " of input ",
                         formatShape(input.getShape()), ": start ", starts[d],
                         ", stride ", strides[d],
                         " must satisfy 0 <= start, stride > 0");
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    if (strides[d] <= 0 || starts[d] < 0 || starts[d] > limits[d] ||
        (!ShapedType::isDynamic(dim) && limits[d] > dim))
      return violation(location, name, 2, "dimension ", d, " of input ",
                       formatShape(input.getShape()), ": start ", starts[d],
                       ", limit ", limits[d], ", stride ", strides[d],
                       " must satisfy 0 <= start <= limit <= size, stride > 0");
    shape.push_back(llvm::divideCeil(limits[d] - starts[d], strides[d]));
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

bool SliceOp::keepsWholeDim(unsigned axis) {
  if (getStarts()[axis] != 0 || getStrides()[axis] != 1)
    return false;
  ArrayRef<int64_t> limits = getLimits();
  if (!ShapedType::isDynamic(limits[axis]))
    return limits[axis] == getInput().getType().getDimSize(axis);
  // A run-time limit may stop short of the input's end, unless it is the
  // input's own size along that axis.
  unsigned index =
      llvm::count_if(limits.take_front(axis), ShapedType::isDynamic);
  auto dim = getDynamicLimits()[index].getDefiningOp<tensor::DimOp>();
  return dim && dim.getSource() == getInput() &&
         getConstantIntValue(dim.getIndex()) ==
             std::optional<int64_t>(static_cast<int64_t>(axis));
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> starts = getStarts(), strides = getStrides();
  if (getInput().getType() == getType() &&
      llvm::all_of(llvm::seq<unsigned>(0, getType().getRank()),
                   [&](unsigned axis) { return keepsWholeDim(axis); }))
    return getInput();
  if (!getDynamicLimits().empty())
    return {};
  DenseElementsAttr source = getFoldableSource(adaptor.getInput(), getType());
  if (!source)
    return {};
  SmallVector<int64_t> sourceStrides =
      computeStrides(source.getType().getShape());
  SmallVector<int64_t> indices;
  forEachIndex(getType().getShape(), [&](int64_t, ArrayRef<int64_t> coords) {
    int64_t index = 0;
    for (size_t d = 0; d < coords.size(); ++d)
      index += (starts[d] + coords[d] * strides[d]) * sourceStrides[d];
    indices.push_back(index);
  });
  return pickElements(source, getType(), indices);
}

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto indices = dyn_cast<RankedTensorType>(adaptor.getIndices().getType());
  if (!input || !indices)
    return failure();
  int64_t axis = adaptor.getAxis(), rank = input.getRank();
  if (axis < 0 || axis >= rank)
    return violation(location, getOperationName(), 1, "axis ", axis,
                     " is out of range [0, ", rank, ") for input ",
                     formatShape(input.getShape()));
  SmallVector<int64_t> shape(input.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, input.getShape().drop_front(axis + 1));
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr source = getFoldableSource(adaptor.getInput(), getType());
  auto indexAttr = dyn_cast_if_present<DenseElementsAttr>(adaptor.getIndices());
  if (!source || !indexAttr)
    return {};
  int64_t axis = getAxis();
  ArrayRef<int64_t> sourceShape = source.getType().getShape();
  int64_t axisSize = sourceShape[axis];
  SmallVector<int64_t> positions;
  for (int64_t i = 0, e = indexAttr.getNumElements(); i < e; ++i) {
    int64_t position = getIntElement(indexAttr, i);
    if (position < 0)
      position += axisSize;
    if (position < 0 || position >= axisSize)
      return {}; // Undefined at run time; leave it alone.
    positions.push_back(position);
  }
  SmallVector<int64_t> sourceStrides = computeStrides(sourceShape);
  SmallVector<int64_t> indexStrides =
      computeStrides(indexAttr.getType().getShape());
  int64_t indexRank = indexAttr.getType().getRank();
  SmallVector<int64_t> indices;
  forEachIndex(getType().getShape(), [&](int64_t, ArrayRef<int64_t> coords) {
    ArrayRef<int64_t> outer = coords.take_front(axis);
    ArrayRef<int64_t> inner = coords.slice(axis, indexRank);
    ArrayRef<int64_t> rest = coords.drop_front(axis + indexRank);
    SmallVector<int64_t> sourceCoords(outer);
    sourceCoords.push_back(positions[linearize(inner, indexStrides)]);
    llvm::append_range(sourceCoords, rest);
    indices.push_back(linearize(sourceCoords, sourceStrides));
  });
  return pickElements(source, getType(), indices);
}

//===----------------------------------------------------------------------===//
// select
//===----------------------------------------------------------------------===//

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  StringRef name = getOperationName();
  int64_t axis = adaptor.getAxis(), index = adaptor.getIndex();
  int64_t rank = input.getRank();
  if (axis < 0 || axis >= rank)
    return violation(location, name, 1, "axis ", axis, " is out of range [0, ",
                     rank, ") for input ", formatShape(input.getShape()));
  int64_t size = input.getDimSize(axis);
  if (index < 0 || (!ShapedType::isDynamic(size) && index >= size))
    return violation(location, name, 2, "index ", index,
                     " is out of range for dimension ", axis, " of input ",
                     formatShape(input.getShape()));
  SmallVector<int64_t> shape(input.getShape());
  shape.erase(shape.begin() + axis);
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr source = getFoldableSource(adaptor.getInput(), getType());
  if (!source)
    return {};
  int64_t axis = getAxis();
  SmallVector<int64_t> sourceStrides =
      computeStrides(source.getType().getShape());
  SmallVector<int64_t> indices;
  forEachIndex(getType().getShape(), [&](int64_t, ArrayRef<int64_t> coords) {
    SmallVector<int64_t> sourceCoords(coords);
    sourceCoords.insert(sourceCoords.begin() + axis, getIndex());
    indices.push_back(linearize(sourceCoords, sourceStrides));
  });
  return pickElements(source, getType(), indices);
}

//===----------------------------------------------------------------------===//
// gather_elements
//===----------------------------------------------------------------------===//

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto indices = dyn_cast<RankedTensorType>(adaptor.getIndices().getType());
  if (!input || !indices)
    return failure();
  StringRef name = getOperationName();
  int64_t axis = adaptor.getAxis(), rank = input.getRank();
  if (axis < 0 || axis >= rank || indices.getRank() != rank)
    return violation(location, name, 1, "axis ", axis, " must be in [0, ",
                     rank, ") and indices ", formatShape(indices.getShape()),
                     " must have the rank of input ",
                     formatShape(input.getShape()));
  for (int64_t d = 0; d < rank; ++d) {
    int64_t i = indices.getDimSize(d), n = input.getDimSize(d);
    if (d != axis && !ShapedType::isDynamic(i) && !ShapedType::isDynamic(n) &&
        i > n)
      return violation(location, name, 2, "indices ",
                       formatShape(indices.getShape()),
                       " exceed input ", formatShape(input.getShape()),
                       " in dimension ", d);
  }
  inferred.push_back(indices.clone(input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// reverse
//===----------------------------------------------------------------------===//

LogicalResult ReverseOp::verify() {
  int64_t rank = getInput().getType().getRank();
  if (!isValidAxisList(getAxes(), rank))
    return emitViolation(*this, 1)
           << "axes " << formatShape(getAxes())
           << " must be non-empty, strictly increasing and within [0, "
           << rank << ")";
  return success();
}

OpFoldResult ReverseOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> shape = getType().getShape();
  // Reversing size-1 axes changes nothing.
  if (llvm::all_of(getAxes(), [&](int64_t a) { return shape[a] == 1; }))
    return getInput();
  DenseElementsAttr source = getFoldableSource(adaptor.getInput(), getType());
  if (!source)
    return {};
  SmallVector<int64_t> strides = computeStrides(shape);
  SmallVector<int64_t> indices;
  forEachIndex(shape, [&](int64_t, ArrayRef<int64_t> coords) {
    SmallVector<int64_t> from(coords);
    for (int64_t a : getAxes())
      from[a] = shape[a] - 1 - coords[a];
    indices.push_back(linearize(from, strides));
  });
  return pickElements(source, getType(), indices);
}

//===----------------------------------------------------------------------===//
// pad
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> location,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  StringRef name = getOperationName();
  ArrayRef<int64_t> low = adaptor.getLow(), high = adaptor.getHigh();
  int64_t rank = input.getRank();
  auto valid = [](int64_t p) { return p >= 0 && p <= (int64_t(1) << 32); };
  if (static_cast<int64_t>(low.size()) != rank ||
      static_cast<int64_t>(high.size()) != rank || !llvm::all_of(low, valid) ||
      !llvm::all_of(high, valid))
    return violation(location, name, 1, "low ", formatShape(low), " and high ",
                     formatShape(high), " need ", rank,
                     " non-negative entries (at most 2^32)");
  PadMode mode = adaptor.getMode();
  if (Value value = adaptor.getValue()) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != 0 ||
        type.getElementType() != input.getElementType() ||
        mode != PadMode::constant)
      return violation(location, name, 2, "value ", type,
                       " must be a scalar of ", input.getElementType(),
                       ", given only in constant mode");
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d);
    if (ShapedType::isDynamic(dim)) {
      shape.push_back(dim);
      continue;
    }
    bool padded = low[d] != 0 || high[d] != 0;
    bool fits = true;
    if (mode == PadMode::reflect)
      fits = !padded || (low[d] < dim && high[d] < dim);
    else if (mode != PadMode::constant)
      fits = !padded || dim > 0;
    if (!fits)
      return violation(location, name, 3, "dimension ", d, " of size ", dim,
                       " cannot be padded by ", low[d], " and ", high[d],
                       " in ", stringifyPadMode(mode), " mode");
    shape.push_back(dim + low[d] + high[d]);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getLow(), [](int64_t p) { return p == 0; }) &&
      llvm::all_of(getHigh(), [](int64_t p) { return p == 0; }))
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// scatter_nd
//===----------------------------------------------------------------------===//

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto indices = dyn_cast<RankedTensorType>(adaptor.getIndices().getType());
  auto updates = dyn_cast<RankedTensorType>(adaptor.getUpdates().getType());
  if (!input || !indices || !updates)
    return failure();
  StringRef name = getOperationName();
  int64_t rank = input.getRank();
  int64_t k =
      indices.getRank() > 0 ? indices.getShape().back() : ShapedType::kDynamic;
  if (indices.getRank() < 1 || ShapedType::isDynamic(k) || k < 1 || k > rank)
    return violation(location, name, 1, "indices ",
                     formatShape(indices.getShape()),
                     " must end in a static tuple size from 1 to ", rank);
  SmallVector<int64_t> expected(indices.getShape().drop_back());
  llvm::append_range(expected, input.getShape().drop_front(k));
  bool shapeMatches =
      updates.getRank() == static_cast<int64_t>(expected.size()) &&
      llvm::all_of(llvm::seq<size_t>(0, expected.size()), [&](size_t d) {
        int64_t a = updates.getDimSize(d), e = expected[d];
        return ShapedType::isDynamic(a) || ShapedType::isDynamic(e) || a == e;
      });
  if (!shapeMatches || updates.getElementType() != input.getElementType())
    return violation(location, name, 2, "updates ", updates, " must be ",
                     formatShape(expected), " of ", input.getElementType());
  ScatterReduction reduction = adaptor.getReduction();
  if (input.getElementType().isInteger(1) &&
      reduction != ScatterReduction::none)
    return violation(location, name, 3, stringifyScatterReduction(reduction),
                     " needs a numeric element type, got ",
                     input.getElementType());
  inferred.push_back(input);
  return success();
}
