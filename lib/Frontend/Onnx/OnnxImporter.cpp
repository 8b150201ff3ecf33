//===- OnnxImporter.cpp - ONNX models to the tfm dialect ------------------===//
//
// Loads a model (binary protobuf or ONNX text syntax), checks it as a whole
// (opsets, supported ops, dangling names, cycles, ONNX schemas), then builds
// one func.func by converting nodes in topological order.
//
//===----------------------------------------------------------------------===//

#include "tfm/Frontend/Onnx/OnnxImporter.h"

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "onnx/defs/parser.h"
#include "onnx/defs/schema.h"

#include <google/protobuf/io/coded_stream.h>

#include <climits>
#include <map>
#include <queue>
#include <set>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

/// Largest model file read: protobuf messages are limited to 2 GiB.
static constexpr uint64_t kMaxModelFileBytes = uint64_t(INT_MAX);

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

static std::string registryKey(StringRef domain, StringRef opType) {
  return (domain + "::" + opType).str();
}

void ConverterRegistry::add(StringRef domain, StringRef opType,
                            int64_t sinceVersion, ConvertFn fn) {
  entries[registryKey(domain, opType)] = Entry{sinceVersion, fn};
}

const ConverterRegistry::Entry *
ConverterRegistry::lookup(StringRef domain, StringRef opType) const {
  auto it = entries.find(registryKey(domain, opType));
  return it == entries.end() ? nullptr : &it->second;
}

const ConverterRegistry &mlir::tfm::onnx_import::getConverterRegistry() {
  static const ConverterRegistry registry = [] {
    ConverterRegistry r;
    populateElementwiseConverters(r);
    populateConstantConverters(r);
    populateShapeConverters(r);
    populateContractionConverters(r);
    populateReductionConverters(r);
    populateLossConverters(r);
    populateNormalizationConverters(r);
    populateAttentionConverters(r);
    populateQuantizationConverters(r);
    populateRecurrentConverters(r);
    populateResizeConverters(r);
    populateControlFlowConverters(r);
    return r;
  }();
  return registry;
}

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

/// A dimension of --input-shape or --dim: a size, `?` (dynamic, -1) or
/// `?N` (dynamic, at most N > 0).
static std::optional<int64_t> parseBound(StringRef text) {
  int64_t value;
  if (text == "?")
    return -1;
  bool dynamic = text.consume_front("?");
  if (text.getAsInteger(10, value) || value < 0 || (dynamic && value == 0))
    return std::nullopt;
  return value;
}

std::optional<std::string>
mlir::tfm::parseInputShape(StringRef spec, OnnxImportOptions &options) {
  auto [name, dims] = spec.rsplit('=');
  if (name.empty() || !spec.contains('='))
    return "--input-shape expects NAME=D1xD2x..., got '" + spec.str() + "'";
  SmallVector<int64_t> shape, bounds;
  if (!dims.empty()) {
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      std::optional<int64_t> bound = parseBound(part);
      if (!bound)
        return "--input-shape " + spec.str() + ": '" + part.str() +
               "' is neither a non-negative dimension nor '?' or '?N' "
               "(dynamic, at most N)";
      shape.push_back(part.starts_with("?") ? ShapedType::kDynamic : *bound);
      bounds.push_back(*bound);
    }
  }
  if (!options.inputShapes.try_emplace(name, shape).second)
    return "--input-shape gives input '" + name.str() + "' twice";
  if (llvm::any_of(shape, ShapedType::isDynamic))
    options.inputBounds[name] = bounds;
  return std::nullopt;
}

std::optional<std::string>
mlir::tfm::parseDimValue(StringRef spec, OnnxImportOptions &options) {
  auto [name, value] = spec.rsplit('=');
  if (name.empty() || !spec.contains('='))
    return "--dim expects NAME=N (a symbolic dimension and its size), got '" +
           spec.str() + "'";
  if (options.dimValues.contains(name) || options.dynamicDims.contains(name) ||
      options.sumDims.contains(name))
    return "--dim gives '" + name.str() + "' twice";
  if (value.contains('+')) {
    // A sum of symbols and sizes: each term a size or a name.
    SmallVector<StringRef> parts;
    value.split(parts, '+');
    SmallVector<std::string> terms;
    for (StringRef part : parts) {
      StringRef term = part.trim();
      int64_t size;
      bool isSize = !term.getAsInteger(10, size) && size >= 0;
      bool isName = !term.empty() && !isSize &&
                    llvm::all_of(term,
                                 [](char c) {
                                   return llvm::isAlnum(c) || c == '_' ||
                                          c == '.' || c == '-' || c == ':' ||
                                          c == '/';
                                 }) &&
                    !llvm::isDigit(term.front()) && term.front() != '-';
      if (!isSize && !isName)
        return "--dim " + spec.str() + ": '" + part.str() +
               "' is neither a non-negative size nor a symbol name";
      if (term == name)
        return "--dim " + spec.str() + ": '" + name.str() +
               "' is defined by itself";
      terms.push_back(term.str());
    }
    options.sumDims[name] = std::move(terms);
    return std::nullopt;
  }
  std::optional<int64_t> dim = parseBound(value);
  if (!dim)
    return "--dim " + spec.str() + ": '" + value.str() +
           "' is neither a non-negative size nor '?' or '?N' (dynamic, at "
           "most N), nor a sum of symbols and sizes (A+B+N)";
  if (value.starts_with("?"))
    options.dynamicDims[name] = *dim;
  else
    options.dimValues[name] = *dim;
  return std::nullopt;
}

void mlir::tfm::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<TfmDialect, func::FuncDialect, tensor::TensorDialect>();
}

//===----------------------------------------------------------------------===//
// Model loading
//===----------------------------------------------------------------------===//

