//===- RecurrentOps.cpp - RNN, GRU and LSTM -------------------------------===//
//
// ONNX RNN, GRU and LSTM, unrolled over their (static) sequence: the input
// projections of every step in one product, then per step the recurrent
// product and the gates, in tfm's elementwise ops. Directions forward,
// reverse and bidirectional; layouts 0 and 1; initial states, biases,
// peepholes, clip, GRU's linear_before_reset, and per-batch sequence
// lengths (a finished sequence keeps its state and outputs zeros).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

namespace {

enum class Cell { Rnn, Gru, Lstm };

/// The elementwise functions the cells may be given by `activations`.
enum class CellFunction { Sigmoid, Tanh, Relu };

struct RecurrentSpec {
  Cell cell;
  int64_t gates;                     // weight blocks: 1, 3 or 4
  SmallVector<StringRef> defaults;   // activation names, one direction
};

RecurrentSpec getSpec(Cell cell) {
  switch (cell) {
  case Cell::Rnn:
    return {cell, 1, {"Tanh"}};
  case Cell::Gru:
    return {cell, 3, {"Sigmoid", "Tanh"}};
  case Cell::Lstm:
    return {cell, 4, {"Sigmoid", "Tanh", "Tanh"}};
  }
  llvm_unreachable("unknown cell");
}

} // namespace

static Value applyActivation(NodeImporter &n, CellFunction f, Value x) {
  switch (f) {
  case CellFunction::Sigmoid:
    return n.create<SigmoidOp>(x);
  case CellFunction::Tanh:
    return n.create<TanhOp>(x);
  case CellFunction::Relu:
    return n.create<ReluOp>(x);
  }
  llvm_unreachable("unknown activation");
}

