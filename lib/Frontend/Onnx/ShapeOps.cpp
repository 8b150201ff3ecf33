//===- ShapeOps.cpp - ONNX data movement ops ------------------------------===//
//
// Reshape, Flatten, Squeeze, Unsqueeze, Concat, Split, Slice, Gather,
// GatherElements, Expand, Tile and Transpose. Shape operands must be
// constants by the time they are used (input shapes are fixed first).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "llvm/Support/FormatVariadic.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

static LogicalResult convertReshape(NodeImporter &n) {
  // Reshape-1 takes the shape as an attribute, later versions as an input.
  bool attributeForm = n.opset < 5;
  if (failed(n.expectArity(attributeForm ? 1 : 2, attributeForm ? 1 : 2, 1, 1)))
    return failure();
  bool allowZero = n.opset >= 14 && n.intAttr("allowzero", 0) != 0;
  std::optional<SmallVector<int64_t>> spec;
  if (attributeForm)
    spec = n.intsAttr("shape", std::nullopt);
  else
    spec = n.requireConstantInts(1, "shape");
  if (!spec || n.failed())
    return failure();
  Value data = n.input(0);
  RankedTensorType type = NodeImporter::getType(data);
  SmallVector<int64_t> shape;
  std::optional<size_t> inferred;
  int64_t known = 1;
  for (auto [i, dim] : llvm::enumerate(*spec)) {
    if (dim == 0 && !allowZero) {
      if (i >= static_cast<size_t>(type.getRank()))
        return n.emitError() << "shape entry " << i
                             << " is 0 (copy the input dimension), but the "
                                "input has rank "
                             << type.getRank();
      dim = type.getDimSize(i);
    } else if (dim == -1) {
      if (inferred)
        return n.emitError() << "shape has more than one -1";
      inferred = i;
      shape.push_back(1);
      continue;
    } else if (dim < 0) {
      return n.emitError() << "shape entry " << i << " is " << dim;
    }
    shape.push_back(dim);
    if (llvm::MulOverflow(known, dim, known))
      return n.emitError() << "shape " << formatShape(*spec)
                           << " has more elements than a 64-bit count holds";
  }
  if (inferred) {
    if (known == 0 || type.getNumElements() % known != 0)
      return n.emitError() << "cannot reshape " << type.getNumElements()
                           << " elements with a -1 dimension into "
                           << formatShape(*spec);
    shape[*inferred] = type.getNumElements() / known;
  }
  n.setOutput(0, n.reshape(data, shape));
  return n.finish();
}

static LogicalResult convertFlatten(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  Value data = n.input(0);
  RankedTensorType type = NodeImporter::getType(data);
  int64_t rank = type.getRank();
  int64_t axis = n.intAttr("axis", 1);
  if (n.failed())
    return failure();
  if (axis < -rank || axis > rank)
    return n.emitError() << "axis " << axis << " is out of range [" << -rank
                         << ", " << rank << "]";
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= type.getDimSize(d);
  n.setOutput(0, n.reshape(data, {outer, inner}));
  return n.finish();
}

/// The axes of Squeeze and Unsqueeze: an attribute before opset 13, an
/// input since.
static std::optional<SmallVector<int64_t>> getAxes(NodeImporter &n,
                                                   bool required) {
  if (n.opset < 13) {
    if (!n.hasAttr("axes") && !required)
      return SmallVector<int64_t>();
    SmallVector<int64_t> axes = n.intsAttr("axes", std::nullopt);
    if (n.failed())
      return std::nullopt;
    return axes;
  }
  if (!n.hasInput(1)) {
    if (required) {
      n.emitError() << "input #1 (axes) is required";
      return std::nullopt;
    }
    return SmallVector<int64_t>();
  }
  return n.requireConstantInts(1, "axes");
}

