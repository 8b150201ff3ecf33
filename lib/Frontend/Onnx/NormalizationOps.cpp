//===- NormalizationOps.cpp - layer, RMS, batch, instance, group norms ----===//
//
// LayerNormalization, RMSNormalization, InstanceNormalization,
// GroupNormalization, BatchNormalization, MeanVarianceNormalization, ONNX
// Runtime's SimplifiedLayerNormalization (registered in the default
// domain), and the com.microsoft fusions SkipLayerNormalization,
// SkipSimplifiedLayerNormalization and EmbedLayerNormalization.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

/// ONNX Runtime's default epsilon of its fused BERT-style norms.
constexpr double kSkipLayerNormEpsilon = 1e-12;

/// The normalized axes [axis, rank) of an input of rank `rank`.
static std::optional<SmallVector<int64_t>>
getNormalizedAxes(NodeImporter &n, int64_t axisAttr, int64_t rank) {
  std::optional<int64_t> axis = n.normalizeAxis(axisAttr, rank);
  if (!axis)
    return std::nullopt;
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < rank; ++d)
    axes.push_back(d);
  return axes;
}

/// Gives an affine parameter (scale or bias) the normalized shape tfm
/// expects: equal element counts reshape, broadcastable ones expand.
static Value shapeParameter(NodeImporter &n, Value param,
                            ArrayRef<int64_t> normalized, StringRef name) {
  if (!param)
    return param;
  RankedTensorType type = NodeImporter::getType(param);
  if (type.getShape() == normalized)
    return param;
  if (type.getNumElements() == getNumElements(normalized))
    return n.reshape(param, normalized);
  if (broadcastsTo(type.getShape(), normalized))
    return n.expand(param, normalized);
  n.emitError() << name << " " << type
                << " does not fit the normalized shape "
                << formatShape(normalized);
  return {};
}

/// Builds layer_norm (withMean) or rms_norm of `x` over trailing `axes`.
static Value normalize(NodeImporter &n, Value x, Value scale, Value bias,
                       ArrayRef<int64_t> axes, double epsilon, bool withMean) {
  if (!x)
    return x;
  RankedTensorType type = NodeImporter::getType(x);
  ArrayRef<int64_t> normalized = type.getShape().take_back(axes.size());
  scale = shapeParameter(n, scale, normalized, "scale");
  bias = shapeParameter(n, bias, normalized, "bias");
  if (n.failed())
    return {};
  llvm::APFloat eps(static_cast<float>(epsilon));
  if (withMean)
    return n.create<LayerNormOp>(x, MaybeValue{}, MaybeValue{scale},
                                 MaybeValue{bias}, axes, eps);
  Value normalizedX =
      n.create<RmsNormOp>(x, MaybeValue{}, MaybeValue{scale}, axes, eps);
  return bias ? n.create<AddOp>(normalizedX, bias) : normalizedX;
}

/// The statistics a normalization can also return, computed in the stash
/// type: the mean (layer norm only) and the inverse standard deviation (of
/// the centred input, or the root mean square), with normalized axes kept.
static std::pair<Value, Value> computeStatistics(NodeImporter &n, Value x,
                                                 ArrayRef<int64_t> axes,
                                                 double epsilon, bool withMean,
                                                 Type stashType) {
  Value xs = n.getType(x).getElementType() == stashType ? x
                                                        : n.cast(x, stashType);
  Value mean, centred = xs;
  if (withMean) {
    mean = n.create<ReduceMeanOp>(xs, axes, /*keepdims=*/true);
    centred = n.create<SubOp>(xs, mean);
  }
  Value variance = n.create<ReduceMeanOp>(n.create<MulOp>(centred, centred),
                                          axes, /*keepdims=*/true);
  Value invStd = n.create<RsqrtOp>(
      n.create<AddOp>(variance, n.scalar(stashType, epsilon)));
  return {mean, invStd};
}

