//===- TypeRules.cpp - shape rules shared by tfm ops ----------------------===//

#include "TypeRules.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace mlir::tfm::detail {

InFlightDiagnostic emitViolation(Operation *op, unsigned constraint) {
  StringRef mnemonic = op->getName().getStringRef();
  mnemonic.consume_front("tfm.");
  return op->emitOpError() << mnemonic << "_c" << constraint << ": ";
}

LogicalResult inferBroadcastType(StringRef opName, std::optional<Location> loc,
                                 ArrayRef<Type> operandTypes,
                                 ArrayRef<StringRef> names, Type elementType,
                                 unsigned shapeConstraint,
                                 SmallVectorImpl<Type> &inferred) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Type type : operandTypes) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return failure(); // Reported by the ODS type constraints.
    shapes.push_back(tensor.getShape());
  }
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(shapes);
  if (failed(shape)) {
    std::string list;
    for (auto [i, s] : llvm::enumerate(shapes))
      list += (i ? ", " : "") + names[i].str() + " " + formatShape(s);
    return violation(loc, opName, shapeConstraint, "shapes ", list,
                     " are not broadcast-compatible");
  }
  inferred.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

LogicalResult inferBinaryType(StringRef opName, std::optional<Location> loc,
                              Type lhs, Type rhs,
                              SmallVectorImpl<Type> &inferred) {
  auto lhsType = dyn_cast<RankedTensorType>(lhs);
  auto rhsType = dyn_cast<RankedTensorType>(rhs);
  if (!lhsType || !rhsType)
    return failure();
  if (lhsType.getElementType() != rhsType.getElementType())
    return violation(
        loc, opName, 1, "lhs element type ", lhsType.getElementType(),
        " differs from rhs element type ", rhsType.getElementType());
  return inferBroadcastType(opName, loc, {lhs, rhs}, {"lhs", "rhs"},
                            lhsType.getElementType(), 2, inferred);
}

LogicalResult inferReductionType(StringRef opName, std::optional<Location> loc,
                                 Type inputType, ArrayRef<int64_t> axes,
                                 bool keepdims,
                                 SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(inputType);
  if (!input)
    return failure();
  if (!isValidAxisList(axes, input.getRank()))
    return violation(loc, opName, 1, "axes ", formatShape(axes),
                     " must be non-empty, strictly increasing and within [0, ",
                     input.getRank(), ")");
  SmallVector<int64_t> shape;
  for (auto [d, dim] : llvm::enumerate(input.getShape())) {
    if (!llvm::is_contained(axes, static_cast<int64_t>(d)))
      shape.push_back(dim);
    else if (keepdims)
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult inferArgReductionType(StringRef opName,
                                    std::optional<Location> loc, Type inputType,
                                    int64_t axis, bool keepdims,
                                    SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(inputType);
  if (!input)
    return failure();
  if (axis < 0 || axis >= input.getRank())
    return violation(loc, opName, 1, "axis ", axis, " is out of range [0, ",
                     input.getRank(), ")");
  SmallVector<int64_t> shape(input.getShape());
  if (keepdims)
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  inferred.push_back(
      RankedTensorType::get(shape, IntegerType::get(input.getContext(), 64)));
  return success();
}

LogicalResult verifyResultTypes(Operation *op, TypeRange inferred,
                                unsigned resultConstraint) {
  if (areCompatibleTensorTypes(inferred, op->getResultTypes()))
    return success();
  InFlightDiagnostic diag = emitViolation(op, resultConstraint);
  if (inferred.size() != op->getNumResults())
    return diag << op->getNumResults() << " result(s) where " << inferred.size()
                << " are inferred";
  diag << "result type ";
  llvm::interleaveComma(op->getResultTypes(), diag);
  diag << " differs from the inferred type ";
  llvm::interleaveComma(inferred, diag);
  return diag;
}

LogicalResult verifyTensorSizes(Operation *op) {
  for (auto [i, type] : llvm::enumerate(op->getResultTypes())) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped)
      continue;
    if (std::optional<std::string> reason = checkTensorSize(shaped))
      return op->emitOpError() << "result #" << i << " of type " << type
                               << " is too large: " << *reason;
  }
  return success();
}

} // namespace mlir::tfm::detail