static LogicalResult convertSqueeze(NodeImporter &n) {
  if (failed(n.expectArity(1, 2, 1, 1)))
    return failure();
  std::optional<SmallVector<int64_t>> axes = getAxes(n, /*required=*/false);
  if (!axes)
    return failure();
  Value data = n.input(0);
  RankedTensorType type = NodeImporter::getType(data);
  int64_t rank = type.getRank();
  llvm::SmallBitVector drop(rank);
  if (axes->empty()) {
    for (int64_t d = 0; d < rank; ++d)
      drop[d] = type.getDimSize(d) == 1;
  }
  for (int64_t axis : *axes) {
    std::optional<int64_t> a = n.normalizeAxis(axis, rank);
    if (!a)
      return failure();
    if (type.getDimSize(*a) != 1)
      return n.emitError() << "cannot squeeze dimension " << *a << " of "
                           << type << ": its size is not 1";
    drop[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shape.push_back(type.getDimSize(d));
  n.setOutput(0, n.reshape(data, shape));
  return n.finish();
}

static LogicalResult convertUnsqueeze(NodeImporter &n) {
  if (failed(n.expectArity(1, 2, 1, 1)))
    return failure();
  std::optional<SmallVector<int64_t>> axes = getAxes(n, /*required=*/true);
  if (!axes)
    return failure();
  Value data = n.input(0);
  RankedTensorType type = NodeImporter::getType(data);
  int64_t rank = type.getRank() + axes->size();
  llvm::SmallBitVector inserted(rank);
  for (int64_t axis : *axes) {
    std::optional<int64_t> a = n.normalizeAxis(axis, rank);
    if (!a)
      return failure();
    if (inserted[*a])
      return n.emitError() << "axis " << axis << " is repeated";
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> dims = type.getShape();
  for (int64_t d = 0; d < rank; ++d) {
    if (inserted[d]) {
      shape.push_back(1);
    } else {
      shape.push_back(dims.front());
      dims = dims.drop_front();
    }
  }
  n.setOutput(0, n.reshape(data, shape));
  return n.finish();
}

static LogicalResult convertConcat(NodeImporter &n) {
  if (failed(n.expectArity(1, -1, 1, 1)))
    return failure();
  int64_t axis = n.intAttr("axis", std::nullopt);
  if (n.failed())
    return failure();
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < n.numInputs(); ++i)
    if (n.hasInput(i))
      inputs.push_back(n.input(i));
  std::optional<int64_t> a =
      n.normalizeAxis(axis, NodeImporter::getType(inputs.front()).getRank());
  if (!a)
    return failure();
  n.setOutput(0, n.create<ConcatOp>(inputs, *a));
  return n.finish();
}

static LogicalResult convertSplit(NodeImporter &n) {
  if (failed(n.expectArity(1, 2, 1, -1)))
    return failure();
  Value data = n.input(0);
  RankedTensorType type = NodeImporter::getType(data);
  int64_t axisAttr = n.intAttr("axis", 0);
  if (n.failed())
    return failure();
  std::optional<int64_t> axis = n.normalizeAxis(axisAttr, type.getRank());
  if (!axis)
    return failure();
  int64_t size = type.getDimSize(*axis);
  unsigned outputs = n.numOutputs();

  SmallVector<int64_t> sizes;
  if (n.opset < 13 && n.hasAttr("split")) {
    sizes = n.intsAttr("split", std::nullopt);
  } else if ((n.opset >= 13 || n.opset < 2) && n.hasInput(1)) {
    // Split-1 also took the sizes as a second input.
    std::optional<SmallVector<int64_t>> given =
        n.requireConstantInts(1, "split");
    if (!given)
      return failure();
    sizes = *given;
  } else {
    // Equal pieces; since opset 18 num_outputs allows smaller last pieces:
    // ceil(size / count) each while the axis lasts, as ONNX's reference
    // does (4 into 3 is 2, 2, 0; ONNX Runtime 1.30 rejects that model), and
    // empty pieces after the axis ends (5 into 4 is 2, 2, 1, 0) where the
    // reference fails.
    int64_t count = outputs;
    if (n.opset >= 18 && n.hasAttr("num_outputs"))
      count = n.intAttr("num_outputs", std::nullopt);
    if (n.failed())
      return failure();
    if (count <= 0)
      return n.emitError() << "cannot split into " << count << " pieces";
    if (count != static_cast<int64_t>(outputs))
      return n.emitError() << "splits into " << count << " pieces but has "
                           << outputs << " outputs";
    bool uneven = n.opset >= 18 && n.hasAttr("num_outputs");
    if (!uneven && size % count != 0)
      return n.emitError() << "cannot split dimension " << *axis << " of "
                           << type << " into " << count << " equal pieces";
    int64_t piece = uneven ? llvm::divideCeil(size, count) : size / count;
    for (int64_t i = 0, left = size; i < count; ++i, left -= piece)
      sizes.push_back(std::clamp<int64_t>(left, 0, piece));
  }
  if (n.failed())
    return failure();
  if (sizes.size() != outputs)
    return n.emitError() << "splits into " << sizes.size() << " pieces but has "
                         << outputs << " outputs";
  SmallVector<Type> types;
  for (int64_t s : sizes) {
    if (s < 0)
      return n.emitError() << "split size " << s << " is negative";
    SmallVector<int64_t> shape(type.getShape());
    shape[*axis] = s;
    types.push_back(type.clone(shape));
  }
  auto op = SplitOp::create(n.b, n.loc, types, data, *axis);
  SmallVector<Value> results = n.finishResults(op);
  for (auto [i, result] : llvm::enumerate(results))
    n.setOutput(i, result);
  return n.finish();
}

/// Slice: starts, ends, axes and steps as constant inputs (opset 10 on),
/// or starts, ends and axes as attributes (Slice-1, unit steps).
static LogicalResult convertSlice(NodeImporter &n) {
  bool asInputs = n.opset >= 10;
  if (failed(asInputs ? n.expectArity(3, 5, 1, 1) : n.expectArity(1, 1, 1, 1)))
    return failure();
  Value data = n.input(0);
  RankedTensorType type = NodeImporter::getType(data);
  int64_t rank = type.getRank();
  std::optional<SmallVector<int64_t>> starts, ends;
  if (asInputs) {
    starts = n.requireConstantInts(1, "starts");
    ends = n.requireConstantInts(2, "ends");
  } else {
    starts = n.intsAttr("starts", std::nullopt);
    ends = n.intsAttr("ends", std::nullopt);
    if (n.failed())
      return failure();
  }
  if (!starts || !ends)
    return failure();
  SmallVector<int64_t> axes, steps(starts->size(), 1);
  if (!asInputs && n.hasAttr("axes")) {
    axes = n.intsAttr("axes", std::nullopt);
    if (n.failed())
      return failure();
  } else if (n.hasInput(3)) {
    std::optional<SmallVector<int64_t>> given = n.requireConstantInts(3, "axes");
    if (!given)
      return failure();
    axes = *given;
  } else {
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(i);
  }
  if (n.hasInput(4)) {
    std::optional<SmallVector<int64_t>> given = n.requireConstantInts(4, "steps");
    if (!given)
      return failure();
    steps = *given;
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return n.emitError() << "starts, ends, axes and steps have "
                         << starts->size() << ", " << ends->size() << ", "
                         << axes.size() << " and " << steps.size()
                         << " entries";

  SmallVector<int64_t> begin(rank, 0), limit(type.getShape()),
      stride(rank, 1);
  SmallVector<int64_t> reversed;
  llvm::SmallBitVector seen(rank);
  for (size_t i = 0; i < axes.size(); ++i) {
    std::optional<int64_t> axis = n.normalizeAxis(axes[i], rank);
    if (!axis)
      return failure();
    if (seen[*axis])
      return n.emitError() << "axis " << *axis << " is sliced twice";
    seen[*axis] = true;
    int64_t dim = type.getDimSize(*axis);
    int64_t start = (*starts)[i], end = (*ends)[i], step = steps[i];
    if (step == 0)
      return n.emitError() << "step of axis " << *axis << " is 0";
    // ONNX clamps like Python: negative indices count from the end.
    if (start < 0)
      start += dim;
    if (end < 0)
      end += dim;
    // Counts in unsigned arithmetic: a step of INT64_MIN has no negation,
    // and a step near INT64_MAX would overflow a rounded-up division.
    int64_t count;
    uint64_t magnitude = step > 0 ? static_cast<uint64_t>(step)
                                  : 0 - static_cast<uint64_t>(step);
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      count = end <= start ? 0 : 1 + (end - start - 1) / magnitude;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      count = start <= end ? 0 : 1 + (start - end - 1) / magnitude;
      // Read the reversed axis forwards: position p there is dim - 1 - p.
      reversed.push_back(*axis);
      start = dim - 1 - start;
    }
    // Two or more elements are at most dim apart, so the stride fits.
    step = count <= 1 ? 1 : static_cast<int64_t>(magnitude);
    begin[*axis] = count == 0 ? 0 : start;
    stride[*axis] = step;
    limit[*axis] = count == 0 ? 0 : start + (count - 1) * step + 1;
  }
  llvm::sort(reversed);
  Value source = data;
  if (!reversed.empty())
    source = n.create<ReverseOp>(data, reversed);
  n.setOutput(0, n.create<SliceOp>(source, begin, limit, stride, ValueRange()));
  return n.finish();
}

/// Gather and GatherElements: the same operands and axis, different ops.
template <typename OpTy>
static LogicalResult convertGather(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  Value data = n.input(0);
  int64_t axisAttr = n.intAttr("axis", 0);
  if (n.failed())
    return failure();
  std::optional<int64_t> axis =
      n.normalizeAxis(axisAttr, NodeImporter::getType(data).getRank());
  if (!axis)
    return failure();
  if (failed(n.checkConstantIndices(
          n.input(1), NodeImporter::getType(data).getDimSize(*axis), "index")))
    return failure();
  n.setOutput(0, n.create<OpTy>(data, n.input(1), *axis));
  return n.finish();
}

/// GatherND as a Gather along the first axis of the data with its leading
/// dimensions flattened: the last axis of `indices` holds k coordinates
/// into data's dimensions b .. b + k - 1 (after `batch_dims` = b shared
/// leading dimensions); each tuple, negative coordinates counted from the
/// end, linearizes with those dimensions' strides, plus its batch's offset.
/// The gathered rows are the slices of the remaining dimensions.
static LogicalResult convertGatherND(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  int64_t batchDims = n.intAttr("batch_dims", 0);
  if (n.failed())
    return failure();
  Value data = n.input(0), indices = n.input(1);
  RankedTensorType dataType = NodeImporter::getType(data);
  RankedTensorType indicesType = NodeImporter::getType(indices);
  if (!dataType.hasStaticShape() || !indicesType.hasStaticShape())
    return n.emitError() << "data and indices must have static shapes, got "
                         << dataType << " and " << indicesType;
  ArrayRef<int64_t> dims = dataType.getShape();
  ArrayRef<int64_t> indexDims = indicesType.getShape();
  int64_t rank = dims.size(), indexRank = indexDims.size();
  if (indexRank < 1)
    return n.emitError() << "indices must have rank 1 or more";
  int64_t k = indexDims.back();
  if (batchDims < 0 || batchDims >= std::min(rank, indexRank))
    return n.emitError() << "batch_dims " << batchDims
                         << " must be in [0, min(rank(data), rank(indices)))";
  if (k < 1 || batchDims + k > rank)
    return n.emitError() << "index tuples of " << k << " coordinates do not "
                         << "fit data of rank " << rank << " after "
                         << batchDims << " batch dimensions";
  for (int64_t d = 0; d < batchDims; ++d)
    if (dims[d] != indexDims[d])
      return n.emitError() << "batch dimension " << d << " is " << dims[d]
                           << " in data and " << indexDims[d] << " in indices";
  Type indexType = indicesType.getElementType();
  // Coordinates, negatives counted from the end of their dimension.
  SmallVector<int64_t> sizes(dims.begin() + batchDims,
                             dims.begin() + batchDims + k);
  Value sizesValue = n.int64s(sizes);
  Value zero = n.scalar(indexType, 0.0);
  Value coords = n.create<WhereOp>(
      n.create<CompareOp>(ComparisonPredicate::lt, indices, zero),
      n.create<AddOp>(indices, sizesValue), indices);
  // Row-major strides of those dimensions; a batch adds its rows' count.
  SmallVector<int64_t> strides(k, 1);
  for (int64_t j = k - 2; j >= 0; --j)
    strides[j] = strides[j + 1] * sizes[j + 1];
  int64_t rowsPerBatch = strides[0] * sizes[0];
  Value flat = n.create<ReduceSumOp>(n.create<MulOp>(coords, n.int64s(strides)),
                                     SmallVector<int64_t>{indexRank - 1},
                                     /*keepdims=*/false);
  int64_t batches = 1;
  for (int64_t d = 0; d < batchDims; ++d)
    batches *= dims[d];
  if (batchDims > 0) {
    SmallVector<int64_t> offsets;
    for (int64_t b = 0; b < batches; ++b)
      offsets.push_back(b * rowsPerBatch);
    SmallVector<int64_t> offsetShape(indexDims.begin(),
                                     indexDims.begin() + batchDims);
    offsetShape.append(indexRank - 1 - batchDims, 1);
    flat = n.create<AddOp>(flat, n.reshape(n.int64s(offsets), offsetShape));
  }
  SmallVector<int64_t> rowsShape{batches * rowsPerBatch};
  rowsShape.append(dims.begin() + batchDims + k, dims.end());
  Value rows = n.reshape(data, rowsShape);
  n.setOutput(0, n.create<GatherOp>(rows, flat, int64_t(0)));
  return n.finish();
}

/// The `reduction` attribute of ScatterND and ScatterElements (from opset
/// 16; max and min from 18).
static std::optional<ScatterReduction> scatterReduction(NodeImporter &n) {
  std::string name = n.stringAttr("reduction", StringRef("none"));
  if (n.failed())
    return std::nullopt;
  std::optional<ScatterReduction> reduction = symbolizeScatterReduction(name);
  if (!reduction)
    n.emitError() << "reduction '" << name
                  << "' is not one of none, add, mul, max, min";
  return reduction;
}

/// ScatterND: tfm.scatter_nd.
static LogicalResult convertScatterND(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  std::optional<ScatterReduction> reduction = scatterReduction(n);
  if (!reduction)
    return failure();
  n.setOutput(
      0, n.create<ScatterNDOp>(n.input(0), n.input(1), n.input(2), *reduction));
  return n.finish();
}

/// ScatterElements (and Scatter-9, its former name): a tfm.scatter_nd with
/// one tuple per element of `indices`, its own position with the index
/// along `axis` in place of that coordinate.
static LogicalResult convertScatterElements(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  std::optional<ScatterReduction> reduction = scatterReduction(n);
  int64_t axisAttr = n.intAttr("axis", 0);
  if (!reduction || n.failed())
    return failure();
  Value data = n.input(0), indices = n.input(1), updates = n.input(2);
  RankedTensorType dataType = NodeImporter::getType(data);
  RankedTensorType indicesType = NodeImporter::getType(indices);
  int64_t rank = dataType.getRank();
  std::optional<int64_t> axis = n.normalizeAxis(axisAttr, rank);
  if (!axis)
    return failure();
  if (!indicesType.hasStaticShape() || indicesType.getRank() != rank ||
      NodeImporter::getType(updates).getShape() != indicesType.getShape())
    return n.emitError() << "indices " << indicesType << " and updates "
                         << NodeImporter::getType(updates)
                         << " must have one static shape of the rank of data";
  ArrayRef<int64_t> shape = indicesType.getShape();
  SmallVector<int64_t> column(shape);
  column.push_back(1);
  SmallVector<Value> coordinates;
  for (int64_t d = 0; d < rank; ++d) {
    Value coordinate =
        d == *axis ? n.cast(indices, n.b.getI64Type())
                   : n.expand(n.positionsAlong(rank, d, shape[d]), shape);
    coordinates.push_back(n.reshape(coordinate, column));
  }
  Value tuples =
      rank == 1 ? coordinates.front() : n.create<ConcatOp>(coordinates, rank);
  n.setOutput(0, n.create<ScatterNDOp>(data, tuples, updates, *reduction));
  return n.finish();
}

/// ReverseSequence: a GatherElements along the time axis whose index at
/// time t of batch b is lens[b] - 1 - t below lens[b], else t (the padding
/// keeps its place).
static LogicalResult convertReverseSequence(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  int64_t timeAttr = n.intAttr("time_axis", 0);
  int64_t batchAttr = n.intAttr("batch_axis", 1);
  if (n.failed())
    return failure();
  Value x = n.input(0), lengths = n.input(1);
  RankedTensorType type = NodeImporter::getType(x);
  int64_t rank = type.getRank();
  if (rank < 2 || !type.hasStaticShape())
    return n.emitError() << "input " << type
                         << " must have a static shape of rank 2 or more";
  if (!((timeAttr == 0 && batchAttr == 1) || (timeAttr == 1 && batchAttr == 0)))
    return n.emitError() << "time_axis " << timeAttr << " and batch_axis "
                         << batchAttr << " must be 0 and 1, in either order";
  int64_t time = timeAttr, batch = batchAttr;
  RankedTensorType lengthsType = NodeImporter::getType(lengths);
  if (lengthsType.getRank() != 1 ||
      lengthsType.getDimSize(0) != type.getDimSize(batch) ||
      !lengthsType.getElementType().isInteger(64))
    return n.emitError() << "sequence_lens " << lengthsType << " must be "
                         << type.getDimSize(batch)
                         << " int64 lengths, one per batch";
  Value steps = n.positionsAlong(rank, time, type.getDimSize(time));
  SmallVector<int64_t> lengthsShape(rank, 1);
  lengthsShape[batch] = type.getDimSize(batch);
  Value perBatch = n.reshape(lengths, lengthsShape);
  Value reversed = n.create<SubOp>(
      n.create<SubOp>(perBatch, n.scalar(n.b.getI64Type(), 1.0)), steps);
  Value index = n.create<WhereOp>(
      n.create<CompareOp>(ComparisonPredicate::lt, steps, perBatch), reversed,
      steps);
  index = n.expand(index, type.getShape());
  n.setOutput(0, n.create<GatherElementsOp>(x, index, time));
  return n.finish();
}

/// MaxUnpool: zeros of the unpooled shape with X's values written at the
/// flat positions I holds (as MaxPool's Indices give them), a scatter_nd
/// into the flattened output.
static LogicalResult convertMaxUnpool(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 1)))
    return failure();
  Value x = n.input(0), indices = n.input(1);
  RankedTensorType type = NodeImporter::getType(x);
  int64_t d = type.getRank() - 2;
  if (d < 1 || !type.hasStaticShape() ||
      NodeImporter::getType(indices).getShape() != type.getShape())
    return n.emitError() << "X " << type << " and I "
                         << NodeImporter::getType(indices)
                         << " must share one static [N, C, ...] shape";
  SmallVector<int64_t> kernel = n.intsAttr("kernel_shape", std::nullopt);
  SmallVector<int64_t> ones(d, 1), zeros(2 * d, 0);
  SmallVector<int64_t> strides = n.intsAttr("strides", ArrayRef(ones));
  SmallVector<int64_t> pads = n.intsAttr("pads", ArrayRef(zeros));
  if (n.failed())
    return failure();
  if (static_cast<int64_t>(kernel.size()) != d ||
      static_cast<int64_t>(strides.size()) != d ||
      static_cast<int64_t>(pads.size()) != 2 * d)
    return n.emitError() << "kernel_shape, strides and pads need " << d << ", "
                         << d << " and " << 2 * d << " entries";
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  if (n.hasInput(2)) {
    std::optional<SmallVector<int64_t>> given =
        n.requireConstantInts(2, "output_shape");
    if (!given)
      return failure();
    if (static_cast<int64_t>(given->size()) != d + 2)
      return n.emitError() << "output_shape " << formatShape(*given)
                           << " needs " << d + 2 << " sizes";
    shape = *given;
  } else {
    for (int64_t i = 0; i < d; ++i)
      shape.push_back((type.getDimSize(2 + i) - 1) * strides[i] - pads[i] -
                      pads[d + i] + kernel[i]);
  }
  int64_t total = 1;
  for (int64_t size : shape) {
    if (size < 1 || size > (int64_t(1) << 31))
      return n.emitError() << "output shape " << formatShape(shape)
                           << " is not a valid shape";
    total *= size;
  }
  Value flat =
      n.splat(RankedTensorType::get({total}, type.getElementType()), 0.0);
  int64_t count = type.getNumElements();
  Value tuples = n.reshape(n.cast(indices, n.b.getI64Type()), {count, 1});
  Value scattered = n.create<ScatterNDOp>(flat, tuples, n.reshape(x, {count}),
                                          ScatterReduction::none);
  n.setOutput(0, n.reshape(scattered, shape));
  return n.finish();
}

