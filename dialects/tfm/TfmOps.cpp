//===- TfmOps.cpp - tfm op definitions and tfm.constant -------------------===//
//
// Instantiates the ODS-generated op classes. The ops' hand-written methods
// live in one file per family (ElementwiseOps.cpp, ShapeOps.cpp, ...).
//
//===----------------------------------------------------------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "TypeRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::tfm;

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location>,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  inferred.push_back(adaptor.getValue().getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

#define GET_OP_CLASSES
#include "tfm/Dialect/Tfm/TfmOps.cpp.inc"
