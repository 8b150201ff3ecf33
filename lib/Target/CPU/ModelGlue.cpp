//===- ModelGlue.cpp - LLVM IR for the runtime's view of a model ----------===//
//
// The generated entry function takes (weights, arena, inputs..., outputs...)
// as bare pointers, and a model with dynamic dimensions one more: the sizes.
// The runtime calls every model the same way, through `void entry(void *const
// *args)`; this file emits that wrapper and the constant tfm_model_desc (see
// runtime/include/tfm_runtime.h) describing the model, laid out with the C ABI
// of the struct.
//
//===----------------------------------------------------------------------===//

#include "tfm/Target/CPU/CpuTarget.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

using namespace mlir;
using namespace mlir::tfm;

namespace {

constexpr uint32_t kAbiVersion = 5;

class GlueBuilder {
public:
  GlueBuilder(llvm::Module &module, StringRef prefix)
      : module(module), ctx(module.getContext()), prefix(prefix.str()),
        ptrType(llvm::PointerType::getUnqual(ctx)),
        i32(llvm::Type::getInt32Ty(ctx)), i64(llvm::Type::getInt64Ty(ctx)) {
    // struct tfm_tensor_info { const char *name; int32_t dtype;
    //   int32_t rank; const int64_t *shape; int64_t index_limit;
    //   const int32_t *dims; }
    tensorInfoType = llvm::StructType::create(
        ctx, {ptrType, i32, i32, ptrType, i64, ptrType}, "tfm_tensor_info");
    // struct tfm_symbol_info { const char *name; int64_t bound;
    //   int32_t base; int64_t offset; }
    symbolInfoType = llvm::StructType::create(ctx, {ptrType, i64, i32, i64},
                                              "tfm_symbol_info");
    // struct tfm_model_desc { uint32_t abi_version; const char *name;
    //   int32_t num_inputs, num_outputs; inputs; outputs;
    //   uint64_t arena_size, weights_size; weights; weights_file; entry;
    //   uint64_t weights_checksum; int32_t device;
    //   int32_t num_symbols, num_output_dims; symbols; }
    descType = llvm::StructType::create(ctx,
                                        {i32, ptrType, i32, i32, ptrType,
                                         ptrType, i64, i64, ptrType, ptrType,
                                         ptrType, i64, i32, i32, i32, ptrType},
                                        "tfm_model_desc");
  }

  llvm::Constant *string(StringRef value, StringRef name) {
    auto *init = llvm::ConstantDataArray::getString(ctx, value);
    auto *global = new llvm::GlobalVariable(
        module, init->getType(), /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage, init, prefix + "." + name.str());
    global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    return global;
  }

  /// A private constant array of `values` (null when empty).
  template <typename T>
  llvm::Constant *array(ArrayRef<T> values, const Twine &name) {
    if (values.empty())
      return llvm::ConstantPointerNull::get(ptrType);
    auto *init = llvm::ConstantDataArray::get(ctx, values);
    return new llvm::GlobalVariable(module, init->getType(), true,
                                    llvm::GlobalValue::PrivateLinkage, init,
                                    prefix + "." + name);
  }

  llvm::Constant *tensorInfos(ArrayRef<TensorDescription> tensors,
                              StringRef kind) {
    if (tensors.empty())
      return llvm::ConstantPointerNull::get(ptrType);
    SmallVector<llvm::Constant *> infos;
    for (auto [i, tensor] : llvm::enumerate(tensors)) {
      std::string tag = (kind + Twine(i)).str();
      llvm::Constant *shape = array<uint64_t>(
          SmallVector<uint64_t>(tensor.shape.begin(), tensor.shape.end()),
          tag + ".shape");
      llvm::Constant *dims = array<uint32_t>(
          SmallVector<uint32_t>(tensor.dims.begin(), tensor.dims.end()),
          tag + ".dims");
      infos.push_back(llvm::ConstantStruct::get(
          tensorInfoType,
          {string(tensor.name, tag + ".name"),
           llvm::ConstantInt::get(i32, static_cast<int32_t>(tensor.dtype)),
           llvm::ConstantInt::get(i32, tensor.shape.size()), shape,
           llvm::ConstantInt::get(i64, tensor.indexLimit), dims}));
    }
    auto *arrayType = llvm::ArrayType::get(tensorInfoType, infos.size());
    return new llvm::GlobalVariable(
        module, arrayType, true, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(arrayType, infos), prefix + "." + kind.str());
  }

  llvm::Constant *symbolInfos(ArrayRef<SymbolDescription> symbols) {
    if (symbols.empty())
      return llvm::ConstantPointerNull::get(ptrType);
    SmallVector<llvm::Constant *> infos;
    for (auto [i, symbol] : llvm::enumerate(symbols))
      infos.push_back(llvm::ConstantStruct::get(
          symbolInfoType,
          {string(symbol.name, ("symbol" + Twine(i) + ".name").str()),
           llvm::ConstantInt::get(i64, symbol.bound),
           llvm::ConstantInt::get(i32, symbol.base),
           llvm::ConstantInt::get(i64, symbol.offset)}));
    auto *arrayType = llvm::ArrayType::get(symbolInfoType, infos.size());
    return new llvm::GlobalVariable(
        module, arrayType, true, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(arrayType, infos), prefix + ".symbols");
  }

