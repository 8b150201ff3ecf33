//===- TfmDialect.cpp - the tfm dialect -----------------------------------===//

#include "tfm/Dialect/Tfm/TfmDialect.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tfm;

#include "tfm/Dialect/Tfm/TfmDialect.cpp.inc"
#include "tfm/Dialect/Tfm/TfmEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tfm/Dialect/Tfm/TfmAttrs.cpp.inc"

void TfmDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tfm/Dialect/Tfm/TfmOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tfm/Dialect/Tfm/TfmAttrs.cpp.inc"
      >();
}

Operation *TfmDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
