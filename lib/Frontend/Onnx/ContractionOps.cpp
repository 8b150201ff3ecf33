//===- ContractionOps.cpp - MatMul, Gemm, Einsum and Conv -----------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

Value mlir::tfm::onnx_import::createMatmul(NodeImporter &n, Value a, Value b) {
  if (!a || !b)
    return n.create<MatmulOp>(a, b);
  RankedTensorType aType = NodeImporter::getType(a);
  RankedTensorType bType = NodeImporter::getType(b);
  if (aType.getRank() == 0 || bType.getRank() == 0) {
    n.emitError() << "operands must have rank 1 or more, got " << aType
                  << " and " << bType;
    return Value();
  }
  // numpy.matmul promotes 1-D operands to matrices and drops the added
  // dimension from the result.
  bool vectorLhs = aType.getRank() == 1, vectorRhs = bType.getRank() == 1;
  if (vectorLhs)
    a = n.reshape(a, {1, aType.getDimSize(0)});
  if (vectorRhs)
    b = n.reshape(b, {bType.getDimSize(0), 1});
  Value y = n.create<MatmulOp>(a, b);
  if (y && (vectorLhs || vectorRhs)) {
    SmallVector<int64_t> shape(NodeImporter::getType(y).getShape());
    if (vectorRhs)
      shape.pop_back();
    if (vectorLhs)
      shape.erase(shape.end() - (vectorRhs ? 1 : 2));
    y = n.reshape(y, shape);
  }
  return y;
}

static LogicalResult convertMatMul(NodeImporter &n) {
  if (failed(n.expectArity(2, 2, 1, 1)))
    return failure();
  n.setOutput(0, createMatmul(n, n.input(0), n.input(1)));
  return n.finish();
}

static LogicalResult convertGemm(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 1)))
    return failure();
  double alpha = n.floatAttr("alpha", 1.0), beta = n.floatAttr("beta", 1.0);
  bool transA = n.intAttr("transA", 0) != 0;
  bool transB = n.intAttr("transB", 0) != 0;
  if (n.failed())
    return failure();
  Value a = n.input(0), b = n.input(1), c = n.input(2);
  RankedTensorType aType = NodeImporter::getType(a);
  RankedTensorType bType = NodeImporter::getType(b);
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return n.emitError() << "A and B must be matrices, got " << aType << " and "
                         << bType;
  Type elementType = aType.getElementType();
  int64_t outFeatures = transB ? bType.getDimSize(0) : bType.getDimSize(1);

  // The common layer form, x · Wᵀ + b with W as [N, K], is tfm.linear.
  bool biasIsRow = false;
  if (c) {
    ArrayRef<int64_t> shape = NodeImporter::getType(c).getShape();
    biasIsRow = (shape.size() == 1 && shape[0] == outFeatures) ||
                (shape.size() == 2 && shape[0] == 1 && shape[1] == outFeatures);
  }
  if (transB && !transA && alpha == 1.0 && (!c || (biasIsRow && beta == 1.0))) {
    Value bias = c ? n.reshape(c, {outFeatures}) : Value();
    n.setOutput(0, n.create<LinearOp>(a, b, MaybeValue{bias}, MaybeValue{},
                                      ActivationAttr(), IntegerAttr()));
    return n.finish();
  }

  if (transA)
    a = n.transpose(a, {1, 0});
  if (transB)
    b = n.transpose(b, {1, 0});
  Value y = n.create<MatmulOp>(a, b);
  if (alpha != 1.0)
    y = n.create<MulOp>(y, n.scalar(elementType, alpha));
  if (c && beta != 0.0) {
    if (beta != 1.0)
      c = n.create<MulOp>(c, n.scalar(elementType, beta));
    y = n.create<AddOp>(y, c);
  }
  n.setOutput(0, y);
  return n.finish();
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

namespace {
/// An Einsum operand after its private labels were summed away.
struct Term {
  Value value;
  std::string labels;
};
} // namespace

/// Sums `term` over its labels that appear in neither `keep1` nor `keep2`.
static Term sumPrivateLabels(NodeImporter &n, Term term, StringRef keep1,
                             StringRef keep2) {
  SmallVector<int64_t> axes;
  std::string kept;
  for (auto [i, c] : llvm::enumerate(term.labels)) {
    if (keep1.contains(c) || keep2.contains(c))
      kept.push_back(c);
    else
      axes.push_back(i);
  }
  if (axes.empty())
    return term;
  return {n.create<ReduceSumOp>(term.value, axes, /*keepdims=*/false), kept};
}

