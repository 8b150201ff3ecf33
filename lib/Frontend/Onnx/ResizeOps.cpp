//===- ResizeOps.cpp - Resize and Upsample --------------------------------===//
//
// ONNX Resize (and Upsample, its asymmetric predecessor) with constant
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
};

/// One tap of every output position along an axis: the source index and its
/// weight.
struct Tap {
  SmallVector<int64_t> index;
  SmallVector<double> weight;
};

} // namespace

/// The source coordinate of output position `o` along an axis of `in`
/// elements resized to `out` by `scale`.
static double sourceCoordinate(StringRef mode, int64_t o, int64_t in,
                               int64_t out, double scale) {
  double x = static_cast<double>(o);
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

/// The cubic convolution weights of the four taps around a fraction t.
static std::array<double, 4> cubicWeights(double a, double t) {
  auto near = [&](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };
  auto far = [&](double d) {
    return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  };
  return {far(t + 1), near(t), near(1 - t), far(2 - t)};
}

/// The taps of every output position along an axis of `in` elements
/// resized to `out` by `scale`.
static SmallVector<Tap> computeTaps(const ResizeAttrs &attrs, int64_t in,
                                    int64_t out, double scale) {
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i, 0, in - 1);
  };
  int64_t count = attrs.mode == Interpolation::Nearest  ? 1
                  : attrs.mode == Interpolation::Linear ? 2
                                                        : 4;
  SmallVector<Tap> taps(count);
  for (int64_t o = 0; o < out; ++o) {
    double x = sourceCoordinate(attrs.coordinates, o, in, out, scale);
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

/// Resizes `x` along `axis` to `out` elements.
static Value resizeAxis(NodeImporter &n, const ResizeAttrs &attrs, Value x,
                        int64_t axis, int64_t out, double scale) {
  RankedTensorType type = NodeImporter::getType(x);
  int64_t in = type.getDimSize(axis);
  SmallVector<Tap> taps = computeTaps(attrs, in, out, scale);
  SmallVector<int64_t> weightShape(type.getRank(), 1);
  weightShape[axis] = out;
  auto weightType = RankedTensorType::get(weightShape, type.getElementType());
  Value sum;
  for (const Tap &tap : taps) {
    Value gathered = n.create<GatherOp>(x, n.int64s(tap.index), axis);
    if (attrs.mode != Interpolation::Nearest) {
      SmallVector<Attribute> weights;
      for (double w : tap.weight)
        weights.push_back(n.b.getFloatAttr(type.getElementType(), w));
      gathered = n.create<MulOp>(
          gathered, n.constant(DenseElementsAttr::get(weightType, weights)));
    }
    sum = sum ? n.create<AddOp>(sum, gathered) : gathered;
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
    if (out == in && scales[axis] == 1.0)
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

/// The float values of constant input `i`, or an error naming `what`.
static std::optional<SmallVector<double>>
requireConstantFloats(NodeImporter &n, unsigned i, StringRef what) {
  DenseElementsAttr values = n.constantInput(i);
  if (!values || !isa<FloatType>(values.getElementType())) {
    n.emitError() << "input #" << i << " (" << what
                  << ") must be a float constant once input shapes are "
                     "fixed, but it is computed at run time; run-time shape "
                     "operands are not supported";
    return std::nullopt;
  }
  SmallVector<double> result;
  for (APFloat v : values.getValues<APFloat>())
    result.push_back(v.convertToDouble());
  return result;
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
                           "asymmetric", "tf_half_pixel_for_nn"},
                          attrs.coordinates))
    return n.emitError() << "coordinate_transformation_mode '"
                         << attrs.coordinates << "' is not supported";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          attrs.nearest))
    return n.emitError() << "nearest_mode '" << attrs.nearest
                         << "' is not supported";
  if (antialias != 0)
    return n.emitError() << "antialias is not supported";
  if (policy != "stretch")
    return n.emitError() << "keep_aspect_ratio_policy '" << policy
                         << "' is not supported";
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
      outSizes[axis] = size;
      scales[axis] = static_cast<double>(size) /
                     static_cast<double>(type.getDimSize(axis));
    }
  } else if (n.hasInput(scalesInput)) {
    std::optional<SmallVector<double>> given =
        requireConstantFloats(n, scalesInput, "scales");
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
  if (!tenForm && attrs.coordinates == "tf_crop_and_resize")
    return n.emitError() << "tf_crop_and_resize is not supported";
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
        requireConstantFloats(n, 1, "scales");
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
  SmallVector<int64_t> outSizes;
  for (auto [size, scale] : llvm::zip(type.getShape(), scales)) {
    if (!(scale > 0.0))
      return n.emitError() << "scales must be positive";
    outSizes.push_back(
        static_cast<int64_t>(std::floor(static_cast<double>(size) * scale)));
  }
  return resize(n, attrs, x, outSizes, scales);
}

void mlir::tfm::onnx_import::populateResizeConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "Resize", 10, convertResize);
  r.add(onnx, "Upsample", 7, convertUpsample);
}
