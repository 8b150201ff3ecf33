//===- NodeImporter.cpp - the converters' view of one ONNX node -----------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

NodeImporter::NodeImporter(GraphState &graph, const onnx::NodeProto &node,
                           int64_t opset, Location loc)
    : node(node), opset(opset), loc(loc), b(graph.builder),
      context(graph.builder.getContext()), graph(graph) {}

InFlightDiagnostic NodeImporter::emitError() {
  hasFailed = hasReported = true;
  InFlightDiagnostic diag = mlir::emitError(loc);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    diag << node.domain() << ".";
  diag << node.op_type() << " (opset " << opset << "): ";
  return diag;
}

//===----------------------------------------------------------------------===//
// Inputs and outputs
//===----------------------------------------------------------------------===//

/// Number of entries up to the last named one: trailing omitted optional
/// inputs or outputs do not count.
template <typename Names> static int countPresent(const Names &names) {
  int n = names.size();
  while (n > 0 && names[n - 1].empty())
    --n;
  return n;
}

LogicalResult NodeImporter::expectArity(int minInputs, int maxInputs,
                                        int minOutputs, int maxOutputs) {
  auto describe = [](int lo, int hi, StringRef noun) {
    std::string count;
    if (lo == hi)
      count = std::to_string(lo);
    else if (hi < 0)
      count = "at least " + std::to_string(lo);
    else
      count = std::to_string(lo) + " to " + std::to_string(hi);
    return count + " " + noun.str() + (lo == 1 && hi == 1 ? "" : "s");
  };
  int inputs = countPresent(node.input());
  int outputs = countPresent(node.output());
  if (inputs < minInputs || (maxInputs >= 0 && inputs > maxInputs)) {
    emitError() << "takes " << describe(minInputs, maxInputs, "input")
                << ", got " << inputs;
    return failure();
  }
  if (outputs < minOutputs || (maxOutputs >= 0 && outputs > maxOutputs)) {
    emitError() << "produces " << describe(minOutputs, maxOutputs, "output")
                << ", got " << outputs;
    return failure();
  }
  SmallVector<unsigned> required = llvm::to_vector(
      llvm::seq<unsigned>(0, maxInputs < 0 ? inputs : minInputs));
  return requireInputs(required);
}

LogicalResult NodeImporter::requireInputs(ArrayRef<unsigned> indices) {
  for (unsigned i : indices)
    if (!hasInput(i)) {
      emitError() << "required input #" << i << " is omitted";
      return failure();
    }
  return success();
}

bool NodeImporter::hasInput(unsigned i) const {
  return i < numInputs() && !node.input(i).empty();
}

Value NodeImporter::input(unsigned i) const {
  if (!hasInput(i))
    return {};
  return graph.values.lookup(node.input(i));
}

bool NodeImporter::hasOutput(unsigned i) const {
  return i < numOutputs() && !node.output(i).empty();
}

void NodeImporter::setOutput(unsigned i, Value value) {
  if (!value || !hasOutput(i))
    return;
  graph.values[node.output(i)] = value;
}

void NodeImporter::rejectOutput(unsigned i, StringRef what) {
  if (hasOutput(i))
    emitError() << "output #" << i << " (" << what
                << ") is not supported; only inference outputs are";
}

//===----------------------------------------------------------------------===//
// Constant inputs
//===----------------------------------------------------------------------===//

DenseElementsAttr NodeImporter::constantInput(unsigned i) const {
  Value value = input(i);
  DenseElementsAttr attr;
  if (value && matchPattern(value, m_Constant(&attr)))
    return attr;
  return {};
}

std::optional<SmallVector<int64_t>>
NodeImporter::requireConstantInts(unsigned i, StringRef what) {
  DenseElementsAttr attr = constantInput(i);
  if (!attr || !isa<IntegerType>(attr.getElementType())) {
    emitError() << "input #" << i << " (" << what
                << ") must be an integer constant once input shapes are "
                   "fixed, but it is computed at run time; run-time shape "
                   "operands are not supported";
    return std::nullopt;
  }
  SmallVector<int64_t> values;
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                : v.getSExtValue());
  return values;
}

