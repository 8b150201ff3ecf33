//===- TfmAttrs.h - tfm attributes and enums --------------------*- C++ -*-===//

#ifndef TFM_DIALECT_TFM_TFMATTRS_H
#define TFM_DIALECT_TFM_TFMATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "tfm/Dialect/Tfm/TfmEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tfm/Dialect/Tfm/TfmAttrs.h.inc"

#endif // TFM_DIALECT_TFM_TFMATTRS_H