/// Transposes `term` so that its labels read `order`.
static Value permuteTo(NodeImporter &n, const Term &term, StringRef order) {
  SmallVector<int64_t> perm;
  for (char c : order)
    perm.push_back(StringRef(term.labels).find(c));
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return term.value;
  return n.transpose(term.value, perm);
}

static LogicalResult convertEinsum(NodeImporter &n) {
  if (failed(n.expectArity(1, 2, 1, 1)))
    return failure();
  std::string equation = n.stringAttr("equation", std::nullopt);
  if (n.failed())
    return failure();
  equation.erase(llvm::remove_if(equation, llvm::isSpace), equation.end());
  auto [lhs, output] = StringRef(equation).split("->");
  SmallVector<StringRef> operandLabels;
  lhs.split(operandLabels, ',');
  if (operandLabels.size() != n.numInputs())
    return n.emitError() << "equation '" << equation << "' names "
                         << operandLabels.size() << " operands, the node has "
                         << n.numInputs();
  SmallVector<unsigned> all =
      llvm::to_vector(llvm::seq<unsigned>(0, n.numInputs()));
  if (failed(n.requireInputs(all)))
    return failure();

  // An ellipsis stands for the dimensions the labels leave, aligned at the
  // right across operands: each becomes fresh labels (letters the equation
  // does not use), the output's ellipsis all of them, in front.
  std::string unused;
  for (char c = 'A'; c <= 'Z'; ++c)
    if (!StringRef(equation).contains(c))
      unused.push_back(c);
  for (char c = 'a'; c <= 'z'; ++c)
    if (!StringRef(equation).contains(c))
      unused.push_back(c);
  SmallVector<std::string> labelsOf;
  int64_t ellipsisRank = 0;
  for (auto [i, labels] : llvm::enumerate(operandLabels)) {
    int64_t rank = NodeImporter::getType(n.input(i)).getRank();
    size_t at = labels.find("...");
    if (at == StringRef::npos) {
      labelsOf.push_back(labels.str());
      continue;
    }
    int64_t named = static_cast<int64_t>(labels.size()) - 3;
    if (named > rank || labels.substr(at + 3).contains("..."))
      return n.emitError() << "equation '" << equation << "' gives operand #"
                           << i << " more labels than its rank " << rank;
    ellipsisRank = std::max(ellipsisRank, rank - named);
    labelsOf.push_back(labels.str());
  }
  if (ellipsisRank > static_cast<int64_t>(unused.size()))
    return n.emitError() << "equation '" << equation
                         << "': too many dimensions under the ellipsis";
  std::string ellipsis = unused.substr(0, ellipsisRank);
  for (auto [i, labels] : llvm::enumerate(labelsOf)) {
    size_t at = labels.find("...");
    if (at == std::string::npos)
      continue;
    int64_t rank = NodeImporter::getType(n.input(i)).getRank();
    int64_t covered = rank - (static_cast<int64_t>(labels.size()) - 3);
    labels.replace(at, 3, ellipsis.substr(ellipsisRank - covered));
  }
  std::string out = output.str();
  if (size_t at = out.find("..."); at != std::string::npos)
    out.replace(at, 3, ellipsis);
  if (!StringRef(equation).contains("->")) {
    // Implicit output: the ellipsis, then the labels used once, in
    // alphabetical order.
    std::string named;
    for (const std::string &labels : labelsOf)
      named += labels;
    std::string once;
    for (char c : named)
      if (llvm::isAlpha(c) && llvm::count(named, c) == 1 &&
          !StringRef(ellipsis).contains(c))
        once.push_back(c);
    llvm::sort(once);
    out = ellipsis + once;
  }

  SmallVector<Term> terms;
  for (auto [i, labels] : llvm::enumerate(labelsOf)) {
    Value value = n.input(i);
    RankedTensorType type = NodeImporter::getType(value);
    if (static_cast<int64_t>(labels.size()) != type.getRank())
      return n.emitError() << "equation '" << equation << "' gives operand #"
                           << i << " " << labels.size() << " labels, but it is "
                           << type;
    for (char c : labels)
      if (!llvm::isAlpha(c))
        return n.emitError()
               << "equation '" << equation << "': labels must be letters";
    // A repeated label takes the diagonal: the product with the identity
    // over its two axes, summed over the second.
    Term term{value, labels};
    for (size_t p = 0; p < term.labels.size(); ++p) {
      size_t q;
      while ((q = term.labels.find(term.labels[p], p + 1)) !=
             std::string::npos) {
        RankedTensorType termType = NodeImporter::getType(term.value);
        int64_t size = termType.getDimSize(p);
        if (ShapedType::isDynamic(size) || size != termType.getDimSize(q))
          return n.emitError() << "equation '" << equation << "': label '"
                               << term.labels[p] << "' of operand #" << i
                               << " spans dimensions of different sizes";
        if (!isa<FloatType>(termType.getElementType()))
          return n.emitError() << "equation '" << equation << "': diagonals of "
                               << termType << " are not supported";
        SmallVector<int64_t> eyeShape(termType.getRank(), 1);
        eyeShape[p] = eyeShape[q] = size;
        SmallVector<Attribute> eye;
        for (int64_t r = 0; r < size; ++r)
          for (int64_t c = 0; c < size; ++c)
            eye.push_back(n.b.getFloatAttr(termType.getElementType(),
                                           r == c ? 1.0 : 0.0));
        Value identity = n.constant(DenseElementsAttr::get(
            RankedTensorType::get(eyeShape, termType.getElementType()), eye));
        term.value = n.create<ReduceSumOp>(
            n.create<MulOp>(term.value, identity),
            SmallVector<int64_t>{static_cast<int64_t>(q)}, /*keepdims=*/false);
        term.labels.erase(q, 1);
        if (!term.value)
          return failure();
      }
    }
    terms.push_back(term);
  }
  for (char c : out)
    if (llvm::none_of(terms, [&](const Term &t) {
          return StringRef(t.labels).contains(c);
        }))
      return n.emitError() << "equation '" << equation << "': output label '"
                           << c << "' appears in no operand";

  if (terms.size() == 1) {
    Term term = sumPrivateLabels(n, terms[0], out, "");
    if (!term.value)
      return failure();
    n.setOutput(0, permuteTo(n, term, out));
    return n.finish();
  }

  // Labels summed in one operand only are reduced first; the rest are batch
  // (in both and the output), contracted (in both, not the output) or free.
  Term a = sumPrivateLabels(n, terms[0], out, terms[1].labels);
  Term b = sumPrivateLabels(n, terms[1], out, terms[0].labels);
  if (!a.value || !b.value)
    return failure();
  std::string batch, contract, freeA, freeB;
  for (char c : a.labels) {
    bool inB = StringRef(b.labels).contains(c),
         inOut = StringRef(out).contains(c);
    if (inB && inOut)
      batch.push_back(c);
    else if (inB)
      contract.push_back(c);
    else
      freeA.push_back(c);
  }
  for (char c : b.labels)
    if (!StringRef(a.labels).contains(c))
      freeB.push_back(c);

  auto sizeOf = [&](const Term &t, char c) {
    return NodeImporter::getType(t.value).getDimSize(
        StringRef(t.labels).find(c));
  };
  auto product = [&](const Term &t, StringRef labels) {
    int64_t p = 1;
    for (char c : labels)
      p *= sizeOf(t, c);
    return p;
  };
  for (char c : batch + contract)
    if (sizeOf(a, c) != sizeOf(b, c))
      return n.emitError() << "equation '" << equation << "': label '" << c
                           << "' has size " << sizeOf(a, c)
                           << " in one operand and " << sizeOf(b, c)
                           << " in the other";

  SmallVector<int64_t> batchShape;
  for (char c : batch)
    batchShape.push_back(sizeOf(a, c));
  int64_t m = product(a, freeA), k = product(a, contract),
          nDim = product(b, freeB);
  auto withBatch = [&](std::initializer_list<int64_t> tail) {
    SmallVector<int64_t> shape(batchShape);
    shape.append(tail);
    return shape;
  };
  Value lhsMatrix =
      n.reshape(permuteTo(n, a, batch + freeA + contract), withBatch({m, k}));
  Value rhsMatrix = n.reshape(permuteTo(n, b, batch + contract + freeB),
                              withBatch({k, nDim}));
  Value product2 = n.create<MatmulOp>(lhsMatrix, rhsMatrix);
  SmallVector<int64_t> resultShape(batchShape);
  for (char c : freeA)
    resultShape.push_back(sizeOf(a, c));
  for (char c : freeB)
    resultShape.push_back(sizeOf(b, c));
  Value result = n.reshape(product2, resultShape);
  if (!result)
    return failure();
  n.setOutput(0, permuteTo(n, {result, batch + freeA + freeB}, out));
  return n.finish();
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

/// The spatial sizes of a Conv or ConvTranspose kernel, after checking that
/// input and weight share a rank of at least 3 and that `kernel_shape`, if
/// given, agrees; reports otherwise.
static FailureOr<SmallVector<int64_t>>
getConvKernel(NodeImporter &n, RankedTensorType xType, RankedTensorType wType) {
  if (xType.getRank() < 3 || wType.getRank() != xType.getRank())
    return n.emitError() << "input " << xType << " and weight " << wType
                         << " must have the same rank, at least 3";
  SmallVector<int64_t> kernel(wType.getShape().drop_front(2));
  if (n.hasAttr("kernel_shape") &&
      n.intsAttr("kernel_shape", std::nullopt) != kernel)
    return n.emitError() << "attribute 'kernel_shape' contradicts weight "
                         << wType;
  if (n.failed())
    return failure();
  return kernel;
}

/// The windows (strides, pads, dilations) and the group of a Conv-like node
/// over `x` by `w`.
static FailureOr<std::pair<WindowAttrs, int64_t>>
getConvWindow(NodeImporter &n, RankedTensorType xType, RankedTensorType wType) {
  FailureOr<SmallVector<int64_t>> kernel = getConvKernel(n, xType, wType);
  int64_t group = n.intAttr("group", 1);
  if (failed(kernel) || n.failed())
    return failure();
  FailureOr<WindowAttrs> window =
      getWindowAttrs(n, xType.getShape().drop_front(2), *kernel);
  if (failed(window))
    return failure();
  return std::make_pair(*window, group);
}

static LogicalResult convertConv(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 1)))
    return failure();
  Value x = n.input(0), w = n.input(1);
  FailureOr<std::pair<WindowAttrs, int64_t>> conv =
      getConvWindow(n, NodeImporter::getType(x), NodeImporter::getType(w));
  if (failed(conv))
    return failure();
  auto &[window, group] = *conv;
  n.setOutput(0, n.create<ConvOp>(x, w, MaybeValue{n.input(2)}, window.strides,
                                  window.pads, window.dilations, group));
  return n.finish();
}