std::optional<SmallVector<double>>
NodeImporter::requireConstantFloats(unsigned i, StringRef what) {
  DenseElementsAttr attr = constantInput(i);
  if (!attr || !isa<FloatType>(attr.getElementType())) {
    emitError() << "input #" << i << " (" << what
                << ") must be a float constant once input shapes are "
                   "fixed, but it is computed at run time; run-time shape "
                   "operands are not supported";
    return std::nullopt;
  }
  SmallVector<double> values;
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

std::optional<double> NodeImporter::requireConstantScalar(unsigned i,
                                                          StringRef what) {
  DenseElementsAttr attr = constantInput(i);
  if (!attr || attr.getNumElements() != 1) {
    emitError() << "input #" << i << " (" << what
                << ") must be a one-element constant once input shapes are "
                   "fixed; run-time values here are not supported";
    return std::nullopt;
  }
  Type elementType = attr.getElementType();
  if (isa<FloatType>(elementType))
    return (*attr.getValues<APFloat>().begin()).convertToDouble();
  APInt v = *attr.getValues<APInt>().begin();
  if (elementType.isUnsignedInteger() || elementType.isInteger(1))
    return static_cast<double>(v.getZExtValue());
  return static_cast<double>(v.getSExtValue());
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *NodeImporter::findAttr(StringRef name) const {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

void NodeImporter::badAttr(const onnx::AttributeProto &attr,
                           StringRef expected) {
  emitError() << "attribute '" << attr.name() << "' must be " << expected;
}

int64_t NodeImporter::intAttr(StringRef name,
                              std::optional<int64_t> defaultValue) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr) {
    if (!defaultValue)
      emitError() << "required attribute '" << name << "' is missing";
    return defaultValue.value_or(0);
  }
  if (attr->type() != onnx::AttributeProto::INT) {
    badAttr(*attr, "an int");
    return defaultValue.value_or(0);
  }
  return attr->i();
}

double NodeImporter::floatAttr(StringRef name,
                               std::optional<double> defaultValue) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr) {
    if (!defaultValue)
      emitError() << "required attribute '" << name << "' is missing";
    return defaultValue.value_or(0.0);
  }
  if (attr->type() != onnx::AttributeProto::FLOAT) {
    badAttr(*attr, "a float");
    return defaultValue.value_or(0.0);
  }
  return attr->f();
}

std::string NodeImporter::stringAttr(StringRef name,
                                     std::optional<StringRef> defaultValue) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr) {
    if (!defaultValue)
      emitError() << "required attribute '" << name << "' is missing";
    return defaultValue.value_or("").str();
  }
  if (attr->type() != onnx::AttributeProto::STRING) {
    badAttr(*attr, "a string");
    return defaultValue.value_or("").str();
  }
  return attr->s();
}

SmallVector<std::string> NodeImporter::stringsAttr(StringRef name) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return {};
  if (attr->type() != onnx::AttributeProto::STRINGS) {
    badAttr(*attr, "a list of strings");
    return {};
  }
  return SmallVector<std::string>(attr->strings().begin(),
                                  attr->strings().end());
}

SmallVector<double> NodeImporter::floatsAttr(StringRef name) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return {};
  if (attr->type() != onnx::AttributeProto::FLOATS) {
    badAttr(*attr, "a list of floats");
    return {};
  }
  return SmallVector<double>(attr->floats().begin(), attr->floats().end());
}

SmallVector<int64_t>
NodeImporter::intsAttr(StringRef name,
                       std::optional<ArrayRef<int64_t>> defaultValue) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr) {
    if (!defaultValue)
      emitError() << "required attribute '" << name << "' is missing";
    return SmallVector<int64_t>(defaultValue.value_or(ArrayRef<int64_t>()));
  }
  if (attr->type() != onnx::AttributeProto::INTS) {
    badAttr(*attr, "a list of ints");
    return SmallVector<int64_t>(defaultValue.value_or(ArrayRef<int64_t>()));
  }
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

const onnx::TensorProto *NodeImporter::tensorAttr(StringRef name) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return nullptr;
  if (attr->type() != onnx::AttributeProto::TENSOR) {
    badAttr(*attr, "a tensor");
    return nullptr;
  }
  return &attr->t();
}

ElementsAttr NodeImporter::importTensorAttr(StringRef name,
                                            const onnx::TensorProto &tensor) {
  std::string error;
  ElementsAttr value = importTensor(context, tensor, graph.baseDir,
                                    graph.maxInlineElements, error);
  if (!value)
    emitError() << "attribute '" << name << "' " << error;
  return value;
}

const onnx::GraphProto *NodeImporter::graphAttr(StringRef name) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr) {
    emitError() << "needs the graph attribute '" << name << "'";
    return nullptr;
  }
  if (attr->type() != onnx::AttributeProto::GRAPH) {
    badAttr(*attr, "a graph");
    return nullptr;
  }
  return &attr->g();
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