/// True when `buffer` holds ONNX text syntax: after blanks and `#` comment
/// lines, a model starts with its `<...>` header.
static bool isTextModel(StringRef buffer) {
  while (true) {
    buffer = buffer.ltrim();
    if (!buffer.starts_with("#"))
      return buffer.starts_with("<");
    buffer = buffer.drop_until([](char c) { return c == '\n'; });
  }
}

/// Parses a model from bytes, as ONNX text syntax or binary protobuf.
static LogicalResult parseModel(StringRef buffer, Location loc,
                                onnx::ModelProto &model) {
  if (isTextModel(buffer)) {
    std::string text = buffer.str();
    try {
      onnx::Status status = onnx::OnnxParser::Parse(model, text.c_str());
      if (!status.IsOK())
        return emitError(loc) << "cannot parse ONNX text: "
                              << status.ErrorMessage();
    } catch (const std::exception &e) {
      return emitError(loc) << "cannot parse ONNX text: " << e.what();
    }
    return success();
  }
  if (buffer.empty())
    return emitError(loc) << "is empty, not an ONNX model";
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(buffer.data()),
      static_cast<int>(std::min<size_t>(buffer.size(), INT_MAX)));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    return emitError(loc) << "is not an ONNX model (the protobuf is "
                             "malformed or truncated)";
  if (!model.has_graph())
    return emitError(loc) << "is not an ONNX model (it holds no graph)";
  return success();
}

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

namespace {

/// The canonical name of a domain ("ai.onnx" is the default domain).
StringRef canonicalDomain(StringRef domain) {
  return domain == "ai.onnx" ? StringRef(kDefaultDomain) : domain;
}

class GraphImporter {
public:
  GraphImporter(MLIRContext *context, onnx::ModelProto &model,
                StringRef modelName, StringRef baseDir,
                const OnnxImportOptions &options)
      : context(context), model(model), graph(model.graph()),
        modelLoc(FileLineColLoc::get(context, modelName, 0, 0)),
        baseDir(baseDir), options(options) {}

  OwningOpRef<ModuleOp> run();

  /// A graph input as the options make it: its type (dynamic dimensions
  /// `?`), each dimension's symbol ("" for none) and bound (-1: none).
  struct InputDescription {
    std::string name;
    RankedTensorType type;
    SmallVector<std::string> symbols;
    SmallVector<int64_t> bounds;
  };
  /// The function's arguments: the graph inputs that are not initializers.
  FailureOr<SmallVector<InputDescription>> describeInputs();

private:
  LogicalResult readOpsets();
  LogicalResult checkNodes();
  LogicalResult orderNodes();
  FailureOr<RankedTensorType> getInputType(const onnx::ValueInfoProto &input);
  /// Checks that `type` (at the bounds of its dynamic dimensions) is not too
  /// large, and records the symbols and bounds of a dynamic one.
  FailureOr<RankedTensorType> checkInputSize(const onnx::ValueInfoProto &input,
                                             RankedTensorType type,
                                             ArrayRef<std::string> symbols,
                                             ArrayRef<int64_t> bounds);
  /// The bound `--dim` gives a dynamic symbol (a sum's: its symbol's plus
  /// the offset); -1 for none.
  int64_t getSymbolBound(StringRef symbol) const {
    auto derived = options.derivedDims.find(symbol);
    if (derived == options.derivedDims.end())
      return options.dynamicDims.lookup(symbol);
    int64_t bound = options.dynamicDims.lookup(derived->second.first);
    return bound < 0 ? -1 : bound + derived->second.second;
  }
  LogicalResult importInitializers(GraphState &state);
  LogicalResult importNodes(GraphState &state);
  Location nodeLoc(int index) const;
  std::string nodeName(int index) const;

  MLIRContext *context;
  onnx::ModelProto &model;
  const onnx::GraphProto &graph;
  Location modelLoc;
  StringRef baseDir;
  const OnnxImportOptions &options;

  llvm::StringMap<int64_t> opsets;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  SmallVector<int> order;
  /// The symbolic dimensions that --dim fixed in some input.
  llvm::StringSet<> usedDims;
  /// Inputs with dynamic dimensions: each dimension's symbol ("" for none)
  /// and bound (-1 for none).
  struct DynamicInput {
    SmallVector<std::string> symbols;
    SmallVector<int64_t> bounds;
  };
  llvm::StringMap<DynamicInput> dynamicInputs;
  /// Every symbolic dimension the inputs declare, for messages.
  llvm::SetVector<std::string, SmallVector<std::string>, std::set<std::string>>
      declaredDims;
};

} // namespace

std::string GraphImporter::nodeName(int index) const {
  const onnx::NodeProto &node = graph.node(index);
  if (!node.name().empty())
    return node.name();
  return node.op_type() + "_" + std::to_string(index);
}

Location GraphImporter::nodeLoc(int index) const {
  return NameLoc::get(StringAttr::get(context, nodeName(index)));
}

LogicalResult GraphImporter::readOpsets() {
  for (const auto &opset : model.opset_import())
    opsets[canonicalDomain(opset.domain())] = opset.version();
  // A model whose nodes all belong to other domains need not import the
  // default one; checkNodes reports default-domain nodes without it.
  auto it = opsets.find(kDefaultDomain);
  if (it != opsets.end() &&
      (it->second < kMinOpset || it->second > kMaxOpset))
    return emitError(modelLoc)
           << "imports opset " << it->second
           << " of the default ONNX domain; supported opsets are "
           << kMinOpset << " to " << kMaxOpset;
  // Optimized models may use com.microsoft ops without importing the domain.
  opsets.try_emplace(kMicrosoftDomain, 1);
  return success();
}

