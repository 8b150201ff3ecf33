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
  SmallVector<int64_t> shape;
  /// For integer inputs that index a table: its number of rows.
  int64_t indexLimit = 0;
};

/// Where a compiled model runs (the runtime's tfm_device).
enum class ModelDevice : int32_t { Cpu = 0, Cuda = 1 };

struct ModelDescription {
  /// The function the model is, in the module being compiled.
  std::string functionName;
  ModelDevice device = ModelDevice::Cpu;
  SmallVector<TensorDescription> inputs;
  SmallVector<TensorDescription> outputs;
};

/// Describes the single public function of a tfm module. Reports an error
/// (and fails) when there is not exactly one, or when an input or output is
/// not a statically shaped tensor of a supported element type.
FailureOr<ModelDescription> describeModel(ModuleOp module);

} // namespace mlir::tfm

#endif // TFM_TARGET_MODELDESCRIPTION_H
