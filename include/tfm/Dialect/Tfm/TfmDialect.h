//===- TfmDialect.h - the tfm dialect ---------------------------*- C++ -*-===//

#ifndef TFM_DIALECT_TFM_TFMDIALECT_H
#define TFM_DIALECT_TFM_TFMDIALECT_H

#include "mlir/IR/Dialect.h"

#include "tfm/Dialect/Tfm/TfmDialect.h.inc"

#endif // TFM_DIALECT_TFM_TFMDIALECT_H
