//===- ResizeOps.cpp - Resize and Upsample --------------------------------===//
//
// ONNX GridSample (the taps at run-time grid positions, read through the
// padding mode by GatherElements) and Resize (and Upsample, its asymmetric
// predecessor) with constant
// scales or sizes, one resized axis at a time: each output position's
// source coordinate, computed at import by the coordinate transformation
// mode, gives the taps to gather along the axis and their weights (one tap
// for nearest, two for linear, four for cubic), so that the resize is a sum
// of Gathers times constant weight vectors.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

namespace {

enum class Interpolation { Nearest, Linear, Cubic };

struct ResizeAttrs {
  Interpolation mode = Interpolation::Nearest;
  std::string coordinates = "half_pixel";
  std::string nearest = "round_prefer_floor";
  double cubicA = -0.75;
  bool excludeOutside = false;
  bool antialias = false;
  /// tf_crop_and_resize: the region of interest of every axis, in [0, 1]
  /// of the input's extent, and the value of positions outside the input.
  SmallVector<double> roiStart, roiEnd;
  double extrapolation = 0.0;
};

/// One tap of every output position along an axis: the source index and its
/// weight.
struct Tap {
  SmallVector<int64_t> index;
  SmallVector<double> weight;
};

} // namespace

/// The source coordinate of output position `o` along an axis of `in`
/// elements resized to `out` by `scale` (for tf_crop_and_resize, of its
/// region of interest [start, end]).
static double sourceCoordinate(StringRef mode, int64_t o, int64_t in,
                               int64_t out, double scale, double start = 0.0,
                               double end = 1.0) {
  double x = static_cast<double>(o);
  if (mode == "tf_crop_and_resize") {
    // A region reaching far past the input (roi of +-1e30) puts sources
    // there; they are outside, extrapolated, and kept near the input so
    // that their taps' indices stay representable.
    double source =
        out > 1 ? start * (in - 1) + x * (end - start) * (in - 1) / (out - 1)
                : 0.5 * (start + end) * (in - 1);
    return std::clamp(source, -4.0, in + 4.0);
  }
  if (mode == "half_pixel")
    return (x + 0.5) / scale - 0.5;
  if (mode == "pytorch_half_pixel")
    return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (mode == "align_corners")
    return out == 1 ? 0.0
                    : x * static_cast<double>(in - 1) /
                          static_cast<double>(out - 1);
  if (mode == "tf_half_pixel_for_nn")
    return (x + 0.5) / scale;
  if (mode == "half_pixel_symmetric") {
    // Centered on the input: the whole output's extent (out, against the
    // in * scale the scale asks for) maps onto the input symmetrically.
    double adjustment = static_cast<double>(out) / (in * scale);
    double offset = in / 2.0 * (1.0 - adjustment);
    return offset + (x + 0.5) / scale - 0.5;
  }
  return x / scale; // asymmetric
}

static int64_t roundNearest(StringRef mode, double x) {
  double floor = std::floor(x);
  if (mode == "floor")
    return static_cast<int64_t>(floor);
  if (mode == "ceil")
    return static_cast<int64_t>(std::ceil(x));
  if (x - floor == 0.5)
    return static_cast<int64_t>(mode == "round_prefer_ceil" ? floor + 1
                                                            : floor);
  return static_cast<int64_t>(std::round(x));
}

/// The cubic convolution kernel with coefficient `a` at distance `d`.
static double cubicKernel(double a, double d) {
  d = std::fabs(d);
  if (d < 1.0)
    return ((a + 2) * d - (a + 3)) * d * d + 1;
  if (d < 2.0)
    return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  return 0.0;
}

/// The cubic convolution weights of the four taps around a fraction t.
static std::array<double, 4> cubicWeights(double a, double t) {
  return {cubicKernel(a, t + 1), cubicKernel(a, t), cubicKernel(a, 1 - t),
          cubicKernel(a, 2 - t)};
}

