//===- TfmOps.cpp - tfm op definitions and tfm.constant -------------------===//
//
// Instantiates the ODS-generated op classes. The ops' hand-written methods
// live in one file per family (ElementwiseOps.cpp, ShapeOps.cpp, ...).
//
//===----------------------------------------------------------------------===//

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "TypeRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"
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

LogicalResult ConstantOp::verify() {
  auto resource = dyn_cast<DenseResourceElementsAttr>(getValue());
  if (!resource)
    return success();
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return success(); // Elided from printed IR; nothing to read here.
  auto type = cast<ShapedType>(resource.getType());
  std::optional<int64_t> bytes =
      getCheckedNumBytes(type.getShape(), type.getElementType());
  if (!bytes || static_cast<int64_t>(blob->getData().size()) != *bytes)
    return emitOpError() << "constant_c2: blob '"
                         << resource.getRawHandle().getKey() << "' holds "
                         << blob->getData().size() << " bytes; " << type
                         << " needs " << (bytes ? *bytes : -1);
  return success();
}

#define GET_OP_CLASSES
#include "tfm/Dialect/Tfm/TfmOps.cpp.inc"
