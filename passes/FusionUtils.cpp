//===- FusionUtils.cpp - matching helpers shared by the graph fusions ----===//

#include "FusionUtils.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfm;

std::optional<double> fusion::getSplatFloat(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || !isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  if (!dense.isSplat() && dense.getNumElements() != 1)
    return std::nullopt;
  return (*dense.value_begin<APFloat>()).convertToDouble();
}

bool fusion::isSplatFloat(Value value, double expected) {
  std::optional<double> actual = getSplatFloat(value);
  return actual && std::abs(*actual - expected) <= 1e-4 * std::abs(expected);
}

bool fusion::isOnlyUsedBy(Value value, Operation *user) {
  return !value.use_empty() &&
         llvm::all_of(value.getUsers(),
                      [&](Operation *op) { return op == user; });
}

Value fusion::matchEither(Operation *op, function_ref<bool(Value)> pred,
                          Value &other) {
  if (op->getNumOperands() != 2)
    return Value();
  for (unsigned i = 0; i < 2; ++i) {
    if (pred(op->getOperand(i))) {
      other = op->getOperand(1 - i);
      return op->getOperand(i);
    }
  }
  return Value();
}

Value fusion::transposeLastTwo(PatternRewriter &rewriter, Location loc,
                               Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[rank - 2], perm[rank - 1]);
  Value source = value;
  if (auto transpose = value.getDefiningOp<TransposeOp>()) {
    // transpose(transpose(x, p), q) is transpose(x, p∘q).
    ArrayRef<int64_t> inner = transpose.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t axis : perm)
      composed.push_back(inner[axis]);
    perm = composed;
    source = transpose.getInput();
  }
  if (llvm::equal(perm, llvm::seq<int64_t>(0, rank)))
    return source;
  return TransposeOp::create(rewriter, loc, source, perm);
}

void fusion::populateTfmCanonicalizationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (RegisteredOperationName name : ctx->getRegisteredOperations())
    if (name.getDialectNamespace() == TfmDialect::getDialectNamespace())
      name.getCanonicalizationPatterns(patterns, ctx);
}

Value fusion::createSplat(PatternRewriter &rewriter, Location loc,
                          RankedTensorType type, double value) {
  auto elementType = cast<FloatType>(type.getElementType());
  APFloat v(value);
  bool losesInfo;
  v.convert(elementType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
            &losesInfo);
  return ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, v));
}

ArrayRef<int64_t> fusion::dropLeadingOnes(ArrayRef<int64_t> shape) {
  while (!shape.empty() && shape.front() == 1)
    shape = shape.drop_front();
  return shape;
}

std::optional<std::pair<Value, Value>> fusion::matchCacheAppend(Value value) {
  auto concat = value.getDefiningOp<ConcatOp>();
  if (!concat || concat.getInputs().size() != 2)
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(concat.getType()).getRank();
  int64_t axis = concat.getAxis();
  if (axis < 0)
    axis += rank;
  if ((rank != 3 && rank != 4) || axis != (rank == 4 ? 2 : 1))
    return std::nullopt;
  return std::make_pair(concat.getInputs()[0], concat.getInputs()[1]);
}