  /// void wrapper(void *const *args) { entry(args[0], ..., args[n-1]); }
  llvm::Function *wrapper(llvm::Function *entry) {
    auto *type =
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptrType}, false);
    auto *function = llvm::Function::Create(
        type, llvm::GlobalValue::InternalLinkage, prefix + "_run_args", module);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", function));
    SmallVector<llvm::Value *> args;
    for (unsigned i = 0, e = entry->arg_size(); i < e; ++i) {
      llvm::Value *slot =
          b.CreateConstInBoundsGEP1_64(ptrType, function->getArg(0), i);
      args.push_back(b.CreateLoad(ptrType, slot));
    }
    b.CreateCall(entry, args);
    b.CreateRetVoid();
    return function;
  }

  /// `const tfm_model_desc *name(void) { return &desc; }`
  void accessor(StringRef name, llvm::GlobalVariable *desc,
                llvm::GlobalValue::LinkageTypes linkage) {
    auto *type = llvm::FunctionType::get(ptrType, {}, false);
    auto *function = llvm::Function::Create(type, linkage, name, module);
    function->setVisibility(llvm::GlobalValue::DefaultVisibility);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", function));
    b.CreateRet(desc);
  }

  llvm::Module &module;
  llvm::LLVMContext &ctx;
  std::string prefix;
  llvm::PointerType *ptrType;
  llvm::IntegerType *i32, *i64;
  llvm::StructType *tensorInfoType, *symbolInfoType, *descType;
};

} // namespace

std::unique_ptr<llvm::Module>
cpu::translateModel(ModuleOp module, llvm::LLVMContext &context,
                    const ModelDescription &model, StringRef entryName,
                    StringRef prefix, const WeightsPlacement &weights,
                    StringRef embeddedWeights) {
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  // GPU models: the kernels' gpu.binary is embedded, and launches call the
  // runtime's mgpu* functions.
  registerGPUDialectTranslation(registry);
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
  module->getContext()->appendDialectRegistry(registry);

  auto arenaSize = module->getAttrOfType<IntegerAttr>("tfm.arena_size");
  auto entryOp = module.lookupSymbol(entryName);
  if (entryOp)
    arenaSize = entryOp->getAttrOfType<IntegerAttr>("tfm.arena_size");
  int64_t weightsSize = getWeightsSize(module);

  // tfm.* attributes annotate buffers for the passes; LLVM has no use for
  // them (and would warn about unknown parameter attributes).
  auto isTfmAttr = [](NamedAttribute attr) {
    return attr.getName().getValue().starts_with("tfm.");
  };
  module.walk([&](LLVM::LLVMFuncOp func) {
    for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
      SmallVector<NamedAttribute> kept;
      for (NamedAttribute attr : function_interface_impl::getArgAttrs(func, i))
        if (!isTfmAttr(attr))
          kept.push_back(attr);
      func.setArgAttrs(i, kept);
    }
    SmallVector<StringAttr> dropped;
    for (NamedAttribute attr : func->getDiscardableAttrs())
      if (isTfmAttr(attr))
        dropped.push_back(attr.getName());
    for (StringAttr name : dropped)
      func->removeAttr(name);
  });

  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, prefix);
  if (!llvmModule)
    return nullptr;
  llvm::Function *entry = llvmModule->getFunction(entryName);
  // weights, arena, inputs..., outputs... (and dims).
  size_t expectedArgs = 2 + model.inputs.size() + model.outputs.size() +
                        (model.isDynamic() ? 1 : 0);
  if (!entry || entry->arg_size() != expectedArgs) {
    module.emitError() << "the lowered module has no entry function '"
                       << entryName << "' taking " << expectedArgs
                       << " buffers";
    return nullptr;
  }

  GlueBuilder glue(*llvmModule, prefix);
  llvm::Constant *weightsData = llvm::ConstantPointerNull::get(glue.ptrType);
  llvm::Constant *weightsFile = llvm::ConstantPointerNull::get(glue.ptrType);
  if (weightsSize > 0 && weights.embedded) {
    auto *init =
        llvm::ConstantDataArray::getRaw(embeddedWeights, embeddedWeights.size(),
                                        llvm::Type::getInt8Ty(context));
    auto *global = new llvm::GlobalVariable(*llvmModule, init->getType(), true,
                                            llvm::GlobalValue::PrivateLinkage,
                                            init, prefix + ".weights");
    global->setAlignment(llvm::Align(64));
    weightsData = global;
  } else if (weightsSize > 0) {
    weightsFile = glue.string(weights.fileName, "weights_file");
  }

  llvm::Constant *fields[] = {
      llvm::ConstantInt::get(glue.i32, kAbiVersion),
      glue.string(prefix, "name"),
      llvm::ConstantInt::get(glue.i32, model.inputs.size()),
      llvm::ConstantInt::get(glue.i32, model.outputs.size()),
      glue.tensorInfos(model.inputs, "inputs"),
      glue.tensorInfos(model.outputs, "outputs"),
      llvm::ConstantInt::get(glue.i64, arenaSize ? arenaSize.getInt() : 0),
      llvm::ConstantInt::get(glue.i64, weightsSize),
      weightsData,
      weightsFile,
      glue.wrapper(entry),
      llvm::ConstantInt::get(glue.i64, weights.embedded ? 0 : weights.checksum),
      llvm::ConstantInt::get(glue.i32, static_cast<int32_t>(model.device)),
      llvm::ConstantInt::get(glue.i32, model.symbols.size()),
      llvm::ConstantInt::get(glue.i32, model.numOutputDims),
      glue.symbolInfos(model.symbols)};
  auto *desc = new llvm::GlobalVariable(
      *llvmModule, glue.descType, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantStruct::get(glue.descType, fields), prefix + ".desc");
  glue.accessor((prefix + "_descriptor").str(), desc,
                llvm::GlobalValue::ExternalLinkage);
  // Generic tools (tfm-run, the executable's main) find any model here;
  // weak, so that several models can be linked into one program.
  glue.accessor("tfm_model_descriptor", desc,
                llvm::GlobalValue::WeakAnyLinkage);
  return llvmModule;
}