/// LayerNormalization-17, RMSNormalization-23 and SimplifiedLayerNormalization.
template <bool withMean>
static LogicalResult convertNorm(NodeImporter &n) {
  if (failed(n.expectArity(2, withMean ? 3 : 2, 1, withMean ? 3 : 2)))
    return failure();
  int64_t axisAttr = n.intAttr("axis", -1);
  double epsilon = n.floatAttr("epsilon", 1e-5);
  int64_t stash = n.intAttr("stash_type", 1);
  if (n.failed())
    return failure();
  Value x = n.input(0);
  std::optional<SmallVector<int64_t>> axes =
      getNormalizedAxes(n, axisAttr, NodeImporter::getType(x).getRank());
  if (!axes || n.failed())
    return failure();
  n.setOutput(0, normalize(n, x, n.input(1), n.input(2), *axes, epsilon,
                           withMean));
  // Optional outputs: layer norm's Mean and InvStdDev, RMS norm's InvStdDev.
  if (n.hasOutput(1) || n.hasOutput(2)) {
    Type stashType = getElementType(n.context, static_cast<int32_t>(stash));
    if (!stashType || !isa<FloatType>(stashType))
      return n.emitError() << "stash_type " << stash
                           << " is not a floating-point type";
    auto [mean, invStd] =
        computeStatistics(n, x, *axes, epsilon, withMean, stashType);
    if (withMean) {
      n.setOutput(1, mean);
      n.setOutput(2, invStd);
    } else {
      n.setOutput(1, invStd);
    }
  }
  return n.finish();
}

/// SkipLayerNormalization(input, skip, gamma, beta?, bias?) and
/// SkipSimplifiedLayerNormalization(input, skip, gamma, bias?): normalize
/// input + skip (+ bias); output #3 is that sum.
template <bool withMean>
static LogicalResult convertSkipNorm(NodeImporter &n) {
  if (failed(n.expectArity(3, withMean ? 5 : 4, 1, 4)))
    return failure();
  double epsilon = n.floatAttr("epsilon", kSkipLayerNormEpsilon);
  if (n.failed())
    return failure();
  n.rejectOutput(1, "mean");
  n.rejectOutput(2, "inv_std_var");
  Value x = n.input(0);
  Value beta = withMean ? n.input(3) : Value();
  Value bias = n.input(withMean ? 4 : 3);
  Value sum = n.create<AddOp>(x, n.input(1));
  if (bias)
    sum = n.create<AddOp>(sum, bias);
  if (!sum)
    return failure();
  int64_t rank = NodeImporter::getType(sum).getRank();
  n.setOutput(0, normalize(n, sum, n.input(2), beta, {rank - 1}, epsilon,
                           withMean));
  n.setOutput(3, sum);
  return n.finish();
}

/// EmbedLayerNormalization: LayerNorm(word[ids] + position[pos] +
/// segment[segment_ids]) and the number of unmasked tokens per sequence.
static LogicalResult convertEmbedLayerNorm(NodeImporter &n) {
  // segment_ids (#1) and segment_embedding (#4) are optional.
  if (failed(n.expectArity(1, 9, 1, 3)) ||
      failed(n.requireInputs({0, 2, 3, 5, 6})))
    return failure();
  double epsilon = n.floatAttr("epsilon", kSkipLayerNormEpsilon);
  if (n.failed())
    return failure();
  Value ids = n.input(0), segmentIds = n.input(1), words = n.input(2),
        positions = n.input(3), segments = n.input(4), gamma = n.input(5),
        beta = n.input(6), mask = n.input(7), positionIds = n.input(8);
  RankedTensorType idsType = NodeImporter::getType(ids);
  if (idsType.getRank() != 2)
    return n.emitError() << "input_ids must be [batch, sequence], got "
                         << idsType;
  int64_t batch = idsType.getDimSize(0), seq = idsType.getDimSize(1);
  if (!positionIds) {
    positionIds = n.int64s(llvm::to_vector(llvm::seq<int64_t>(0, seq)));
  }
  Value sum = n.create<AddOp>(n.create<GatherOp>(words, ids, int64_t(0)),
                              n.create<GatherOp>(positions, positionIds,
                                                 int64_t(0)));
  if (segmentIds && segments)
    sum = n.create<AddOp>(sum,
                          n.create<GatherOp>(segments, segmentIds, int64_t(0)));
  if (!sum)
    return failure();
  int64_t rank = NodeImporter::getType(sum).getRank();
  n.setOutput(0, normalize(n, sum, gamma, beta, {rank - 1}, epsilon,
                           /*withMean=*/true));
  if (n.hasOutput(1)) {
    Type i32 = n.b.getI32Type();
    Value count =
        mask ? n.cast(n.create<ReduceSumOp>(n.cast(mask, i32),
                                            ArrayRef<int64_t>{1}, false),
                      i32)
             : n.splat(RankedTensorType::get({batch}, i32), seq);
    n.setOutput(1, count);
  }
  n.setOutput(2, sum);
  return n.finish();
}

