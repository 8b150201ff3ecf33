//===- TfmOps.h - tfm operations --------------------------------*- C++ -*-===//

#ifndef TFM_DIALECT_TFM_TFMOPS_H
#define TFM_DIALECT_TFM_TFMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "tfm/Dialect/Tfm/TfmAttrs.h"
#include "tfm/Dialect/Tfm/TfmDialect.h"
#include "tfm/Dialect/Tfm/TfmTraits.h"

#define GET_OP_CLASSES
#include "tfm/Dialect/Tfm/TfmOps.h.inc"

#endif // TFM_DIALECT_TFM_TFMOPS_H
