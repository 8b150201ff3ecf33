//===- Importer.h - internals of the ONNX importer --------------*- C++ -*-===//
//
// The importer walks the ONNX graph in topological order and hands each node
// to the converter registered for its (domain, op type). Converters build tfm
// ops through a NodeImporter, which infers and verifies every op it creates
// and folds it at once, so that shape subgraphs become constants while the
// graph is imported.
//
// Internal to the frontend library; compiled with exceptions (ONNX's parser
// and schema checks throw).
//
//===----------------------------------------------------------------------===//

#ifndef TFM_LIB_FRONTEND_ONNX_IMPORTER_H
#define TFM_LIB_FRONTEND_ONNX_IMPORTER_H

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <array>
#include <optional>
#include <string>
#include <type_traits>

namespace mlir::tfm::onnx_import {

/// The default ONNX domain under its canonical (empty) name.
constexpr llvm::StringLiteral kDefaultDomain = "";
constexpr llvm::StringLiteral kMicrosoftDomain = "com.microsoft";
/// Opsets of the default domain the importer accepts; each converter also
/// names the first version of its op it imports (ConverterRegistry::add).
constexpr int64_t kMinOpset = 1, kMaxOpset = 25;

//===----------------------------------------------------------------------===//
// Types and tensors
//===----------------------------------------------------------------------===//

/// The MLIR element type of an ONNX TensorProto data type, or null when tfm
/// does not compute with it (strings, complex, float8, 4-bit).
Type getElementType(MLIRContext *context, int32_t dataType);

/// The ONNX name of a data type ("float", "int64", ...) for diagnostics.
std::string getDataTypeName(int32_t dataType);

/// Converts a TensorProto (an initializer or a tensor attribute) into a
/// constant: `dense` when it has at most `maxInlineElements` elements,
/// otherwise a `dense_resource` blob. External data is read relative to
/// `baseDir`. On failure returns null and sets `error`.
ElementsAttr importTensor(MLIRContext *context, const onnx::TensorProto &tensor,
                          StringRef baseDir, int64_t maxInlineElements,
                          std::string &error);

/// As above, but a blob takes over the tensor's raw bytes instead of copying
/// them (the tensor's raw_data is left empty): initializers of large models
/// then exist once in memory.
ElementsAttr importTensor(MLIRContext *context, onnx::TensorProto &&tensor,
                          StringRef baseDir, int64_t maxInlineElements,
                          std::string &error);

//===----------------------------------------------------------------------===//
// Dynamic dimensions
//===----------------------------------------------------------------------===//

/// A dynamic dimension of the inputs and the model imported with it just
/// below its bound (the others at theirs): at bound - 1 and bound - 2.
struct SymbolProbe {
  std::string name;
  int64_t bound;
  std::array<ModuleOp, 2> lower;
  /// Where its run-time value is read: an argument of the function and
  /// one of its dimensions.
  unsigned argument;
  int64_t dim;
};

/// Turns `base`, the model imported with every symbol at its bound, into
/// the model with those dimensions dynamic (DynamicImport.cpp): dimensions
/// that differ in the probes become `?`, slice limits and constants that
/// differ become run-time limits and slices of the base's constants.
/// Reports an error at the op where the imports differ otherwise.
LogicalResult mergeProbeImports(ModuleOp base, ArrayRef<SymbolProbe> symbols);

//===----------------------------------------------------------------------===//
// Converters
//===----------------------------------------------------------------------===//

class NodeImporter;

/// An optional operand handed to NodeImporter::create: null means absent,
/// where a plain null Value means an earlier failure.
struct MaybeValue {
  Value value;
  operator Value() const { return value; }
};

/// Converts one node; reports its own errors.
using ConvertFn = LogicalResult (*)(NodeImporter &);

/// Converters by (domain, op type). Each names the first version of its op
/// it imports: an op's versions are the opsets that changed it, so a model
/// whose opset is below that version holds an older version (or none).
class ConverterRegistry {
public:
  void add(StringRef domain, StringRef opType, int64_t sinceVersion,
           ConvertFn fn);

  struct Entry {
    int64_t sinceVersion;
    ConvertFn fn;
  };
  const Entry *lookup(StringRef domain, StringRef opType) const;

private:
  llvm::StringMap<Entry> entries;
};

/// Every converter, by op family.
void populateElementwiseConverters(ConverterRegistry &registry);
void populateConstantConverters(ConverterRegistry &registry);
void populateShapeConverters(ConverterRegistry &registry);
void populateContractionConverters(ConverterRegistry &registry);
void populateReductionConverters(ConverterRegistry &registry);
void populateLossConverters(ConverterRegistry &registry);
void populateNormalizationConverters(ConverterRegistry &registry);
void populateAttentionConverters(ConverterRegistry &registry);
void populateQuantizationConverters(ConverterRegistry &registry);
void populateRecurrentConverters(ConverterRegistry &registry);
void populateControlFlowConverters(ConverterRegistry &registry);
void populateResizeConverters(ConverterRegistry &registry);

/// The registry with every converter; built once.
const ConverterRegistry &getConverterRegistry();

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

/// What a converter sees of the graph: values by ONNX name, the builder,
/// and import-wide settings.
struct GraphState {
  OpBuilder &builder;
  llvm::StringMap<Value> values;
  StringRef baseDir;
  int64_t maxInlineElements;
  int64_t maxConstantBytes;
  /// OnnxImportOptions::keepIdentityOps.
  bool keepIdentityOps = false;
};

/// The view of one node that converters work through.
///
/// Errors set a sticky failure flag: attribute readers return their default
/// and op builders return a null Value after reporting, and builders given a
/// null operand do nothing. A converter reads its attributes, checks
/// `failed()`, builds, and returns `finish()`.
class NodeImporter {
public:
  NodeImporter(GraphState &graph, const onnx::NodeProto &node, int64_t opset,
               Location loc);

