//===- WeightUtils.cpp - constant weights of linear layers ----------------===//

#include "WeightUtils.h"

#include "tfm/Dialect/Tfm/Quantization.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::weights;

void weights::collectNames(Location loc, SmallVectorImpl<StringRef> &names) {
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner))
      names.push_back(name.getName().getValue());
    return WalkResult::advance();
  });
}

std::optional<WeightSource> weights::getConstantWeight(Value weight,
                                                       bool isTransposed) {
  if (auto transpose = weight.getDefiningOp<TransposeOp>()) {
    if (transpose.getPerm() != ArrayRef<int64_t>{1, 0})
      return std::nullopt;
    weight = transpose.getInput();
    isTransposed = !isTransposed;
  }
  auto type = dyn_cast<RankedTensorType>(weight.getType());
  Attribute value;
  if (!type || type.getRank() != 2 || !type.hasStaticShape() ||
      !isa<FloatType>(type.getElementType()) ||
      !matchPattern(weight, m_Constant(&value)))
    return std::nullopt;
  return WeightSource{weight, value, isTransposed};
}

StringRef weights::getWeightName(Attribute value) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return resource.getRawHandle().getKey();
  return "";
}

FailureOr<SmallVector<float>> weights::getWeightRows(const WeightSource &source,
                                                     int64_t &n, int64_t &k) {
  auto type = cast<RankedTensorType>(source.constant.getType());
  FailureOr<SmallVector<float>> values = getConstantFloats(source.value);
  if (failed(values))
    return failure();
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  n = source.isTransposed ? cols : rows;
  k = source.isTransposed ? rows : cols;
  if (!source.isTransposed)
    return values;
  SmallVector<float> weight(n * k);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c)
      weight[r * k + c] = (*values)[c * n + r];
  return weight;
}

bool weights::isExcluded(Operation *op, Attribute weight, StringRef kind,
                         ArrayRef<std::string> patterns) {
  SmallVector<StringRef> names;
  collectNames(op->getLoc(), names);
  if (StringRef name = getWeightName(weight); !name.empty())
    names.push_back(name);
  for (const std::string &pattern : patterns) {
    if (pattern == kind)
      return true;
    for (StringRef name : names)
      if (name.contains(pattern))
        return true;
  }
  return false;
}

bool weights::allUsesThroughTranspose(Value weight,
                                      function_ref<bool(OpOperand &)> accept) {
  return llvm::all_of(weight.getUses(), [&](OpOperand &use) {
    if (accept(use))
      return true;
    auto transpose = dyn_cast<TransposeOp>(use.getOwner());
    return transpose && llvm::all_of(transpose->getUses(), accept);
  });
}

void weights::eraseUnusedWeightOps(llvm::SetVector<Operation *> &candidates) {
  auto isWeightForm = [](Operation *op) {
    return isa<ConstantOp, TransposeOp, DequantizeOp, CastOp>(op);
  };
  for (size_t i = 0; i < candidates.size(); ++i) {
    Operation *def = candidates[i];
    if (!def->use_empty() || !isWeightForm(def))
      continue;
    for (Value operand : def->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        candidates.insert(producer);
    def->dropAllReferences();
  }
  for (Operation *def : llvm::reverse(candidates))
    if (def->use_empty() && isWeightForm(def))
      def->erase();
}