template <Cell kind>
static LogicalResult convertRecurrent(NodeImporter &n) {
  RecurrentSpec spec = getSpec(kind);
  unsigned maxInputs = kind == Cell::Lstm ? 8 : 6;
  unsigned maxOutputs = kind == Cell::Lstm ? 3 : 2;
  if (failed(n.expectArity(3, maxInputs, 0, maxOutputs)))
    return failure();
  int64_t hidden = n.intAttr("hidden_size", std::nullopt);
  int64_t layout = n.intAttr("layout", 0);
  std::string direction = n.stringAttr("direction", StringRef("forward"));
  bool hasClip = n.hasAttr("clip");
  double clip = hasClip ? n.floatAttr("clip", std::nullopt) : 0.0;
  int64_t linearBeforeReset =
      kind == Cell::Gru ? n.intAttr("linear_before_reset", 0) : 0;
  int64_t inputForget = kind == Cell::Lstm ? n.intAttr("input_forget", 0) : 0;
  if (n.failed())
    return failure();
  if (hidden <= 0)
    return n.emitError() << "hidden_size must be positive, got " << hidden;
  if (layout != 0 && layout != 1)
    return n.emitError() << "layout must be 0 or 1, got " << layout;
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return n.emitError() << "direction '" << direction
                         << "' is not forward, reverse or bidirectional";
  if (inputForget != 0)
    return n.emitError() << "input_forget is not supported";
  if (hasClip && !(clip > 0.0))
    return n.emitError() << "clip must be positive, got " << clip;
  if (n.hasAttr("activation_alpha") || n.hasAttr("activation_beta"))
    return n.emitError() << "activations with alpha or beta are not supported";
  int64_t directions = direction == "bidirectional" ? 2 : 1;

  // Activations: the defaults, or the given list (one set per direction)
  // of Sigmoid, Tanh and Relu.
  SmallVector<SmallVector<CellFunction>> activations(directions);
  SmallVector<std::string> names = n.stringsAttr("activations");
  if (n.failed())
    return failure();
  if (!n.hasAttr("activations")) {
    for (int64_t d = 0; d < directions; ++d)
      for (StringRef name : spec.defaults)
        names.push_back(name.str());
  }
  if (static_cast<int64_t>(names.size()) !=
      directions * static_cast<int64_t>(spec.defaults.size()))
    return n.emitError() << "activations lists " << names.size()
                         << " functions; expected "
                         << directions * spec.defaults.size();
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<CellFunction> f =
        llvm::StringSwitch<std::optional<CellFunction>>(names[i])
            .Case("Sigmoid", CellFunction::Sigmoid)
            .Case("Tanh", CellFunction::Tanh)
            .Case("Relu", CellFunction::Relu)
            .Default(std::nullopt);
    if (!f)
      return n.emitError() << "activation '" << names[i]
                           << "' is not supported (Sigmoid, Tanh, Relu)";
    activations[i / spec.defaults.size()].push_back(*f);
  }

  Value x = n.input(0), w = n.input(1), r = n.input(2);
  RankedTensorType xType = NodeImporter::getType(x);
  if (xType.getRank() != 3 || !xType.hasStaticShape())
    return n.emitError() << "X must have a static shape of rank 3, got "
                         << xType;
  Type elementType = xType.getElementType();
  // [S, B, I] from either layout.
  if (layout == 1)
    x = n.transpose(x, {1, 0, 2});
  ArrayRef<int64_t> dims = NodeImporter::getType(x).getShape();
  int64_t steps = dims[0], batch = dims[1], inputSize = dims[2];
  int64_t gated = spec.gates * hidden;
  if (steps > 4096)
    return n.emitError() << "a sequence of " << steps
                         << " steps is longer than the 4096 unrolled";
  auto expectShape = [&](Value value, ArrayRef<int64_t> shape,
                         StringRef what) -> LogicalResult {
    if (!value)
      return success();
    RankedTensorType type = NodeImporter::getType(value);
    if (type.getShape() != shape || type.getElementType() != elementType)
      return n.emitError() << what << " is " << type << "; expected "
                           << formatShape(shape) << " of " << elementType;
    return success();
  };
  if (failed(expectShape(w, {directions, gated, inputSize}, "W")) ||
      failed(expectShape(r, {directions, gated, hidden}, "R")) ||
      failed(expectShape(n.input(3), {directions, 2 * gated}, "B")))
    return failure();
  SmallVector<int64_t> stateShape =
      layout == 0 ? SmallVector<int64_t>{directions, batch, hidden}
                  : SmallVector<int64_t>{batch, directions, hidden};
  Value initialH = n.input(5), initialC, peepholes;
  if (failed(expectShape(initialH, stateShape, "initial_h")))
    return failure();
  if (kind == Cell::Lstm) {
    initialC = n.input(6);
    peepholes = n.input(7);
    if (failed(expectShape(initialC, stateShape, "initial_c")) ||
        failed(expectShape(peepholes, {directions, 3 * hidden}, "P")))
      return failure();
  }
  if (layout == 1) {
    if (initialH)
      initialH = n.transpose(initialH, {1, 0, 2});
    if (initialC)
      initialC = n.transpose(initialC, {1, 0, 2});
  }
  // Per-batch lengths: a [B, 1] boolean per step, true while running.
  Value lengths = n.input(4);
  if (lengths) {
    RankedTensorType type = NodeImporter::getType(lengths);
    if (type.getRank() != 1 || type.getDimSize(0) != batch ||
        !type.getElementType().isInteger(32))
      return n.emitError() << "sequence_lens is " << type << "; expected "
                           << batch << " int32 lengths";
    if (directions != 1 || direction != "forward")
      return n.emitError()
             << "sequence_lens with a reverse direction is not supported";
    lengths = n.reshape(lengths, {batch, 1});
  }
  auto running = [&](int64_t t) -> Value {
    if (!lengths)
      return Value();
    return n.create<CompareOp>(
        ComparisonPredicate::gt, lengths,
        n.scalar(NodeImporter::getType(lengths).getElementType(),
                 static_cast<double>(t)));
  };

  Value zeroState = n.splat(
      RankedTensorType::get({batch, hidden}, elementType), 0.0);
  auto clipped = [&](Value v) {
    if (!hasClip)
      return v;
    return n.create<MinOp>(n.create<MaxOp>(v, n.scalar(elementType, -clip)),
                           n.scalar(elementType, clip));
  };
  // [B, 4H] -> gate g's [B, H].
  auto gate = [&](Value v, int64_t g) {
    return n.sliceAxis(v, 1, g * hidden, hidden);
  };

  // Entry `index` of a value's leading axis (a direction, a step).
  auto entryOf = [&](Value value, int64_t index) {
    return n.create<SelectOp>(value, int64_t(0), index);
  };
  SmallVector<Value> outputs(directions), lastH(directions),
      lastC(directions);
  for (int64_t d = 0; d < directions && !n.failed(); ++d) {
    bool reverse = direction == "reverse" || d == 1;
    ArrayRef<CellFunction> f = activations[d];
    Value wd = entryOf(w, d), rd = entryOf(r, d);
    Value rT = n.transpose(rd, {1, 0});
    // Input projections of every step: [S, B, I] x [I, G*H] (+ Wb).
    Value projected = n.create<MatmulOp>(x, n.transpose(wd, {1, 0}));
    Value recurrentBias;
    if (Value b = n.input(3)) {
      Value bd = entryOf(b, d);
      projected = n.create<AddOp>(projected, n.sliceAxis(bd, 0, 0, gated));
      recurrentBias = n.sliceAxis(bd, 0, gated, gated);
    }
    // GRU's candidate without linear_before_reset multiplies (r * h) by its
    // recurrent weights: the per-step product covers the other two gates,
    // the candidate's weights and bias are applied on their own.
    bool resetFirst = kind == Cell::Gru && !linearBeforeReset;
    Value rStep = rT, biasStep = recurrentBias, rCandidate, biasCandidate;
    if (resetFirst) {
      rStep = n.sliceAxis(rT, 1, 0, 2 * hidden);
      rCandidate = n.sliceAxis(rT, 1, 2 * hidden, hidden);
      if (recurrentBias) {
        biasStep = n.sliceAxis(recurrentBias, 0, 0, 2 * hidden);
        biasCandidate = n.sliceAxis(recurrentBias, 0, 2 * hidden, hidden);
      }
    }
    Value peep = peepholes ? entryOf(peepholes, d) : Value();
    Value h = initialH ? entryOf(initialH, d) : zeroState;
    Value c = initialC ? entryOf(initialC, d) : zeroState;
    SmallVector<Value> ys(steps);
    for (int64_t i = 0; i < steps && !n.failed(); ++i) {
      int64_t t = reverse ? steps - 1 - i : i;
      Value xw = entryOf(projected, t);
      Value hr = n.create<MatmulOp>(h, rStep);
      if (biasStep)
        hr = n.create<AddOp>(hr, biasStep);
      Value newH, newC;
      if (kind == Cell::Rnn) {
        newH = applyActivation(n, f[0], clipped(n.create<AddOp>(xw, hr)));
      } else if (kind == Cell::Gru) {
        Value z = applyActivation(
            n, f[0], clipped(n.create<AddOp>(gate(xw, 0), gate(hr, 0))));
        Value rGate = applyActivation(
            n, f[0], clipped(n.create<AddOp>(gate(xw, 1), gate(hr, 1))));
        Value candidateIn;
        if (resetFirst) {
          candidateIn =
              n.create<MatmulOp>(n.create<MulOp>(rGate, h), rCandidate);
          if (biasCandidate)
            candidateIn = n.create<AddOp>(candidateIn, biasCandidate);
        } else {
          candidateIn = n.create<MulOp>(rGate, gate(hr, 2));
        }
        Value candidate = applyActivation(
            n, f[1], clipped(n.create<AddOp>(gate(xw, 2), candidateIn)));
        // (1 - z) * candidate + z * h = candidate + z * (h - candidate).
        newH = n.create<AddOp>(
            candidate,
            n.create<MulOp>(z, n.create<SubOp>(h, candidate)));
      } else {
        Value pre = n.create<AddOp>(xw, hr);
        Value inPre = gate(pre, 0), outPre = gate(pre, 1),
              forgetPre = gate(pre, 2), cellPre = gate(pre, 3);
        if (peep) {
          inPre = n.create<AddOp>(
              inPre, n.create<MulOp>(n.sliceAxis(peep, 0, 0, hidden), c));
          forgetPre = n.create<AddOp>(
              forgetPre,
              n.create<MulOp>(n.sliceAxis(peep, 0, 2 * hidden, hidden), c));
        }
        Value in = applyActivation(n, f[0], clipped(inPre));
        Value forget = applyActivation(n, f[0], clipped(forgetPre));
        Value cellIn = applyActivation(n, f[1], clipped(cellPre));
        newC = n.create<AddOp>(n.create<MulOp>(forget, c),
                               n.create<MulOp>(in, cellIn));
        if (peep)
          outPre = n.create<AddOp>(
              outPre,
              n.create<MulOp>(n.sliceAxis(peep, 0, hidden, hidden), newC));
        Value out = applyActivation(n, f[0], clipped(outPre));
        newH = n.create<MulOp>(out, applyActivation(n, f[2], newC));
      }
      Value y = newH;
      if (Value live = running(t)) {
        newH = n.create<WhereOp>(live, newH, h);
        if (newC)
          newC = n.create<WhereOp>(live, newC, c);
        y = n.create<WhereOp>(live, y, zeroState);
      }
      h = newH;
      if (newC)
        c = newC;
      ys[t] = n.reshape(y, {1, 1, batch, hidden});
    }
    if (n.failed())
      return failure();
    outputs[d] = steps == 1 ? ys.front() : n.create<ConcatOp>(ys, int64_t(0));
    lastH[d] = n.reshape(h, {1, batch, hidden});
    lastC[d] = n.reshape(c, {1, batch, hidden});
  }
  if (n.failed())
    return failure();
  // Y [S, D, B, H]; Y_h, Y_c [D, B, H]; layout 1: [B, S, D, H], [B, D, H].
  Value y = directions == 1 ? outputs.front()
                            : n.create<ConcatOp>(outputs, int64_t(1));
  Value yH = directions == 1 ? lastH.front()
                             : n.create<ConcatOp>(lastH, int64_t(0));
  Value yC = directions == 1 ? lastC.front()
                             : n.create<ConcatOp>(lastC, int64_t(0));
  if (layout == 1) {
    y = n.transpose(y, {2, 0, 1, 3});
    yH = n.transpose(yH, {1, 0, 2});
    yC = n.transpose(yC, {1, 0, 2});
  }
  n.setOutput(0, y);
  n.setOutput(1, yH);
  if (kind == Cell::Lstm)
    n.setOutput(2, yC);
  return n.finish();
}

void mlir::tfm::onnx_import::populateRecurrentConverters(
    ConverterRegistry &r) {
  StringRef onnx = kDefaultDomain;
  r.add(onnx, "RNN", 7, convertRecurrent<Cell::Rnn>);
  r.add(onnx, "GRU", 7, convertRecurrent<Cell::Gru>);
  r.add(onnx, "LSTM", 7, convertRecurrent<Cell::Lstm>);
}