  const onnx::NodeProto &node;
  /// Version of the node's domain that the model imports.
  const int64_t opset;
  const Location loc;
  OpBuilder &b;
  MLIRContext *context;

  StringRef opType() const { return node.op_type(); }

  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  /// Starts an error at the node: "<Op> (opset N): ". Marks the node failed.
  InFlightDiagnostic emitError();
  bool failed() const { return hasFailed; }
  /// True once a diagnostic was emitted for the node (a failure without
  /// one came from an omitted or failed input).
  bool reported() const { return hasReported; }
  /// The converter's result: failure if anything was reported.
  LogicalResult finish() const { return failure(hasFailed); }

  //===--------------------------------------------------------------------===//
  // Inputs and outputs
  //===--------------------------------------------------------------------===//

  /// Checks the number of inputs and outputs (absent optional trailing ones
  /// count as absent). `max = -1` means unbounded, and then no input up to
  /// the last may be omitted.
  LogicalResult expectArity(int minInputs, int maxInputs, int minOutputs,
                            int maxOutputs);

  /// Checks that the inputs at `indices` are present (for ops whose optional
  /// inputs sit between required ones).
  LogicalResult requireInputs(ArrayRef<unsigned> indices);

  unsigned numInputs() const { return node.input_size(); }
  unsigned numOutputs() const { return node.output_size(); }
  /// True when input `i` exists and is not the empty (omitted) name.
  bool hasInput(unsigned i) const;
  /// Input `i`, or null when it is omitted.
  Value input(unsigned i) const;
  /// True when output `i` exists and is named (some consumer may read it).
  bool hasOutput(unsigned i) const;
  /// Binds output `i` to `value`; a null value (after an error) is ignored.
  void setOutput(unsigned i, Value value);

  /// Reports that output `i`, if produced, is not supported.
  void rejectOutput(unsigned i, StringRef what);

  static RankedTensorType getType(Value value) {
    return llvm::cast<RankedTensorType>(value.getType());
  }

  //===--------------------------------------------------------------------===//
  // Constant inputs
  //===--------------------------------------------------------------------===//

  /// The constant value of input `i`, if it is one.
  DenseElementsAttr constantInput(unsigned i) const;
  /// The integers of constant input `i`; reports an error naming `what` when
  /// it is not a constant.
  std::optional<SmallVector<int64_t>> requireConstantInts(unsigned i,
                                                          StringRef what);
  /// The floats of constant input `i`; reports an error naming `what` when
  /// it is not a float constant.
  std::optional<SmallVector<double>> requireConstantFloats(unsigned i,
                                                           StringRef what);
  /// The single number of constant input `i` as a double.
  std::optional<double> requireConstantScalar(unsigned i, StringRef what);

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  bool hasAttr(StringRef name) const { return findAttr(name) != nullptr; }
  /// Readers report an attribute of the wrong type, or a missing one without
  /// default, and then return the default (or zero).
  int64_t intAttr(StringRef name, std::optional<int64_t> defaultValue);
  double floatAttr(StringRef name, std::optional<double> defaultValue);
  std::string stringAttr(StringRef name,
                         std::optional<StringRef> defaultValue);
  SmallVector<int64_t> intsAttr(StringRef name,
                                std::optional<ArrayRef<int64_t>> defaultValue);
  /// A list of strings; absent, empty.
  SmallVector<std::string> stringsAttr(StringRef name);
  /// A list of floats; absent, empty.
  SmallVector<double> floatsAttr(StringRef name);
  const onnx::TensorProto *tensorAttr(StringRef name);
  /// Imports a tensor held by attribute `name` under the import's settings;
  /// reports errors and returns null.
  ElementsAttr importTensorAttr(StringRef name, const onnx::TensorProto &tensor);
  /// The subgraph held by attribute `name`; reports and returns null when it
  /// is absent or not a graph.
  const onnx::GraphProto *graphAttr(StringRef name);
  /// The import's state: the values by name of the enclosing scope, where a
  /// control-flow converter imports a subgraph's nodes.
  GraphState &getGraphState() { return graph; }

