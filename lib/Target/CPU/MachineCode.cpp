//===- MachineCode.cpp - target machine, optimization, code emission ------===//

#include "tfm/Target/CPU/CpuTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::tfm;

std::unique_ptr<llvm::TargetMachine>
cpu::createTargetMachine(const TargetOptions &options, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;

  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu.empty()) {
    cpu = llvm::sys::getHostCPUName().str();
    if (features.empty()) {
      llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
      std::vector<std::string> parts;
      for (const auto &feature : host)
        parts.push_back((feature.getValue() ? "+" : "-") +
                        feature.getKey().str());
      llvm::sort(parts);
      features = llvm::join(parts, ",");
    }
  }
  // An unknown CPU name would silently fall back to generic code.
  if (!cpu.empty() && cpu != "generic") {
    const llvm::MCSubtargetInfo *info =
        target->createMCSubtargetInfo(triple, "generic", "");
    bool known = info && info->isCPUStringValid(cpu);
    delete info;
    if (!known) {
      error = "unknown CPU '" + cpu + "' for " + triple.str();
      return nullptr;
    }
  }
  // Every feature is "+name" or "-name" and known to the target: LLVM
  // would warn about and ignore anything else.
  if (!options.features.empty()) {
    const llvm::MCSubtargetInfo *info =
        target->createMCSubtargetInfo(triple, "generic", "");
    SmallVector<StringRef> parts;
    StringRef(options.features).split(parts, ',', -1, /*KeepEmpty=*/false);
    std::string bad;
    for (StringRef part : parts) {
      StringRef name = part.drop_front();
      bool known = (part.starts_with("+") || part.starts_with("-")) &&
                   llvm::any_of(info->getAllProcessorFeatures(),
                                [&](const llvm::SubtargetFeatureKV &kv) {
                                  return name == kv.Key;
                                });
      if (!known) {
        bad = part.str();
        break;
      }
    }
    delete info;
    if (!bad.empty()) {
      error = "unknown CPU feature '" + bad +
              "' (features are +name or -name, e.g. +avx2,+fma)";
      return nullptr;
    }
  }
  llvm::CodeGenOptLevel level;
  switch (options.optLevel) {
  case 0:
    level = llvm::CodeGenOptLevel::None;
    break;
  case 1:
    level = llvm::CodeGenOptLevel::Less;
    break;
  case 2:
    level = llvm::CodeGenOptLevel::Default;
    break;
  default:
    level = llvm::CodeGenOptLevel::Aggressive;
    break;
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, cpu, features, targetOptions,
                                  llvm::Reloc::PIC_, std::nullopt, level));
  if (!machine) {
    error = "cannot create a target machine for " + triple.str();
    return nullptr;
  }
  // Generated code is x86-64 with SSE2 (f64 returns, the runtime's ABI):
  // a 32-bit CPU or a feature list that takes either away would end in an
  // LLVM fatal error deep in code generation.
  const llvm::MCSubtargetInfo *info = machine->getMCSubtargetInfo();
  if (triple.getArch() == llvm::Triple::x86_64 &&
      (!info->checkFeatures("+64bit") || !info->checkFeatures("+sse2"))) {
    error = "CPU '" + cpu + "'" +
            (features.empty() || options.features.empty()
                 ? std::string()
                 : " with features '" + features + "'") +
            " cannot run x86-64 code (it lacks 64-bit mode or SSE2); choose "
            "an x86-64 CPU such as x86-64-v3 or znver4";
    return nullptr;
  }
  return machine;
}

int64_t cpu::getVectorRegisterBits(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (info->checkFeatures("+avx512f"))
    return 512;
  if (info->checkFeatures("+avx"))
    return 256;
  return 128;
}

bool cpu::hasDotProductInt8(const llvm::TargetMachine &machine, int64_t bits) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (bits == 512)
    return info->checkFeatures("+avx512vnni");
  if (bits == 256)
    return info->checkFeatures("+avxvnni") ||
           info->checkFeatures("+avx512vnni,+avx512vl");
  return false;
}

bool cpu::hasDotProductBf16(const llvm::TargetMachine &machine, int64_t bits) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (bits == 512)
    return info->checkFeatures("+avx512bf16");
  if (bits == 256)
    return info->checkFeatures("+avx512bf16,+avx512vl");
  return false;
}

LogicalResult cpu::optimizeModule(llvm::Module &module,
                                  llvm::TargetMachine &machine,
                                  unsigned optLevel, std::string &error) {
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple());
  // Functions take the machine's CPU and features so that the optimizer's
  // cost models (vectorizer, unroller) see the real target.
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    function.addFnAttr("target-features", machine.getTargetFeatureString());
  }
  auto transformer = makeOptimizingTransformer(std::min(optLevel, 3u),
                                               /*sizeLevel=*/0, &machine);
  if (llvm::Error err = transformer(&module)) {
    error = llvm::toString(std::move(err));
    return failure();
  }
  return success();
}

LogicalResult cpu::emitMachineCode(llvm::Module &module,
                                   llvm::TargetMachine &machine,
                                   llvm::raw_pwrite_stream &os, bool assembly,
                                   std::string &error) {
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple());
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr,
                                  assembly
                                      ? llvm::CodeGenFileType::AssemblyFile
                                      : llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit this file type";
    return failure();
  }
  passes.run(module);
  return success();
}
