//===- LossOps.cpp - ONNX loss functions
//-----------------------------------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, as gathers of the
// target classes' log-probabilities, weighted, masked where the target is
// ignore_index, and reduced ('none', 'sum' or the weighted 'mean').
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

namespace {
enum class Reduction { None, Sum, Mean };

/// What both losses share: the reduction and the ignored class.
struct LossAttrs {
  Reduction reduction;
  std::optional<int64_t> ignoreIndex;
};
} // namespace

static FailureOr<LossAttrs> getLossAttrs(NodeImporter &n) {
  std::string reduction = n.stringAttr("reduction", StringRef("mean"));
  std::optional<int64_t> ignoreIndex;
  if (n.hasAttr("ignore_index"))
    ignoreIndex = n.intAttr("ignore_index", std::nullopt);
  if (n.failed())
    return failure();
  LossAttrs attrs{Reduction::Mean, ignoreIndex};
  if (reduction == "none")
    attrs.reduction = Reduction::None;
  else if (reduction == "sum")
    attrs.reduction = Reduction::Sum;
  else if (reduction != "mean")
    return n.emitError() << "attribute 'reduction' must be \"none\", \"sum\" "
                            "or \"mean\", not \""
                         << reduction << "\"";
  return attrs;
}

/// The loss of log-probabilities `logProb` [N, C, D1 ...] at the classes
/// `target` [N, D1 ...]: -logProb[n, target[n, d], d] * weight[target[n, d]]
/// (weight 1 when absent; 0 where target is the ignored index), reduced.
static Value negativeLogLikelihood(NodeImporter &n, Value logProb, Value target,
                                   Value weight, const LossAttrs &attrs) {
  RankedTensorType type = NodeImporter::getType(logProb);
  RankedTensorType targetType = NodeImporter::getType(target);
  int64_t rank = type.getRank();
  if (rank < 2) {
    n.emitError() << "input must have rank 2 or more (N x C x D1 ...), got "
                  << type;
    return {};
  }
  SmallVector<int64_t> expected(type.getShape());
  expected.erase(expected.begin() + 1);
  if (targetType.getShape() != ArrayRef<int64_t>(expected)) {
    n.emitError() << "target " << targetType
                  << " must have the input's shape without its class axis, "
                  << formatShape(expected);
    return {};
  }
  if (!isa<IntegerType>(targetType.getElementType())) {
    n.emitError() << "target must hold integers, got " << targetType;
    return {};
  }
  if (weight) {
    RankedTensorType weightType = NodeImporter::getType(weight);
    if (weightType.getRank() != 1 ||
        weightType.getDimSize(0) != type.getDimSize(1)) {
      n.emitError() << "weight must have shape [" << type.getDimSize(1)
                    << "] (one value per class), got " << weightType;
      return {};
    }
  }
  Type elementType = type.getElementType();
  // Ignored positions may hold any value, in range or not: they gather
  // class 0 and are masked out.
  Value ignored;
  if (attrs.ignoreIndex) {
    Type indexType = targetType.getElementType();
    Value index = n.constant(DenseElementsAttr::get(
        RankedTensorType::get({}, indexType),
        IntegerAttr::get(indexType, *attrs.ignoreIndex)));
    ignored = n.create<CompareOp>(ComparisonPredicate::eq, target, index);
    target = n.create<WhereOp>(ignored, n.scalar(indexType, 0), target);
  }
  SmallVector<int64_t> withClass(targetType.getShape());
  withClass.insert(withClass.begin() + 1, 1);
  Value picked =
      n.reshape(n.create<GatherElementsOp>(
                    logProb, n.reshape(target, withClass), int64_t(1)),
                targetType.getShape());
  Value scale =
      weight ? n.create<GatherOp>(weight, target, int64_t(0)) : Value();
  if (ignored) {
    Value kept = scale ? scale : n.scalar(elementType, 1);
    scale = n.create<WhereOp>(ignored, n.scalar(elementType, 0), kept);
  }
  Value loss = n.create<NegOp>(scale ? n.create<MulOp>(picked, scale) : picked);
  if (!loss || attrs.reduction == Reduction::None)
    return loss;
  SmallVector<int64_t> all = llvm::to_vector(
      llvm::seq<int64_t>(0, NodeImporter::getType(loss).getRank()));
  Value sum = n.create<ReduceSumOp>(loss, all, /*keepdims=*/false);
  if (attrs.reduction == Reduction::Sum)
    return sum;
  // The mean divides by the total weight of the positions counted.
  // (`scale`, where present, has the target's shape.)
  Value total =
      scale ? n.create<ReduceSumOp>(scale, all, /*keepdims=*/false)
            : n.scalar(elementType,
                       static_cast<double>(targetType.getNumElements()));
  return n.create<DivOp>(sum, total);
}

static LogicalResult convertNegativeLogLikelihoodLoss(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 1)))
    return failure();
  FailureOr<LossAttrs> attrs = getLossAttrs(n);
  if (failed(attrs))
    return failure();
  n.setOutput(
      0, negativeLogLikelihood(n, n.input(0), n.input(1), n.input(2), *attrs));
  return n.finish();
}

/// SoftmaxCrossEntropyLoss: the negative log-likelihood of the log-softmax
/// of the scores along the class axis (1), which is output #1.
static LogicalResult convertSoftmaxCrossEntropyLoss(NodeImporter &n) {
  if (failed(n.expectArity(2, 3, 1, 2)))
    return failure();
  FailureOr<LossAttrs> attrs = getLossAttrs(n);
  if (failed(attrs))
    return failure();
  Value scores = n.input(0);
  if (NodeImporter::getType(scores).getRank() < 2)
    return n.emitError() << "scores must have rank 2 or more (N x C x D1 "
                            "...), got "
                         << NodeImporter::getType(scores);
  Value logProb = n.createTyped<LogSoftmaxOp>(NodeImporter::getType(scores),
                                              scores, int64_t(1));
  n.setOutput(
      0, negativeLogLikelihood(n, logProb, n.input(1), n.input(2), *attrs));
  if (n.hasOutput(1))
    n.setOutput(1, logProb);
  return n.finish();
}

void mlir::tfm::onnx_import::populateLossConverters(ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "NegativeLogLikelihoodLoss", 12,
        convertNegativeLogLikelihoodLoss);
  r.add(onnx, "SoftmaxCrossEntropyLoss", 12, convertSoftmaxCrossEntropyLoss);
}
