//===- CompileModel.cpp - the compilation behind tfmc ---------------------===//

#include "tfm/Driver/CompileModel.h"

#include "tfm/Dialect/Tfm/TfmDialect.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include <map>

#include "mlir/IR/AsmState.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>

using namespace mlir;
using namespace mlir::tfm;

std::string mlir::tfm::makeSymbolPrefix(StringRef outputPath) {
  StringRef stem = llvm::sys::path::stem(outputPath);
  std::string prefix;
  for (char c : stem)
    prefix += llvm::isAlnum(c) ? c : '_';
  if (prefix.empty() || llvm::isDigit(prefix.front()))
    prefix = "model_" + prefix;
  return prefix;
}

namespace {

/// Phase timing and progress lines.
class PhaseClock {
public:
  PhaseClock(llvm::raw_ostream &log, bool timing) : log(log), timing(timing) {
    start = last = Clock::now();
  }

  /// Records the end of `phase`; once the compilation has run for a while,
  /// says so, so that long compiles show where they are.
  void finished(StringRef phase) {
    auto now = Clock::now();
    double seconds = std::chrono::duration<double>(now - last).count();
    double total = std::chrono::duration<double>(now - start).count();
    phases.push_back({phase.str(), seconds});
    last = now;
    if (total >= kProgressAfterSeconds && !timing)
      log << "tfmc: " << phase << " done (" << llvm::format("%.1f", total)
          << " s elapsed)\n";
  }

  void report() {
    if (!timing)
      return;
    double total = 0;
    log << "tfmc: time per phase:\n";
    for (auto &[name, seconds] : phases) {
      log << llvm::format("  %-12s %8.3f s\n", name.c_str(), seconds);
      total += seconds;
    }
    log << llvm::format("  %-12s %8.3f s\n", "total", total);
  }

private:
  using Clock = std::chrono::steady_clock;
  static constexpr double kProgressAfterSeconds = 5.0;
  llvm::raw_ostream &log;
  bool timing;
  Clock::time_point start, last;
  std::vector<std::pair<std::string, double>> phases;
};

/// Fails, naming the flag to change, when writing `path` would overwrite
/// the model being compiled.
LogicalResult checkNotInput(StringRef path, const CompileOptions &options,
                            Operation *anchor) {
  if (options.inputPath.empty() || path == "-")
    return success();
  bool same = false;
  if (llvm::sys::fs::equivalent(path, options.inputPath, same) || !same)
    return success();
  return anchor->emitError()
         << "the output '" << path << "' is the model being compiled ('"
         << options.inputPath << "'); choose another name with -o";
}

std::string replaceExtension(StringRef path, StringRef extension) {
  SmallString<256> result(path);
  llvm::sys::path::replace_extension(result, extension);
  return std::string(result);
}

LogicalResult writeTextFile(StringRef path,
                            function_ref<void(llvm::raw_ostream &)> write,
                            Operation *anchor) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &error);
  if (!file)
    return anchor->emitError() << "cannot write '" << path << "': " << error;
  write(file->os());
  file->keep();
  return success();
}

} // namespace

/// tfm ops in `module` by kind (constants included).
static std::map<std::string, int64_t> countTfmOps(ModuleOp module) {
  std::map<std::string, int64_t> counts;
  module.walk([&](Operation *op) {
    if (op->getDialect() &&
        op->getDialect()->getNamespace() == TfmDialect::getDialectNamespace())
      ++counts[op->getName().getStringRef().str()];
  });
  return counts;
}

/// The `--stats` table: op counts before and after the graph pipeline.
static void printOpCounts(llvm::raw_ostream &log,
                          const std::map<std::string, int64_t> &before,
                          const std::map<std::string, int64_t> &after) {
  std::map<std::string, std::pair<int64_t, int64_t>> rows;
  int64_t totalBefore = 0, totalAfter = 0;
  for (auto &[name, n] : before) {
    rows[name].first = n;
    totalBefore += n;
  }
  for (auto &[name, n] : after) {
    rows[name].second = n;
    totalAfter += n;
  }
  log << "tfmc: op counts before and after the graph pipeline:\n";
  log << llvm::format("tfmc:   %-22s %8s %8s\n", "op", "before", "after");
  for (auto &[name, counts] : rows)
    log << llvm::format("tfmc:   %-22s %8lld %8lld\n", name.c_str(),
                        static_cast<long long>(counts.first),
                        static_cast<long long>(counts.second));
  log << llvm::format("tfmc:   %-22s %8lld %8lld\n", "total",
                      static_cast<long long>(totalBefore),
                      static_cast<long long>(totalAfter));
}