static LogicalResult convertExpand(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  std::optional<SmallVector<int64_t>> shape = n.requireConstantInts(1, "shape");
  if (!shape)
    return failure();
  Value data = n.input(0);
  ArrayRef<int64_t> dims = NodeImporter::getType(data).getShape();
  // Expand broadcasts both ways: the result is the broadcast of both shapes.
  FailureOr<SmallVector<int64_t>> result =
      broadcastShapes({dims, *shape});
  if (failed(result))
    return n.emitError() << "input shape " << formatShape(dims)
                         << " does not broadcast with shape "
                         << formatShape(*shape);
  n.setOutput(0, n.expand(data, *result));
  return n.finish();
}

static LogicalResult convertTile(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  std::optional<SmallVector<int64_t>> repeats =
      n.requireConstantInts(1, "repeats");
  if (!repeats)
    return failure();
  Value data = n.input(0);
  RankedTensorType type = NodeImporter::getType(data);
  if (static_cast<int64_t>(repeats->size()) != type.getRank())
    return n.emitError() << "repeats has " << repeats->size()
                         << " entries for an input of rank " << type.getRank();
  // tile(x) = reshape(expand(x as [1, d0, 1, d1, ...] to [r0, d0, r1, d1, ...]))
  SmallVector<int64_t> interleaved, expanded, result;
  for (auto [dim, r] : llvm::zip_equal(type.getShape(), *repeats)) {
    if (r < 0)
      return n.emitError() << "repeat count " << r << " is negative";
    int64_t tiled;
    if (llvm::MulOverflow(r, dim, tiled))
      return n.emitError() << "repeating dimension " << dim << " " << r
                           << " times overflows a 64-bit size";
    interleaved.append({1, dim});
    expanded.append({r, dim});
    result.push_back(tiled);
  }
  Value tiled = n.expand(n.reshape(data, interleaved), expanded);
  n.setOutput(0, n.reshape(tiled, result));
  return n.finish();
}