LogicalResult GraphImporter::checkNodes() {
  const ConverterRegistry &registry = getConverterRegistry();
  // Unsupported ops are grouped by kind so that each kind is one line.
  struct Users {
    int64_t opset;
    SmallVector<std::string> names;
  };
  llvm::MapVector<std::string, Users, std::map<std::string, unsigned>>
      unsupported;
  bool failed = false;
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &node = graph.node(i);
    StringRef domain = canonicalDomain(node.domain());
    std::string kind =
        (domain.empty() ? "" : domain + ".").str() + node.op_type();
    auto opset = opsets.find(domain);
    if (opset == opsets.end()) {
      if (domain.empty())
        emitError(nodeLoc(i)) << kind << ": the model imports no opset of the "
                                         "default ONNX domain";
      else
        emitError(nodeLoc(i)) << kind << ": domain '" << domain
                              << "' is not supported (only the default ONNX "
                                 "domain and com.microsoft are)";
      failed = true;
      continue;
    }
    const ConverterRegistry::Entry *entry =
        registry.lookup(domain, node.op_type());
    if (!entry) {
      Users &users = unsupported[kind];
      users.opset = opset->second;
      users.names.push_back(nodeName(i));
      continue;
    }
    // Converters register the first version of their op they import;
    // versions are the opsets that changed the op, so comparing the model's
    // opset with it tells whether the version in effect is one of them.
    if (opset->second < entry->sinceVersion) {
      const onnx::OpSchema *old =
          domain.empty() && opset->second <= 17
              ? onnx::OpSchemaRegistry::Schema(
                    node.op_type(), static_cast<int>(opset->second), "")
              : nullptr;
      if (old)
        emitError(nodeLoc(i))
            << kind << " version " << old->since_version() << " (opset "
            << opset->second << ") is not supported: tfmc imports " << kind
            << " from version " << entry->sinceVersion << " (opset "
            << entry->sinceVersion << ") on";
      else
        emitError(nodeLoc(i))
            << kind << " exists from opset " << entry->sinceVersion
            << ", but the model imports opset " << opset->second
            << " of its domain";
      failed = true;
      continue;
    }
    // ONNX's own schemas (opsets up to 17 in this ONNX release) check input
    // and output counts and attribute kinds.
    if (domain.empty() && opset->second <= 17) {
      const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(
          node.op_type(), static_cast<int>(opset->second), "");
      if (schema) {
        try {
          schema->Verify(node);
        } catch (const std::exception &e) {
          emitError(nodeLoc(i)) << kind << " (opset " << opset->second
                                << ") does not match its ONNX schema: "
                                << e.what();
          failed = true;
        }
      }
    }
  }
  for (auto &[kind, users] : unsupported) {
    ArrayRef<std::string> names = users.names;
    InFlightDiagnostic diag = emitError(modelLoc);
    diag << "unsupported operator " << kind << " (opset " << users.opset
         << ") used by " << names.size() << " node"
         << (names.size() == 1 ? "" : "s") << ": ";
    for (size_t i = 0; i < std::min<size_t>(names.size(), 3); ++i)
      diag << (i ? ", " : "") << "'" << names[i] << "'";
    if (names.size() > 3)
      diag << ", ...";
    failed = true;
  }
  return failure(failed);
}

LogicalResult GraphImporter::orderNodes() {
  // Producers of every value: graph inputs and initializers (-1) or nodes.
  llvm::StringMap<int> producer;
  bool failed = false;
  // Names are single assignments: a graph input or initializer listed twice
  // would leave which value a node reads to the order of the file. (An
  // input may share its name with an initializer: before IR version 4
  // every initializer was also listed as an input.)
  llvm::StringSet<> inputNames, initNames;
  for (const auto &input : graph.input())
    if (!inputNames.insert(input.name()).second) {
      emitError(modelLoc) << "graph input '" << input.name()
                          << "' is declared twice";
      failed = true;
    }
  for (const auto &init : graph.initializer())
    if (!initNames.insert(init.name()).second) {
      emitError(modelLoc) << "initializer '" << init.name()
                          << "' is defined twice";
      failed = true;
    }
  for (const auto &input : graph.input())
    producer[input.name()] = -1;
  for (const auto &init : graph.initializer())
    producer[init.name()] = -1;
  for (int i = 0; i < graph.node_size(); ++i)
    for (const std::string &output : graph.node(i).output()) {
      if (output.empty())
        continue;
      auto [it, inserted] = producer.try_emplace(output, i);
      if (!inserted) {
        emitError(nodeLoc(i)) << "output '" << output
                              << "' is already produced by "
                              << (it->second < 0 ? "a graph input or "
                                                   "initializer"
                                                 : "node '" +
                                                       nodeName(it->second) +
                                                       "'");
        failed = true;
      }
    }
  SmallVector<SmallVector<int>> consumers(graph.node_size());
  SmallVector<int> pending(graph.node_size(), 0);
  for (int i = 0; i < graph.node_size(); ++i) {
    llvm::SmallSetVector<int, 4> deps;
    for (const std::string &input : graph.node(i).input()) {
      if (input.empty())
        continue;
      auto it = producer.find(input);
      if (it == producer.end()) {
        emitError(nodeLoc(i)) << "input '" << input
                              << "' is not produced by any node, graph "
                                 "input or initializer";
        failed = true;
        continue;
      }
      if (it->second >= 0)
        deps.insert(it->second);
    }
    pending[i] = deps.size();
    for (int dep : deps)
      consumers[dep].push_back(i);
  }
  for (const auto &output : graph.output())
    if (!producer.count(output.name())) {
      emitError(modelLoc) << "graph output '" << output.name()
                          << "' is not produced by any node, input or "
                             "initializer";
      failed = true;
    }
  if (failed)
    return failure();

  // Kahn's algorithm taking the earliest ready node first, so that a graph
  // already in topological order keeps the file's order.
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < graph.node_size(); ++i)
    if (pending[i] == 0)
      ready.push(i);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int next : consumers[i])
      if (--pending[next] == 0)
        ready.push(next);
  }
  if (static_cast<int>(order.size()) != graph.node_size()) {
    // Unordered nodes are on a cycle or downstream of one; peel off those
    // whose outputs no unordered node reads until only cycles remain.
    SmallVector<bool> onCycle(graph.node_size());
    for (int i = 0; i < graph.node_size(); ++i)
      onCycle[i] = pending[i] > 0;
    for (bool changed = true; changed;) {
      changed = false;
      for (int i = 0; i < graph.node_size(); ++i)
        if (onCycle[i] &&
            llvm::none_of(consumers[i], [&](int c) { return onCycle[c]; })) {
          onCycle[i] = false;
          changed = true;
        }
    }
    InFlightDiagnostic diag = emitError(modelLoc);
    diag << "the graph has a cycle through nodes ";
    int listed = 0;
    for (int i = 0; i < graph.node_size() && listed < 5; ++i)
      if (onCycle[i])
        diag << (listed++ ? ", " : "") << "'" << nodeName(i) << "'";
    return failure();
  }
  return success();
}

