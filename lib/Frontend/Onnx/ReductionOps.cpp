//===- ReductionOps.cpp - ONNX reductions, Softmax and LogSoftmax ---------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

/// The opset from which a reduction takes its axes as an input instead of
/// an attribute: 13 for ReduceSum, 18 for the others.
template <typename OpTy>
static constexpr int64_t axesInputSince() {
  return std::is_same_v<OpTy, ReduceSumOp> ? 13 : 18;
}

/// A reduction's operand, normalized sorted axes and keepdims; no axes with
/// noop_with_empty_axes means the input passes through (`passThrough`).
struct ReductionSpec {
  Value data;
  SmallVector<int64_t> axes;
  bool keepdims;
  bool passThrough = false;
};

/// Reads a reduction's axes, an attribute before `axesInputSince` and an
/// input from then on.
static std::optional<ReductionSpec> readReduction(NodeImporter &n,
                                                  int64_t axesInputSince) {
  if (failed(n.expectArity(1, 2, 1, 1)))
    return std::nullopt;
  bool keepdims = n.intAttr("keepdims", 1) != 0;
  bool axesAsInput = n.opset >= axesInputSince;
  bool noopWithEmptyAxes =
      axesAsInput && n.intAttr("noop_with_empty_axes", 0) != 0;
  SmallVector<int64_t> axes;
  if (!axesAsInput) {
    axes = n.intsAttr("axes", ArrayRef<int64_t>());
  } else if (n.hasInput(1)) {
    std::optional<SmallVector<int64_t>> given = n.requireConstantInts(1, "axes");
    if (!given)
      return std::nullopt;
    axes = *given;
  }
  if (n.failed())
    return std::nullopt;
  Value data = n.input(0);
  int64_t rank = NodeImporter::getType(data).getRank();
  if (axes.empty()) {
    if (noopWithEmptyAxes || rank == 0)
      return ReductionSpec{data, {}, keepdims, /*passThrough=*/true};
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  for (int64_t &axis : axes) {
    std::optional<int64_t> a = n.normalizeAxis(axis, rank);
    if (!a)
      return std::nullopt;
    axis = *a;
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) {
    n.emitError() << "axes repeat a dimension";
    return std::nullopt;
  }
  return ReductionSpec{data, axes, keepdims};
}

template <typename OpTy>
static LogicalResult convertReduce(NodeImporter &n) {
  std::optional<ReductionSpec> r = readReduction(n, axesInputSince<OpTy>());
  if (!r)
    return failure();
  n.setOutput(0, r->passThrough
                     ? r->data
                     : n.create<OpTy>(r->data, r->axes, r->keepdims));
  return n.finish();
}

/// Reductions composed from tfm ops; their axes became inputs in opset 18.
enum class Composite { SumSquare, L1, L2, LogSum, LogSumExp };

template <Composite kind>
static LogicalResult convertCompositeReduce(NodeImporter &n) {
  std::optional<ReductionSpec> r = readReduction(n, 18);
  if (!r)
    return failure();
  Value x = r->data;
  if (r->passThrough) {
    n.setOutput(0, x);
    return n.finish();
  }
  auto sum = [&](Value v) {
    return n.create<ReduceSumOp>(v, r->axes, r->keepdims);
  };
  Value y;
  switch (kind) {
  case Composite::SumSquare:
    y = sum(n.create<MulOp>(x, x));
    break;
  case Composite::L1:
    y = sum(n.create<AbsOp>(x));
    break;
  case Composite::L2:
    y = n.create<SqrtOp>(sum(n.create<MulOp>(x, x)));
    break;
  case Composite::LogSum:
    y = n.create<LogOp>(sum(x));
    break;
  case Composite::LogSumExp: {
    // log(sum(exp(x - m))) + m with m the maximum, so that exp cannot
    // overflow.
    Value m = n.create<ReduceMaxOp>(x, r->axes, /*keepdims=*/true);
    Value shifted = n.create<ExpOp>(n.create<SubOp>(x, m));
    Value logSum = n.create<LogOp>(sum(shifted));
    if (!logSum)
      return failure();
    if (!r->keepdims)
      m = n.reshape(m, NodeImporter::getType(logSum).getShape());
    y = n.create<AddOp>(logSum, m);
    break;
  }
  }
  n.setOutput(0, y);
  return n.finish();
}

namespace {
/// The input of Softmax, LogSoftmax or Hardmax as the rows they normalize:
/// since opset 13 the input itself along its one axis; before, the input
/// seen as a matrix [prod(dims[:axis]), prod(dims[axis:])] normalized along
/// its rows (no reshape when the axis is already the last one).
struct AxisRows {
  Value input;
  RankedTensorType type;
  Value rows;
  int64_t axis;

  /// The result computed on `rows` in the shape of the input.
  Value restore(NodeImporter &n, Value y) const {
    return rows == input ? y : n.reshape(y, type.getShape());
  }
};
} // namespace

static FailureOr<AxisRows> getAxisRows(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  bool coerced = n.opset < 13;
  int64_t axisAttr = n.intAttr("axis", coerced ? 1 : -1);
  if (n.failed())
    return failure();
  AxisRows r;
  r.input = n.input(0);
  r.type = NodeImporter::getType(r.input);
  int64_t rank = r.type.getRank();
  if (rank == 0)
    return n.emitError() << "input must have rank 1 or more";
  std::optional<int64_t> axis = n.normalizeAxis(axisAttr, rank);
  if (!axis)
    return failure();
  r.rows = r.input;
  r.axis = *axis;
  if (!coerced || *axis == rank - 1)
    return r;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < *axis ? outer : inner) *= r.type.getDimSize(d);
  r.rows = n.reshape(r.input, {outer, inner});
  if (!r.rows)
    return failure();
  r.axis = 1;
  return r;
}