/// The taps of every output position along an axis of `in` elements
/// resized to `out` by `scale`.
static SmallVector<Tap> computeTaps(const ResizeAttrs &attrs, int64_t axis,
                                    int64_t in, int64_t out, double scale) {
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i, 0, in - 1);
  };
  int64_t count = attrs.mode == Interpolation::Nearest  ? 1
                  : attrs.mode == Interpolation::Linear ? 2
                                                        : 4;
  SmallVector<Tap> taps(count);
  for (int64_t o = 0; o < out; ++o) {
    double x = sourceCoordinate(attrs.coordinates, o, in, out, scale,
                                attrs.roiStart[axis], attrs.roiEnd[axis]);
    if (attrs.mode == Interpolation::Nearest) {
      taps[0].index.push_back(clampIndex(roundNearest(attrs.nearest, x)));
      taps[0].weight.push_back(1.0);
      continue;
    }
    double base = std::floor(x);
    double t = x - base;
    int64_t first = static_cast<int64_t>(base);
    SmallVector<double> weights;
    SmallVector<int64_t> positions;
    if (attrs.mode == Interpolation::Linear) {
      weights = {1.0 - t, t};
      positions = {first, first + 1};
    } else {
      std::array<double, 4> w = cubicWeights(attrs.cubicA, t);
      weights.assign(w.begin(), w.end());
      positions = {first - 1, first, first + 1, first + 2};
    }
    if (attrs.excludeOutside) {
      double sum = 0.0;
      for (auto [p, w] : llvm::zip(positions, weights)) {
        if (p < 0 || p >= in)
          w = 0.0;
        sum += w;
      }
      for (double &w : weights)
        w = sum != 0.0 ? w / sum : 0.0;
    }
    for (int64_t k = 0; k < count; ++k) {
      taps[k].index.push_back(clampIndex(positions[k]));
      taps[k].weight.push_back(weights[k]);
    }
  }
  return taps;
}

/// The most taps an antialiased output position may read (a 4x cubic or a
/// 32x linear shrink reads about 17 and 65).
constexpr size_t kMaxAntialiasTaps = 256;

/// The taps of every output position along an axis with Resize-18's
/// antialiasing (linear and cubic): the filter (the triangle of support 1,
/// or the cubic kernel of support 2) stretched by 1 / scale when it shrinks
/// the axis, over the source positions of the window around each output
/// position's center (in float, as ONNX Runtime computes it), weighted by
/// the filter and normalized to sum 1; positions outside the input read its
/// edge, or are dropped with exclude_outside. Positions whose window is
/// shorter than the longest get taps of weight 0.
static SmallVector<Tap> computeAntialiasTaps(const ResizeAttrs &attrs,
                                             int64_t axis, int64_t in,
                                             int64_t out, double scale) {
  float inPerOut = 1.0f / static_cast<float>(scale);
  float halfSupport = attrs.mode == Interpolation::Linear ? 1.0f : 2.0f;
  float support = inPerOut >= 1.0f ? halfSupport * inPerOut : halfSupport;
  float stretch = inPerOut >= 1.0f ? 1.0f / inPerOut : 1.0f;
  auto filter = [&](double d) {
    if (attrs.mode == Interpolation::Linear)
      return std::max(0.0, 1.0 - std::fabs(d));
    return cubicKernel(attrs.cubicA, d);
  };
  SmallVector<SmallVector<std::pair<int64_t, double>>> windows;
  size_t longest = 0;
  for (int64_t o = 0; o < out; ++o) {
    float center =
        0.5f + (inPerOut == 1.0f
                    ? static_cast<float>(o)
                    : static_cast<float>(sourceCoordinate(
                          attrs.coordinates, o, in, out, scale,
                          attrs.roiStart[axis], attrs.roiEnd[axis])));
    auto lo = static_cast<int64_t>(std::floor(center - support + 0.5f));
    auto hi = static_cast<int64_t>(std::floor(center + support + 0.5f));
    if (attrs.excludeOutside) {
      lo = std::max<int64_t>(lo, 0);
      hi = std::min<int64_t>(hi, in);
    }
    SmallVector<std::pair<int64_t, double>> window;
    double total = 0.0;
    for (int64_t x = lo; x < hi; ++x) {
      double w = filter((static_cast<float>(x) - center + 0.5f) * stretch);
      window.push_back({std::clamp<int64_t>(x, 0, in - 1), w});
      total += w;
    }
    if (total != 0.0)
      for (auto &tap : window)
        tap.second /= total;
    longest = std::max(longest, window.size());
    windows.push_back(std::move(window));
  }
  // Each tap is a Gather over the whole output: a window of thousands of
  // taps (shrinking an axis thousands of times) would import as many.
  if (longest > kMaxAntialiasTaps)
    return {};
  SmallVector<Tap> taps(longest);
  for (const auto &window : windows)
    for (size_t k = 0; k < longest; ++k) {
      taps[k].index.push_back(k < window.size() ? window[k].first : 0);
      taps[k].weight.push_back(k < window.size() ? window[k].second : 0.0);
    }
  return taps;
}

