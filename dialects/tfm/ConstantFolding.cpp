//===- ConstantFolding.cpp - evaluating tfm ops on constants --------------===//

#include "ConstantFolding.h"

#include "TypeRules.h"
#include "tfm/Dialect/Tfm/Folding.h"

#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/APSInt.h"

#include <cmath>

using namespace mlir;
using llvm::APFloat;
using llvm::APInt;

namespace mlir::tfm {

/// The limit in force on this thread (passes may run on several threads).
static thread_local int64_t foldingLimit = detail::kMaxFoldedElements;

FoldingLimitScope::FoldingLimitScope(int64_t maxElements)
    : previous(foldingLimit) {
  foldingLimit = maxElements;
}

FoldingLimitScope::~FoldingLimitScope() { foldingLimit = previous; }

FailureOr<ArrayRef<char>> getConstantBytes(Attribute value,
                                           SmallVectorImpl<char> &storage) {
  auto type = dyn_cast<ShapedType>(cast<TypedAttr>(value).getType());
  if (!type || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat() ||
      type.getElementType().isInteger(1))
    return failure();
  int64_t elementBytes = getStorageBytes(type.getElementType());
  if (elementBytes == 0)
    return failure();
  int64_t size = type.getNumElements() * elementBytes;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || static_cast<int64_t>(blob->getData().size()) != size)
      return failure();
    return blob->getData();
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return failure();
  ArrayRef<char> bytes = dense.getRawData();
  if (!dense.isSplat() || static_cast<int64_t>(bytes.size()) == size)
    return bytes;
  // A splat holds one element.
  storage.clear();
  storage.reserve(size);
  for (int64_t i = 0; i < type.getNumElements(); ++i)
    storage.append(bytes.begin(), bytes.end());
  return ArrayRef<char>(storage);
}

int64_t getStorageBytes(Type elementType) {
  if (!elementType.isIntOrFloat())
    return 0;
  unsigned bits = elementType.getIntOrFloatBitWidth();
  if (bits == 4)
    return 1;
  return bits % 8 == 0 ? bits / 8 : 0;
}

ElementsAttr createConstantLike(Attribute like, ShapedType type,
                                StringRef suffix, ArrayRef<char> bytes) {
  if (isa<DenseElementsAttr>(like))
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      bytes, /*align=*/64, /*dataIsMutable=*/false);
  StringRef name = "weight";
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(like))
    name = resource.getRawHandle().getKey();
  return DenseResourceElementsAttr::get(type, (name + suffix).str(),
                                        std::move(blob));
}

} // namespace mlir::tfm

namespace mlir::tfm::detail {

bool isFoldableResult(ShapedType type, bool isSplat) {
  return type.hasStaticShape() &&
         (isSplat || type.getNumElements() <= foldingLimit);
}

SmallVector<int64_t> computeStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

SmallVector<int64_t> broadcastIndices(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> resultShape) {
  int64_t numElements = getNumElements(resultShape);
  SmallVector<int64_t> resultStrides = computeStrides(resultShape);
  SmallVector<int64_t> strides = computeStrides(shape);
  size_t offset = resultShape.size() - shape.size();
  SmallVector<int64_t> indices(numElements);
  for (int64_t i = 0; i < numElements; ++i) {
    int64_t source = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] == 1)
        continue;
      int64_t coord = (i / resultStrides[offset + d]) % resultShape[offset + d];
      source += coord * strides[d];
    }
    indices[i] = source;
  }
  return indices;
}

int64_t getIntElement(DenseElementsAttr attr, int64_t index) {
  APInt value = attr.isSplat() ? attr.getSplatValue<APInt>()
                               : attr.getValues<APInt>()[index];
  if (attr.getElementType().isUnsignedInteger() ||
      attr.getElementType().isInteger(1))
    return static_cast<int64_t>(value.getZExtValue());
  return value.getSExtValue();
}