/// ConvInteger: (x - x_zero_point) convolved with (w - w_zero_point) in
/// int32, exactly; w's zero point is one value or one per output channel.
static LogicalResult convertConvInteger(NodeImporter &n) {
  if (failed(n.expectArity(2, 4, 1, 1)))
    return failure();
  Value x = n.input(0), w = n.input(1);
  RankedTensorType xType = NodeImporter::getType(x);
  RankedTensorType wType = NodeImporter::getType(w);
  auto isByte = [](Type t) { return t.isInteger(8); };
  if (!isByte(xType.getElementType()) || !isByte(wType.getElementType()))
    return n.emitError() << "x and w must be 8-bit integers, got " << xType
                         << " and " << wType;
  FailureOr<std::pair<WindowAttrs, int64_t>> conv =
      getConvWindow(n, xType, wType);
  if (failed(conv))
    return failure();
  auto &[window, group] = *conv;
  Type i32 = n.b.getI32Type();
  Value input = n.cast(x, i32), weight = n.cast(w, i32);
  if (n.hasInput(2)) {
    Value zero = n.input(2);
    RankedTensorType zeroType = NodeImporter::getType(zero);
    if (zeroType.getNumElements() != 1 ||
        zeroType.getElementType() != xType.getElementType())
      return n.emitError() << "x_zero_point must be one value of x's type, "
                           << "got " << zeroType;
    input = n.create<SubOp>(input, n.cast(n.reshape(zero, {}), i32));
  }
  if (n.hasInput(3)) {
    Value zero = n.input(3);
    RankedTensorType zeroType = NodeImporter::getType(zero);
    int64_t outChannels = wType.getDimSize(0);
    if (zeroType.getElementType() != wType.getElementType() ||
        (zeroType.getNumElements() != 1 &&
         (zeroType.getRank() != 1 || zeroType.getDimSize(0) != outChannels)))
      return n.emitError() << "w_zero_point must be one value or one per "
                           << "output channel (" << outChannels
                           << ") of w's type, got " << zeroType;
    // Per output channel: [M, 1, ...] against w's [M, C/g, k...].
    SmallVector<int64_t> shape;
    if (zeroType.getNumElements() != 1 || zeroType.getRank() == 1) {
      shape.assign(wType.getRank(), 1);
      shape[0] = zeroType.getNumElements();
    }
    weight = n.create<SubOp>(weight, n.cast(n.reshape(zero, shape), i32));
  }
  n.setOutput(0, n.create<ConvOp>(input, weight, MaybeValue{}, window.strides,
                                  window.pads, window.dilations, group));
  return n.finish();
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// ConvTranspose as a stride-1 convolution: the input with strides[i] - 1
/// zeros inserted between its elements along each spatial axis, padded by
/// dilations[i] * (k_i - 1) minus the transposed convolution's own pads
/// (output_padding more at the end; negative amounts crop the input), by
/// the kernel flipped along its spatial axes with its channel roles swapped
/// within each group ([C, M/g, k...] -> [M, C/g, k...]). An output_shape
/// (or SAME auto padding) sets the pads, and extends output_padding where
/// it asks for more than the input reaches.
static LogicalResult convertConvTranspose(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 1)))
    return failure();
  Value x = n.input(0), w = n.input(1);
  RankedTensorType xType = NodeImporter::getType(x);
  RankedTensorType wType = NodeImporter::getType(w);
  FailureOr<SmallVector<int64_t>> kernelSizes = getConvKernel(n, xType, wType);
  if (failed(kernelSizes))
    return failure();
  SmallVector<int64_t> kernel = std::move(*kernelSizes);
  int64_t d = xType.getRank() - 2;
  if (!xType.hasStaticShape() || !wType.hasStaticShape())
    return n.emitError() << "input " << xType << " and weight " << wType
                         << " must have static shapes";
  int64_t group = n.intAttr("group", 1);
  SmallVector<int64_t> ones(d, 1), zeros(2 * d, 0), noOutput(d, 0);
  SmallVector<int64_t> strides = n.intsAttr("strides", ArrayRef(ones));
  SmallVector<int64_t> dilations = n.intsAttr("dilations", ArrayRef(ones));
  SmallVector<int64_t> pads = n.intsAttr("pads", ArrayRef(zeros));
  SmallVector<int64_t> outputPadding =
      n.intsAttr("output_padding", ArrayRef(noOutput));
  SmallVector<int64_t> outputShape =
      n.intsAttr("output_shape", ArrayRef<int64_t>{});
  std::string autoPad = n.stringAttr("auto_pad", StringRef("NOTSET"));
  if (n.failed())
    return failure();
  int64_t channels = xType.getDimSize(1);
  auto positive = [](int64_t v) { return v > 0 && v <= (int64_t(1) << 20); };
  if (static_cast<int64_t>(strides.size()) != d ||
      static_cast<int64_t>(dilations.size()) != d ||
      static_cast<int64_t>(pads.size()) != 2 * d ||
      static_cast<int64_t>(outputPadding.size()) != d ||
      !llvm::all_of(strides, positive) || !llvm::all_of(dilations, positive))
    return n.emitError() << "strides, dilations and output_padding need " << d
                         << " positive entries (output_padding non-negative) "
                         << "and pads " << 2 * d;
  if (group < 1 || channels % group != 0 || wType.getDimSize(0) != channels)
    return n.emitError() << "group " << group << " must divide the " << channels
                         << " input channels, the weight's "
                         << "first dimension";
  for (int64_t i = 0; i < d; ++i)
    if (outputPadding[i] < 0 || pads[i] < 0 || pads[d + i] < 0 ||
        outputPadding[i] >= std::max(strides[i], dilations[i]))
      return n.emitError() << "pads " << formatShape(pads)
                           << " must be non-negative and output_padding "
                           << formatShape(outputPadding)
                           << " smaller than the stride or the dilation";
  // Pads from output_shape (spatial sizes, or the whole shape), or from
  // SAME auto padding (output = input * stride).
  if (!outputShape.empty() && static_cast<int64_t>(outputShape.size()) == d + 2)
    outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (!same && autoPad != "NOTSET" && autoPad != "VALID")
    return n.emitError() << "attribute 'auto_pad' has unknown value '"
                         << autoPad << "'";
  if (autoPad == "VALID")
    pads.assign(2 * d, 0);
  if (!outputShape.empty() || same) {
    if (!outputShape.empty() && static_cast<int64_t>(outputShape.size()) != d)
      return n.emitError() << "output_shape " << formatShape(outputShape)
                           << " needs " << d << " spatial sizes";
    for (int64_t i = 0; i < d; ++i) {
      int64_t in = xType.getDimSize(2 + i);
      int64_t out = outputShape.empty() ? in * strides[i] : outputShape[i];
      int64_t total = strides[i] * (in - 1) + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - out;
      // A larger output than the input reaches grows at the end, as
      // output_padding does.
      if (total < 0) {
        outputPadding[i] -= total;
        total = 0;
      }
      int64_t half = total / 2;
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? half : total - half;
      pads[d + i] = total - pads[i];
    }
  }
  // Zeros between the input's elements.
  Type elementType = xType.getElementType();
  for (int64_t i = 0; i < d; ++i) {
    int64_t s = strides[i], axis = 2 + i;
    if (s == 1)
      continue;
    ArrayRef<int64_t> shape = NodeImporter::getType(x).getShape();
    SmallVector<int64_t> split(shape.begin(), shape.begin() + axis + 1);
    split.push_back(1);
    split.append(shape.begin() + axis + 1, shape.end());
    Value column = n.reshape(x, split);
    SmallVector<int64_t> gapShape(split);
    gapShape[axis + 1] = s - 1;
    Value gap = n.splat(RankedTensorType::get(gapShape, elementType), 0.0);
    Value spread = n.create<ConcatOp>(ValueRange{column, gap}, axis + 1);
    SmallVector<int64_t> merged(shape);
    merged[axis] = shape[axis] * s;
    x = n.sliceAxis(n.reshape(spread, merged), axis, 0,
                    (shape[axis] - 1) * s + 1);
  }
  // The convolution's padding; a negative amount crops the input.
  SmallVector<int64_t> convPads(2 * d, 0);
  for (int64_t i = 0; i < d; ++i) {
    int64_t reach = dilations[i] * (kernel[i] - 1);
    int64_t before = reach - pads[i];
    int64_t after = reach - pads[d + i] + outputPadding[i];
    int64_t size = NodeImporter::getType(x).getDimSize(2 + i);
    int64_t cropBefore = std::max<int64_t>(0, -before);
    int64_t cropAfter = std::max<int64_t>(0, -after);
    if (cropBefore + cropAfter >= size)
      return n.emitError() << "pads " << formatShape(pads)
                           << " leave no input along spatial axis " << i;
    if (cropBefore || cropAfter)
      x = n.sliceAxis(x, 2 + i, cropBefore, size - cropBefore - cropAfter);
    convPads[i] = std::max<int64_t>(0, before);
    convPads[d + i] = std::max<int64_t>(0, after);
  }
  // [C, M/g, k...] -> [g, C/g, M/g, k...] -> [g, M/g, C/g, k...] ->
  // [M, C/g, k...], flipped along k.
  int64_t perGroupIn = channels / group, perGroupOut = wType.getDimSize(1);
  SmallVector<int64_t> grouped{group, perGroupIn, perGroupOut};
  grouped.append(kernel);
  SmallVector<int64_t> perm{0, 2, 1};
  for (int64_t i = 0; i < d; ++i)
    perm.push_back(3 + i);
  SmallVector<int64_t> flat{group * perGroupOut, perGroupIn};
  flat.append(kernel);
  Value kernelValue = n.reshape(n.transpose(n.reshape(w, grouped), perm), flat);
  SmallVector<int64_t> spatialAxes;
  for (int64_t i = 0; i < d; ++i)
    spatialAxes.push_back(2 + i);
  kernelValue = n.create<ReverseOp>(kernelValue, spatialAxes);
  n.setOutput(0, n.create<ConvOp>(x, kernelValue, MaybeValue{n.input(2)},
                                  SmallVector<int64_t>(ones), convPads,
                                  dilations, group));
  return n.finish();
}