/// The instructions that use `alloca`, through address computations.
static void collectUsers(llvm::Value *value,
                         SmallVectorImpl<llvm::Instruction *> &users) {
  for (llvm::User *user : value->users()) {
    auto *inst = dyn_cast<llvm::Instruction>(user);
    if (!inst)
      continue;
    users.push_back(inst);
    if (isa<llvm::GetElementPtrInst, llvm::CastInst>(inst))
      collectUsers(inst, users);
  }
}

/// The LLVM IR translation of a kernel launch allocates its parameters
/// (an array of pointers and the struct they point into) where the launch
/// is: in a GPU model's straight-line host code, thousands of allocas of
/// the entry block (BERT-base: a 658 KB frame). The driver copies the
/// parameters when a launch is made, so consecutive launches can share
/// one buffer for their arrays and one for their structs: each alloca
/// used only up to its launch, in the launch's block, is replaced by the
/// shared one.
void cpu::shareLaunchParameters(llvm::Module &module) {
  llvm::Function *launch = module.getFunction("mgpuLaunchKernel");
  if (!launch)
    return;
  constexpr unsigned kParamsOperand = 9;
  const llvm::DataLayout &layout = module.getDataLayout();
  // The allocas to share, for the array and for the struct.
  SmallVector<llvm::AllocaInst *> arrays, structs;
  auto onlyUpTo = [](llvm::AllocaInst *alloca, llvm::CallInst *call) {
    SmallVector<llvm::Instruction *> users;
    collectUsers(alloca, users);
    return alloca->isStaticAlloca() &&
           llvm::none_of(users, [&](llvm::Instruction *inst) {
             return inst->getParent() != call->getParent() ||
                    (inst != call && call->comesBefore(inst));
           });
  };
  for (llvm::User *user : launch->users()) {
    auto *call = dyn_cast<llvm::CallInst>(user);
    if (!call || call->arg_size() <= kParamsOperand)
      continue;
    auto *array = dyn_cast<llvm::AllocaInst>(
        llvm::getUnderlyingObject(call->getArgOperand(kParamsOperand)));
    if (!array || !onlyUpTo(array, call))
      continue;
    llvm::AllocaInst *params = nullptr;
    bool oneStruct = true;
    SmallVector<llvm::Instruction *> arrayUsers;
    collectUsers(array, arrayUsers);
    for (llvm::Instruction *inst : arrayUsers)
      if (auto *store = dyn_cast<llvm::StoreInst>(inst)) {
        auto *param = dyn_cast<llvm::AllocaInst>(
            llvm::getUnderlyingObject(store->getValueOperand()));
        if (!param || (params && params != param))
          oneStruct = false;
        params = param;
      }
    if (!oneStruct || (params && !onlyUpTo(params, call)))
      continue;
    arrays.push_back(array);
    if (params)
      structs.push_back(params);
  }
  // One buffer as large and as aligned as the largest of `allocas`.
  auto share = [&](ArrayRef<llvm::AllocaInst *> allocas) {
    if (allocas.size() < 2)
      return;
    uint64_t bytes = 0;
    llvm::Align align(16);
    for (llvm::AllocaInst *alloca : allocas) {
      std::optional<llvm::TypeSize> size = alloca->getAllocationSize(layout);
      bytes = std::max<uint64_t>(bytes, size ? size->getFixedValue() : 0);
      align = std::max(align, alloca->getAlign());
    }
    llvm::Function *function = allocas.front()->getFunction();
    llvm::IRBuilder<> b(&*function->getEntryBlock().getFirstInsertionPt());
    llvm::AllocaInst *shared =
        b.CreateAlloca(b.getInt8Ty(), b.getInt64(bytes), "launch.params");
    shared->setAlignment(align);
    for (llvm::AllocaInst *alloca : allocas) {
      if (alloca->getFunction() != function)
        continue;
      alloca->replaceAllUsesWith(shared);
      alloca->eraseFromParent();
    }
  };
  share(arrays);
  share(structs);
}