static LogicalResult convertTranspose(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  Value data = n.input(0);
  int64_t rank = NodeImporter::getType(data).getRank();
  SmallVector<int64_t> reversed;
  for (int64_t d = rank - 1; d >= 0; --d)
    reversed.push_back(d);
  SmallVector<int64_t> perm = n.intsAttr("perm", ArrayRef<int64_t>(reversed));
  if (n.failed())
    return failure();
  n.setOutput(0, n.transpose(data, perm));
  return n.finish();
}

/// DepthToSpace (DCR or CRD channel order) and SpaceToDepth on N x C x H
/// x W: one reshape to 6 dimensions, a transpose, a reshape back.
template <bool ToSpace>
static LogicalResult convertDepthSpace(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  int64_t b = n.intAttr("blocksize", std::nullopt);
  std::string mode =
      ToSpace ? n.stringAttr("mode", StringRef("DCR")) : std::string("DCR");
  if (n.failed())
    return failure();
  if (mode != "DCR" && mode != "CRD")
    return n.emitError() << "attribute 'mode' must be \"DCR\" or \"CRD\", "
                            "not \""
                         << mode << "\"";
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (type.getRank() != 4 || !type.hasStaticShape())
    return n.emitError() << "input must be a static N x C x H x W tensor, got "
                         << type;
  int64_t batch = type.getDimSize(0), c = type.getDimSize(1),
          h = type.getDimSize(2), w = type.getDimSize(3);
  if (b <= 0 || (ToSpace ? c % (b * b) : h % b + w % b) != 0)
    return n.emitError() << "blocksize " << b << " must be positive and divide "
                         << (ToSpace ? "the channels by its square"
                                     : "the height and width")
                         << ", got " << type;
  Value y;
  if (ToSpace) {
    int64_t cb = c / (b * b);
    if (mode == "DCR")
      y = n.transpose(n.reshape(x, {batch, b, b, cb, h, w}),
                      {0, 3, 4, 1, 5, 2});
    else
      y = n.transpose(n.reshape(x, {batch, cb, b, b, h, w}),
                      {0, 1, 4, 2, 5, 3});
    y = n.reshape(y, {batch, cb, h * b, w * b});
  } else {
    y = n.transpose(n.reshape(x, {batch, c, h / b, b, w / b, b}),
                    {0, 3, 5, 1, 2, 4});
    y = n.reshape(y, {batch, c * b * b, h / b, w / b});
  }
  n.setOutput(0, y);
  return n.finish();
}