/// How a linear's (or an embedding's) weight is stored: "int8", "int4",
/// .. for a dequantize of integer codes, "bf16"/"f16" for a widened narrow
/// float, else its own element type.
static std::string getWeightStorage(Value weight) {
  auto describe = [](Type type) {
    std::string text;
    llvm::raw_string_ostream os(text);
    if (auto integer = dyn_cast<IntegerType>(type))
      os << (integer.isUnsigned() ? "uint" : "int") << integer.getWidth();
    else
      os << type;
    return text;
  };
  if (auto dequantize = weight.getDefiningOp<DequantizeOp>())
    return describe(dequantize.getInput().getType().getElementType());
  if (auto widening = weight.getDefiningOp<CastOp>())
    return describe(
        cast<ShapedType>(widening.getInput().getType()).getElementType());
  return describe(getElementTypeOrSelf(weight.getType()));
}

/// The `--stats` lines on weights: linears (and gathers from an embedding
/// table, read through their dequantize or cast) by weight storage.
static void printWeightStorage(llvm::raw_ostream &log, ModuleOp module) {
  std::map<std::string, int64_t> linears, tables;
  module.walk([&](LinearOp linear) {
    ++linears[getWeightStorage(linear.getWeight())];
  });
  module.walk([&](Operation *op) {
    // A narrow or quantized table is gathered before it is widened.
    if (!isa<CastOp, DequantizeOp>(op) || op->getNumOperands() == 0)
      return;
    if (auto gather = op->getOperand(0).getDefiningOp<GatherOp>())
      if (gather.getInput().getDefiningOp<ConstantOp>())
        ++tables[getWeightStorage(op->getResult(0))];
  });
  auto print = [&](StringRef what, const std::map<std::string, int64_t> &map) {
    if (map.empty())
      return;
    log << "tfmc: " << what << " by weight storage:";
    for (auto &[kind, n] : map)
      log << " " << kind << " " << n;
    log << "\n";
  };
  print("linears", linears);
  print("embedding gathers", tables);
}

CpuTargetAttr mlir::tfm::getCpuTarget(MLIRContext *ctx,
                                      const llvm::TargetMachine &machine) {
  int64_t bits = cpu::getVectorRegisterBits(machine);
  return CpuTargetAttr::get(ctx, StringAttr::get(ctx, machine.getTargetCPU()),
                            bits, cpu::hasDotProductInt8(machine, bits),
                            cpu::hasDotProductBf16(machine, bits));
}

CudaTargetAttr mlir::tfm::getCudaTarget(MLIRContext *ctx,
                                        const GpuOptions &options) {
  return CudaTargetAttr::getChecked(
      [&] { return emitError(UnknownLoc::get(ctx)); }, ctx,
      StringAttr::get(ctx, options.chip),
      StringAttr::get(ctx, options.features));
}