/// Folds `op` into `folded`; with `keepIdentity`, a fold to one of its
/// operands keeps the op (failure), or, for a constant operand, gives a
/// copy of that constant.
static LogicalResult foldOp(OpBuilder &b, Operation *op, bool keepIdentity,
                            SmallVectorImpl<Value> &folded) {
  if (mlir::failed(b.tryFold(op, folded)) || folded.empty())
    return failure();
  if (!keepIdentity)
    return success();
  for (Value &value : folded) {
    if (!llvm::is_contained(op->getOperands(), value))
      continue;
    auto constant = value.getDefiningOp<ConstantOp>();
    if (!constant)
      return failure();
    value = b.clone(*constant)->getResult(0);
  }
  return success();
}

Value NodeImporter::finishOp(Operation *op) {
  if (mlir::failed(mlir::verify(op))) {
    op->erase();
    hasFailed = hasReported = true;
    return {};
  }
  SmallVector<Value, 1> folded;
  if (mlir::succeeded(foldOp(b, op, graph.keepIdentityOps, folded))) {
    op->erase();
    return folded.front();
  }
  return op->getResult(0);
}

SmallVector<Value> NodeImporter::finishResults(Operation *op) {
  if (mlir::failed(mlir::verify(op))) {
    op->erase();
    hasFailed = hasReported = true;
    return {};
  }
  SmallVector<Value> folded;
  if (mlir::succeeded(foldOp(b, op, graph.keepIdentityOps, folded))) {
    op->erase();
    return folded;
  }
  return SmallVector<Value>(op->getResults());
}

LogicalResult NodeImporter::checkConstantSize(RankedTensorType type,
                                              bool isSplat, StringRef what) {
  if (std::optional<std::string> reason = checkTensorSize(type)) {
    emitError() << what << " of shape " << formatShape(type.getShape())
                << " is too large: " << *reason;
    return failure();
  }
  if (isSplat)
    return success();
  int64_t bytes = *getCheckedNumBytes(type.getShape(), type.getElementType());
  if (bytes > graph.maxConstantBytes) {
    emitError() << what << " of shape " << formatShape(type.getShape())
                << " would be a constant of " << bytes
                << " bytes, over the limit of " << graph.maxConstantBytes
                << " (raise it with --max-constant-bytes)";
    return failure();
  }
  return success();
}

LogicalResult NodeImporter::checkConstantIndices(Value indices, int64_t size,
                                                 StringRef what) {
  DenseElementsAttr attr;
  if (!indices || ShapedType::isDynamic(size) ||
      !matchPattern(indices, m_Constant(&attr)) ||
      !isa<IntegerType>(attr.getElementType()))
    return success();
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  int64_t position = 0;
  for (const APInt &v : attr.getValues<APInt>()) {
    bool inRange = isUnsigned
                       ? v.getZExtValue() < static_cast<uint64_t>(size)
                       : v.getSExtValue() >= -size && v.getSExtValue() < size;
    if (!inRange) {
      InFlightDiagnostic diag = emitError();
      diag << what << " ";
      if (isUnsigned)
        diag << v.getZExtValue();
      else
        diag << v.getSExtValue();
      return diag << " (element " << position << ") is out of range [" << -size
                  << ", " << size << ")";
    }
    if (attr.isSplat())
      break;
    ++position;
  }
  return success();
}

Value NodeImporter::constant(ElementsAttr value) {
  if (hasFailed)
    return {};
  return ConstantOp::create(b, loc, value);
}

Value NodeImporter::splat(RankedTensorType type, double value) {
  Type elementType = type.getElementType();
  Attribute element;
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    element = b.getFloatAttr(floatType, value);
  } else if (elementType.isInteger(1)) {
    element = b.getBoolAttr(value != 0);
  } else {
    element = b.getIntegerAttr(elementType, static_cast<int64_t>(value));
  }
  return constant(DenseElementsAttr::get(type, element));
}

Value NodeImporter::scalar(Type elementType, double value) {
  return splat(RankedTensorType::get({}, elementType), value);
}

Value NodeImporter::int64s(ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getI64Type());
  return constant(DenseElementsAttr::get(type, values));
}

