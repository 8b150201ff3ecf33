//===- ModelDescription.cpp - a model's interface, as the runtime sees it -===//

#include "tfm/Target/ModelDescription.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::tfm;

StringRef mlir::tfm::getRuntimeDtypeName(RuntimeDtype dtype) {
  switch (dtype) {
  case RuntimeDtype::F32:
    return "float32";
  case RuntimeDtype::F16:
    return "float16";
  case RuntimeDtype::BF16:
    return "bfloat16";
  case RuntimeDtype::F64:
    return "float64";
  case RuntimeDtype::I8:
    return "int8";
  case RuntimeDtype::I16:
    return "int16";
  case RuntimeDtype::I32:
    return "int32";
  case RuntimeDtype::I64:
    return "int64";
  case RuntimeDtype::U8:
    return "uint8";
  case RuntimeDtype::U16:
    return "uint16";
  case RuntimeDtype::U32:
    return "uint32";
  case RuntimeDtype::U64:
    return "uint64";
  case RuntimeDtype::Bool:
    return "bool";
  }
  return "invalid";
}

static std::optional<RuntimeDtype> getRuntimeDtype(Type type) {
  if (type.isF32())
    return RuntimeDtype::F32;
  if (type.isF16())
    return RuntimeDtype::F16;
  if (type.isBF16())
    return RuntimeDtype::BF16;
  if (type.isF64())
    return RuntimeDtype::F64;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  bool isUnsigned = intType.isUnsigned();
  switch (intType.getWidth()) {
  case 1:
    return RuntimeDtype::Bool;
  case 8:
    return isUnsigned ? RuntimeDtype::U8 : RuntimeDtype::I8;
  case 16:
    return isUnsigned ? RuntimeDtype::U16 : RuntimeDtype::I16;
  case 32:
    return isUnsigned ? RuntimeDtype::U32 : RuntimeDtype::I32;
  case 64:
    return isUnsigned ? RuntimeDtype::U64 : RuntimeDtype::I64;
  default:
    return std::nullopt;
  }
}

/// The number of rows of the tables `value` indexes (through reshapes and
/// integer casts), or 0 when it indexes none.
static int64_t getIndexLimit(Value value) {
  int64_t limit = 0;
  SmallVector<Value> worklist = {value};
  DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isa<ReshapeOp, ExpandOp>(user)) {
        worklist.push_back(user->getResult(0));
      } else if (auto cast = dyn_cast<CastOp>(user)) {
        if (isa<IntegerType>(getElementTypeOrSelf(cast.getType())))
          worklist.push_back(cast.getResult());
      } else if (auto gather = dyn_cast<GatherOp>(user)) {
        if (use.getOperandNumber() != 1)
          continue;
        int64_t rows = gather.getInput().getType().getDimSize(gather.getAxis());
        if (ShapedType::isDynamic(rows))
          continue;
        limit = limit == 0 ? rows : std::min(limit, rows);
      }
    }
  }
  return limit;
}

static FailureOr<TensorDescription> describeTensor(func::FuncOp func, Type type,
                                                   DictionaryAttr attrs,
                                                   StringRef kind,
                                                   unsigned index) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  std::optional<RuntimeDtype> dtype;
  if (tensorType)
    dtype = getRuntimeDtype(tensorType.getElementType());
  if (!tensorType || !dtype)
    return func.emitError()
           << "model " << kind << " " << index << " has type " << type
           << "; compiled models need ranked tensors of numbers or booleans";
  TensorDescription desc;
  auto name = attrs ? attrs.getAs<StringAttr>("tfm.name") : StringAttr();
  desc.name = name ? name.str() : (kind + Twine(index)).str();
  desc.dtype = *dtype;
  desc.shape = llvm::to_vector(tensorType.getShape());
  return desc;
}

FailureOr<ModelDescription> mlir::tfm::describeModel(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      funcs.push_back(func);
  if (funcs.size() != 1)
    return module.emitError() << "a compiled model is one public function; "
                                 "the module has "
                              << funcs.size();
  func::FuncOp func = funcs.front();
  ModelDescription model;
  model.functionName = func.getSymName().str();
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    FailureOr<TensorDescription> desc =
        describeTensor(func, type, func.getArgAttrDict(i), "input", i);
    if (failed(desc))
      return failure();
    if (isa<IntegerType>(getElementTypeOrSelf(type)))
      desc->indexLimit = getIndexLimit(func.getArgument(i));
    model.inputs.push_back(std::move(*desc));
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    FailureOr<TensorDescription> desc =
        describeTensor(func, type, func.getResultAttrDict(i), "output", i);
    if (failed(desc))
      return failure();
    model.outputs.push_back(std::move(*desc));
  }
  return model;
}