/// Resizes `x` along `axis` to `out` elements.
static Value resizeAxis(NodeImporter &n, const ResizeAttrs &attrs, Value x,
                        int64_t axis, int64_t out, double scale) {
  RankedTensorType type = NodeImporter::getType(x);
  int64_t in = type.getDimSize(axis);
  SmallVector<Tap> taps =
      attrs.antialias && attrs.mode != Interpolation::Nearest
          ? computeAntialiasTaps(attrs, axis, in, out, scale)
          : computeTaps(attrs, axis, in, out, scale);
  if (taps.empty()) {
    n.emitError() << "antialiasing axis " << axis << " from " << in << " to "
                  << out << " elements would read more than "
                  << kMaxAntialiasTaps << " inputs per output";
    return Value();
  }
  // tf_crop_and_resize: a position whose source lies outside the input is
  // the extrapolation value (its taps weigh 0, a constant adds the value).
  SmallVector<bool> outside(out, false);
  bool anyOutside = false;
  if (attrs.coordinates == "tf_crop_and_resize")
    for (int64_t o = 0; o < out; ++o) {
      double source =
          sourceCoordinate(attrs.coordinates, o, in, out, scale,
                           attrs.roiStart[axis], attrs.roiEnd[axis]);
      outside[o] = source < 0.0 || source > static_cast<double>(in - 1);
      anyOutside |= outside[o];
    }
  if (anyOutside)
    for (Tap &tap : taps)
      for (int64_t o = 0; o < out; ++o)
        if (outside[o])
          tap.weight[o] = 0.0;
  SmallVector<int64_t> weightShape(type.getRank(), 1);
  weightShape[axis] = out;
  auto weightType = RankedTensorType::get(weightShape, type.getElementType());
  Value sum;
  for (const Tap &tap : taps) {
    Value gathered = n.create<GatherOp>(x, n.int64s(tap.index), axis);
    if (attrs.mode != Interpolation::Nearest || anyOutside) {
      SmallVector<Attribute> weights;
      for (double w : tap.weight)
        weights.push_back(n.b.getFloatAttr(type.getElementType(), w));
      gathered = n.create<MulOp>(
          gathered, n.constant(DenseElementsAttr::get(weightType, weights)));
    }
    sum = sum ? n.create<AddOp>(sum, gathered) : gathered;
  }
  if (anyOutside) {
    SmallVector<Attribute> values;
    for (bool o : outside)
      values.push_back(n.b.getFloatAttr(type.getElementType(),
                                        o ? attrs.extrapolation : 0.0));
    sum = n.create<AddOp>(
        sum, n.constant(DenseElementsAttr::get(weightType, values)));
  }
  return sum;
}

/// Resizes every axis whose output size differs from the input's (or
/// whose scale is not 1).
static LogicalResult resize(NodeImporter &n, const ResizeAttrs &attrs,
                            Value x, ArrayRef<int64_t> outSizes,
                            ArrayRef<double> scales) {
  RankedTensorType type = NodeImporter::getType(x);
  if (attrs.mode != Interpolation::Nearest &&
      !isa<FloatType>(type.getElementType()))
    return n.emitError() << "linear and cubic modes need a float input, got "
                         << type;
  for (int64_t axis = 0; axis < type.getRank(); ++axis) {
    int64_t in = type.getDimSize(axis), out = outSizes[axis];
    bool wholeAxis = attrs.coordinates != "tf_crop_and_resize" ||
                     (attrs.roiStart[axis] == 0.0 && attrs.roiEnd[axis] == 1.0);
    if (out == in && scales[axis] == 1.0 && wholeAxis)
      continue;
    if (in < 1 || out < 1)
      return n.emitError() << "axis " << axis << " resizes " << in << " to "
                           << out << " elements";
    x = resizeAxis(n, attrs, x, axis, out, scales[axis]);
    if (!x)
      return failure();
  }
  n.setOutput(0, x);
  return n.finish();
}

