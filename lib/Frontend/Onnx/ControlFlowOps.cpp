//===- ControlFlowOps.cpp - If --------------------------------------------===//
//
// ONNX If with a condition known at import takes the chosen branch's nodes
// into the enclosing function. With a condition computed at run time both
// branches are imported (they are side-effect free) and each output is a
// Where between them, provided the branches' outputs have the same types.
// A branch's nodes are imported in order (ONNX keeps subgraphs
// topologically sorted), their names resolved in the enclosing scope.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

/// Imports `branch`'s initializers and nodes into the enclosing scope and
/// returns its outputs' values; reports and fails on a node it cannot
/// import.
static FailureOr<SmallVector<Value>>
importBranch(NodeImporter &n, const onnx::GraphProto &branch, StringRef which) {
  GraphState &state = n.getGraphState();
  for (const onnx::TensorProto &init : branch.initializer()) {
    ElementsAttr value = n.importTensorAttr(which, init);
    if (!value)
      return failure();
    state.values[init.name()] = n.constant(value);
  }
  const ConverterRegistry &registry = getConverterRegistry();
  for (const onnx::NodeProto &node : branch.node()) {
    StringRef domain = node.domain();
    if (!domain.empty() && domain != "ai.onnx") {
      n.emitError() << which << ": node '" << node.name() << "' ("
                    << node.op_type() << ") of domain '" << domain
                    << "': only the default ONNX domain is supported in "
                    << "branches";
      return failure();
    }
    const ConverterRegistry::Entry *entry =
        registry.lookup(kDefaultDomain, node.op_type());
    if (!entry || entry->sinceVersion > n.opset) {
      n.emitError() << which << ": operator " << node.op_type()
                    << " is not supported";
      return failure();
    }
    for (const std::string &input : node.input())
      if (!input.empty() && !state.values.lookup(input)) {
        n.emitError() << which << ": input '" << input << "' of node '"
                      << node.name() << "' (" << node.op_type()
                      << ") is not available";
        return failure();
      }
    std::string name = node.name().empty() ? node.op_type() : node.name();
    NodeImporter inner(state, node, n.opset,
                       NameLoc::get(StringAttr::get(n.b.getContext(), name)));
    if (failed(entry->fn(inner))) {
      if (!inner.reported())
        inner.emitError() << "cannot be converted";
      return failure();
    }
  }
  SmallVector<Value> outputs;
  for (const onnx::ValueInfoProto &output : branch.output()) {
    Value value = state.values.lookup(output.name());
    if (!value) {
      n.emitError() << which << ": output '" << output.name()
                    << "' is not produced";
      return failure();
    }
    outputs.push_back(value);
  }
  if (static_cast<int>(outputs.size()) != n.node.output_size()) {
    n.emitError() << which << " has " << outputs.size() << " outputs, the node "
                  << n.node.output_size();
    return failure();
  }
  return outputs;
}

static LogicalResult convertIf(NodeImporter &n) {
  if (failed(n.expectArity(1, 1, 1, -1)))
    return failure();
  const onnx::GraphProto *thenBranch = n.graphAttr("then_branch");
  const onnx::GraphProto *elseBranch = n.graphAttr("else_branch");
  if (!thenBranch || !elseBranch || n.failed())
    return failure();
  Value cond = n.input(0);
  RankedTensorType condType = NodeImporter::getType(cond);
  if (!condType.getElementType().isInteger(1) ||
      condType.getNumElements() != 1)
    return n.emitError() << "cond must be one boolean, got " << condType;
  // Known at import: the chosen branch only.
  DenseElementsAttr value;
  if (matchPattern(cond, m_Constant(&value))) {
    bool taken = value.getValues<bool>()[0];
    FailureOr<SmallVector<Value>> outputs =
        importBranch(n, taken ? *thenBranch : *elseBranch,
                     taken ? "then_branch" : "else_branch");
    if (failed(outputs))
      return failure();
    for (auto [i, output] : llvm::enumerate(*outputs))
      n.setOutput(i, output);
    return n.finish();
  }
  FailureOr<SmallVector<Value>> thenOutputs =
      importBranch(n, *thenBranch, "then_branch");
  if (failed(thenOutputs))
    return failure();
  FailureOr<SmallVector<Value>> elseOutputs =
      importBranch(n, *elseBranch, "else_branch");
  if (failed(elseOutputs))
    return failure();
  Value scalarCond = n.reshape(cond, {});
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip(*thenOutputs, *elseOutputs))) {
    auto [a, b] = pair;
    if (a.getType() != b.getType())
      return n.emitError() << "with a condition computed at run time, output #"
                           << i << " must have one type in both branches, got "
                           << a.getType() << " and " << b.getType();
    n.setOutput(i, n.create<WhereOp>(scalarCond, a, b));
  }
  return n.finish();
}

void mlir::tfm::onnx_import::populateControlFlowConverters(
    ConverterRegistry &r) {
  r.add(kDefaultDomain, "If", 1, convertIf);
}