/// Softmax and LogSoftmax along the rows of getAxisRows.
template <typename OpTy> static LogicalResult convertSoftmax(NodeImporter &n) {
  FailureOr<AxisRows> r = getAxisRows(n);
  if (failed(r))
    return failure();
  Value y =
      n.createTyped<OpTy>(NodeImporter::getType(r->rows), r->rows, r->axis);
  n.setOutput(0, r->restore(n, y));
  return n.finish();
}

/// ArgMax and ArgMin: one axis, keepdims (default 1), select_last_index
/// (opset 12 on, default 0).
template <typename OpTy>
static LogicalResult convertArgReduce(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  int64_t axisAttr = n.intAttr("axis", 0);
  bool keepdims = n.intAttr("keepdims", 1) != 0;
  bool last = n.opset >= 12 && n.intAttr("select_last_index", 0) != 0;
  if (n.failed())
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (type.getRank() == 0)
    return n.emitError() << "input must have rank 1 or more";
  std::optional<int64_t> axis = n.normalizeAxis(axisAttr, type.getRank());
  if (!axis)
    return failure();
  if (type.getDimSize(*axis) == 0)
    return n.emitError() << "axis " << axisAttr
                         << " has no elements to choose from";
  n.setOutput(0, n.create<OpTy>(x, *axis, keepdims, last));
  return n.finish();
}

/// Hardmax: 1 at the first maximum along the rows of getAxisRows, 0
/// elsewhere, as argmax compared with the positions along the axis.
static LogicalResult convertHardmax(NodeImporter &n) {
  FailureOr<AxisRows> r = getAxisRows(n);
  if (failed(r))
    return failure();
  if (r->type.getNumElements() == 0) {
    n.setOutput(0, r->input);
    return n.finish();
  }
  RankedTensorType rowsType = NodeImporter::getType(r->rows);
  Value iota = n.positionsAlong(rowsType.getRank(), r->axis,
                                rowsType.getDimSize(r->axis));
  Value best = n.create<ArgMaxOp>(r->rows, r->axis, /*keepdims=*/true,
                                  /*select_last_index=*/false);
  Value hit = n.create<CompareOp>(ComparisonPredicate::eq, iota, best);
  Value y = n.cast(hit, r->type.getElementType());
  n.setOutput(0, r->restore(n, y));
  return n.finish();
}

