//===- TfmAttrs.h - tfm attributes and enums --------------------*- C++ -*-===//

#ifndef TFM_DIALECT_TFM_TFMATTRS_H
#define TFM_DIALECT_TFM_TFMATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "tfm/Dialect/Tfm/TfmEnums.h.inc"

#include "tfm/Dialect/Tfm/TfmAttrInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tfm/Dialect/Tfm/TfmAttrs.h.inc"

namespace mlir::tfm {

/// The module attribute that holds the code generation target.
inline constexpr llvm::StringLiteral kTargetAttrName = "tfm.target";

/// The target of the module enclosing `op` (or of `op` itself when it is
/// the module), or null when none is attached.
TargetAttrInterface getTarget(Operation *op);

} // namespace mlir::tfm

#endif // TFM_DIALECT_TFM_TFMATTRS_H