//===----------------------------------------------------------------------===//
// Det
//===----------------------------------------------------------------------===//

/// Det of [..., n, n] matrices up to 4 x 4, by the permutation expansion:
/// the sum over permutations p of sign(p) * prod_i A[i, p(i)].
static LogicalResult convertDet(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, 1)))
    return failure();
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  int64_t rank = type.getRank();
  if (rank < 2 || !isa<FloatType>(type.getElementType()) ||
      type.isDynamicDim(rank - 1) ||
      type.getDimSize(rank - 1) != type.getDimSize(rank - 2))
    return n.emitError() << "input must be float square matrices [..., n, "
                         << "n], got " << type;
  int64_t size = type.getDimSize(rank - 1);
  if (size < 1 || size > 4)
    return n.emitError() << "determinants of " << size << " x " << size
                         << " matrices are not supported (1 to 4)";
  SmallVector<SmallVector<Value>> entries(size, SmallVector<Value>(size));
  for (int64_t i = 0; i < size; ++i) {
    Value row = n.create<SelectOp>(x, rank - 2, i);
    for (int64_t j = 0; j < size; ++j)
      entries[i][j] = n.create<SelectOp>(row, rank - 2, j);
  }
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, size));
  Value det;
  do {
    // The sign: the parity of the permutation's inversions.
    int64_t inversions = 0;
    for (int64_t a = 0; a < size; ++a)
      for (int64_t b = a + 1; b < size; ++b)
        inversions += perm[a] > perm[b];
    Value term = entries[0][perm[0]];
    for (int64_t i = 1; i < size; ++i)
      term = n.create<MulOp>(term, entries[i][perm[i]]);
    if (!det)
      det = inversions % 2 ? n.create<NegOp>(term) : term;
    else
      det = inversions % 2 ? n.create<SubOp>(det, term)
                           : n.create<AddOp>(det, term);
  } while (std::next_permutation(perm.begin(), perm.end()));
  n.setOutput(0, det);
  return n.finish();
}