bool mlir::tfm::areCompatibleTensorTypes(TypeRange lhs, TypeRange rhs) {
  if (lhs.size() != rhs.size())
    return false;
  for (auto [l, r] : llvm::zip_equal(lhs, rhs)) {
    auto lt = dyn_cast<RankedTensorType>(l);
    auto rt = dyn_cast<RankedTensorType>(r);
    if (!lt || !rt)
      return l == r;
    if (lt.getElementType() != rt.getElementType() ||
        lt.getRank() != rt.getRank())
      return false;
    for (auto [a, b] : llvm::zip_equal(lt.getShape(), rt.getShape()))
      if (!dimsAgree(a, b))
        return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// ShapeUtils.h
//===----------------------------------------------------------------------===//

namespace mlir::tfm {

FailureOr<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> shape : shapes)
    rank = std::max(rank, shape.size());
  SmallVector<int64_t> result(rank, 1);
  for (ArrayRef<int64_t> shape : shapes) {
    size_t offset = rank - shape.size();
    for (auto [i, dim] : llvm::enumerate(shape)) {
      int64_t &out = result[offset + i];
      if (dim == 1)
        continue;
      if (out == 1) {
        out = dim;
        continue;
      }
      if (ShapedType::isDynamic(dim))
        continue; // A static size > 1 is kept; a dynamic one must match it.
      if (ShapedType::isDynamic(out)) {
        out = dim;
        continue;
      }
      if (out != dim)
        return failure();
    }
  }
  return result;
}

bool broadcastsTo(ArrayRef<int64_t> shape, ArrayRef<int64_t> target) {
  if (shape.size() > target.size())
    return false;
  size_t offset = target.size() - shape.size();
  for (auto [i, dim] : llvm::enumerate(shape))
    if (dim != 1 && !dimsAgree(dim, target[offset + i]))
      return false;
  return true;
}

bool isValidAxisList(ArrayRef<int64_t> axes, int64_t rank) {
  if (axes.empty())
    return false;
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0 || axis >= rank)
      return false;
    if (i > 0 && axes[i - 1] >= axis)
      return false;
  }
  return true;
}

bool isPermutation(ArrayRef<int64_t> perm, int64_t rank) {
  if (static_cast<int64_t>(perm.size()) != rank)
    return false;
  llvm::SmallBitVector seen(rank);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen.test(p))
      return false;
    seen.set(p);
  }
  return true;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << "?";
    else
      os << dim;
  });
  os << "]";
  return text;
}

int64_t getNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

std::optional<int64_t> getCheckedNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || llvm::MulOverflow(n, dim, n))
      return std::nullopt;
  }
  return n;
}

std::optional<int64_t> getCheckedNumBytes(ArrayRef<int64_t> shape,
                                          Type elementType) {
  std::optional<int64_t> count = getCheckedNumElements(shape);
  if (!count)
    return std::nullopt;
  int64_t width = 1;
  if (elementType.isIntOrFloat())
    width = std::max<int64_t>(
        1, llvm::divideCeil(elementType.getIntOrFloatBitWidth(), 8));
  int64_t bytes;
  if (llvm::MulOverflow(*count, width, bytes))
    return std::nullopt;
  return bytes;
}

std::optional<std::string> checkTensorSize(ShapedType type) {
  if (!type.hasRank())
    return std::nullopt;
  SmallVector<int64_t> dims;
  for (int64_t dim : type.getShape())
    if (!ShapedType::isDynamic(dim))
      dims.push_back(dim);
  std::optional<int64_t> count = getCheckedNumElements(dims);
  if (!count)
    return "shape " + formatShape(type.getShape()) +
           " has more elements than a 64-bit count holds";
  std::optional<int64_t> bytes =
      getCheckedNumBytes(dims, type.getElementType());
  if (!bytes || *bytes > kMaxTensorBytes)
    return "it needs " +
           (bytes ? std::to_string(*bytes) : std::string("more than 2^63")) +
           " bytes, more than the 2^48 bytes of the address space";
  return std::nullopt;
}

} // namespace mlir::tfm
