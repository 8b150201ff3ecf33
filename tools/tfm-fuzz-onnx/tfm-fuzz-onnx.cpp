//===- tfm-fuzz-onnx.cpp - libFuzzer target of the ONNX importer ----------===//
//
// Feeds each input to the importer as a model (binary protobuf, or ONNX text
// syntax when it starts with '<'), then runs the graph pipeline at -O2 on
// what imports, in a fresh context. Any outcome but a crash, a sanitizer
// report or a hang is fine: bad models must give errors.
//
//   tfm-fuzz-onnx [libFuzzer flags] CORPUS_DIR...
//
// TFM_FUZZ_PHASE=import stops after the import (faster, narrower).
// External data resolves in a scratch folder holding one 4 KiB file,
// `w.bin`, so that both found and missing files are reachable.
//
//===----------------------------------------------------------------------===//

#include "tfm/Frontend/Onnx/OnnxImporter.h"
#include "tfm/InitTfm.h"
#include "tfm/Pipelines/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

using namespace mlir;

namespace {

struct FuzzState {
  DialectRegistry registry;
  std::string scratchDir;
  bool runGraph = true;
};

FuzzState *state = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  state = new FuzzState;
  tfm::registerAllTfmDialects(state->registry);
  tfm::registerOnnxImportDialects(state->registry);
  std::optional<std::string> phase = llvm::sys::Process::GetEnv("TFM_FUZZ_PHASE");
  state->runGraph = !phase || *phase != "import";
  SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("tfm-fuzz", dir)) {
    llvm::errs() << "tfm-fuzz-onnx: cannot create a scratch folder\n";
    std::abort();
  }
  state->scratchDir = std::string(dir);
  SmallString<128> data(dir);
  llvm::sys::path::append(data, "w.bin");
  std::error_code ec;
  llvm::raw_fd_ostream os(data, ec);
  for (int i = 0; i < 4096; ++i)
    os << static_cast<char>(i * 7);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext context(state->registry, MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  tfm::OnnxImportOptions options;
  // Within libFuzzer's memory limit: computed constants up to 64 MiB.
  options.maxConstantBytes = 64 << 20;
  OwningOpRef<ModuleOp> module = tfm::importOnnxBuffer(
      &context,
      StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      state->scratchDir, options);
  if (!module || !state->runGraph)
    return 0;
  PassManager pm(&context, ModuleOp::getOperationName());
  tfm::GraphPipelineOptions graph;
  graph.optLevel = 2;
  tfm::buildGraphPipeline(pm, graph);
  (void)pm.run(*module);
  return 0;
}
