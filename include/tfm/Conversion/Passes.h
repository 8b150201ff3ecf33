//===- Passes.h - conversions out of the tfm dialect ------------*- C++ -*-===//

#ifndef TFM_CONVERSION_PASSES_H
#define TFM_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::tfm {

#define GEN_PASS_DECL
#include "tfm/Conversion/Passes.h.inc"

/// Converts tfm types to the types lowered code uses: unsigned integer
/// element types become signless.
class TfmToLinalgTypeConverter : public TypeConverter {
public:
  TfmToLinalgTypeConverter();
};

/// Adds the patterns that lower every tfm op to linalg on tensors; the
/// target's choices (`bf16-dot`) come from `options`.
void populateTfmToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const ConvertTfmToLinalgPassOptions &options = {});

#define GEN_PASS_REGISTRATION
#include "tfm/Conversion/Passes.h.inc"

} // namespace mlir::tfm

#endif // TFM_CONVERSION_PASSES_H
