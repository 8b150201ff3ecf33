//===- ConstantFolding.h - evaluating tfm ops on constants ------*- C++ -*-===//
//
// Helpers for the ops' folders: elementwise arithmetic with broadcasting and
// element movement (transpose, slice, gather, ...) on DenseElementsAttr.
//
// Internal to the dialect library.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_DIALECTS_TFM_CONSTANTFOLDING_H
#define TFM_DIALECTS_TFM_CONSTANTFOLDING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace mlir::tfm::detail {

/// Largest non-splat result, in elements, that an op's folder materializes
/// by default. Folders run inside every canonicalization; larger constant
/// subgraphs (for example weight transforms) are the job of
/// `tfm-fold-constants`, which raises the limit with a FoldingLimitScope.
constexpr int64_t kMaxFoldedElements = 1 << 14;

/// True when a folder may produce a constant of `type`.
bool isFoldableResult(ShapedType type, bool isSplat);

/// Float and integer kernels of an elementwise op; either may be empty when
/// the op does not apply to that kind. An integer kernel returns nullopt when
/// the result is undefined (division by zero), which cancels the fold.
struct ElementwiseKernels {
  llvm::function_ref<llvm::APFloat(ArrayRef<llvm::APFloat>)> onFloats;
  llvm::function_ref<std::optional<llvm::APInt>(ArrayRef<llvm::APInt>,
                                                bool isUnsigned)>
      onIntegers;
};

/// Evaluates an elementwise op over constant `operands`, broadcast to
/// `resultType` (whose element type must equal that of the operands).
/// Returns null when an operand is not a constant or folding is not allowed.
DenseElementsAttr foldElementwise(ArrayRef<Attribute> operands,
                                  ShapedType resultType,
                                  const ElementwiseKernels &kernels);

/// Applies a double-precision function to each element of a float constant,
/// rounding back to its element type.
DenseElementsAttr foldFloatUnary(Attribute operand,
                                 llvm::function_ref<double(double)> fn);

/// Converts a constant to `resultType`'s element type with `tfm.cast`
/// semantics.
DenseElementsAttr foldCast(Attribute operand, ShapedType resultType);

/// Builds `resultType` from elements of `sources`: element `i` of the result
/// is element `picks[i].second` of source `picks[i].first`. All sources have
/// the element type of `resultType`.
DenseElementsAttr pickElements(ArrayRef<DenseElementsAttr> sources,
                               ShapedType resultType,
                               ArrayRef<std::pair<unsigned, int64_t>> picks);

/// Single-source form of pickElements: element `i` of the result is element
/// `indices[i]` of `source`.
DenseElementsAttr pickElements(DenseElementsAttr source, ShapedType resultType,
                               ArrayRef<int64_t> indices);

/// Row-major strides of a static shape.
SmallVector<int64_t> computeStrides(ArrayRef<int64_t> shape);

/// For every element of `resultShape`, the linear index of the element of
/// `shape` that NumPy broadcasting maps to it.
SmallVector<int64_t> broadcastIndices(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> resultShape);

/// Reads element `index` of an integer constant as int64_t (sign-extended
/// unless its element type is unsigned).
int64_t getIntElement(DenseElementsAttr attr, int64_t index);

} // namespace mlir::tfm::detail

#endif // TFM_DIALECTS_TFM_CONSTANTFOLDING_H