static LogicalResult convertResize(NodeImporter &n) {
  if (failed(n.expectArity(1, 4, 1, 1)))
    return failure();
  ResizeAttrs attrs;
  std::string mode = n.stringAttr("mode", StringRef("nearest"));
  attrs.coordinates =
      n.stringAttr("coordinate_transformation_mode", StringRef("half_pixel"));
  attrs.nearest = n.stringAttr("nearest_mode", StringRef("round_prefer_floor"));
  attrs.cubicA = n.floatAttr("cubic_coeff_a", -0.75);
  attrs.excludeOutside = n.intAttr("exclude_outside", 0) != 0;
  int64_t antialias = n.intAttr("antialias", 0);
  std::string policy =
      n.stringAttr("keep_aspect_ratio_policy", StringRef("stretch"));
  SmallVector<int64_t> axesAttr = n.intsAttr("axes", ArrayRef<int64_t>{});
  if (n.failed())
    return failure();
  if (mode == "nearest")
    attrs.mode = Interpolation::Nearest;
  else if (mode == "linear")
    attrs.mode = Interpolation::Linear;
  else if (mode == "cubic")
    attrs.mode = Interpolation::Cubic;
  else
    return n.emitError() << "mode '" << mode << "' is not nearest, linear or "
                         << "cubic";
  if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_half_pixel_for_nn",
                           "half_pixel_symmetric", "tf_crop_and_resize"},
                          attrs.coordinates) ||
      (attrs.coordinates == "half_pixel_symmetric" && n.opset < 19))
    return n.emitError() << "coordinate_transformation_mode '"
                         << attrs.coordinates << "' is not supported";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          attrs.nearest))
    return n.emitError() << "nearest_mode '" << attrs.nearest
                         << "' is not supported";
  attrs.antialias = antialias != 0;
  attrs.extrapolation = n.floatAttr("extrapolation_value", 0.0);
  if (!llvm::is_contained({"stretch", "not_larger", "not_smaller"}, policy))
    return n.emitError() << "keep_aspect_ratio_policy '" << policy
                         << "' is not stretch, not_larger or not_smaller";
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (!type.hasStaticShape())
    return n.emitError() << "input must have a static shape, got " << type;
  int64_t rank = type.getRank();
  // Resize-10 takes (X, scales); from 11, (X, roi, scales, sizes).
  bool tenForm = n.opset < 11;
  unsigned scalesInput = tenForm ? 1 : 2;
  SmallVector<int64_t> axes;
  for (int64_t a : axesAttr) {
    std::optional<int64_t> axis = n.normalizeAxis(a, rank);
    if (!axis)
      return failure();
    axes.push_back(*axis);
  }
  if (axes.empty())
    axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  SmallVector<int64_t> outSizes(type.getShape());
  SmallVector<double> scales(rank, 1.0);
  if (!tenForm && n.hasInput(3)) {
    std::optional<SmallVector<int64_t>> sizes =
        n.requireConstantInts(3, "sizes");
    if (!sizes)
      return failure();
    if (sizes->size() != axes.size())
      return n.emitError() << "sizes " << formatShape(*sizes) << " needs "
                           << axes.size() << " entries";
    for (auto [axis, size] : llvm::zip(axes, *sizes)) {
      if (size < 1)
        return n.emitError()
               << "size " << size << " of axis " << axis << " must be positive";
      outSizes[axis] = size;
      scales[axis] = static_cast<double>(size) /
                     static_cast<double>(type.getDimSize(axis));
    }
    // Keeping the aspect ratio: one scale for every resized axis, the
    // smallest (no extent larger than asked) or the largest; the sizes
    // are the scaled extents rounded half up.
    if (policy != "stretch") {
      double scale = scales[axes.front()];
      for (int64_t axis : axes)
        scale = policy == "not_larger" ? std::min(scale, scales[axis])
                                       : std::max(scale, scales[axis]);
      for (int64_t axis : axes) {
        scales[axis] = scale;
        outSizes[axis] = static_cast<int64_t>(std::floor(
            scale * static_cast<double>(type.getDimSize(axis)) + 0.5));
      }
    }
  } else if (policy != "stretch") {
    return n.emitError() << "keep_aspect_ratio_policy '" << policy
                         << "' needs sizes";
  } else if (n.hasInput(scalesInput)) {
    std::optional<SmallVector<double>> given =
        n.requireConstantFloats(scalesInput, "scales");
    if (!given)
      return failure();
    if (given->size() != axes.size())
      return n.emitError() << "scales needs " << axes.size()
                           << " entries, got " << given->size();
    for (auto [axis, scale] : llvm::zip(axes, *given)) {
      if (!(scale > 0.0))
        return n.emitError() << "scale " << scale << " of axis " << axis
                             << " must be positive";
      scales[axis] = scale;
      outSizes[axis] = static_cast<int64_t>(
          std::floor(static_cast<double>(type.getDimSize(axis)) * scale));
    }
  } else {
    return n.emitError() << "needs scales or sizes";
  }
  if (tenForm) {
    // Resize-10 has Upsample's rule: asymmetric, nearest rounded down.
    attrs.coordinates = "asymmetric";
    attrs.nearest = "floor";
  }
  attrs.roiStart.assign(rank, 0.0);
  attrs.roiEnd.assign(rank, 1.0);
  if (!tenForm && attrs.coordinates == "tf_crop_and_resize") {
    // roi: the starts of the axes (all of them, or `axes`), then their
    // ends, in [0, 1] of each extent.
    if (!n.hasInput(1))
      return n.emitError() << "tf_crop_and_resize needs roi";
    std::optional<SmallVector<double>> roi = n.requireConstantFloats(1, "roi");
    if (!roi)
      return failure();
    if (roi->size() != 2 * axes.size())
      return n.emitError() << "roi needs " << 2 * axes.size()
                           << " entries, got " << roi->size();
    // (Resized by scales, an axis keeps floor(extent * scale) elements, as
    // ONNX Runtime and ONNX's shape inference compute it, whatever the
    // region.)
    if (!llvm::all_of(*roi, [](double v) { return std::isfinite(v); }))
      return n.emitError() << "roi must be finite";
    for (auto [i, axis] : llvm::enumerate(axes)) {
      attrs.roiStart[axis] = (*roi)[i];
      attrs.roiEnd[axis] = (*roi)[axes.size() + i];
    }
  }
  return resize(n, attrs, x, outSizes, scales);
}