/// OneHot(indices, depth, values): values[1] where the index (negative ones
/// counted from depth) equals the position along the new `axis`, values[0]
/// elsewhere (and everywhere for an index out of range).
static LogicalResult convertOneHot(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  int64_t axisAttr = n.intAttr("axis", -1);
  if (n.failed())
    return failure();
  std::optional<double> depthValue = n.requireConstantScalar(1, "depth");
  if (!depthValue)
    return failure();
  if (!(*depthValue >= 1 && *depthValue <= double(int64_t(1) << 32)))
    return n.emitError() << "depth must be at least 1 (and at most 2^32), "
                            "got "
                         << llvm::formatv("{0}", *depthValue);
  int64_t depth = static_cast<int64_t>(*depthValue);
  Value indices = n.input(0), values = n.input(2);
  RankedTensorType indicesType = NodeImporter::getType(indices);
  RankedTensorType valuesType = NodeImporter::getType(values);
  if (valuesType.getRank() != 1 || valuesType.getDimSize(0) != 2)
    return n.emitError() << "values must be [off, on], got " << valuesType;
  int64_t rank = indicesType.getRank() + 1;
  std::optional<int64_t> axis = n.normalizeAxis(axisAttr, rank);
  if (!axis)
    return failure();
  Type i64 = n.b.getI64Type();
  Value index = n.cast(indices, i64);
  Value depthScalar = n.scalar(i64, static_cast<double>(depth));
  index = n.create<WhereOp>(
      n.create<CompareOp>(ComparisonPredicate::lt, index, n.scalar(i64, 0)),
      n.create<AddOp>(index, depthScalar), index);
  SmallVector<int64_t> unsqueezed(indicesType.getShape());
  unsqueezed.insert(unsqueezed.begin() + *axis, 1);
  Value positions = n.positionsAlong(rank, *axis, depth);
  Value hit = n.create<CompareOp>(ComparisonPredicate::eq,
                                  n.reshape(index, unsqueezed), positions);
  Value off = n.reshape(n.sliceAxis(values, 0, 0, 1), {});
  Value on = n.reshape(n.sliceAxis(values, 0, 1, 1), {});
  n.setOutput(0, n.create<WhereOp>(hit, on, off));
  return n.finish();
}

