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

std::optional<int64_t> getPoolOutputSize(int64_t in, int64_t kernel,
                                         int64_t stride, int64_t padLow,
                                         int64_t padHigh, int64_t dilation,
                                         bool ceilMode) {
  int64_t extent = dilation * (kernel - 1) + 1;
  int64_t span = in + padLow + padHigh - extent;
  if (span < 0)
    return std::nullopt;
  if (!ceilMode)
    return span / stride + 1;
  int64_t out = llvm::divideCeil(span, stride) + 1;
  // The last window starts inside the input or its leading padding.
  if ((out - 1) * stride >= in + padLow)
    --out;
  return out;
}

LogicalResult inferPoolType(StringRef opName, std::optional<Location> loc,
                            Type inputType, ArrayRef<int64_t> kernel,
                            ArrayRef<int64_t> strides,
                            ArrayRef<int64_t> padding,
                            ArrayRef<int64_t> dilations, bool ceilMode,
                            SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(inputType);
  if (!input)
    return failure();
  int64_t rank = input.getRank();
  if (rank < 3)
    return violation(loc, opName, 1, "input ", input,
                     " must have rank 3 or more (N x C x spatial)");
  int64_t d = rank - 2;
  // Bounded so that the size arithmetic cannot overflow.
  auto positive = [](int64_t v) { return v > 0 && v <= (int64_t(1) << 32); };
  auto size = [](ArrayRef<int64_t> list) {
    return static_cast<int64_t>(list.size());
  };
  if (size(kernel) != d || size(strides) != d || size(dilations) != d ||
      size(padding) != 2 * d || !llvm::all_of(kernel, positive) ||
      !llvm::all_of(strides, positive) || !llvm::all_of(dilations, positive) ||
      llvm::any_of(padding,
                   [](int64_t p) { return p < 0 || p > (int64_t(1) << 32); }))
    return violation(loc, opName, 2, "kernel ", formatShape(kernel),
                     ", strides ", formatShape(strides), " and dilations ",
                     formatShape(dilations), " need ", d,
                     " positive entries and padding ", formatShape(padding),
                     " ", 2 * d, " non-negative ones");
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  for (int64_t i = 0; i < d; ++i) {
    int64_t in = input.getDimSize(2 + i);
    if (ShapedType::isDynamic(in)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    std::optional<int64_t> out =
        getPoolOutputSize(in, kernel[i], strides[i], padding[i], padding[d + i],
                          dilations[i], ceilMode);
    if (!out)
      return violation(loc, opName, 3, "the window of spatial dimension ", i,
                       " (", dilations[i] * (kernel[i] - 1) + 1,
                       " positions) is larger than its padded size ",
                       in + padding[i] + padding[d + i]);
    shape.push_back(*out);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
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