FailureOr<RankedTensorType>
GraphImporter::getInputType(const onnx::ValueInfoProto &input) {
  Location loc = modelLoc;
  if (!input.type().has_tensor_type())
    return emitError(loc) << "graph input '" << input.name()
                          << "' is not a tensor; sequences, maps and "
                             "optionals are not supported";
  const auto &tensorType = input.type().tensor_type();
  Type elementType = getElementType(context, tensorType.elem_type());
  if (!elementType)
    return emitError(loc) << "graph input '" << input.name()
                          << "' has unsupported element type "
                          << getDataTypeName(tensorType.elem_type());

  // Declared dimensions: a size, a symbol, or unknown; `kept` marks those
  // that options keep dynamic (with their bound).
  bool hasShape = tensorType.has_shape();
  SmallVector<std::string> symbols;
  SmallVector<int64_t> declared;
  SmallVector<bool> kept;
  SmallVector<int64_t> bounds;
  if (hasShape)
    for (const auto &dim : tensorType.shape().dim()) {
      if (dim.has_dim_value() && dim.dim_value() < 0)
        return emitError(loc)
               << "graph input '" << input.name() << "' declares dimension "
               << declared.size() << " as " << dim.dim_value()
               << "; dimensions are sizes or symbols, never "
                  "negative";
      bool given = options.inputShapes.contains(input.name());
      kept.push_back(false);
      if (dim.has_dim_value()) {
        declared.push_back(dim.dim_value());
        symbols.push_back("");
      } else if (dim.has_dim_param() &&
                 options.dimValues.contains(dim.dim_param()) && !given) {
        declared.push_back(options.dimValues.lookup(dim.dim_param()));
        symbols.push_back("");
        usedDims.insert(dim.dim_param());
      } else if (dim.has_dim_param() &&
                 options.dynamicDims.contains(dim.dim_param()) && !given) {
        declared.push_back(ShapedType::kDynamic);
        symbols.push_back(dim.dim_param());
        kept.back() = true;
        usedDims.insert(dim.dim_param());
      } else if (auto derived = options.derivedDims.find(dim.dim_param());
                 dim.has_dim_param() && derived != options.derivedDims.end() &&
                 !given) {
        // A sum holding a dynamic symbol: dynamic, related to it.
        declared.push_back(ShapedType::kDynamic);
        symbols.push_back(dim.dim_param());
        kept.back() = true;
        usedDims.insert(dim.dim_param());
        usedDims.insert(derived->second.first);
      } else {
        declared.push_back(ShapedType::kDynamic);
        symbols.push_back(dim.has_dim_param() ? dim.dim_param() : "?");
      }
      bounds.push_back(kept.back() ? getSymbolBound(dim.dim_param())
                                   : declared.back());
      if (dim.has_dim_param() && !dim.has_dim_value())
        declaredDims.insert(dim.dim_param());
    }

  auto given = options.inputShapes.find(input.name());
  if (given != options.inputShapes.end()) {
    ArrayRef<int64_t> shape = given->second;
    if (hasShape && shape.size() != declared.size())
      return emitError(loc) << "--input-shape gives input '" << input.name()
                            << "' rank " << shape.size()
                            << ", but the model declares rank "
                            << declared.size();
    for (auto [i, dim] : llvm::enumerate(declared))
      if (!ShapedType::isDynamic(dim) && dim != shape[i])
        return emitError(loc)
               << "--input-shape gives input '" << input.name()
               << "' dimension " << i << " = "
               << (ShapedType::isDynamic(shape[i]) ? std::string("?")
                                                   : std::to_string(shape[i]))
               << ", but the model declares " << dim;
    // A dynamic dimension takes the symbol the model declares there.
    auto boundsIt = options.inputBounds.find(input.name());
    ArrayRef<int64_t> givenBounds;
    if (boundsIt != options.inputBounds.end())
      givenBounds = boundsIt->second;
    SmallVector<std::string> names;
    for (auto [i, dim] : llvm::enumerate(shape))
      names.push_back(ShapedType::isDynamic(dim) && i < symbols.size() &&
                              symbols[i] != "?"
                          ? symbols[i]
                          : "");
    return checkInputSize(input, RankedTensorType::get(shape, elementType),
                          names, givenBounds);
  }

  auto suggestion = [&]() {
    std::string text = "--input-shape " + input.name() + "=";
    for (size_t i = 0; i < declared.size(); ++i)
      text += (i ? "x" : "") + (ShapedType::isDynamic(declared[i])
                                     ? "<" + symbols[i] + ">"
                                     : std::to_string(declared[i]));
    return text;
  };
  if (!hasShape)
    return emitError(loc) << "graph input '" << input.name()
                          << "' has no declared shape; give it with "
                             "--input-shape "
                          << input.name() << "=D1xD2x...";
  for (auto [i, dim] : llvm::enumerate(declared))
    if (ShapedType::isDynamic(dim) && !kept[i])
      return emitError(loc)
             << "graph input '" << input.name() << "' dimension " << i << " ('"
             << symbols[i] << "') is not fixed; give its shape with "
             << suggestion()
             << (symbols[i] == "?"
                     ? std::string()
                     : " or the size of '" + symbols[i] + "' with --dim " +
                           symbols[i] + "=N (--dim " + symbols[i] +
                           "=?N keeps it dynamic, at most N)");
  return checkInputSize(input, RankedTensorType::get(declared, elementType),
                        symbols, bounds);
}