/// TopK with a constant K: K rounds, each taking the first position of the
/// largest (smallest) element not yet taken along the axis, its value
/// gathered from the input; the rounds' positions and values concatenated
/// along the axis, in order (sorted). A taken position is hidden behind the
/// type's lowest (highest) value, and among the positions that hold the
/// round's best value the first one not taken wins: equal values come out
/// lowest index first, as ONNX asks, even when they equal the hiding value.
static LogicalResult convertTopK(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 2, 2)))
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  int64_t axisAttr = n.intAttr("axis", -1);
  bool largest = n.intAttr("largest", 1) != 0;
  if (n.failed())
    return failure();
  std::optional<int64_t> axis = n.normalizeAxis(axisAttr, type.getRank());
  if (!axis)
    return failure();
  std::optional<SmallVector<int64_t>> k = n.requireConstantInts(1, "K");
  if (!k)
    return failure();
  int64_t size = type.getDimSize(*axis);
  if (k->size() != 1 || (*k)[0] < 0 ||
      (!ShapedType::isDynamic(size) && (*k)[0] > size))
    return n.emitError() << "K " << formatShape(*k)
                         << " must be one number from 0 to the axis' size "
                         << size;
  if (ShapedType::isDynamic(size))
    return n.emitError() << "TopK needs a static size along axis " << *axis
                         << ", got " << type;
  int64_t count = (*k)[0];
  if (count > 256)
    return n.emitError() << "K " << count << " is more than 256, the most "
                         << "TopK imports (one pass over the axis each)";
  Type elementType = type.getElementType();
  auto scalarType = RankedTensorType::get({}, elementType);
  Attribute hideValue;
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    hideValue = n.b.getFloatAttr(
        floatType, APFloat::getInf(floatType.getFloatSemantics(), largest));
  } else if (auto intType = dyn_cast<IntegerType>(elementType);
             intType && intType.getWidth() > 1) {
    unsigned width = intType.getWidth();
    bool isUnsigned = intType.isUnsigned();
    APInt value = largest ? (isUnsigned ? APInt::getMinValue(width)
                                        : APInt::getSignedMinValue(width))
                          : (isUnsigned ? APInt::getMaxValue(width)
                                        : APInt::getSignedMaxValue(width));
    hideValue = n.b.getIntegerAttr(intType, value);
  } else {
    return n.emitError() << "TopK of " << type << " is not supported";
  }
  Value hidden =
      n.constant(DenseElementsAttr::get(scalarType, ArrayRef{hideValue}));
  Value positions = n.positionsAlong(type.getRank(), *axis, size);
  SmallVector<int64_t> takenShape(type.getShape());
  Value taken =
      n.splat(RankedTensorType::get(takenShape, n.b.getI1Type()), 0.0);
  SmallVector<int64_t> axes{*axis};
  SmallVector<Value> indices, values;
  for (int64_t round = 0; round < count && !n.failed(); ++round) {
    Value masked = n.create<WhereOp>(taken, hidden, x);
    Value best = largest ? n.create<ReduceMaxOp>(masked, axes, true)
                         : n.create<ReduceMinOp>(masked, axes, true);
    Value candidate = n.create<AndOp>(
        n.create<CompareOp>(ComparisonPredicate::eq, masked, best),
        n.create<NotOp>(taken));
    Value index = n.create<ArgMaxOp>(n.cast(candidate, n.b.getI32Type()), *axis,
                                     /*keepdims=*/true,
                                     /*select_last_index=*/false);
    indices.push_back(index);
    values.push_back(n.create<GatherElementsOp>(x, index, *axis));
    taken = n.create<OrOp>(
        taken, n.create<CompareOp>(ComparisonPredicate::eq, positions, index));
  }
  if (n.failed())
    return failure();
  if (count == 0) {
    SmallVector<int64_t> emptyShape(type.getShape());
    emptyShape[*axis] = 0;
    n.setOutput(0,
                n.splat(RankedTensorType::get(emptyShape, elementType), 0.0));
    n.setOutput(
        1, n.splat(RankedTensorType::get(emptyShape, n.b.getI64Type()), 0.0));
    return n.finish();
  }
  n.setOutput(0, values.size() == 1 ? values.front()
                                    : n.create<ConcatOp>(values, *axis));
  n.setOutput(1, indices.size() == 1 ? indices.front()
                                     : n.create<ConcatOp>(indices, *axis));
  return n.finish();
}