Value NodeImporter::positionsAlong(int64_t rank, int64_t axis, int64_t size) {
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = size;
  auto type = RankedTensorType::get(shape, b.getI64Type());
  if (mlir::failed(checkConstantSize(type, /*isSplat=*/false, "positions")))
    return {};
  return constant(DenseElementsAttr::get(
      type, ArrayRef<int64_t>(llvm::to_vector(llvm::seq<int64_t>(0, size)))));
}

Value NodeImporter::reshape(Value value, ArrayRef<int64_t> shape) {
  if (!value)
    return createTyped<ReshapeOp>(Type(), value);
  return createTyped<ReshapeOp>(getType(value).clone(shape), value);
}

Value NodeImporter::cast(Value value, Type elementType) {
  if (!value)
    return createTyped<CastOp>(Type(), value);
  return createTyped<CastOp>(getType(value).clone(elementType), value);
}

Value NodeImporter::transpose(Value value, ArrayRef<int64_t> perm) {
  return create<TransposeOp>(value, perm);
}

Value NodeImporter::sliceAxis(Value value, int64_t axis, int64_t start,
                              int64_t size) {
  if (!value)
    return create<SliceOp>(value, ArrayRef<int64_t>(), ArrayRef<int64_t>(),
                           ArrayRef<int64_t>(), ValueRange());
  RankedTensorType type = getType(value);
  SmallVector<int64_t> starts(type.getRank(), 0);
  SmallVector<int64_t> limits(type.getShape());
  SmallVector<int64_t> strides(type.getRank(), 1);
  starts[axis] = start;
  limits[axis] = start + size;
  return create<SliceOp>(value, starts, limits, strides, ValueRange());
}

Value NodeImporter::expand(Value value, ArrayRef<int64_t> shape) {
  if (!value)
    return createTyped<ExpandOp>(Type(), value);
  return createTyped<ExpandOp>(getType(value).clone(shape), value);
}

std::optional<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank,
                                                   StringRef what) {
  if (axis < -rank || axis >= rank) {
    emitError() << what << " " << axis << " is out of range [" << -rank << ", "
                << rank << ") for rank " << rank;
    return std::nullopt;
  }
  return axis < 0 ? axis + rank : axis;
}

FailureOr<WindowAttrs> mlir::tfm::onnx_import::getWindowAttrs(
    NodeImporter &n, ArrayRef<int64_t> spatial, ArrayRef<int64_t> kernel) {
  int64_t d = spatial.size();
  SmallVector<int64_t> ones(d, 1), zeros(2 * d, 0);
  WindowAttrs w;
  w.strides = n.intsAttr("strides", ArrayRef<int64_t>(ones));
  w.dilations = n.intsAttr("dilations", ArrayRef<int64_t>(ones));
  w.pads = n.intsAttr("pads", ArrayRef<int64_t>(zeros));
  std::string autoPad = n.stringAttr("auto_pad", StringRef("NOTSET"));
  if (n.failed())
    return failure();
  if (static_cast<int64_t>(w.strides.size()) != d ||
      static_cast<int64_t>(w.dilations.size()) != d ||
      static_cast<int64_t>(w.pads.size()) != 2 * d)
    return n.emitError() << "strides, dilations and pads need " << d << ", "
                         << d << " and " << 2 * d << " entries";
  // Checked here because SAME padding divides by the strides; the tfm op
  // checks the rest.
  auto positive = [](int64_t v) { return v > 0 && v <= (int64_t(1) << 32); };
  if (!llvm::all_of(w.strides, positive) ||
      !llvm::all_of(w.dilations, positive))
    return n.emitError() << "strides " << formatShape(w.strides)
                         << " and dilations " << formatShape(w.dilations)
                         << " must be positive (and at most 2^32)";
  if (autoPad == "VALID") {
    w.pads.assign(2 * d, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < d; ++i) {
      int64_t in = spatial[i];
      if (ShapedType::isDynamic(in))
        return n.emitError()
               << "auto_pad " << autoPad << " needs static spatial sizes, got "
               << formatShape(spatial);
      int64_t out = llvm::divideCeil(in, w.strides[i]);
      int64_t total =
          std::max<int64_t>(0, (out - 1) * w.strides[i] +
                                   (kernel[i] - 1) * w.dilations[i] + 1 - in);
      int64_t small = total / 2;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : total - small;
      w.pads[d + i] = total - w.pads[i];
    }
  } else if (autoPad != "NOTSET") {
    return n.emitError() << "attribute 'auto_pad' has unknown value '"
                         << autoPad << "'";
  }
  return w;
}