FailureOr<RankedTensorType> GraphImporter::checkInputSize(
    const onnx::ValueInfoProto &input, RankedTensorType type,
    ArrayRef<std::string> symbols, ArrayRef<int64_t> bounds) {
  // A dynamic input is checked at its bounds (unbounded: at one).
  SmallVector<int64_t> sizes(type.getShape());
  for (auto [i, size] : llvm::enumerate(sizes))
    if (ShapedType::isDynamic(size))
      size = i < bounds.size() && bounds[i] > 0 ? bounds[i] : 1;
  if (std::optional<std::string> reason = checkTensorSize(type.clone(sizes)))
    return emitError(modelLoc)
           << "graph input '" << input.name() << "' has shape "
           << formatShape(sizes) << ", too large: " << *reason;
  if (!type.hasStaticShape()) {
    DynamicInput &dynamic = dynamicInputs[input.name()];
    for (int64_t i = 0; i < type.getRank(); ++i) {
      bool isDynamic = type.isDynamicDim(i);
      dynamic.symbols.push_back(
          isDynamic && i < static_cast<int64_t>(symbols.size()) ? symbols[i]
                                                                : "");
      dynamic.bounds.push_back(!isDynamic ? type.getDimSize(i)
                               : i < static_cast<int64_t>(bounds.size())
                                   ? bounds[i]
                                   : -1);
    }
  }
  return type;
}

LogicalResult GraphImporter::importInitializers(GraphState &state) {
  // The model is not read again after this: blobs take over its bytes.
  for (onnx::TensorProto &init : *model.mutable_graph()->mutable_initializer()) {
    std::string error;
    std::string name = init.name();
    ElementsAttr value = importTensor(context, std::move(init), baseDir,
                                      options.maxInlineElements, error);
    if (!value)
      return emitError(modelLoc) << "initializer '" << name << "' " << error;
    Location loc = NameLoc::get(StringAttr::get(context, name));
    state.values[name] =
        ConstantOp::create(state.builder, loc, value).getResult();
  }
  for (const auto &sparse : graph.sparse_initializer())
    return emitError(modelLoc) << "sparse initializer '"
                               << sparse.values().name()
                               << "' is not supported";
  return success();
}

LogicalResult GraphImporter::importNodes(GraphState &state) {
  const ConverterRegistry &registry = getConverterRegistry();
  bool anyFailed = false;
  for (int i : order) {
    const onnx::NodeProto &node = graph.node(i);
    // A node downstream of a failed one has nothing to work on.
    if (llvm::any_of(node.input(), [&](const std::string &name) {
          return !name.empty() && !state.values.lookup(name);
        }))
      continue;
    StringRef domain = canonicalDomain(node.domain());
    NodeImporter importer(state, node, opsets.lookup(domain), nodeLoc(i));
    const ConverterRegistry::Entry *entry =
        registry.lookup(domain, node.op_type());
    if (failed(entry->fn(importer))) {
      // Converters report what they reject; one that failed on a value it
      // could not use (an omitted input, say) says so here.
      if (!importer.reported())
        importer.emitError() << "cannot be converted: an input it needs is "
                                "omitted or could not be computed";
      anyFailed = true;
      continue;
    }
    for (int o = 0; o < node.output_size(); ++o)
      if (!node.output(o).empty() && !state.values.lookup(node.output(o))) {
        importer.emitError() << "output #" << o << " ('" << node.output(o)
                             << "') is not produced";
        anyFailed = true;
      }
  }
  return failure(anyFailed);
}

/// Erases pure ops whose results are unused: folding while importing leaves
/// the intermediate values of shape computations behind.
static void eraseDeadOps(Block &block) {
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if (op.getNumResults() > 0 && op.use_empty() && isPure(&op))
      op.erase();
}