/// GlobalAveragePool and GlobalMaxPool: the reduction over every spatial
/// axis of an N x C x D1 x ... x Dn input, kept as size-1 axes.
template <typename OpTy>
static LogicalResult convertGlobalPool(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  Value x = n.input(0);
  int64_t rank = NodeImporter::getType(x).getRank();
  if (rank < 3)
    return n.emitError() << "input must have rank 3 or more (N x C x D1 "
                            "...), not "
                         << rank;
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  n.setOutput(0, n.create<OpTy>(x, axes, /*keepdims=*/true));
  return n.finish();
}

/// MaxPool and AveragePool over N x C x spatial: kernel_shape, strides,
/// pads or auto_pad, dilations (MaxPool 10, AveragePool 19), ceil_mode
/// (10) and count_include_pad (AveragePool).
/// MaxPool's Indices: for every window offset in scan order, the strided
/// slice of the input padded with -inf and the flat input position it
/// reads (over [N, C, spatial], the spatial part row-major, or column-major
/// with storage_order 1); a later offset wins only with a larger value, so
/// ties keep the first.
static Value buildPoolIndices(NodeImporter &n, Value x,
                              ArrayRef<int64_t> kernel,
                              const WindowAttrs &window,
                              ArrayRef<int64_t> outShape, bool columnMajor) {
  RankedTensorType type = NodeImporter::getType(x);
  int64_t d = kernel.size(), rank = type.getRank();
  ArrayRef<int64_t> spatial = type.getShape().drop_front(2);
  // Padded enough for every window, ceil mode's partial ones included.
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (int64_t i = 0; i < d; ++i) {
    low[2 + i] = window.pads[i];
    int64_t reach = (outShape[2 + i] - 1) * window.strides[i] +
                    (kernel[i] - 1) * window.dilations[i] + 1;
    high[2 + i] = std::max<int64_t>(0, reach - spatial[i] - window.pads[i]);
  }
  Type f = type.getElementType();
  Value padded = n.create<PadOp>(x, MaybeValue{n.scalar(f, -INFINITY)}, low,
                                 high, PadMode::constant);
  // The [N, C] part of the flat positions.
  int64_t plane = 1;
  for (int64_t size : spatial)
    plane *= size;
  SmallVector<int64_t> bases;
  for (int64_t nc = 0; nc < type.getDimSize(0) * type.getDimSize(1); ++nc)
    bases.push_back(nc * plane);
  SmallVector<int64_t> baseShape{type.getDimSize(0), type.getDimSize(1)};
  baseShape.append(d, 1);
  Value base = n.reshape(n.int64s(bases), baseShape);
  // Spatial strides of the flat position.
  SmallVector<int64_t> strides(d, 1);
  if (columnMajor)
    for (int64_t i = 1; i < d; ++i)
      strides[i] = strides[i - 1] * spatial[i - 1];
  else
    for (int64_t i = d - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * spatial[i + 1];
  Value best, index;
  SmallVector<int64_t> offset(d, 0);
  while (true) {
    SmallVector<int64_t> starts(rank, 0), steps(rank, 1);
    SmallVector<int64_t> limits(NodeImporter::getType(padded).getShape());
    SmallVector<int64_t> spatialOut(outShape.drop_front(2));
    for (int64_t i = 0; i < d; ++i) {
      starts[2 + i] = offset[i] * window.dilations[i];
      steps[2 + i] = window.strides[i];
      limits[2 + i] = starts[2 + i] + (spatialOut[i] - 1) * steps[2 + i] + 1;
    }
    Value values =
        n.create<SliceOp>(padded, starts, limits, steps, ValueRange());
    // The input position each output reads at this offset.
    SmallVector<int64_t> positions;
    int64_t count = 1;
    for (int64_t size : spatialOut)
      count *= size;
    for (int64_t flat = 0; flat < count; ++flat) {
      int64_t rest = flat, position = 0;
      for (int64_t i = d - 1; i >= 0; --i) {
        int64_t o = rest % spatialOut[i];
        rest /= spatialOut[i];
        int64_t p = o * window.strides[i] + offset[i] * window.dilations[i] -
                    window.pads[i];
        position += std::clamp<int64_t>(p, 0, spatial[i] - 1) * strides[i];
      }
      positions.push_back(position);
    }
    SmallVector<int64_t> positionShape{1, 1};
    positionShape.append(spatialOut);
    Value candidate =
        n.create<AddOp>(base, n.reshape(n.int64s(positions), positionShape));
    if (!best) {
      best = values;
      index = candidate;
    } else {
      Value better = n.create<CompareOp>(ComparisonPredicate::gt, values, best);
      best = n.create<WhereOp>(better, values, best);
      index = n.create<WhereOp>(better, candidate, index);
    }
    if (n.failed())
      return Value();
    int64_t i = d - 1;
    while (i >= 0 && ++offset[i] == kernel[i])
      offset[i--] = 0;
    if (i < 0)
      break;
  }
  return index;
}

template <bool IsMax> static LogicalResult convertPool(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, IsMax ? 2 : 1)))
    return failure();
  bool columnMajor = IsMax && n.intAttr("storage_order", 0) != 0;
  SmallVector<int64_t> kernel = n.intsAttr("kernel_shape", std::nullopt);
  bool ceilMode = n.intAttr("ceil_mode", 0) != 0;
  bool includePad = !IsMax && n.intAttr("count_include_pad", 0) != 0;
  if (n.failed())
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (type.getRank() < 3)
    return n.emitError() << "input must have rank 3 or more (N x C x D1 "
                            "...), got "
                         << type;
  ArrayRef<int64_t> spatial = type.getShape().drop_front(2);
  if (kernel.size() != spatial.size())
    return n.emitError() << "kernel_shape " << formatShape(kernel) << " needs "
                         << spatial.size() << " entries, one per spatial axis";
  FailureOr<WindowAttrs> window = getWindowAttrs(n, spatial, kernel);
  if (failed(window))
    return failure();
  if constexpr (IsMax) {
    Value y = n.create<MaxPoolOp>(x, kernel, window->strides, window->pads,
                                  window->dilations, ceilMode);
    n.setOutput(0, y);
    if (n.hasOutput(1) && y) {
      int64_t windowSize = 1;
      for (int64_t k : kernel)
        windowSize *= k;
      if (!type.hasStaticShape() || !isa<FloatType>(type.getElementType()) ||
          windowSize > 1024)
        return n.emitError() << "output #1 (Indices) is not supported for "
                             << type << " and windows of " << windowSize
                             << " elements (static float inputs, windows "
                             << "up to 1024)";
      n.setOutput(1, buildPoolIndices(n, x, kernel, *window,
                                      NodeImporter::getType(y).getShape(),
                                      columnMajor));
    }
  } else {
    n.setOutput(0,
                n.create<AvgPoolOp>(x, kernel, window->strides, window->pads,
                                    window->dilations, ceilMode, includePad));
  }
  return n.finish();
}