/// A per-channel (or per-group) parameter of shape [size] reshaped to
/// [size, 1, ..., 1] so that it scales axis `rank - trailing - 1` of a
/// rank-`rank` tensor: `trailing` size-1 axes follow it.
static Value perChannel(NodeImporter &n, Value param, int64_t size,
                        int64_t trailing, StringRef name, StringRef what) {
  RankedTensorType type = NodeImporter::getType(param);
  if (type.getRank() != 1 || type.getDimSize(0) != size) {
    n.emitError() << name << " must have shape [" << size << "] (one value per "
                  << what << "), got " << type;
    return {};
  }
  SmallVector<int64_t> shape(trailing + 1, 1);
  shape[0] = size;
  return n.reshape(param, shape);
}

/// The input of InstanceNormalization or GroupNormalization: N x C x D1 ...
/// with a static channel count.
static FailureOr<RankedTensorType> getChannelsInput(NodeImporter &n,
                                                    int64_t minRank) {
  RankedTensorType type = NodeImporter::getType(n.input(0));
  if (type.getRank() < minRank)
    return n.emitError() << "input must have rank " << minRank
                         << " or more (N x C x D1 ...), got " << type;
  if (type.isDynamicDim(1))
    return n.emitError() << "the channel count (axis 1) must be static";
  return type;
}

/// InstanceNormalization: each (n, c) plane normalized over its spatial
/// axes, then scaled and shifted by channel.
static LogicalResult convertInstanceNorm(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  double epsilon = n.floatAttr("epsilon", 1e-5);
  if (n.failed())
    return failure();
  FailureOr<RankedTensorType> type = getChannelsInput(n, 3);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank(), channels = type->getDimSize(1);
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  Value scale =
      perChannel(n, n.input(1), channels, rank - 2, "scale", "channel");
  Value bias = perChannel(n, n.input(2), channels, rank - 2, "B", "channel");
  if (n.failed())
    return failure();
  Value y = normalize(n, n.input(0), {}, {}, axes, epsilon, /*withMean=*/true);
  n.setOutput(0, n.create<AddOp>(n.create<MulOp>(y, scale), bias));
  return n.finish();
}

/// GroupNormalization: the channels of each sample split into num_groups
/// groups, each normalized over its channels and spatial axes together;
/// then scaled and shifted by channel (opset 21) or by group (opset 18), in
/// the stash type (opset 21; default float).
static LogicalResult convertGroupNorm(NodeImporter &n) {
  if (failed(n.expectArity(3, 3, 1, 1)))
    return failure();
  double epsilon = n.floatAttr("epsilon", 1e-5);
  int64_t groups = n.intAttr("num_groups", std::nullopt);
  int64_t stash = n.opset >= 21 ? n.intAttr("stash_type", 1) : 0;
  if (n.failed())
    return failure();
  FailureOr<RankedTensorType> type = getChannelsInput(n, 2);
  if (failed(type))
    return failure();
  if (!type->hasStaticShape())
    return n.emitError() << "input must have a static shape, got " << *type;
  int64_t channels = type->getDimSize(1);
  if (groups <= 0 || channels % groups != 0)
    return n.emitError() << "num_groups " << groups << " does not divide the "
                         << channels << " channels";
  Value x = n.input(0);
  Type elementType = type->getElementType();
  Type stashType = elementType;
  if (stash) {
    stashType = getElementType(n.context, static_cast<int32_t>(stash));
    if (!stashType || !isa<FloatType>(stashType))
      return n.emitError() << "stash_type " << stash
                           << " is not a floating-point type";
  }
  bool byGroup = n.opset < 21;
  int64_t paramSize = byGroup ? groups : channels;
  StringRef what = byGroup ? "group" : "channel";
  int64_t rank = type->getRank();
  // Per group: [N, G, rest]; per channel: [N, C, D1 ...].
  int64_t trailing = byGroup ? 1 : rank - 2;
  Value scale = perChannel(n, n.input(1), paramSize, trailing, "scale", what);
  Value bias = perChannel(n, n.input(2), paramSize, trailing, "bias", what);
  if (n.failed())
    return failure();
  int64_t batch = type->getDimSize(0);
  Value grouped = n.reshape(
      n.cast(x, stashType),
      {batch, groups,
       type->getNumElements() / std::max<int64_t>(batch, 1) / groups});
  Value y = normalize(n, grouped, {}, {}, {2}, epsilon, /*withMean=*/true);
  if (stashType != elementType)
    y = n.cast(y, elementType);
  if (byGroup)
    y = n.create<AddOp>(n.create<MulOp>(y, scale), bias);
  y = n.reshape(y, type->getShape());
  if (!byGroup)
    y = n.create<AddOp>(n.create<MulOp>(y, scale), bias);
  n.setOutput(0, y);
  return n.finish();
}