LogicalResult mlir::tfm::applyEntryShapes(ModelDescription &model,
                                          Operation *entry) {
  auto names = entry->getAttrOfType<ArrayAttr>("tfm.symbols");
  auto bounds = entry->getAttrOfType<DenseI64ArrayAttr>("tfm.symbol_bounds");
  auto inputDims = entry->getAttrOfType<DenseI32ArrayAttr>("tfm.input_dims");
  auto outputBounds =
      entry->getAttrOfType<DenseI64ArrayAttr>("tfm.output_dim_bounds");
  auto bases = entry->getAttrOfType<DenseI32ArrayAttr>("tfm.symbol_bases");
  auto offsets = entry->getAttrOfType<DenseI64ArrayAttr>("tfm.symbol_offsets");
  auto isDynamic = [](const TensorDescription &tensor) {
    return llvm::any_of(tensor.shape, ShapedType::isDynamic);
  };
  bool dynamic = llvm::any_of(model.inputs, isDynamic) ||
                 llvm::any_of(model.outputs, isDynamic);
  if (!names && !dynamic)
    return success();
  auto malformed = [&]() {
    return entry->emitError()
           << "the lowered entry does not record the model's dynamic "
              "dimensions consistently (tfm.symbols, tfm.symbol_bounds, "
              "tfm.symbol_bases, tfm.symbol_offsets, tfm.input_dims, "
              "tfm.output_dim_bounds)";
  };
  if (!names || !bounds || !inputDims || !outputBounds ||
      names.size() != static_cast<size_t>(bounds.size()) ||
      !bases != !offsets ||
      (bases &&
       (bases.size() != bounds.size() || offsets.size() != bounds.size())))
    return malformed();
  for (auto [k, entry] :
       llvm::enumerate(llvm::zip(names, bounds.asArrayRef()))) {
    auto nameAttr = dyn_cast<StringAttr>(std::get<0>(entry));
    if (!nameAttr)
      return malformed();
    SymbolDescription &symbol = model.symbols.emplace_back(
        SymbolDescription{nameAttr.str(), std::get<1>(entry)});
    if (!bases)
      continue;
    // A derived symbol's base is a free symbol before it.
    symbol.base = bases[k];
    symbol.offset = offsets[k];
    if (symbol.base >= static_cast<int32_t>(k) ||
        (symbol.base >= 0 && model.symbols[symbol.base].base >= 0))
      return malformed();
  }
  size_t next = 0;
  for (TensorDescription &input : model.inputs) {
    if (next + input.shape.size() > static_cast<size_t>(inputDims.size()))
      return malformed();
    if (isDynamic(input))
      input.dims.assign(inputDims.asArrayRef().begin() + next,
                        inputDims.asArrayRef().begin() + next +
                            input.shape.size());
    for (auto [d, size] : llvm::enumerate(input.shape)) {
      int32_t symbol = inputDims[next + d];
      if (ShapedType::isDynamic(size) != (symbol >= 0) ||
          symbol >= static_cast<int32_t>(model.symbols.size()))
        return malformed();
      if (symbol >= 0)
        size = model.symbols[symbol].bound;
    }
    next += input.shape.size();
  }
  int32_t slot = 0;
  for (TensorDescription &output : model.outputs) {
    if (!isDynamic(output))
      continue;
    for (int64_t &size : output.shape) {
      if (!ShapedType::isDynamic(size)) {
        output.dims.push_back(-1);
        continue;
      }
      if (slot >= static_cast<int32_t>(outputBounds.size()))
        return malformed();
      output.dims.push_back(slot);
      size = outputBounds[slot++];
    }
  }
  if (next != static_cast<size_t>(inputDims.size()) ||
      slot != static_cast<int32_t>(outputBounds.size()))
    return malformed();
  model.numOutputDims = slot;
  return success();
}