FailureOr<SmallVector<GraphImporter::InputDescription>>
GraphImporter::describeInputs() {
  llvm::StringSet<> initNames;
  for (const auto &init : graph.initializer())
    initNames.insert(init.name());
  SmallVector<InputDescription> inputs;
  bool failed = false;
  for (const auto &input : graph.input()) {
    if (initNames.contains(input.name()))
      continue;
    FailureOr<RankedTensorType> type = getInputType(input);
    if (mlir::failed(type)) {
      failed = true;
      continue;
    }
    InputDescription description{input.name(), *type, {}, {}};
    auto dynamic = dynamicInputs.find(input.name());
    if (dynamic != dynamicInputs.end()) {
      description.symbols = dynamic->second.symbols;
      description.bounds = dynamic->second.bounds;
    }
    inputs.push_back(std::move(description));
  }
  if (failed)
    return failure();
  return inputs;
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  if (failed(readOpsets()) || failed(checkNodes()) || failed(orderNodes()))
    return {};

  OwningOpRef<ModuleOp> module = ModuleOp::create(modelLoc);
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module->getBody());

  // Arguments: graph inputs that are not initializers (IR < 4 lists both).
  FailureOr<SmallVector<InputDescription>> described = describeInputs();
  if (mlir::failed(described))
    return {};
  ArrayRef<InputDescription> inputs = *described;
  SmallVector<Type> argTypes = llvm::map_to_vector(
      inputs, [](const InputDescription &input) -> Type { return input.type; });
  bool failed = false;
  for (const auto &given : options.inputShapes)
    if (llvm::none_of(inputs,
                      [&](const InputDescription &input) {
                        return input.name == given.getKey();
                      }) &&
        !failed) {
      InFlightDiagnostic diag = emitError(modelLoc);
      diag << "--input-shape names '" << given.getKey()
           << "', which is not a graph input; the inputs are ";
      for (auto [i, input] : llvm::enumerate(inputs))
        diag << (i ? ", " : "") << "'" << input.name << "'";
      failed = true;
    }
  SmallVector<StringRef> givenDims;
  for (const auto &given : options.dimValues)
    givenDims.push_back(given.getKey());
  for (const auto &given : options.dynamicDims)
    givenDims.push_back(given.getKey());
  for (StringRef given : givenDims)
    if (!usedDims.contains(given) && !failed) {
      InFlightDiagnostic diag = emitError(modelLoc);
      diag << "--dim names '" << given
           << "', which no graph input declares as a symbolic dimension";
      if (declaredDims.empty())
        diag << " (the inputs declare none)";
      else
        diag << "; they declare ";
      for (auto [i, name] : llvm::enumerate(declaredDims))
        diag << (i ? ", " : "") << "'" << name << "'";
      failed = true;
    }
  if (failed)
    return {};

  std::string name = options.functionName;
  if (name.empty())
    name = graph.name().empty() ? "main" : graph.name();
  auto func = func::FuncOp::create(builder, modelLoc, name,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  GraphState state{builder,
                   {},
                   baseDir,
                   options.maxInlineElements,
                   options.maxConstantBytes,
                   options.keepIdentityOps};
  for (auto [i, input] : llvm::enumerate(inputs)) {
    func.setArgAttr(i, "tfm.name", builder.getStringAttr(input.name));
    state.values[input.name] = body->getArgument(i);
  }

  if (mlir::failed(importInitializers(state)) ||
      mlir::failed(importNodes(state)))
    return {};

  // Results, checked against the declared output types.
  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    Value value = state.values.lookup(output.name());
    auto type = cast<RankedTensorType>(value.getType());
    if (output.type().has_tensor_type()) {
      const auto &declared = output.type().tensor_type();
      Type elementType = getElementType(context, declared.elem_type());
      if (declared.elem_type() != 0 && elementType != type.getElementType()) {
        emitError(modelLoc) << "graph output '" << output.name()
                            << "' is declared "
                            << getDataTypeName(declared.elem_type())
                            << " but computes " << type.getElementType();
        failed = true;
      }
      if (declared.has_shape()) {
        const auto &dims = declared.shape().dim();
        bool rankOk = dims.size() == type.getRank();
        for (int d = 0; rankOk && d < dims.size(); ++d)
          if (dims[d].has_dim_value() &&
              dims[d].dim_value() != type.getDimSize(d))
            rankOk = false;
        if (!rankOk) {
          emitError(modelLoc) << "graph output '" << output.name()
                              << "' computes shape " << type
                              << ", which contradicts its declared shape";
          failed = true;
        }
      }
    }
    results.push_back(value);
  }
  if (failed)
    return {};
  func::ReturnOp::create(builder, modelLoc, results);
  SmallVector<Type> resultTypes;
  for (Value v : results)
    resultTypes.push_back(v.getType());
  func.setType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "tfm.name", builder.getStringAttr(output.name()));

  eraseDeadOps(*body);
  if (mlir::failed(verify(*module)))
    return {};
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// Imports the model in `buffer`. Dimensions the options keep dynamic are
/// found by importing it at several static sizes and merging the imports
/// (DynamicImport.cpp): each dynamic dimension of the inputs is a symbol
/// (its ONNX dim_param, or "INPUT.D"), imported at its bound and just
/// below it.
/// Resolves each `--dim NAME=A+B+N` into a size (every term a size or a
/// static symbol) or a dynamic symbol plus an offset; an error names the
/// term that fits neither.
static LogicalResult resolveSumDims(OnnxImportOptions &options, Location loc) {
  for (const auto &sum : options.sumDims) {
    StringRef name = sum.getKey();
    int64_t offset = 0;
    std::string symbol;
    for (const std::string &term : sum.getValue()) {
      int64_t size;
      if (StringRef(term).getAsInteger(10, size)) {
        if (options.dynamicDims.contains(term)) {
          if (!symbol.empty())
            return emitError(loc)
                   << "--dim " << name << ": '" << symbol << "' and '" << term
                   << "' are both dynamic; a sum may hold one dynamic "
                      "dimension";
          symbol = term;
          continue;
        }
        if (options.sumDims.contains(term))
          return emitError(loc) << "--dim " << name << ": '" << term
                                << "' is a sum itself; write its terms";
        auto value = options.dimValues.find(term);
        if (value == options.dimValues.end())
          return emitError(loc) << "--dim " << name << ": '" << term
                                << "' is given no size; give it with --dim "
                                << term << "=N or " << term << "=?N";
        size = value->second;
      }
      if (llvm::AddOverflow(offset, size, offset))
        return emitError(loc) << "--dim " << name << " is too large";
    }
    if (symbol.empty())
      options.dimValues[name] = offset;
    else
      options.derivedDims[name] = {symbol, offset};
  }
  options.sumDims.clear();
  return success();
}

