//===- OnnxImporter.h - ONNX models to the tfm dialect ----------*- C++ -*-===//
//
// Imports an ONNX model (binary protobuf or ONNX text syntax) into a module
// holding one func.func of tfm ops. Shapes are specialized while importing:
// symbolic input dimensions are fixed by OnnxImportOptions::inputShapes, and
// shape computations (Shape, Gather, Concat, Range, ...) fold to constants.
// Dimensions the options keep dynamic (`--dim NAME=?N`) are found by
// importing the model at their bounds and just below, and merging the
// imports (lib/Frontend/Onnx/DynamicImport.cpp): they become `?`, named and
// bounded on the function's arguments, and the constants and slice limits
// computed from them run-time values.
//
// Errors are reported through the context's diagnostic handler at the
// location of the offending node (a NameLoc holding the node's name).
//
//===----------------------------------------------------------------------===//

#ifndef TFM_FRONTEND_ONNX_ONNXIMPORTER_H
#define TFM_FRONTEND_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <string>

namespace mlir::tfm {

struct OnnxImportOptions {
  /// Shapes for graph inputs by name; they replace the declared shapes and
  /// must agree with every static dimension declared. ShapedType::kDynamic
  /// keeps a dimension dynamic, with its bound in `inputBounds`.
  llvm::StringMap<SmallVector<int64_t>> inputShapes;
  /// For each input in `inputShapes` with dynamic dimensions: the upper
  /// bound of each dimension (its size for a static one; -1: none given).
  llvm::StringMap<SmallVector<int64_t>> inputBounds;
  /// Values of symbolic dimensions by name (ONNX `dim_param`, e.g.
  /// "batch", "past_sequence"): they fix that dimension in every graph input
  /// that declares it. An input in `inputShapes` takes its shape from there.
  llvm::StringMap<int64_t> dimValues;
  /// Symbolic dimensions kept dynamic, by name, with their upper bound (-1:
  /// none given). The imported function's arguments name each dynamic
  /// dimension's symbol (`tfm.dims`) and bound (`tfm.dim_bounds`).
  llvm::StringMap<int64_t> dynamicDims;
  /// Symbolic dimensions given as a sum of other symbols and sizes
  /// (`--dim total_sequence=past_sequence+sequence`), by name: the terms as
  /// written. With every term a size or a symbol of `dimValues`, the sum is
  /// that dimension's size; with one symbol of `dynamicDims` among them, the
  /// dimension is dynamic, that symbol plus the rest (the function records
  /// the relation in `tfm.derived_dims`; see `derivedDims`).
  llvm::StringMap<SmallVector<std::string>> sumDims;
  /// Filled by the importer from `sumDims`: each dynamic sum's symbol and
  /// offset.
  llvm::StringMap<std::pair<std::string, int64_t>> derivedDims;
  /// The bound of dynamic dimensions given without one (tfmc --max-seq);
  /// 0: such a dimension is an error.
  int64_t defaultBound = 0;
  /// Initializers and constants with more elements than this are imported as
  /// `dense_resource` blobs; smaller ones as `dense` literals.
  int64_t maxInlineElements = 1024;
  /// Largest constant, in bytes, that importing may compute (Range, Trilu,
  /// folded shape computations). Splats are exempt: they are kept as one
  /// value however large their shape.
  int64_t maxConstantBytes = int64_t(1) << 30;
  /// Name of the imported function; empty takes the ONNX graph's name (or
  /// "main" when the graph has none).
  std::string functionName;
  /// Keeps each op whose folding would return one of its operands (a slice
  /// over a table's full length, a reshape to the same shape), a constant
  /// operand as a copy: the importer sets it for the imports at probe sizes
  /// of dynamic dimensions, so that the import at a table's full size has
  /// the ops of those below it.
  bool keepIdentityOps = false;
};

/// Parses a `--input-shape` value, `NAME=D1xD2x...` (a scalar is `NAME=`;
/// a dimension `?` or `?N` is dynamic, bounded by N), into `options`.
/// Returns an error message on malformed input.
std::optional<std::string> parseInputShape(StringRef spec,
                                           OnnxImportOptions &options);

/// Parses a `--dim` value, `NAME=N` (or `NAME=?`, `NAME=?N`: dynamic,
/// bounded by N; or `NAME=A+B+...`, a sum of symbols and sizes), into
/// `options`. Returns an error message on malformed input.
std::optional<std::string> parseDimValue(StringRef spec,
                                         OnnxImportOptions &options);

/// Imports the model in `path`. External data files are resolved relative to
/// the model's directory. Returns null after reporting errors.
OwningOpRef<ModuleOp> importOnnxFile(MLIRContext *context, StringRef path,
                                     const OnnxImportOptions &options);

/// Imports a model held in memory. `bufferName` names it in diagnostics and
/// `baseDir` resolves external data. Returns null after reporting errors.
OwningOpRef<ModuleOp> importOnnxBuffer(MLIRContext *context, StringRef buffer,
                                       StringRef bufferName, StringRef baseDir,
                                       const OnnxImportOptions &options);

/// Reads a model file, or stdin for "-", refusing directories, devices,
/// pipes and files beyond protobuf's 2 GiB with an error at `path`.
std::unique_ptr<llvm::MemoryBuffer> readModelFile(MLIRContext *context,
                                                  StringRef path);

/// Registers the dialects an imported module uses.
void registerOnnxImportDialects(DialectRegistry &registry);

} // namespace mlir::tfm

#endif // TFM_FRONTEND_ONNX_ONNXIMPORTER_H