/// Upsample-7 (scales as an attribute) and -9 (as an input): asymmetric
/// coordinates, nearest positions rounded down.
static LogicalResult convertUpsample(NodeImporter &n) {
  if (failed(n.expectArity(1, 2, 1, 1)))
    return failure();
  ResizeAttrs attrs;
  std::string mode = n.stringAttr("mode", StringRef("nearest"));
  if (n.failed())
    return failure();
  if (mode != "nearest" && mode != "linear" && mode != "bilinear")
    return n.emitError() << "mode '" << mode << "' is not nearest or linear";
  attrs.mode =
      mode == "nearest" ? Interpolation::Nearest : Interpolation::Linear;
  attrs.coordinates = "asymmetric";
  attrs.nearest = "floor";
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  if (!type.hasStaticShape())
    return n.emitError() << "input must have a static shape, got " << type;
  SmallVector<double> scales;
  if (n.hasInput(1)) {
    std::optional<SmallVector<double>> given =
        n.requireConstantFloats(1, "scales");
    if (!given)
      return failure();
    scales = *given;
  } else {
    if (!n.hasAttr("scales"))
      return n.emitError() << "needs scales";
    scales = n.floatsAttr("scales");
    if (n.failed())
      return failure();
  }
  if (static_cast<int64_t>(scales.size()) != type.getRank())
    return n.emitError() << "scales needs " << type.getRank()
                         << " entries, got " << scales.size();
  attrs.roiStart.assign(type.getRank(), 0.0);
  attrs.roiEnd.assign(type.getRank(), 1.0);
  SmallVector<int64_t> outSizes;
  for (auto [size, scale] : llvm::zip(type.getShape(), scales)) {
    if (!(scale > 0.0))
      return n.emitError() << "scales must be positive";
    outSizes.push_back(
        static_cast<int64_t>(std::floor(static_cast<double>(size) * scale)));
  }
  return resize(n, attrs, x, outSizes, scales);
}

//===----------------------------------------------------------------------===//
// GridSample
//===----------------------------------------------------------------------===//

namespace {
enum class GridPadding { Zeros, Border, Reflection };
} // namespace