static OwningOpRef<ModuleOp>
importModel(MLIRContext *context, StringRef buffer, StringRef name,
            StringRef baseDir, const OnnxImportOptions &givenOptions) {
  context->loadDialect<TfmDialect, func::FuncDialect, tensor::TensorDialect,
                       arith::ArithDialect>();
  Location loc = FileLineColLoc::get(context, name, 0, 0);
  OnnxImportOptions options = givenOptions;
  if (failed(resolveSumDims(options, loc)))
    return {};
  // An import consumes its parse (blobs take over the initializers' bytes):
  // each parses the buffer, but the first may take a parse already made.
  auto import = [&](const OnnxImportOptions &importOptions,
                    onnx::ModelProto *parsed =
                        nullptr) -> OwningOpRef<ModuleOp> {
    onnx::ModelProto model;
    if (!parsed && failed(parseModel(buffer, loc, model)))
      return {};
    return GraphImporter(context, parsed ? *parsed : model, name, baseDir,
                         importOptions)
        .run();
  };
  if (options.dynamicDims.empty() && options.inputBounds.empty())
    return import(options);

  // The symbols: where each is read, and its bound. (Describing the inputs
  // leaves the parse whole: the base import below takes it.)
  onnx::ModelProto described;
  if (failed(parseModel(buffer, loc, described)))
    return {};
  FailureOr<SmallVector<GraphImporter::InputDescription>> inputs =
      GraphImporter(context, described, name, baseDir, options)
          .describeInputs();
  if (failed(inputs))
    return {};
  SmallVector<SymbolProbe> symbols;
  // Each input dimension's symbol (-1 for a static one) and offset; a sum's
  // (`derived`) is its dynamic symbol's plus the offset.
  struct DimSymbol {
    int64_t symbol = -1;
    int64_t offset = 0;
    std::string derived;
  };
  SmallVector<SmallVector<DimSymbol>> dimSymbols;
  for (auto [i, input] : llvm::enumerate(*inputs)) {
    SmallVector<DimSymbol> &dims = dimSymbols.emplace_back();
    for (int64_t d = 0; d < input.type.getRank(); ++d) {
      dims.emplace_back();
      if (!input.type.isDynamicDim(d) ||
          options.derivedDims.contains(input.symbols[d]))
        continue; // Sums once their symbols are known, below.
      std::string symbol = input.symbols[d].empty()
                               ? input.name + "." + std::to_string(d)
                               : input.symbols[d];
      int64_t bound =
          input.bounds[d] > 0 ? input.bounds[d] : options.defaultBound;
      if (bound <= 0) {
        emitError(loc) << "graph input '" << input.name << "' dimension " << d
                       << " ('" << symbol
                       << "') is dynamic without an upper bound: give one "
                          "with --dim NAME=?N, ?N in --input-shape, or "
                          "--max-seq N";
        return {};
      }
      auto *found = llvm::find_if(
          symbols, [&](const SymbolProbe &s) { return s.name == symbol; });
      if (found == symbols.end()) {
        symbols.push_back({symbol, bound, {}, static_cast<unsigned>(i), d});
        found = std::prev(symbols.end());
      }
      found->bound = std::min(found->bound, bound);
      dims.back().symbol = found - symbols.begin();
    }
  }
  for (auto [input, dims] : llvm::zip(*inputs, dimSymbols))
    for (auto [d, dim] : llvm::enumerate(dims)) {
      if (!input.type.isDynamicDim(d))
        continue;
      auto derived = options.derivedDims.find(input.symbols[d]);
      if (derived == options.derivedDims.end())
        continue;
      StringRef base = derived->second.first;
      int64_t offset = derived->second.second;
      auto *found = llvm::find_if(
          symbols, [&](const SymbolProbe &s) { return s.name == base; });
      if (found == symbols.end()) {
        emitError(loc) << "graph input '" << input.name << "' dimension " << d
                       << " ('" << derived->getKey() << "') is '" << base
                       << "' + " << offset << ", but no graph input has '"
                       << base << "' as a dimension of its own";
        return {};
      }
      if (input.bounds[d] > 0)
        found->bound = std::min(found->bound, input.bounds[d] - offset);
      dim = {found - symbols.begin(), offset, derived->getKey().str()};
    }
  for (const SymbolProbe &symbol : symbols)
    if (symbol.bound < 3) {
      emitError(loc) << "dynamic dimension '" << symbol.name
                     << "' has the bound " << symbol.bound
                     << "; a dynamic dimension needs a bound of at least 3";
      return {};
    }

  // The options with every symbol at a size: `--dim NAME=?` sized, and the
  // dynamic entries of `--input-shape`.
  auto probeOptions = [&](ArrayRef<int64_t> sizes) {
    OnnxImportOptions probe = options;
    probe.keepIdentityOps = true;
    probe.dynamicDims.clear();
    probe.derivedDims.clear();
    probe.inputBounds.clear();
    auto sizeOf = [&](StringRef name) -> int64_t {
      auto *symbol = llvm::find_if(
          symbols, [&](const SymbolProbe &s) { return s.name == name; });
      // (A dim_param no input declares: the base import reports it.)
      return symbol == symbols.end() ? 1 : sizes[symbol - symbols.begin()];
    };
    for (const auto &dim : options.dynamicDims)
      probe.dimValues[dim.getKey()] = sizeOf(dim.getKey());
    for (const auto &dim : options.derivedDims)
      probe.dimValues[dim.getKey()] =
          sizeOf(dim.second.first) + dim.second.second;
    for (auto [input, dims] : llvm::zip(*inputs, dimSymbols)) {
      auto given = probe.inputShapes.find(input.name);
      if (given == probe.inputShapes.end())
        continue;
      for (auto [d, dim] : llvm::enumerate(dims))
        if (dim.symbol >= 0)
          given->second[d] = sizes[dim.symbol] + dim.offset;
    }
    return probe;
  };
  SmallVector<int64_t> sizes = llvm::map_to_vector(
      symbols, [](const SymbolProbe &s) { return s.bound; });
  OwningOpRef<ModuleOp> base = import(probeOptions(sizes), &described);
  if (!base)
    return {};
  SmallVector<OwningOpRef<ModuleOp>> probes;
  for (auto [k, symbol] : llvm::enumerate(symbols)) {
    for (int64_t below = 1; below <= 2; ++below) {
      SmallVector<int64_t> lower(sizes);
      lower[k] -= below;
      probes.push_back(import(probeOptions(lower)));
      if (!probes.back())
        return {};
      symbol.lower[below - 1] = *probes.back();
    }
  }
  if (failed(mergeProbeImports(*base, symbols)))
    return {};
  probes.clear();

  // The arguments name their dynamic dimensions' symbols and bounds.
  auto func = *base->getOps<func::FuncOp>().begin();
  OpBuilder builder(context);
  // (Sums: `tfm.derived_dims`, each its symbol and offset.)
  SmallVector<NamedAttribute> derivedDims;
  for (auto [i, dims] : llvm::enumerate(dimSymbols)) {
    if (llvm::all_of(dims, [](const DimSymbol &dim) { return dim.symbol < 0; }))
      continue;
    SmallVector<StringRef> names;
    SmallVector<int64_t> bounds;
    for (int64_t d = 0, e = dims.size(); d < e; ++d) {
      const DimSymbol &dim = dims[d];
      if (dim.symbol < 0) {
        names.push_back(StringRef());
        bounds.push_back((*inputs)[i].type.getDimSize(d));
        continue;
      }
      const SymbolProbe &symbol = symbols[dim.symbol];
      names.push_back(dim.derived.empty() ? StringRef(symbol.name)
                                          : StringRef(dim.derived));
      bounds.push_back(symbol.bound + dim.offset);
      if (!dim.derived.empty() &&
          llvm::none_of(derivedDims, [&](NamedAttribute attr) {
            return attr.getName() == dim.derived;
          }))
        derivedDims.push_back(builder.getNamedAttr(
            dim.derived,
            builder.getArrayAttr({builder.getStringAttr(symbol.name),
                                  builder.getI64IntegerAttr(dim.offset)})));
    }
    func.setArgAttr(i, "tfm.dims", builder.getStrArrayAttr(names));
    func.setArgAttr(i, "tfm.dim_bounds", builder.getDenseI64ArrayAttr(bounds));
  }
  if (!derivedDims.empty())
    func->setAttr("tfm.derived_dims", builder.getDictionaryAttr(derivedDims));
  if (failed(verify(*base)))
    return {};
  return base;
}