  //===--------------------------------------------------------------------===//
  // Building tfm ops
  //===--------------------------------------------------------------------===//

  /// Builds an op whose result type tfm infers, verifies and folds it.
  template <typename OpTy, typename... Args>
  Value create(Args &&...args) {
    if (hasFailed || (isNull(args) || ...)) {
      hasFailed = true;
      return {};
    }
    auto op = OpTy::create(b, loc, Type(b.getNoneType()),
                           std::forward<Args>(args)...);
    SmallVector<Type, 1> inferred;
    if (mlir::failed(OpTy::inferReturnTypes(
            context, loc, op->getOperands(), op->getRawDictionaryAttrs(),
            op->getPropertiesStorage(), op->getRegions(), inferred))) {
      op->erase();
      hasFailed = hasReported = true;
      return {};
    }
    op->getResult(0).setType(inferred.front());
    return finishOp(op);
  }

  /// Builds an op with the given result type, verifies and folds it.
  template <typename OpTy, typename... Args>
  Value createTyped(Type resultType, Args &&...args) {
    if (hasFailed || (isNull(args) || ...)) {
      hasFailed = true;
      return {};
    }
    auto op = OpTy::create(b, loc, resultType, std::forward<Args>(args)...);
    return finishOp(op);
  }

  /// Verifies and folds a freshly built multi-result op (split); returns its
  /// results, or an empty list after an error.
  SmallVector<Value> finishResults(Operation *op);

  /// Checks, before it is computed, that a constant of `type` stays within
  /// the import's constant limit (splats always do); reports otherwise.
  LogicalResult checkConstantSize(RankedTensorType type, bool isSplat,
                                  StringRef what);

  /// Checks that constant indices into an axis of `size` elements lie in
  /// [-size, size), as ONNX's Gather requires; run-time indices are checked
  /// by the runtime. Reports otherwise.
  LogicalResult checkConstantIndices(Value indices, int64_t size,
                                     StringRef what);

  /// A constant tensor.
  Value constant(ElementsAttr value);
  /// A splat constant of `type` holding `value` (converted to its elements).
  Value splat(RankedTensorType type, double value);
  /// A rank-0 constant of `elementType`.
  Value scalar(Type elementType, double value);
  /// A 1-D i64 constant.
  Value int64s(ArrayRef<int64_t> values);
  /// The i64 positions 0 .. size-1 along `axis` of a rank-`rank` constant
  /// whose other dimensions are 1, to compare with indices along that axis;
  /// null (reported) when it would be too large a constant.
  Value positionsAlong(int64_t rank, int64_t axis, int64_t size);

  //===--------------------------------------------------------------------===//
  // Common compositions
  //===--------------------------------------------------------------------===//

  Value reshape(Value value, ArrayRef<int64_t> shape);
  Value cast(Value value, Type elementType);
  Value transpose(Value value, ArrayRef<int64_t> perm);
  /// Slices `[start, start + size)` of `axis` with unit strides.
  Value sliceAxis(Value value, int64_t axis, int64_t start, int64_t size);
  /// Broadcasts `value` to `shape` (NumPy rules).
  Value expand(Value value, ArrayRef<int64_t> shape);
  /// Normalizes an axis in [-rank, rank) to [0, rank); reports otherwise.
  std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                       StringRef what = "axis");

private:
  template <typename T>
  static bool isNull(const T &arg) {
    if constexpr (std::is_same_v<std::decay_t<T>, MaybeValue>)
      return false;
    else if constexpr (std::is_convertible_v<const T &, Value>)
      return !Value(arg);
    else if constexpr (std::is_convertible_v<const T &, ValueRange>)
      return llvm::any_of(ValueRange(arg), [](Value v) { return !v; });
    else
      return false;
  }

  /// Verifies a freshly built op and folds it; returns its (first) result.
  Value finishOp(Operation *op);
  const onnx::AttributeProto *findAttr(StringRef name) const;
  /// Reports an attribute of the wrong kind.
  void badAttr(const onnx::AttributeProto &attr, StringRef expected);

  GraphState &graph;
  bool hasFailed = false;
  bool hasReported = false;
};

/// numpy.matmul of `a` and `b` (1-D operands promoted and the added
/// dimension dropped), as MatMul and the quantized products import it.
Value createMatmul(NodeImporter &n, Value a, Value b);

/// The sliding-window attributes of Conv, MaxPool and AveragePool for
/// spatial sizes `spatial` and window `kernel`: strides and dilations (1
/// where absent), and pads (2d entries: befores, then afters), computed
/// from auto_pad (SAME_UPPER, SAME_LOWER, VALID) where it is set.
struct WindowAttrs {
  SmallVector<int64_t> strides, dilations, pads;
};
FailureOr<WindowAttrs> getWindowAttrs(NodeImporter &n,
                                      ArrayRef<int64_t> spatial,
                                      ArrayRef<int64_t> kernel);

} // namespace mlir::tfm::onnx_import

#endif // TFM_LIB_FRONTEND_ONNX_IMPORTER_H
