//===- tfm-translate.cpp - translations into and out of tfm --------------===//
//
// --import-onnx: an ONNX model (binary protobuf or ONNX text syntax) to tfm,
// with --input-shape fixing symbolic input dimensions. Used by lit tests to
// import readable text models.
//
//===----------------------------------------------------------------------===//

#include "tfm/Driver/Diagnostics.h"
#include "tfm/Frontend/Onnx/OnnxImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::list<std::string> inputShapes(
    "input-shape",
    llvm::cl::desc("--import-onnx: shape of a graph input (repeatable), e.g. "
                   "input_ids=1x128"),
    llvm::cl::value_desc("NAME=D1xD2x..."));
static llvm::cl::list<std::string> dimValues(
    "dim",
    llvm::cl::desc("--import-onnx: size of a symbolic input dimension "
                   "(repeatable), e.g. batch=1; ?N keeps it dynamic, at "
                   "most N; A+B+N is a sum of symbols and sizes"),
    llvm::cl::value_desc("NAME=N"));
static llvm::cl::opt<int64_t>
    maxSeq("max-seq",
           llvm::cl::desc("--import-onnx: upper bound of the dynamic "
                          "dimensions given without one (as tfmc's)"),
           llvm::cl::init(0), llvm::cl::value_desc("N"));

static OwningOpRef<Operation *> importOnnx(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context) {
  // Diagnostics read as tfmc's: one line each, naming the node.
  tfm::ToolDiagnosticHandler diagnostics(context, "tfm-translate");
  tfm::OnnxImportOptions options;
  options.defaultBound = maxSeq;
  for (const std::string &spec : inputShapes)
    if (std::optional<std::string> error = tfm::parseInputShape(spec, options)) {
      emitError(UnknownLoc::get(context)) << *error;
      return {};
    }
  for (const std::string &spec : dimValues)
    if (std::optional<std::string> error = tfm::parseDimValue(spec, options)) {
      emitError(UnknownLoc::get(context)) << *error;
      return {};
    }
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  StringRef name = buffer->getBufferIdentifier();
  SmallString<256> baseDir(name);
  llvm::sys::path::remove_filename(baseDir);
  if (baseDir.empty())
    baseDir = ".";
  OwningOpRef<ModuleOp> module = tfm::importOnnxBuffer(
      context, buffer->getBuffer(), name, baseDir, options);
  return OwningOpRef<Operation *>(module.release());
}

int main(int argc, char **argv) {
  TranslateToMLIRRegistration importRegistration(
      "import-onnx", "import an ONNX model into the tfm dialect", importOnnx,
      [](DialectRegistry &registry) {
        tfm::registerOnnxImportDialects(registry);
      });
  return failed(mlirTranslateMain(argc, argv, "tfm translation tool"));
}