/// `x` reflected by the nearer border into [lo, hi] until inside (ONNX's
/// and PyTorch's rule), elementwise.
static Value reflectInto(NodeImporter &n, Value x, double lo, double hi) {
  Type f = NodeImporter::getType(x).getElementType();
  double range = hi - lo;
  auto fold = [&](Value distance, bool fromLow) {
    // distance = n * range + r: even n lands r inside the near border,
    // odd n r inside the far one.
    Value count =
        n.create<FloorOp>(n.create<DivOp>(distance, n.scalar(f, range)));
    Value rest =
        n.create<SubOp>(distance, n.create<MulOp>(count, n.scalar(f, range)));
    Value odd = n.create<CompareOp>(ComparisonPredicate::eq,
                                    n.create<ModOp>(count, n.scalar(f, 2.0)),
                                    n.scalar(f, 1.0));
    Value nearSide = fromLow ? n.create<AddOp>(n.scalar(f, lo), rest)
                             : n.create<SubOp>(n.scalar(f, hi), rest);
    Value farSide = fromLow ? n.create<SubOp>(n.scalar(f, hi), rest)
                            : n.create<AddOp>(n.scalar(f, lo), rest);
    return n.create<WhereOp>(odd, farSide, nearSide);
  };
  Value below =
      n.create<CompareOp>(ComparisonPredicate::lt, x, n.scalar(f, lo));
  Value above =
      n.create<CompareOp>(ComparisonPredicate::gt, x, n.scalar(f, hi));
  Value fromLow = fold(n.create<SubOp>(n.scalar(f, lo), x), true);
  Value fromHigh = fold(n.create<SubOp>(x, n.scalar(f, hi)), false);
  return n.create<WhereOp>(below, fromLow,
                           n.create<WhereOp>(above, fromHigh, x));
}