/// BatchNormalization: per channel, (x - mean) / sqrt(var + epsilon) *
/// scale + B. For inference the given running statistics, folded into one
/// scale and shift; with training_mode (opset 14) the batch's own (mean and
/// population variance over every axis but the channels), and the running
/// statistics updated by momentum as outputs #1 and #2.
static LogicalResult convertBatchNorm(NodeImporter &n) {
  if (failed(n.expectArity(5, 5, 1, 3)))
    return failure();
  double epsilon = n.floatAttr("epsilon", 1e-5);
  double momentum = n.floatAttr("momentum", 0.9);
  bool training = n.opset >= 14 && n.intAttr("training_mode", 0) != 0;
  if (n.opset < 9 && n.intAttr("spatial", 1) == 0)
    return n.emitError() << "spatial = 0 (statistics per element) is not "
                            "supported";
  if (n.failed())
    return failure();
  FailureOr<RankedTensorType> type = getChannelsInput(n, 2);
  if (failed(type))
    return failure();
  if (!training && (n.hasOutput(1) || n.hasOutput(2)))
    return n.emitError() << "outputs #1 and #2 (running mean and variance) "
                            "exist only in training mode";
  int64_t rank = type->getRank(), channels = type->getDimSize(1);
  Type elementType = type->getElementType();
  auto param = [&](unsigned i, StringRef name) {
    return perChannel(n, n.input(i), channels, rank - 2, name, "channel");
  };
  Value scale = param(1, "scale"), bias = param(2, "B"),
        mean = param(3, "input_mean"), var = param(4, "input_var");
  if (n.failed())
    return failure();
  Value x = n.input(0);
  Value eps = n.scalar(elementType, epsilon);
  if (!training) {
    // y = x * a + (B - mean * a), a = scale / sqrt(var + epsilon).
    Value a =
        n.create<DivOp>(scale, n.create<SqrtOp>(n.create<AddOp>(var, eps)));
    Value shift = n.create<SubOp>(bias, n.create<MulOp>(mean, a));
    n.setOutput(0, n.create<AddOp>(n.create<MulOp>(x, a), shift));
    return n.finish();
  }
  SmallVector<int64_t> axes = {0};
  llvm::append_range(axes, llvm::seq<int64_t>(2, rank));
  Value batchMean = n.create<ReduceMeanOp>(x, axes, /*keepdims=*/true);
  Value centred = n.create<SubOp>(x, batchMean);
  Value batchVar = n.create<ReduceMeanOp>(n.create<MulOp>(centred, centred),
                                          axes, /*keepdims=*/true);
  Value normalized = n.create<DivOp>(
      centred, n.create<SqrtOp>(n.create<AddOp>(batchVar, eps)));
  n.setOutput(0, n.create<AddOp>(n.create<MulOp>(normalized, scale), bias));
  auto running = [&](unsigned i, Value batch) {
    Value kept = n.create<MulOp>(n.input(i), n.scalar(elementType, momentum));
    Value added = n.create<MulOp>(n.reshape(batch, {channels}),
                                  n.scalar(elementType, 1 - momentum));
    return n.create<AddOp>(kept, added);
  };
  if (n.hasOutput(1))
    n.setOutput(1, running(3, batchMean));
  if (n.hasOutput(2))
    n.setOutput(2, running(4, batchVar));
  return n.finish();
}

