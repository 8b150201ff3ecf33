//===- Quantization.h - quantization schemes of tfm ops ---------*- C++ -*-===//
//
// The scale layout shared by tfm.quantize and tfm.dequantize, and the
// compile-time quantization of constants that their folder, the
// quantization pass and the importer use.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_DIALECT_TFM_QUANTIZATION_H
#define TFM_DIALECT_TFM_QUANTIZATION_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace mlir::tfm {

/// How a tensor of `shape` maps to its scales: `axis` < 0 is per tensor;
/// `blockSize` 0 is per axis (one scale per index along `axis`), positive
/// blocked (scale `i / blockSize` along `axis`, the other dimensions
/// kept).
struct QuantizationScheme {
  int64_t axis = -1;
  int64_t blockSize = 0;

  bool isPerTensor() const { return axis < 0; }
  bool isBlocked() const { return blockSize > 0; }

  /// The shape of the scales of a tensor of `shape`.
  SmallVector<int64_t> getScaleShape(ArrayRef<int64_t> shape) const;
  /// The index of the scale of element `index` (row-major) of a tensor of
  /// the static `shape`.
  int64_t getScaleIndex(ArrayRef<int64_t> shape, int64_t index) const;
};

/// The range of the integer type `type` (i8, ui8, ...).
std::pair<int64_t, int64_t> getQuantizedRange(IntegerType type);

/// Quantizes `values` (row-major, of `shape`) with ONNX QuantizeLinear's
/// rounding (half to even) and saturation into `resultType`'s element type,
/// written as its bytes. `zeroPoints` is empty for symmetric schemes.
SmallVector<char>
quantizeValues(ArrayRef<float> values, ArrayRef<int64_t> shape,
               const QuantizationScheme &scheme, ArrayRef<float> scales,
               ArrayRef<int64_t> zeroPoints, IntegerType resultType);

/// The elements of the float constant `value` (a dense literal or a
/// resource blob of f16, bf16, f32 or f64) as floats; fails when its bytes
/// are not available.
FailureOr<SmallVector<float>> getConstantFloats(Attribute value);

/// The elements of the integer constant `value` as int64_t, sign- or
/// zero-extended by its signedness.
FailureOr<SmallVector<int64_t>> getConstantInts(Attribute value);

/// `value` rounded to the nearest normal f16 (ties to even) and read back
/// as f32; `value` itself when f16 has no normal value for it (zero, a
/// subnormal result, beyond 65504, not finite).
float roundToHalf(float value);

/// The f16 bit patterns of `values` when f16 holds every one of them
/// exactly as a normal number; std::nullopt otherwise. What lets block
/// scales be stored in 16 bits with unchanged values.
std::optional<SmallVector<uint16_t>> getExactHalves(ArrayRef<float> values);

} // namespace mlir::tfm

#endif // TFM_DIALECT_TFM_QUANTIZATION_H