/// GridSample of 4-D inputs: each output position's source (x, y) from
/// the grid, denormalized, fixed by the padding mode when outside the
/// borders (not for bicubic); then the taps around it (1, 2 x 2 or 4 x 4), each
/// read through the padding mode (zeros: a hidden tap; border: clamped;
/// reflection: reflected) with a GatherElements over the flattened spatial
/// positions, weighted and summed.
static LogicalResult convertGridSample(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  std::string mode = n.stringAttr("mode", StringRef("bilinear"));
  std::string padding = n.stringAttr("padding_mode", StringRef("zeros"));
  bool alignCorners = n.intAttr("align_corners", 0) != 0;
  if (n.failed())
    return failure();
  Interpolation interpolation;
  if (mode == "nearest")
    interpolation = Interpolation::Nearest;
  else if (mode == "bilinear" || mode == "linear")
    interpolation = Interpolation::Linear;
  else if (mode == "bicubic" || mode == "cubic")
    interpolation = Interpolation::Cubic;
  else
    return n.emitError() << "mode '" << mode << "' is not supported";
  GridPadding pad;
  if (padding == "zeros")
    pad = GridPadding::Zeros;
  else if (padding == "border")
    pad = GridPadding::Border;
  else if (padding == "reflection")
    pad = GridPadding::Reflection;
  else
    return n.emitError() << "padding_mode '" << padding << "' is not supported";
  Value x = n.input(0), grid = n.input(1);
  RankedTensorType type = NodeImporter::getType(x);
  RankedTensorType gridType = NodeImporter::getType(grid);
  int64_t rank = type.getRank();
  // 4-D (an image) or, from GridSample-20, 5-D (a volume).
  bool volume = rank == 5 && n.opset >= 20;
  if ((rank != 4 && !volume) || !type.hasStaticShape() ||
      !isa<FloatType>(type.getElementType()) || gridType.getRank() != rank ||
      !gridType.hasStaticShape() || gridType.getDimSize(rank - 1) != rank - 2 ||
      gridType.getDimSize(0) != type.getDimSize(0) ||
      gridType.getElementType() != type.getElementType())
    return n.emitError() << "X " << type << " and grid " << gridType
                         << " must be static [N, C, H, W] floats and "
                         << "[N, Ho, Wo, 2] of the same type (or, from "
                         << "opset 20, [N, C, D, H, W] and [N, Do, Ho, Wo, 3])";
  if (volume && interpolation == Interpolation::Cubic)
    return n.emitError() << "cubic mode is for 4-D inputs only";
  Type f = type.getElementType();
  int64_t batch = type.getDimSize(0), channels = type.getDimSize(1);
  int64_t spatial = rank - 2;
  // The input's spatial sizes (D,) H, W and the output positions'.
  ArrayRef<int64_t> sizes = type.getShape().drop_front(2);
  ArrayRef<int64_t> outSizes = gridType.getShape().slice(1, spatial);
  int64_t outPositions = 1, inPositions = 1;
  for (int64_t d = 0; d < spatial; ++d) {
    if (sizes[d] < 1)
      return n.emitError() << "X " << type << " has an empty spatial axis";
    outPositions *= outSizes[d];
    inPositions *= sizes[d];
  }

  // Source coordinates; the grid's last axis holds (x, y[, z]): component
  // c is spatial axis spatial - 1 - c.
  auto coordinate = [&](int64_t component, int64_t size) {
    Value g = n.create<SelectOp>(grid, rank - 1, component);
    Value plusOne = n.create<AddOp>(g, n.scalar(f, 1.0));
    if (alignCorners)
      return n.create<MulOp>(plusOne, n.scalar(f, (size - 1) / 2.0));
    return n.create<DivOp>(
        n.create<SubOp>(n.create<MulOp>(plusOne, n.scalar(f, size)),
                        n.scalar(f, 1.0)),
        n.scalar(f, 2.0));
  };
  auto borders = [&](int64_t size) {
    return alignCorners ? std::pair<double, double>{0.0, size - 1.0}
                        : std::pair<double, double>{-0.5, size - 0.5};
  };
  auto fixOutside = [&](Value c, int64_t size) {
    if (pad == GridPadding::Zeros)
      return c;
    auto [lo, hi] = borders(size);
    if (pad == GridPadding::Reflection)
      return reflectInto(n, c, lo, hi);
    Value outside = n.create<OrOp>(
        n.create<CompareOp>(ComparisonPredicate::lt, c, n.scalar(f, lo)),
        n.create<CompareOp>(ComparisonPredicate::gt, c, n.scalar(f, hi)));
    Value clamped = n.create<MinOp>(n.create<MaxOp>(c, n.scalar(f, 0.0)),
                                    n.scalar(f, size - 1.0));
    return n.create<WhereOp>(outside, clamped, c);
  };
  // Per spatial axis (outermost first), its source coordinates.
  SmallVector<Value> coords(spatial);
  for (int64_t d = 0; d < spatial; ++d) {
    coords[d] = coordinate(spatial - 1 - d, sizes[d]);
    if (interpolation == Interpolation::Nearest)
      coords[d] = n.create<RoundOp>(coords[d]);
    // Bicubic reads its taps through the padding mode only (as PyTorch and
    // ONNX Runtime do); the others first bring the source inside.
    if (interpolation != Interpolation::Cubic)
      coords[d] = fixOutside(coords[d], sizes[d]);
  }

  // Taps along one axis: (position, weight) pairs of floats.
  auto taps = [&](Value c) {
    SmallVector<std::pair<Value, Value>> result;
    if (interpolation == Interpolation::Nearest) {
      result.push_back({c, Value()});
      return result;
    }
    Value base = n.create<FloorOp>(c);
    Value t = n.create<SubOp>(c, base);
    Value one = n.scalar(f, 1.0);
    if (interpolation == Interpolation::Linear) {
      result.push_back({base, n.create<SubOp>(one, t)});
      result.push_back({n.create<AddOp>(base, one), t});
      return result;
    }
    double a = -0.75;
    auto near = [&](Value d) { // ((a + 2) d - (a + 3)) d^2 + 1
      Value inner = n.create<SubOp>(n.create<MulOp>(d, n.scalar(f, a + 2)),
                                    n.scalar(f, a + 3));
      return n.create<AddOp>(n.create<MulOp>(inner, n.create<MulOp>(d, d)),
                             one);
    };
    auto far = [&](Value d) { // ((a d - 5a) d + 8a) d - 4a
      Value inner = n.create<SubOp>(n.create<MulOp>(d, n.scalar(f, a)),
                                    n.scalar(f, 5 * a));
      inner = n.create<AddOp>(n.create<MulOp>(inner, d), n.scalar(f, 8 * a));
      return n.create<SubOp>(n.create<MulOp>(inner, d), n.scalar(f, 4 * a));
    };
    Value oneMinusT = n.create<SubOp>(one, t);
    result.push_back(
        {n.create<SubOp>(base, one), far(n.create<AddOp>(t, one))});
    result.push_back({base, near(t)});
    result.push_back({n.create<AddOp>(base, one), near(oneMinusT)});
    result.push_back({n.create<AddOp>(base, n.scalar(f, 2.0)),
                      far(n.create<AddOp>(oneMinusT, one))});
    return result;
  };
  // A tap's integer index along an axis of `size`, and whether it reads
  // the tensor (zeros padding hides the others).
  auto tapIndex = [&](Value position, int64_t size) -> std::pair<Value, Value> {
    Value valid;
    if (pad == GridPadding::Zeros)
      valid =
          n.create<AndOp>(n.create<CompareOp>(ComparisonPredicate::ge, position,
                                              n.scalar(f, 0.0)),
                          n.create<CompareOp>(ComparisonPredicate::le, position,
                                              n.scalar(f, size - 1.0)));
    else if (pad == GridPadding::Reflection) {
      auto [lo, hi] = borders(size);
      position = reflectInto(n, position, lo, hi);
    }
    // Clamped (border padding; a safe read for the others), truncated; a
    // NaN coordinate (a NaN in the grid) reads position 0 rather than an
    // undefined index.
    Value isNaN =
        n.create<CompareOp>(ComparisonPredicate::ne, position, position);
    position = n.create<WhereOp>(isNaN, n.scalar(f, 0.0), position);
    position = n.create<MinOp>(n.create<MaxOp>(position, n.scalar(f, 0.0)),
                               n.scalar(f, size - 1.0));
    return {n.cast(position, n.b.getI64Type()), valid};
  };
  // Every combination of one tap per axis: the flattened source index, the
  // product of the taps' weights and, with zeros padding, whether every
  // tap reads the tensor.
  // Per axis and tap: (position, weight) and its (index, validity).
  SmallVector<SmallVector<std::pair<Value, Value>>> axisTaps, axisIndices;
  for (auto [d, c] : llvm::enumerate(coords)) {
    axisTaps.push_back(taps(c));
    axisIndices.emplace_back();
    for (auto [position, tapWeight] : axisTaps.back())
      axisIndices.back().push_back(tapIndex(position, sizes[d]));
  }
  SmallVector<int64_t> outShape = {batch, channels};
  llvm::append_range(outShape, outSizes);
  SmallVector<int64_t> weightShape = {batch, 1};
  llvm::append_range(weightShape, outSizes);
  Value table = n.reshape(x, {batch, channels, inPositions});
  Type i64 = n.b.getI64Type();
  Value sum;
  SmallVector<size_t> choice(spatial, 0);
  while (true) {
    Value flat, weight, valid;
    int64_t stride = inPositions;
    for (int64_t d = 0; d < spatial; ++d) {
      stride /= sizes[d];
      Value tapWeight = axisTaps[d][choice[d]].second;
      auto [index, tapValid] = axisIndices[d][choice[d]];
      Value term =
          stride == 1 ? index : n.create<MulOp>(index, n.scalar(i64, stride));
      flat = flat ? n.create<AddOp>(flat, term) : term;
      if (tapWeight)
        weight = weight ? n.create<MulOp>(weight, tapWeight) : tapWeight;
      if (tapValid)
        valid = valid ? n.create<AndOp>(valid, tapValid) : tapValid;
    }
    flat = n.expand(n.reshape(flat, {batch, 1, outPositions}),
                    {batch, channels, outPositions});
    Value pixels = n.reshape(
        n.create<GatherElementsOp>(table, flat, int64_t(2)), outShape);
    if (valid) {
      Value visible = n.cast(valid, f);
      weight = weight ? n.create<MulOp>(weight, visible) : visible;
    }
    if (weight)
      pixels = n.create<MulOp>(pixels, n.reshape(weight, weightShape));
    sum = sum ? n.create<AddOp>(sum, pixels) : pixels;
    if (n.failed())
      return failure();
    // The next combination, the innermost axis fastest.
    int64_t d = spatial - 1;
    while (d >= 0 && ++choice[d] == axisTaps[d].size())
      choice[d--] = 0;
    if (d < 0)
      break;
  }
  n.setOutput(0, sum);
  return n.finish();
}

void mlir::tfm::onnx_import::populateResizeConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Resize", 10, convertResize);
  r.add(onnx, "Upsample", 7, convertUpsample);
  r.add(onnx, "GridSample", 16, convertGridSample);
}