/// Gathers the operands' values once and evaluates `eval` per result element.
template <typename ValueT, typename Eval>
static bool evaluateBroadcast(ArrayRef<DenseElementsAttr> operands,
                              ShapedType resultType,
                              SmallVectorImpl<ValueT> &out, Eval eval) {
  SmallVector<SmallVector<ValueT>> values;
  SmallVector<SmallVector<int64_t>> indices;
  for (DenseElementsAttr operand : operands) {
    values.push_back(llvm::to_vector(operand.getValues<ValueT>()));
    indices.push_back(
        broadcastIndices(operand.getType().getShape(), resultType.getShape()));
  }
  int64_t numElements = resultType.getNumElements();
  out.reserve(numElements);
  SmallVector<ValueT> args;
  for (int64_t i = 0; i < numElements; ++i) {
    args.clear();
    for (size_t k = 0; k < operands.size(); ++k)
      args.push_back(values[k][indices[k][i]]);
    std::optional<ValueT> r = eval(args);
    if (!r)
      return false;
    out.push_back(*r);
  }
  return true;
}

DenseElementsAttr foldElementwise(ArrayRef<Attribute> operands,
                                  ShapedType resultType,
                                  const ElementwiseKernels &kernels) {
  SmallVector<DenseElementsAttr> attrs;
  bool allSplat = true;
  for (Attribute operand : operands) {
    auto dense = dyn_cast_if_present<DenseElementsAttr>(operand);
    if (!dense || dense.getElementType() != resultType.getElementType())
      return {};
    allSplat &= dense.isSplat();
    attrs.push_back(dense);
  }
  if (!isFoldableResult(resultType, allSplat))
    return {};

  Type elementType = resultType.getElementType();
  if (isa<FloatType>(elementType)) {
    if (!kernels.onFloats)
      return {};
    if (allSplat) {
      SmallVector<APFloat> args;
      for (DenseElementsAttr attr : attrs)
        args.push_back(attr.getSplatValue<APFloat>());
      return DenseElementsAttr::get(resultType, kernels.onFloats(args));
    }
    SmallVector<APFloat> out;
    evaluateBroadcast<APFloat>(
        attrs, resultType, out, [&](ArrayRef<APFloat> args) {
          return std::optional<APFloat>(kernels.onFloats(args));
        });
    return DenseElementsAttr::get(resultType, out);
  }

  if (!kernels.onIntegers)
    return {};
  bool isUnsigned = elementType.isUnsignedInteger();
  if (allSplat) {
    SmallVector<APInt> args;
    for (DenseElementsAttr attr : attrs)
      args.push_back(attr.getSplatValue<APInt>());
    std::optional<APInt> r = kernels.onIntegers(args, isUnsigned);
    if (!r)
      return {};
    return DenseElementsAttr::get(resultType, *r);
  }
  SmallVector<APInt> out;
  if (!evaluateBroadcast<APInt>(attrs, resultType, out,
                                [&](ArrayRef<APInt> args) {
                                  return kernels.onIntegers(args, isUnsigned);
                                }))
    return {};
  return DenseElementsAttr::get(resultType, out);
}

/// Rounds `value` to `semantics` (nearest, ties to even).
static APFloat convertFloat(APFloat value,
                            const llvm::fltSemantics &semantics) {
  bool losesInfo;
  value.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
  return value;
}

DenseElementsAttr foldFloatUnary(Attribute operand,
                                 llvm::function_ref<double(double)> fn) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(operand);
  if (!dense || !isa<FloatType>(dense.getElementType()) ||
      !isFoldableResult(dense.getType(), dense.isSplat()))
    return {};
  const llvm::fltSemantics &semantics =
      cast<FloatType>(dense.getElementType()).getFloatSemantics();
  auto apply = [&](const APFloat &x) {
    double d = convertFloat(x, APFloat::IEEEdouble()).convertToDouble();
    return convertFloat(APFloat(fn(d)), semantics);
  };
  if (dense.isSplat())
    return DenseElementsAttr::get(dense.getType(),
                                  apply(dense.getSplatValue<APFloat>()));
  SmallVector<APFloat> out;
  for (const APFloat &x : dense.getValues<APFloat>())
    out.push_back(apply(x));
  return DenseElementsAttr::get(dense.getType(), out);
}

