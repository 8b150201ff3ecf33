//===- TfmDialect.cpp - the tfm dialect -----------------------------------===//

#include "tfm/Dialect/Tfm/TfmDialect.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tfm;

#include "tfm/Dialect/Tfm/TfmAttrInterfaces.cpp.inc"
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

//===----------------------------------------------------------------------===//
// Targets
//===----------------------------------------------------------------------===//

LogicalResult
CpuTargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringAttr cpu, int64_t vectorBits, bool int8Dot,
                      bool bf16Dot) {
  if (!cpu || cpu.getValue().empty())
    return emitError() << "cpu_target: `cpu` names the CPU (e.g. \"znver5\")";
  if (vectorBits != 128 && vectorBits != 256 && vectorBits != 512)
    return emitError() << "cpu_target_c1: vector_bits must be 128, 256 or "
                          "512, got "
                       << vectorBits;
  return success();
}

StringRef CpuTargetAttr::getBackendName() const { return "cpu"; }

int64_t CpuTargetAttr::getWeightPanelWidth() const {
  // Two vector registers of f32: the register tile's width.
  return 2 * getVectorBits() / 32;
}

LogicalResult
CudaTargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       StringAttr chip, StringAttr features) {
  // sm_<compute capability>[a], from Volta (sm_70) on.
  StringRef arch = chip ? chip.getValue() : StringRef();
  StringRef digits = arch;
  unsigned capability = 0;
  bool valid = digits.consume_front("sm_");
  digits.consume_back("a");
  valid = valid && !digits.getAsInteger(10, capability) && capability >= 70;
  if (!valid)
    return emitError() << "cuda_target_c1: chip must be sm_NN or sm_NNa "
                          "with NN >= 70 (e.g. \"sm_80\", \"sm_90a\"), got \""
                       << arch << "\"";
  StringRef ptx = features ? features.getValue() : StringRef();
  unsigned version = 0;
  if (!ptx.consume_front("+ptx") || ptx.getAsInteger(10, version))
    return emitError() << "cuda_target_c2: features must be +ptxNN (e.g. "
                          "\"+ptx80\"), got \""
                       << (features ? features.getValue() : StringRef())
                       << "\"";
  return success();
}

StringRef CudaTargetAttr::getBackendName() const { return "cuda"; }

int64_t CudaTargetAttr::getWeightPanelWidth() const { return 0; }

TargetAttrInterface mlir::tfm::getTarget(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto target = op->getAttrOfType<TargetAttrInterface>(kTargetAttrName))
      return target;
  return nullptr;
}

LogicalResult TfmDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attribute) {
  if (attribute.getName() != kTargetAttrName)
    return success();
  if (!isa<TargetAttrInterface>(attribute.getValue()))
    return op->emitError()
           << "'" << kTargetAttrName
           << "' must be a target attribute "
              "(#tfm.cpu_target<...>, #tfm.cuda_target<...>), got "
           << attribute.getValue();
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << kTargetAttrName
                           << "' belongs on a builtin.module";
  return success();
}

Operation *TfmDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
