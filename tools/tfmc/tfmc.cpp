//===- tfmc.cpp - the tfm compiler driver ---------------------------------===//
//
// tfmc MODEL.onnx --emit=tfm [-o OUT.mlir] [--input-shape NAME=1x128 ...]
//
// Imports an ONNX model into the tfm dialect. Later phases (optimization,
// code generation, linking) attach to the same driver.
//
//===----------------------------------------------------------------------===//

#include "tfm/Driver/Diagnostics.h"
#include "tfm/Frontend/Onnx/OnnxImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class Emit { Tfm };

cl::OptionCategory category("tfmc options");

cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                               cl::desc("<model.onnx>"), cl::cat(category));
cl::opt<std::string> outputFile(
    "o", cl::desc("Output file ('-' for stdout); defaults to the model's name "
                  "with the extension of the emitted form"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<Emit> emit("emit", cl::desc("What to produce"), cl::init(Emit::Tfm),
                   cl::values(clEnumValN(Emit::Tfm, "tfm",
                                         "the imported model in the tfm "
                                         "dialect (.mlir)")),
                   cl::cat(category));
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Shape of a graph input, fixing its symbolic dimensions "
             "(repeatable), e.g. input_ids=1x128"),
    cl::value_desc("NAME=D1xD2x..."), cl::cat(category));
cl::opt<bool> emitWeights(
    "emit-weights",
    cl::desc("Print large weights in full (by default blobs over 1 KiB are "
             "elided from --emit=tfm output)"),
    cl::cat(category));
} // namespace

/// The default output: the model's name with `extension`.
static std::string defaultOutput(StringRef model, StringRef extension) {
  SmallString<256> path(llvm::sys::path::filename(model));
  llvm::sys::path::replace_extension(path, extension);
  return std::string(path);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "tfmc: the tfm compiler\n");

  tfm::OnnxImportOptions options;
  for (const std::string &spec : inputShapes)
    if (std::optional<std::string> error = tfm::parseInputShape(spec, options)) {
      llvm::errs() << "tfmc: error: " << *error << "\n";
      return 1;
    }

  DialectRegistry registry;
  tfm::registerOnnxImportDialects(registry);
  MLIRContext context(registry);
  tfm::ToolDiagnosticHandler diagnostics(&context, "tfmc");

  OwningOpRef<ModuleOp> module =
      tfm::importOnnxFile(&context, inputFile, options);
  if (!module)
    return 1;

  std::string outputPath =
      outputFile.empty() ? defaultOutput(inputFile, ".mlir") : outputFile;
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputPath, &error);
  if (!output) {
    llvm::errs() << "tfmc: error: -o " << outputPath << ": " << error << "\n";
    return 1;
  }
  OpPrintingFlags flags;
  if (!emitWeights)
    flags.elideLargeResourceString(1024);
  module->print(output->os(), flags);
  output->os() << "\n";
  output->keep();
  return 0;
}