/// Converts one element between element types with tfm.cast semantics;
/// returns the result as an Attribute of `to`.
static Attribute castElement(Attribute element, Type to) {
  Type from = cast<TypedAttr>(element).getType();
  if (auto f = dyn_cast<FloatAttr>(element)) {
    APFloat value = f.getValue();
    if (auto toFloat = dyn_cast<FloatType>(to))
      return FloatAttr::get(to,
                            convertFloat(value, toFloat.getFloatSemantics()));
    if (to.isInteger(1))
      return IntegerAttr::get(to, APInt(1, !value.isZero()));
    if (value.isNaN() || value.isInfinity())
      return {};
    llvm::APSInt result(to.getIntOrFloatBitWidth(), to.isUnsignedInteger());
    bool isExact;
    if (value.convertToInteger(result, APFloat::rmTowardZero, &isExact) &
        APFloat::opInvalidOp)
      return {}; // Out of range: undefined, so leave it to run time.
    return IntegerAttr::get(to, result);
  }
  auto i = cast<IntegerAttr>(element);
  APInt value = i.getValue();
  bool isSigned = !from.isUnsignedInteger() && !from.isInteger(1);
  if (auto toFloat = dyn_cast<FloatType>(to)) {
    APFloat result(toFloat.getFloatSemantics());
    result.convertFromAPInt(value, isSigned, APFloat::rmNearestTiesToEven);
    return FloatAttr::get(to, result);
  }
  unsigned width = to.getIntOrFloatBitWidth();
  if (width == 1)
    return IntegerAttr::get(to, APInt(1, !value.isZero()));
  return IntegerAttr::get(to, isSigned ? value.sextOrTrunc(width)
                                       : value.zextOrTrunc(width));
}

DenseElementsAttr foldCast(Attribute operand, ShapedType resultType) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(operand);
  if (!dense || !isFoldableResult(resultType, dense.isSplat()))
    return {};
  Type to = resultType.getElementType();
  if (dense.isSplat()) {
    Attribute r = castElement(dense.getSplatValue<Attribute>(), to);
    return r ? DenseElementsAttr::get(resultType, r) : DenseElementsAttr();
  }
  SmallVector<Attribute> out;
  for (Attribute element : dense.getValues<Attribute>()) {
    Attribute r = castElement(element, to);
    if (!r)
      return {};
    out.push_back(r);
  }
  return DenseElementsAttr::get(resultType, out);
}

DenseElementsAttr pickElements(ArrayRef<DenseElementsAttr> sources,
                               ShapedType resultType,
                               ArrayRef<std::pair<unsigned, int64_t>> picks) {
  Type elementType = resultType.getElementType();
  if (elementType.isInteger(1)) {
    // i1 is bit-packed in raw buffers; go through bool values.
    SmallVector<SmallVector<bool>> values;
    for (DenseElementsAttr source : sources)
      values.push_back(llvm::to_vector(source.getValues<bool>()));
    SmallVector<bool> out;
    out.reserve(picks.size());
    for (auto [s, i] : picks)
      out.push_back(values[s][i]);
    return DenseElementsAttr::get(resultType, out);
  }
  size_t width = (elementType.getIntOrFloatBitWidth() + 7) / 8;
  SmallVector<char> buffer(picks.size() * width);
  for (auto [k, pick] : llvm::enumerate(picks)) {
    DenseElementsAttr source = sources[pick.first];
    ArrayRef<char> raw = source.getRawData();
    size_t offset = source.isSplat() ? 0 : pick.second * width;
    std::memcpy(buffer.data() + k * width, raw.data() + offset, width);
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, buffer);
}

DenseElementsAttr pickElements(DenseElementsAttr source, ShapedType resultType,
                               ArrayRef<int64_t> indices) {
  if (source.isSplat())
    return source.resizeSplat(resultType);
  SmallVector<std::pair<unsigned, int64_t>> picks;
  picks.reserve(indices.size());
  for (int64_t index : indices)
    picks.emplace_back(0, index);
  return pickElements(ArrayRef<DenseElementsAttr>{source}, resultType, picks);
}

} // namespace mlir::tfm::detail
