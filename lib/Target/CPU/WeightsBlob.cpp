//===- WeightsBlob.cpp - writing the weights blob -------------------------===//

#include "tfm/Target/CPU/CpuTarget.h"

#include "tfm/Codegen/Passes.h"

#include "mlir/IR/DialectResourceBlobManager.h"

#include "checksum.h"

using namespace mlir;
using namespace mlir::tfm;

uint64_t cpu::checksumWeights(ArrayRef<char> bytes) {
  return tfm_checksum(bytes.data(), bytes.size());
}

int64_t cpu::getWeightsSize(ModuleOp module) {
  auto size = module->getAttrOfType<IntegerAttr>("tfm.weights_size");
  return size ? size.getInt() : 0;
}

void cpu::dropWeights(ModuleOp module) { module->removeAttr(kWeightsAttrName); }

/// Writes the bytes of a constant as the generated code reads them: dense
/// row-major elements, booleans one byte each.
static LogicalResult writeElements(Attribute value, StringRef name,
                                   llvm::raw_ostream &os, int64_t &written) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return failure();
    os.write(blob->getData().data(), blob->getData().size());
    written += blob->getData().size();
    return success();
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return failure();
  Type elementType = dense.getElementType();
  int64_t count = dense.getNumElements();
  if (elementType.isInteger(1)) {
    for (bool flag : dense.getValues<bool>())
      os << static_cast<char>(flag ? 1 : 0);
    written += count;
    return success();
  }
  ArrayRef<char> raw = dense.getRawData();
  if (dense.isSplat()) {
    for (int64_t i = 0; i < count; ++i)
      os.write(raw.data(), raw.size());
    written += count * static_cast<int64_t>(raw.size());
    return success();
  }
  os.write(raw.data(), raw.size());
  written += raw.size();
  return success();
}

LogicalResult cpu::writeWeightsBlob(ModuleOp module, llvm::raw_ostream &os) {
  auto layout = module->getAttrOfType<ArrayAttr>(kWeightsAttrName);
  int64_t size = getWeightsSize(module);
  int64_t written = 0;
  auto pad = [&](int64_t to) {
    for (; written < to; ++written)
      os << '\0';
  };
  for (Attribute entry : layout ? layout.getValue() : ArrayRef<Attribute>()) {
    auto dict = cast<DictionaryAttr>(entry);
    auto name = dict.getAs<StringAttr>("name");
    int64_t offset = dict.getAs<IntegerAttr>("offset").getInt();
    if (offset < written)
      return module.emitError() << "weights layout is not in offset order at '"
                                << name.getValue() << "'";
    pad(offset);
    if (failed(writeElements(dict.get("value"), name.getValue(), os, written)))
      return module.emitError()
             << "weight '" << name.getValue()
             << "' has no data to write (was it elided from the IR?)";
  }
  if (written > size)
    return module.emitError() << "weights overflow their recorded size";
  pad(size);
  return success();
}