/// CumSum(x, axis): the axis a constant input; exclusive and reverse.
static LogicalResult convertCumSum(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  bool exclusive = n.intAttr("exclusive", 0) != 0;
  bool reverse = n.intAttr("reverse", 0) != 0;
  if (n.failed())
    return failure();
  Value x = n.input(0);
  int64_t rank = NodeImporter::getType(x).getRank();
  if (rank == 0)
    return n.emitError() << "input must have rank 1 or more";
  if (!n.constantInput(1)) {
    // An axis computed at run time: the sum along each axis, the one it
    // names selected (an axis outside [-rank, rank) selects none: zeros).
    Value axisValue = n.input(1);
    RankedTensorType axisType = NodeImporter::getType(axisValue);
    if (axisType.getNumElements() != 1 || axisType.getRank() > 1 ||
        !isa<IntegerType>(axisType.getElementType()))
      return n.emitError() << "axis must be one integer, got " << axisType;
    axisValue = n.reshape(axisValue, {});
    Type indexType = axisType.getElementType();
    Value result = n.splat(NodeImporter::getType(x), 0.0);
    for (int64_t d = 0; d < rank; ++d) {
      Value named = n.create<OrOp>(
          n.create<CompareOp>(ComparisonPredicate::eq, axisValue,
                              n.scalar(indexType, static_cast<double>(d))),
          n.create<CompareOp>(
              ComparisonPredicate::eq, axisValue,
              n.scalar(indexType, static_cast<double>(d - rank))));
      result = n.create<WhereOp>(
          named, n.create<CumsumOp>(x, d, exclusive, reverse), result);
    }
    n.setOutput(0, result);
    return n.finish();
  }
  std::optional<double> axisValue = n.requireConstantScalar(1, "axis");
  if (!axisValue)
    return failure();
  std::optional<int64_t> axis =
      n.normalizeAxis(static_cast<int64_t>(*axisValue), rank);
  if (!axis)
    return failure();
  n.setOutput(0, n.create<CumsumOp>(x, *axis, exclusive, reverse));
  return n.finish();
}