//===----------------------------------------------------------------------===//
// DFT
//===----------------------------------------------------------------------===//

/// DFT-17 and -20 of real ([..., 1]) or complex ([..., 2]) signals along a
/// signal axis, by a constant matrix: the axis moved next to the components,
/// [..., N, C] flattened to N·C features, one linear to 2K features (each
/// output frequency's real and imaginary parts, interleaved), moved back.
/// Frequency k of a signal of length L (dft_length; the signal is cut or
/// zero-padded to it) weighs x[n] by e^{-2πi·kn/L}, or e^{+2πi·kn/L} / L
/// inverse; onesided keeps frequencies 0 .. L/2 of a real signal.
static LogicalResult convertDft(NodeImporter &n) {
  if (failed(n.expectArity(1, 3, 1, 1)))
    return failure();
  bool inverse = n.intAttr("inverse", 0) != 0;
  bool onesided = n.intAttr("onesided", 0) != 0;
  // DFT-20 takes the axis as an input (default -2, the last signal axis);
  // DFT-17 as an attribute (default 1).
  int64_t axisValue = n.opset >= 20 ? -2 : n.intAttr("axis", 1);
  if (n.failed())
    return failure();
  if (n.opset >= 20 && n.hasInput(2)) {
    std::optional<SmallVector<int64_t>> axis = n.requireConstantInts(2, "axis");
    if (!axis)
      return failure();
    if (axis->size() != 1)
      return n.emitError() << "axis must hold one value, got " << axis->size();
    axisValue = axis->front();
  }
  Value x = n.input(0);
  RankedTensorType type = NodeImporter::getType(x);
  int64_t rank = type.getRank();
  if (rank < 3 || !type.hasStaticShape() ||
      !isa<FloatType>(type.getElementType()) ||
      (type.getDimSize(rank - 1) != 1 && type.getDimSize(rank - 1) != 2))
    return n.emitError() << "input must be a static float [batch, signal..., "
                         << "1 or 2], got " << type;
  int64_t components = type.getDimSize(rank - 1);
  // An axis of the signal dimensions (not the components').
  int64_t axis = axisValue < 0 ? axisValue + rank : axisValue;
  if (axis < 1 || axis > rank - 2)
    return n.emitError() << "axis " << axisValue << " is not a signal axis of "
                         << "a rank-" << rank << " input";
  if (onesided && (inverse || components == 2))
    return n.emitError() << "onesided needs a real input and a forward DFT";
  int64_t size = type.getDimSize(axis);
  int64_t length = size;
  if (n.hasInput(1)) {
    std::optional<SmallVector<int64_t>> given =
        n.requireConstantInts(1, "dft_length");
    if (!given)
      return failure();
    if (given->size() != 1 || given->front() < 1)
      return n.emitError() << "dft_length must be one positive value";
    length = given->front();
  }
  int64_t frequencies = onesided ? length / 2 + 1 : length;
  Type f = type.getElementType();
  auto weightType =
      RankedTensorType::get({2 * frequencies, size * components}, f);
  if (failed(
          n.checkConstantSize(weightType, /*isSplat=*/false, "the DFT matrix")))
    return failure();

  // The matrix: row 2k + c_out (the real or imaginary part of frequency
  // k), column n·C + c_in.
  SmallVector<Attribute> weights;
  weights.reserve(weightType.getNumElements());
  double norm = inverse ? 1.0 / static_cast<double>(length) : 1.0;
  double sign = inverse ? 1.0 : -1.0;
  for (int64_t k = 0; k < frequencies; ++k)
    for (int64_t cOut = 0; cOut < 2; ++cOut)
      for (int64_t i = 0; i < size; ++i)
        for (int64_t cIn = 0; cIn < components; ++cIn) {
          double w = 0.0;
          if (i < length) {
            // e^{sign·iθ} = cos θ + i·sign·sin θ, θ = 2π·((k·i) mod L)/L.
            double theta = 2.0 * M_PI * static_cast<double>((k * i) % length) /
                           static_cast<double>(length);
            double re = std::cos(theta), im = sign * std::sin(theta);
            // (a + ib)(re + i·im): real a·re - b·im, imaginary a·im + b·re.
            if (cOut == 0)
              w = cIn == 0 ? re : -im;
            else
              w = cIn == 0 ? im : re;
            w *= norm;
          }
          weights.push_back(n.b.getFloatAttr(f, w));
        }

  // [..., N, C] with the axis next to the components, flattened.
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  perm.push_back(rank - 1);
  bool moved = axis != rank - 2;
  Value signal = moved ? n.transpose(x, perm) : x;
  SmallVector<int64_t> outer;
  for (int64_t d : ArrayRef<int64_t>(perm).drop_back(2))
    outer.push_back(type.getDimSize(d));
  SmallVector<int64_t> flatShape(outer);
  flatShape.push_back(size * components);
  Value y = n.create<LinearOp>(
      n.reshape(signal, flatShape),
      n.constant(DenseElementsAttr::get(weightType, weights)), MaybeValue{},
      MaybeValue{}, ActivationAttr(), IntegerAttr());
  SmallVector<int64_t> spectrumShape(outer);
  spectrumShape.push_back(frequencies);
  spectrumShape.push_back(2);
  y = n.reshape(y, spectrumShape);
  if (moved) {
    // Back: the frequencies to the axis's position.
    SmallVector<int64_t> back(rank);
    for (int64_t d = 0; d < rank; ++d)
      back[perm[d]] = d;
    y = n.transpose(y, back);
  }
  n.setOutput(0, y);
  return n.finish();
}

void mlir::tfm::onnx_import::populateContractionConverters(
    ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "MatMul", 1, convertMatMul);
  r.add(onnx, "Gemm", 1, convertGemm);
  r.add(onnx, "Einsum", 12, convertEinsum);
  r.add(onnx, "Conv", 1, convertConv);
  r.add(onnx, "ConvTranspose", 1, convertConvTranspose);
  r.add(onnx, "ConvInteger", 10, convertConvInteger);
  r.add(onnx, "Det", 11, convertDet);
  r.add(onnx, "DFT", 17, convertDft);
}