/// MeanVarianceNormalization: (x - mean) / sqrt(variance + 1e-9) over
/// `axes` (default [0, 2, 3]), as ONNX's function body.
static LogicalResult convertMeanVarianceNorm(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  SmallVector<int64_t> axesAttr =
      n.intsAttr("axes", ArrayRef<int64_t>({0, 2, 3}));
  if (n.failed())
    return failure();
  Value x = n.input(0);
  int64_t rank = NodeImporter::getType(x).getRank();
  SmallVector<int64_t> axes;
  for (int64_t axis : axesAttr) {
    std::optional<int64_t> a = n.normalizeAxis(axis, rank);
    if (!a)
      return failure();
    axes.push_back(*a);
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return n.emitError() << "axes " << formatShape(axesAttr)
                         << " name an axis twice";
  Type elementType = NodeImporter::getType(x).getElementType();
  Value centred =
      n.create<SubOp>(x, n.create<ReduceMeanOp>(x, axes, /*keepdims=*/true));
  Value variance = n.create<ReduceMeanOp>(n.create<MulOp>(centred, centred),
                                          axes, /*keepdims=*/true);
  n.setOutput(
      0, n.create<DivOp>(centred, n.create<SqrtOp>(n.create<AddOp>(
                                      variance, n.scalar(elementType, 1e-9)))));
  return n.finish();
}

/// LRN: x / (bias + alpha / size * s)^beta, s the sum of squares over the
/// channels c - floor((size - 1) / 2) .. c + ceil((size - 1) / 2): the
/// squares padded with zeros along the channels, `size` shifted slices
/// added.
static LogicalResult convertLrn(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  double alpha = n.floatAttr("alpha", 0.0001);
  double beta = n.floatAttr("beta", 0.75);
  double bias = n.floatAttr("bias", 1.0);
  int64_t size = n.intAttr("size", std::nullopt);
  if (n.failed())
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (type.getRank() < 3 || !isa<FloatType>(type.getElementType()) ||
      type.isDynamicDim(1))
    return n.emitError() << "input must be a float [N, C, ...] tensor with "
                         << "static channels, got " << type;
  if (size < 1 || size > 1024)
    return n.emitError() << "size must be from 1 to 1024, got " << size;
  int64_t channels = type.getDimSize(1);
  SmallVector<int64_t> low(type.getRank(), 0), high(type.getRank(), 0);
  low[1] = (size - 1) / 2;
  high[1] = size - 1 - low[1];
  Value squares = n.create<MulOp>(x, x);
  Value padded =
      n.create<PadOp>(squares, MaybeValue{}, low, high, PadMode::constant);
  Value sum;
  for (int64_t o = 0; o < size; ++o) {
    Value shifted = n.sliceAxis(padded, 1, o, channels);
    sum = sum ? n.create<AddOp>(sum, shifted) : shifted;
  }
  Type elementType = type.getElementType();
  Value scale = n.create<AddOp>(
      n.scalar(elementType, bias),
      n.create<MulOp>(sum, n.scalar(elementType, alpha / size)));
  n.setOutput(0, n.create<DivOp>(
                     x, n.create<PowOp>(scale, n.scalar(elementType, beta))));
  return n.finish();
}

void mlir::tfm::onnx_import::populateNormalizationConverters(
    ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "LayerNormalization", 17, convertNorm<true>);
  r.add(onnx, "RMSNormalization", 23, convertNorm<false>);
  r.add(onnx, "InstanceNormalization", 6, convertInstanceNorm);
  r.add(onnx, "BatchNormalization", 7, convertBatchNorm);
  r.add(onnx, "MeanVarianceNormalization", 9, convertMeanVarianceNorm);
  r.add(onnx, "GroupNormalization", 18, convertGroupNorm);
  r.add(onnx, "LRN", 1, convertLrn);
  // ONNX Runtime registers SimplifiedLayerNormalization in the default domain.
  r.add(onnx, "SimplifiedLayerNormalization", 1, convertNorm<false>);

  StringRef ms = kMicrosoftDomain;
  r.add(ms, "SkipLayerNormalization", 1, convertSkipNorm<true>);
  r.add(ms, "SkipSimplifiedLayerNormalization", 1, convertSkipNorm<false>);
  r.add(ms, "EmbedLayerNormalization", 1, convertEmbedLayerNorm);
}