void mlir::tfm::onnx_import::populateReductionConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "ReduceSum", 1, convertReduce<ReduceSumOp>);
  r.add(onnx, "ReduceMean", 1, convertReduce<ReduceMeanOp>);
  r.add(onnx, "ReduceMax", 1, convertReduce<ReduceMaxOp>);
  r.add(onnx, "ReduceProd", 1, convertReduce<ReduceProdOp>);
  r.add(onnx, "ReduceMin", 1, convertReduce<ReduceMinOp>);
  r.add(onnx, "ArgMax", 1, convertArgReduce<ArgMaxOp>);
  r.add(onnx, "ArgMin", 1, convertArgReduce<ArgMinOp>);
  r.add(onnx, "Hardmax", 1, convertHardmax);
  r.add(onnx, "TopK", 10, convertTopK);
  r.add(onnx, "ReduceSumSquare", 1,
        convertCompositeReduce<Composite::SumSquare>);
  r.add(onnx, "ReduceL1", 1, convertCompositeReduce<Composite::L1>);
  r.add(onnx, "ReduceL2", 1, convertCompositeReduce<Composite::L2>);
  r.add(onnx, "ReduceLogSum", 1, convertCompositeReduce<Composite::LogSum>);
  r.add(onnx, "ReduceLogSumExp", 1,
        convertCompositeReduce<Composite::LogSumExp>);
  r.add(onnx, "MaxPool", 1, convertPool</*IsMax=*/true>);
  r.add(onnx, "AveragePool", 1, convertPool</*IsMax=*/false>);
  r.add(onnx, "GlobalAveragePool", 1, convertGlobalPool<ReduceMeanOp>);
  r.add(onnx, "GlobalMaxPool", 1, convertGlobalPool<ReduceMaxOp>);
  r.add(onnx, "CumSum", 11, convertCumSum);
  r.add(onnx, "Softmax", 1, convertSoftmax<SoftmaxOp>);
  r.add(onnx, "LogSoftmax", 1, convertSoftmax<LogSoftmaxOp>);
}