LogicalResult mlir::tfm::compileModel(ModuleOp module,
                                      const CompileOptions &options,
                                      llvm::raw_ostream &log) {
  MLIRContext *ctx = module.getContext();
  // The target attributes are tfm attributes, whether or not the module
  // holds a tfm op (an empty module is reported below, not crashed on).
  ctx->getOrLoadDialect<TfmDialect>();
  PhaseClock clock(log, options.timing);

  OpPrintingFlags printFlags;
  if (options.elideWeights)
    printFlags.elideLargeResourceString(1024);
  auto printModule = [&]() {
    return writeTextFile(
        options.outputPath,
        [&](llvm::raw_ostream &os) {
          module->print(os, printFlags);
          os << "\n";
        },
        module);
  };
  if (failed(checkNotInput(options.outputPath, options, module)))
    return failure();
  if (options.output == OutputKind::Mlir && !options.mlirPhase)
    return printModule();

  // The host's code is generated for this CPU; for CPU models it decides
  // the register tiles (and -O3's weight panels), so it is known before
  // the first phase, and a bad CPU name fails early.
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine =
      cpu::createTargetMachine(options.target, error);
  if (!machine)
    return module.emitError() << error;

  // The target, described once: the module carries it through every phase
  // (-O3's weight panels read it there) and the target's phases take their
  // options from it.
  bool cuda = options.targetKind == TargetKind::Cuda;
  std::string entryName = options.symbolPrefix + "_main";
  CpuPipelineOptions pipeline;
  GpuPipelineOptions gpuPipeline;
  if (cuda) {
    if (options.quantize == QuantizationMode::W8A8Static)
      return module.emitError("--quantize=w8a8-static calibrates on the CPU; "
                              "it is not available with --target=cuda");
    CudaTargetAttr target = getCudaTarget(ctx, options.gpu);
    if (!target)
      return failure();
    module->setAttr(kTargetAttrName, target);
    gpuPipeline.optLevel = std::min(options.optLevel, 2u);
    gpuPipeline.entryName = entryName;
    gpuPipeline.precision = options.gpu.precision;
    gpuPipeline.tensorCores = options.gpu.tensorCores;
    gpuPipeline.attentionBatched = options.attentionBatched.value_or(true);
    gpuPipeline.quantize = options.quantize;
    gpuPipeline.presentNewRows = options.presentNewRows;
    gpuPipeline.kvCache = options.kvCache;
    setPruneOptions(gpuPipeline, options.prune);
    gpuPipeline.chip = target.getChip().str();
    gpuPipeline.features = target.getFeatures().str();
    // Cubins from ptxas: the driver loads them without a JIT step.
    gpuPipeline.format = "bin";
    gpuPipeline.cudaPath = options.gpu.cudaPath;
  } else {
    CpuTargetAttr target = getCpuTarget(ctx, *machine);
    module->setAttr(kTargetAttrName, target);
    pipeline.optLevel = options.optLevel;
    pipeline.vectorBits = target.getVectorBits();
    pipeline.vnni = target.getInt8Dot();
    pipeline.bf16Dot = target.getBf16Dot();
    pipeline.entryName = entryName;
    pipeline.numThreads = options.numThreads;
    pipeline.fuseEpilogues = options.fuseEpilogues;
    pipeline.weightPrefetchBytes = options.weightPrefetchBytes;
    pipeline.attentionBatched = options.attentionBatched.value_or(false);
    setPruneOptions(pipeline, options.prune);
    pipeline.sparsifyWeights = options.sparseWeights;
    pipeline.quantize = options.quantize;
    pipeline.quantizeExclude = options.quantizeExclude;
    pipeline.quantizeBlockSize = options.quantizeBlockSize;
    pipeline.quantizeReport = options.quantizeReport;
    pipeline.presentNewRows = options.presentNewRows;
    pipeline.kvCache = options.kvCache;
    pipeline.maxSeq = options.maxSeq;
  }
  ArrayRef<StringRef> phaseNames =
      cuda ? getGpuPhaseNames() : getCpuPhaseNames();
  size_t lastPhase = phaseNames.size() - 1;
  if (options.output == OutputKind::Mlir) {
    const auto *found = llvm::find(phaseNames, *options.mlirPhase);
    if (found == phaseNames.end())
      return module.emitError()
             << "--compile-to=" << *options.mlirPhase << ": the "
             << (cuda ? "cuda" : "cpu") << " target's phases are "
             << llvm::join(phaseNames, ", ");
    lastPhase = found - phaseNames.begin();
  }
  auto buildPhase = [&](OpPassManager &pm, size_t phase) {
    if (cuda)
      buildGpuPhase(pm, static_cast<GpuPhase>(phase), gpuPipeline);
    else
      buildCpuPhase(pm, static_cast<CpuPhase>(phase), pipeline);
  };
  std::optional<ModelDescription> model;
  std::map<std::string, int64_t> importedCounts;
  if (options.stats)
    importedCounts = countTfmOps(module);
  if (options.quantize == QuantizationMode::W8A8Static) {
    // The fused fp32 graph is calibrated first; the graph phase then runs
    // again (a fixed point of its fusions) and quantizes with the ranges.
    if (options.calibrationDir.empty())
      return module.emitError("--quantize=w8a8-static needs calibration "
                              "inputs: --calibrate=DIR");
    pipeline.quantize = QuantizationMode::None;
    pipeline.optLevel = std::min(options.optLevel, 2u);
    PassManager pm(ctx, ModuleOp::getOperationName());
    buildCpuPhase(pm, CpuPhase::Graph, pipeline);
    pipeline.quantize = options.quantize;
    pipeline.optLevel = options.optLevel;
    if (failed(pm.run(module)) || failed(calibrateModel(module, options, log)))
      return failure();
    clock.finished("calibrate");
  }
  for (size_t phase = 0; phase <= lastPhase; ++phase) {
    PassManager pm(ctx, ModuleOp::getOperationName());
    buildPhase(pm, phase);
    if (failed(pm.run(module)))
      return failure();
    clock.finished(phaseNames[phase]);
    // The graph phase comes first on every target.
    if (phase == 0 && options.stats) {
      printOpCounts(log, importedCounts, countTfmOps(module));
      printWeightStorage(log, module);
    }
    // What the runtime needs to know is read while the model is still tfm.
    if (phase == 0 && options.output != OutputKind::Mlir) {
      FailureOr<ModelDescription> described = describeModel(module);
      if (failed(described))
        return failure();
      model = std::move(*described);
      model->device = cuda ? ModelDevice::Cuda : ModelDevice::Cpu;
    }
  }
  if (options.output == OutputKind::Mlir) {
    clock.report();
    return printModule();
  }

  // Weights: embedded in the object, or a side file beside the output.
  // LLVM IR and assembly are for reading: they name a side file but
  // neither embed nor write the blob.
  int64_t weightsSize = cpu::getWeightsSize(module);
  bool forReading = options.output == OutputKind::LlvmIR ||
                    options.output == OutputKind::Assembly;
  cpu::WeightsPlacement placement;
  placement.embedded =
      !forReading && (options.weights == WeightsMode::Embed ||
                      (options.weights == WeightsMode::Auto &&
                       weightsSize <= options.embedLimitBytes));
  std::string embedded;
  std::string weightsPath =
      replaceExtension(options.output == OutputKind::Executable
                           ? options.outputPath + ".weights"
                           : (options.outputPath == "-" ? options.symbolPrefix
                                                        : options.outputPath),
                       ".weights");
  placement.fileName = llvm::sys::path::filename(weightsPath).str();
  if (weightsSize > 0 && placement.embedded) {
    embedded.reserve(weightsSize);
    llvm::raw_string_ostream os(embedded);
    if (failed(cpu::writeWeightsBlob(module, os)))
      return failure();
  } else if (weightsSize > 0 && !forReading) {
    if (failed(checkNotInput(weightsPath, options, module)))
      return failure();
    {
      std::error_code ec;
      llvm::raw_fd_ostream os(weightsPath, ec);
      if (ec)
        return module.emitError()
               << "cannot write '" << weightsPath << "': " << ec.message();
      if (failed(cpu::writeWeightsBlob(module, os)))
        return failure();
      os.close();
      if (os.has_error())
        return module.emitError() << "cannot write '" << weightsPath
                                  << "': " << os.error().message();
    }
    // Read back (from the page cache) for the checksum the runtime checks.
    auto written =
        llvm::MemoryBuffer::getFile(weightsPath, /*IsText=*/false,
                                    /*RequiresNullTerminator=*/false);
    if (!written)
      return module.emitError() << "cannot read back '" << weightsPath
                                << "': " << written.getError().message();
    placement.checksum = cpu::checksumWeights(ArrayRef<char>(
        (*written)->getBufferStart(), (*written)->getBufferSize()));
  }
  cpu::dropWeights(module);
  clock.finished("weights");
  if (options.timing) {
    int64_t arena = 0;
    if (Operation *entry = module.lookupSymbol(entryName))
      if (auto size = entry->getAttrOfType<IntegerAttr>("tfm.arena_size"))
        arena = size.getInt();
    log << "tfmc: memory: " << arena << " bytes of intermediates (arena), "
        << weightsSize << " bytes of weights"
        << (weightsSize == 0 || forReading ? ""
            : placement.embedded           ? " (embedded)"
                                           : " (in " + placement.fileName + ")")
        << "\n";
  }

  if (Operation *entry = module.lookupSymbol(entryName);
      entry && failed(applyEntryShapes(*model, entry)))
    return failure();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      cpu::translateModel(module, llvmContext, *model, entryName,
                          options.symbolPrefix, placement, embedded);
  if (!llvmModule)
    return failure();
  embedded.clear();
  embedded.shrink_to_fit();
  clock.finished("translate");

  // A GPU model's host code is a long straight line of kernel launches:
  // LLVM's optimizations have nothing to gain there and take minutes on
  // BERT-base's 2 000 launches.
  unsigned hostOptLevel = cuda ? 0 : options.optLevel;
  if (failed(cpu::optimizeModule(*llvmModule, *machine, hostOptLevel, error)))
    return module.emitError() << "LLVM optimization failed: " << error;
  if (cuda)
    cpu::shareLaunchParameters(*llvmModule);
  clock.finished("optimize");

  if (options.output == OutputKind::LlvmIR) {
    LogicalResult written = writeTextFile(
        options.outputPath,
        [&](llvm::raw_ostream &os) { llvmModule->print(os, nullptr); }, module);
    clock.report();
    return written;
  }

  // Machine code, to the output itself or to a temporary object to link.
  bool links = options.output == OutputKind::Executable ||
               options.output == OutputKind::SharedLibrary;
  std::string objectPath = options.outputPath;
  if (links) {
    SmallString<128> temp;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("tfmc", "o", temp))
      return module.emitError()
             << "cannot create a temporary object: " << ec.message();
    objectPath = std::string(temp);
  }
  {
    std::error_code ec;
    llvm::ToolOutputFile file(objectPath, ec, llvm::sys::fs::OF_None);
    if (ec)
      return module.emitError()
             << "cannot write '" << objectPath << "': " << ec.message();
    if (failed(cpu::emitMachineCode(*llvmModule, *machine, file.os(),
                                    options.output == OutputKind::Assembly,
                                    error)))
      return module.emitError() << error;
    file.keep();
  }
  llvmModule.reset();
  clock.finished("codegen");
  if (!links) {
    clock.report();
    return success();
  }

  LogicalResult linked =
      options.output == OutputKind::Executable
          ? cpu::linkExecutable(objectPath, options.outputPath, options.link,
                                error)
          : cpu::linkSharedLibrary(objectPath, options.outputPath, options.link,
                                   error);
  llvm::sys::fs::remove(objectPath);
  if (failed(linked))
    return module.emitError() << error;
  if (options.output == OutputKind::SharedLibrary) {
    std::string headerPath = replaceExtension(options.outputPath, ".h");
    if (failed(checkNotInput(headerPath, options, module)))
      return failure();
    if (failed(writeTextFile(
            headerPath,
            [&](llvm::raw_ostream &os) {
              cpu::writeModelHeader(os, *model, options.symbolPrefix,
                                    options.sourceName);
            },
            module)))
      return failure();
    SmallString<256> runtimeHeader(options.runtimeIncludeDir);
    llvm::sys::path::append(runtimeHeader, "tfm_runtime.h");
    SmallString<256> copy(headerPath);
    llvm::sys::path::remove_filename(copy);
    llvm::sys::path::append(copy, "tfm_runtime.h");
    if (std::error_code ec = llvm::sys::fs::copy_file(runtimeHeader, copy))
      return module.emitError() << "cannot copy '" << runtimeHeader
                                << "' beside the header: " << ec.message();
  }
  clock.finished("link");
  clock.report();
  return success();
}