/// Pad: pads as an attribute (before opset 11) or a constant input, over
/// every axis or those of `axes` (18), the fill from `value` or
/// constant_value, mode constant, edge, reflect or wrap (19). Negative pads
/// crop: a slice before the pad.
static LogicalResult convertPad(NodeImporter &n) {
  bool asInputs = n.opset >= 11;
  if (failed(n.expectArity(1, asInputs ? 4 : 1, 1, 1)))
    return failure();
  std::string modeName = n.stringAttr("mode", StringRef("constant"));
  std::optional<SmallVector<int64_t>> pads;
  double attrValue = 0;
  if (!asInputs) {
    pads = n.intsAttr("pads", std::nullopt);
    attrValue = n.floatAttr("value", 0.0);
  }
  if (n.failed())
    return failure();
  std::optional<PadMode> mode = symbolizePadMode(modeName);
  if (!mode || (*mode == PadMode::wrap && n.opset < 19))
    return n.emitError() << "mode '" << modeName << "' is not supported";
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  int64_t rank = type.getRank();
  Type elementType = type.getElementType();
  Value value;
  if (asInputs) {
    pads = n.requireConstantInts(1, "pads");
    if (!pads)
      return failure();
    if (n.hasInput(2)) {
      value = n.input(2);
      if (NodeImporter::getType(value).getNumElements() != 1)
        return n.emitError() << "constant_value must hold one element, got "
                             << NodeImporter::getType(value);
      value = n.reshape(value, {});
    }
  } else if (attrValue != 0) {
    value = n.scalar(elementType, attrValue);
  }
  // The axes the pads cover (opset 18): the others get none.
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (n.hasInput(3)) {
    std::optional<SmallVector<int64_t>> given =
        n.requireConstantInts(3, "axes");
    if (!given)
      return failure();
    axes.clear();
    for (int64_t axis : *given) {
      std::optional<int64_t> a = n.normalizeAxis(axis, rank);
      if (!a)
        return failure();
      axes.push_back(*a);
    }
  }
  int64_t count = axes.size();
  if (static_cast<int64_t>(pads->size()) != 2 * count)
    return n.emitError() << "pads " << formatShape(*pads) << " need "
                         << 2 * count << " entries, two per padded axis";
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (auto [i, axis] : llvm::enumerate(axes)) {
    low[axis] = (*pads)[i];
    high[axis] = (*pads)[count + i];
  }
  // Negative pads remove elements.
  if (llvm::any_of(low, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(high, [](int64_t p) { return p < 0; })) {
    SmallVector<int64_t> starts(rank, 0), limits(type.getShape()),
        strides(rank, 1);
    for (int64_t d = 0; d < rank; ++d) {
      if (low[d] >= 0 && high[d] >= 0)
        continue;
      int64_t dim = type.getDimSize(d);
      if (ShapedType::isDynamic(dim))
        return n.emitError() << "negative pads need a static dimension " << d;
      starts[d] = std::max<int64_t>(0, -low[d]);
      limits[d] = dim - std::max<int64_t>(0, -high[d]);
      if (starts[d] > limits[d])
        return n.emitError()
               << "pads " << formatShape(*pads) << " remove more than the "
               << dim << " elements of dimension " << d;
      low[d] = std::max<int64_t>(0, low[d]);
      high[d] = std::max<int64_t>(0, high[d]);
    }
    x = n.create<SliceOp>(x, starts, limits, strides, ValueRange());
  }
  if (*mode != PadMode::constant)
    value = Value();
  n.setOutput(0, n.create<PadOp>(x, MaybeValue{value}, low, high, *mode));
  return n.finish();
}

void mlir::tfm::onnx_import::populateShapeConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Reshape", 1, convertReshape);
  r.add(onnx, "Flatten", 1, convertFlatten);
  r.add(onnx, "Squeeze", 1, convertSqueeze);
  r.add(onnx, "Unsqueeze", 1, convertUnsqueeze);
  r.add(onnx, "Concat", 4, convertConcat);
  r.add(onnx, "Split", 1, convertSplit);
  r.add(onnx, "Slice", 1, convertSlice);
  r.add(onnx, "Gather", 1, convertGather<GatherOp>);
  r.add(onnx, "GatherElements", 11, convertGather<GatherElementsOp>);
  r.add(onnx, "GatherND", 11, convertGatherND);
  r.add(onnx, "ReverseSequence", 10, convertReverseSequence);
  r.add(onnx, "MaxUnpool", 9, convertMaxUnpool);
  r.add(onnx, "ScatterND", 11, convertScatterND);
  r.add(onnx, "ScatterElements", 11, convertScatterElements);
  r.add(onnx, "Scatter", 9, convertScatterElements);
  r.add(onnx, "Expand", 8, convertExpand);
  r.add(onnx, "Tile", 6, convertTile);
  r.add(onnx, "Transpose", 1, convertTranspose);
  r.add(onnx, "DepthToSpace", 1, convertDepthSpace</*ToSpace=*/true>);
  r.add(onnx, "SpaceToDepth", 1, convertDepthSpace</*ToSpace=*/false>);
  r.add(onnx, "OneHot", 9, convertOneHot);
  r.add(onnx, "Pad", 2, convertPad);
}