OwningOpRef<ModuleOp> mlir::tfm::importOnnxBuffer(
    MLIRContext *context, StringRef buffer, StringRef bufferName,
    StringRef baseDir, const OnnxImportOptions &options) {
  return importModel(context, buffer, bufferName, baseDir, options);
}

// Directories, devices and pipes that never end are refused, not read.
std::unique_ptr<llvm::MemoryBuffer>
mlir::tfm::readModelFile(MLIRContext *context, StringRef path) {
  Location loc = FileLineColLoc::get(context, path, 0, 0);
  if (path == "-") {
    // Read in chunks up to the limit: stdin may be endless.
    std::string data;
    char chunk[1 << 16];
    while (true) {
      llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(
          llvm::sys::fs::getStdinHandle(), llvm::MutableArrayRef(chunk));
      if (!got) {
        emitError(loc) << "cannot read stdin: "
                       << llvm::toString(got.takeError());
        return nullptr;
      }
      if (*got == 0)
        break;
      data.append(chunk, *got);
      if (data.size() > kMaxModelFileBytes) {
        emitError(loc) << "stdin holds more than " << kMaxModelFileBytes
                       << " bytes, more than an ONNX protobuf can";
        return nullptr;
      }
    }
    return llvm::MemoryBuffer::getMemBufferCopy(data, "<stdin>");
  }
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) {
    emitError(loc) << "cannot read: " << ec.message();
    return nullptr;
  }
  if (llvm::sys::fs::is_directory(status)) {
    emitError(loc) << "is a directory; give the model file (.onnx, "
                      ".onnxtxt or .mlir) inside it";
    return nullptr;
  }
  if (!llvm::sys::fs::is_regular_file(status)) {
    emitError(loc) << "is not a regular file (a device, pipe or socket); "
                      "give a model file";
    return nullptr;
  }
  if (status.getSize() > kMaxModelFileBytes) {
    emitError(loc) << "is " << status.getSize()
                   << " bytes; an ONNX protobuf holds at most 2 GiB (larger "
                      "models keep their weights in external data files)";
    return nullptr;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(loc) << "cannot read: " << buffer.getError().message();
    return nullptr;
  }
  return std::move(*buffer);
}

OwningOpRef<ModuleOp>
mlir::tfm::importOnnxFile(MLIRContext *context, StringRef path,
                          const OnnxImportOptions &options) {
  std::unique_ptr<llvm::MemoryBuffer> buffer = readModelFile(context, path);
  if (!buffer)
    return {};
  SmallString<256> baseDir(path);
  llvm::sys::path::remove_filename(baseDir);
  if (baseDir.empty())
    baseDir = ".";
  return importModel(context, buffer->getBuffer(), path, baseDir, options);
}
