//===- ModelDescription.h - a model's interface, as the runtime sees it --===//
//
// The names, element types and shapes of a model's inputs and outputs, read
// from its tfm function before lowering erases what the runtime needs to
// know (unsigned and boolean element types, ONNX names).
//
//===----------------------------------------------------------------------===//

#ifndef TFM_TARGET_MODELDESCRIPTION_H
#define TFM_TARGET_MODELDESCRIPTION_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::tfm {

/// The element type codes of tfm_runtime.h (tfm_dtype).
enum class RuntimeDtype : int32_t {
  F32 = 1,
  F16 = 2,
  BF16 = 3,
  F64 = 4,
  I8 = 5,
  I16 = 6,
  I32 = 7,
  I64 = 8,
  U8 = 9,
  U16 = 10,
  U32 = 11,
  U64 = 12,
  Bool = 13,
};

/// NumPy's name of a runtime element type ("float32", "int64", ...).
StringRef getRuntimeDtypeName(RuntimeDtype dtype);

struct TensorDescription {
  std::string name;
  RuntimeDtype dtype;
  /// The sizes; a dynamic dimension's upper bound (ShapedType::kDynamic
  /// until applyEntryShapes fills it in).
  SmallVector<int64_t> shape;
  /// For integer inputs that index a table: its number of rows.
  int64_t indexLimit = 0;
  /// Empty when every dimension is static; otherwise one entry per
  /// dimension: -1 for a static one, for a dynamic one the index of its
  /// symbol (inputs) or of its size among the outputs' dynamic dimensions
  /// (outputs), as tfm_tensor_info.dims.
  SmallVector<int32_t> dims;
};

/// A named dynamic dimension of the inputs and its upper bound; a derived
/// one (`base` >= 0) is symbol `base` plus `offset`.
struct SymbolDescription {
  std::string name;
  int64_t bound;
  int32_t base = -1;
  int64_t offset = 0;
};

/// Where a compiled model runs (the runtime's tfm_device).
enum class ModelDevice : int32_t { Cpu = 0, Cuda = 1 };

struct ModelDescription {
  /// The function the model is, in the module being compiled.
  std::string functionName;
  ModelDevice device = ModelDevice::Cpu;
  SmallVector<TensorDescription> inputs;
  SmallVector<TensorDescription> outputs;
  /// Dynamic dimensions (runtime ABI 4, 5): the symbols, and how many sizes of
  /// the outputs' dimensions the entry reports after them.
  SmallVector<SymbolDescription> symbols;
  int32_t numOutputDims = 0;

  bool isDynamic() const { return !symbols.empty() || numOutputDims > 0; }
};

/// Describes the single public function of a tfm module. Reports an error
/// (and fails) when there is not exactly one, or when an input or output is
/// not a ranked tensor of a supported element type.
FailureOr<ModelDescription> describeModel(ModuleOp module);

/// Completes the description of a model with dynamic dimensions from the
/// lowered `entry`, where tfm-outputs-to-destinations recorded the symbols,
/// their bounds and the outputs' bounds. A static model is left as it is.
LogicalResult applyEntryShapes(ModelDescription &model, Operation *entry);

} // namespace mlir::tfm

#endif // TFM_TARGET_MODELDESCRIPTION_H
